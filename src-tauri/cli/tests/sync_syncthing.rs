//! Sync through a real sync engine: two Syncthing instances (Debian's `syncthing`) on
//! 127.0.0.1, each with its own home, carrying one folder between two computers' sync
//! folders. The real `ringlet-cli` joins, adds, edits and merges on each side; one
//! Syncthing is stopped while both sides change, then started again.
//!
//! Each instance runs with no network but the loopback: discovery, relays, NAT and usage
//! reporting off, the other device at a static `tcp://127.0.0.1:PORT`.
//!
//! Without `syncthing` on PATH the test is recorded as not run, unless
//! `RINGLET_REQUIRE_SYNC_ENGINES=1` (set by `dev test`, which installs it) makes that a
//! failure.

mod common;

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ringlet_core::vault::Vault;

use common::{not_run, run_cli, Run};

const PASSWORD: &str = "correct horse battery staple";
/// How long Syncthing may take to carry a file (seen here: a few seconds).
const CARRY_LIMIT: Duration = Duration::from_secs(90);

/// One Syncthing instance: its home (keys, config, database) and the folder it shares.
struct Engine {
    home: PathBuf,
    folder: PathBuf,
    id: String,
    port: u16,
    child: Option<Child>,
}

impl Engine {
    fn generate(home: PathBuf, folder: PathBuf) -> Engine {
        let output = Command::new("syncthing")
            .arg("generate")
            .arg(format!("--home={}", home.display()))
            .arg("--no-default-folder")
            .output()
            .expect("run syncthing generate");
        assert!(output.status.success(), "{output:?}");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        let id = text
            .lines()
            .find_map(|line| line.split("Device ID: ").nth(1))
            .map(|id| id.trim().to_owned())
            .unwrap_or_else(|| panic!("no device id in {text}"));
        fs::create_dir_all(folder.join(".stfolder")).unwrap();
        Engine {
            home,
            folder,
            id,
            port: free_port(),
            child: None,
        }
    }

    /// Writes a config that shares the folder with `other` and nothing else.
    fn configure(&self, other: &Engine) {
        let device = |engine: &Engine, name: &str| {
            format!(
                r#"<device id="{}" name="{name}" compression="metadata"><address>tcp://127.0.0.1:{}</address></device>"#,
                engine.id, engine.port
            )
        };
        let config = format!(
            r#"<configuration version="36">
    <folder id="ringlet-sync" label="Ringlet" path="{folder}" type="sendreceive" rescanIntervalS="2" fsWatcherEnabled="true" fsWatcherDelayS="1">
        <device id="{me}"></device>
        <device id="{other}"></device>
    </folder>
    {my_device}
    {other_device}
    <gui enabled="false" tls="false"><address>127.0.0.1:0</address></gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{port}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <urAccepted>-1</urAccepted>
        <startBrowser>false</startBrowser>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <reconnectionIntervalS>1</reconnectionIntervalS>
        <setLowPriority>false</setLowPriority>
    </options>
</configuration>
"#,
            folder = self.folder.display(),
            me = self.id,
            other = other.id,
            my_device = device(self, "self"),
            other_device = device(other, "other"),
            port = self.port,
        );
        fs::write(self.home.join("config.xml"), config).unwrap();
    }

    fn start(&mut self) {
        let log = fs::File::create(self.home.join("syncthing.log")).unwrap();
        let child = Command::new("syncthing")
            .arg("serve")
            .arg(format!("--home={}", self.home.display()))
            .args(["--no-browser", "--no-restart", "--no-upgrade"])
            .env("STNODEFAULTFOLDER", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start syncthing");
        self.child = Some(child);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn log(&self) -> String {
        fs::read_to_string(self.home.join("syncthing.log")).unwrap_or_default()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Ringlet's files in a sync folder, by name, with their bytes.
fn ringlet_files(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(folder)
        .unwrap()
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().to_string_lossy().into_owned();
            let device_file = ringlet_core::sync::file::device_of(&name).is_some();
            device_file.then(|| {
                (
                    name.clone(),
                    fs::read(folder.join(&name)).unwrap_or_default(),
                )
            })
        })
        .collect();
    files.sort();
    files
}

/// Waits until both folders hold the same Ringlet files, byte for byte, and at least
/// `count` of them.
fn wait_carried(a: &Engine, b: &Engine, count: usize) {
    let start = Instant::now();
    loop {
        let (left, right) = (ringlet_files(&a.folder), ringlet_files(&b.folder));
        if left == right && left.len() >= count {
            return;
        }
        if start.elapsed() > CARRY_LIMIT {
            let names = |files: &[(String, Vec<u8>)]| {
                files
                    .iter()
                    .map(|(n, b)| format!("{n} ({} B)", b.len()))
                    .collect::<Vec<_>>()
            };
            panic!(
                "Syncthing did not carry the files in {CARRY_LIMIT:?}: {:?} against {:?}\n--- a ---\n{}\n--- b ---\n{}",
                names(&left),
                names(&right),
                a.log(),
                b.log()
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn ok(run: Run) -> String {
    assert_eq!(run.code, 0, "{run:?}");
    run.stdout
}

/// Issuer, name and note of every account in use, sorted.
fn accounts(vault: &Path) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = Vault::open(vault, PASSWORD.as_bytes())
        .unwrap()
        .entries()
        .unwrap()
        .into_iter()
        .filter(|e| e.stamp.trashed_ms.is_none())
        .map(|e| (e.account.issuer, e.account.name, e.account.note))
        .collect();
    out.sort();
    out
}

fn owned(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

fn syncthing_available() -> bool {
    if Command::new("syncthing").arg("--version").output().is_ok() {
        return true;
    }
    let reason = "syncthing is not installed (Debian: apt install syncthing)";
    if std::env::var_os("RINGLET_REQUIRE_SYNC_ENGINES").is_some_and(|v| v == "1") {
        panic!("{reason}, and RINGLET_REQUIRE_SYNC_ENGINES=1");
    }
    not_run(reason);
    false
}

#[test]
fn two_computers_through_two_syncthing_instances() {
    if !syncthing_available() {
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let password_file = root.join("password");
    fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
    let laptop = root.join("laptop-vault");
    let desktop = root.join("desktop-vault");
    let cli = |vault: &Path, args: &[&str]| run_cli(vault, &password_file, args);
    let add = |vault: &Path, issuer: &str| {
        let link = root.join(format!("{issuer}.uri"));
        let uri = format!("otpauth://totp/{issuer}:alice?secret=JBSWY3DPEHPK3PXP&issuer={issuer}");
        fs::write(&link, uri).unwrap();
        ok(cli(vault, &["add", "--uri-file", link.to_str().unwrap()]));
    };

    let mut a = Engine::generate(root.join("syncthing-a"), root.join("Sync-laptop"));
    let mut b = Engine::generate(root.join("syncthing-b"), root.join("Sync-desktop"));
    a.configure(&b);
    b.configure(&a);
    a.start();
    b.start();

    // The laptop's vault starts syncing; the desktop builds its copy from what arrives.
    ok(cli(&laptop, &["init"]));
    add(&laptop, "GitHub");
    let folder_a = a.folder.to_str().unwrap().to_owned();
    let folder_b = b.folder.to_str().unwrap().to_owned();
    ok(cli(
        &laptop,
        &["sync", "join", &folder_a, "--name", "laptop"],
    ));
    wait_carried(&a, &b, 1);
    let built = ok(cli(
        &desktop,
        &["sync", "join", &folder_b, "--name", "desktop"],
    ));
    assert!(built.contains("Built this computer's copy"), "{built}");
    assert_eq!(accounts(&desktop), owned(&[("GitHub", "alice", "")]));

    // Added on the desktop, seen on the laptop.
    add(&desktop, "GitLab");
    ok(cli(&desktop, &["sync", "now"]));
    wait_carried(&a, &b, 2);
    let merged = ok(cli(&laptop, &["sync", "now"]));
    assert!(merged.contains("GitLab"), "{merged}");
    assert_eq!(
        accounts(&laptop),
        owned(&[("GitHub", "alice", ""), ("GitLab", "alice", "")])
    );

    // The desktop's Syncthing stops; both sides change, one account on both.
    b.stop();
    ok(cli(
        &laptop,
        &["edit", "GitHub", "--note", "from the laptop"],
    ));
    ok(cli(&laptop, &["edit", "GitLab", "--note", "laptop, older"]));
    ok(cli(&laptop, &["sync", "now"]));
    add(&desktop, "Codeberg");
    // Later than the laptop's edit of the same account: the newest change wins everywhere.
    std::thread::sleep(Duration::from_millis(20));
    ok(cli(
        &desktop,
        &["edit", "GitLab", "--note", "desktop, newer"],
    ));
    ok(cli(&desktop, &["sync", "now"]));
    assert_eq!(
        accounts(&laptop),
        owned(&[
            ("GitHub", "alice", "from the laptop"),
            ("GitLab", "alice", "laptop, older")
        ]),
        "nothing arrives while the desktop's engine is stopped"
    );

    // Started again: the engines carry both files, and each side merges the other's.
    b.start();
    wait_carried(&a, &b, 2);
    ok(cli(&laptop, &["sync", "now"]));
    ok(cli(&desktop, &["sync", "now"]));
    wait_carried(&a, &b, 2);
    ok(cli(&laptop, &["sync", "now"]));
    let expected = owned(&[
        ("Codeberg", "alice", ""),
        ("GitHub", "alice", "from the laptop"),
        ("GitLab", "alice", "desktop, newer"),
    ]);
    assert_eq!(accounts(&laptop), expected);
    assert_eq!(accounts(&desktop), expected);

    // Each device writes only its own file: the engines never made a conflict copy.
    for folder in [&a.folder, &b.folder] {
        let conflicts: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
            .filter(|name| name.contains("sync-conflict"))
            .collect();
        assert!(conflicts.is_empty(), "conflict copies: {conflicts:?}");
    }
    let status = ok(cli(&laptop, &["sync", "status"]));
    assert!(
        status.contains("desktop") && status.contains("laptop"),
        "{status}"
    );
}
