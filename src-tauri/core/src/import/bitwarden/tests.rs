use super::super::cipher::testing::aes_cbc_seal;
use super::super::{open_bytes, Opened};
use super::*;

const PLAIN: &str = r#"{"encrypted":false,"folders":[{"id":"f1","name":"Work"}],"items":[
    {"type":1,"name":"Link","folderId":"f1","favorite":true,"login":{"username":"me","totp":"otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site"}},
    {"type":3,"name":"A card","card":{"number":"4111"}},
    {"type":1,"name":"Bare","login":{"username":"you","totp":"JBSW Y3DP EHPK 3PXP"}},
    {"type":1,"name":"No TOTP","login":{"username":"x","password":"p","totp":null}},
    {"type":1,"name":"Game","login":{"username":"gamer","totp":"steam://JBSWY3DPEHPK3PXP"}},
    {"type":1,"name":"Broken","login":{"username":"b","totp":"otpauth://totp/X?secret=1!"}}
]}"#;

fn read(bytes: &[u8], password: Option<&[u8]>) -> Result<Opened, ImportError> {
    open_bytes(bytes, password)
}

fn check(contents: &Contents) {
    let [Item::Account(link), Item::Account(bare), Item::Account(game), Item::Problem(broken)] =
        contents.items.as_slice()
    else {
        panic!("{contents:?}");
    };
    assert_eq!(
        (link.issuer.as_str(), link.tags.as_slice()),
        ("Site", &["Work".to_string()][..])
    );
    assert!(link.pinned);
    assert_eq!((bare.issuer.as_str(), bare.name.as_str()), ("Bare", "you"));
    assert_eq!(game.otp.kind.name(), "steam");
    assert_eq!(
        (broken.item, broken.issuer.as_str(), broken.name.as_str()),
        (6, "Broken", "b")
    );
    assert!(matches!(broken.cause, Cause::InvalidLink(_)));
}

#[test]
fn plain_exports_give_each_login_with_a_totp() {
    match read(PLAIN.as_bytes(), None) {
        Ok(Opened::Read(contents)) => check(&contents),
        other => panic!("{other:?}"),
    }
}

/// "2.IV|DATA|MAC" of `plain` under the stretched keys.
fn enc_string(enc_key: &Key, mac_key: &Key, plain: &[u8]) -> String {
    let iv = [8u8; 16];
    let data = aes_cbc_seal(enc_key, &iv, plain);
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, mac_key.as_ref());
    let mac = ring::hmac::sign(&key, &[iv.as_slice(), &data].concat());
    let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
    format!("2.{}|{}|{}", b64(&iv), b64(&data), b64(mac.as_ref()))
}

fn protected(password: &[u8], kdf: &str) -> String {
    let header = format!(
        r#"{{"encrypted":true,"passwordProtected":true,"salt":"c2FsdHNhbHQ=",{kdf},"encKeyValidation_DO_NOT_EDIT":"","data":""}}"#
    );
    let export: Export = json(header.as_bytes()).unwrap_or_else(|| panic!("header"));
    let (enc_key, mac_key) = derive_keys(&export, password).unwrap_or_else(|e| panic!("{e}"));
    let check = enc_string(&enc_key, &mac_key, b"a random uuid");
    let data = enc_string(&enc_key, &mac_key, PLAIN.as_bytes());
    let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
    header
        .replace(
            r#""encKeyValidation_DO_NOT_EDIT":"""#,
            &format!(r#""encKeyValidation_DO_NOT_EDIT":{}"#, quoted(&check)),
        )
        .replace(r#""data":"""#, &format!(r#""data":{}"#, quoted(&data)))
}

#[test]
fn password_protected_exports_open_with_pbkdf2_or_argon2id() {
    for kdf in [
        r#""kdfType":0,"kdfIterations":1000"#,
        r#""kdfType":1,"kdfIterations":1,"kdfMemory":1,"kdfParallelism":1"#,
    ] {
        let file = protected(b"pw", kdf);
        assert_eq!(
            read(file.as_bytes(), None).ok(),
            Some(Opened::NeedsPassword { format: NAME })
        );
        match read(file.as_bytes(), Some(b"pw")) {
            Ok(Opened::Read(contents)) => check(&contents),
            other => panic!("{kdf}: {other:?}"),
        }
        assert!(matches!(
            read(file.as_bytes(), Some(b"px")),
            Err(ImportError::WrongPassword { .. })
        ));
    }
}

#[test]
fn altered_data_fails_its_mac_before_decryption() {
    let file = protected(b"pw", r#""kdfType":0,"kdfIterations":1000"#);
    // Flip one Base64 character of the data's ciphertext (after "2.IV|").
    let at = file
        .rfind("\"data\":\"2.")
        .unwrap_or_else(|| panic!("data"))
        + 35;
    let mut bytes = file.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    assert!(matches!(
        read(&bytes, Some(b"pw")),
        Err(ImportError::Damaged {
            reason: "its data does not match its MAC",
            ..
        })
    ));
}

#[test]
fn kdf_costs_over_the_caps_are_refused() {
    for kdf in [
        r#""kdfType":0,"kdfIterations":20000000"#,
        r#""kdfType":1,"kdfIterations":3,"kdfMemory":4096,"kdfParallelism":4"#,
    ] {
        let file = format!(
            r#"{{"encrypted":true,"passwordProtected":true,"salt":"s",{kdf},"encKeyValidation_DO_NOT_EDIT":"2.AAAA|AAAA|AAAA","data":"2.AAAA|AAAA|AAAA"}}"#
        );
        assert!(
            matches!(
                read(file.as_bytes(), Some(b"pw")),
                Err(ImportError::KdfOverLimit { .. })
            ),
            "{kdf}"
        );
    }
}

#[test]
fn account_restricted_exports_are_refused_with_the_reason() {
    let file = r#"{"encrypted":true,"encKeyValidation_DO_NOT_EDIT":"2.AAAA|AAAA|AAAA","folders":[],"items":[{"type":1,"name":"2.AAAA|AAAA|AAAA"}]}"#;
    let error = read(file.as_bytes(), None).expect_err("refused");
    assert!(matches!(error, ImportError::CannotRead { .. }));
    assert!(error.to_string().contains("account's own key"), "{error}");
}

#[test]
fn csv_exports_give_each_row_with_a_totp() {
    let file = "\u{feff}folder,favorite,type,name,notes,fields,reminder,login_uri,login_username,login_password,login_totp\n\
        Work,1,login,Link,\"a note\nover two lines\",,,https://x,me,pw,otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site\n\
        ,,note,A note,text,,,,,,\n\
        ,,login,Bare,,,,,you,pw,JBSWY3DPEHPK3PXP\n\
        ,,login,Game,,,,,gamer,,steam://JBSWY3DPEHPK3PXP\n\
        ,,login,Broken,,,,,b,,otpauth://totp/X?secret=1!\n";
    let Ok(Opened::Read(contents)) = read(file.as_bytes(), None) else {
        panic!("not read");
    };
    let [Item::Account(link), Item::Account(bare), Item::Account(game), Item::Problem(broken)] =
        contents.items.as_slice()
    else {
        panic!("{contents:?}");
    };
    assert_eq!(link.tags, ["Work"]);
    assert!(link.pinned);
    assert_eq!((bare.issuer.as_str(), bare.name.as_str()), ("Bare", "you"));
    assert_eq!(game.otp.kind.name(), "steam");
    assert_eq!((broken.item, broken.issuer.as_str()), (5, "Broken"));
}
