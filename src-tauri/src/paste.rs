//! What Ctrl+V finds on the clipboard, read in Rust: an image in any type the clipboard
//! offers it as (PNG, JPEG, BMP, TIFF, WebP, GIF), files copied in a file manager
//! (`text/uri-list`), text, or, when none of these, the list of what was there, so the
//! person is told what they copied and what works instead.
//!
//! On X11 the CLIPBOARD selection is asked for directly (its TARGETS, then the best one,
//! large images through the INCR protocol), through x11rb, which the clipboard plugin
//! already links. Elsewhere (Wayland, Windows, macOS) the clipboard plugin's image and text
//! reads are used.

// Elsewhere than Linux only `read_x11` is called (it answers `None`): the X11 reader's
// helpers are unused there.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::path::PathBuf;

use zeroize::Zeroizing;

/// The clipboard's content, as far as an import cares.
pub enum Pasted {
    /// An image file's bytes (any format the core decodes).
    Image(Vec<u8>),
    /// Files copied in a file manager.
    Files(Vec<PathBuf>),
    Text(Zeroizing<String>),
    /// Something else: the types it was offered as.
    Other(Vec<String>),
    Empty,
}

/// Image types, best first: lossless before lossy.
pub const IMAGE_TYPES: &[&str] = &[
    "image/png",
    "image/bmp",
    "image/x-bmp",
    "image/tiff",
    "image/webp",
    "image/gif",
    "image/jpeg",
];
/// Types that are plain text.
const TEXT_TYPES: &[&str] = &[
    "UTF8_STRING",
    "text/plain;charset=utf-8",
    "text/plain",
    "STRING",
    "TEXT",
];
const FILE_LIST: &str = "text/uri-list";
/// Types every X11 selection offers about itself, not content.
const META_TYPES: &[&str] = &[
    "TARGETS",
    "TIMESTAMP",
    "MULTIPLE",
    "SAVE_TARGETS",
    "DELETE",
    "INCR",
];
/// More than any screenshot: a larger answer is not read.
pub const MAX_PASTE_BYTES: usize = 64 * 1024 * 1024;

/// Reads the X11 clipboard, or `None` where there is no X11 display to read.
pub fn read_x11() -> Option<Pasted> {
    #[cfg(target_os = "linux")]
    return x11::read();
    #[cfg(not(target_os = "linux"))]
    None
}

/// The paths of a `text/uri-list` (RFC 2483): `file://` lines, comments skipped.
pub fn file_paths(list: &str) -> Vec<PathBuf> {
    list.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| url::Url::parse(line).ok())
        .filter(|url| url.scheme() == "file")
        .filter_map(|url| url.to_file_path().ok())
        .collect()
}

/// What to read of the `offered` types: an image, else files, else text.
pub fn choose(offered: &[String]) -> Option<&'static str> {
    let has = |wanted: &str| offered.iter().any(|t| t.eq_ignore_ascii_case(wanted));
    IMAGE_TYPES
        .iter()
        .chain(std::iter::once(&FILE_LIST))
        .chain(TEXT_TYPES)
        .copied()
        .find(|wanted| has(wanted))
}

/// The types worth naming to a person (not the selection's own bookkeeping).
pub fn content_types(offered: Vec<String>) -> Vec<String> {
    offered
        .into_iter()
        .filter(|t| !META_TYPES.contains(&t.as_str()))
        .collect()
}

#[cfg(target_os = "linux")]
mod x11 {
    use std::time::{Duration, Instant};

    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{
        Atom, AtomEnum, ConnectionExt as _, CreateWindowAux, EventMask, GetPropertyReply, Property,
        WindowClass,
    };
    use x11rb::protocol::Event;
    use x11rb::rust_connection::RustConnection;
    use x11rb::CURRENT_TIME;
    use zeroize::Zeroizing;

    use super::{
        choose, content_types, file_paths, Pasted, FILE_LIST, IMAGE_TYPES, MAX_PASTE_BYTES,
    };

    /// How long the clipboard's owner has to answer each request.
    const ANSWER_WITHIN: Duration = Duration::from_secs(3);

    struct Reader {
        conn: RustConnection,
        window: u32,
        clipboard: Atom,
        property: Atom,
        incr: Atom,
    }

    pub fn read() -> Option<Pasted> {
        let (conn, screen) = RustConnection::connect(None).ok()?;
        let root = conn.setup().roots.get(screen)?.root;
        let window = conn.generate_id().ok()?;
        conn.create_window(
            0,
            window,
            root,
            0,
            0,
            1,
            1,
            0,
            WindowClass::INPUT_ONLY,
            0,
            &CreateWindowAux::new().event_mask(EventMask::PROPERTY_CHANGE),
        )
        .ok()?;
        let mut reader = Reader {
            conn,
            window,
            clipboard: 0,
            property: 0,
            incr: 0,
        };
        reader.clipboard = reader.atom("CLIPBOARD")?;
        reader.property = reader.atom("RINGLET_PASTE")?;
        reader.incr = reader.atom("INCR")?;
        let pasted = reader.read(reader.atom("TARGETS")?);
        let _ = reader.conn.destroy_window(window);
        let _ = reader.conn.flush();
        Some(pasted)
    }

    impl Reader {
        fn read(&self, targets: Atom) -> Pasted {
            let Some(listed) = self.fetch(targets) else {
                return Pasted::Empty;
            };
            let offered: Vec<String> = listed
                .chunks_exact(4)
                .filter_map(|bytes| <[u8; 4]>::try_from(bytes).ok().map(u32::from_ne_bytes))
                .filter_map(|atom| self.name_of(atom))
                .collect();
            let Some(chosen) = choose(&offered) else {
                let named = content_types(offered);
                return if named.is_empty() {
                    Pasted::Empty
                } else {
                    Pasted::Other(named)
                };
            };
            let Some(target) = self.atom(chosen) else {
                return Pasted::Empty;
            };
            let Some(bytes) = self.fetch(target) else {
                return Pasted::Empty;
            };
            if IMAGE_TYPES.contains(&chosen) {
                Pasted::Image(bytes)
            } else if chosen == FILE_LIST {
                Pasted::Files(file_paths(&String::from_utf8_lossy(&bytes)))
            } else {
                let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
                if text.trim().is_empty() {
                    Pasted::Empty
                } else {
                    Pasted::Text(text)
                }
            }
        }

        fn atom(&self, name: &str) -> Option<Atom> {
            Some(
                self.conn
                    .intern_atom(false, name.as_bytes())
                    .ok()?
                    .reply()
                    .ok()?
                    .atom,
            )
        }

        fn name_of(&self, atom: Atom) -> Option<String> {
            let reply = self.conn.get_atom_name(atom).ok()?.reply().ok()?;
            String::from_utf8(reply.name).ok()
        }

        /// Asks the clipboard's owner for `target` and reads the answer, whole (INCR
        /// included) and at most [`MAX_PASTE_BYTES`]; `None`: no owner, refused, or too late.
        fn fetch(&self, target: Atom) -> Option<Vec<u8>> {
            self.conn
                .convert_selection(
                    self.window,
                    self.clipboard,
                    target,
                    self.property,
                    CURRENT_TIME,
                )
                .ok()?;
            self.conn.flush().ok()?;
            let notified = self.wait(|event| match event {
                Event::SelectionNotify(notify) if notify.requestor == self.window => {
                    Some(notify.property != u32::from(AtomEnum::NONE))
                }
                _ => None,
            })?;
            if !notified {
                return None;
            }
            let reply = self.take_property()?;
            if reply.type_ != self.incr {
                return (reply.value.len() <= MAX_PASTE_BYTES).then_some(reply.value);
            }
            // INCR: the owner writes chunks one at a time; each is read (and deleted) as it
            // comes, until an empty one.
            let mut whole = Vec::new();
            loop {
                self.wait(|event| match event {
                    Event::PropertyNotify(change)
                        if change.window == self.window
                            && change.atom == self.property
                            && change.state == Property::NEW_VALUE =>
                    {
                        Some(())
                    }
                    _ => None,
                })?;
                let chunk = self.take_property()?;
                if chunk.value.is_empty() {
                    return Some(whole);
                }
                if whole.len() + chunk.value.len() > MAX_PASTE_BYTES {
                    // Not read further; the owner gives up the transfer on its own.
                    return None;
                }
                whole.extend_from_slice(&chunk.value);
            }
        }

        /// Reads the answer's property and deletes it (which, in INCR, asks for the next
        /// chunk).
        fn take_property(&self) -> Option<GetPropertyReply> {
            let reply = self
                .conn
                .get_property(
                    true,
                    self.window,
                    self.property,
                    AtomEnum::ANY,
                    0,
                    u32::MAX / 4,
                )
                .ok()?
                .reply()
                .ok()?;
            self.conn.flush().ok()?;
            Some(reply)
        }

        /// The first event `pick` takes, within [`ANSWER_WITHIN`].
        fn wait<T>(&self, pick: impl Fn(&Event) -> Option<T>) -> Option<T> {
            let until = Instant::now() + ANSWER_WITHIN;
            while Instant::now() < until {
                match self.conn.poll_for_event().ok()? {
                    Some(event) => {
                        if let Some(found) = pick(&event) {
                            return Some(found);
                        }
                    }
                    None => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_image_of_any_type_comes_before_files_and_text() {
        assert_eq!(
            choose(&strings(&["TARGETS", "image/jpeg"])),
            Some("image/jpeg")
        );
        assert_eq!(
            choose(&strings(&["text/plain", "image/jpeg", "image/png"])),
            Some("image/png"),
            "lossless first"
        );
        assert_eq!(
            choose(&strings(&["UTF8_STRING", "text/uri-list"])),
            Some("text/uri-list")
        );
        assert_eq!(
            choose(&strings(&["TIMESTAMP", "UTF8_STRING"])),
            Some("UTF8_STRING")
        );
        assert_eq!(
            choose(&strings(&["TARGETS", "text/html", "application/x-foo"])),
            None
        );
        assert_eq!(
            content_types(strings(&["TARGETS", "TIMESTAMP", "text/html"])),
            ["text/html"]
        );
    }

    #[test]
    fn a_file_managers_list_becomes_paths() {
        let list = "# copied\r\nfile:///home/tess/Pictures/Screenshot%20from%202026.png\r\nhttps://example.org/a.png\r\n\r\nfile:///tmp/aegis.json\r\n";
        assert_eq!(
            file_paths(list),
            [
                PathBuf::from("/home/tess/Pictures/Screenshot from 2026.png"),
                PathBuf::from("/tmp/aegis.json")
            ]
        );
    }
}
