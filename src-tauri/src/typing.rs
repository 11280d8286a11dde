//! Typing a code into the window that had the keyboard before the quick picker opened, as
//! KeePassXC's auto-type does for passwords: nothing passes through the clipboard.
//!
//! X11 only (XTEST, through x11rb, which the clipboard already links): the focused window
//! is noted when the picker opens; on Shift+Enter it gets the keyboard back and the code's
//! characters are pressed as keys of the current layout (Shift where the layout needs it).
//! On Wayland a native window is out of X11's reach and `focused` finds none (an X11 app
//! under XWayland still works); the picker then says typing is not available and copies.

/// A window to type into: its X11 id and its title, which the picker shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    window: u32,
    pub title: String,
}

/// Why a code could not be typed.
#[derive(Debug, thiserror::Error)]
pub enum TypingError {
    #[error(
        "Typing is not available here (it needs an X11 session); the code was copied instead."
    )]
    Unavailable,
    #[error("The keyboard layout has no key for \u{201c}{0}\u{201d}.")]
    NoKey(char),
    #[error("The code could not be typed: {0}")]
    X11(String),
}

/// The window that has the keyboard now, with its title, when it can be typed into.
pub fn focused() -> Option<Target> {
    #[cfg(target_os = "linux")]
    return x11::focused();
    #[cfg(not(target_os = "linux"))]
    None
}

/// Gives `target` the keyboard and types `text` into it.
pub fn type_into(target: &Target, text: &str) -> Result<(), TypingError> {
    #[cfg(target_os = "linux")]
    return x11::type_into(target, text);
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (target, text);
        Err(TypingError::Unavailable)
    }
}

#[cfg(target_os = "linux")]
mod x11 {
    use x11rb::connection::{Connection, RequestConnection as _};
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _, InputFocus, Window};
    use x11rb::protocol::xtest::ConnectionExt as _;
    use x11rb::rust_connection::RustConnection;
    use x11rb::wrapper::ConnectionExt as _;
    use x11rb::CURRENT_TIME;

    use super::{Target, TypingError};

    const KEY_PRESS: u8 = 2;
    const KEY_RELEASE: u8 = 3;
    const SHIFT_L: u32 = 0xffe1;
    /// Titles are labels from another program: bounded, like an account's.
    const MAX_TITLE_CHARS: usize = 80;

    fn failed(error: impl std::fmt::Display) -> TypingError {
        TypingError::X11(error.to_string())
    }

    pub fn focused() -> Option<Target> {
        let (conn, _) = RustConnection::connect(None).ok()?;
        let focus = conn.get_input_focus().ok()?.reply().ok()?.focus;
        // 0 is None and 1 PointerRoot: no window has the keyboard.
        if focus <= 1 {
            return None;
        }
        let title = title_of(&conn, focus).unwrap_or_default();
        Some(Target {
            window: focus,
            title,
        })
    }

    /// The title of `window` or of the nearest ancestor that has one (the focus is often a
    /// child of the window the person sees).
    fn title_of(conn: &RustConnection, mut window: Window) -> Option<String> {
        let utf8 = conn
            .intern_atom(false, b"UTF8_STRING")
            .ok()?
            .reply()
            .ok()?
            .atom;
        let net_wm_name = conn
            .intern_atom(false, b"_NET_WM_NAME")
            .ok()?
            .reply()
            .ok()?
            .atom;
        for _ in 0..8 {
            for (property, kind) in [
                (net_wm_name, utf8),
                (AtomEnum::WM_NAME.into(), AtomEnum::STRING.into()),
            ] {
                let reply = conn
                    .get_property(false, window, property, kind, 0, 256)
                    .ok()?
                    .reply()
                    .ok()?;
                if !reply.value.is_empty() {
                    let title = String::from_utf8_lossy(&reply.value);
                    let clean = ringlet_core::model::display_label(&title);
                    return Some(clean.chars().take(MAX_TITLE_CHARS).collect());
                }
            }
            let tree = conn.query_tree(window).ok()?.reply().ok()?;
            if tree.parent == tree.root || tree.parent == 0 {
                return None;
            }
            window = tree.parent;
        }
        None
    }

    pub fn type_into(target: &Target, text: &str) -> Result<(), TypingError> {
        let (conn, _) = RustConnection::connect(None).map_err(|_| TypingError::Unavailable)?;
        conn.extension_information(x11rb::protocol::xtest::X11_EXTENSION_NAME)
            .map_err(failed)?
            .ok_or(TypingError::Unavailable)?;
        let setup = conn.setup();
        let (first, last) = (setup.min_keycode, setup.max_keycode);
        let mapping = conn
            .get_keyboard_mapping(first, last - first + 1)
            .map_err(failed)?
            .reply()
            .map_err(failed)?;
        let per_key = usize::from(mapping.keysyms_per_keycode.max(1));
        // The key that makes `keysym`, and whether it needs Shift.
        let key_for = |keysym: u32| -> Option<(u8, bool)> {
            mapping
                .keysyms
                .chunks(per_key)
                .enumerate()
                .find_map(|(offset, syms)| {
                    let code = first.checked_add(u8::try_from(offset).ok()?)?;
                    match syms.iter().take(2).position(|&sym| sym == keysym)? {
                        0 => Some((code, false)),
                        _ => Some((code, true)),
                    }
                })
        };
        let shift = key_for(SHIFT_L).map(|(code, _)| code);
        // Every key found before the first is pressed: a code is typed whole or not at all.
        let keys = text
            .chars()
            .map(|c| match key_for(u32::from(c)) {
                Some((code, false)) => Ok((code, None)),
                Some((code, true)) => shift
                    .map(|shift| (code, Some(shift)))
                    .ok_or(TypingError::NoKey(c)),
                None => Err(TypingError::NoKey(c)),
            })
            .collect::<Result<Vec<_>, _>>()?;

        conn.set_input_focus(InputFocus::PARENT, target.window, CURRENT_TIME)
            .map_err(failed)?;
        let press = |kind: u8, code: u8| {
            conn.xtest_fake_input(kind, code, CURRENT_TIME, x11rb::NONE, 0, 0, 0)
                .map(drop)
                .map_err(failed)
        };
        for (code, shift) in keys {
            if let Some(shift) = shift {
                press(KEY_PRESS, shift)?;
            }
            press(KEY_PRESS, code)?;
            press(KEY_RELEASE, code)?;
            if let Some(shift) = shift {
                press(KEY_RELEASE, shift)?;
            }
        }
        conn.sync().map_err(failed)
    }
}
