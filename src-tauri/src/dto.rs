//! What the UI may see. Nothing here carries a secret or a key: labels, codes and timings.

use serde::Serialize;

use ringlet_core::import::ImportPlan;
use ringlet_core::model::display_label;
use ringlet_core::{otp, Entry, OtpKind};

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
    /// Unix milliseconds when `code` stops being valid; `None` for HOTP.
    pub expires_at: Option<u64>,
}

impl AccountView {
    /// The view of `entry` at `unix_time`. `hotp_counter` is the counter of the HOTP code
    /// to show, when one was generated in this session.
    pub fn new(entry: &Entry, unix_time: u64, hotp_counter: Option<u64>) -> Result<Self, AppError> {
        let otp_params = &entry.account.otp;
        let (code, expires_at) = match otp_params.kind {
            OtpKind::Totp { period } | OtpKind::Steam { period } => {
                let code = otp::generate(otp_params, unix_time)?;
                let period = u64::from(period);
                let expires = (unix_time / period + 1) * period;
                (Some(code), Some(expires.saturating_mul(1000)))
            }
            OtpKind::Hotp { .. } => match hotp_counter {
                Some(counter) => {
                    let mut at_counter = otp_params.clone();
                    at_counter.kind = OtpKind::Hotp { counter };
                    (Some(otp::generate(&at_counter, unix_time)?), None)
                }
                None => (None, None),
            },
        };
        Ok(AccountView {
            id: entry.id.to_string(),
            issuer: display_label(&entry.account.issuer),
            account: display_label(&entry.account.name),
            kind: otp_params.kind.name(),
            algorithm: otp_params.algorithm.as_str(),
            digits: otp_params.digits,
            period: otp_params.kind.period(),
            counter: otp_params.kind.counter(),
            code,
            expires_at,
        })
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
