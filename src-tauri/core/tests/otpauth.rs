//! The otpauth:// parser and writer against hand-written tables and the Aegis importer
//! fixtures (in `shared/`, beside the project; without them that test is recorded as not
//! run). Expected values are written out by hand or read from the fixtures, never computed
//! by the code under test.

mod common;

use ringlet_core::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::otpauth::{self, UriError};

/// Base32 "JBSWY3DPEHPK3PXP": an 80-bit secret, the most common example in the wild.
const HELLO: &[u8] = b"Hello!\xde\xad\xbe\xef";
/// Base32 "63BEDWCQZKTQWPESARIERL5DTTQFCJTK", KeePassXC's Steam test key, decoded with
/// Python's `base64.b32decode`.
const KEEPASSXC_STEAM: &[u8] =
    b"\xf6\xc2\x41\xd8\x50\xca\xa7\x0b\x3c\x92\x04\x50\x48\xaf\xa3\x9c\xe0\x51\x26\x6a";
/// Base32 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ": RFC 4226's key.
const RFC: &[u8] = b"12345678901234567890";

fn account(
    issuer: &str,
    name: &str,
    secret: &[u8],
    algorithm: Algorithm,
    digits: u8,
    kind: OtpKind,
) -> Account {
    Account::new(
        issuer.to_owned(),
        name.to_owned(),
        OtpParams {
            secret: Secret::new(secret.to_vec()),
            algorithm,
            digits,
            kind,
        },
    )
}

fn totp(issuer: &str, name: &str, secret: &[u8]) -> Account {
    account(
        issuer,
        name,
        secret,
        Algorithm::Sha1,
        6,
        OtpKind::Totp { period: 30 },
    )
}

fn with(mut account: Account, f: impl FnOnce(&mut Account)) -> Account {
    f(&mut account);
    account
}

#[test]
fn accepted_uris() {
    let steam = |issuer: &str, name: &str, secret: &[u8]| {
        account(
            issuer,
            name,
            secret,
            Algorithm::Sha1,
            5,
            OtpKind::Steam { period: 30 },
        )
    };
    let cases: Vec<(&str, Account)> = vec![
        // Canonical form.
        (
            "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub&algorithm=SHA1&digits=6&period=30",
            totp("GitHub", "alice", HELLO),
        ),
        // Defaults: SHA1, 6 digits, 30 s.
        (
            "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP",
            totp("GitHub", "alice", HELLO),
        ),
        // Empty optional parameters count as absent.
        (
            "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&digits=&period=&algorithm=",
            totp("GitHub", "alice", HELLO),
        ),
        // Lower-case, spaced ('+' and %20), hyphenated and padded Base32.
        (
            "otpauth://totp/x?secret=jbswy3dpehpk3pxp",
            totp("", "x", HELLO),
        ),
        (
            "otpauth://totp/x?secret=jbsw+y3dp+ehpk+3pxp",
            totp("", "x", HELLO),
        ),
        (
            "otpauth://totp/x?secret=JBSW%20Y3DP%20EHPK%203PXP",
            totp("", "x", HELLO),
        ),
        (
            "otpauth://totp/x?secret=JBSW-Y3DP-EHPK-3PXP",
            totp("", "x", HELLO),
        ),
        ("otpauth://totp/x?secret=MZXW6YQ=", totp("", "x", b"foob")),
        ("otpauth://totp/x?secret=MZXW6YQ%3D", totp("", "x", b"foob")),
        ("otpauth://totp/x?secret=MZXW6===", totp("", "x", b"foo")),
        (
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            totp("", "x", RFC),
        ),
        // Issuer only in the label prefix.
        (
            "otpauth://totp/ACME%20Co:john.doe@email.com?secret=JBSWY3DPEHPK3PXP",
            totp("ACME Co", "john.doe@email.com", HELLO),
        ),
        // Issuer only as a parameter.
        (
            "otpauth://totp/john?secret=JBSWY3DPEHPK3PXP&issuer=ACME",
            totp("ACME", "john", HELLO),
        ),
        // Both, disagreeing: the parameter wins.
        (
            "otpauth://totp/Old%20Name:bob?secret=JBSWY3DPEHPK3PXP&issuer=New%20Name",
            totp("New Name", "bob", HELLO),
        ),
        // Encoded colon and a space before the name (Google's key-uri-format example).
        (
            "otpauth://totp/Example%3A%20alice%40google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
            totp("Example", "alice@google.com", HELLO),
        ),
        // An empty issuer parameter falls back to the label prefix.
        (
            "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=",
            totp("Example", "alice", HELLO),
        ),
        // '+' is a space in query values, %2B a plus; in the label '+' is a plus.
        (
            "otpauth://totp/Air+Canada:bob?secret=JBSWY3DPEHPK3PXP&issuer=Air+Canada",
            totp("Air Canada", "bob", HELLO),
        ),
        (
            "otpauth://totp/C++:dev?secret=JBSWY3DPEHPK3PXP&issuer=C%2B%2B",
            totp("C++", "dev", HELLO),
        ),
        (
            "otpauth://totp/C++:dev?secret=JBSWY3DPEHPK3PXP",
            totp("C++", "dev", HELLO),
        ),
        // Non-ASCII, percent-encoded UTF-8.
        (
            "otpauth://totp/B%C3%BCro:J%C3%BCrgen?secret=JBSWY3DPEHPK3PXP&issuer=B%C3%BCro",
            totp("Büro", "Jürgen", HELLO),
        ),
        // The issuer parameter may contain a colon when the label repeats it.
        (
            "otpauth://totp/a%3Ab:c?secret=JBSWY3DPEHPK3PXP&issuer=a%3Ab",
            totp("a:b", "c", HELLO),
        ),
        // Scheme, type and parameter names in any case; surrounding whitespace.
        (
            "OTPAUTH://TOTP/GitHub:alice?SECRET=JBSWY3DPEHPK3PXP&Issuer=GitHub",
            totp("GitHub", "alice", HELLO),
        ),
        (
            "  \totpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP\r\n",
            totp("GitHub", "alice", HELLO),
        ),
        // Unknown parameters are ignored, even broken ones.
        (
            "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&image=https%3A%2F%2Fexample.com%2Fa.png&color=%ZZ&foo",
            totp("GitHub", "alice", HELLO),
        ),
        // No label at all.
        (
            "otpauth://totp?secret=JBSWY3DPEHPK3PXP",
            totp("", "", HELLO),
        ),
        (
            "otpauth://totp/?secret=JBSWY3DPEHPK3PXP&issuer=Solo",
            totp("Solo", "", HELLO),
        ),
        // A colon in the name of a label with an empty prefix.
        (
            "otpauth://totp/:a:b?secret=JBSWY3DPEHPK3PXP",
            totp("", "a:b", HELLO),
        ),
        // Algorithms in any case, with or without a dash.
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=sha1",
            totp("", "x", HELLO),
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=sha-256",
            with(totp("", "x", HELLO), |a| a.otp.algorithm = Algorithm::Sha256),
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256",
            with(totp("", "x", HELLO), |a| a.otp.algorithm = Algorithm::Sha256),
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=Sha-512",
            with(totp("", "x", HELLO), |a| a.otp.algorithm = Algorithm::Sha512),
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=SHA-1",
            totp("", "x", HELLO),
        ),
        // Digits and period at their bounds.
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=4&period=1",
            with(totp("", "x", HELLO), |a| {
                a.otp.digits = 4;
                a.otp.kind = OtpKind::Totp { period: 1 };
            }),
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=10&period=86400",
            with(totp("", "x", HELLO), |a| {
                a.otp.digits = 10;
                a.otp.kind = OtpKind::Totp { period: 86400 };
            }),
        ),
        // HOTP, in any case, with its counter; TOTP-only parameters ignored.
        (
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=0&period=0",
            with(totp("", "x", HELLO), |a| {
                a.otp.kind = OtpKind::Hotp { counter: 0 }
            }),
        ),
        (
            "otpauth://Hotp/x?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551615&digits=8",
            with(totp("", "x", HELLO), |a| {
                a.otp.digits = 8;
                a.otp.kind = OtpKind::Hotp {
                    counter: u64::MAX,
                };
            }),
        ),
        // Steam: the steam type (Aegis) or encoder=steam (KeePassXC); always 5 characters, SHA1.
        (
            "otpauth://steam/Steam:gaben?secret=JBSWY3DPEHPK3PXP&issuer=Steam",
            steam("Steam", "gaben", HELLO),
        ),
        (
            "otpauth://STEAM/Steam:gaben?secret=JBSWY3DPEHPK3PXP&digits=6&algorithm=SHA256",
            steam("Steam", "gaben", HELLO),
        ),
        (
            "otpauth://totp/test:test@example.com?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Valve&algorithm=SHA1&digits=5&period=30&encoder=steam",
            steam(
                "Valve",
                "test@example.com",
                KEEPASSXC_STEAM,
            ),
        ),
        (
            "otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP&encoder=Steam",
            steam("Steam", "gaben", HELLO),
        ),
        // Only the explicit forms are Steam: issuer Steam with 5 digits stays TOTP.
        (
            "otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP&issuer=Steam&digits=5",
            with(totp("Steam", "gaben", HELLO), |a| a.otp.digits = 5),
        ),
    ];
    for (text, expected) in cases {
        match otpauth::parse(text) {
            Ok(parsed) => assert_eq!(parsed, expected, "{text}"),
            Err(error) => panic!("{text}: rejected: {error}"),
        }
    }
}

#[test]
fn the_keepassxc_steam_secret_decodes_as_python_does() {
    // The bytes used above, checked against Python's base64.b32decode.
    let secret = otpauth::parse_secret("63BEDWCQZKTQWPESARIERL5DTTQFCJTK");
    assert_eq!(
        secret.map(|s| s.expose().to_vec()),
        Ok(KEEPASSXC_STEAM.to_vec())
    );
}

#[test]
fn rejected_uris() {
    let long_uri = format!(
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&note={}",
        "a".repeat(otpauth::MAX_URI_LEN)
    );
    let long_issuer = format!(
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&issuer={}",
        "a".repeat(otpauth::MAX_LABEL_PART_LEN + 1)
    );
    let long_name = format!(
        "otpauth://totp/{}?secret=JBSWY3DPEHPK3PXP",
        "n".repeat(otpauth::MAX_LABEL_PART_LEN + 1)
    );
    // 1025 bytes: one more than the engine accepts. 1025 * 8 / 5 = 1640 symbols.
    let long_secret = format!("otpauth://totp/x?secret={}", "A".repeat(1640));
    let cases: Vec<(&str, UriError)> = vec![
        ("", UriError::Empty),
        ("  \n ", UriError::Empty),
        (
            &long_uri,
            UriError::TooLong {
                len: long_uri.len(),
            },
        ),
        (
            "https://example.com/?secret=JBSWY3DPEHPK3PXP",
            UriError::NotOtpauth {
                scheme: Some("https".into()),
            },
        ),
        ("JBSWY3DPEHPK3PXP", UriError::NotOtpauth { scheme: None }),
        (
            "otpauth:/totp/x?secret=JBSWY3DPEHPK3PXP",
            UriError::NotOtpauth { scheme: None },
        ),
        (
            "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8",
            UriError::MigrationExport,
        ),
        (
            "otpauth://motp/x?secret=JBSWY3DPEHPK3PXP",
            UriError::UnknownType {
                found: "motp".into(),
            },
        ),
        ("otpauth://?secret=JBSWY3DPEHPK3PXP", UriError::MissingType),
        // Missing or invalid secret.
        ("otpauth://totp/x?issuer=X", UriError::MissingSecret),
        ("otpauth://totp/x?secret=&issuer=X", UriError::MissingSecret),
        ("otpauth://totp/x?secret=%3D%3D", UriError::EmptySecret),
        (
            "otpauth://totp/x?secret=JBSWY3DP0HPK3PXP",
            UriError::SecretNotBase32,
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DP%C3%A9HPK3PXP",
            UriError::SecretNotBase32,
        ),
        (
            "otpauth://totp/x?secret=MZ=XW6YQ",
            UriError::SecretNotBase32,
        ),
        ("otpauth://totp/x?secret=MZX", UriError::SecretBadLength),
        (
            "otpauth://totp/x?secret=JBSWY3DPE",
            UriError::SecretBadLength,
        ),
        (&long_secret, UriError::SecretTooLong),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&secret=GEZDGNBVGY3TQOJQ",
            UriError::DuplicateParameter { name: "secret" },
        ),
        // HOTP counter.
        (
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP",
            UriError::MissingCounter,
        ),
        (
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=",
            UriError::MissingCounter,
        ),
        (
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=-1",
            UriError::InvalidCounter { found: "-1".into() },
        ),
        (
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=18446744073709551616",
            UriError::InvalidCounter {
                found: "18446744073709551616".into(),
            },
        ),
        // Digits.
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=3",
            UriError::Digits { found: "3".into() },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=11",
            UriError::Digits { found: "11".into() },
        ),
        (
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1&digits=0",
            UriError::Digits { found: "0".into() },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=six",
            UriError::Digits {
                found: "six".into(),
            },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=256",
            UriError::Digits {
                found: "256".into(),
            },
        ),
        // Period.
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0",
            UriError::Period { found: "0".into() },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=86401",
            UriError::Period {
                found: "86401".into(),
            },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=-30",
            UriError::Period {
                found: "-30".into(),
            },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=99999999999999999999999",
            UriError::Period {
                found: "99999999999999999999999".into(),
            },
        ),
        (
            "otpauth://steam/x?secret=JBSWY3DPEHPK3PXP&period=0",
            UriError::Period { found: "0".into() },
        ),
        // Algorithm.
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
            UriError::UnknownAlgorithm {
                found: "MD5".into(),
            },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=sha3-256",
            UriError::UnknownAlgorithm {
                found: "sha3-256".into(),
            },
        ),
        // Percent-encoding and UTF-8.
        (
            "otpauth://totp/Bad%ZZ:x?secret=JBSWY3DPEHPK3PXP",
            UriError::BadPercentEncoding { part: "label" },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&issuer=100%",
            UriError::BadPercentEncoding { part: "issuer" },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP%2",
            UriError::BadPercentEncoding { part: "secret" },
        ),
        (
            "otpauth://totp/%FF:x?secret=JBSWY3DPEHPK3PXP",
            UriError::NotUtf8 { part: "label" },
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&issuer=%C3%28",
            UriError::NotUtf8 { part: "issuer" },
        ),
        // Caps on label parts.
        (
            &long_issuer,
            UriError::LabelPartTooLong {
                part: "issuer",
                len: otpauth::MAX_LABEL_PART_LEN + 1,
            },
        ),
        (
            &long_name,
            UriError::LabelPartTooLong {
                part: "account name",
                len: otpauth::MAX_LABEL_PART_LEN + 1,
            },
        ),
    ];
    for (text, expected) in cases {
        let result = otpauth::parse(text);
        assert_eq!(result.as_ref().err(), Some(&expected), "{text}");
        // No message or Debug output repeats the secret.
        if let Err(error) = result {
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("JBSWY3DP"), "{shown}");
            assert!(!shown.is_empty());
        }
    }
}

#[test]
fn messages_are_written_for_a_person() {
    let message = |text: &str| otpauth::parse(text).err().map(|e| e.to_string());
    assert_eq!(
        message("https://example.com/login?secret=JBSWY3DPEHPK3PXP").as_deref(),
        Some("This is not an otpauth:// link (it is a “https:” link).")
    );
    assert_eq!(
        message("hello there").as_deref(),
        Some("This is not an otpauth:// link.")
    );
    assert_eq!(
        message("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0").as_deref(),
        Some("The period must be between 1 and 86400 seconds; this link says “0”.")
    );
    assert_eq!(
        message("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=3").as_deref(),
        Some("A code must have between 4 and 10 digits; this link says “3”.")
    );
}

#[test]
fn parse_secret_for_manual_entry() {
    let bytes = |text: &str| otpauth::parse_secret(text).map(|s| s.expose().to_vec());
    assert_eq!(bytes("JBSWY3DPEHPK3PXP"), Ok(HELLO.to_vec()));
    assert_eq!(bytes("jbsw y3dp ehpk 3pxp"), Ok(HELLO.to_vec()));
    assert_eq!(bytes(" JBSW-Y3DP-EHPK-3PXP\n"), Ok(HELLO.to_vec()));
    assert_eq!(bytes("gezdgnbvgy3tqojqgezdgnbvgy3tqojq"), Ok(RFC.to_vec()));
    assert_eq!(bytes("MZXW6==="), Ok(b"foo".to_vec()));
    assert_eq!(bytes(""), Err(UriError::EmptySecret));
    assert_eq!(bytes(" - "), Err(UriError::EmptySecret));
    assert_eq!(bytes("JBSWY3DP!"), Err(UriError::SecretNotBase32));
    assert_eq!(bytes("JBSWY3D"), Ok(b"Hell".to_vec()));
    assert_eq!(bytes("JBSWY3"), Err(UriError::SecretBadLength));
    assert_eq!(
        bytes(&"A".repeat(5000)),
        Err(UriError::SecretTooLong),
        "input over the text cap"
    );
    // Exactly 1024 bytes (1024 * 8 / 5 = 1638.4, so 1639 symbols) is accepted.
    assert_eq!(bytes(&"A".repeat(1639)).map(|b| b.len()), Ok(1024));
    let debug = format!("{:?}", otpauth::parse_secret("JBSWY3DPEHPK3PXP"));
    assert!(
        !debug.contains("Hello") && !debug.contains("JBSW"),
        "{debug}"
    );
}

/// Aegis's own importer fixtures: its `plain.txt` of links and the accounts it expects.
#[test]
fn aegis_plain_txt_matches_expected_json() {
    let Some(dir) = common::shared("fixtures/aegis-importers") else {
        return;
    };
    let plain = std::fs::read_to_string(dir.join("plain.txt")).expect("plain.txt");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("json"))
            .expect("expected.json parses");
    let accounts = expected["accounts"].as_array().expect("accounts array");

    let mut seen = 0;
    for line in plain.lines().filter(|line| !line.trim().is_empty()) {
        let parsed = otpauth::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        let secret = data_encoding::BASE32_NOPAD.encode(parsed.otp.secret.expose());
        let want = accounts
            .iter()
            .find(|a| a["secret"].as_str() == Some(secret.as_str()))
            .unwrap_or_else(|| panic!("{line}: no expected account with this secret"));
        assert_eq!(
            Some(parsed.issuer.as_str()),
            want["issuer"].as_str(),
            "{line}"
        );
        assert_eq!(
            Some(parsed.name.as_str()),
            want["account"].as_str(),
            "{line}"
        );
        assert_eq!(
            Some(parsed.otp.kind.name()),
            want["type"].as_str(),
            "{line}"
        );
        assert_eq!(
            Some(parsed.otp.algorithm.as_str()),
            want["algorithm"].as_str(),
            "{line}"
        );
        assert_eq!(
            Some(u64::from(parsed.otp.digits)),
            want["digits"].as_u64(),
            "{line}"
        );
        assert_eq!(
            parsed.otp.kind.period().map(u64::from),
            want["period"].as_u64(),
            "{line}"
        );
        assert_eq!(
            parsed.otp.kind.counter(),
            want["counter"].as_u64(),
            "{line}"
        );

        // The canonical writer reproduces the fixture line, except that it writes a
        // space in a query value as %20 rather than '+'.
        assert_eq!(
            otpauth::to_uri(&parsed),
            line.replace("issuer=Air+Canada", "issuer=Air%20Canada")
        );
        assert_eq!(otpauth::parse(&otpauth::to_uri(&parsed)), Ok(parsed));
        seen += 1;
    }
    assert_eq!(seen, 7, "plain.txt holds seven accounts");
}

#[test]
fn to_uri_is_canonical() {
    let github = totp("GitHub", "alice@example.com", HELLO);
    assert_eq!(
        otpauth::to_uri(&github),
        "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub&algorithm=SHA1&digits=6&period=30"
    );
    let hotp = account(
        "",
        "bob",
        RFC,
        Algorithm::Sha512,
        8,
        OtpKind::Hotp { counter: 42 },
    );
    assert_eq!(
        otpauth::to_uri(&hotp),
        "otpauth://hotp/bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&digits=8&counter=42"
    );
    let spaced = totp("Air Canada", "Ann Lee", b"foo");
    assert_eq!(
        otpauth::to_uri(&spaced),
        "otpauth://totp/Air%20Canada:Ann%20Lee?secret=MZXW6&issuer=Air%20Canada&algorithm=SHA1&digits=6&period=30"
    );
}

#[test]
fn to_uri_round_trips() {
    let tricky = [
        ("GitHub", "alice@example.com"),
        ("", "no issuer"),
        ("", "colon:in:name"),
        ("", ":leading colon"),
        ("Issuer:With:Colons", "name:also"),
        ("Air Canada", "Ann Lee"),
        ("C++ & Co.", "a+b=c?d#e%f/g"),
        ("Büro", "Jürgen 日本"),
        ("Solo", ""),
        ("", ""),
        ("100%", "50%25"),
    ];
    for (issuer, name) in tricky {
        let kinds = [
            (Algorithm::Sha1, 6, OtpKind::Totp { period: 30 }),
            (Algorithm::Sha256, 7, OtpKind::Totp { period: 20 }),
            (Algorithm::Sha512, 10, OtpKind::Totp { period: 86400 }),
            (Algorithm::Sha1, 4, OtpKind::Hotp { counter: 0 }),
            (Algorithm::Sha256, 8, OtpKind::Hotp { counter: u64::MAX }),
            (Algorithm::Sha1, 5, OtpKind::Steam { period: 30 }),
        ];
        for (algorithm, digits, kind) in kinds {
            let original = account(issuer, name, HELLO, algorithm, digits, kind);
            let text = otpauth::to_uri(&original);
            assert_eq!(otpauth::parse(&text), Ok(original), "{text}");
        }
    }
    // The longest labels accepted, in characters percent-encoding triples, still make a
    // link short enough to read back.
    let widest = "日".repeat(otpauth::MAX_LABEL_PART_LEN / "日".len());
    let longest = totp(&widest, &widest, &[0xAB; 1024]);
    let text = otpauth::to_uri(&longest);
    assert_eq!(otpauth::parse(&text), Ok(longest), "{}", &text[..80]);
    // 10 000-character labels, as an import file could carry, are accepted as they are.
    let long = "L".repeat(10_000);
    let parsed = otpauth::parse(&format!(
        "otpauth://totp/{long}:{long}?secret=JBSWY3DPEHPK3PXP&issuer={long}"
    ));
    assert_eq!(
        parsed.map(|a| (a.issuer.len(), a.name.len())),
        Ok((10_000, 10_000))
    );
    // Odd secret lengths survive too.
    for len in 1..=40 {
        let secret: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
        let original = totp("X", "y", &secret);
        let text = otpauth::to_uri(&original);
        assert_eq!(otpauth::parse(&text), Ok(original), "{len} bytes");
    }
}
