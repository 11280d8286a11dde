//! Prints the data key of a vault, in lowercase hex: `vault_data_key DIR` with the password
//! on stdin. For `tests/e2e/secrets.test.mjs` only, which searches every IPC response, event
//! and log line for it; built with `--features test-support`, which no shipped binary has.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use ringlet_core::vault::Vault;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: vault_data_key DIR < password");
        return ExitCode::from(1);
    };
    let mut password = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut password) {
        eprintln!("cannot read the password: {e}");
        return ExitCode::from(1);
    }
    match Vault::open(&dir, password.trim_end_matches(['\r', '\n']).as_bytes()) {
        Ok(vault) => {
            println!(
                "{}",
                data_encoding::HEXLOWER.encode(&vault.data_key_for_tests())
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
