//! What the UI may see. Nothing here carries a secret or a key: labels, codes and timings.

use serde::Serialize;

use ringlet_core::clock::{words, CodeClock};
use ringlet_core::import::ImportPlan;
use ringlet_core::model::{display_label, RecoveryCodes};
use ringlet_core::{otp, Account, Entry, OtpKind};

use crate::error::AppError;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultStatus {
    /// `missing`, `locked`, `unlocked`, or `damaged` (a vault's files without the header
    /// that opens them: recovery is offered, never a new vault).
    pub state: &'static str,
    pub path: String,
    /// The vault has a keyring slot: the unlock screen offers quick unlock.
    pub quick_unlock: bool,
}

/// Settings → Quick unlock.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuickUnlockStatus {
    pub enabled: bool,
    /// Where the key is, so the person can find it in their keyring manager.
    pub keyring_entry: Option<String>,
    /// Something to tell after turning it off (the key could not be removed).
    pub note: Option<String>,
}

/// One row of the account list.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub issuer: String,
    pub account: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub algorithm: &'static str,
    pub digits: u8,
    pub period: Option<u32>,
    pub counter: Option<u64>,
    /// `None` for an HOTP account whose code was not generated in this session.
    pub code: Option<String>,
    /// Unix milliseconds when `code` stops being valid, on this computer's clock (what the
    /// window counts down with), corrected codes included; `None` for HOTP.
    pub expires_at: Option<u64>,
    /// The code of the next period (TOTP, Steam): shown beside `code` in its last seconds,
    /// copied with Shift+Enter. `None` for HOTP.
    pub next_code: Option<String>,
    /// Tags, each cleaned as a label is (filter chips, the edit dialog).
    pub tags: Vec<String>,
    /// The person's note (the edit dialog; search already reads it).
    pub note: String,
    /// Shown above the others (the core's order).
    pub pinned: bool,
    /// Recovery codes not used yet, and how many there are: counts only, never the codes
    /// (those cross only while the account's recovery view is open).
    pub recovery_left: usize,
    pub recovery_total: usize,
    /// The picture beside the account (`core::icons::shown`).
    pub icon: IconView,
    /// An account of a linked folder (`core::linked`): read-only, shown in its group.
    pub linked: bool,
    /// Seconds added to the clock for this account alone (its service's clock is off).
    pub time_offset: i32,
    /// It in words for the row (`+20 s`); `None` when there is none.
    pub time_offset_said: Option<String>,
}

/// An account's picture as the row draws it: an image from a `data:` address (a bundled
/// SVG or the person's PNG, shown through `<img>`, never as markup), or a letter on a hue.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IconView {
    /// What is shown: `bundled`, `image`, `letter` or `none`.
    pub kind: &'static str,
    /// What the person chose: `auto` (the issuer's match), `bundled`, `image`, `letter` or
    /// `none` (the edit dialog's choice).
    pub choice: &'static str,
    /// The bundled icon's name.
    pub name: Option<&'static str>,
    /// `data:image/svg+xml;base64,…` or `data:image/png;base64,…`.
    pub src: Option<String>,
    /// The letter avatar's letter and hue (0–359), also for the edit dialog's preview.
    pub letter: String,
    pub hue: u16,
}

impl IconView {
    pub fn of(account: &ringlet_core::Account) -> IconView {
        use ringlet_core::icons::{self, Shown};
        use ringlet_core::model::Icon;
        let avatar = icons::avatar(
            &display_label(&account.issuer),
            &display_label(&account.name),
        );
        let choice = match &account.icon {
            None => "auto",
            Some(Icon::Bundled { .. }) => "bundled",
            Some(Icon::Image { .. }) => "image",
            Some(Icon::Letter | Icon::Custom { .. }) => "letter",
            Some(Icon::None) => "none",
        };
        let shown = icons::shown(account);
        let (kind, name) = match &shown {
            Shown::Bundled(icon) => ("bundled", Some(icon.name)),
            Shown::Image(_) => ("image", None),
            Shown::Letter(_) => ("letter", None),
            Shown::None => ("none", None),
        };
        let src = shown.data_url();
        IconView {
            kind,
            choice,
            name,
            src,
            letter: avatar.letter,
            hue: avatar.hue,
        }
    }
}

impl AccountView {
    /// The view of `entry` on `clock` (this computer's clock, corrected by the machine's
    /// and the account's offsets). `hotp_counter` is the counter of the HOTP code to show,
    /// when one was generated in this session.
    pub fn new(
        entry: &Entry,
        clock: &CodeClock,
        hotp_counter: Option<u64>,
    ) -> Result<Self, AppError> {
        Self::of_account(entry.id.to_string(), &entry.account, clock, hotp_counter)
    }

    /// The view of `account`, known to the window as `id` (a vault's account id, or a
    /// linked account's `linked:…`).
    pub fn of_account(
        id: String,
        account: &Account,
        clock: &CodeClock,
        hotp_counter: Option<u64>,
    ) -> Result<Self, AppError> {
        let otp_params = &account.otp;
        let (code, expires_at, next_code) = match otp_params.kind {
            OtpKind::Totp { period } | OtpKind::Steam { period } => {
                let moment = clock.for_account(account);
                let code = otp::generate(otp_params, moment.unix)?;
                let next = otp::generate(otp_params, moment.next_period(period))?;
                (Some(code), Some(moment.expires_ms(period)), Some(next))
            }
            OtpKind::Hotp { .. } => match hotp_counter {
                Some(counter) => {
                    let mut at_counter = otp_params.clone();
                    at_counter.kind = OtpKind::Hotp { counter };
                    (Some(otp::generate(&at_counter, 0)?), None, None)
                }
                None => (None, None, None),
            },
        };
        Ok(AccountView {
            id,
            issuer: display_label(&account.issuer),
            account: display_label(&account.name),
            kind: otp_params.kind.name(),
            algorithm: otp_params.algorithm.as_str(),
            digits: otp_params.digits,
            period: otp_params.kind.period(),
            counter: otp_params.kind.counter(),
            code,
            expires_at,
            next_code,
            tags: account.tags.iter().map(|tag| display_label(tag)).collect(),
            note: account.note.clone(),
            pinned: account.pinned,
            recovery_left: 0,
            recovery_total: 0,
            icon: IconView::of(account),
            linked: false,
            time_offset: account.time_offset,
            time_offset_said: (account.time_offset != 0)
                .then(|| words::signed(i64::from(account.time_offset))),
        })
    }

    /// The view with the account's recovery codes counted: `(left, total)`.
    pub fn with_recovery(self, (left, total): (usize, usize)) -> Self {
        AccountView {
            recovery_left: left,
            recovery_total: total,
            ..self
        }
    }
}

/// An account's recovery codes, for its recovery view only (open while the view is).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryCodesView {
    pub codes: Vec<RecoveryCodeView>,
    pub left: usize,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct RecoveryCodeView {
    pub code: String,
    pub used: bool,
}

impl RecoveryCodesView {
    pub fn of(codes: &RecoveryCodes) -> Self {
        RecoveryCodesView {
            codes: codes
                .codes
                .iter()
                .map(|code| RecoveryCodeView {
                    code: code.code.clone(),
                    used: code.used,
                })
                .collect(),
            left: codes.left(),
            total: codes.codes.len(),
        }
    }
}

/// Codes read from pasted text, to confirm before they are saved.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParsedCodes {
    /// As written, each once, in order.
    pub codes: Vec<String>,
    /// How many of them the account already keeps (adding them again changes nothing).
    pub known: usize,
}

/// One account in the trash (Settings → Trash).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrashedView {
    pub id: String,
    pub issuer: String,
    pub account: String,
    /// Days before it goes for good, the day begun counted (30 just after deleting).
    pub days_left: u64,
}

impl TrashedView {
    pub fn of(entry: &Entry, now_ms: u64) -> Self {
        TrashedView {
            id: entry.id.to_string(),
            issuer: display_label(&entry.account.issuer),
            account: display_label(&entry.account.name),
            days_left: ringlet_core::vault::Vault::trash_days_left(entry, now_ms),
        }
    }
}

/// Accounts found in images, waiting for confirmation.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub candidates: Vec<Candidate>,
    pub errors: Vec<SourceError>,
    /// Encrypted files waiting for their password (`open_encrypted_import`).
    pub locked: Vec<LockedSource>,
    /// Advice about the whole import, e.g. "2 of 3 export codes imported — add the rest".
    pub notes: Vec<String>,
}

impl ImportPreview {
    /// What the person confirms: labels, kinds and problems of the plan's candidates,
    /// never their secrets. A candidate's id is its place in the plan.
    pub fn of(plan: &ImportPlan) -> Self {
        let candidates = plan
            .candidates()
            .iter()
            .enumerate()
            .map(|(place, candidate)| Candidate {
                id: candidate
                    .account()
                    .map(|_| format!("c{place}"))
                    .unwrap_or_default(),
                issuer: display_label(candidate.issuer()),
                account: display_label(candidate.name()),
                kind: candidate
                    .account()
                    .map(|account| account.otp.kind.name().to_string())
                    .unwrap_or_default(),
                source: candidate.source.clone(),
                duplicate: candidate.duplicate,
                problem: candidate.problem().map(ToString::to_string),
            })
            .collect();
        let unreadable = plan.errors().iter().map(|failed| SourceError {
            source: failed.source.clone(),
            message: failed.error.to_string(),
        });
        let locked = plan
            .needs_password()
            .iter()
            .map(|locked| LockedSource {
                source: locked.source.clone(),
                format: locked.format.to_string(),
            })
            .collect();
        ImportPreview {
            candidates,
            errors: unreadable.collect(),
            locked,
            notes: plan.notes(),
        }
    }
}

/// An encrypted file of an import, waiting for its password: "vault.json", "Aegis backup".
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LockedSource {
    pub source: String,
    pub format: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    /// Refers to the pending account kept in Rust; empty when there is nothing to import.
    pub id: String,
    pub issuer: String,
    pub account: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub source: String,
    pub duplicate: bool,
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceError {
    pub source: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DropHover {
    pub active: bool,
}
