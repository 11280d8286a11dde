use std::io::Cursor;

use super::*;
use crate::model::{Algorithm, OtpKind, OtpParams, Secret};

fn account(issuer: &str, icon: Option<Icon>) -> Account {
    let mut account = Account::new(
        issuer,
        "alice",
        OtpParams {
            secret: Secret::new(b"12345678901234567890".to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    );
    account.icon = icon;
    account
}

fn png(width: u32, height: u32, noisy: bool) -> Vec<u8> {
    let mut seed = 7u32;
    let image = image::RgbaImage::from_fn(width, height, |x, y| {
        if noisy {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let [a, b, c, d] = seed.to_le_bytes();
            image::Rgba([a, b, c, d | 1])
        } else {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255])
        }
    });
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

#[test]
fn an_issuer_matches_its_icon_by_name_whatever_the_case_and_spacing() {
    for issuer in ["GitHub", "github", " Git Hub ", "GITHUB!"] {
        assert_eq!(
            bundled_for(issuer).map(|i| i.name),
            Some("github"),
            "{issuer}"
        );
    }
    assert_eq!(bundled_for("1Password").map(|i| i.name), Some("1password"));
    assert_eq!(
        bundled_for("Battle.net").map(|i| i.name),
        Some("battledotnet")
    );
    assert_eq!(bundled_for("Contoso Bank"), None);
    assert_eq!(bundled_for(""), None);
    assert_eq!(bundled_for("   "), None);
}

#[test]
fn an_issuer_written_as_a_domain_matches_by_the_service_s_domains() {
    assert_eq!(bundled_for("github.com").map(|i| i.name), Some("github"));
    assert_eq!(
        bundled_for("https://accounts.google.com/signin").map(|i| i.name),
        Some("google")
    );
    assert_eq!(
        bundled_for("www.Dropbox.com").map(|i| i.name),
        Some("dropbox")
    );
    assert_eq!(bundled_for("twitter.com").map(|i| i.name), Some("x"));
    assert_eq!(
        bundled_for("eu.id.atlassian.com").map(|i| i.name),
        Some("atlassian")
    );
    // A domain that merely ends in the same letters is another service.
    assert_eq!(bundled_for("notgithub.com"), None);
    assert_eq!(bundled_for("github.com.evil.example"), None);
}

#[test]
fn every_bundled_icon_is_a_plain_svg_with_a_unique_name() {
    assert!(all().len() >= 100, "{} icons", all().len());
    for icon in all() {
        assert!(icon.svg().starts_with("<svg "), "{}", icon.name);
        assert!(icon.svg().contains("fill=\"#"), "{}", icon.name);
        for banned in ["<script", "href", "onload", "<foreignObject"] {
            assert!(!icon.svg().contains(banned), "{} holds {banned}", icon.name);
        }
        assert_eq!(
            all().iter().filter(|other| other.name == icon.name).count(),
            1
        );
        assert_eq!(named(icon.name).map(|i| i.name), Some(icon.name));
    }
}

#[test]
fn the_choice_comes_first_then_the_match_then_the_letter() {
    assert!(matches!(shown(&account("GitHub", None)), Shown::Bundled(i) if i.name == "github"));
    assert_eq!(
        shown(&account("GitHub", Some(Icon::Letter))),
        Shown::Letter(avatar("GitHub", "alice"))
    );
    assert_eq!(shown(&account("GitHub", Some(Icon::None))), Shown::None);
    assert!(matches!(
        shown(&account("Contoso", Some(Icon::Bundled { name: "gitlab".into() }))),
        Shown::Bundled(i) if i.name == "gitlab"
    ));
    assert_eq!(
        shown(&account(
            "Contoso",
            Some(Icon::Bundled {
                name: "gone".into()
            })
        )),
        Shown::Letter(avatar("Contoso", "alice"))
    );
    assert_eq!(
        shown(&account("Contoso", Some(Icon::Image { png: vec![1, 2] }))),
        Shown::Image(&[1, 2])
    );
    assert_eq!(
        shown(&account("Contoso", None)),
        Shown::Letter(avatar("Contoso", ""))
    );
}

#[test]
fn a_letter_avatar_is_stable_and_falls_back_to_the_name() {
    let contoso = avatar("Contoso", "alice");
    assert_eq!(contoso.letter, "C");
    assert_eq!(
        avatar("contoso", "bob"),
        contoso,
        "the issuer alone decides"
    );
    // FNV-1a of "contoso", fixed: the colour must not change between versions.
    assert_eq!(contoso.hue, 32);
    assert_eq!(avatar("Fabrikam", "").hue, 230);
    assert_eq!(avatar("", "bob@example.com").letter, "B");
    assert_eq!(avatar("  ", "").letter, "?");
    assert_eq!(avatar("ñandú", "").letter, "Ñ");
}

#[test]
fn a_custom_icon_is_a_small_png_whatever_the_source() {
    for (width, height) in [(1024, 512), (30, 40), (64, 64)] {
        let icon = custom_icon(&png(width, height, false)).unwrap_or_else(|e| panic!("{e}"));
        assert!(icon.len() <= MAX_CUSTOM_PNG_BYTES, "{} bytes", icon.len());
        let back = image::load_from_memory(&icon).unwrap();
        assert!(back.width() <= CUSTOM_SIDE && back.height() <= CUSTOM_SIDE);
        assert_eq!(
            back.width().max(back.height()),
            width.max(height).min(CUSTOM_SIDE)
        );
    }
    let noisy = custom_icon(&png(400, 400, true)).unwrap_or_else(|e| panic!("{e}"));
    assert!(noisy.len() <= MAX_CUSTOM_PNG_BYTES, "{} bytes", noisy.len());
}

#[test]
fn hostile_or_huge_images_are_refused_with_a_reason() {
    assert!(matches!(
        custom_icon(b"not an image at all"),
        Err(IconError::NotAnImage)
    ));
    let mut truncated = png(200, 200, true);
    truncated.truncate(truncated.len() / 2);
    assert!(matches!(custom_icon(&truncated), Err(IconError::Damaged)));
    // A PNG header announcing 60000×60000 pixels: refused before any pixel is decoded.
    let mut huge = png(1, 1, false);
    huge[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    huge[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let error = custom_icon(&huge).unwrap_err();
    assert!(
        matches!(error, IconError::TooLarge { .. } | IconError::Damaged),
        "{error:?}"
    );
    let wide = png(MAX_CUSTOM_SOURCE_SIDE + 1, 1, false);
    assert!(matches!(
        custom_icon(&wide),
        Err(IconError::TooLarge { width, .. }) if width == MAX_CUSTOM_SOURCE_SIDE + 1
    ));
    let big = vec![0u8; MAX_CUSTOM_SOURCE_BYTES as usize + 1];
    let error = custom_icon(&big).unwrap_err();
    assert!(matches!(error, IconError::FileTooLarge(_)));
    assert!(error.to_string().contains("16 MiB"), "{error}");
}

#[test]
fn icons_are_written_as_ringlet_0_1_0_reads_them() {
    /// Ringlet 0.1.0's `Icon`, as it was declared.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(tag = "kind", content = "name", rename_all = "lowercase")]
    enum OldIcon {
        Bundled(String),
        Custom(String),
    }
    let old = |icon: Icon| {
        let json = serde_json::to_string(&icon).unwrap();
        serde_json::from_str::<OldIcon>(&json).map_err(|e| format!("{json}: {e}"))
    };
    assert_eq!(
        old(Icon::Bundled {
            name: "github".into()
        }),
        Ok(OldIcon::Bundled("github".into()))
    );
    assert_eq!(
        old(Icon::Image { png: vec![1, 2, 3] }),
        Ok(OldIcon::Custom("image".into()))
    );
    assert_eq!(old(Icon::Letter), Ok(OldIcon::Custom("letter".into())));
    assert_eq!(old(Icon::None), Ok(OldIcon::Custom("none".into())));
    assert_eq!(
        serde_json::to_string(&Icon::Image { png: vec![1, 2, 3] }).unwrap(),
        r#"{"kind":"custom","name":"image","png":"AQID"}"#
    );
}

#[test]
fn old_records_read_and_new_icons_round_trip() {
    let old: Icon = serde_json::from_str(r#"{"kind":"bundled","name":"github"}"#).unwrap();
    assert_eq!(
        old,
        Icon::Bundled {
            name: "github".into()
        }
    );
    let old: Icon = serde_json::from_str(r#"{"kind":"custom","name":"x"}"#).unwrap();
    assert_eq!(
        old,
        Icon::Custom {
            kind: "custom".into(),
            name: "x".into()
        }
    );
    let later: Icon = serde_json::from_str(r#"{"kind":"emoji","name":"🔑","size":3}"#).unwrap();
    assert_eq!(
        later,
        Icon::Custom {
            kind: "emoji".into(),
            name: "🔑".into()
        }
    );
    for icon in [
        Icon::Letter,
        Icon::None,
        Icon::Image {
            png: vec![137, 80, 78, 71],
        },
        Icon::Bundled {
            name: "gitlab".into(),
        },
    ] {
        let json = serde_json::to_string(&icon).unwrap();
        assert_eq!(serde_json::from_str::<Icon>(&json).unwrap(), icon, "{json}");
    }
    let too_big = format!(
        r#"{{"kind":"custom","name":"image","png":"{}"}}"#,
        "A".repeat(40 * 1024)
    );
    assert!(serde_json::from_str::<Icon>(&too_big).is_err());
}
