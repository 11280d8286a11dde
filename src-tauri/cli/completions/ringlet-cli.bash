# bash completion for ringlet-cli. Written by hand from src-tauri/cli/src/usage.rs (the text
# of `ringlet-cli --help`); cli/tests/packaging.rs checks that it names every command and
# format. Installed by the .deb and .rpm as /usr/share/bash-completion/completions/ringlet-cli.

_ringlet_cli() {
    local cur prev words cword
    _init_completion || return

    local commands="init add import formats export list code decode-qr passwd edit remove trash recovery settings backup restore recover sync linked clock"
    local import_formats="auto aegis twofas andotp stratum bitwarden proton ente steam freeotp authy freeotp-xml freeotp-backup battlenet duo authenticator-plus totp-authenticator totp-authenticator-xml google-authenticator-db microsoft-authenticator stratum-db lastpass winauth qr otpauth"
    local export_formats="ringlet aegis aegis-encrypted twofas twofas-encrypted uri-list google-qr sheet"
    local settings="autoLockSeconds= clipboardClearSeconds= screenCaptureProtection= lockOnScreenLock= lockOnSuspend= lockOnLidClose="
    local global="--vault --password-file --help --version"

    case $prev in
        --vault)
            _filedir -d
            return
            ;;
        --password-file | --uri-file | --import-password-file | --export-password-file | \
            --new-password-file | --backup-password-file | -o)
            _filedir
            return
            ;;
        --sort)
            COMPREPLY=($(compgen -W "issuer name used recent manual" -- "$cur"))
            return
            ;;
        --format)
            local command_word
            for command_word in "${words[@]}"; do
                if [[ $command_word == export ]]; then
                    COMPREPLY=($(compgen -W "$export_formats" -- "$cur"))
                    return
                fi
            done
            COMPREPLY=($(compgen -W "$import_formats" -- "$cur"))
            return
            ;;
        --at | --issuer | --name | --tags | --note | --webdav-user | --time-offset)
            return
            ;;
        --webdav-password-file)
            _filedir
            return
            ;;
    esac

    # The command: the first word that is neither an option nor an option's value.
    local i command="" position=0
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --vault | --password-file | --uri-file | --import-password-file | --export-password-file | \
                --new-password-file | --backup-password-file | -o | --format | --at | --issuer | \
                --name | --tags | --note | --webdav-user | --webdav-password-file | --time-offset)
                ((i++))
                ;;
            -*) ;;
            *)
                if [[ -z $command ]]; then
                    command=${words[i]}
                else
                    ((position++))
                fi
                ;;
        esac
    done

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$global" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi

    local options=""
    case $command in
        init) options="--allow-short-password" ;;
        add) options="--uri-file" ;;
        import) options="--format --import-password-file"; _filedir ;;
        export) options="--format -o --export-password-file --yes --force" ;;
        list) options="--json --sort" ;;
        code) options="--at" ;;
        decode-qr) _filedir ;;
        passwd) options="--new-password-file --allow-short-password" ;;
        edit) options="--issuer --name --tags --note --pin --unpin --time-offset" ;;
        remove) options="--yes" ;;
        trash)
            [[ $position -eq 0 ]] && COMPREPLY=($(compgen -W "list restore empty" -- "$cur"))
            options="--yes"
            ;;
        recovery)
            [[ $position -eq 1 ]] && COMPREPLY=($(compgen -W "add list use" -- "$cur"))
            [[ $position -eq 2 && $prev == add ]] && _filedir
            ;;
        settings)
            if [[ $position -eq 0 ]]; then
                COMPREPLY=($(compgen -W "set" -- "$cur"))
            else
                compopt -o nospace
                COMPREPLY=($(compgen -W "$settings" -- "$cur"))
            fi
            ;;
        backup)
            case "$position" in
                0) COMPREPLY=($(compgen -W "create list folder reminder kit" -- "$cur")) ;;
                1) case $prev in
                       reminder) COMPREPLY=($(compgen -W "on off" -- "$cur")) ;;
                       folder) COMPREPLY=($(compgen -W "off" -- "$cur")); _filedir -d ;;
                   esac ;;
            esac
            options="-o --with-secrets --yes" ;;
        restore) options="--backup-password-file"; _filedir ;;
        recover) _filedir ;;
        sync)
            if [[ $position -eq 0 ]]; then
                COMPREPLY=($(compgen -W "join now status leave remove new-password" -- "$cur"))
            elif [[ $position -eq 1 && $prev == join ]]; then
                _filedir -d
            fi
            [[ ${words[*]} == *" join "* ]] && options="--name --webdav-user --webdav-password-file"
            [[ ${words[*]} == *" new-password"* ]] && options="--new-password-file"
            ;;
        linked)
            if [[ $position -eq 0 ]]; then
                COMPREPLY=($(compgen -W "add list rename remove copy" -- "$cur"))
            elif [[ $position -eq 1 && $prev == add ]]; then
                _filedir -d
            fi
            [[ ${words[*]} == *" add "* ]] && options="--name --import-password-file"
            ;;
        clock)
            if [[ $position -eq 0 ]]; then
                COMPREPLY=($(compgen -W "status check correct offset calibrate auto server" -- "$cur"))
            elif [[ $position -eq 1 && $prev == offset ]]; then
                COMPREPLY=($(compgen -W "off" -- "$cur"))
            elif [[ $position -eq 1 && $prev == auto ]]; then
                COMPREPLY=($(compgen -W "on off" -- "$cur"))
            elif [[ $position -eq 1 && $prev == server ]]; then
                COMPREPLY=($(compgen -W "default pool.ntp.org" -- "$cur"))
            fi
            [[ ${words[*]} == *" calibrate "* ]] && options="--yes"
            ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options $global" -- "$cur"))
    fi
} &&
    complete -F _ringlet_cli ringlet-cli
