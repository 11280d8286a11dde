//! Showing an account's secret to move it to another device, outside the webview: a native
//! window (GTK on Linux) with the QR code and the key written out, or on other systems a
//! native message box with the key. The webview never receives the secret; the command
//! that opens it asks for the password again. Every such window closes when the vault
//! locks.

use ringlet_core::reveal::Revealed;
use tauri::{AppHandle, Runtime};

use crate::error::AppError;

/// Pixels per QR module: a phone camera reads it easily from a laptop screen (the GTK
/// window's; elsewhere the dialog shows the key alone).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const MODULE_PIXELS: usize = 6;

/// Opens the window for `revealed` (titled after `label`, the account's display label).
pub fn show<R: Runtime>(
    app: &AppHandle<R>,
    label: String,
    revealed: Revealed,
) -> Result<(), AppError> {
    #[cfg(target_os = "linux")]
    {
        app.run_on_main_thread(move || linux::open(&label, &revealed))
            .map_err(|e| AppError::InvalidInput(format!("The window could not be opened: {e}")))
    }
    #[cfg(not(target_os = "linux"))]
    {
        use tauri_plugin_dialog::DialogExt;
        let text = format!(
            "Secret key: {}\n\n{}\n\nClose this when you are done.",
            revealed.key.as_str(),
            revealed.details
        );
        app.dialog()
            .message(text)
            .title(format!("Ringlet — {label}"))
            .show(|_| {});
        Ok(())
    }
}

/// Closes every reveal window (on lock and on quit).
pub fn close_all<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(target_os = "linux")]
    {
        let _ = app.run_on_main_thread(linux::close_all);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(target_os = "linux")]
mod linux {
    use std::cell::RefCell;

    use gtk::gdk_pixbuf::{Colorspace, Pixbuf};
    use gtk::glib;
    use gtk::prelude::*;

    use super::{Revealed, MODULE_PIXELS};

    thread_local! {
        // GTK objects live on the main thread; so does this list.
        static OPEN: RefCell<Vec<gtk::Window>> = const { RefCell::new(Vec::new()) };
    }

    pub fn close_all() {
        let windows: Vec<gtk::Window> = OPEN.with(|open| open.borrow_mut().drain(..).collect());
        for window in windows {
            window.close();
        }
    }

    pub fn open(label: &str, revealed: &Revealed) {
        let window = gtk::Window::new(gtk::WindowType::Toplevel);
        window.set_title(&format!("Ringlet — secret of {label}"));
        window.set_resizable(false);
        window.set_keep_above(true);
        window.set_position(gtk::WindowPosition::Center);

        let column = gtk::Box::new(gtk::Orientation::Vertical, 12);
        column.set_margin_top(20);
        column.set_margin_bottom(20);
        column.set_margin_start(24);
        column.set_margin_end(24);

        let heading = gtk::Label::new(Some(label));
        heading.set_xalign(0.0);
        heading.set_ellipsize(gtk::pango::EllipsizeMode::End);
        heading.set_max_width_chars(40);
        heading.style_context().add_class("title-3");
        let intro = gtk::Label::new(Some(
            "Scan this code with the authenticator app on your other device, or type the key. \
             Anyone who sees it can make this account's codes.",
        ));
        intro.set_line_wrap(true);
        intro.set_max_width_chars(44);
        intro.set_xalign(0.0);
        column.pack_start(&heading, false, false, 0);
        column.pack_start(&intro, false, false, 0);

        let (pixels, side) = revealed.grey_pixels(MODULE_PIXELS);
        let rgb: Vec<u8> = pixels.iter().flat_map(|&p| [p, p, p]).collect();
        let side_i32 = i32::try_from(side).unwrap_or(i32::MAX);
        let pixbuf = Pixbuf::from_bytes(
            &glib::Bytes::from_owned(rgb),
            Colorspace::Rgb,
            false,
            8,
            side_i32,
            side_i32,
            side_i32.saturating_mul(3),
        );
        column.pack_start(&gtk::Image::from_pixbuf(Some(&pixbuf)), false, false, 0);

        let key = gtk::Label::new(None);
        key.set_markup(&format!(
            "<span font_family=\"monospace\" size=\"large\">{}</span>",
            glib::markup_escape_text(revealed.key.as_str())
        ));
        key.set_selectable(true);
        key.set_line_wrap(true);
        key.set_max_width_chars(44);
        let details = gtk::Label::new(Some(&revealed.details));
        details.style_context().add_class("dim-label");
        column.pack_start(&key, false, false, 0);
        column.pack_start(&details, false, false, 0);

        let close = gtk::Button::with_label("Close");
        close.set_halign(gtk::Align::End);
        let to_close = window.clone();
        close.connect_clicked(move |_| to_close.close());
        column.pack_start(&close, false, false, 0);

        window.add(&column);
        window.connect_destroy(|closed| {
            OPEN.with(|open| open.borrow_mut().retain(|w| w != closed));
        });
        window.show_all();
        close.grab_focus();
        // A selectable label selects all of its text when it first takes focus; start clean.
        key.select_region(0, 0);
        OPEN.with(|open| open.borrow_mut().push(window));
    }
}
