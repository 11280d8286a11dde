//! The accounts the export tests write and read back: every kind of code and of label.

use ringlet_core::model::{Account, Algorithm, OtpKind, OtpParams, Secret};

pub fn account(issuer: &str, name: &str, secret: &[u8], otp: (Algorithm, u8, OtpKind)) -> Account {
    let (algorithm, digits, kind) = otp;
    Account::new(
        issuer,
        name,
        OtpParams {
            secret: Secret::new(secret.to_vec()),
            algorithm,
            digits,
            kind,
        },
    )
}

/// The vault's accounts, in order: each a different secret (an import skips duplicates).
pub fn mix() -> Vec<Account> {
    let totp = |period| OtpKind::Totp { period };
    let mut github = account(
        "GitHub",
        "alice@example.com",
        b"12345678901234567890",
        (Algorithm::Sha1, 6, totp(30)),
    );
    github.tags = vec!["Work".into(), "Code".into()];
    github.note = "recovery codes in the drawer".into();
    github.pinned = true;
    let mut bank = account(
        "Société Générale",
        "名前 ünïcødé",
        b"12345678901234567890123456789012",
        (Algorithm::Sha256, 8, totp(60)),
    );
    bank.tags = vec!["Bank".into()];
    let mut hostile = account(
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(2)>&amp;",
        b"1234567890123456789012345678901234567890123456789012345678901234",
        (Algorithm::Sha512, 8, totp(30)),
    );
    hostile.tags = vec!["<b>tag</b>".into(), "Work".into()];
    vec![
        github,
        bank,
        hostile,
        account(
            "Old VPN",
            "bob",
            b"hotp-secret-one!",
            (Algorithm::Sha1, 6, OtpKind::Hotp { counter: 42 }),
        ),
        account(
            "Corp: Intranet",
            "carol:admin",
            b"hotp-secret-two!",
            (Algorithm::Sha256, 8, OtpKind::Hotp { counter: 0 }),
        ),
        account(
            "Steam",
            "gamer",
            b"steam-secret-123",
            (Algorithm::Sha1, 5, OtpKind::Steam { period: 30 }),
        ),
        account(
            "",
            "no:issuer",
            b"no-issuer-secret",
            (Algorithm::Sha1, 6, totp(30)),
        ),
        account(
            "Seven",
            "digits",
            b"seven-digits-key",
            (Algorithm::Sha1, 7, totp(30)),
        ),
    ]
}

/// A new vault at `dir` (fast key derivation) holding `accounts`.
pub fn vault_with(
    dir: &std::path::Path,
    password: &[u8],
    accounts: &[Account],
) -> ringlet_core::vault::Vault {
    let vault = ringlet_core::vault::Vault::create_with(dir, password, super::fast_kdf())
        .unwrap_or_else(|e| panic!("{e}"));
    for account in accounts {
        vault.add(account).unwrap_or_else(|e| panic!("{e}"));
    }
    vault
}
