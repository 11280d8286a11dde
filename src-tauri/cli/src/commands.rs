//! One function per command. Each reads its input, asks for the password only once it
//! knows a vault is there, and writes results on standard output and notes on standard
//! error. Secrets never reach either (except `decode-qr`, whose job is to print QR texts).

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use ringlet_core::clock::CodeClock;
use ringlet_core::hotp::{self, HotpError};
use ringlet_core::import::ImportPlan;
use ringlet_core::order::{self, SortBy};
use ringlet_core::preferences::Preferences;
use ringlet_core::search::{self, Rank};
use ringlet_core::usage::UsageBook;
use ringlet_core::vault::Vault;
use ringlet_core::{otp, paths, qr, Entry, OtpKind};
use zeroize::Zeroizing;

use crate::args::{Cli, Command, UriSource};
use crate::error::CliError;
use crate::import;
use crate::output;
use crate::password::{self, Purpose};
use crate::safety;
use crate::usage::USAGE;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    let Cli {
        vault,
        password_file,
        command,
    } = cli;
    // Only the commands that use a vault resolve its folder.
    let context = move || -> Result<Context, CliError> {
        Ok(Context {
            dir: vault_dir(vault)?,
            password_file,
        })
    };
    match command {
        Command::Help => print(USAGE),
        Command::Version => print(&format!("ringlet-cli {}\n", env!("CARGO_PKG_VERSION"))),
        Command::DecodeQr { images } => decode_qr(&images),
        Command::Formats => print(&format!(
            "{}{}",
            import::formats(),
            crate::export::written()
        )),
        Command::Export(export) => {
            let context = context()?;
            crate::export::run(&context.dir, &export, || context.open())
        }
        Command::Passwd {
            new_password_file,
            allow_short_password,
        } => {
            let context = context()?;
            let password_file = context.password_file.as_deref();
            let new = Purpose::Create {
                allow_short: allow_short_password,
            };
            safety::passwd(
                &context.dir,
                password_file,
                new_password_file.as_deref(),
                new,
            )
        }
        Command::Edit { query, changes } => {
            let context = context()?;
            crate::organize::edit(&context.open()?, &context.dir, &query, &changes)
        }
        Command::Remove { query, yes } => {
            let context = context()?;
            crate::organize::remove(&context.open()?, &context.dir, &query, yes)
        }
        Command::TrashList => {
            let context = context()?;
            crate::organize::list(&context.open()?, &context.dir)
        }
        Command::TrashRestore { query } => {
            let context = context()?;
            crate::organize::restore(&context.open()?, &context.dir, &query)
        }
        Command::TrashEmpty { yes } => {
            let context = context()?;
            crate::organize::empty(&context.open()?, &context.dir, yes)
        }
        Command::Recovery { query, action } => {
            let context = context()?;
            let vault = context.open()?;
            crate::recovery::run(&vault, &context.dir, &query, &action)
        }
        Command::Settings { assignments } => {
            let context = context()?;
            let vault = context.open()?;
            crate::settings::run(&context.dir, &vault, &assignments)
        }
        Command::BackupCreate => {
            let context = context()?;
            safety::create(&context.dir, context.password_file.as_deref())
        }
        Command::BackupList => safety::list(&context()?.dir),
        Command::BackupFolder { folder } => {
            let context = context()?;
            let vault = context.open()?;
            crate::backups::folder(&context.dir, &vault, folder.as_deref())
        }
        Command::BackupReminder { on } => {
            let context = context()?;
            let vault = context.open()?;
            crate::backups::reminder(&vault, on)
        }
        Command::BackupKit {
            output,
            with_secrets,
            yes,
        } => {
            let context = context()?;
            crate::backups::kit(&context.dir, &output, with_secrets, yes, || context.open())
        }
        Command::Clock(action) => crate::clock::run(&context()?.open()?, &action),
        Command::Sync(action) => {
            let context = context()?;
            crate::sync::run(
                &context.dir,
                context.password_file.as_deref(),
                &action,
                || context.open(),
            )
        }
        Command::Linked(action) => {
            let context = context()?;
            crate::linked::run(&context.dir, &action, || context.open())
        }
        Command::Restore {
            file,
            backup_password_file,
        } => {
            let context = context()?;
            let password_file = context.password_file.as_deref();
            safety::restore(
                &context.dir,
                password_file,
                &file,
                backup_password_file.as_deref(),
            )
        }
        Command::Recover { file } => {
            let context = context()?;
            safety::recover(&context.dir, context.password_file.as_deref(), &file)
        }
        Command::Init {
            allow_short_password,
        } => init(&context()?, allow_short_password),
        Command::Add { uri } => add(&context()?, &uri),
        Command::Import {
            files,
            format,
            import_password_file,
        } => import(
            &context()?,
            &files,
            format.as_deref(),
            import_password_file.as_deref(),
        ),
        Command::List { json, sort } => list(&context()?, json, sort),
        Command::Code { query, at } => code(&context()?, &query, at),
    }
}

/// Where the vault is and how to get its password.
struct Context {
    dir: PathBuf,
    password_file: Option<PathBuf>,
}

impl Context {
    /// Opens the vault, asking for the password only if there is a vault to open.
    fn open(&self) -> Result<Vault, CliError> {
        // A folder with a vault's files but no header is reported damaged by `open`.
        if !Vault::has_vault_files(&self.dir) {
            return Err(CliError::NoVault(self.dir.clone()));
        }
        let password = password::obtain(self.password_file.as_deref(), Purpose::Open)?;
        let vault = Vault::open(&self.dir, &password);
        drop(password); // wiped here
        vault.map_err(|error| self.vault_error(error))
    }

    fn vault_error(&self, error: ringlet_core::vault::VaultError) -> CliError {
        CliError::from_vault(error, &self.dir)
    }
}

/// `--vault`, else `$RINGLET_VAULT`, else the desktop app's data folder.
fn vault_dir(option: Option<PathBuf>) -> Result<PathBuf, CliError> {
    option.or_else(paths::default_vault_dir).ok_or_else(|| {
        CliError::Input(
            "Cannot tell where the vault is: no home folder is known. Pass --vault DIR or set RINGLET_VAULT."
                .to_owned(),
        )
    })
}

fn init(context: &Context, allow_short: bool) -> Result<(), CliError> {
    if Vault::exists(&context.dir) {
        return Err(CliError::VaultExists(context.dir.clone()));
    }
    let password = password::obtain(
        context.password_file.as_deref(),
        Purpose::Create { allow_short },
    )?;
    let vault = Vault::create(&context.dir, &password);
    drop(password);
    let vault = vault.map_err(|error| context.vault_error(error))?;
    drop(vault);
    print(&format!("Created a vault at {}.\n", context.dir.display()))
}

fn add(context: &Context, source: &UriSource) -> Result<(), CliError> {
    let text = read_link(context, source)?;
    let account = import::account_from_text(text.trim())
        .map_err(|problem| CliError::Input(format!("Cannot add this account: {problem}.")))?;
    let vault = context.open()?;
    let entries = vault
        .entries()
        .map_err(|error| context.vault_error(error))?;
    if let Some(twin) = entries.iter().find(|entry| entry.account.same_as(&account)) {
        note(&format!(
            "note: the vault already holds an account with the same key: {} ({}). Added anyway.",
            output::label(&twin.account),
            twin.id
        ));
    }
    let id = vault
        .add(&account)
        .map_err(|error| context.vault_error(error))?;
    print(&format!("{id}\n"))
}

/// Most of a file or of standard input `add` reads for its link (far above any link).
const MAX_LINK_BYTES: u64 = 1024 * 1024;

/// The link `add` is given: from standard input (not echoed on a terminal), from the first
/// line of a file, or from the command line, with a warning (other users see arguments in
/// the process list, and the shell keeps them in its history).
fn read_link(context: &Context, source: &UriSource) -> Result<Zeroizing<String>, CliError> {
    let first_line = |text: &str| {
        Zeroizing::new(
            text.lines()
                .map(str::trim)
                .find(|line| !line.is_empty())
                .unwrap_or("")
                .to_owned(),
        )
    };
    match source {
        UriSource::Argument(uri) => {
            note(
                "warning: a link given as an argument can be read by other users of this computer (in the process list) and stays in your shell's history; use `add -` or `add --uri-file FILE` instead.",
            );
            Ok(Zeroizing::new(uri.clone()))
        }
        UriSource::File(path) => {
            let unreadable = |error: io::Error| {
                CliError::Input(format!("Cannot read {}: {error}", path.display()))
            };
            let mut text = Zeroizing::new(String::new());
            std::fs::File::open(path)
                .map_err(unreadable)?
                .take(MAX_LINK_BYTES)
                .read_to_string(&mut text)
                .map_err(unreadable)?;
            Ok(first_line(&text))
        }
        UriSource::Stdin if io::stdin().is_terminal() => {
            let answer = rpassword::prompt_password("otpauth:// link (not shown): ")
                .map_err(|error| CliError::Input(format!("Cannot read the link: {error}")))?;
            Ok(Zeroizing::new(answer))
        }
        UriSource::Stdin => {
            if context.password_file.is_none() {
                return Err(CliError::Usage(
                    "`add -` reads the link from standard input: give the password with --password-file FILE."
                        .to_owned(),
                ));
            }
            let mut text = Zeroizing::new(String::new());
            io::stdin()
                .take(MAX_LINK_BYTES)
                .read_to_string(&mut text)
                .map_err(|error| {
                    CliError::Input(format!("Cannot read the link from standard input: {error}"))
                })?;
            Ok(first_line(&text))
        }
    }
}

fn import(
    context: &Context,
    files: &[PathBuf],
    format: Option<&str>,
    import_password_file: Option<&Path>,
) -> Result<(), CliError> {
    // Read first: a password file that cannot be read stops before the vault is opened.
    let import_password = import_password_file.map(password::from_file).transpose()?;
    let vault = context.open()?;
    let mut plan = ImportPlan::for_vault(&vault).map_err(|error| context.vault_error(error))?;
    let mut problems = 0usize;
    for file in files {
        let source = file.display().to_string();
        plan.add_source(
            &source,
            import::open(file, format, import_password.as_deref().map(Vec::as_slice))?,
        );
        let found = import::problems(&plan, &source);
        for problem in &found {
            note(&format!("{source}: {problem}"));
        }
        problems += found.len();
    }
    let report = plan
        .commit_new(&vault)
        .map_err(|error| context.vault_error(error))?;
    let added = report.added.len();
    let mut summary = format!(
        "Imported {added} account{}.\n",
        if added == 1 { "" } else { "s" }
    );
    if report.skipped > 0 {
        summary.push_str(&format!(
            "{} already in the vault, skipped.\n",
            report.skipped
        ));
    }
    // Google Authenticator exports of several QR codes: say which codes are missing.
    for missing in plan.notes() {
        summary.push_str(&missing);
        summary.push('\n');
    }
    print(&summary)?;
    if added == 0 && problems > 0 {
        return Err(CliError::Input(format!(
            "Nothing was imported ({problems} problem{} above).",
            if problems == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// The accounts in the order asked for, or else the order chosen in the app (pinned first
/// either way: the core's `order::sort`, with this computer's record of use).
fn list(context: &Context, json: bool, sort: Option<SortBy>) -> Result<(), CliError> {
    let vault = context.open()?;
    let mut entries = vault
        .entries()
        .map_err(|error| context.vault_error(error))?;
    let sort = sort.unwrap_or_else(|| {
        Preferences::load(&context.dir)
            .map(|preferences| preferences.sort)
            .unwrap_or_default()
    });
    order::sort(&mut entries, sort, &UsageBook::load(&vault));
    if json {
        // One pass over the recovery records, as the app's list reads them.
        let tallies = vault
            .recovery_tallies()
            .map_err(|error| context.vault_error(error))?;
        let recovery_left: Vec<usize> = entries
            .iter()
            .map(|entry| tallies.get(&entry.id).map_or(0, |(left, _)| *left))
            .collect();
        print(&output::list_json(&entries, &recovery_left))
    } else {
        print(&output::table(&entries))
    }
}

fn code(context: &Context, query: &str, at: Option<u64>) -> Result<(), CliError> {
    let vault = context.open()?;
    let entries = vault
        .entries()
        .map_err(|error| context.vault_error(error))?;
    // The vault's own accounts first; linked folders' when none of those match.
    if search::search_entries(query, &entries).is_empty() {
        let groups = ringlet_core::linked::LinkedGroup::load_all(&vault, None).unwrap_or_default();
        if let Some((group, account)) = crate::linked::find_linked(&groups, query)? {
            crate::linked::check_can_show(&group, &account)?;
            let time = at.unwrap_or_else(otp::now);
            let code = otp::generate(&account.otp, time).map_err(|error| {
                CliError::Input(format!(
                    "Cannot compute a code for {}: {error}",
                    output::label(&account)
                ))
            })?;
            return print(&format!("{code}\n"));
        }
    }
    let entry = find_one(entries, query)?;
    let account = &entry.account;
    let cannot = |error: otp::OtpError| {
        CliError::Input(format!(
            "Cannot compute a code for {}: {error}",
            output::label(account)
        ))
    };

    if matches!(account.otp.kind, OtpKind::Hotp { .. }) {
        let shown = hotp::advance_then_show(&vault, entry.id).map_err(|error| match error {
            HotpError::Otp(error) => cannot(error),
            HotpError::Vault(error) => context.vault_error(error),
            HotpError::CounterExhausted => CliError::Input(format!(
                "The counter of {} cannot go any higher.",
                output::label(account)
            )),
            HotpError::NotHotp => CliError::Input(HotpError::NotHotp.to_string()),
        })?;
        if at.is_some() {
            note("note: --at does not apply to HOTP accounts; used the stored counter.");
        }
        return print(&format!("{}\n", shown.code));
    }

    // This computer's clock corrected as the app corrects it; a moment given with --at is
    // taken as the true time, so only the account's own offset applies to it.
    let clock = match at {
        Some(at) => CodeClock::at(at.saturating_mul(1000), 0),
        None => CodeClock::now(&crate::clock::load(&vault)),
    };
    let time = clock.for_account(account).unix;
    let code = otp::generate(&account.otp, time).map_err(cannot)?;
    print(&format!("{code}\n"))?;
    if let Some(corrected) = crate::clock::corrected_note(&clock, account, at.is_some()) {
        note(&corrected);
    }
    if at.is_none() && io::stderr().is_terminal() {
        if let Some(period) = account.otp.kind.period() {
            let left = otp::seconds_remaining(period, time);
            note(&format!(
                "(valid for {left} more second{})",
                if left == 1 { "" } else { "s" }
            ));
        }
    }
    Ok(())
}

/// The one account `query` names ([`search`], as the app's search box matches): the only
/// match, or the only one with a field (issuer, name, a tag, the note) that is the whole
/// query.
pub(crate) fn find_one(entries: Vec<Entry>, query: &str) -> Result<Entry, CliError> {
    let found = search::search_entries(query, &entries);
    let chosen = one_of(&found, query, "accounts", |place| {
        output::label(&entries[place].account)
    })?
    .ok_or_else(|| {
        CliError::Input(format!(
            "No account matches \"{}\".",
            output::printable(query)
        ))
    })?;
    entries
        .into_iter()
        .nth(chosen)
        .ok_or_else(|| CliError::Input("The account is gone.".to_owned()))
}

/// The one place of a search's `found` that `query` names: the only match, or the only
/// exact one (`None`: no match). Several are an error naming them (`label` of each place),
/// as `what` ("accounts", "linked accounts").
pub(crate) fn one_of(
    found: &[(usize, Rank)],
    query: &str,
    what: &str,
    label: impl Fn(usize) -> String,
) -> Result<Option<usize>, CliError> {
    let exact: Vec<usize> = found
        .iter()
        .filter(|(_, rank)| *rank == Rank::Exact)
        .map(|(place, _)| *place)
        .collect();
    match (found, exact.as_slice()) {
        ([], _) => Ok(None),
        ([(only, _)], _) | (_, [only]) => Ok(Some(*only)),
        _ => {
            let mut places: Vec<usize> = found.iter().map(|(place, _)| *place).collect();
            places.sort_unstable();
            let names: Vec<String> = places.into_iter().map(label).collect();
            Err(CliError::Input(format!(
                "Several {what} match \"{}\": {}. Be more specific.",
                output::printable(query),
                names.join(", ")
            )))
        }
    }
}

fn decode_qr(images: &[PathBuf]) -> Result<(), CliError> {
    let mut found = 0usize;
    for image in images {
        match qr::decode_file(image) {
            Ok(texts) if texts.is_empty() => {
                note(&format!("{}: no QR code found", image.display()))
            }
            Ok(texts) => {
                found += texts.len();
                // A QR code is anyone's text: on a terminal its control characters could
                // rewrite the screen, so they are escaped there; a pipe gets the exact text.
                let terminal = io::stdout().is_terminal();
                let mut out = String::new();
                for text in texts {
                    out.push_str(&output::for_output(&text, terminal));
                    out.push('\n');
                }
                print(&out)?;
            }
            Err(error) => note(&format!("{}: {error}", image.display())),
        }
    }
    if found == 0 {
        return Err(CliError::Input(match images {
            [one] => format!("No QR code found in {}.", one.display()),
            _ => format!("No QR code found in any of the {} images.", images.len()),
        }));
    }
    Ok(())
}

/// Writes `text` on standard output.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(CliError::Output)
}

/// Writes a line on standard error; a failure to do so is ignored (there is nowhere left
/// to report it).
pub fn note(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}
