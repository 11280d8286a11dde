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

/// Opens a window that shows `links` as QR codes one after another ("Code 2 of 4"), for a
/// phone's camera: Google Authenticator's export of many accounts. On other systems, where
/// there is no such window yet, the export is refused with a message.
pub fn show_codes<R: Runtime>(
    app: &AppHandle<R>,
    links: &[zeroize::Zeroizing<String>],
) -> Result<(), AppError> {
    let mut pages = Vec::with_capacity(links.len());
    for link in links {
        let (modules, width) = ringlet_core::reveal::qr_modules(link)
            .map_err(|_| AppError::InvalidInput("An export code is too long to draw.".into()))?;
        pages.push(ringlet_core::reveal::grey_pixels(
            &modules,
            width,
            MODULE_PIXELS,
        ));
    }
    #[cfg(target_os = "linux")]
    {
        app.run_on_main_thread(move || linux::open_codes(pages))
            .map_err(|e| AppError::InvalidInput(format!("The window could not be opened: {e}")))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (app, pages);
        Err(AppError::InvalidInput(
            "Showing export codes needs Linux for now; export to a file instead.".into(),
        ))
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

    /// A GTK image of grey QR pixels `side` wide.
    fn qr_image(pixels: &[u8], side: usize) -> gtk::Image {
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
        gtk::Image::from_pixbuf(Some(&pixbuf))
    }

    /// The window every reveal shares: above the others, centred, its content in a padded
    /// column, listed for [`close_all`].
    fn reveal_window(title: &str) -> (gtk::Window, gtk::Box) {
        let window = gtk::Window::new(gtk::WindowType::Toplevel);
        window.set_title(title);
        window.set_resizable(false);
        window.set_keep_above(true);
        window.set_position(gtk::WindowPosition::Center);
        let column = gtk::Box::new(gtk::Orientation::Vertical, 12);
        column.set_margin_top(20);
        column.set_margin_bottom(20);
        column.set_margin_start(24);
        column.set_margin_end(24);
        window.add(&column);
        window.connect_destroy(|closed| {
            OPEN.with(|open| open.borrow_mut().retain(|w| w != closed));
        });
        (window, column)
    }

    fn wrapped(text: &str) -> gtk::Label {
        let label = gtk::Label::new(Some(text));
        label.set_line_wrap(true);
        label.set_max_width_chars(44);
        label.set_xalign(0.0);
        label
    }

    /// Google Authenticator's export codes, one page each, with Previous and Next.
    pub fn open_codes(pages: Vec<(zeroize::Zeroizing<Vec<u8>>, usize)>) {
        let count = pages.len();
        let (window, column) = reveal_window("Ringlet — export to Google Authenticator");
        column.pack_start(
            &wrapped(
                "In Google Authenticator on your phone: Transfer accounts → Import accounts, then \
                 scan each code. Anyone who sees these codes can make your accounts' codes.",
            ),
            false,
            false,
            0,
        );
        let stack = gtk::Stack::new();
        for (number, (pixels, side)) in pages.iter().enumerate() {
            stack.add_named(&qr_image(pixels, *side), &format!("code-{}", number + 1));
        }
        column.pack_start(&stack, false, false, 0);
        let position = gtk::Label::new(None);
        let previous = gtk::Button::with_label("Previous");
        let next = gtk::Button::with_label("Next");
        let close = gtk::Button::with_label("Close");
        let row = gtk::Box::new(gtk::Orientation::Horizontal, 8);
        row.pack_start(&previous, false, false, 0);
        row.pack_start(&position, true, true, 0);
        row.pack_start(&next, false, false, 0);
        row.pack_start(&close, false, false, 0);
        column.pack_start(&row, false, false, 0);

        let show = {
            let (stack, position, previous, next) = (
                stack.clone(),
                position.clone(),
                previous.clone(),
                next.clone(),
            );
            move |number: usize| {
                stack.set_visible_child_name(&format!("code-{number}"));
                position.set_text(&format!("Code {number} of {count}"));
                previous.set_sensitive(number > 1);
                next.set_sensitive(number < count);
            }
        };
        let current = std::rc::Rc::new(std::cell::Cell::new(1usize));
        for (button, step) in [(&previous, -1isize), (&next, 1)] {
            let (current, show) = (current.clone(), show.clone());
            button.connect_clicked(move |_| {
                let number = current.get().saturating_add_signed(step).clamp(1, count);
                current.set(number);
                show(number);
            });
        }
        let to_close = window.clone();
        close.connect_clicked(move |_| to_close.close());
        window.show_all();
        show(1);
        if count > 1 {
            next.grab_focus();
        } else {
            close.grab_focus();
        }
        OPEN.with(|open| open.borrow_mut().push(window));
    }

    pub fn open(label: &str, revealed: &Revealed) {
        let (window, column) = reveal_window(&format!("Ringlet — secret of {label}"));

        let heading = gtk::Label::new(Some(label));
        heading.set_xalign(0.0);
        heading.set_ellipsize(gtk::pango::EllipsizeMode::End);
        heading.set_max_width_chars(40);
        heading.style_context().add_class("title-3");
        let intro = wrapped(
            "Scan this code with the authenticator app on your other device, or type the key. \
             Anyone who sees it can make this account's codes.",
        );
        column.pack_start(&heading, false, false, 0);
        column.pack_start(&intro, false, false, 0);

        let (pixels, side) = revealed.grey_pixels(MODULE_PIXELS);
        column.pack_start(&qr_image(&pixels, side), false, false, 0);

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

        window.show_all();
        close.grab_focus();
        // A selectable label selects all of its text when it first takes focus; start clean.
        key.select_region(0, 0);
        OPEN.with(|open| open.borrow_mut().push(window));
    }
}
