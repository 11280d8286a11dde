//! Ringlet's core: everything that does not need a window.
//!
//! Data flows one way: image bytes ([`qr`]) → decoded text → parsed [`model::Account`]
//! ([`otpauth`], or a format of [`import`]) → sealed record in the [`vault`] → code computed by [`otp`].
//! A module that parses does not store; a module that stores does not parse.

pub mod clock;
pub mod draft;
pub mod edit;
pub mod export;
pub mod hotp;
pub mod icons;
pub mod import;
pub mod keyring;
pub mod linked;
pub mod model;
pub mod order;
pub mod otp;
pub mod otpauth;
pub mod pace;
pub mod paths;
pub mod preferences;
pub mod qr;
pub mod recovery_codes;
pub mod reveal;
pub mod revision;
pub mod search;
pub mod settings;
pub mod sync;
pub mod usage;
pub mod vault;
pub mod window_place;

pub use model::{Account, AccountId, Algorithm, Entry, OtpKind, OtpParams, Secret};
