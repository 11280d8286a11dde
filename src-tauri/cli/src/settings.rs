//! `settings`: the vault's settings (`settings.json`, sealed under the vault's key), shown
//! or changed. The same settings as the desktop app's Settings dialog; opening the vault
//! with its password is what lets them be changed, less strict included.

use ringlet_core::settings::{Settings, SettingsError};
use ringlet_core::vault::Vault;

use crate::commands::{note, print};
use crate::error::CliError;

/// Prints the settings in force, as JSON; changes them first when `assignments` are given.
pub fn run(dir: &std::path::Path, vault: &Vault, assignments: &[String]) -> Result<(), CliError> {
    let mut settings = match Settings::load_sealed(dir, vault) {
        Ok(settings) => settings,
        Err(problem @ (SettingsError::Unsealed { .. } | SettingsError::Invalid { .. })) => {
            note(&format!("note: {problem}"));
            Settings::default()
        }
        Err(error) => return Err(CliError::Input(error.to_string())),
    };
    if !assignments.is_empty() {
        for assignment in assignments {
            settings
                .assign(assignment)
                .map_err(|error| CliError::Input(error.to_string()))?;
        }
        settings
            .save_sealed(dir, vault)
            .map_err(|error| CliError::Input(error.to_string()))?;
    }
    let json = serde_json::to_string_pretty(&settings)
        .map_err(|error| CliError::Input(error.to_string()))?;
    print(&format!("{json}\n"))
}
