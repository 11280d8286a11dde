//! A password as a command receives it over IPC: read by serde straight into a buffer of
//! its exact size that is wiped when the command returns. Every command that takes a
//! password takes this type, so none can keep a plain `String` copy by mistake.
//!
//! What stays out of reach: the JavaScript string in the webview (immutable, collected when
//! the engine likes) and the request body Tauri decoded before handing the argument over
//! (dropped right after the call, not wiped). SECURITY.md says so.

use serde::Deserialize;
use zeroize::Zeroizing;

#[derive(Deserialize, Default)]
#[serde(transparent)]
pub struct Password(Zeroizing<String>);

impl Password {
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_from_json_and_never_printed() {
        let password: Password = serde_json::from_value(serde_json::json!("hunter2 hunter2"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(password.as_bytes(), b"hunter2 hunter2");
        assert_eq!(format!("{password:?}"), "Password(<redacted>)");
        assert!(serde_json::from_value::<Password>(serde_json::json!(42)).is_err());
    }
}
