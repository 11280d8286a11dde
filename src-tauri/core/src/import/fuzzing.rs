//! `cfg(fuzzing)` only: each encrypted format's reader of what decryption gives, for the
//! `import_*` fuzz targets (the fuzzer cannot forge an AEAD tag, so it would never reach
//! them through [`super::open_bytes`]). Key derivation in fuzz builds is cheap
//! ([`super::kdf`]), so whole files with a password are fuzzed too.

use super::{
    aegis, andotp, bitwarden, ente, proton, stratum, totp_authenticator, twofas, Contents,
    ImportError,
};

/// The decrypted-content reader of the format `id` on `plain`; `None` for a format that
/// has no encrypted form.
pub fn read_decrypted(id: &str, plain: &[u8]) -> Option<Result<Contents, ImportError>> {
    Some(match id {
        "aegis" => aegis::read_database(plain),
        "twofas" => twofas::read_decrypted(plain, &[]),
        "andotp" => andotp::read_decrypted(plain),
        "stratum" => stratum::read_backup(plain),
        "bitwarden" => bitwarden::read_decrypted(plain),
        "proton" => proton::read_plain(plain),
        "ente" => ente::read_text(plain),
        "totp-authenticator" => totp_authenticator::read_decrypted(plain),
        _ => return None,
    })
}
