//! Linux: what is listened to, on D-Bus:
//! - the system bus: logind's `PrepareForSleep(true)` (suspend, hibernate), a session's
//!   `Lock` (`loginctl lock-session`, what most desktops' lockers answer to), and logind's
//!   `LidClosed` property turning true, where logind reports it;
//! - the session bus: `ActiveChanged(true)` of `org.freedesktop.ScreenSaver` (KDE, Xfce,
//!   Cinnamon, …) and of `org.gnome.ScreenSaver` (GNOME).
//!
//! Senders are not checked: anyone who can send these signals can only make Ringlet lock,
//! which is the safe direction.

use std::time::Duration;

use dbus::arg::PropMap;
use dbus::blocking::Connection;
use dbus::message::MatchRule;
use dbus::Message;
use tauri::{AppHandle, Runtime};

use super::{on_event, OsEvent};

const LOGIND_MANAGER: &str = "org.freedesktop.login1.Manager";
const LOGIND_SESSION: &str = "org.freedesktop.login1.Session";
const LOGIND_PATH: &str = "/org/freedesktop/login1";
const PROPERTIES: &str = "org.freedesktop.DBus.Properties";
const SCREENSAVERS: [&str; 2] = ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"];

/// The signals of the system bus (logind) and of the session bus (screen savers).
fn system_rules() -> Vec<MatchRule<'static>> {
    vec![
        MatchRule::new_signal(LOGIND_MANAGER, "PrepareForSleep"),
        MatchRule::new_signal(LOGIND_SESSION, "Lock"),
        MatchRule::new_signal(PROPERTIES, "PropertiesChanged").with_path(LOGIND_PATH),
    ]
}

fn session_rules() -> Vec<MatchRule<'static>> {
    SCREENSAVERS
        .iter()
        .map(|interface| MatchRule::new_signal(*interface, "ActiveChanged"))
        .collect()
}

/// The event a signal announces, if it is one that locks.
pub fn event_of(message: &Message) -> Option<OsEvent> {
    let interface = message.interface()?;
    let member = message.member()?;
    match (&*interface, &*member) {
        (LOGIND_MANAGER, "PrepareForSleep") => {
            message.read1::<bool>().ok()?.then_some(OsEvent::Suspending)
        }
        (LOGIND_SESSION, "Lock") => Some(OsEvent::ScreenLocked),
        (PROPERTIES, "PropertiesChanged") => {
            let (changed_interface, changed) = message.read2::<String, PropMap>().ok()?;
            let closed = changed_interface == LOGIND_MANAGER
                && message.path().is_some_and(|path| &*path == LOGIND_PATH)
                && dbus::arg::prop_cast::<bool>(&changed, "LidClosed") == Some(&true);
            closed.then_some(OsEvent::LidClosed)
        }
        (screensaver, "ActiveChanged") if SCREENSAVERS.contains(&screensaver) => message
            .read1::<bool>()
            .ok()?
            .then_some(OsEvent::ScreenLocked),
        _ => None,
    }
}

/// Asks the bus for `rules` on `connection` and hands every locking event they bring to
/// `on_event` (while the connection is processed). The rules are in place when it returns.
pub fn subscribe(
    connection: &Connection,
    rules: Vec<MatchRule<'static>>,
    on_event: impl Fn(OsEvent) + Send + Clone + 'static,
) -> Result<(), dbus::Error> {
    for rule in rules {
        let on_event = on_event.clone();
        connection.add_match(rule, move |(): (), _, message| {
            if let Some(event) = event_of(message) {
                on_event(event);
            }
            true
        })?;
    }
    Ok(())
}

/// Processes `connection`'s messages until it fails. Blocks: run it on its own thread.
fn process_forever(connection: &Connection) -> Result<(), dbus::Error> {
    loop {
        connection.process(Duration::from_secs(60))?;
    }
}

/// Opens a connection to one of the buses.
type Connect = fn() -> Result<Connection, dbus::Error>;

/// Starts one listener thread per bus. A bus that is not there (no logind, no session
/// bus) is said once on stderr; the idle lock still applies.
pub fn watch<R: Runtime>(app: AppHandle<R>) {
    let buses: [(&str, Connect, Vec<MatchRule<'static>>); 2] = [
        ("system", Connection::new_system, system_rules()),
        ("session", Connection::new_session, session_rules()),
    ];
    for (bus, connect, rules) in buses {
        let app = app.clone();
        std::thread::spawn(move || {
            let listened = connect().and_then(|connection| {
                subscribe(&connection, rules, move |event| on_event(&app, event))?;
                process_forever(&connection)
            });
            if let Err(error) = listened {
                eprintln!("ringlet: not locking with the OS on the {bus} bus: {error}");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_bus::PrivateBus;
    use std::sync::mpsc;

    fn signal(path: &str, interface: &str, member: &str) -> Message {
        Message::new_signal(path, interface, member).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The real signals, sent on a real (private) bus, reach the listener; the ones that
    /// announce the end of a lock or a sleep do not lock. The listener takes both buses'
    /// rules here, on the one bus. Signals from one sender arrive in the order sent.
    #[test]
    fn locking_signals_on_a_real_bus_are_heard() {
        let Some(bus) = PrivateBus::start() else {
            panic!("dbus-daemon could not start: the test command installs it (dbus-daemon)");
        };
        let (sender, events) = mpsc::channel();
        let listener = bus.connect();
        let rules = system_rules().into_iter().chain(session_rules()).collect();
        subscribe(&listener, rules, move |event| {
            let _ = sender.send(event);
        })
        .unwrap_or_else(|e| panic!("{e}"));
        std::thread::spawn(move || process_forever(&listener));
        let emitter = bus.connect();
        let send = |message: Message| {
            use dbus::channel::Sender;
            emitter.send(message).unwrap_or_else(|()| panic!("send"));
        };
        let sleep = || signal(LOGIND_PATH, LOGIND_MANAGER, "PrepareForSleep").append1(true);
        send(sleep());
        assert_eq!(
            events.recv_timeout(Duration::from_secs(30)).ok(),
            Some(OsEvent::Suspending)
        );

        let waking = signal(LOGIND_PATH, LOGIND_MANAGER, "PrepareForSleep").append1(false);
        let unlocked = signal(
            "/org/gnome/ScreenSaver",
            "org.gnome.ScreenSaver",
            "ActiveChanged",
        )
        .append1(false);
        let mut opened = PropMap::new();
        opened.insert(
            "LidClosed".into(),
            dbus::arg::Variant(Box::new(false) as Box<dyn dbus::arg::RefArg>),
        );
        let lid_opened = signal(LOGIND_PATH, PROPERTIES, "PropertiesChanged").append3(
            LOGIND_MANAGER,
            opened,
            Vec::<String>::new(),
        );
        let mut closed = PropMap::new();
        closed.insert(
            "LidClosed".into(),
            dbus::arg::Variant(Box::new(true) as Box<dyn dbus::arg::RefArg>),
        );
        let lid_closed = signal(LOGIND_PATH, PROPERTIES, "PropertiesChanged").append3(
            LOGIND_MANAGER,
            closed,
            Vec::<String>::new(),
        );
        let cases = [
            (waking, None),
            (unlocked, None),
            (lid_opened, None),
            (
                signal(
                    "/org/freedesktop/login1/session/_32",
                    LOGIND_SESSION,
                    "Lock",
                ),
                Some(OsEvent::ScreenLocked),
            ),
            (
                signal(
                    "/org/freedesktop/ScreenSaver",
                    "org.freedesktop.ScreenSaver",
                    "ActiveChanged",
                )
                .append1(true),
                Some(OsEvent::ScreenLocked),
            ),
            (
                signal(
                    "/org/gnome/ScreenSaver",
                    "org.gnome.ScreenSaver",
                    "ActiveChanged",
                )
                .append1(true),
                Some(OsEvent::ScreenLocked),
            ),
            (lid_closed, Some(OsEvent::LidClosed)),
        ];
        for (message, expected) in cases {
            let described = format!("{:?}.{:?}", message.interface(), message.member());
            send(message);
            // Signals arrive in the order sent: a marker after each case tells "nothing"
            // from "not yet" without waiting on a clock.
            send(sleep());
            let first = events.recv_timeout(Duration::from_secs(30)).ok();
            match expected {
                Some(event) => {
                    assert_eq!(first, Some(event), "{described}");
                    let marker = events.recv_timeout(Duration::from_secs(30)).ok();
                    assert_eq!(marker, Some(OsEvent::Suspending), "{described}");
                }
                None => assert_eq!(first, Some(OsEvent::Suspending), "{described} locked"),
            }
        }
    }

    #[test]
    fn other_signals_are_not_events() {
        let unrelated = signal("/org/freedesktop/login1", LOGIND_MANAGER, "SessionNew")
            .append2("c1", dbus::Path::from("/org/freedesktop/login1/session/c1"));
        assert_eq!(event_of(&unrelated), None);
        // A sleep signal without its argument is not read as one.
        assert_eq!(
            event_of(&signal(LOGIND_PATH, LOGIND_MANAGER, "PrepareForSleep")),
            None
        );
        let mut closed = PropMap::new();
        closed.insert(
            "LidClosed".into(),
            dbus::arg::Variant(Box::new(true) as Box<dyn dbus::arg::RefArg>),
        );
        let elsewhere = signal("/org/example", PROPERTIES, "PropertiesChanged").append3(
            LOGIND_MANAGER,
            closed,
            Vec::<String>::new(),
        );
        assert_eq!(event_of(&elsewhere), None);
    }
}
