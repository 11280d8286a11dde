//! Android's shared-preferences XML (`<map>` of `<string name="…">value</string>`, `<int
//! name="…" value="…" />`, …), as apps keep their settings and some keep their tokens:
//! FreeOTP, TOTP Authenticator, Battle.net. Only the string entries are read, in file
//! order, their XML entities resolved; a file that is not such a map is `None`.
//!
//! Written from the layout Android's `XmlUtils.writeMapXml` produces (one element a line,
//! attributes in double quotes); not a general XML parser: no CDATA, no comments inside
//! values, no nested maps, which that writer never produces.

use zeroize::Zeroizing;

use super::entry::without_bom;
use super::MAX_ENTRIES;

/// One `<string>` entry: its name and its value, entities resolved.
pub struct Entry<'a> {
    pub name: Zeroizing<String>,
    /// The raw, still-escaped value, borrowed from the file.
    raw: &'a str,
}

impl Entry<'_> {
    /// The value with XML's entities resolved, or `None` when one is not XML's.
    pub fn value(&self) -> Option<Zeroizing<String>> {
        unescape(self.raw)
    }
}

/// The `<string>` entries of a shared-preferences file, or `None` when `bytes` are not one
/// (no `<map>`, an element left open, more than [`MAX_ENTRIES`] strings).
pub fn strings(bytes: &[u8]) -> Option<Vec<Entry<'_>>> {
    let text = std::str::from_utf8(without_bom(bytes)).ok()?;
    let body = text.trim_start();
    // The XML declaration is optional; the map is the root.
    let body = match body.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>")?.1.trim_start(),
        None => body,
    };
    let body = body.strip_prefix("<map>")?;
    let mut entries = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find("<string name=\"") {
        let after = rest.get(at + "<string name=\"".len()..)?;
        let (name, after) = after.split_once('"')?;
        let after = after.strip_prefix('>')?;
        let (raw, after) = after.split_once("</string>")?;
        if entries.len() >= MAX_ENTRIES {
            return None;
        }
        entries.push(Entry {
            name: unescape(name)?,
            raw,
        });
        rest = after;
    }
    Some(entries)
}

/// True when the map closes: Android writes the file whole, so one without `</map>` was
/// cut short.
pub fn is_whole(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| text.trim_end().ends_with("</map>"))
}

/// The value of the `<string>` named `name`, entities resolved.
pub fn string(entries: &[Entry<'_>], name: &str) -> Option<Zeroizing<String>> {
    entries
        .iter()
        .find(|entry| entry.name.as_str() == name)
        .and_then(Entry::value)
}

/// XML's five named entities and numeric character references; `None` for any other `&`.
pub fn unescape(text: &str) -> Option<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    let mut rest = text;
    while let Some((before, after)) = rest.split_once('&') {
        out.push_str(before);
        let (entity, after) = after.split_once(';')?;
        let c = match entity {
            "quot" => '"',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "apos" => '\'',
            _ => {
                let number = entity.strip_prefix('#')?;
                let code = match number.strip_prefix('x') {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = after;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_read_in_order_with_entities_resolved() {
        let file = "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <int name=\"n\" value=\"3\" />\n    <string name=\"a &amp; b\">{&quot;x&quot;:1}</string>\n    <string name=\"c\">&#x41;&#66;</string>\n</map>\n";
        let entries = strings(file.as_bytes()).unwrap_or_else(|| panic!("a map"));
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name.as_str(), "a & b");
        assert_eq!(
            string(&entries, "a & b").as_deref().map(String::as_str),
            Some("{\"x\":1}")
        );
        assert_eq!(
            string(&entries, "c").as_deref().map(String::as_str),
            Some("AB")
        );
        assert!(is_whole(file.as_bytes()));
        assert!(!is_whole(&file.as_bytes()[..file.len() - 8]));
        assert!(strings(b"<map><string name=\"a\">open").is_none());
        assert!(strings(b"{\"json\":true}").is_none());
        assert!(unescape("&bogus;").is_none());
    }
}
