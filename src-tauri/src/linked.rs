//! Linked folders in the background (`ringlet_core::linked`): while the vault is unlocked,
//! a task looks at each linked folder every few seconds, by its files' names, sizes and
//! times (polling, as sync does: it works on network shares too), and reads it again when
//! they changed and have settled. What a new backup added, removed or changed, or why a
//! newer file was skipped, is told to the window (`linked-changed`), which shows it and
//! updates its groups.

use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use ringlet_core::linked::{folder::SETTLE, LinkedGroup};
use ringlet_core::otp;

use crate::error::AppError;
use crate::events;
use crate::state::{AppState, Session};

/// How often the folders are looked at.
const LOOK_EVERY: Duration = Duration::from_secs(3);

/// What the window is told when a linked folder's reading changed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkedChanged {
    pub name: String,
    /// "1 added (GitHub (alice)); 1 removed (Mail)", or empty when only `skipped` is news.
    pub summary: String,
    /// Why newer files were not used, one sentence each.
    pub skipped: Vec<String>,
}

/// Starts the background task (once, at start-up).
pub fn start<R: Runtime>(app: AppHandle<R>) {
    crate::sync::look_every(app, LOOK_EVERY, look);
}

/// The open session's groups, read from `linked.json` the first time.
pub fn groups(session: &mut Session) -> Result<&mut Vec<LinkedGroup>, AppError> {
    if session.linked.is_none() {
        session.linked = Some(LinkedGroup::load_all(
            &session.vault,
            Some(settled_before()),
        )?);
    }
    Ok(session.linked.get_or_insert_with(Vec::new))
}

/// Files changed after this (Unix milliseconds) are still settling.
fn settled_before() -> u64 {
    otp::now_ms().saturating_sub(u64::try_from(SETTLE.as_millis()).unwrap_or(u64::MAX))
}

fn look<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    if !state.is_unlocked() {
        return;
    }
    let news = state.with_session(|session| {
        let vault = &session.vault;
        let Some(groups) = session.linked.as_mut() else {
            return Ok(Vec::new());
        };
        let mut news = Vec::new();
        for group in groups.iter_mut() {
            let skipped_before: Vec<String> =
                group.skipped.iter().map(ToString::to_string).collect();
            if let Some(update) = group.poll(vault, Some(settled_before())) {
                let skipped_news = update.skipped != skipped_before && !update.skipped.is_empty();
                if !update.diff.is_empty() || skipped_news {
                    news.push(LinkedChanged {
                        name: update.name,
                        summary: if update.diff.is_empty() {
                            String::new()
                        } else {
                            update.diff.summary()
                        },
                        skipped: update.skipped,
                    });
                }
            }
        }
        Ok(news)
    });
    for change in news.unwrap_or_default() {
        let _ = app.emit(events::LINKED_CHANGED, change);
    }
}
