//! `ringlet-cli`: Ringlet's command-line interface over `ringlet-core`.
//!
//! `main` parses the arguments, runs the command, and turns an error into
//! `error: {message}` on standard error and the exit code [`error::CliError`] assigns.

mod args;
mod backups;
mod clock;
mod commands;
mod error;
mod export;
mod import;
mod linked;
mod organize;
mod output;
mod password;
mod recovery;
mod safety;
mod settings;
mod sync;
mod usage;

use std::process::ExitCode;

fn main() -> ExitCode {
    ringlet_core::qr::contain_rqrr_panics();
    let result = args::parse(std::env::args_os().skip(1)).and_then(commands::run);
    match result {
        Ok(()) => ExitCode::from(error::EXIT_OK),
        Err(error) => {
            commands::note(&format!("error: {error}"));
            if error.is_usage() {
                commands::note("Run `ringlet-cli --help` for usage.");
            }
            ExitCode::from(error.exit_code())
        }
    }
}
