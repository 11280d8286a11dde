//! The IPC commands, one module per domain. Each is thin: it takes the state, calls the
//! core and maps the result to a [`crate::dto`] type or an [`crate::error::AppError`].

pub mod accounts;
pub mod import;
pub mod vault;
