//! Google Authenticator export codes (`otpauth-migration://offline?data=…`).
//!
//! Payloads are built here by a small protobuf writer of the test's own, independent of
//! the parser, plus real exports published in other projects' test suites (each cited
//! where it is used, compared to the values that source states).

use ringlet_core::import::google_authenticator::{
    self, Damage, EntryProblem, ExportPart, MigrationBatch, MigrationError,
};
use ringlet_core::model::MAX_LABEL_PART_LEN;
use ringlet_core::{Account, Algorithm, OtpKind};

// ---------------------------------------------------------------------------------------
// A test-only protobuf writer

fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn key(out: &mut Vec<u8>, field: u64, wire: u64) {
    varint(out, (field << 3) | wire);
}

fn int_field(out: &mut Vec<u8>, field: u64, value: i64) {
    key(out, field, 0);
    // Protobuf writes a negative int32/int64 sign-extended to 64 bits: ten bytes.
    varint(out, value as u64);
}

fn bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    key(out, field, 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// One `OtpParameters`; `None` leaves a field out, as protobuf does for defaults.
#[derive(Clone)]
struct Params<'a> {
    secret: &'a [u8],
    name: &'a str,
    issuer: &'a str,
    algorithm: Option<i64>,
    digits: Option<i64>,
    kind: Option<i64>,
    counter: Option<i64>,
}

const KEY: &[u8] = b"12345678901234567890";

fn totp<'a>(issuer: &'a str, name: &'a str) -> Params<'a> {
    Params {
        secret: KEY,
        name,
        issuer,
        algorithm: Some(1),
        digits: Some(1),
        kind: Some(2),
        counter: None,
    }
}

fn encode_params(p: &Params) -> Vec<u8> {
    let mut out = Vec::new();
    if !p.secret.is_empty() {
        bytes_field(&mut out, 1, p.secret);
    }
    if !p.name.is_empty() {
        bytes_field(&mut out, 2, p.name.as_bytes());
    }
    if !p.issuer.is_empty() {
        bytes_field(&mut out, 3, p.issuer.as_bytes());
    }
    for (field, value) in [(4, p.algorithm), (5, p.digits), (6, p.kind), (7, p.counter)] {
        if let Some(value) = value {
            int_field(&mut out, field, value);
        }
    }
    out
}

fn payload(entries: &[Params], size: i64, index: i64, id: i64) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in entries {
        bytes_field(&mut out, 1, &encode_params(entry));
    }
    int_field(&mut out, 2, 1);
    int_field(&mut out, 3, size);
    int_field(&mut out, 4, index);
    int_field(&mut out, 5, id);
    out
}

/// The link as Google Authenticator writes it: Base64 with padding, `+`, `/` and `=`
/// percent-encoded.
fn link(payload: &[u8]) -> String {
    let data = data_encoding::BASE64.encode(payload);
    format!(
        "otpauth-migration://offline?data={}",
        data.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    )
}

/// The link with the Base64 left as is (`+` and `/` literal).
fn raw_link(payload: &[u8]) -> String {
    format!(
        "otpauth-migration://offline?data={}",
        data_encoding::BASE64.encode(payload)
    )
}

fn parse(text: &str) -> MigrationBatch {
    match google_authenticator::parse(text) {
        Ok(batch) => batch,
        Err(error) => panic!("{text}: {error}"),
    }
}

fn accounts(batch: &MigrationBatch) -> Vec<&Account> {
    batch.accounts().collect()
}

fn base32(bytes: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(bytes)
}

// ---------------------------------------------------------------------------------------
// Hand-built payloads

#[test]
fn a_hand_built_payload_gives_every_field() {
    let entries = [
        totp("GitHub", "GitHub:alice@example.com"),
        Params {
            secret: b"0123456789abcdef0123456789abcdef",
            name: "bob",
            issuer: "Bank",
            algorithm: Some(2), // SHA256
            digits: Some(2),    // eight
            kind: Some(2),
            counter: None,
        },
        Params {
            secret: KEY,
            name: "carol",
            issuer: "Corp",
            algorithm: Some(3), // SHA512
            digits: Some(1),
            kind: Some(1), // HOTP
            counter: Some(42),
        },
    ];
    let batch = parse(&link(&payload(&entries, 1, 0, 7)));
    assert_eq!(
        (batch.batch_size, batch.batch_index, batch.batch_id),
        (1, 0, 7)
    );
    let got = accounts(&batch);
    assert_eq!(got.len(), 3);

    assert_eq!(got[0].issuer, "GitHub");
    assert_eq!(got[0].name, "alice@example.com");
    assert_eq!(got[0].otp.secret.expose(), KEY);
    assert_eq!(got[0].otp.algorithm, Algorithm::Sha1);
    assert_eq!(got[0].otp.digits, 6);
    assert_eq!(got[0].otp.kind, OtpKind::Totp { period: 30 });

    assert_eq!(
        (got[1].issuer.as_str(), got[1].name.as_str()),
        ("Bank", "bob")
    );
    assert_eq!(got[1].otp.algorithm, Algorithm::Sha256);
    assert_eq!(got[1].otp.digits, 8);
    assert_eq!(got[1].otp.secret.len(), 32);

    assert_eq!(got[2].otp.algorithm, Algorithm::Sha512);
    assert_eq!(got[2].otp.kind, OtpKind::Hotp { counter: 42 });
}

#[test]
fn unspecified_values_mean_sha1_six_digits_totp() {
    let entry = Params {
        algorithm: None,
        digits: None,
        kind: None,
        ..totp("X", "y")
    };
    let batch = parse(&link(&payload(&[entry], 0, 0, 0)));
    let got = accounts(&batch);
    assert_eq!(got[0].otp.algorithm, Algorithm::Sha1);
    assert_eq!(got[0].otp.digits, 6);
    assert_eq!(got[0].otp.kind, OtpKind::Totp { period: 30 });
    // An unset batch size is one code.
    assert_eq!((batch.batch_size, batch.batch_index), (1, 0));
}

#[test]
fn hotp_keeps_its_counter() {
    for counter in [0i64, 1, 300, i64::from(u32::MAX) + 5, i64::MAX] {
        let entry = Params {
            kind: Some(1),
            counter: Some(counter),
            ..totp("H", "h")
        };
        let batch = parse(&link(&payload(&[entry], 1, 0, 1)));
        assert_eq!(
            accounts(&batch)[0].otp.kind,
            OtpKind::Hotp {
                counter: counter as u64
            }
        );
    }
}

#[test]
fn negative_batch_ids_are_read_from_ten_byte_varints() {
    let bytes = payload(&[totp("N", "n")], 2, 1, -1_234_567_890);
    // The id really is written as ten bytes.
    assert!(
        bytes.ends_with(&[0xff, 0xff, 0xff, 0xff, 0x01]),
        "{bytes:02x?}"
    );
    let batch = parse(&link(&bytes));
    assert_eq!(batch.batch_id, -1_234_567_890);
    assert_eq!((batch.batch_size, batch.batch_index), (2, 1));
    assert_eq!(
        parse(&link(&payload(&[], 1, 0, i64::from(i32::MIN)))).batch_id,
        i32::MIN
    );
    assert_eq!(parse(&link(&payload(&[], 1, 0, -1))).batch_id, -1);
}

#[test]
fn name_prefixes_follow_google() {
    let entries = [
        totp("Example", "Example:alice"),
        totp("example", "Example: bob"),
        totp("", "GitHub:carol"),
        totp("Other", "GitHub:dave"),
        totp("", "plain"),
        totp("Solo", ""),
    ];
    let batch = parse(&link(&payload(&entries, 1, 0, 1)));
    let labels: Vec<(&str, &str)> = accounts(&batch)
        .iter()
        .map(|a| (a.issuer.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("Example", "alice"),
            ("example", "bob"),
            ("GitHub", "carol"),
            ("Other", "GitHub:dave"),
            ("", "plain"),
            ("Solo", ""),
        ]
    );
}

#[test]
fn unknown_fields_are_skipped_by_wire_type() {
    let mut entry = encode_params(&totp("U", "u"));
    key(&mut entry, 9, 0); // varint
    varint(&mut entry, 300);
    key(&mut entry, 10, 1); // fixed64
    entry.extend_from_slice(&[1; 8]);
    key(&mut entry, 11, 5); // fixed32
    entry.extend_from_slice(&[2; 4]);
    bytes_field(&mut entry, 12, b"future");
    let mut bytes = Vec::new();
    bytes_field(&mut bytes, 1, &entry);
    key(&mut bytes, 20, 1);
    bytes.extend_from_slice(&[3; 8]);
    bytes_field(&mut bytes, 21, b"more");
    int_field(&mut bytes, 5, 99);
    let batch = parse(&link(&bytes));
    assert_eq!(batch.batch_id, 99);
    assert_eq!(accounts(&batch)[0].name, "u");
}

// ---------------------------------------------------------------------------------------
// Base64 and the link

/// The secret of [`plus_and_slash_payload`]: two bytes put the pattern on a three-byte
/// boundary of the payload, where 0xfb 0xef 0xbe encodes as "++++" and 0xff 0xff 0xff
/// as "////".
fn plus_and_slash_secret() -> Vec<u8> {
    let mut secret = vec![0x01, 0x02];
    secret.extend([0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff].repeat(4));
    secret
}

fn plus_and_slash_payload() -> Vec<u8> {
    let secret = plus_and_slash_secret();
    let entry = Params {
        secret: &secret,
        ..totp("Plus", "slash")
    };
    let bytes = payload(&[entry], 1, 0, 5);
    let data = data_encoding::BASE64.encode(&bytes);
    assert!(data.contains("++++") && data.contains("////"), "{data}");
    bytes
}

#[test]
fn plus_and_slash_in_base64_are_kept() {
    let bytes = plus_and_slash_payload();
    let expected = parse(&link(&bytes));
    let secret = accounts(&expected)[0].otp.secret.expose().to_vec();
    assert_eq!(secret, plus_and_slash_secret());

    // Literal `+` and `/` (not percent-encoded) mean the same.
    assert_eq!(parse(&raw_link(&bytes)), expected);
    // Lower-case escapes, no padding, and the scheme in capitals.
    let lower = link(&bytes).replace("%2B", "%2b").replace("%2F", "%2f");
    assert_eq!(parse(&lower), expected);
    let unpadded = raw_link(&bytes).trim_end_matches('=').to_owned();
    assert_eq!(parse(&unpadded), expected);
    assert_eq!(
        parse(&raw_link(&bytes).replace("otpauth-migration", "OTPAUTH-MIGRATION")),
        expected
    );
    // The URL-safe alphabet, surrounding whitespace and a line break in the data.
    let url_safe = raw_link(&bytes).replace('+', "-").replace('/', "_");
    assert_eq!(parse(&format!("  {url_safe}\n")), expected);
    let wrapped = raw_link(&bytes);
    let (head, tail) = wrapped.split_at(60);
    assert_eq!(parse(&format!("{head}\r\n{tail}")), expected);
}

#[test]
fn a_space_is_a_plus_mangled_by_a_copy() {
    let bytes = plus_and_slash_payload();
    let expected = parse(&link(&bytes));
    let spaced = raw_link(&bytes).replace('+', " ");
    assert_eq!(parse(&spaced), expected);
    let encoded_space = raw_link(&bytes).replace('+', "%20");
    assert_eq!(parse(&encoded_space), expected);
}

#[test]
fn other_parameters_and_a_fragment_are_ignored() {
    let bytes = payload(&[totp("P", "p")], 1, 0, 3);
    let expected = parse(&link(&bytes));
    let data = link(&bytes)
        .split_once("data=")
        .map(|(_, d)| d.to_owned())
        .unwrap_or_default();
    let text = format!("otpauth-migration://offline?x=1&DATA={data}&y#frag");
    assert_eq!(parse(&text), expected);
}

// ---------------------------------------------------------------------------------------
// Real exports published elsewhere

/// dim13/otpauth, `migration/convert_test.go` (TestConvert): this export converts to
/// `otpauth://totp/Example:alice@google.com?issuer=Example&period=30&secret=JBSWY3DPEHPK3PXP`.
#[test]
fn dim13_otpauth_convert_test() {
    let batch = parse(
        "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC",
    );
    let got = accounts(&batch);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].issuer, "Example");
    assert_eq!(got[0].name, "alice@google.com");
    assert_eq!(base32(got[0].otp.secret.expose()), "JBSWY3DPEHPK3PXP");
    assert_eq!(got[0].otp.kind, OtpKind::Totp { period: 30 });
    assert_eq!(got[0].otp.algorithm, Algorithm::Sha1);
    assert_eq!(got[0].otp.digits, 6);
    // No batch fields at all: a single code.
    assert_eq!(
        (batch.batch_size, batch.batch_index, batch.batch_id),
        (1, 0, 0)
    );
}

/// dim13/otpauth, `migration/convert_test.go` (TestStdBase64): standard Base64 with a
/// literal `+` and `/` that must decode. The source only states that it decodes; the
/// labels are those written in the payload (same as TestConvert).
#[test]
fn dim13_otpauth_std_base64_test() {
    let text = "otpauth-migration://offline?data=CjsKFBHMQnKu/odWlB/zUy+dfiRIaHj0EhhFeGFtcGxlOmFsaWNlQGdvb2dsZS5jb20aB0V4YW1wbGUwAg==";
    let batch = parse(text);
    let got = accounts(&batch);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].issuer.as_str(), got[0].name.as_str()),
        ("Example", "alice@google.com")
    );
    assert_eq!(got[0].otp.secret.len(), 20);
    // The same text with its `+` turned into a space by a sloppy copy.
    assert_eq!(parse(&text.replace('+', " ")), batch);
}

/// scito/extract_otp_secrets, `example_export.txt`, with the output its tests
/// (`tests/extract_otp_secrets_test.py`, test_extract_stdout) expect: Name
/// pi@raspberrypi, Secret 7KSQL2JTUDIS5EF65KLMRQIIGY, Issuer raspberrypi, Type totp; then
/// the same without issuer; then both in one code; then "hotp demo" with counter 4; then
/// the name "encoding: ¿äÄéÉ? (demo)". Percent-encoded, with negative batch ids.
#[test]
fn scito_extract_otp_secrets_example_export() {
    const SECRET: &str = "7KSQL2JTUDIS5EF65KLMRQIIGY";
    let codes = [
        "otpauth-migration://offline?data=CjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACjr4JKK%2B%2F%2F%2F%2F%2F8B",
        "otpauth-migration://offline?data=CigKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpIAEoATACEAEYASAAKLzjp5n4%2F%2F%2F%2F%2FwE%3D",
        "otpauth-migration://offline?data=CigKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpIAEoATACCjUKEPqlBekzoNEukL7qlsjBCDYSDnBpQHJhc3BiZXJyeXBpGgtyYXNwYmVycnlwaSABKAEwAhABGAEgACiQ7OOa%2Bf%2F%2F%2F%2F8B",
        "otpauth-migration://offline?data=CiUKEPqlBekzoNEukL7qlsjBCDYSCWhvdHAgZGVtbyABKAEwATgEEAEYASAAKNuv15j6%2F%2F%2F%2F%2FwE%3D",
        "otpauth-migration://offline?data=CjYKEPqlBekzoNEukL7qlsjBCDYSHGVuY29kaW5nOiDCv8Okw4TDqcOJPyAoZGVtbykgASgBMAIQARgBIAAorfCurv%2F%2F%2F%2F%2F%2FAQ%3D%3D",
    ];
    let batches: Vec<MigrationBatch> = codes.iter().map(|code| parse(code)).collect();
    let all: Vec<&Account> = batches.iter().flat_map(|b| b.accounts()).collect();
    let labels: Vec<(&str, &str, &str)> = all
        .iter()
        .map(|a| (a.issuer.as_str(), a.name.as_str(), a.otp.kind.name()))
        .collect();
    assert_eq!(
        labels,
        [
            ("raspberrypi", "pi@raspberrypi", "totp"),
            ("", "pi@raspberrypi", "totp"),
            ("", "pi@raspberrypi", "totp"),
            ("raspberrypi", "pi@raspberrypi", "totp"),
            ("", "hotp demo", "hotp"),
            // The source's name "encoding: ¿äÄéÉ? (demo)", with no issuer: Google's
            // naming reads the part before the colon as the issuer.
            ("encoding", "¿äÄéÉ? (demo)", "totp"),
        ]
    );
    for account in &all {
        assert_eq!(base32(account.otp.secret.expose()), SECRET);
        assert_eq!(account.otp.algorithm, Algorithm::Sha1);
        assert_eq!(account.otp.digits, 6);
    }
    assert_eq!(all[4].otp.kind, OtpKind::Hotp { counter: 4 });
    for batch in &batches {
        assert_eq!((batch.batch_size, batch.batch_index), (1, 0));
        assert!(batch.batch_id < 0, "batch id {}", batch.batch_id);
    }
}

/// scito/extract_otp_secrets, `tests/data/test_plus_problem_export.txt`: `+` and `/` not
/// percent-encoded. Its test (test_extract_not_encoded_plus) expects four TOTP accounts
/// named SerenityLabs:test1…4@serenitylabs.co.uk, issuer SerenityLabs, with these secrets.
#[test]
fn scito_extract_otp_secrets_plus_problem_export() {
    let text = "otpauth-migration://offline?data=ClEKFAciUeGF4aS6IDCvMv99ySZ1ekKsEiVTZXJlbml0eUxhYnM6dGVzdDFAc2VyZW5pdHlsYWJzLmNvLnVrGgxTZXJlbml0eUxhYnMgASgBMAIKUQoUkIY8/fbrHZWTb4CBln18lvqt0HcSJVNlcmVuaXR5TGFiczp0ZXN0MkBzZXJlbml0eWxhYnMuY28udWsaDFNlcmVuaXR5TGFicyABKAEwAgpRChScf+1/Ua4d4gCY0W/7fj9VBkM9PBIlU2VyZW5pdHlMYWJzOnRlc3QzQHNlcmVuaXR5bGFicy5jby51axoMU2VyZW5pdHlMYWJzIAEoATACClEKFG6Qu0ryTSFA/l5rmvTIXtNeb5LtEiVTZXJlbml0eUxhYnM6dGVzdDRAc2VyZW5pdHlsYWJzLmNvLnVrGgxTZXJlbml0eUxhYnMgASgBMAIQARgBIAAogtTa1vz/////AQ==";
    let expected = [
        (
            "test1@serenitylabs.co.uk",
            "A4RFDYMF4GSLUIBQV4ZP67OJEZ2XUQVM",
        ),
        (
            "test2@serenitylabs.co.uk",
            "SCDDZ7PW5MOZLE3PQCAZM7L4S35K3UDX",
        ),
        (
            "test3@serenitylabs.co.uk",
            "TR76272RVYO6EAEY2FX7W7R7KUDEGPJ4",
        ),
        (
            "test4@serenitylabs.co.uk",
            "N2ILWSXSJUQUB7S6NONPJSC62NPG7EXN",
        ),
    ];
    for variant in [text.to_owned(), text.replace('+', " ")] {
        let batch = parse(&variant);
        let got = accounts(&batch);
        assert_eq!(got.len(), 4);
        for (account, (name, secret)) in got.iter().zip(expected) {
            assert_eq!(account.issuer, "SerenityLabs");
            assert_eq!(account.name, name);
            assert_eq!(base32(account.otp.secret.expose()), secret);
            assert_eq!(account.otp.kind, OtpKind::Totp { period: 30 });
        }
        assert!(batch.batch_id < 0);
    }
}

// ---------------------------------------------------------------------------------------
// Several codes

#[test]
fn codes_of_one_export_are_grouped_and_missing_ones_named() {
    let code =
        |index, issuer: &'static str| parse(&link(&payload(&[totp(issuer, "me")], 3, index, -42)));
    let other = parse(&link(&payload(&[totp("Solo", "me")], 1, 0, 17)));
    let seen = [code(2, "C"), other, code(0, "A"), code(2, "C")];
    let groups = google_authenticator::progress(seen.iter().map(MigrationBatch::position));
    assert_eq!(groups.len(), 2);

    let export = &groups[0];
    assert_eq!(export.batch_id, -42);
    assert_eq!(export.batch_size, 3);
    assert_eq!(export.found, [0, 2]);
    assert_eq!(export.missing(), [1]);
    assert!(!export.is_complete());
    assert_eq!(
        export.note().as_deref(),
        Some("2 of 3 export codes imported — add the rest (code 2 is missing).")
    );

    assert!(groups[1].is_complete());
    assert_eq!(groups[1].note(), None);

    // Adding the missing code completes it.
    let done = google_authenticator::progress([
        ExportPart {
            batch_id: -42,
            batch_size: 3,
            batch_index: 0,
        },
        ExportPart {
            batch_id: -42,
            batch_size: 3,
            batch_index: 1,
        },
        ExportPart {
            batch_id: -42,
            batch_size: 3,
            batch_index: 2,
        },
    ]);
    assert_eq!(done.len(), 1);
    assert!(done[0].is_complete());
}

#[test]
fn a_code_placed_outside_its_export_is_rejected() {
    for (size, index) in [(3, 3), (2, 5), (1, -1), (-3, 0), (5000, 0)] {
        let result =
            google_authenticator::parse(&link(&payload(&[totp("B", "b")], size, index, 1)));
        assert!(
            matches!(result, Err(MigrationError::BadBatch { .. })),
            "{size} {index}: {result:?}"
        );
    }
    let message = google_authenticator::parse(&link(&payload(&[], 3, 3, 1)))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("code 4 of 3"), "{message}");
}

// ---------------------------------------------------------------------------------------
// Entries that cannot be imported

#[test]
fn bad_entries_are_reported_one_by_one_and_the_rest_import() {
    let long_name = "n".repeat(MAX_LABEL_PART_LEN + 1);
    let entries = [
        totp("Good", "first"),
        Params {
            algorithm: Some(4),
            ..totp("Old", "md5")
        },
        Params {
            secret: b"",
            ..totp("Empty", "nokey")
        },
        Params {
            digits: Some(3),
            ..totp("Odd", "digits")
        },
        Params {
            kind: Some(7),
            ..totp("Kind", "unknown")
        },
        Params {
            kind: Some(1),
            counter: Some(-5),
            ..totp("Hotp", "negative")
        },
        Params {
            algorithm: Some(9),
            ..totp("Algo", "nine")
        },
        Params {
            name: &long_name,
            ..totp("Long", "")
        },
        totp("Good", "last"),
    ];
    let batch = parse(&link(&payload(&entries, 1, 0, 1)));
    assert_eq!(batch.entries.len(), 9);
    let names: Vec<&str> = batch.accounts().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["first", "last"]);

    let errors: Vec<_> = batch
        .entries
        .iter()
        .filter_map(|e| e.as_ref().err())
        .collect();
    let problems: Vec<&EntryProblem> = errors.iter().map(|e| &e.problem).collect();
    assert_eq!(
        problems,
        [
            &EntryProblem::Md5,
            &EntryProblem::EmptySecret,
            &EntryProblem::UnknownDigits { value: 3 },
            &EntryProblem::UnknownType { value: 7 },
            &EntryProblem::NegativeCounter,
            &EntryProblem::UnknownAlgorithm { value: 9 },
            &EntryProblem::TextTooLong {
                part: "account name",
                len: MAX_LABEL_PART_LEN + 1
            },
        ]
    );
    assert_eq!(errors[0].position, 2);
    assert_eq!(
        errors[0].to_string(),
        "Account 2 (Old: md5) uses the MD5 algorithm, which Ringlet does not support."
    );
    assert_eq!(
        errors[1].to_string(),
        "Account 3 (Empty: nokey) has no secret key."
    );
    assert!(
        errors[2].to_string().contains("expected 6 or 8 digits"),
        "{}",
        errors[2]
    );
    // An unreadable name does not name the entry; the issuer still does.
    assert_eq!(
        errors[6].to_string(),
        format!(
            "Account 8 (Long) has an account name of {} bytes; at most {MAX_LABEL_PART_LEN} bytes are accepted.",
            MAX_LABEL_PART_LEN + 1
        )
    );
}

#[test]
fn broken_text_and_damaged_entries_are_per_entry() {
    let mut bytes = Vec::new();
    // Invalid UTF-8 in the issuer.
    let mut entry = encode_params(&totp("", "who"));
    bytes_field(&mut entry, 3, &[0xff, 0xfe]);
    bytes_field(&mut bytes, 1, &entry);
    // An entry whose inner fields are cut short (its own length is right).
    let mut cut = encode_params(&totp("Cut", "short"));
    cut.push(0x0a); // field 1, bytes …
    cut.push(0x7f); // … 127 of them, which are not there
    bytes_field(&mut bytes, 1, &cut);
    // A known field with the wrong encoding: the secret as a number.
    let mut wrong = encode_params(&totp("Wrong", "kind"));
    int_field(&mut wrong, 1, 5);
    bytes_field(&mut bytes, 1, &wrong);
    bytes_field(&mut bytes, 1, &encode_params(&totp("Fine", "ok")));
    let batch = parse(&link(&bytes));
    let problems: Vec<String> = batch
        .entries
        .iter()
        .filter_map(|e| e.as_ref().err())
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        problems,
        [
            "Account 1 (who) has an issuer that is not valid UTF-8 text.",
            "Account 2 (Cut: short) is damaged: its data ends in the middle of a field.",
            "Account 3 (Wrong: kind) is damaged: a field is not encoded the way this format says.",
        ]
    );
    assert_eq!(batch.accounts().count(), 1);
}

#[test]
fn nothing_printed_holds_the_secret() {
    let secret = b"do-not-print-this-secret".to_vec();
    let entries = [
        Params {
            secret: &secret,
            ..totp("Shown", "label")
        },
        Params {
            secret: &secret,
            algorithm: Some(4),
            ..totp("Md5", "label")
        },
    ];
    let text = link(&payload(&entries, 1, 0, 1));
    let batch = parse(&text);
    let shown = format!("{batch:?}");
    let errors: String = batch
        .entries
        .iter()
        .filter_map(|e| e.as_ref().err())
        .map(|e| format!("{e} {e:?}"))
        .collect();
    for output in [&shown, &errors] {
        assert!(!output.contains("do-not-print"), "{output}");
        assert!(!output.contains(&base32(&secret)), "{output}");
        assert!(!output.contains("100, 111"), "{output}"); // "do" as decimal bytes
    }
    assert!(shown.contains("redacted"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Links that cannot be read at all

#[test]
fn unreadable_links_get_clear_errors() {
    let good = payload(&[totp("T", "t")], 1, 0, 1);
    let good_data = data_encoding::BASE64.encode(&good);
    let cases: Vec<(String, MigrationError)> = vec![
        ("   ".into(), MigrationError::Empty),
        (
            "otpauth://totp/A:b?secret=JBSWY3DP".into(),
            MigrationError::NotMigration,
        ),
        (
            "otpauth-migration://offline".into(),
            MigrationError::MissingData,
        ),
        (
            "otpauth-migration://offline?data=".into(),
            MigrationError::MissingData,
        ),
        (
            "otpauth-migration://offline?data===".into(),
            MigrationError::MissingData,
        ),
        (
            format!("otpauth-migration://offline?data={good_data}&data={good_data}"),
            MigrationError::DuplicateData,
        ),
        (
            "otpauth-migration://offline?data=Cj%2".into(),
            MigrationError::BadPercentEncoding,
        ),
        (
            "otpauth-migration://offline?data=not!base64".into(),
            MigrationError::NotBase64,
        ),
        (
            "otpauth-migration://offline?data=A".into(),
            MigrationError::NotBase64,
        ),
        (
            // Field 1 says 53 bytes follow; only a few do.
            "otpauth-migration://offline?data=CjUKEPql".into(),
            MigrationError::Damaged(Damage::Truncated),
        ),
        (
            // A varint of eleven bytes.
            raw_link(&[
                0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ]),
            MigrationError::Damaged(Damage::LongNumber),
        ),
        (
            raw_link(&[0x00, 0x01]),
            MigrationError::Damaged(Damage::BadField),
        ),
        (
            raw_link(&[0x0b, 0x01]),
            MigrationError::Damaged(Damage::BadField),
        ), // a group
        (
            raw_link(&[0x08, 0x01]),
            MigrationError::Damaged(Damage::WrongEncoding),
        ),
        (
            format!("otpauth-migration://offline?data={}", "A".repeat(100_000)),
            MigrationError::DataTooLarge { len: 75_000 },
        ),
        (
            format!("otpauth-migration://offline?data={}", "A".repeat(300_000)),
            MigrationError::TooLong { len: 300_033 },
        ),
    ];
    for (text, expected) in cases {
        let result = google_authenticator::parse(&text);
        assert_eq!(
            result.as_ref().err(),
            Some(&expected),
            "{}",
            &text[..text.len().min(80)]
        );
        let message = expected.to_string();
        assert!(message.ends_with('.'), "{message}");
        assert!(
            !message.contains("CjUK") && !message.contains(&good_data),
            "{message}"
        );
    }
    // The link cut at every length: an error or a batch, never a panic.
    let text = link(&good);
    for (cut, _) in text.char_indices() {
        let _ = google_authenticator::parse(&text[..cut]);
    }
}

#[test]
fn more_than_a_thousand_entries_are_refused() {
    let entries = vec![totp("M", "m"); 1001];
    assert_eq!(
        google_authenticator::parse(&link(&payload(&entries, 1, 0, 1))),
        Err(MigrationError::TooManyEntries)
    );
    let entries = vec![totp("M", "m"); 1000];
    assert_eq!(
        parse(&link(&payload(&entries, 1, 0, 1))).entries.len(),
        1000
    );
}

// ---------------------------------------------------------------------------------------
// No panic on any bytes

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn mutated_and_random_payloads_never_panic() {
    let seed = payload(
        &[
            totp("GitHub", "GitHub:alice"),
            Params {
                kind: Some(1),
                counter: Some(-1),
                algorithm: Some(4),
                ..totp("Hotp", "bob")
            },
            Params {
                digits: Some(2),
                algorithm: Some(3),
                ..totp("", "Issuer:carol")
            },
        ],
        4,
        2,
        -99,
    );
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut outcomes = [0usize; 2];
    for round in 0..20_000 {
        let mut bytes = seed.clone();
        for _ in 0..=rng.below(4) {
            match rng.below(5) {
                0 => {
                    let at = rng.below(bytes.len());
                    bytes[at] = rng.next() as u8;
                }
                1 => {
                    let at = rng.below(bytes.len());
                    bytes[at] ^= 1 << rng.below(8);
                }
                2 => {
                    let at = rng.below(bytes.len() + 1);
                    bytes.truncate(at);
                }
                3 => {
                    let at = rng.below(bytes.len() + 1);
                    bytes.insert(at, rng.next() as u8);
                }
                _ => {
                    let at = rng.below(bytes.len());
                    bytes.remove(at.min(bytes.len().saturating_sub(1)));
                }
            }
            if bytes.is_empty() {
                bytes.push(0x0a);
            }
        }
        if round % 10 == 0 {
            // Pure noise of random length.
            let len = rng.below(300);
            bytes = (0..len).map(|_| rng.next() as u8).collect();
        }
        let result = google_authenticator::parse(&link(&bytes));
        outcomes[usize::from(result.is_ok())] += 1;
        if let Ok(batch) = result {
            assert!(batch.batch_index < batch.batch_size);
            assert!(batch.entries.len() <= google_authenticator::MAX_ENTRIES);
            for entry in &batch.entries {
                match entry {
                    Ok(account) => {
                        assert!(!account.otp.secret.is_empty());
                        assert!(matches!(account.otp.digits, 6 | 8));
                    }
                    Err(error) => assert!(!error.to_string().is_empty()),
                }
            }
        }
    }
    // Both outcomes are exercised.
    assert!(outcomes[0] > 1000 && outcomes[1] > 1000, "{outcomes:?}");

    // Random text after the scheme, too.
    let alphabet = b"ABCZabcz0129+/=%2B %3D&?#data=\n";
    for _ in 0..5_000 {
        let len = rng.below(200);
        let tail: String = (0..len)
            .map(|_| char::from(alphabet[rng.below(alphabet.len())]))
            .collect();
        let _ = google_authenticator::parse(&format!("otpauth-migration://offline?data={tail}"));
        let _ = google_authenticator::parse(&format!("otpauth-migration:{tail}"));
    }
}

#[test]
fn export_codes_count_every_account_toward_the_import_limit() {
    use ringlet_core::import::{self, ImportError, MAX_ENTRIES};
    let names: Vec<String> = (0..1000).map(|i| format!("user{i}")).collect();
    let entries: Vec<Params> = names.iter().map(|name| totp("Bulk", name)).collect();
    let line = format!("{}\n", link(&payload(&entries, 1, 0, 1)));
    let ten = line.repeat(MAX_ENTRIES / 1000);
    let found = import::read_bytes(ten.as_bytes()).map(|found| found.entry_count());
    assert_eq!(found.ok(), Some(MAX_ENTRIES));
    // Eleven lines are far fewer than MAX_ENTRIES lines, but hold 11 000 accounts.
    let eleven = format!("{ten}{line}");
    assert!(matches!(
        import::read_bytes(eleven.as_bytes()),
        Err(ImportError::TooManyEntries)
    ));
}
