#!/usr/bin/python3
"""A drag source for the drag-and-drop end-to-end test (dragdrop.test.mjs): a small GTK 3
window, as a file manager's, offering FILE... as `text/uri-list` to whatever it is dragged
onto, through GTK's own XDND. Run it with Debian's Python (python3-gi, gir1.2-gtk-3.0).

    drag_source.py X Y FILE...

The window is placed at X, Y (Xvfb runs no window manager, so the request is honoured).
Once it is on screen, one line goes to stdout: `ready WINDOW_ID X Y WIDTH HEIGHT`. The test
then presses the mouse on it and moves it, with xdotool, onto Ringlet's window. When the
drag ends, the window is hidden and `ended` is printed (after `failed REASON` when no
window took the drop); the program runs on, watching, until it is killed.

Meanwhile every FILE is watched with inotify: `opened FILE` is printed each time any
process opens it, so the test can tell whether the app read a dropped file (it must not
while the vault is locked). Offering the files does not open them.
"""

import ctypes
import os
import struct
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
gi.require_version("GdkX11", "3.0")
from gi.repository import Gdk, GdkX11, GLib, Gtk  # noqa: E402

SIZE = 160
IN_OPEN = 0x20
IN_CLOEXEC = 0o2000000
IN_NONBLOCK = 0o4000


def watch_opens(paths):
    """Prints `opened PATH` whenever a process opens one of `paths` (inotify, from the
    GTK main loop)."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(IN_CLOEXEC | IN_NONBLOCK)
    if fd < 0:
        sys.exit(f"drag_source.py: inotify_init1: {os.strerror(ctypes.get_errno())}")
    watches = {}
    for path in paths:
        wd = libc.inotify_add_watch(fd, os.fsencode(path), IN_OPEN)
        if wd < 0:
            sys.exit(f"drag_source.py: watching {path}: {os.strerror(ctypes.get_errno())}")
        watches[wd] = path

    def readable(_fd, _condition):
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return True
        offset = 0
        while offset < len(data):
            wd, mask, _cookie, length = struct.unpack_from("iIII", data, offset)
            offset += 16 + length
            if mask & IN_OPEN and wd in watches:
                print("opened", watches[wd], flush=True)
        return True

    GLib.io_add_watch(fd, GLib.PRIORITY_DEFAULT, GLib.IO_IN, readable)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    x, y = int(sys.argv[1]), int(sys.argv[2])
    paths = [os.path.abspath(path) for path in sys.argv[3:]]
    uris = [GLib.filename_to_uri(path, None) for path in paths]
    watch_opens(paths)

    window = Gtk.Window(title="Drag source (e2e)")
    window.set_default_size(SIZE, SIZE)
    window.move(x, y)
    # An event box fills the window and is the drag source: a press anywhere starts it.
    box = Gtk.EventBox()
    box.add(Gtk.Label(label=f"{len(uris)} file(s)"))
    window.add(box)
    box.drag_source_set(
        Gdk.ModifierType.BUTTON1_MASK,
        [Gtk.TargetEntry.new("text/uri-list", 0, 0)],
        Gdk.DragAction.COPY,
    )

    def data_get(_widget, _context, selection, _info, _time):
        selection.set_uris(uris)

    def drag_failed(_widget, _context, result):
        print("failed", result.value_nick, flush=True)
        return False

    def drag_end(_widget, _context):
        # Hidden, not gone: the files stay watched while the app reads them (or must not).
        window.hide()
        print("ended", flush=True)

    def mapped(_widget, _event):
        gdk_window = window.get_window()
        origin = gdk_window.get_origin()
        print(
            "ready",
            GdkX11.X11Window.get_xid(gdk_window),
            origin.x,
            origin.y,
            gdk_window.get_width(),
            gdk_window.get_height(),
            flush=True,
        )
        return False

    box.connect("drag-data-get", data_get)
    box.connect("drag-failed", drag_failed)
    box.connect("drag-end", drag_end)
    window.connect("map-event", mapped)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    Gtk.main()


if __name__ == "__main__":
    main()
