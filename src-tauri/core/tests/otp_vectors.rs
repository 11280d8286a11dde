//! Published test vectors for the OTP engine, plus its bounds.
//!
//! Expected codes are copied from the RFCs and from KeePassXC's test suite, never
//! computed by the code under test.

use ringlet_core::model::{Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::otp::{self, OtpError};

const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

fn params(secret: &[u8], algorithm: Algorithm, digits: u8, kind: OtpKind) -> OtpParams {
    OtpParams {
        secret: Secret::new(secret.to_vec()),
        algorithm,
        digits,
        kind,
    }
}

/// RFC 4226 Appendix D: HOTP values for counters 0 to 9.
const RFC4226: [&str; 10] = [
    "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
    "520489",
];

#[test]
fn rfc4226_hotp_via_generate() {
    for (counter, expected) in (0u64..).zip(RFC4226) {
        let p = params(SEED_SHA1, Algorithm::Sha1, 6, OtpKind::Hotp { counter });
        // HOTP ignores the clock: any time gives the same code.
        assert_eq!(
            otp::generate(&p, 0).as_deref(),
            Ok(expected),
            "counter {counter}"
        );
        assert_eq!(
            otp::generate(&p, 1_700_000_000).as_deref(),
            Ok(expected),
            "counter {counter}"
        );
    }
}

#[test]
fn rfc4226_hotp_via_hotp() {
    for (counter, expected) in (0u64..).zip(RFC4226) {
        assert_eq!(
            otp::hotp(SEED_SHA1, Algorithm::Sha1, 6, counter).as_deref(),
            Ok(expected),
            "counter {counter}"
        );
    }
}

/// RFC 6238 Appendix B: time, then the 8-digit codes for SHA1, SHA256, SHA512.
const RFC6238: [(u64, &str, &str, &str); 6] = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
];

#[test]
fn rfc6238_totp_all_algorithms() {
    for (time, sha1, sha256, sha512) in RFC6238 {
        for (seed, algorithm, expected) in [
            (SEED_SHA1, Algorithm::Sha1, sha1),
            (SEED_SHA256, Algorithm::Sha256, sha256),
            (SEED_SHA512, Algorithm::Sha512, sha512),
        ] {
            let p = params(seed, algorithm, 8, OtpKind::Totp { period: 30 });
            assert_eq!(
                otp::generate(&p, time).as_deref(),
                Ok(expected),
                "{algorithm} at {time}"
            );
            assert_eq!(
                otp::totp(seed, algorithm, 8, 30, time).as_deref(),
                Ok(expected),
                "{algorithm} at {time}"
            );
        }
    }
}

#[test]
fn six_digit_totp_is_the_tail_of_the_eight_digit_one() {
    // RFC 6238's SHA1 value at t=59 is 94287082; with 6 digits it is 287082.
    let p = params(SEED_SHA1, Algorithm::Sha1, 6, OtpKind::Totp { period: 30 });
    assert_eq!(otp::generate(&p, 59).as_deref(), Ok("287082"));
}

/// KeePassXC tests/TestTotp.cpp (testSteamTotp): codes produced by the Steam mobile app
/// for a throw-away account whose shared secret is this Base32 string.
#[test]
fn steam_keepassxc_vectors() {
    let secret =
        ringlet_core::otpauth::parse_secret("63BEDWCQZKTQWPESARIERL5DTTQFCJTK").expect("base32");
    let p = OtpParams {
        secret,
        algorithm: Algorithm::Sha1,
        digits: 5,
        kind: OtpKind::Steam { period: 30 },
    };
    assert_eq!(otp::generate(&p, 1511200518).as_deref(), Ok("FR8RV"));
    assert_eq!(otp::generate(&p, 1511200714).as_deref(), Ok("9P3VP"));
}

#[test]
fn bounds_are_errors_not_panics() {
    let totp = |digits, period| {
        otp::generate(
            &params(SEED_SHA1, Algorithm::Sha1, digits, OtpKind::Totp { period }),
            1000,
        )
    };
    assert_eq!(totp(6, 0), Err(OtpError::Period { period: 0 }));
    assert_eq!(totp(6, 86_401), Err(OtpError::Period { period: 86_401 }));
    assert_eq!(totp(3, 30), Err(OtpError::Digits { digits: 3 }));
    assert_eq!(totp(11, 30), Err(OtpError::Digits { digits: 11 }));
    assert_eq!(totp(0, 30), Err(OtpError::Digits { digits: 0 }));
    assert_eq!(totp(255, 30), Err(OtpError::Digits { digits: 255 }));
    assert!(totp(4, 1).is_ok());
    assert!(totp(10, 86_400).is_ok());

    let empty = params(b"", Algorithm::Sha1, 6, OtpKind::Totp { period: 30 });
    assert_eq!(otp::generate(&empty, 0), Err(OtpError::EmptySecret));
    assert_eq!(otp::validate(&empty), Err(OtpError::EmptySecret));
    let empty_hotp = params(b"", Algorithm::Sha1, 6, OtpKind::Hotp { counter: 0 });
    assert_eq!(otp::generate(&empty_hotp, 0), Err(OtpError::EmptySecret));
    let huge = params(&[7; 1025], Algorithm::Sha1, 6, OtpKind::Totp { period: 30 });
    assert_eq!(
        otp::generate(&huge, 0),
        Err(OtpError::SecretTooLong { len: 1025 })
    );

    let hotp = |digits| otp::hotp(SEED_SHA1, Algorithm::Sha1, digits, 0);
    assert_eq!(hotp(3), Err(OtpError::Digits { digits: 3 }));
    assert_eq!(hotp(11), Err(OtpError::Digits { digits: 11 }));
    assert_eq!(
        otp::hotp(b"", Algorithm::Sha1, 6, 0),
        Err(OtpError::EmptySecret)
    );

    let steam_zero = params(SEED_SHA1, Algorithm::Sha1, 5, OtpKind::Steam { period: 0 });
    assert_eq!(
        otp::generate(&steam_zero, 0),
        Err(OtpError::Period { period: 0 })
    );

    // Extreme but valid inputs do not overflow.
    let p = params(
        SEED_SHA1,
        Algorithm::Sha1,
        10,
        OtpKind::Hotp { counter: u64::MAX },
    );
    assert_eq!(otp::generate(&p, u64::MAX).map(|c| c.len()), Ok(10));
    let p = params(SEED_SHA1, Algorithm::Sha512, 8, OtpKind::Totp { period: 1 });
    assert_eq!(otp::generate(&p, u64::MAX).map(|c| c.len()), Ok(8));
}

#[test]
fn errors_explain_themselves_and_hide_the_secret() {
    let error = otp::validate(&params(
        b"hunter2hunter2",
        Algorithm::Sha1,
        6,
        OtpKind::Totp { period: 0 },
    ))
    .expect_err("period 0");
    assert_eq!(
        error.to_string(),
        "The period must be between 1 and 86400 seconds; this code says 0."
    );
    let shown = format!("{error:?} {error}");
    assert!(!shown.contains("hunter2"), "{shown}");

    let p = params(
        b"hunter2hunter2",
        Algorithm::Sha1,
        6,
        OtpKind::Totp { period: 30 },
    );
    assert!(!format!("{p:?}").contains("hunter2"));
}

#[test]
fn seconds_remaining_counts_down_to_one() {
    assert_eq!(otp::seconds_remaining(30, 0), 30);
    assert_eq!(otp::seconds_remaining(30, 1), 29);
    assert_eq!(otp::seconds_remaining(30, 29), 1);
    assert_eq!(otp::seconds_remaining(30, 30), 30);
    assert_eq!(otp::seconds_remaining(30, 59), 1);
    assert_eq!(otp::seconds_remaining(60, 1_700_000_000), 40); // 1_700_000_000 = 60·28_333_333 + 20
    assert_eq!(otp::seconds_remaining(1, 12345), 1);
    assert_eq!(otp::seconds_remaining(0, 12345), 1);
    assert_eq!(otp::seconds_remaining(86_400, 86_399), 1);
}

#[test]
fn now_reads_the_clock() {
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let now = otp::now();
    assert!(now >= before && now <= before + 5);
}
