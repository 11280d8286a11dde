use std::time::Duration;

use super::*;
use crate::model::{Algorithm, OtpKind, OtpParams, Secret};
use crate::vault::KdfParams;

fn vault(dir: &std::path::Path) -> Vault {
    crate::vault::keep_weak_kdf_for_tests();
    Vault::create_with(dir, b"clock test", KdfParams::fast_for_tests())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn account(time_offset: i32) -> Account {
    let mut account = Account::new(
        "GitHub",
        "alice",
        OtpParams {
            secret: Secret::new(b"12345678901234567890".to_vec()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    );
    account.time_offset = time_offset;
    account
}

fn anchored(seconds: i64, source: OffsetSource, anchor: Option<Anchor>) -> MachineOffset {
    MachineOffset {
        seconds,
        source,
        set_at_ms: 1,
        anchor,
    }
}

#[test]
fn no_file_means_not_asked_yet_and_the_pool_and_no_offset() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(dir.path());
    let settings = ClockSettings::load(&vault).unwrap();
    assert_eq!(settings, ClockSettings::default());
    assert_eq!(settings.check, None, "off until the person says yes");
    assert_eq!(settings.server, "pool.ntp.org");
    assert_eq!(settings.offset_now(crate::otp::now_ms()), 0);
}

#[test]
fn saved_settings_read_back_sealed_and_not_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(dir.path());
    let mut settings = ClockSettings {
        check: Some(true),
        server: "time.example.org:1230".into(),
        offset: None,
    };
    settings
        .set_offset(133, OffsetSource::Code, crate::otp::now_ms())
        .unwrap();
    settings.save(&vault).unwrap();
    assert_eq!(ClockSettings::load(&vault).unwrap(), settings);
    let bytes = std::fs::read(dir.path().join(CLOCK_FILE)).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("time.example.org"), "sealed: {text}");
}

/// Someone who can write the folder but not open the vault can neither turn the check on,
/// point it at their server, nor shift the codes: a file not sealed for this vault is refused.
#[test]
fn a_file_not_sealed_for_this_vault_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(dir.path());
    let path = dir.path().join(CLOCK_FILE);
    std::fs::write(&path, br#"{"check": true, "server": "evil.example"}"#).unwrap();
    assert!(matches!(
        ClockSettings::load(&vault),
        Err(ClockError::Unsealed)
    ));
    let other_dir = tempfile::tempdir().unwrap();
    let other = self::vault(other_dir.path());
    ClockSettings {
        check: Some(true),
        ..ClockSettings::default()
    }
    .save(&other)
    .unwrap();
    std::fs::copy(other_dir.path().join(CLOCK_FILE), &path).unwrap();
    assert!(matches!(
        ClockSettings::load(&vault),
        Err(ClockError::Unsealed)
    ));
    let mut flipped = std::fs::read(&path).unwrap();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    std::fs::write(&path, flipped).unwrap();
    assert!(matches!(
        ClockSettings::load(&vault),
        Err(ClockError::Unsealed)
    ));
    std::fs::write(&path, vec![b'x'; 20 * 1024]).unwrap();
    assert!(matches!(
        ClockSettings::load(&vault),
        Err(ClockError::Invalid(_))
    ));
}

#[test]
fn the_settings_survive_a_password_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = vault(dir.path());
    let settings = ClockSettings {
        check: Some(false),
        server: "127.0.0.1:4123".into(),
        offset: Some(anchored(-45, OffsetSource::Manual, None)),
    };
    settings.save(&vault).unwrap();
    vault
        .change_password_with(b"another password", KdfParams::fast_for_tests(), None)
        .unwrap();
    assert_eq!(ClockSettings::load(&vault).unwrap(), settings);
    drop(vault);
    let reopened = Vault::open(dir.path(), b"another password").unwrap();
    assert_eq!(ClockSettings::load(&reopened).unwrap(), settings);
}

#[test]
fn bounds_hold_on_save_and_on_set() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(dir.path());
    let mut settings = ClockSettings::default();
    assert!(matches!(
        settings.set_offset(MAX_MACHINE_OFFSET_SECONDS + 1, OffsetSource::Manual, 0),
        Err(ClockError::OffsetTooLarge)
    ));
    settings
        .set_offset(-MAX_MACHINE_OFFSET_SECONDS, OffsetSource::Manual, 0)
        .unwrap();
    assert!(settings.offset.is_some());
    settings.set_offset(0, OffsetSource::Manual, 0).unwrap();
    assert_eq!(settings.offset, None, "0 removes the offset");
    let bad_server = ClockSettings {
        server: "not a server".into(),
        ..ClockSettings::default()
    };
    assert!(matches!(
        bad_server.save(&vault),
        Err(ClockError::Server(_))
    ));
    let huge = ClockSettings {
        offset: Some(anchored(90_000, OffsetSource::Manual, None)),
        ..ClockSettings::default()
    };
    assert!(huge.save(&vault).is_err());
}

#[test]
fn an_offset_follows_the_clock_when_the_clock_is_set() {
    let then = Anchor::at("boot".into(), 1_000_000_000, Duration::from_secs(100));
    let offset = anchored(133, OffsetSource::Manual, Some(then));
    let later = |clock_set_by_ms: u64| {
        Anchor::at(
            "boot".into(),
            1_000_000_000 + 50_000 + clock_set_by_ms,
            Duration::from_secs(150),
        )
    };
    assert_eq!(offset.in_force(Some(&later(0))), Some(133));
    assert_eq!(offset.in_force(Some(&later(60_000))), Some(73));
    assert_eq!(offset.in_force(Some(&later(133_000))), None, "put right");
    assert_eq!(
        offset.in_force(Some(&later(133_400))),
        None,
        "right to the second"
    );
    // Another boot, or no anchor: as it was set.
    let rebooted = Anchor::at("other".into(), 2_000_000_000, Duration::from_secs(5));
    assert_eq!(offset.in_force(Some(&rebooted)), Some(133));
    assert_eq!(offset.in_force(None), Some(133));
    assert_eq!(
        anchored(-20, OffsetSource::Code, None).in_force(None),
        Some(-20)
    );
}

#[test]
fn an_offset_from_the_server_follows_each_check_and_goes_once_the_clock_is_right() {
    let now = crate::otp::now_ms();
    let mut settings = ClockSettings::default();
    assert!(
        !settings.follow_server(133, now),
        "no offset: a check changes nothing"
    );
    settings.set_offset(133, OffsetSource::Server, now).unwrap();
    assert!(!settings.follow_server(133, now));
    assert!(settings.follow_server(140, now));
    assert_eq!(settings.offset_now(now), 140);
    // A jump beyond five minutes is not taken silently: the banner asks again.
    assert!(!settings.follow_server(140 + FOLLOW_AT_MOST_SECONDS + 1, now));
    assert!(!settings.follow_server(-3600, now));
    assert_eq!(settings.offset_now(now), 140);
    assert!(settings.follow_server(140 + FOLLOW_AT_MOST_SECONDS, now));
    assert_eq!(settings.offset_now(now), 440);
    assert!(settings.follow_server(3, now), "the clock is right again");
    assert_eq!(settings.offset, None);

    let mut manual = ClockSettings::default();
    manual.set_offset(60, OffsetSource::Manual, now).unwrap();
    assert!(
        !manual.follow_server(0, now),
        "a person's offset stays until they change it"
    );
    assert_eq!(manual.offset_now(now), 60);
}

#[test]
fn codes_are_computed_for_the_clock_plus_both_offsets() {
    let clock = CodeClock::at(1_000_000_500, 120);
    assert_eq!(clock.machine_offset(), 120);
    let plain = clock.for_account(&account(0));
    assert_eq!(
        plain,
        CodeMoment {
            unix: 1_000_120,
            offset: 120
        }
    );
    let late_service = clock.for_account(&account(-20));
    assert_eq!(
        late_service,
        CodeMoment {
            unix: 1_000_100,
            offset: 100
        }
    );
    // Before 1970 reads as 0 rather than wrapping.
    assert_eq!(CodeClock::at(5_000, -60).with_offset(-60).unix, 0);
}

/// The window counts down on its own clock: the code's end is said on this computer's clock.
#[test]
fn a_codes_end_is_said_on_this_computers_clock() {
    // This clock reads 1 000 000.5 s; corrected by +133 s the code's period is
    // [1 000 110, 1 000 140), which ends at 1 000 007 on this clock.
    let moment = CodeClock::at(1_000_000_500, 133).for_account(&account(0));
    assert_eq!(moment.next_period(30), 1_000_140);
    assert_eq!(moment.expires_ms(30), 1_000_007_000);
    let uncorrected = CodeClock::at(1_000_000_500, 0).for_account(&account(0));
    assert_eq!(uncorrected.expires_ms(30), 1_000_020_000);
}

#[test]
fn settling_anchors_an_earlier_boots_offset_anew_and_keeps_this_boots_as_it_stands() {
    let now = crate::otp::now_ms();
    let Some(here) = Anchor::read(now) else {
        let mut settings = ClockSettings::default();
        settings.set_offset(30, OffsetSource::Manual, now).unwrap();
        assert!(!settings.settle(now), "no anchor here: nothing to settle");
        return;
    };
    let mut earlier_boot = ClockSettings {
        offset: Some(anchored(
            30,
            OffsetSource::Manual,
            Some(Anchor::at("an earlier boot".into(), 5, Duration::ZERO)),
        )),
        ..ClockSettings::default()
    };
    assert!(earlier_boot.settle(now));
    assert_eq!(earlier_boot.offset_now(now), 30);
    assert!(!earlier_boot.settle(now), "anchored in this boot already");

    // In this boot the clock was set forward 20 s since an offset of 30 s: 10 s are left,
    // and a reboot now must not bring the 30 back.
    let before = Anchor {
        clock_less_uptime_ms: here.clock_less_uptime_ms - 20_000,
        ..here.clone()
    };
    let mut partly = ClockSettings {
        offset: Some(anchored(30, OffsetSource::Manual, Some(before.clone()))),
        ..ClockSettings::default()
    };
    assert!(partly.settle(now));
    assert_eq!(partly.offset.as_ref().map(|o| o.seconds), Some(10));
    let mut put_right = ClockSettings {
        offset: Some(anchored(20, OffsetSource::Server, Some(before))),
        ..ClockSettings::default()
    };
    assert!(put_right.settle(now));
    assert_eq!(put_right.offset, None, "the clock itself was put right");
}
