# fish completion for ringlet-cli. Written by hand from src-tauri/cli/src/usage.rs (the text
# of `ringlet-cli --help`); cli/tests/packaging.rs checks that it names every command and
# format. Installed by the .deb and .rpm as /usr/share/fish/vendor_completions.d/ringlet-cli.fish.

set -l commands init add import formats export list code decode-qr passwd edit remove trash recovery settings backup restore recover sync linked clock
set -l import_formats auto aegis twofas andotp stratum bitwarden proton ente steam freeotp authy freeotp-xml freeotp-backup battlenet duo authenticator-plus totp-authenticator totp-authenticator-xml google-authenticator-db microsoft-authenticator stratum-db lastpass winauth qr otpauth
set -l export_formats ringlet aegis aegis-encrypted twofas twofas-encrypted uri-list google-qr sheet

complete -c ringlet-cli -f
complete -c ringlet-cli -l vault -r -F -d 'The vault folder'
complete -c ringlet-cli -l password-file -r -F -d 'Read the password from the first line of FILE'
complete -c ringlet-cli -s h -l help -d 'Print the usage text'
complete -c ringlet-cli -s V -l version -d 'Print the version'

complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a init -d 'Create a new vault'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a add -d 'Add the account of an otpauth:// URI'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a import -d 'Add the accounts in QR images, URI lists, other apps\' exports'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a formats -d 'List the formats read and written'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a export -d 'Write every account to a file'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a list -d 'List the accounts'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a code -d 'Print the code of one account'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a decode-qr -d 'Print the text of QR codes in images'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a passwd -d 'Change the vault password'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a edit -d 'Change an account\'s labels, tags, note or pin'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a remove -d 'Move an account to the trash'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a trash -d 'List, restore or empty the trash'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a recovery -d 'An account\'s recovery codes'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a settings -d 'Print or set the vault\'s settings'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a backup -d 'Backups: create, list, second folder, reminder, emergency kit'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a restore -d 'Add the accounts of a backup'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a recover -d 'Rebuild a broken vault from a backup'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a sync -d 'Sync the vault through a folder'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a linked -d 'Folders of a phone\'s authenticator backups'
complete -c ringlet-cli -n "not __fish_seen_subcommand_from $commands" -a clock -d 'Check the clock, or correct codes by an offset'

complete -c ringlet-cli -n '__fish_seen_subcommand_from init passwd' -l allow-short-password -d 'Allow a password under 8 characters'
complete -c ringlet-cli -n '__fish_seen_subcommand_from add' -l uri-file -r -F -d 'Read the URI from FILE'
complete -c ringlet-cli -n '__fish_seen_subcommand_from import' -F
complete -c ringlet-cli -n '__fish_seen_subcommand_from import' -l format -x -a "$import_formats" -d 'Read every file as this format'
complete -c ringlet-cli -n '__fish_seen_subcommand_from import' -l import-password-file -r -F -d 'The encrypted file\'s password'
complete -c ringlet-cli -n '__fish_seen_subcommand_from export' -l format -x -a "$export_formats" -d 'The format to write'
complete -c ringlet-cli -n '__fish_seen_subcommand_from export' -s o -r -F -d 'The file to write'
complete -c ringlet-cli -n '__fish_seen_subcommand_from export' -l export-password-file -r -F -d 'The export\'s own password'
complete -c ringlet-cli -n '__fish_seen_subcommand_from export' -l force -d 'Replace an existing file'
complete -c ringlet-cli -n '__fish_seen_subcommand_from export remove trash calibrate' -l yes -d 'Do not ask'
complete -c ringlet-cli -n '__fish_seen_subcommand_from list' -l json -d 'Print JSON'
complete -c ringlet-cli -n '__fish_seen_subcommand_from list' -l sort -x -a 'issuer name used recent manual' -d 'The order'
complete -c ringlet-cli -n '__fish_seen_subcommand_from code' -l at -x -d 'Another moment, in Unix seconds'
complete -c ringlet-cli -n '__fish_seen_subcommand_from decode-qr restore recover' -F
complete -c ringlet-cli -n '__fish_seen_subcommand_from passwd' -l new-password-file -r -F -d 'Read the new password from FILE'
complete -c ringlet-cli -n '__fish_seen_subcommand_from edit' -l issuer -x -d 'New issuer'
complete -c ringlet-cli -n '__fish_seen_subcommand_from edit' -l name -x -d 'New account name'
complete -c ringlet-cli -n '__fish_seen_subcommand_from edit' -l tags -x -d 'Comma-separated tags'
complete -c ringlet-cli -n '__fish_seen_subcommand_from edit' -l note -x -d 'A note'
complete -c ringlet-cli -n '__fish_seen_subcommand_from edit' -l pin -d 'Pin to the top'
complete -c ringlet-cli -n '__fish_seen_subcommand_from edit' -l unpin -d 'Unpin'
complete -c ringlet-cli -n '__fish_seen_subcommand_from edit' -l time-offset -x -d 'Seconds added to the clock for this account'
complete -c ringlet-cli -n '__fish_seen_subcommand_from trash; and not __fish_seen_subcommand_from list restore empty' -a 'list restore empty'
complete -c ringlet-cli -n '__fish_seen_subcommand_from recovery; and not __fish_seen_subcommand_from add list use' -a 'add list use'
complete -c ringlet-cli -n '__fish_seen_subcommand_from settings; and not __fish_seen_subcommand_from set' -a set
complete -c ringlet-cli -n '__fish_seen_subcommand_from settings; and __fish_seen_subcommand_from set' -a 'autoLockSeconds= clipboardClearSeconds= screenCaptureProtection= lockOnScreenLock= lockOnSuspend= lockOnLidClose='
complete -c ringlet-cli -n '__fish_seen_subcommand_from backup; and not __fish_seen_subcommand_from create list folder reminder kit' -a 'create list folder reminder kit'
complete -c ringlet-cli -n '__fish_seen_subcommand_from reminder' -a 'on off'
complete -c ringlet-cli -n '__fish_seen_subcommand_from folder' -a 'off' -F
complete -c ringlet-cli -n '__fish_seen_subcommand_from kit' -l with-secrets -d 'Put every account\'s secrets in the kit'
complete -c ringlet-cli -n '__fish_seen_subcommand_from kit' -l yes -d 'Do not ask before writing secrets'
complete -c ringlet-cli -n '__fish_seen_subcommand_from restore' -l backup-password-file -r -F -d 'The backup\'s password'
complete -c ringlet-cli -n '__fish_seen_subcommand_from sync; and not __fish_seen_subcommand_from join now status leave remove new-password' -a 'join now status leave remove new-password'
complete -c ringlet-cli -n '__fish_seen_subcommand_from sync; and __fish_seen_subcommand_from new-password' -l new-password-file -r -F -d 'Read the new password from FILE'
complete -c ringlet-cli -n '__fish_seen_subcommand_from sync; and __fish_seen_subcommand_from join' -l name -x -d 'What the other computers call this one'
complete -c ringlet-cli -n '__fish_seen_subcommand_from sync; and __fish_seen_subcommand_from join' -a '(__fish_complete_directories)'
complete -c ringlet-cli -n '__fish_seen_subcommand_from sync; and __fish_seen_subcommand_from join' -l webdav-user -x -d 'The WebDAV folder\'s user'
complete -c ringlet-cli -n '__fish_seen_subcommand_from sync; and __fish_seen_subcommand_from join' -l webdav-password-file -r -F -d 'The WebDAV folder\'s password'
complete -c ringlet-cli -n '__fish_seen_subcommand_from linked; and not __fish_seen_subcommand_from add list rename remove copy' -a 'add list rename remove copy'
complete -c ringlet-cli -n '__fish_seen_subcommand_from linked; and __fish_seen_subcommand_from add' -a '(__fish_complete_directories)'
complete -c ringlet-cli -n '__fish_seen_subcommand_from linked; and __fish_seen_subcommand_from add' -l name -x -d 'What the linked folder is called'
complete -c ringlet-cli -n '__fish_seen_subcommand_from linked; and __fish_seen_subcommand_from add' -l import-password-file -r -F -d 'The backups\' password'
complete -c ringlet-cli -n '__fish_seen_subcommand_from clock; and not __fish_seen_subcommand_from status check correct offset calibrate auto server' -a 'status check correct offset calibrate auto server'
complete -c ringlet-cli -n '__fish_seen_subcommand_from clock; and __fish_seen_subcommand_from offset' -a off
complete -c ringlet-cli -n '__fish_seen_subcommand_from clock; and __fish_seen_subcommand_from auto' -a 'on off'
complete -c ringlet-cli -n '__fish_seen_subcommand_from clock; and __fish_seen_subcommand_from server' -a 'default pool.ntp.org'
