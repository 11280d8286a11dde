//! What a person is told about a QR code that is not an authenticator link: its kind and a
//! short, redacted preview, never the whole text. A QR code is anyone's text: a Wi-Fi
//! password, a link with a login token in it, a bare secret key.

use crate::model::display_label;

/// What a text is, for "Not an authenticator code: a web address (https://example.com/…)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// "a web address", "a Wi-Fi network", "text", …
    pub kind: &'static str,
    /// Safe to show: a web address's scheme and host, a network's name, the start of a
    /// text with anything that looks like a key or token hidden; empty when nothing is.
    pub preview: String,
}

/// Longest preview, in characters.
const MAX_PREVIEW_CHARS: usize = 40;
/// A word this long with a digit in it, or made only of Base32 letters and digits, is
/// hidden in a text's preview: it may be a key, a token or a password.
const SECRET_LIKE_CHARS: usize = 12;

pub fn describe(text: &str) -> Described {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let scheme = lower
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .unwrap_or("");
    let (kind, preview) = match scheme {
        "http" | "https" => ("a web address", web_origin(text)),
        "wifi" => ("a Wi-Fi network", wifi_name(text)),
        "mailto" => ("an email address", String::new()),
        "tel" => ("a phone number", String::new()),
        "sms" | "smsto" => ("a text message", String::new()),
        "geo" => ("a location", String::new()),
        "bitcoin" | "ethereum" | "litecoin" | "upi" => ("a payment request", String::new()),
        "begin" if lower.starts_with("begin:vcard") => ("a contact card", String::new()),
        "begin" if lower.starts_with("begin:vevent") || lower.starts_with("begin:vcalendar") => {
            ("a calendar event", String::new())
        }
        "mecard" => ("a contact card", String::new()),
        _ if is_bare_key(text) => ("a secret key without its account name", String::new()),
        _ if lower.contains("://") => ("a link", String::new()),
        _ => ("text", text_preview(text)),
    };
    Described {
        kind,
        preview: display_label(&preview),
    }
}

/// `https://example.com/…`: the scheme and host only (no user, path, query or fragment,
/// where tokens live).
fn web_origin(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return String::new();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let shown: String = host.chars().take(MAX_PREVIEW_CHARS).collect();
    let more = if rest.len() > authority.len() {
        "/…"
    } else {
        ""
    };
    format!("{}://{shown}{more}", scheme.to_ascii_lowercase())
}

/// The network's name (`S:`), never its password (`P:`).
fn wifi_name(text: &str) -> String {
    text.split(';')
        .find_map(|field| {
            let field = field
                .trim_start_matches("WIFI:")
                .trim_start_matches("wifi:");
            field.strip_prefix("S:")
        })
        .map(|name| name.chars().take(MAX_PREVIEW_CHARS).collect())
        .unwrap_or_default()
}

/// A Base32 key on its own (as some services show beside their QR code): 16 or more
/// Base32 letters and digits, spaces allowed, nothing else.
fn is_bare_key(text: &str) -> bool {
    let key: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    key.len() >= 16
        && key
            .trim_end_matches('=')
            .chars()
            .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
}

/// The start of a text, with words that look like keys, tokens or passwords hidden.
fn text_preview(text: &str) -> String {
    let shown: Vec<String> = text
        .split_whitespace()
        .map(|word| {
            let length = word.chars().count();
            let has_digit = word.chars().any(|c| c.is_ascii_digit());
            let alphanumeric = word.chars().all(|c| c.is_ascii_alphanumeric());
            if length >= SECRET_LIKE_CHARS && (has_digit || alphanumeric) {
                "•••".to_owned()
            } else {
                word.to_owned()
            }
        })
        .collect();
    let joined = shown.join(" ");
    match joined.char_indices().nth(MAX_PREVIEW_CHARS) {
        Some((cut, _)) => format!("{}…", &joined[..cut]),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> (&'static str, String) {
        let described = describe(text);
        (described.kind, described.preview)
    }

    #[test]
    fn kinds_and_previews_hide_what_may_be_secret() {
        assert_eq!(
            said("https://user:pw@login.example.com/reset?token=abc123def456"),
            ("a web address", "https://login.example.com/…".into())
        );
        assert_eq!(
            said("HTTPS://example.com"),
            ("a web address", "https://example.com".into())
        );
        assert_eq!(
            said("WIFI:T:WPA;S:Home Network;P:hunter2hunter2;;"),
            ("a Wi-Fi network", "Home Network".into())
        );
        assert_eq!(
            said("mailto:jane@example.com"),
            ("an email address", String::new())
        );
        assert_eq!(said("tel:+41791234567"), ("a phone number", String::new()));
        assert_eq!(
            said("BEGIN:VCARD\nFN:Jane\nEND:VCARD"),
            ("a contact card", String::new())
        );
        assert_eq!(
            said("JBSW Y3DP EHPK 3PXP"),
            ("a secret key without its account name", String::new())
        );
        assert_eq!(said("steam://open/friends"), ("a link", String::new()));
        assert_eq!(
            said("Door code for the office is 4711, API key sk9f8d7s6a5d4f3g"),
            ("text", "Door code for the office is 4711, API ke…".into())
        );
        assert_eq!(
            said("token sk9f8d7s6a5d4f3g here"),
            ("text", "token ••• here".into())
        );
    }

    #[test]
    fn previews_are_short_and_clean() {
        let long = format!("https://{}.example.com/", "a".repeat(500));
        assert!(describe(&long).preview.chars().count() <= MAX_PREVIEW_CHARS + 12);
        // Bidi overrides and control characters cannot disguise a preview.
        assert_eq!(describe("hello\u{202e}world\u{7}").preview, "helloworld");
    }
}
