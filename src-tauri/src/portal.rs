//! Scan screen on Wayland: the XDG desktop portal's Screenshot call
//! (`org.freedesktop.portal.Screenshot`), the one way a Wayland desktop lets an application
//! see the screen. The desktop may ask the person first; the answer arrives as a `Response`
//! signal on a request object whose path we can predict, so we listen before calling.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dbus::arg::{PropMap, RefArg, Variant};
use dbus::blocking::Connection;
use dbus::message::MatchRule;
#[cfg(test)]
use dbus::Message;

/// How long the person has to answer the desktop's "allow a screenshot?" question.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(90);
/// A screenshot file larger than the scanner takes is not read.
const MAX_SCREENSHOT_BYTES: u64 = ringlet_core::qr::MAX_FILE_BYTES;

const PORTAL_SERVICE: &str = "org.freedesktop.portal.Desktop";
const PORTAL_PATH: &str = "/org/freedesktop/portal/desktop";

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PortalError {
    #[error("This desktop offers Ringlet no screenshot service (xdg-desktop-portal).")]
    Unavailable,
    #[error("The screenshot was not allowed, or was cancelled.")]
    Refused,
    #[error("The desktop's screenshot service did not answer in time.")]
    NoAnswer,
    #[error("The desktop's screenshot service failed: {0}.")]
    Failed(String),
}

/// Asks the portal for a screenshot of every monitor, reads the file it made, and removes
/// that file: it may show account secrets (the QR codes being scanned), and it was made for
/// this request only.
pub fn screenshot() -> Result<Vec<u8>, PortalError> {
    let connection = Connection::new_session().map_err(|_| PortalError::Unavailable)?;
    screenshot_on(&connection)
}

/// [`screenshot`] over `connection` (a test gives a private bus).
fn screenshot_on(connection: &Connection) -> Result<Vec<u8>, PortalError> {
    // Unguessable, so that no other program can predict the request object and answer in
    // the portal's place; and the answer is taken only from the portal's own connection.
    let token = format!("ringlet_{}", random_hex()?);
    let request_path = request_path(&connection.unique_name().to_string(), &token);
    let portal = portal_owner(connection)?;

    let answer: Arc<Mutex<Option<(u32, PropMap)>>> = Arc::default();
    let slot = Arc::clone(&answer);
    let rule = MatchRule::new_signal("org.freedesktop.portal.Request", "Response")
        .with_path(request_path)
        .with_sender(portal);
    connection
        .add_match(rule, move |(code, results): (u32, PropMap), _, _| {
            if let Ok(mut slot) = slot.lock() {
                *slot = Some((code, results));
            }
            false
        })
        .map_err(|e| PortalError::Failed(e.to_string()))?;

    let proxy = connection.with_proxy(PORTAL_SERVICE, PORTAL_PATH, Duration::from_secs(10));
    let mut options: PropMap = HashMap::new();
    options.insert("handle_token".into(), Variant(Box::new(token)));
    options.insert("interactive".into(), Variant(Box::new(false)));
    let call: Result<(dbus::Path<'static>,), dbus::Error> = proxy.method_call(
        "org.freedesktop.portal.Screenshot",
        "Screenshot",
        ("", options),
    );
    if let Err(error) = call {
        return Err(match error.name() {
            Some("org.freedesktop.DBus.Error.ServiceUnknown")
            | Some("org.freedesktop.DBus.Error.UnknownInterface")
            | Some("org.freedesktop.DBus.Error.UnknownMethod")
            | Some("org.freedesktop.DBus.Error.UnknownObject") => PortalError::Unavailable,
            Some("org.freedesktop.portal.Error.NotAllowed") => PortalError::Refused,
            _ => PortalError::Failed(error.message().unwrap_or("no detail").to_string()),
        });
    }

    let deadline = Instant::now() + ANSWER_TIMEOUT;
    loop {
        if let Some((code, results)) = answer.lock().ok().and_then(|mut a| a.take()) {
            let path = answer_path(code, &results)?;
            return read_and_remove(&path);
        }
        if Instant::now() >= deadline {
            return Err(PortalError::NoAnswer);
        }
        connection
            .process(Duration::from_millis(200))
            .map_err(|e| PortalError::Failed(e.to_string()))?;
    }
}

/// 128 random bits, in hex, from the kernel.
fn random_hex() -> Result<String, PortalError> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .map_err(|e| PortalError::Failed(format!("no random numbers ({e})")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The unique bus name that owns the portal's well-known name now: the only sender whose
/// answer is taken.
fn portal_owner(connection: &Connection) -> Result<dbus::strings::BusName<'static>, PortalError> {
    let bus = connection.with_proxy(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        Duration::from_secs(10),
    );
    let (owner,): (String,) = bus
        .method_call("org.freedesktop.DBus", "GetNameOwner", (PORTAL_SERVICE,))
        .map_err(|_| PortalError::Unavailable)?;
    dbus::strings::BusName::new(owner).map_err(PortalError::Failed)
}

/// The portal's request object for `token`: `/org/freedesktop/portal/desktop/request/`
/// + our unique bus name without the colon, dots as underscores + `/` + token.
fn request_path(unique_name: &str, token: &str) -> String {
    let sender = unique_name.trim_start_matches(':').replace('.', "_");
    format!("{PORTAL_PATH}/request/{sender}/{token}")
}

/// The screenshot file from a `Response` (0 = done, 1 = the person said no, 2 = other).
fn answer_path(code: u32, results: &PropMap) -> Result<PathBuf, PortalError> {
    match code {
        0 => {}
        1 => return Err(PortalError::Refused),
        _ => return Err(PortalError::Failed("it gave up".into())),
    }
    let uri = results
        .get("uri")
        .and_then(|value| value.0.as_str())
        .ok_or_else(|| PortalError::Failed("it named no file".into()))?;
    let path = url::Url::parse(uri)
        .ok()
        .filter(|url| url.scheme() == "file")
        .and_then(|url| url.to_file_path().ok())
        .ok_or_else(|| PortalError::Failed("it named something that is not a local file".into()))?;
    if !is_screenshot_file(&path, &screenshot_folders()) {
        return Err(PortalError::Failed(
            "it named a file outside the folders screenshots are saved in".into(),
        ));
    }
    Ok(path)
}

/// Where portals save screenshots: the pictures folder (and below), the temporary folder
/// and the session's runtime folder.
fn screenshot_folders() -> Vec<PathBuf> {
    let mut folders = vec![std::env::temp_dir()];
    if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR") {
        folders.push(PathBuf::from(runtime));
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        folders.push(pictures_folder(&home).unwrap_or_else(|| home.join("Pictures")));
    }
    folders
}

/// `XDG_PICTURES_DIR` from `~/.config/user-dirs.dirs`, when it is set there.
fn pictures_folder(home: &Path) -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".config"));
    let dirs = std::fs::read_to_string(config.join("user-dirs.dirs")).ok()?;
    let value = dirs
        .lines()
        .find_map(|line| line.trim().strip_prefix("XDG_PICTURES_DIR="))?
        .trim_matches('"');
    let path = match value.strip_prefix("$HOME/") {
        Some(rest) => home.join(rest),
        None => PathBuf::from(value),
    };
    path.is_absolute().then_some(path)
}

/// A file that may be read and then removed as the portal's screenshot: an image file (not
/// a link, not a folder) inside one of `folders`. The file is removed after reading, so a
/// path anywhere else, even from the portal, is refused.
fn is_screenshot_file(path: &Path, folders: &[PathBuf]) -> bool {
    let image = path
        .extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| matches!(ext.to_ascii_lowercase().as_str(), "png" | "jpg" | "jpeg"));
    let regular = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_file());
    let Ok(real) = path.canonicalize() else {
        return false;
    };
    image
        && regular
        && folders
            .iter()
            .filter_map(|folder| folder.canonicalize().ok())
            .any(|folder| real.starts_with(folder))
}

fn read_and_remove(path: &Path) -> Result<Vec<u8>, PortalError> {
    let read = || -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        std::fs::File::open(path)?
            .take(MAX_SCREENSHOT_BYTES + 1)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    let bytes = read();
    let _ = std::fs::remove_file(path);
    let bytes =
        bytes.map_err(|e| PortalError::Failed(format!("its file could not be read ({e})")))?;
    if bytes.len() as u64 > MAX_SCREENSHOT_BYTES {
        return Err(PortalError::Failed("its file is too large".into()));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(uri: &str) -> PropMap {
        let mut map: PropMap = HashMap::new();
        map.insert("uri".into(), Variant(Box::new(uri.to_string())));
        map
    }

    #[test]
    fn the_request_path_follows_the_portal_rule() {
        assert_eq!(
            request_path(":1.42", "ringlet_7"),
            "/org/freedesktop/portal/desktop/request/1_42/ringlet_7"
        );
    }

    #[test]
    fn answers_map_to_a_file_or_a_reason() {
        let dir = tempfile::Builder::new()
            .prefix("ringlet-portal-")
            .tempdir_in(std::env::temp_dir())
            .unwrap_or_else(|e| panic!("{e}"));
        let shot = dir.path().join("Screenshot one.png");
        std::fs::write(&shot, b"png").unwrap_or_else(|e| panic!("{e}"));
        let uri = url::Url::from_file_path(&shot).unwrap_or_else(|()| panic!("a file URL"));
        assert_eq!(answer_path(0, &results(uri.as_str())), Ok(shot.clone()));
        assert_eq!(
            answer_path(1, &results("file:///tmp/a.png")),
            Err(PortalError::Refused)
        );
        assert!(matches!(
            answer_path(2, &HashMap::new()),
            Err(PortalError::Failed(_))
        ));
        assert!(matches!(
            answer_path(0, &HashMap::new()),
            Err(PortalError::Failed(_))
        ));
        assert!(matches!(
            answer_path(0, &results("https://example.com/a.png")),
            Err(PortalError::Failed(_))
        ));
    }

    /// The file is removed after reading: only an image file in a screenshot folder is
    /// taken, never a link, a folder, another kind of file or a file elsewhere.
    #[test]
    fn only_an_image_in_a_screenshot_folder_is_taken() {
        let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folders = [folder.path().to_path_buf()];
        let write = |dir: &Path, name: &str| {
            let path = dir.join(name);
            std::fs::write(&path, b"x").unwrap_or_else(|e| panic!("{e}"));
            path
        };
        assert!(is_screenshot_file(
            &write(folder.path(), "shot.png"),
            &folders
        ));
        assert!(is_screenshot_file(
            &write(folder.path(), "shot.JPG"),
            &folders
        ));
        assert!(!is_screenshot_file(
            &write(folder.path(), "notes.txt"),
            &folders
        ));
        assert!(!is_screenshot_file(
            &write(elsewhere.path(), "shot.png"),
            &folders
        ));
        let link = folder.path().join("link.png");
        let target = write(elsewhere.path(), "precious.png");
        std::os::unix::fs::symlink(&target, &link).unwrap_or_else(|e| panic!("{e}"));
        assert!(!is_screenshot_file(&link, &folders));
        let sneaky = folder.path().join("..").join(
            elsewhere
                .path()
                .file_name()
                .unwrap_or_else(|| panic!("a name")),
        );
        assert!(!is_screenshot_file(&sneaky.join("precious.png"), &folders));
        assert!(!is_screenshot_file(
            &folder.path().join("missing.png"),
            &folders
        ));
    }

    /// On a real (private) bus: a portal of our own answers the request, and another
    /// program that answers first, on the same request object, is not listened to.
    #[test]
    fn only_the_portal_is_listened_to() {
        use crate::test_bus::PrivateBus;
        use dbus::channel::{MatchingReceiver, Sender};
        use dbus::message::MessageType;

        let Some(bus) = PrivateBus::start() else {
            panic!("dbus-daemon could not start: the test command installs it (dbus-daemon)");
        };
        let shots = tempfile::Builder::new()
            .prefix("ringlet-portal-")
            .tempdir_in(std::env::temp_dir())
            .unwrap_or_else(|e| panic!("{e}"));
        let real = shots.path().join("real.png");
        let forged = shots.path().join("forged.png");
        std::fs::write(&real, b"the portal's screenshot").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&forged, b"someone else's file").unwrap_or_else(|e| panic!("{e}"));

        // A rogue program and the portal, each with its own connection.
        let rogue = bus.connect();
        let portal = bus.connect();
        portal
            .request_name(PORTAL_SERVICE, false, true, true)
            .unwrap_or_else(|e| panic!("{e}"));
        let (real_uri, forged_uri) = (
            url::Url::from_file_path(&real).map(String::from),
            url::Url::from_file_path(&forged).map(String::from),
        );
        let (Ok(real_uri), Ok(forged_uri)) = (real_uri, forged_uri) else {
            panic!("file URLs");
        };
        let response = |path: &dbus::Path<'static>, uri: &str| {
            let mut results: PropMap = HashMap::new();
            results.insert("uri".into(), Variant(Box::new(uri.to_owned())));
            Message::new_signal(
                path.to_string(),
                "org.freedesktop.portal.Request",
                "Response",
            )
            .unwrap_or_else(|e| panic!("{e}"))
            .append2(0u32, results)
        };
        portal.start_receive(
            MatchRule::new_method_call(),
            Box::new(move |call, portal| {
                if call.msg_type() != MessageType::MethodCall
                    || call.member().as_deref() != Some("Screenshot")
                {
                    return true;
                }
                let (_, options): (String, PropMap) = call.read2().unwrap_or_default();
                let token = options
                    .get("handle_token")
                    .and_then(|v| v.0.as_str())
                    .unwrap_or_default()
                    .to_owned();
                let caller = call.sender().map(|s| s.to_string()).unwrap_or_default();
                let path = dbus::Path::new(request_path(&caller, &token))
                    .unwrap_or_else(|e| panic!("{e}"));
                let _ = portal.send(call.method_return().append1(path.clone()));
                // The rogue, who guessed the request object, answers first.
                let _ = rogue.send(response(&path, &forged_uri));
                rogue.channel().flush();
                std::thread::sleep(Duration::from_millis(200));
                let _ = portal.send(response(&path, &real_uri));
                true
            }),
        );
        std::thread::spawn(move || loop {
            if portal.process(Duration::from_secs(1)).is_err() {
                break;
            }
        });
        let asking = bus.connect();
        assert_eq!(
            screenshot_on(&asking).as_deref(),
            Ok(&b"the portal's screenshot"[..])
        );
        assert!(!real.exists(), "the screenshot was removed after reading");
        assert!(forged.exists(), "the forged answer's file was not touched");
    }

    #[test]
    fn the_screenshot_file_is_read_then_removed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("shot.png");
        std::fs::write(&path, b"png bytes").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_and_remove(&path), Ok(b"png bytes".to_vec()));
        assert!(!path.exists());
        assert!(matches!(
            read_and_remove(&path),
            Err(PortalError::Failed(_))
        ));
    }

    /// The line the child prints once it has made its check. A child whose filter matches
    /// no test (the test renamed or moved) also exits 0: without this line the parent
    /// would pass having checked nothing.
    const CHILD_CHECKED: &str = "RINGLET_PORTAL_CHILD_CHECKED";

    #[test]
    fn no_session_bus_means_no_screenshot_service() {
        // A child process, so this test's environment change reaches nothing else.
        if std::env::var_os("RINGLET_PORTAL_CHILD").is_some() {
            assert_eq!(screenshot(), Err(PortalError::Unavailable));
            // Straight to the file descriptor: the test harness captures `println!`. On a
            // line of its own: the harness has printed "test NAME ... " without a newline.
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "\n{CHILD_CHECKED}");
            let _ = out.flush();
            return;
        }
        // This test's name as the harness knows it (the crate's name left out).
        let module = module_path!().split_once("::").map_or("", |(_, rest)| rest);
        let name = format!("{module}::no_session_bus_means_no_screenshot_service");
        let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
        let output = std::process::Command::new(exe)
            .args(["--exact", &name, "--nocapture", "--test-threads=1"])
            .env("RINGLET_PORTAL_CHILD", "1")
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/ringlet-no-bus",
            )
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "the child failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            stdout.lines().any(|line| line == CHILD_CHECKED),
            "the child did not run {name}:\n{stdout}"
        );
    }
}
