//! Where the vault lives: one answer for the desktop app and the CLI.

use std::path::PathBuf;

/// Environment variable that overrides the vault folder for the app and the CLI.
pub const VAULT_ENV: &str = "RINGLET_VAULT";

/// The desktop app's bundle identifier; the data folder is named after it, as Tauri names
/// `app_data_dir`.
pub const APP_IDENTIFIER: &str = "app.ringlet.desktop";

/// The vault folder: `$RINGLET_VAULT` when set and not empty, else `vault` inside the
/// platform's app-data folder (`$XDG_DATA_HOME/app.ringlet.desktop` on Linux,
/// `~/Library/Application Support/…` on macOS, `%APPDATA%\…` on Windows).
pub fn default_vault_dir() -> Option<PathBuf> {
    match std::env::var_os(VAULT_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => app_data_dir().map(|dir| dir.join("vault")),
    }
}

/// The platform's per-user data folder for Ringlet.
pub fn app_data_dir() -> Option<PathBuf> {
    platform_data_dir().map(|dir| dir.join(APP_IDENTIFIER))
}

#[cfg(target_os = "linux")]
fn platform_data_dir() -> Option<PathBuf> {
    let from_env = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    from_env("XDG_DATA_HOME").or_else(|| from_env("HOME").map(|home| home.join(".local/share")))
}

#[cfg(target_os = "macos")]
fn platform_data_dir() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join("Library/Application Support"))
}

#[cfg(windows)]
fn platform_data_dir() -> Option<PathBuf> {
    std::env::var_os("APPDATA").map(PathBuf::from)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn platform_data_dir() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share"))
}
