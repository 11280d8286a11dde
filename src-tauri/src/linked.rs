//! Linked folders in the background (`ringlet_core::linked`): while the vault is unlocked,
//! a task looks at each linked folder every few seconds, by its files' names, sizes and
//! times (polling, as sync does: it works on network shares too), and reads it again when
//! they changed and have settled. What a new backup added, removed or changed, or why a
//! newer file was skipped, is told to the window (`linked-changed`), which shows it and
//! updates its groups. The folders are read without holding the session, so a backup's key
//! derivation never holds up the window's commands.

use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use ringlet_core::linked::{self, folder, folder::SETTLE, LinkedGroup};
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
    // Under the session: which folders changed, and their passwords (opened with the key).
    let due = state.with_session(|session| {
        let vault = &session.vault;
        let Some(groups) = session.linked.as_ref() else {
            return Ok(Vec::new());
        };
        Ok(groups
            .iter()
            .filter(|group| group.changed())
            .map(|group| {
                let before: Vec<String> = group.skipped.iter().map(ToString::to_string).collect();
                let password = linked::password(vault, &group.link);
                (group.link.clone(), password, before)
            })
            .collect::<Vec<_>>())
    });
    // Read without it: a key derivation (Aegis's scrypt) must not hold up the window.
    let looks: Vec<_> = due
        .unwrap_or_default()
        .into_iter()
        .map(|(link, password, before)| {
            let seen = folder::fingerprint(&link.folder);
            let look = password.and_then(|password| {
                folder::look(
                    &link.folder,
                    password.as_deref().map(Vec::as_slice),
                    Some(settled_before()),
                )
            });
            (link.id, seen, look, before)
        })
        .collect();
    if looks.is_empty() {
        return;
    }
    let news = state.with_session(|session| {
        let Some(groups) = session.linked.as_mut() else {
            return Ok(Vec::new());
        };
        let mut news = Vec::new();
        for (id, seen, look, skipped_before) in looks {
            // Removed meanwhile: its look is dropped.
            let Some(group) = groups.iter_mut().find(|g| g.link.id == id) else {
                continue;
            };
            let update = group.apply(seen, look);
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
        Ok(news)
    });
    for change in news.unwrap_or_default() {
        let _ = app.emit(events::LINKED_CHANGED, change);
    }
}
