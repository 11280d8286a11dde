//! The IPC contract of the clock (issue #13): each command's exact JSON, its refusal while
//! locked, a real time server on 127.0.0.1 three minutes ahead (the banner's words, then
//! codes corrected until they are the true time's), a server that is not there (no
//! banner, no error), an offset by hand, an account's own offset, and a code typed from
//! another device. Same harness as `ipc_contract_tests.rs` (the mock runtime).

use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

use ringlet_core::model::{Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::otp;

use crate::ipc_contract_tests::{app, invoke, locked_vault};
use crate::ipc_organize_tests::unlocked;

#[path = "../core/tests/common/sntp_server.rs"]
mod sntp_server;
use sntp_server::{Behaviour, SntpServer};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const NOBODY: &str = "00000000000000000000000000000000";

fn commands() -> Vec<(&'static str, Value)> {
    vec![
        ("clock_status", json!({})),
        ("save_clock_check", json!({"check": true, "server": null})),
        ("check_clock_now", json!({})),
        ("set_clock_offset", json!({"seconds": 30, "from": "manual"})),
        ("calibrate_clock", json!({"id": NOBODY, "code": "123456"})),
    ]
}

/// The code GitHub's secret gives `offset` seconds from now, computed here apart from the app
/// (Base32 `JBSWY3DPEHPK3PXP` is the bytes `Hello!` 0xde 0xad 0xbe 0xef).
fn github_code_at(offset: i64) -> String {
    let params = OtpParams {
        secret: Secret::new(b"Hello!\xde\xad\xbe\xef".to_vec()),
        algorithm: Algorithm::Sha1,
        digits: 6,
        kind: OtpKind::Totp { period: 30 },
    };
    let at = otp::now().checked_add_signed(offset).unwrap();
    otp::generate(&params, at).unwrap()
}

/// The code the list shows for its first row, read between two computations of the
/// expected one (retried when a period ended between them).
fn shown_and_expected(window: &WebviewWindow<MockRuntime>, offset: i64) -> (String, String, u64) {
    loop {
        let before = github_code_at(offset);
        let rows = invoke(window, "list_codes", json!({})).unwrap();
        let after = github_code_at(offset);
        if before == after {
            let row = &rows[0];
            return (
                row["code"].as_str().unwrap().to_owned(),
                after,
                row["expiresAt"].as_u64().unwrap(),
            );
        }
    }
}

#[test]
fn every_clock_command_is_refused_while_locked() {
    let dir = tempfile::tempdir().unwrap();
    locked_vault(dir.path());
    let (_app, window) = app(dir.path());
    for (cmd, args) in commands() {
        assert_eq!(
            invoke(&window, cmd, args),
            Err(
                json!({"kind": "vault_locked", "message": "The vault is locked. Unlock it first."})
            ),
            "{cmd}"
        );
    }
}

#[test]
fn a_new_vault_has_not_asked_yet_and_corrects_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    assert_eq!(
        invoke(&window, "clock_status", json!({})),
        Ok(json!({
            "check": null,
            "server": "pool.ntp.org",
            "defaultServer": "pool.ntp.org",
            "offset": 0,
            "offsetSource": null,
            "offsetSaid": null,
            "checking": false,
            "last": null,
            "warning": null,
        }))
    );
    // Saying no is remembered, and asks nothing of the network.
    let said_no = invoke(&window, "save_clock_check", json!({"check": false})).unwrap();
    assert_eq!(said_no["check"], json!(false));
    assert_eq!(said_no["last"], Value::Null);
}

#[test]
fn a_clock_three_minutes_behind_is_said_then_corrected_to_the_true_time() {
    let server = SntpServer::start(Behaviour::Offset(180_000));
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    invoke(&window, "add_account_uri", json!({"uri": GITHUB})).unwrap();
    let on = invoke(
        &window,
        "save_clock_check",
        json!({"check": true, "server": server.name()}),
    )
    .unwrap();
    assert_eq!(on["check"], json!(true));
    assert_eq!(on["server"], json!(server.name()));

    let checked = invoke(&window, "check_clock_now", json!({})).unwrap();
    assert_eq!(checked["last"]["offset"], json!(180));
    assert_eq!(
        checked["last"]["said"],
        json!(format!(
            "{}: this computer's clock is 3 min behind.",
            server.name()
        ))
    );
    assert_eq!(
        checked["warning"],
        json!({
            "said": "Your computer's clock is 3 min behind — codes may be refused.",
            "correctBy": 180,
            "correctSaid": "Correct codes by 3 min",
        })
    );
    // Until corrected, the codes are this clock's.
    let (shown, expected, _) = shown_and_expected(&window, 0);
    assert_eq!(shown, expected);

    let corrected = invoke(
        &window,
        "set_clock_offset",
        json!({"seconds": null, "from": "server"}),
    )
    .unwrap();
    assert_eq!(corrected["offset"], json!(180));
    assert_eq!(corrected["offsetSource"], json!("server"));
    assert_eq!(
        corrected["offsetSaid"],
        json!("Codes use this computer's clock +3 min (from the time server, until the clock is right).")
    );
    assert_eq!(corrected["warning"], Value::Null, "corrected: no banner");
    let (shown, expected, expires) = shown_and_expected(&window, 180);
    assert_eq!(shown, expected, "the true time's code");
    // The countdown is on this computer's clock: the code ends within its 30 s from now.
    let now = otp::now_ms();
    assert!(
        expires > now && expires <= now + 30_000,
        "{expires} vs {now}"
    );
    // Another check finds the same: the offset stays, still no banner.
    let again = invoke(&window, "check_clock_now", json!({})).unwrap();
    assert_eq!(
        (again["offset"].clone(), again["warning"].clone()),
        (json!(180), Value::Null)
    );
    assert!(server.requests() >= 2);
}

#[test]
fn no_server_there_means_no_banner_and_no_error() {
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|socket| socket.local_addr())
        .map(|address| address.port())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    invoke(
        &window,
        "save_clock_check",
        json!({"check": true, "server": format!("127.0.0.1:{port}")}),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let checked = invoke(&window, "check_clock_now", json!({})).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    assert_eq!(checked["warning"], Value::Null);
    assert_eq!(checked["last"]["offset"], Value::Null);
    assert!(
        checked["last"]["said"]
            .as_str()
            .is_some_and(|said| said.contains("could not be reached")),
        "{checked}"
    );
    assert_eq!(
        invoke(
            &window,
            "set_clock_offset",
            json!({"seconds": null, "from": "server"})
        ),
        Err(
            json!({"kind": "invalid_input", "message": "No time server has answered yet: check the clock first."})
        )
    );
}

#[test]
fn a_server_that_is_no_name_is_refused_in_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    let refused = invoke(
        &window,
        "save_clock_check",
        json!({"check": true, "server": "http://time.example.org"}),
    )
    .unwrap_err();
    assert_eq!(refused["kind"], json!("invalid_input"));
    assert_eq!(refused["field"], json!("server"));
    assert_eq!(
        invoke(&window, "clock_status", json!({})).unwrap()["check"],
        Value::Null,
        "nothing saved"
    );
    // Empty: the default server.
    let reset = invoke(
        &window,
        "save_clock_check",
        json!({"check": false, "server": " "}),
    )
    .unwrap();
    assert_eq!(reset["server"], json!("pool.ntp.org"));
}

#[test]
fn an_offset_by_hand_and_an_accounts_own_offset_move_the_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    let id = invoke(&window, "add_account_uri", json!({"uri": GITHUB})).unwrap()["id"].clone();
    let set = invoke(
        &window,
        "set_clock_offset",
        json!({"seconds": -45, "from": "manual"}),
    )
    .unwrap();
    assert_eq!(set["offset"], json!(-45));
    assert_eq!(
        set["offsetSaid"],
        json!("Codes use this computer's clock -45 s (set by hand).")
    );
    let (shown, expected, _) = shown_and_expected(&window, -45);
    assert_eq!(shown, expected);

    let edited = invoke(
        &window,
        "edit_account",
        json!({"id": id, "changes": {"timeOffset": 105}}),
    )
    .unwrap();
    assert_eq!(edited["timeOffset"], json!(105));
    assert_eq!(edited["timeOffsetSaid"], json!("+1 min 45 s"));
    let (shown, expected, _) = shown_and_expected(&window, 60);
    assert_eq!(
        shown, expected,
        "-45 s for the computer, +105 s for the service"
    );

    let too_far = invoke(
        &window,
        "set_clock_offset",
        json!({"seconds": 90_000, "from": "manual"}),
    )
    .unwrap_err();
    assert_eq!(too_far["field"], json!("offset"));
    let cleared = invoke(
        &window,
        "set_clock_offset",
        json!({"seconds": 0, "from": "manual"}),
    )
    .unwrap();
    assert_eq!(
        (cleared["offset"].clone(), cleared["offsetSaid"].clone()),
        (json!(0), Value::Null)
    );
}

#[test]
fn a_code_from_another_device_says_the_offset_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_app, window) = unlocked(dir.path());
    let id = invoke(&window, "add_account_uri", json!({"uri": GITHUB})).unwrap()["id"].clone();
    let phone = github_code_at(120);
    let found = invoke(&window, "calibrate_clock", json!({"id": id, "code": phone})).unwrap();
    let seconds = found["seconds"].as_i64().unwrap();
    assert!((seconds - 120).abs() <= 15, "{found}");
    assert_eq!(found["within"], json!(15));
    assert!(
        found["said"]
            .as_str()
            .unwrap()
            .contains("behind (to within 15 s)"),
        "{found}"
    );
    assert_eq!(
        invoke(&window, "clock_status", json!({})).unwrap()["offset"],
        json!(0)
    );

    let wrong = invoke(&window, "calibrate_clock", json!({"id": id, "code": "12"})).unwrap_err();
    assert_eq!(wrong["field"], json!("code"));
    let hotp = invoke(
        &window,
        "add_account_uri",
        json!({"uri": "otpauth://hotp/Bank:bob?secret=JBSWY3DPEHPK3PXP&counter=3"}),
    )
    .unwrap()["id"]
        .clone();
    let counter = invoke(
        &window,
        "calibrate_clock",
        json!({"id": hotp, "code": "123456"}),
    )
    .unwrap_err();
    assert_eq!(counter["field"], json!("account"));
    let nobody = invoke(
        &window,
        "calibrate_clock",
        json!({"id": NOBODY, "code": "123456"}),
    )
    .unwrap_err();
    assert_eq!(nobody["kind"], json!("not_found"));
}

/// The clock set while Ringlet is unlocked (forward by the whole offset: put right): the next
/// look writes it down, the offset is gone, and the look returns (the window is told after
/// the session is let go, not while it is held).
#[test]
fn a_clock_set_while_unlocked_takes_the_offset_off_without_holding_the_window() {
    use tauri::Manager;
    let dir = tempfile::tempdir().unwrap();
    let (app, window) = unlocked(dir.path());
    invoke(
        &window,
        "set_clock_offset",
        json!({"seconds": 133, "from": "manual"}),
    )
    .unwrap();
    let state = app.state::<crate::state::AppState>();
    let anchored = state
        .with_session(|session| {
            let offset = session.clock.offset.as_mut().unwrap();
            // As if this clock had been 133 s behind where it stands now, when the offset was set.
            let Some(anchor) = offset.anchor.as_mut() else {
                return Ok(false);
            };
            anchor.clock_less_uptime_ms -= 133_000;
            Ok(true)
        })
        .unwrap();
    if !anchored {
        return; // No time since boot here: nothing follows the clock.
    }
    let handle = app.handle().clone();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        crate::clock::look(&handle);
        let _ = done.send(());
    });
    assert!(
        finished
            .recv_timeout(std::time::Duration::from_secs(10))
            .is_ok(),
        "the look returned"
    );
    let view = invoke(&window, "clock_status", json!({})).unwrap();
    assert_eq!(
        (view["offset"].clone(), view["offsetSaid"].clone()),
        (json!(0), Value::Null)
    );
    let saved = state
        .with_session(|session| {
            Ok(ringlet_core::clock::ClockSettings::load(&session.vault).unwrap())
        })
        .unwrap();
    assert_eq!(
        saved.offset, None,
        "written down, so a reboot does not bring it back"
    );
}
