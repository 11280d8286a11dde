#!/usr/bin/python3
"""Another program's text field, for the quick picker's typing test (picker.test.mjs): a
small GTK 3 window titled "Type target" with one entry, which has the keyboard once shown.
Run it with Debian's Python (python3-gi, gir1.2-gtk-3.0).

Prints `ready WINDOW_ID` once the window is on screen, then `text CONTENT` every time the
entry's text changes, so the test reads back what was typed into it. Runs until killed.
"""

import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("GdkX11", "3.0")
from gi.repository import GdkX11, Gtk  # noqa: E402,F401


def say(line):
    print(line, flush=True)


def main():
    window = Gtk.Window(title="Type target")
    window.set_default_size(320, 80)
    window.move(40, 40)
    entry = Gtk.Entry()
    entry.connect("changed", lambda e: say("text " + e.get_text()))
    window.add(entry)
    window.connect("destroy", Gtk.main_quit)

    def shown(widget, _event):
        say("ready " + str(widget.get_window().get_xid()))
        return False

    window.connect("map-event", shown)
    window.show_all()
    entry.grab_focus()
    Gtk.main()


if __name__ == "__main__":
    sys.exit(main())
