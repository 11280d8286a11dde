//! `ringlet-cli sync` through a real WebDAV server: `rclone serve webdav` on 127.0.0.1
//! (the Debian package `rclone`). Two vaults sync through it; the server stops in the middle
//! of syncs and comes back; a server that hangs costs a sync its time limit, not forever; a
//! wrong WebDAV password is said in words.
//!
//! Without rclone these tests cannot run: they say so, and fail where it must be there
//! (`RINGLET_REQUIRE_SYNC_ENGINES=1`, which `src-tauri/scripts/dev test` sets).

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ringlet_core::model::{Account, Algorithm, OtpKind};
use ringlet_core::vault::Vault;

use common::{accounts, run_cli, Run, TestVault};

const PASSWORD: &str = "correct horse battery staple";
const DAV_USER: &str = "alice";
const DAV_PASSWORD: &str = "webdav secret 42";

fn totp(issuer: &str, name: &str) -> Account {
    let secret = format!("{issuer}:{name}");
    let otp = (Algorithm::Sha1, 6, OtpKind::Totp { period: 30 });
    accounts::account(issuer, name, secret.as_bytes(), otp)
}

fn ok(run: &Run) -> &str {
    assert_eq!(run.code, 0, "{run:?}");
    &run.stdout
}

fn issuers(vault: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vault::open(vault, PASSWORD.as_bytes())
        .unwrap()
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| format!("{} ({})", e.account.issuer, e.account.name))
        .collect();
    out.sort();
    out
}

/// Whether rclone is here; when it is not, says so loudly, and fails where it is required.
fn rclone_here() -> bool {
    let found = Command::new("rclone")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return true;
    }
    let reason = "needs rclone (`rclone serve webdav` is the real WebDAV server these tests sync through): `apt-get install rclone`, or `src-tauri/scripts/dev deps`";
    // Set by `dev test`, which installs rclone and Syncthing (sync_syncthing.rs reads it too).
    if std::env::var_os("RINGLET_REQUIRE_SYNC_ENGINES").is_some_and(|v| v == "1") {
        panic!("{reason}");
    }
    common::not_run(reason);
    false
}

/// `rclone serve webdav` over `root` on 127.0.0.1:`port`, as `alice` with `password`.
struct Server {
    root: PathBuf,
    port: u16,
    password: String,
    child: Arc<Mutex<Option<Child>>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        std::fs::create_dir_all(root).unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut server = Server {
            root: root.to_path_buf(),
            port,
            password: DAV_PASSWORD.to_owned(),
            child: Arc::default(),
        };
        server.restart();
        server
    }

    /// Starts it again on the same port and folder, and waits until it answers.
    fn restart(&mut self) {
        assert!(self.child.lock().unwrap().is_none());
        let child = Command::new("rclone")
            .args(["serve", "webdav"])
            .arg(&self.root)
            .args(["--addr", &format!("127.0.0.1:{}", self.port)])
            .args(["--user", DAV_USER, "--pass", &self.password])
            // No rclone.conf of the person running the tests is read.
            .env("RCLONE_CONFIG", self.root.with_extension("rclone.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start rclone");
        *self.child.lock().unwrap() = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "rclone did not start listening");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills it (as a crash or a pulled cable would), and waits until it is gone.
    fn stop(&mut self) {
        kill(&self.child);
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn kill(child: &Mutex<Option<Child>>) {
    if let Some(mut child) = child.lock().unwrap().take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// When the server dies: at the first request that starts with `method`, once `more` bytes
/// past its start have gone through.
type Trigger = Arc<Mutex<Option<(&'static [u8], usize)>>>;

/// A TCP relay in front of the server that kills it in the middle of a sync, at a chosen
/// request, so every step of a sync is interrupted for certain (a timer would mostly hit
/// the CLI's start).
struct Relay {
    port: u16,
    trigger: Trigger,
}

impl Relay {
    fn start(server: &Server) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let trigger: Trigger = Arc::default();
        let (upstream_port, child, armed) = (server.port, server.child.clone(), trigger.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                // The server is down: the connection is dropped, as a dead server's would be.
                let Ok(upstream) = TcpStream::connect(("127.0.0.1", upstream_port)) else {
                    continue;
                };
                let (c2, u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let (child, armed) = (child.clone(), armed.clone());
                std::thread::spawn(move || pump_requests(client, upstream, &armed, &child));
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut &u2, &mut &c2);
                    let _ = c2.shutdown(Shutdown::Both);
                });
            }
        });
        Relay { port, trigger }
    }

    fn arm(&self, method: &'static [u8], more: usize) {
        *self.trigger.lock().unwrap() = Some((method, more));
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

/// Client to server, until the trigger's request: then `more` bytes of it, and the server
/// is killed.
fn pump_requests(
    mut client: TcpStream,
    mut upstream: TcpStream,
    armed: &Mutex<Option<(&'static [u8], usize)>>,
    child: &Mutex<Option<Child>>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut left: Option<usize> = None;
    while let Ok(n) = client.read(&mut buf) {
        if n == 0 {
            break;
        }
        let mut chunk = &buf[..n];
        if left.is_none() {
            let mut trigger = armed.lock().unwrap();
            if let Some((method, more)) = *trigger {
                if let Some(at) = chunk.windows(method.len()).position(|w| w == method) {
                    *trigger = None;
                    let _ = upstream.write_all(&chunk[..at]);
                    chunk = &chunk[at..];
                    left = Some(more);
                }
            }
        }
        if let Some(budget) = left.as_mut() {
            let pass = chunk.len().min(*budget);
            let _ = upstream.write_all(&chunk[..pass]);
            *budget -= pass;
            if *budget == 0 {
                let _ = upstream.flush();
                std::thread::sleep(Duration::from_millis(100));
                kill(child);
                break;
            }
            continue;
        }
        if upstream.write_all(chunk).is_err() {
            break;
        }
    }
    let _ = client.shutdown(Shutdown::Both);
    let _ = upstream.shutdown(Shutdown::Both);
}

/// `sync join URL` as alice with the password in `dav_password_file`.
fn join(
    vault: &Path,
    password_file: &Path,
    url: &str,
    dav_password_file: &Path,
    name: &str,
) -> Run {
    run_cli(
        vault,
        password_file,
        &[
            "sync",
            "join",
            url,
            "--name",
            name,
            "--webdav-user",
            DAV_USER,
            "--webdav-password-file",
            dav_password_file.to_str().unwrap(),
        ],
    )
}

/// A laptop with a vault and a desktop built from it, both syncing through `url`.
fn two_computers(laptop: &TestVault, url: &str) -> PathBuf {
    let dav_password = laptop.write("dav-password", format!("{DAV_PASSWORD}\n"));
    let joined = join(
        &laptop.vault,
        &laptop.password_file,
        url,
        &dav_password,
        "laptop",
    );
    assert!(ok(&joined).contains("now syncs through"), "{joined:?}");
    let desktop = laptop.path("desktop-vault");
    let built = join(
        &desktop,
        &laptop.password_file,
        url,
        &dav_password,
        "desktop",
    );
    assert!(
        ok(&built).contains("Built this computer's copy"),
        "{built:?}"
    );
    desktop
}

#[test]
fn two_vaults_sync_adds_edits_and_deletions_through_a_webdav_server() {
    if !rclone_here() {
        return;
    }
    let laptop = TestVault::with(PASSWORD, &[totp("GitHub", "alice")]);
    let server = Server::start(&laptop.path("dav"));
    // The folder does not exist yet: joining creates it (MKCOL), space and all.
    let url = server.url("Ring%20let");
    let desktop = two_computers(&laptop, &url);
    let on_server: Vec<_> = std::fs::read_dir(laptop.path("dav").join("Ring let"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(on_server.len(), 2, "one file per computer: {on_server:?}");
    assert!(
        on_server.iter().all(|n| n.ends_with(".ringlet-sync")),
        "{on_server:?}"
    );
    assert_eq!(issuers(&desktop), ["GitHub (alice)"]);

    // The WebDAV password is in sync.json, sealed: never in clear.
    for vault in [&laptop.vault, &desktop] {
        let state = std::fs::read_to_string(vault.join("sync.json")).unwrap();
        assert!(!state.contains(DAV_PASSWORD), "{state}");
        assert!(state.contains("\"webdav\""), "{state}");
        assert!(state.contains("password_sealed"), "{state}");
    }

    // Added on the desktop; `sync now` needs no WebDAV password once joined.
    let link = laptop.write(
        "link.txt",
        "otpauth://totp/Mastodon:bob?secret=JBSWY3DPEHPK3PXP&issuer=Mastodon\n",
    );
    ok(&run_cli(
        &desktop,
        &laptop.password_file,
        &["add", "--uri-file", link.to_str().unwrap()],
    ));
    let wrote = run_cli(&desktop, &laptop.password_file, &["sync", "now"]);
    assert!(
        ok(&wrote).contains("Wrote this computer's changes"),
        "{wrote:?}"
    );
    let merged = laptop.run(&["sync", "now"]);
    assert!(ok(&merged).contains("Added: Mastodon (bob)"), "{merged:?}");

    // Edited on both sides, then synced both ways.
    ok(&laptop.run(&["edit", "GitHub", "--issuer", "GitHub Inc"]));
    ok(&run_cli(
        &desktop,
        &laptop.password_file,
        &["edit", "Mastodon", "--name", "bobby"],
    ));
    ok(&laptop.run(&["sync", "now"]));
    let desktop_sync = run_cli(&desktop, &laptop.password_file, &["sync", "now"]);
    assert!(
        ok(&desktop_sync).contains("Updated: GitHub Inc (alice)"),
        "{desktop_sync:?}"
    );
    let laptop_sync = laptop.run(&["sync", "now"]);
    assert!(
        ok(&laptop_sync).contains("Updated: Mastodon (bobby)"),
        "{laptop_sync:?}"
    );
    let both = ["GitHub Inc (alice)", "Mastodon (bobby)"];
    assert_eq!(issuers(&laptop.vault), both);
    assert_eq!(issuers(&desktop), both);

    // Deleted on the laptop, gone on the desktop.
    ok(&laptop.run(&["remove", "Mastodon", "--yes"]));
    ok(&laptop.run(&["sync", "now"]));
    let deleted = run_cli(&desktop, &laptop.password_file, &["sync", "now"]);
    assert!(ok(&deleted).contains("Mastodon (bobby)"), "{deleted:?}");
    assert_eq!(issuers(&desktop), ["GitHub Inc (alice)"]);
    assert_eq!(issuers(&laptop.vault), ["GitHub Inc (alice)"]);

    // Status: the address, that it is WebDAV and as whom; no password needed.
    let status = run_cli(
        &laptop.vault,
        Path::new("/nonexistent"),
        &["sync", "status"],
    );
    let text = ok(&status);
    assert!(
        text.contains(&format!("Sync folder: {url}/ (WebDAV, user \"alice\")")),
        "{text}"
    );
    assert!(text.contains("'desktop',"), "{text}");

    // A change of the vault's password seals the WebDAV password again under the new key:
    // the next sync needs no WebDAV password either.
    let new_password = laptop.write("new-password", "another horse battery staple\n");
    ok(&laptop.run(&[
        "passwd",
        "--new-password-file",
        new_password.to_str().unwrap(),
    ]));
    let state = std::fs::read_to_string(laptop.vault.join("sync.json")).unwrap();
    assert!(!state.contains(DAV_PASSWORD), "{state}");
    let after = run_cli(&laptop.vault, &new_password, &["sync", "now"]);
    assert_eq!(after.code, 0, "{after:?}");
}

#[test]
fn a_server_stopped_in_the_middle_of_syncs_leaves_every_vault_whole_and_the_next_sync_converges() {
    if !rclone_here() {
        return;
    }
    let many: Vec<Account> = (0..300)
        .map(|i| totp("Bulk", &format!("user{i:03}")))
        .collect();
    let laptop = TestVault::with(PASSWORD, &many);
    let mut server = Server::start(&laptop.path("dav"));
    let relay = Relay::start(&server);
    let url = relay.url("Ringlet");
    let desktop = two_computers(&laptop, &url);

    // Stopped before a sync: a clear error, exit 1, nothing changed here.
    server.stop();
    let link = |n: usize| {
        laptop.write(
            &format!("link{n}.txt"),
            format!("otpauth://totp/Added:n{n}?secret=JBSWY3DPEHPK3PXP&issuer=Added\n"),
        )
    };
    ok(&run_cli(
        &desktop,
        &laptop.password_file,
        &["add", "--uri-file", link(0).to_str().unwrap()],
    ));
    let before = issuers(&desktop);
    let run = run_cli(&desktop, &laptop.password_file, &["sync", "now"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("is not reachable"), "{run:?}");
    assert_eq!(issuers(&desktop), before);
    let status = run_cli(&desktop, Path::new("/nonexistent"), &["sync", "status"]);
    assert!(
        ok(&status).contains("Problem: The sync folder"),
        "{status:?}"
    );

    // Killed at each step of a sync, on both computers: listing (PROPFIND), reading the
    // other's 300 accounts (GET), writing (PUT, before and in the middle of its body), and
    // replacing (MOVE). Each sync fails in words, and leaves its vault whole.
    let steps: [(&'static [u8], usize); 5] = [
        (b"PROPFIND ", 0),
        (b"GET ", 0),
        (b"PUT ", 10),
        (b"PUT ", 60_000),
        (b"MOVE ", 0),
    ];
    let mut n = 0;
    for (method, more) in steps {
        for computer in [&desktop, &laptop.vault] {
            n += 1;
            server.restart();
            ok(&run_cli(
                computer,
                &laptop.password_file,
                &["add", "--uri-file", link(n).to_str().unwrap()],
            ));
            relay.arm(method, more);
            let run = run_cli(computer, &laptop.password_file, &["sync", "now"]);
            let step = String::from_utf8_lossy(method);
            assert_eq!(run.code, 1, "killed at {step}+{more}: {run:?}");
            assert!(
                run.stderr.contains("is not reachable"),
                "killed at {step}+{more}: {run:?}"
            );
            assert!(
                server.child.lock().unwrap().is_none(),
                "never reached {step}"
            );
            // Whole: it opens and reads, with the account just added.
            assert!(issuers(computer).contains(&format!("Added (n{n})")));
        }
    }

    // Back for good: two rounds and both computers hold the same accounts, all of them.
    server.restart();
    for _ in 0..2 {
        ok(&run_cli(&desktop, &laptop.password_file, &["sync", "now"]));
        ok(&laptop.run(&["sync", "now"]));
    }
    let laptop_has = issuers(&laptop.vault);
    assert_eq!(laptop_has, issuers(&desktop));
    assert_eq!(laptop_has.len(), 300 + 1 + n, "{laptop_has:?}");
}

#[test]
fn a_server_that_never_answers_fails_the_sync_after_its_time_limit() {
    if !rclone_here() {
        return;
    }
    let laptop = TestVault::with(PASSWORD, &[totp("GitHub", "alice")]);
    let server = Server::start(&laptop.path("dav"));
    let url = server.url("Ringlet");
    two_computers(&laptop, &url);
    drop(server);
    // Stopped: said at once.
    let run = laptop.run(&["sync", "now"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("nothing answers at that address"),
        "{run:?}"
    );

    // Something takes connections on that port and says nothing.
    let port: u16 = url
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let held = std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().take(4) {
            open.push(stream);
        }
        std::thread::sleep(Duration::from_secs(60));
    });
    let started = Instant::now();
    let run = laptop.run(&["sync", "now"]);
    let took = started.elapsed();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("did not answer within 15 seconds"),
        "{run:?}"
    );
    assert!(took < Duration::from_secs(40), "took {took:?}");
    drop(held);
}

#[test]
fn a_wrong_webdav_password_or_plain_http_elsewhere_is_refused_in_words() {
    if !rclone_here() {
        return;
    }
    let laptop = TestVault::with(PASSWORD, &[totp("GitHub", "alice")]);
    let mut server = Server::start(&laptop.path("dav"));
    let url = server.url("Ringlet");
    let wrong = laptop.write("wrong-dav", "not it\n");
    let run = join(&laptop.vault, &laptop.password_file, &url, &wrong, "laptop");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("refused the user \"alice\" or its password (HTTP 401)"),
        "{run:?}"
    );
    assert!(!laptop.vault.join("sync.json").exists());

    // Joined, then the server's password changes: `sync now` says so, and changes nothing.
    let right = laptop.write("dav-password", format!("{DAV_PASSWORD}\n"));
    ok(&join(
        &laptop.vault,
        &laptop.password_file,
        &url,
        &right,
        "laptop",
    ));
    server.stop();
    server.password = "changed on the server".to_owned();
    server.restart();
    let before = issuers(&laptop.vault);
    let run = laptop.run(&["sync", "now"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("or its password (HTTP 401)"), "{run:?}");
    assert_eq!(issuers(&laptop.vault), before);

    // Plain http to another computer: the password would travel in clear. Refused before
    // anything is sent or asked.
    let other = TestVault::with(PASSWORD, &[]);
    let run = join(
        &other.vault,
        &other.password_file,
        "http://sync.example.org/dav",
        &right,
        "x",
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("in clear"), "{run:?}");
    // No user: said, before any password is read.
    let run = other.run(&["sync", "join", "https://sync.example.org/dav"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("--webdav-user"), "{run:?}");
    assert!(!other.vault.join("sync.json").exists());
}
