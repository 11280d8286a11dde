//! The text of `ringlet-cli --help`: every command and option, in the words the README
//! repeats. Kept apart from the parser (`args.rs`), which it describes.

pub const USAGE: &str = "\
Usage: ringlet-cli [--vault DIR] [--password-file FILE] COMMAND [ARGS]

The accounts of a Ringlet vault and their one-time codes, from the command line.

Commands:
  init [--allow-short-password]
                           Create a new vault (on a terminal the password is asked
                           twice). The password needs at least 8 characters unless
                           --allow-short-password is given.
  add - | add --uri-file FILE | add URI
                           Add the account of an otpauth:// URI; prints its id. With -
                           the URI is read from standard input (asked without echo on
                           a terminal; then give the password with --password-file when
                           standard input is not a terminal), with --uri-file from the
                           first line of FILE. A URI given as an argument works too,
                           but other users can see it in the process list and your
                           shell keeps it in its history: a warning says so.
  import FILE... [--format auto|NAME] [--import-password-file FILE]
                           Add every account found in the files: QR code images, text
                           files of otpauth:// URIs (one a line; blank lines and lines
                           starting with # are ignored) and other authenticator apps'
                           exports, plain or encrypted (`formats` lists them). The
                           format is recognised from each file's content; --format NAME
                           reads every file as that format only. An encrypted file's
                           password is read from the first line of
                           --import-password-file FILE, else asked on the terminal.
                           Accounts already in the vault are skipped.
  formats                  List the file formats Ringlet reads and writes (with what each
                           loses). Needs no vault.
  export --format NAME -o FILE [--export-password-file FILE] [--yes] [--force]
                           Write every account (not the trash) to FILE for another app, a
                           printer or a later restore. NAME: ringlet (a backup that opens
                           with the vault password: `restore FILE`), aegis-encrypted,
                           twofas-encrypted (encrypted with their own password: the first
                           line of --export-password-file FILE, else asked twice on the
                           terminal; at least 8 characters), or in clear: aegis, twofas,
                           uri-list (otpauth:// links, one a line), google-qr (Google
                           Authenticator transfer QR codes as PNG images, at most 10
                           accounts a code: -o codes.png writes codes-1.png, codes-2.png,
                           ...), sheet (a printable HTML page of QR codes and keys). An
                           export in clear is announced on standard error and written
                           only once confirmed (asked on a terminal; --yes does not ask).
                           Files are created readable by you only; an existing file is
                           kept unless --force. Accounts a format cannot carry are named
                           and left out.
  list [--json] [--sort issuer|name|used|recent|manual]
                           List the accounts (never their secrets), pinned ones first,
                           then by issuer, name, most used, recently used (codes copied
                           or typed in the app on this computer) or your own order; the
                           order chosen in the app when --sort is not given.
  code QUERY [--at UNIX_SECONDS]
                           Print the code of the one account that QUERY names: every
                           word of QUERY is in its issuer or account name (case and
                           accents ignored), or its issuer or name is QUERY exactly.
                           Time-based codes use this computer's clock corrected as
                           `clock` says, and the account's own offset; a correction is
                           said on standard error. --at computes a time-based code for
                           another moment (the true time: only the account's own offset
                           applies). For an HOTP account the code of the stored counter
                           is printed and the counter in the vault is advanced by one
                           (--at does not apply).
                           When no account of the vault matches, the linked folders'
                           accounts are searched (their HOTP accounts are refused: the
                           counter is the phone's).
  decode-qr IMAGE...       Print the text of every QR code in the images, one a line.
                           Needs no vault and no password.
  passwd [--new-password-file FILE] [--allow-short-password]
                           Change the vault password (the new one is read from FILE,
                           or asked twice on the terminal; at least 8 characters
                           unless --allow-short-password). The vault gets a new key;
                           the backups in DIR/backups are re-encrypted for the new
                           password (copies kept elsewhere keep the old one).
  edit QUERY [--issuer X] [--name Y] [--tags a,b] [--note TEXT] [--pin|--unpin]
       [--time-offset SECONDS]
                           Change what is shown of the account QUERY names (as for
                           code): its issuer, name, tags (comma-separated; --tags=
                           clears them), note, and whether it is pinned to the top;
                           --time-offset adds SECONDS (at most an hour either way; 0
                           removes it) to the clock for this account's codes alone,
                           for a service whose own clock is off.
  remove QUERY [--yes]     Move the account QUERY names to the trash, where it stays
                           30 days (asked first on a terminal; --yes does not ask).
  trash list | trash restore QUERY | trash empty [--yes]
                           The accounts in the trash with the days they have left;
                           bring one back; or remove them all for good.
  recovery QUERY add FILE | recovery QUERY list | recovery QUERY use CODE
                           The recovery codes kept with the account QUERY names (as
                           for code): add reads them from FILE (- for standard input)
                           in any layout, one a line, numbered or separated by spaces
                           or commas; list prints them with the used ones marked and
                           how many are left; use marks CODE used (spaces and dashes
                           do not matter).
  settings [set NAME=VALUE...]
                           Print the vault's settings (those of the app's Settings
                           dialog) as JSON; with set, change them first. NAME as
                           printed: a delay in seconds or never (autoLockSeconds=60,
                           clipboardClearSeconds=never), a switch true or false
                           (lockOnSuspend=false). Needs the vault password.
  backup create            Write an encrypted backup into DIR/backups (kept: the last
                           10 and one a day for 30 days); prints its path.
  backup list              List the backups in DIR/backups, newest first, then the last
                           verified backup, a newest backup that did not verify, the
                           second folder and any warning about it (no password).
  backup folder PATH | backup folder off
                           Copy every backup to PATH too (a USB stick, a folder a sync
                           tool carries), verified and rotated like DIR/backups; makes
                           one at once. An unreachable PATH is a warning in backup
                           list; copies resume when it is back. A folder named off:
                           ./off. Needs the vault password.
  backup reminder on | backup reminder off
                           The monthly reminder (in the app and backup list) to copy a
                           backup off this computer, shown while no folder is set.
  backup kit -o FILE [--with-secrets] [--yes]
                           Write the emergency kit, a printable HTML page: where the
                           vault and its backups are, how to restore, lines to write
                           the password by hand. --with-secrets adds every account's
                           QR code, key and recovery codes (asks first, as a plain
                           export; --yes does not ask). Never replaces a file.
  restore FILE [--backup-password-file FILE]
                           Add the accounts of a backup that the vault does not hold
                           yet. The backup opens with the vault password unless
                           --backup-password-file is given. With no vault in DIR, a
                           new vault is created with the backup's password.
  recover FILE             For a vault that no longer opens: move its folder aside as
                           DIR.damaged-<time> (nothing is deleted) and make a new vault
                           from the backup FILE, with the backup's password; the backups
                           and settings move into the new folder. Asks the backup's
                           password (or --password-file).
  sync join FOLDER [--name NAME]
                           Sync this vault through FOLDER, a folder a sync engine
                           (Syncthing, Nextcloud, Dropbox...) or a USB stick carries
                           between computers; NAME is what the others call this
                           computer (default: its host name). With no vault here, build
                           this computer's copy from the vault in FOLDER (its password
                           is asked, or --password-file). A FOLDER holding another
                           vault is refused: two vaults are never merged.
  sync join URL --webdav-user USER [--webdav-password-file FILE] [--name NAME]
                           The same through a folder on a WebDAV server (Nextcloud,
                           ownCloud, Apache, rclone), URL https:// (plain http:// only
                           to this computer); created if missing. Its password is the
                           first line of FILE, or asked on the terminal; it is kept in
                           the vault, sealed, so sync now needs only the vault's.
  sync now                 Write this computer's changes to the sync folder and merge
                           every other computer's; prints what changed, by account.
  sync status              The sync folder, this computer's name and the others, with
                           when each last wrote, and the last sync's problems (no
                           password).
  sync leave               Stop syncing; the vault here stays whole.
  sync remove DEVICE       Stop merging what the computer DEVICE (a name or the start
                           of its id, from sync status) writes: for a lost computer.
                           It keeps what it had; change the password (passwd) so it
                           cannot read what is written from now on.
  sync new-password [--new-password-file FILE]
                           Take the password changed on another computer: this copy
                           (opened with its current password) moves to the new key
                           and opens with the new password only.
  linked add FOLDER [--name NAME] [--import-password-file FILE]
                           Link FOLDER, where a phone's authenticator (Aegis, 2FAS,
                           Ente, Proton...) drops automatic backups that a sync client
                           carries here: its newest backup that reads is shown as a
                           read-only group. NAME defaults to the format's (Aegis).
                           An encrypted backup's password is the first line of FILE, or
                           asked on the terminal; it is kept in the vault, sealed.
                           Links are per computer (not synced); Ringlet never writes
                           into FOLDER.
  linked list              Each linked folder, the backup in use (newer files skipped,
                           and why) and its accounts.
  linked rename NAME NEW-NAME
                           Call the linked folder NAME by NEW-NAME.
  linked remove NAME       Forget the linked folder NAME and its password (the folder
                           is left as it is).
  linked copy QUERY        Copy the one linked account QUERY names into the vault, as
                           its own.
  clock                    This computer's clock as codes need it: whether the app
                           checks it with a time server, which server, and the offset
                           every time-based code here is corrected by (kept beside the
                           vault, sealed; never synced).
  clock check              Ask the time server now (SNTP, UDP port 123) and print how far
                           this computer's clock is off.
  clock correct            Ask it, and correct every code here by what it says until the
                           clock is right (each later check keeps the offset up to date
                           and removes it once the clock is right).
  clock offset SECONDS|off
                           Correct every code here by SECONDS: positive when the clock
                           is behind, at most a day either way; for a clock that cannot
                           be set right. off removes it. Setting the clock itself later
                           takes what it moved off the offset.
  clock calibrate QUERY CODE [--yes]
                           Find the offset offline from CODE, the code another device
                           (your phone) shows right now for the account QUERY names:
                           within 15 minutes of this clock, to within half a period.
                           Asked before it is used (--yes does not ask).
  clock auto on|off        Let the app ask the time server at unlock and every few hours
                           (off until you say yes: it touches the network).
  clock server HOST[:PORT]|default
                           The time server (default pool.ntp.org).

Options:
  --vault DIR              The vault folder. Default: $RINGLET_VAULT, else the desktop
                           app's data folder.
  --password-file FILE     Read the password from the first line of FILE. Without it the
                           password is asked on the terminal (not echoed), or read from
                           the first line of standard input when that is not a terminal.
  -h, --help               Print this help.
  -V, --version            Print ringlet-cli's version.

Exit status: 0 done, 1 bad input or usage, 2 wrong password, 3 vault (or backup)
damaged or unreadable, 4 vault in use by another Ringlet process.
";
