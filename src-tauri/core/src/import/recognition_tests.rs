//! Every format recognises its own files and no other's: the recognisers must not overlap,
//! since the first of [`FORMATS`] that claims a file reads it. Small files made here; the
//! other apps' real exports are checked the same way in `tests/other_apps.rs`.

use super::*;

#[test]
fn each_format_recognises_its_own_files_and_no_other_format_does() {
    let mut binary = vec![0xc3, 0x28];
    binary.extend((0u8..60).map(|n| n.wrapping_mul(37) | 0x80));
    let zip = zip::testing::archive(
        "Accounts.txt",
        b"otpauth://totp/A?secret=JBSWY3DPEHPK3PXP\n",
        Some(b"pw"),
    );
    let winauth_zip = zip::testing::archive(
        "winauth.txt",
        b"otpauth://totp/A?secret=JBSWY3DPEHPK3PXP\n",
        Some(b"pw"),
    );
    let database = |table: &str, sql: &str| {
        sqlite::testing::database(
            &[sqlite::testing::Table {
                name: table,
                sql,
                rows: Vec::new(),
            }],
            None,
        )
    };
    let google = database(
        "accounts",
        "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT, secret TEXT, counter INTEGER, type INTEGER, issuer TEXT)",
    );
    let microsoft = database(
        "accounts",
        "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, name TEXT, username TEXT, oath_secret_key TEXT, account_type INTEGER)",
    );
    let stratum_db = database(
        "authenticator",
        "CREATE TABLE authenticator (type integer, issuer varchar, username varchar, secret varchar primary key, algorithm integer)",
    );
    let samples: [(&str, &[u8]); 33] = [
        ("google-authenticator-db", &google),
        ("microsoft-authenticator", &microsoft),
        ("stratum-db", &stratum_db),
        ("lastpass", br#"{"version":3,"localDeviceId":"l","accounts":[]}"#),
        ("lastpass", br#"{"version":1,"accounts":[{"issuerName":"A","userName":"b","secret":"JBSWY3DPEHPK3PXP","timeStep":30}]}"#),
        ("winauth", &winauth_zip),
        ("winauth", b"otpauth://totp/Steam:a?secret=JBSWY3DPEHPK3PXP&digits=5&deviceid=x\n"),
        ("aegis", br#"{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[]}}"#),
        ("twofas", br#"{"services":[],"groups":[],"schemaVersion":4}"#),
        ("twofas", br#"{"services":[],"schemaVersion":2,"servicesEncrypted":"a:b:c"}"#),
        ("stratum", br#"{"Authenticators":[],"Categories":[]}"#),
        ("stratum", b"AUTHENTICATORPRO0123456789abcdef"),
        ("stratum", b"AuthenticatorPro0123456789abcdef"),
        ("bitwarden", br#"{"encrypted":false,"folders":[],"items":[]}"#),
        ("bitwarden", b"folder,favorite,type,name,notes,fields,reminder,login_uri,login_username,login_password,login_totp\n"),
        ("proton", br#"{"version":1,"entries":[{"id":"1","content":{"uri":"otpauth://totp/A?secret=JBSWY3DPEHPK3PXP"}}]}"#),
        ("andotp", br#"[{"secret":"JBSWY3DPEHPK3PXP","type":"TOTP","label":"a"}]"#),
        ("proton", br#"{"version":1,"salt":"AAAA","content":"AAAA"}"#),
        ("steam", br#"{"shared_secret":"AAAA","account_name":"a"}"#),
        ("steam", br#"{"accounts":{"1":{"shared_secret":"AAAA","account_name":"a"}}}"#),
        ("freeotp", br#"{"tokenOrder":[],"tokens":[]}"#),
        ("authy", b"<map><string name=\"com.authy.storage.tokens.authenticator.key\">[]</string></map>"),
        ("freeotp-xml", b"<map><string name=\"tokenOrder\">[]</string></map>"),
        ("freeotp-backup", b"\xac\xed\x00\x05\x73\x72\x00\x11java.util.HashMap\x05\x07\xda\xc1\xc3\x16\x60\xd1\x03\x00\x00\x78\x70\x77\x08\0\0\0\x10\0\0\0\x01\x74\0\x09masterKey"),
        ("battlenet", b"<map><string name=\"com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET\">00</string></map>"),
        ("totp-authenticator-xml", b"<map><string name=\"STATIC_TOTP_CODES_LIST\">[]</string></map>"),
        ("duo", br#"[{"name":"a","otpGenerator":{"otpSecret":"JBSWY3DPEHPK3PXP"}}]"#),
        ("authenticator-plus", &zip),
        ("totp-authenticator", b"u51d1LQbPDtXbvihHPguTkF6klbc5rJgSpA6KX7oUM4Lt0GLO027ypc2/LvGJDH6zvmfQ4tASN4Iv/bZBllzMQ=="),
        ("andotp", &binary),
        ("ente", b"otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&codeDisplay=%7B%7D\n"),
        ("ente", br#"{"version":1,"kdfParams":{},"encryptedData":"","encryptionNonce":""}"#),
        ("otpauth", b"otpauth://totp/A?secret=JBSWY3DPEHPK3PXP\n"),
    ];
    for (id, bytes) in samples {
        let claimed: Vec<&str> = FORMATS
            .iter()
            .filter(|format| format.recognises(bytes))
            .map(|format| format.id())
            .collect();
        assert_eq!(claimed, [id], "{}", String::from_utf8_lossy(bytes));
    }
    assert_eq!(
        format_ids(),
        [
            "qr",
            "google-authenticator-db",
            "microsoft-authenticator",
            "stratum-db",
            "aegis",
            "twofas",
            "stratum",
            "bitwarden",
            "proton",
            "lastpass",
            "steam",
            "freeotp",
            "freeotp-xml",
            "freeotp-backup",
            "authy",
            "battlenet",
            "totp-authenticator-xml",
            "andotp",
            "duo",
            "authenticator-plus",
            "winauth",
            "ente",
            "otpauth",
            "totp-authenticator"
        ]
    );
}

#[test]
fn a_json_list_is_not_taken_for_a_format_whose_file_is_an_object() {
    // serde fills a struct from an array field by field: Duo's list of two accounts
    // once read as a Steam maFile. It is Duo's now, and only Duo's.
    let duo = r#"[{"name":"a","otpGenerator":{"otpSecret":"JBSWY3DPEHPK3PXP"}},{"name":"b"}]"#;
    let claimed: Vec<&str> = FORMATS
        .iter()
        .filter(|format| format.recognises(duo.as_bytes()))
        .map(|format| format.id())
        .collect();
    assert_eq!(claimed, ["duo"]);
    for list in [
        r#"[1,{"slots":null,"params":null},{"version":2,"entries":[]}]"#,
        r#"[[],{},1]"#,
    ] {
        assert!(
            matches!(read_bytes(list.as_bytes()), Err(ImportError::NotRecognised)),
            "{list}"
        );
    }
}

#[test]
fn a_format_chosen_by_hand_refuses_other_files() {
    let aegis = format_by_id("aegis").unwrap_or_else(|| panic!("aegis is a format"));
    let error = open_bytes_as(aegis, b"otpauth://totp/A?secret=JBSWY3DPEHPK3PXP", None)
        .expect_err("not an Aegis file");
    assert_eq!(
        error.to_string(),
        "This file is not of the kind chosen (Aegis backup)."
    );
}
