//! The vault's share of the benchmark (`src-tauri/scripts/bench`, PERFORMANCE.md): with
//! calibrated Argon2id, as a person's vault has, at 10 000 accounts. Each figure is the
//! median of several runs, measured in one process, one after another.
//!
//! `vault_bench [--accounts N] [--runs N] [--json FILE]`
//!
//! - `kdf_ms`: one Argon2id derivation with this machine's calibrated parameters;
//! - `unlock_10k_ms`: open the vault (derivation, checks) and list every account;
//! - `add_account_ms`: add one account to it, durable (flushed) before it returns;
//! - `fsync_ms`: write and fsync a small file in the same folder, the floor of a durable add;
//! - `search_10k_ms`: one keystroke's search over every account (the app's and the CLI's
//!   matching function);
//! - `password_change_10k_ms`: a password change, which seals every record again under a
//!   new key and re-encrypts the backups (three here);
//! - `sync_merge_1000_ms`: one computer's sync that merges 1 000 accounts another computer
//!   added (read its file, open, merge, apply in one vault change, write its own file);
//! - `sync_join_1000_ms`: a second computer joining a vault of 1 000 accounts from the sync
//!   folder (one Argon2id derivation, building its copy, its first sync).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ringlet_core::model::{Account, Algorithm, OtpKind, OtpParams, Secret};
use ringlet_core::search;
use ringlet_core::sync::{self, LocalFolder};
use ringlet_core::vault::{KdfParams, Vault};

const PASSWORD: &[u8] = b"benchmark password 2026";

struct Options {
    accounts: usize,
    runs: usize,
    json: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        accounts: 10_000,
        runs: 5,
        json: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--accounts" => {
                options.accounts = value("--accounts")?.parse().map_err(|e| format!("{e}"))?
            }
            "--runs" => options.runs = value("--runs")?.parse().map_err(|e| format!("{e}"))?,
            "--json" => options.json = Some(PathBuf::from(value("--json")?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if options.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(options)
}

fn account(n: usize) -> Account {
    let issuers = [
        "GitHub",
        "Google",
        "Société Générale",
        "Zürich Bank",
        "Example",
        "Mastodon",
    ];
    Account::new(
        format!("{} {n}", issuers[n % issuers.len()]),
        format!("user{n}@example.com"),
        OtpParams {
            secret: Secret::new((0..20).map(|i| (n + i) as u8).collect()),
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        },
    )
}

/// Milliseconds `work` takes, median of `runs`.
fn median_ms(runs: usize, mut work: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        work()?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn run(options: &Options, dir: &Path) -> Result<Vec<(&'static str, f64)>, String> {
    let err = |e: ringlet_core::vault::VaultError| e.to_string();
    let kdf = KdfParams::calibrated();
    let vault_dir = dir.join("vault");
    {
        let vault = Vault::create_with(&vault_dir, PASSWORD, kdf).map_err(err)?;
        let accounts: Vec<Account> = (0..options.accounts).map(account).collect();
        vault.add_many(&accounts).map_err(err)?;
        for _ in 0..3 {
            vault.backup_now().map_err(err)?;
        }
    }
    let mut figures = Vec::new();

    let kdf_ms = median_ms(options.runs, || {
        std::hint::black_box(kdf.measure());
        Ok(())
    })?;
    figures.push(("kdf_ms", kdf_ms));

    let unlock = median_ms(options.runs, || {
        let vault = Vault::open(&vault_dir, PASSWORD).map_err(err)?;
        let listed = vault.entries().map_err(err)?;
        (listed.len() == options.accounts)
            .then_some(())
            .ok_or(format!("listed {} accounts", listed.len()))
    })?;
    figures.push(("unlock_10k_ms", unlock));

    let vault = Vault::open(&vault_dir, PASSWORD).map_err(err)?;
    let mut n = options.accounts;
    let add = median_ms(options.runs, || {
        n += 1;
        vault.add(&account(n)).map(drop).map_err(err)
    })?;
    figures.push(("add_account_ms", add));

    let probe = dir.join("fsync-probe");
    let fsync = median_ms(options.runs, || {
        let mut file = std::fs::File::create(&probe).map_err(|e| e.to_string())?;
        file.write_all(&[0u8; 512]).map_err(|e| e.to_string())?;
        file.sync_all().map_err(|e| e.to_string())
    })?;
    figures.push(("fsync_ms", fsync));

    let entries = vault.entries().map_err(err)?;
    // The app folds the list once (when it changes) and each keystroke searches the index.
    let index = search::SearchIndex::of_entries(&entries);
    let queries = [
        "g",
        "gi",
        "git",
        "soc",
        "zur",
        "user12",
        "example 99",
        "tag:wo",
    ];
    let search = median_ms(options.runs, || {
        for query in queries {
            std::hint::black_box(index.find(query));
        }
        Ok(())
    })? / queries.len() as f64;
    figures.push(("search_10k_ms", search));

    let mut vault = vault;
    let mut password = PASSWORD.to_vec();
    let change = median_ms(options.runs.min(3), || {
        password.push(b'!');
        vault
            .change_password_with(&password, kdf, None)
            .map(drop)
            .map_err(err)
    })?;
    figures.push(("password_change_10k_ms", change));
    figures.extend(sync_figures(options, dir, kdf)?);
    Ok(figures)
}

/// Sync's figures, on two computers' vaults sharing a folder in `dir`.
fn sync_figures(
    options: &Options,
    dir: &Path,
    kdf: KdfParams,
) -> Result<Vec<(&'static str, f64)>, String> {
    const CHANGES: usize = 1_000;
    let err = |e: ringlet_core::sync::SyncError| e.to_string();
    let folder = LocalFolder::new(dir.join("Sync"));
    std::fs::create_dir_all(folder.path()).map_err(|e| e.to_string())?;
    let laptop =
        Vault::create_with(&dir.join("laptop"), PASSWORD, kdf).map_err(|e| e.to_string())?;
    let first: Vec<Account> = (0..CHANGES).map(account).collect();
    laptop.add_many(&first).map_err(|e| e.to_string())?;
    sync::join(&laptop, &folder, Some("laptop")).map_err(err)?;

    let mut join_times = Vec::new();
    for trial in 0..options.runs.min(3) {
        let copy = dir.join(format!("desktop-{trial}"));
        let start = Instant::now();
        let (vault, _) = sync::join_new(&copy, &folder, PASSWORD, Some("desktop")).map_err(err)?;
        join_times.push(start.elapsed().as_secs_f64() * 1000.0);
        let listed = vault.entries().map_err(|e| e.to_string())?.len();
        if listed != CHANGES {
            return Err(format!("joined with {listed} accounts"));
        }
        // Its file goes again, so each trial joins a folder holding the laptop's file only.
        let own = folder.path().join(sync::file::file_name(vault.device_id()));
        drop(vault);
        std::fs::remove_file(own).map_err(|e| e.to_string())?;
    }
    join_times.sort_by(f64::total_cmp);
    let join = join_times[join_times.len() / 2];

    let (desktop, _) =
        sync::join_new(&dir.join("desktop"), &folder, PASSWORD, Some("desktop")).map_err(err)?;
    let mut next = CHANGES;
    let mut merge_times = Vec::new();
    for _ in 0..options.runs.min(3) {
        let added: Vec<Account> = (next..next + CHANGES).map(account).collect();
        next += CHANGES;
        desktop.add_many(&added).map_err(|e| e.to_string())?;
        sync::sync_now(&desktop).map_err(err)?;
        let start = Instant::now();
        let report = sync::sync_now(&laptop).map_err(err)?;
        merge_times.push(start.elapsed().as_secs_f64() * 1000.0);
        if report.applied.added.len() != CHANGES {
            return Err(format!(
                "merged {} of {CHANGES} added accounts",
                report.applied.added.len()
            ));
        }
    }
    merge_times.sort_by(f64::total_cmp);
    Ok(vec![
        ("sync_merge_1000_ms", merge_times[merge_times.len() / 2]),
        ("sync_join_1000_ms", join),
    ])
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(error) => {
            eprintln!(
                "vault_bench: {error}\nusage: vault_bench [--accounts N] [--runs N] [--json FILE]"
            );
            return ExitCode::from(1);
        }
    };
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => {
            eprintln!("vault_bench: no temporary folder: {error}");
            return ExitCode::from(1);
        }
    };
    let figures = match run(&options, dir.path()) {
        Ok(figures) => figures,
        Err(error) => {
            eprintln!("vault_bench: {error}");
            return ExitCode::from(1);
        }
    };
    println!(
        "vault, {} accounts, median of {} runs:",
        options.accounts, options.runs
    );
    for (name, ms) in &figures {
        println!("  {name:<24} {ms:>10.2}");
    }
    if let Some(path) = &options.json {
        let object: serde_json::Map<String, serde_json::Value> = figures
            .iter()
            .map(|(name, ms)| {
                (
                    (*name).to_owned(),
                    serde_json::json!((ms * 100.0).round() / 100.0),
                )
            })
            .collect();
        let text = serde_json::Value::Object(object).to_string();
        if let Err(error) = std::fs::write(path, text + "\n") {
            eprintln!("vault_bench: cannot write {}: {error}", path.display());
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
