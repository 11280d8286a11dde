//! A printable sheet: one self-contained HTML page with, for every account, its QR code
//! (the `otpauth://` link of [`crate::reveal`], as an inline SVG), issuer, name, how codes
//! are made and the secret key in groups of four, to keep on paper.
//!
//! Self-contained: inline CSS, no script, no outside resource; a Content-Security-Policy
//! meta tag forbids scripts, so a label that escaped its escaping still could not run.
//! Every label is HTML-escaped ([`escape`]): labels come from strangers' QR codes. The
//! print style keeps each card whole on its page (`break-inside: avoid`).
//!
//! Lost (for a person, not for a program): tags and notes are printed but no app reads
//! them back from paper; pins, icons, order and recovery codes are not printed. An account
//! whose link is too long for a QR code is printed with its key only.

use std::fmt::Write as _;

use zeroize::Zeroizing;

use super::{About, AccountsFile, ExportError, Protection};
use crate::model::Account;
use crate::reveal::{grouped_key, Revealed, QUIET_ZONE};

pub struct Sheet;

const STYLE: &str = "\
body{font:11pt/1.35 system-ui,sans-serif;color:#000;background:#fff;margin:1.5em}
h1{font-size:16pt;margin:0 0 .3em}
.warning{border:2px solid #000;padding:.5em .8em;margin:0 0 1em}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16em,1fr));gap:1em}
.card{border:1px solid #555;border-radius:6px;padding:.8em;break-inside:avoid;page-break-inside:avoid}
.card svg{width:12em;height:12em;display:block;margin:0 auto .5em}
.issuer{font-weight:bold;font-size:12pt;overflow-wrap:anywhere}
.name,.extra{overflow-wrap:anywhere}
.details,.extra{font-size:9pt;color:#333}
.key{font:10.5pt/1.4 ui-monospace,monospace;letter-spacing:.04em;word-spacing:.3em;overflow-wrap:anywhere;margin-top:.3em}
@media print{body{margin:0}.warning{break-after:avoid}@page{margin:12mm}}
";

/// The page's start, up to and with its `<h1>`: the head (no script allowed, no referrer)
/// and the style, with `extra_style` for a page that needs more (the emergency kit).
pub(super) fn open_page(html: &mut String, title: &str, extra_style: &str) {
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    let _ = write!(
        html,
        "<meta name=\"referrer\" content=\"no-referrer\">\n<title>{title}</title>\n<style>\n{STYLE}{extra_style}</style>\n</head>\n<body>\n<h1>{title}</h1>\n",
        title = escape(title)
    );
}

pub const ABOUT: About = About {
    id: "sheet",
    name: "Printable sheet (HTML page of QR codes and keys)",
    protection: Protection::Plain,
    loses:
        "nothing on paper, but no app reads tags or notes back from it; pins, icons, recovery codes, clock offsets",
    numbered: false,
    extension: "html",
};

impl AccountsFile for Sheet {
    fn file(
        &self,
        accounts: &[&Account],
        _password: Option<&[u8]>,
    ) -> Result<Zeroizing<Vec<u8>>, ExportError> {
        Ok(page(accounts))
    }
}

/// The page of `accounts`.
fn page(accounts: &[&Account]) -> Zeroizing<Vec<u8>> {
    let mut html = Zeroizing::new(String::with_capacity(4096 + 6000 * accounts.len()));
    open_page(&mut html, "Ringlet accounts", "");
    let _ = write!(
        html,
        "<p class=\"warning\">This page holds the secret keys of {} account{}: whoever sees it can make their codes. Print it, keep the paper somewhere safe, and delete this file.</p>\n<div class=\"cards\">\n",
        accounts.len(),
        if accounts.len() == 1 { "" } else { "s" }
    );
    for account in accounts {
        card_closed(&mut html, account);
    }
    html.push_str("</div>\n</body>\n</html>\n");
    Zeroizing::new(html.as_bytes().to_vec())
}

/// One account's card (QR code, labels, key, tags and note), left open for the caller to
/// add to (the emergency kit adds recovery codes) and close.
pub(super) fn card(html: &mut String, account: &Account) {
    html.push_str("<section class=\"card\">\n");
    match Revealed::new(account) {
        Ok(revealed) => {
            svg(html, &revealed);
            line(html, "details", &revealed.details);
        }
        Err(_) => line(
            html,
            "details",
            "(its link is too long for a QR code: type the key)",
        ),
    }
    line(html, "issuer", &account.issuer);
    line(html, "name", &account.name);
    line(html, "key", &grouped_key(account));
    if !account.tags.is_empty() {
        line(html, "extra", &format!("Tags: {}", account.tags.join(", ")));
    }
    if !account.note.is_empty() {
        line(html, "extra", &format!("Note: {}", account.note));
    }
}

/// One account's card, closed.
fn card_closed(html: &mut String, account: &Account) {
    card(html, account);
    html.push_str("</section>\n");
}

/// `<div class="CLASS">TEXT</div>`, the text escaped.
pub(super) fn line(html: &mut String, class: &str, text: &str) {
    let _ = writeln!(html, "<div class=\"{class}\">{}</div>", escape(text));
}

/// The QR code as an SVG: one path of unit squares, the quiet zone in the view box.
fn svg(html: &mut String, revealed: &Revealed) {
    let side = revealed.width + 2 * QUIET_ZONE;
    let _ = write!(
        html,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
    );
    for (index, _) in revealed
        .modules
        .iter()
        .enumerate()
        .filter(|(_, dark)| **dark)
    {
        let (x, y) = (
            index % revealed.width + QUIET_ZONE,
            index / revealed.width + QUIET_ZONE,
        );
        let _ = write!(html, "M{x} {y}h1v1h-1z");
    }
    html.push_str("\"/></svg>\n");
}

/// `text` safe inside an HTML element or a quoted attribute: `& < > " '` as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, OtpKind, OtpParams, Secret};

    fn hostile() -> Account {
        let mut account = Account::new(
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(2)>",
            OtpParams {
                secret: Secret::new(b"12345678901234567890".to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                kind: OtpKind::Totp { period: 30 },
            },
        );
        account.tags = vec!["<b>t&g</b>".into()];
        account
    }

    #[test]
    fn hostile_labels_are_escaped_and_the_page_has_no_script() {
        let page = page(&[&hostile()]);
        let text = String::from_utf8(page.to_vec()).unwrap();
        assert!(!text.contains("<script"), "{text}");
        assert!(!text.contains("<img"), "{text}");
        assert!(!text.contains("<b>"), "{text}");
        assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(text.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
        assert!(text.contains("Tags: &lt;b&gt;t&amp;g&lt;/b&gt;"));
        assert!(text.contains("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"));
        assert!(text.contains("default-src 'none'"));
        assert!(text.contains("break-inside:avoid"));
        assert_eq!(text.matches("<svg").count(), 1);
    }
}
