//! The IPC commands, one module per domain. Each is thin: it takes the state, calls the
//! core and maps the result to a [`crate::dto`] type or an [`crate::error::AppError`].

pub mod accounts;
pub mod backup_safety;
pub mod backups;
pub mod clock;
pub mod export;
pub mod import;
pub mod linked;
pub mod organize;
pub mod preferences;
pub mod recovery;
pub mod screen;
pub mod settings;
pub mod sync;
pub mod vault;
pub mod window;
