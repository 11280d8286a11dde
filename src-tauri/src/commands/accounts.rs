//! Listing accounts with their current codes, adding, deleting, copying and HOTP.

use tauri::{AppHandle, Manager, Runtime, State};

use ringlet_core::draft::AccountDraft;
use ringlet_core::hotp::{self, HotpError};
use ringlet_core::model::{account_label, display_label};
use ringlet_core::order::{self, SortBy};
use ringlet_core::preferences::Preferences;
use ringlet_core::search::SearchIndex;
use ringlet_core::usage::{self, UsageBook};
use ringlet_core::{otp, otpauth, Account, AccountId};

use crate::clipboard::ClipboardGuard;
use crate::dto::AccountView;
use crate::error::AppError;
use crate::password::Password;
use crate::state::{AppState, Session};

#[tauri::command(async)]
pub fn list_codes<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Vec<AccountView>, AppError> {
    let sort = chosen_sort(&state);
    state.with_session(|session| {
        let clock = session.code_clock();
        let mut entries = session.vault.entries()?;
        order::sort(&mut entries, sort, &UsageBook::load(&session.vault));
        let tallies = session.vault.recovery_tallies()?;
        crate::tray::update(&app, Some(&entries));
        entries
            .iter()
            .map(|entry| {
                let view =
                    AccountView::new(entry, &clock, session.hotp_shown.get(&entry.id).copied())?;
                Ok(view.with_recovery(tallies.get(&entry.id).copied().unwrap_or_default()))
            })
            .collect()
    })
}

/// The order chosen in the app (the preference; the default when the file is unusable).
pub(crate) fn chosen_sort(state: &AppState) -> SortBy {
    Preferences::load(state.vault_dir())
        .map(|preferences| preferences.sort)
        .unwrap_or_default()
}

/// The ids of the accounts that match `query`, best first, by the core's one rule (as
/// `ringlet-cli code QUERY` matches): issuer, name, tags and note, `tag:work` filters.
#[tauri::command(async)]
pub fn search_accounts(state: State<'_, AppState>, query: String) -> Result<Vec<String>, AppError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(AppError::InvalidInput("The search is too long.".into()));
    }
    state.with_session(|session| {
        let index = match session.search_index.take() {
            Some(index) => index,
            None => SearchIndex::of_entries(&session.vault.entries()?),
        };
        let mut found: Vec<String> = index
            .find(&query)
            .into_iter()
            .map(|(id, _)| id.to_string())
            .collect();
        session.search_index = Some(index);
        // Linked folders' accounts after the vault's own.
        found.extend(crate::commands::linked::search(session, &query)?);
        Ok(found)
    })
}

/// Longer than any label: a search box never needs more.
const MAX_QUERY_BYTES: usize = 1024;

#[tauri::command(async)]
pub fn add_account_uri(state: State<'_, AppState>, uri: String) -> Result<AccountView, AppError> {
    state.touch();
    let account = otpauth::parse(&uri)?;
    state.with_session(|session| add(session, &account))
}

#[tauri::command(async)]
pub fn add_account_manual(
    state: State<'_, AppState>,
    entry: AccountDraft,
) -> Result<AccountView, AppError> {
    state.touch();
    let account = entry.into_account()?;
    state.with_session(|session| add(session, &account))
}

/// Moves the account to the trash (kept 30 days; removed for good after).
#[tauri::command(async)]
pub fn delete_account(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    state.touch();
    let id = parse_id(&id)?;
    state.with_session(|session| {
        session.vault.move_to_trash(id)?;
        session.changed();
        session.hotp_shown.remove(&id);
        Ok(())
    })
}

/// Shows the account's secret and QR code (to move it to another device) in a native window,
/// never in the webview, after the password was asked again: an unlocked window left alone
/// must not be enough to copy every account away. Argon2 takes about half a second, hence
/// a worker thread.
#[tauri::command(async)]
pub fn reveal_account<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    password: Password,
) -> Result<(), AppError> {
    state.touch();
    let id = parse_id(&id)?;
    let (label, revealed) = state.password_check(|| {
        state.with_session(|session| {
            session.vault.verify_password(password.as_bytes())?;
            let account = session.vault.get(id)?.account;
            let label = account_label(&account.issuer, &account.name);
            let revealed = ringlet_core::reveal::Revealed::new(&account)
                .map_err(|e| AppError::InvalidInput(e.to_string()))?;
            Ok((display_label(&label), revealed))
        })
    })?;
    crate::reveal::show(&app, label, revealed)
}

/// The code is computed and written to the clipboard here, so copying needs no clipboard
/// permission in the webview. The clipboard is marked as secret where the platform allows,
/// and wiped after the configured delay.
#[tauri::command(async)]
pub fn copy_code<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    next: Option<bool>,
) -> Result<(), AppError> {
    copy_account_code(&app, &id, next.unwrap_or(false))
}

/// Copies the current code of account `id` (a row, the picker, the tray's pinned entries),
/// or with `next` the code of the next period (Shift+Enter, in a period's last seconds).
pub(crate) fn copy_account_code<R: Runtime>(
    app: &AppHandle<R>,
    id: &str,
    next: bool,
) -> Result<(), AppError> {
    let state = app.state::<AppState>();
    state.touch();
    if id.starts_with("linked:") {
        let code =
            state.with_session(|session| crate::commands::linked::code_of(session, id, next))?;
        return app
            .state::<ClipboardGuard>()
            .copy(app, code, state.clipboard_clear_after());
    }
    let id = parse_id(id)?;
    let view = state.with_session(|session| view_of(session, id))?;
    let code = if next { view.next_code } else { view.code }
        .ok_or_else(|| AppError::InvalidInput("Generate a code for this account first.".into()))?;
    app.state::<ClipboardGuard>()
        .copy(app, code, state.clipboard_clear_after())?;
    record_use(&state, id);
    Ok(())
}

/// One more use of account `id` for "most used" and "recently used" (`core::usage`): a
/// code copied or typed. A book that cannot be written costs only the order, never the
/// copy, so the failure is logged.
pub(crate) fn record_use(state: &AppState, id: AccountId) {
    let recorded = state.with_session(|session| {
        usage::record_use(&session.vault, id, otp::now_ms())
            .map_err(|error| AppError::File(error.to_string()))
    });
    if let Err(error) = recorded {
        eprintln!("ringlet: the use of an account was not recorded: {error}");
    }
}

/// Generates the next HOTP code: the counter is advanced and flushed before the code is shown,
/// so a code is never shown twice for two different counters.
#[tauri::command(async)]
pub fn next_hotp(state: State<'_, AppState>, id: String) -> Result<AccountView, AppError> {
    state.touch();
    let id = parse_id(&id)?;
    state.with_session(|session| {
        let shown = hotp::advance_then_show(&session.vault, id).map_err(|error| match error {
            HotpError::Vault(error) => AppError::from(error),
            HotpError::Otp(error) => AppError::from(error),
            other => AppError::InvalidInput(other.to_string()),
        })?;
        session.changed();
        session.hotp_shown.insert(id, shown.counter);
        let view = AccountView::new(&shown.entry, &session.code_clock(), Some(shown.counter))?;
        Ok(view.with_recovery(recovery_tally(session, id)?))
    })
}

pub(crate) fn add(session: &mut Session, account: &Account) -> Result<AccountView, AppError> {
    let id = session.vault.add(account)?;
    session.changed();
    view_of(session, id)
}

/// The row of the account `id` as the list shows it (its codes on the corrected clock), its
/// recovery codes counted.
pub(crate) fn view_of(session: &Session, id: AccountId) -> Result<AccountView, AppError> {
    let entry = session.vault.get(id)?;
    let view = AccountView::new(
        &entry,
        &session.code_clock(),
        session.hotp_shown.get(&id).copied(),
    )?;
    Ok(view.with_recovery(recovery_tally(session, id)?))
}

/// `(left, total)` of the account's recovery codes.
fn recovery_tally(session: &Session, id: AccountId) -> Result<(usize, usize), AppError> {
    let codes = session.vault.recovery_codes(id)?;
    Ok((codes.left(), codes.codes.len()))
}

pub(crate) fn parse_id(id: &str) -> Result<AccountId, AppError> {
    id.parse()
        .map_err(|_| AppError::InvalidInput("That account does not exist.".into()))
}
