//! `ringlet-cli clock` and the clock in `code` and `edit` (issue #13), on the real binary
//! against a real time server on 127.0.0.1 (`common::sntp_server`, three minutes ahead):
//! the check said in words, codes corrected until they are the true time's (computed here,
//! apart from Ringlet), an offset by hand, an account's own offset, a code typed from
//! another device, a server that is not there, and every refusal.

mod common;

use common::accounts::account;
use common::sntp_server::{Behaviour, SntpServer};
use common::TestVault;
use ringlet_core::model::{Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::otp;

const PASSWORD: &str = "clock test password";
const SECRET: &[u8] = b"12345678901234567890";

fn vault() -> TestVault {
    TestVault::with(
        PASSWORD,
        &[account(
            "GitHub",
            "alice",
            SECRET,
            (Algorithm::Sha1, 6, OtpKind::Totp { period: 30 }),
        )],
    )
}

/// GitHub's code `offset` seconds from now, or at `at` when given, computed here.
fn expected(offset: i64) -> String {
    let params = OtpParams {
        secret: Secret::new(SECRET.to_vec()),
        algorithm: Algorithm::Sha1,
        digits: 6,
        kind: OtpKind::Totp { period: 30 },
    };
    let at = otp::now().checked_add_signed(offset).unwrap();
    otp::generate(&params, at).unwrap()
}

/// `code GitHub` and the code expected at `offset` from now, read in one period.
fn code_and_expected(vault: &TestVault, offset: i64) -> (common::Run, String) {
    loop {
        let before = expected(offset);
        let run = vault.run(&["code", "GitHub"]);
        if before == expected(offset) {
            return (run, before);
        }
    }
}

#[test]
fn a_new_vault_says_the_check_was_not_asked_and_no_offset() {
    let vault = vault();
    let run = vault.run(&["clock"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Clock check: off, not asked yet (the app asks once; ringlet-cli clock auto on|off)\n\
         Time server: pool.ntp.org\n\
         Codes use this computer's clock as it is (no offset).\n"
    );
    let on = vault.run(&["clock", "auto", "on"]);
    assert!(on.stdout.starts_with("Clock check: on:"), "{}", on.stdout);
    let status = vault.run(&["clock", "status"]);
    assert!(
        status.stdout.starts_with("Clock check: on:"),
        "kept: {}",
        status.stdout
    );
}

#[test]
fn check_says_then_correct_makes_the_codes_the_true_times() {
    let server = SntpServer::start(Behaviour::Offset(180_000));
    let vault = vault();
    let name = server.name();
    assert_eq!(vault.run(&["clock", "server", &name]).code, 0);

    let check = vault.run(&["clock", "check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stdout
            .starts_with(&format!("{name}: this computer's clock is 3 min behind.\n")),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("(no offset)"),
        "a check corrects nothing: {}",
        check.stdout
    );
    let (plain, now_code) = code_and_expected(&vault, 0);
    assert_eq!(plain.stdout, format!("{now_code}\n"));
    assert_eq!(plain.stderr, "", "nothing corrected, nothing said");

    let correct = vault.run(&["clock", "correct"]);
    assert_eq!(correct.code, 0, "{}", correct.stderr);
    assert!(
        correct.stdout.ends_with(
            "Codes use this computer's clock +3 min (from the time server, until the clock is right).\n"
        ),
        "{}",
        correct.stdout
    );
    let (corrected, true_code) = code_and_expected(&vault, 180);
    assert_eq!(
        corrected.stdout,
        format!("{true_code}\n"),
        "the true time's code"
    );
    assert_eq!(
        corrected.stderr,
        "note: this computer's clock is corrected by +3 min (ringlet-cli clock).\n"
    );
    // A moment given with --at is the true time: the computer's offset does not apply.
    let at = vault.run(&["code", "GitHub", "--at", "59"]);
    assert_eq!(at.stdout, "287082\n", "RFC 6238, T = 59, six digits");
    assert_eq!(at.stderr, "");
}

#[test]
fn an_offset_by_hand_and_an_accounts_own_offset() {
    let vault = vault();
    let set = vault.run(&["clock", "offset", "-90"]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    assert!(set
        .stdout
        .contains("Codes use this computer's clock -1 min 30 s (set by hand)."));
    let (run, code) = code_and_expected(&vault, -90);
    assert_eq!(run.stdout, format!("{code}\n"));

    let edit = vault.run(&["edit", "GitHub", "--time-offset", "+20"]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    let (run, code) = code_and_expected(&vault, -70);
    assert_eq!(run.stdout, format!("{code}\n"));
    assert_eq!(
        run.stderr,
        "note: corrected by -1 min 10 s: this computer's clock -1 min 30 s, this account +20 s.\n"
    );
    let listed: serde_json::Value =
        serde_json::from_str(&vault.run(&["list", "--json"]).stdout).unwrap();
    assert_eq!(listed[0]["timeOffset"], 20);
    // --at: the account's own offset only.
    let at = vault.run(&["code", "GitHub", "--at", "39"]);
    assert_eq!(at.stdout, "287082\n", "T = 59 is RFC 6238's");
    assert_eq!(
        at.stderr,
        "note: this account's codes are corrected by +20 s.\n"
    );

    assert_eq!(vault.run(&["clock", "offset", "off"]).code, 0);
    let (run, code) = code_and_expected(&vault, 20);
    assert_eq!(run.stdout, format!("{code}\n"));
    for bad in [
        ["clock", "offset", "86401"],
        ["clock", "offset", "soon"],
        ["clock", "offset", "+-5"],
    ] {
        let refused = vault.run(&bad);
        assert_eq!(refused.code, 1, "{bad:?}");
        assert!(
            refused.stderr.contains("whole seconds"),
            "{}",
            refused.stderr
        );
    }
    let refused = vault.run(&["edit", "GitHub", "--time-offset", "3601"]);
    assert_eq!(refused.code, 1);
    assert!(refused
        .stderr
        .contains("--time-offset takes whole seconds between -3600 and 3600"));
}

#[test]
fn a_code_from_another_device_sets_the_offset_once_confirmed() {
    let vault = vault();
    let phone = expected(120);
    let unconfirmed = vault.run(&["clock", "calibrate", "GitHub", &phone]);
    assert_eq!(unconfirmed.code, 1, "not a terminal, no --yes");
    assert!(
        unconfirmed.stderr.contains("Add --yes"),
        "{}",
        unconfirmed.stderr
    );
    assert!(
        unconfirmed.stdout.contains("behind (to within 15 s)."),
        "{}",
        unconfirmed.stdout
    );
    assert!(
        vault.run(&["clock"]).stdout.contains("(no offset)"),
        "nothing changed"
    );

    let phone = expected(120);
    let run = vault.run(&["clock", "calibrate", "GitHub", &phone, "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Right to within half a period: 2 min, give or take 15 s.
    let near = (105..=135).any(|seconds| {
        run.stdout.contains(&format!(
            "Codes use this computer's clock {} (found from a code).",
            ringlet_core::clock::words::signed(seconds)
        ))
    });
    assert!(near, "{}", run.stdout);

    let wrong = vault.run(&["clock", "calibrate", "GitHub", "12", "--yes"]);
    assert_eq!(wrong.code, 1);
    assert!(wrong.stderr.contains("6 digits"), "{}", wrong.stderr);
}

#[test]
fn a_server_that_is_not_there_is_said_at_once() {
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|socket| socket.local_addr())
        .map(|address| address.port())
        .unwrap();
    let vault = vault();
    assert_eq!(
        vault
            .run(&["clock", "server", &format!("127.0.0.1:{port}")])
            .code,
        0
    );
    let started = std::time::Instant::now();
    let run = vault.run(&["clock", "correct"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("could not be reached"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(vault.run(&["clock"]).stdout.contains("(no offset)"));
    let refused = vault.run(&["clock", "server", "http://example.org"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("is not a time server's name"),
        "{}",
        refused.stderr
    );
    let default = vault.run(&["clock", "server", "default"]);
    assert!(default.stdout.contains("Time server: pool.ntp.org\n"));
}
