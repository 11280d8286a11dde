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
    let token = format!("ringlet_{}", std::process::id() ^ now_nanos());
    let request_path = request_path(&connection.unique_name().to_string(), &token);

    let answer: Arc<Mutex<Option<(u32, PropMap)>>> = Arc::default();
    let slot = Arc::clone(&answer);
    let rule =
        MatchRule::new_signal("org.freedesktop.portal.Request", "Response").with_path(request_path);
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

fn now_nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
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
    url::Url::parse(uri)
        .ok()
        .filter(|url| url.scheme() == "file")
        .and_then(|url| url.to_file_path().ok())
        .ok_or_else(|| PortalError::Failed("it named something that is not a local file".into()))
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
        assert_eq!(
            answer_path(0, &results("file:///tmp/Screenshot%20one.png")),
            Ok(PathBuf::from("/tmp/Screenshot one.png"))
        );
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
