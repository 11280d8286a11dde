//! One Ringlet per vault. A second launch hands its arguments to the first and exits:
//! `ringlet` brings the window forward, `ringlet --quick` opens the quick picker (what a
//! person binds to a key in their desktop's own shortcut settings), `ringlet FILE…` imports
//! the files ("Open with Ringlet").
//!
//! On Linux the first instance owns a name on the session bus, derived from its vault
//! folder (so two vaults, as the tests use, never meet), and answers `Forward(args, cwd)`,
//! as tauri-plugin-single-instance does, over the D-Bus library Ringlet already links.
//! Anyone on the session bus runs as the same person; what they can forward is what that
//! person could type. Elsewhere each launch runs on its own, and the vault's lock file
//! says "in use" to the second.

use std::path::{Path, PathBuf};

/// What a launch asks the running instance to do.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Request {
    /// `--quick`: open the quick picker rather than the main window.
    pub quick: bool,
    /// Files to import, made absolute against the launch's working folder.
    pub files: Vec<PathBuf>,
}

impl Request {
    /// Reads a launch's arguments (without the program name). Options other than
    /// `--quick` are not Ringlet's (a desktop may add its own) and are ignored.
    pub fn parse(args: &[String], cwd: &Path) -> Request {
        let mut request = Request::default();
        let mut only_files = false;
        for arg in args {
            match arg.as_str() {
                "--" if !only_files => only_files = true,
                "--quick" if !only_files => request.quick = true,
                option if option.starts_with('-') && !only_files => {}
                "" => {}
                file => request.files.push(cwd.join(file)),
            }
        }
        request
    }
}

/// What `ringlet --help` prints.
pub const USAGE: &str = "\
Usage: ringlet [--quick] [FILE...]

Ringlet, a desktop authenticator. Starts Ringlet, or brings the running one forward.

  --quick          Open the quick picker: type, Enter copies the code and closes it.
  FILE...          Import the accounts in FILE (QR images, otpauth:// lists, other apps'
                   exports) into the running Ringlet.
  -h, --help       Print this help.
  -V, --version    Print Ringlet's version.

Environment: RINGLET_VAULT, the vault folder (default: the app's data folder).
The command-line interface is ringlet-cli (man ringlet-cli).
";

/// The text to print and exit with, for `--version`/`-V` or `--help`/`-h` (before `--`):
/// answered before the vault folder is looked at or the running instance is asked, so
/// neither a window nor a forwarded launch follows. `None` for every other launch.
pub fn informational(args: &[String]) -> Option<String> {
    let options = args.iter().take_while(|arg| *arg != "--");
    let mut version = false;
    for arg in options {
        match arg.as_str() {
            "-h" | "--help" => return Some(USAGE.to_owned()),
            "-V" | "--version" => version = true,
            _ => {}
        }
    }
    version.then(|| format!("Ringlet {}\n", env!("CARGO_PKG_VERSION")))
}

/// The outcome of trying to be the one instance (elsewhere than Linux, always `First`).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub enum Claim {
    /// This process is the instance; on Linux, `Listener` hears later launches.
    First(Option<Listener>),
    /// Another instance took the arguments: this process has nothing left to do.
    Forwarded,
    /// Another instance holds the name but did not answer.
    Unanswered(String),
}

#[cfg(target_os = "linux")]
pub use linux::Listener;

#[cfg(not(target_os = "linux"))]
pub struct Listener;

/// Tries to be the one instance for `vault_dir`, or hands `args` to it.
pub fn claim(vault_dir: &Path, args: &[String]) -> Claim {
    #[cfg(target_os = "linux")]
    return linux::claim(vault_dir, args);
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (vault_dir, args);
        Claim::First(None)
    }
}

/// A name for the vault folder, the same in every build: FNV-1a over the path's bytes.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn folder_key(vault_dir: &Path) -> u64 {
    let bytes = vault_dir.as_os_str().as_encoded_bytes();
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(target_os = "linux")]
mod linux {
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use dbus::blocking::stdintf::org_freedesktop_dbus::RequestNameReply;
    use dbus::blocking::Connection;
    use dbus::channel::{MatchingReceiver, Sender};
    use dbus::message::MatchRule;

    use super::{folder_key, Claim};

    const INTERFACE: &str = "app.ringlet.desktop.Instance";
    const OBJECT: &str = "/app/ringlet/desktop/Instance";
    /// How long a second launch waits for the first to take its arguments.
    const ANSWER_WITHIN: Duration = Duration::from_secs(10);

    pub fn bus_name(vault_dir: &Path) -> String {
        format!("{INTERFACE}.v{:016x}", folder_key(vault_dir))
    }

    /// The session bus connection that owns the instance's name.
    pub struct Listener {
        connection: Connection,
    }

    pub fn claim(vault_dir: &Path, args: &[String]) -> Claim {
        // No session bus (a bare console, some containers): every launch runs on its own.
        let Ok(connection) = Connection::new_session() else {
            return Claim::First(None);
        };
        claim_on(connection, &bus_name(vault_dir), args)
    }

    pub(super) fn claim_on(connection: Connection, name: &str, args: &[String]) -> Claim {
        match connection.request_name(name, false, false, true) {
            Ok(RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner) => {
                Claim::First(Some(Listener { connection }))
            }
            Ok(RequestNameReply::Exists | RequestNameReply::InQueue) => {
                forward(&connection, name, args)
            }
            Err(_) => Claim::First(None),
        }
    }

    fn forward(connection: &Connection, name: &str, args: &[String]) -> Claim {
        let cwd = std::env::current_dir()
            .map(|dir| dir.to_string_lossy().into_owned())
            .unwrap_or_default();
        let proxy = connection.with_proxy(name, OBJECT, ANSWER_WITHIN);
        match proxy.method_call::<(), _, _, _>(INTERFACE, "Forward", (args.to_vec(), cwd)) {
            Ok(()) => Claim::Forwarded,
            Err(error) => Claim::Unanswered(error.to_string()),
        }
    }

    impl Listener {
        /// Answers `Forward` calls on its own thread, handing each launch's arguments and
        /// working folder to `on_launch`.
        pub fn serve(self, on_launch: impl Fn(Vec<String>, PathBuf) + Send + 'static) {
            std::thread::spawn(move || {
                let rule = MatchRule::new_method_call().with_interface(INTERFACE);
                self.connection.start_receive(
                    rule,
                    Box::new(move |call, connection| {
                        let answer = match (call.member().as_deref(), call.read2()) {
                            (Some("Forward"), Ok((args, cwd))) => {
                                let cwd: String = cwd;
                                on_launch(args, PathBuf::from(cwd));
                                call.method_return()
                            }
                            _ => dbus::Message::error(
                                &call,
                                &"org.freedesktop.DBus.Error.InvalidArgs".into(),
                                c"Forward(as args, s cwd) is the only call",
                            ),
                        };
                        let _ = connection.send(answer);
                        true
                    }),
                );
                while self.connection.process(Duration::from_secs(60)).is_ok() {}
            });
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::test_bus::PrivateBus;
        use std::sync::mpsc;

        /// Two launches for one vault on a real (private) bus: the second hands its
        /// arguments to the first and is told it may go; a third for another vault is first
        /// of its own.
        #[test]
        fn a_second_launch_forwards_its_arguments_to_the_first() {
            let Some(bus) = PrivateBus::start() else {
                panic!("dbus-daemon could not start: the test command installs it (dbus-daemon)");
            };
            let name = bus_name(Path::new("/home/tess/.local/share/ringlet/vault"));
            let Claim::First(Some(listener)) = claim_on(bus.connect(), &name, &[]) else {
                panic!("the first launch owns the name");
            };
            let (sender, launches) = mpsc::channel();
            listener.serve(move |args, cwd| {
                let _ = sender.send((args, cwd));
            });

            let args = vec!["--quick".to_owned()];
            assert!(matches!(
                claim_on(bus.connect(), &name, &args),
                Claim::Forwarded
            ));
            let (heard, cwd) = launches
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(heard, args);
            assert_eq!(Some(cwd), std::env::current_dir().ok());

            let other = bus_name(Path::new("/tmp/another/vault"));
            assert_ne!(other, name);
            assert!(matches!(
                claim_on(bus.connect(), &other, &[]),
                Claim::First(Some(_))
            ));
        }

        /// A name held by a process that never answers: the launch says so within its
        /// time, rather than hang or start a second instance on the same vault.
        #[test]
        fn an_instance_that_does_not_answer_is_reported() {
            let Some(bus) = PrivateBus::start() else {
                panic!("dbus-daemon could not start: the test command installs it (dbus-daemon)");
            };
            let name = bus_name(Path::new("/srv/silent"));
            let holder = bus.connect();
            holder
                .request_name(name.as_str(), false, false, true)
                .unwrap_or_else(|e| panic!("{e}"));
            // The holder's messages are never processed: the call goes unanswered.
            let started = std::time::Instant::now();
            let outcome = claim_on(bus.connect(), &name, &[]);
            assert!(matches!(outcome, Claim::Unanswered(_)));
            assert!(started.elapsed() < ANSWER_WITHIN + Duration::from_secs(20));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn version_and_help_are_answered_and_nothing_else_is() {
        let version = format!("Ringlet {}\n", env!("CARGO_PKG_VERSION"));
        assert_eq!(
            informational(&strings(&["--version"])),
            Some(version.clone())
        );
        assert_eq!(informational(&strings(&["--quick", "-V"])), Some(version));
        assert_eq!(informational(&strings(&["-h"])).as_deref(), Some(USAGE));
        assert_eq!(
            informational(&strings(&["--version", "--help"])).as_deref(),
            Some(USAGE)
        );
        assert_eq!(informational(&[]), None);
        assert_eq!(informational(&strings(&["--quick", "shot.png"])), None);
        // After `--`, a file may be called --version.
        assert_eq!(informational(&strings(&["--", "--version"])), None);
    }

    #[test]
    fn a_launch_reads_quick_and_files_against_its_folder() {
        let cwd = Path::new("/home/tess/Downloads");
        assert_eq!(Request::parse(&[], cwd), Request::default());
        assert_eq!(
            Request::parse(&strings(&["--quick"]), cwd),
            Request {
                quick: true,
                files: vec![]
            }
        );
        let request = Request::parse(
            &strings(&["aegis.json", "/tmp/shot.png", "--no-sandbox"]),
            cwd,
        );
        assert!(!request.quick);
        assert_eq!(
            request.files,
            [
                PathBuf::from("/home/tess/Downloads/aegis.json"),
                PathBuf::from("/tmp/shot.png")
            ]
        );
        // After `--`, a name that looks like an option is a file.
        let request = Request::parse(&strings(&["--", "--quick"]), cwd);
        assert!(!request.quick);
        assert_eq!(
            request.files,
            [PathBuf::from("/home/tess/Downloads/--quick")]
        );
    }

    #[test]
    fn each_vault_folder_has_its_own_name() {
        assert_ne!(
            folder_key(Path::new("/a/vault")),
            folder_key(Path::new("/b/vault"))
        );
        // The same in every build: a second launch of a newer build finds an older first.
        assert_eq!(folder_key(Path::new("")), 0xcbf2_9ce4_8422_2325);
        assert_eq!(folder_key(Path::new("a")), 0xaf63_dc4c_8601_ec8c);
    }
}
