//! Sync under chaos: three computers (vault folders), each with its own view of the sync
//! folder, and a "network" between the views that withholds files, delivers them late,
//! twice, out of order (an older copy after a newer one) or half-written. The real
//! `ringlet-cli` makes random changes on each (add, note, trash, restore, HOTP code,
//! recovery code used) and syncs; some runs are killed with SIGKILL at a random moment.
//!
//! At the end the network heals and every computer syncs until nothing changes. Then every
//! vault holds exactly the same accounts, field by field, and no acknowledged change (a run
//! that exited 0) is lost: every account added is there, every code marked used is used,
//! every HOTP counter is past the codes shown on any one computer, and no account's record
//! is older than its last acknowledged change (the newest change to an account wins as a
//! whole: `docs/sync.md`); when that change was also the last one tried, what it set holds.
//!
//! `RINGLET_CHAOS_OPS` (default 500) and `RINGLET_CHAOS_SEED` (printed) set the run; the
//! long run is recorded in SECURITY.md.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ringlet_core::sync::merge::{AccountState, Replica};
use ringlet_core::vault::Vault;

use common::{cli_on, env_number, Rng};

const PASSWORD: &str = "correct horse battery staple";
const COMPUTERS: usize = 3;
const CODES: [&str; 3] = ["1111-2222", "3333-4444", "5555-6666"];

struct Computer {
    vault: PathBuf,
    /// This computer's view of the sync folder (what its engine has delivered so far).
    view: PathBuf,
    /// Every version of its own file it has written, oldest first (for late deliveries).
    history: Vec<Vec<u8>>,
}

/// How a run ended: exited by itself with 0 (acknowledged), otherwise, or killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    Acknowledged,
    Refused,
    Killed,
}

/// What a change to an account record set.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Effect {
    Note(String),
    Trashed(bool),
    Counter,
}

/// One change tried on an account record, in the order they were tried.
#[derive(Debug, Clone)]
struct Write {
    /// The wall clock just before the run started (the same clock the vaults stamp with).
    start_ms: u64,
    ended: Ended,
    effect: Effect,
}

#[derive(Default)]
struct Expected {
    added: BTreeSet<String>,
    writes: BTreeMap<String, Vec<Write>>,
    /// The HOTP codes shown (acknowledged runs), per account.
    hotp_shown: BTreeMap<String, Vec<String>>,
    used: BTreeSet<(String, String)>,
    with_codes: BTreeSet<String>,
}

struct Chaos {
    rng: Rng,
    root: PathBuf,
    password_file: PathBuf,
    computers: Vec<Computer>,
    expected: Expected,
    kills: usize,
}

impl Chaos {
    fn run(&mut self, computer: usize, args: &[&str], kill: bool) -> Ended {
        self.run_output(computer, args, kill).0
    }

    /// Runs the CLI; what it printed when it was acknowledged.
    fn run_output(&mut self, computer: usize, args: &[&str], kill: bool) -> (Ended, String) {
        let mut command: Command =
            cli_on(&self.computers[computer].vault, &self.password_file, args);
        let mut child = command.spawn().expect("start ringlet-cli");
        if kill {
            std::thread::sleep(Duration::from_micros(self.rng.below(40_000)));
            let _ = child.kill();
        }
        let output = child.wait_with_output().expect("wait for ringlet-cli");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        let ended = match output.status.code() {
            Some(0) => Ended::Acknowledged,
            Some(code) => {
                // Refusals the random changes run into; anything else is a failure.
                assert!(
                    code == 1 || (code == 4 && kill),
                    "{args:?} on computer {computer} exited {code}: {stderr}"
                );
                Ended::Refused
            }
            None => {
                self.kills += 1;
                Ended::Killed
            }
        };
        (ended, String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Runs a change to `issuer`'s record and notes it; how it ended and what it printed.
    fn write(
        &mut self,
        computer: usize,
        issuer: &str,
        args: &[&str],
        kill: bool,
        effect: Effect,
    ) -> (Ended, String) {
        let start_ms = ringlet_core::otp::now_ms();
        let (ended, printed) = self.run_output(computer, args, kill);
        if ended != Ended::Refused {
            self.expected
                .writes
                .entry(issuer.to_owned())
                .or_default()
                .push(Write {
                    start_ms,
                    ended,
                    effect,
                });
        }
        (ended, printed)
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.root.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// One random change (or a sync) on one computer, killed now and then.
    fn step(&mut self, op: usize) {
        let computer = self.rng.below(COMPUTERS as u64) as usize;
        let kill = self.rng.chance(15);
        let known: Vec<String> = self.expected.added.iter().cloned().collect();
        let pick = |rng: &mut Rng| known.get(rng.below(known.len() as u64) as usize).cloned();
        match self.rng.below(100) {
            0..=11 => {
                let hotp = self.rng.chance(30);
                // Fixed width: a query for one issuer must never be a prefix of another's.
                let issuer = format!("{}{op:07}", if hotp { "Hotp" } else { "Acct" });
                let kind = if hotp { "hotp" } else { "totp" };
                let secret = data_encoding::BASE32_NOPAD.encode(issuer.as_bytes());
                let link = self.file(
                    "link.txt",
                    &format!(
                        "otpauth://{kind}/{issuer}:u?secret={secret}&issuer={issuer}&counter=0\n"
                    ),
                );
                let start_ms = ringlet_core::otp::now_ms();
                let ended = self.run(
                    computer,
                    &["add", "--uri-file", link.to_str().unwrap()],
                    kill,
                );
                if ended == Ended::Acknowledged {
                    self.expected.added.insert(issuer.clone());
                    let effect = Effect::Trashed(false);
                    self.expected
                        .writes
                        .entry(issuer.clone())
                        .or_default()
                        .push(Write {
                            start_ms,
                            ended,
                            effect,
                        });
                    // Recovery codes, added once, on the computer that made the account.
                    let codes = self.file("codes.txt", &CODES.join("\n"));
                    let args = ["recovery", &issuer, "add", codes.to_str().unwrap()];
                    if self.run(computer, &args, false) == Ended::Acknowledged {
                        self.expected.with_codes.insert(issuer);
                    }
                }
            }
            12..=29 => {
                let Some(issuer) = pick(&mut self.rng) else {
                    return;
                };
                let note = format!("note {op}");
                let args = ["edit", &issuer, "--note", &note];
                self.write(computer, &issuer, &args, kill, Effect::Note(note.clone()));
            }
            30..=39 => {
                let Some(issuer) = pick(&mut self.rng) else {
                    return;
                };
                let args = ["remove", &issuer, "--yes"];
                self.write(computer, &issuer, &args, kill, Effect::Trashed(true));
            }
            40..=47 => {
                let Some(issuer) = pick(&mut self.rng) else {
                    return;
                };
                let args = ["trash", "restore", &issuer];
                self.write(computer, &issuer, &args, kill, Effect::Trashed(false));
            }
            48..=62 => {
                let hotp: Vec<&String> = known.iter().filter(|i| i.starts_with("Hotp")).collect();
                let Some(issuer) = hotp.get(self.rng.below(hotp.len() as u64) as usize) else {
                    return;
                };
                let issuer = (*issuer).clone();
                let args = ["code", &issuer];
                let (ended, printed) = self.write(computer, &issuer, &args, kill, Effect::Counter);
                if ended == Ended::Acknowledged {
                    let shown = self.expected.hotp_shown.entry(issuer).or_default();
                    shown.push(printed.trim().to_owned());
                }
            }
            63..=70 => {
                let Some(issuer) = pick(&mut self.rng) else {
                    return;
                };
                let code = CODES[self.rng.below(CODES.len() as u64) as usize];
                if self.run(computer, &["recovery", &issuer, "use", code], kill)
                    == Ended::Acknowledged
                {
                    self.expected.used.insert((issuer, code.to_owned()));
                }
            }
            _ => {
                self.run(computer, &["sync", "now"], kill);
                self.record_own_file(computer);
            }
        }
        // The network moves a file or two between views.
        for _ in 0..self.rng.below(3) {
            self.deliver_randomly();
        }
    }

    fn own_file(&self, computer: usize) -> Option<(String, Vec<u8>)> {
        let vault = &self.computers[computer].vault;
        let header = std::fs::read(vault.join("vault.index")).ok()?;
        // The device id sits after magic, version, vault id and key epoch (vault-format.md).
        let device = data_encoding::HEXLOWER.encode(header.get(30..46)?);
        let name = format!("{device}.ringlet-sync");
        let bytes = std::fs::read(self.computers[computer].view.join(&name)).ok()?;
        Some((name, bytes))
    }

    fn record_own_file(&mut self, computer: usize) {
        if let Some((_, bytes)) = self.own_file(computer) {
            let history = &mut self.computers[computer].history;
            if history.last() != Some(&bytes) {
                history.push(bytes);
            }
        }
    }

    /// Carries one computer's file to another's view, as a misbehaving engine might.
    fn deliver_randomly(&mut self) {
        let from = self.rng.below(COMPUTERS as u64) as usize;
        let to = (from + 1 + self.rng.below(COMPUTERS as u64 - 1) as usize) % COMPUTERS;
        let Some((name, current)) = self.own_file(from) else {
            return;
        };
        let target = self.computers[to].view.join(&name);
        let history = self.computers[from].history.clone();
        match self.rng.below(100) {
            // Withheld (a partition): nothing arrives.
            0..=19 => {}
            // Late and out of order: an older version after newer ones.
            20..=34 if history.len() > 1 => {
                let old = &history[self.rng.below(history.len() as u64 - 1) as usize];
                std::fs::write(&target, old).unwrap();
            }
            // Half-written: the engine is still copying.
            35..=49 => {
                let cut = self.rng.below(current.len() as u64) as usize;
                std::fs::write(&target, &current[..cut]).unwrap();
            }
            // Delivered (twice now and then: the same bytes again).
            _ => {
                std::fs::write(&target, &current).unwrap();
                if self.rng.chance(20) {
                    std::fs::write(&target, &current).unwrap();
                }
            }
        }
    }

    /// The network heals: every computer's current file reaches every view, then everyone
    /// syncs, until a round changes nothing.
    fn heal(&mut self) {
        for round in 0..6 {
            for computer in 0..COMPUTERS {
                let ended = self.run(computer, &["sync", "now"], false);
                assert_eq!(ended, Ended::Acknowledged, "sync on computer {computer}");
                self.record_own_file(computer);
            }
            let files: Vec<(String, Vec<u8>)> =
                (0..COMPUTERS).filter_map(|c| self.own_file(c)).collect();
            let mut moved = false;
            for computer in &self.computers {
                for (name, bytes) in &files {
                    let target = computer.view.join(name);
                    if std::fs::read(&target).ok().as_ref() != Some(bytes) {
                        std::fs::write(&target, bytes).unwrap();
                        moved = true;
                    }
                }
            }
            if !moved && round > 0 {
                return;
            }
        }
        panic!("the computers did not settle after the network healed");
    }
}

fn replica(vault: &Path) -> Replica {
    Vault::open(vault, PASSWORD.as_bytes())
        .unwrap()
        .replica()
        .unwrap()
        .replica
}

#[test]
fn three_computers_converge_and_lose_nothing_acknowledged() {
    let ops = env_number("RINGLET_CHAOS_OPS", 500) as usize;
    let seed = env_number("RINGLET_CHAOS_SEED", 0x5EED_5CAF);
    eprintln!(
        "sync chaos: {ops} operations, seed {seed:#x} (RINGLET_CHAOS_OPS, RINGLET_CHAOS_SEED)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let password_file = root.join("password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
    let computers = (0..COMPUTERS)
        .map(|i| {
            let view = root.join(format!("view-{i}"));
            std::fs::create_dir(&view).unwrap();
            Computer {
                vault: root.join(format!("vault-{i}")),
                view,
                history: Vec::new(),
            }
        })
        .collect();
    let mut chaos = Chaos {
        rng: Rng(seed),
        root,
        password_file,
        computers,
        expected: Expected::default(),
        kills: 0,
    };

    // The first computer makes the vault and joins its view; the others join from theirs,
    // once its file has been carried there.
    Vault::create_with(
        &chaos.computers[0].vault,
        PASSWORD.as_bytes(),
        common::fast_kdf(),
    )
    .unwrap();
    let view = chaos.computers[0].view.to_str().unwrap().to_owned();
    assert_eq!(
        chaos.run(0, &["sync", "join", &view, "--name", "c0"], false),
        Ended::Acknowledged
    );
    chaos.record_own_file(0);
    let (name, bytes) = chaos.own_file(0).unwrap();
    for computer in 1..COMPUTERS {
        std::fs::write(chaos.computers[computer].view.join(&name), &bytes).unwrap();
        let view = chaos.computers[computer].view.to_str().unwrap().to_owned();
        let device = format!("c{computer}");
        assert_eq!(
            chaos.run(computer, &["sync", "join", &view, "--name", &device], false),
            Ended::Acknowledged
        );
        chaos.record_own_file(computer);
    }

    for op in 0..ops {
        chaos.step(op);
    }
    chaos.heal();
    eprintln!("sync chaos: {} runs killed", chaos.kills);

    let replicas: Vec<Replica> = chaos.computers.iter().map(|c| replica(&c.vault)).collect();
    for (i, other) in replicas.iter().enumerate().skip(1) {
        assert_eq!(
            other, &replicas[0],
            "computer {i} differs from computer 0 (seed {seed:#x})"
        );
    }
    let vault = Vault::open(&chaos.computers[0].vault, PASSWORD.as_bytes()).unwrap();
    let by_issuer: BTreeMap<String, (ringlet_core::AccountId, ringlet_core::Account, bool)> =
        replicas[0]
            .accounts
            .iter()
            .filter_map(|(id, state)| match state {
                AccountState::Live { account, stamp } => Some((
                    account.issuer.clone(),
                    (*id, account.clone(), stamp.trashed_ms.is_some()),
                )),
                AccountState::Deleted { .. } => None,
            })
            .collect();
    let expected = &chaos.expected;
    for issuer in &expected.added {
        assert!(
            by_issuer.contains_key(issuer),
            "{issuer} was added and acknowledged, then lost (seed {seed:#x})"
        );
    }
    for (issuer, writes) in &expected.writes {
        let Some(last_ack) = writes.iter().rposition(|w| w.ended == Ended::Acknowledged) else {
            continue;
        };
        let (id, account, trashed) = &by_issuer[issuer];
        let AccountState::Live { stamp, .. } = &replicas[0].accounts[id] else {
            unreachable!()
        };
        let acknowledged = &writes[last_ack];
        assert!(
            stamp.revision.clock.wall_ms >= acknowledged.start_ms,
            "{issuer}: its record is older than its last acknowledged change {acknowledged:?} (seed {seed:#x})"
        );
        if last_ack + 1 == writes.len() {
            let holds = match &acknowledged.effect {
                Effect::Note(note) => &account.note == note,
                Effect::Trashed(value) => trashed == value,
                Effect::Counter => true,
            };
            assert!(
                holds,
                "{issuer}: the last change {acknowledged:?} does not hold (seed {seed:#x})"
            );
        }
    }
    // A code once shown is never offered again: the counter is past every one of them.
    for (issuer, shown) in &expected.hotp_shown {
        let (_, account, _) = &by_issuer[issuer];
        let counter = account.otp.kind.counter().unwrap_or(0);
        let secret = issuer.as_bytes();
        let code_at =
            |c: u64| ringlet_core::otp::hotp(secret, ringlet_core::Algorithm::Sha1, 6, c).unwrap();
        for code in shown {
            let at = (0..counter + 50).find(|c| &code_at(*c) == code);
            assert!(
                at.is_some_and(|c| c < counter),
                "{issuer}: code {code} (counter {at:?}) was shown, and the counter is back at {counter} (seed {seed:#x})"
            );
        }
    }
    for (issuer, code) in &expected.used {
        let (id, _, _) = &by_issuer[issuer];
        let codes = vault.recovery_codes(*id).unwrap();
        let found = codes
            .codes
            .iter()
            .find(|c| ringlet_core::recovery_codes::same_code(&c.code, code));
        assert!(
            found.is_some_and(|c| c.used),
            "{issuer}: {code} was marked used, then lost (seed {seed:#x})"
        );
    }
    for issuer in &expected.with_codes {
        let (id, _, _) = &by_issuer[issuer];
        assert_eq!(
            vault.recovery_codes(*id).unwrap().codes.len(),
            CODES.len(),
            "{issuer}"
        );
    }
}
