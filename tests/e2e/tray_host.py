#!/usr/bin/python3
"""A tray host for the tray test (tray.test.mjs), on the session bus the test runs: the
StatusNotifierWatcher a desktop panel provides, which Ringlet's tray icon registers with,
and a hand that reads and clicks the icon's menu over dbusmenu, as a panel does.
Run it with Debian's Python (python3-gi).

Prints `ready` once it owns the watcher's name, then `item SENDER PATH` when an icon
registers. Reads commands on stdin:
  menu       prints `entry ID LABEL` for each menu entry, then `end`
  click ID   sends the entry a click; prints `clicked ID`
"""

import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

WATCHER = """
<node>
  <interface name="org.kde.StatusNotifierWatcher">
    <method name="RegisterStatusNotifierItem"><arg type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
  </interface>
</node>
"""

items = []


def say(line):
    print(line, flush=True)


def on_call(connection, sender, _path, _interface, method, params, invocation):
    if method == "RegisterStatusNotifierItem":
        service = params.unpack()[0]
        # An item gives its object path (its sender is the bus name) or a bus name.
        if service.startswith("/"):
            bus, path = sender, service
        else:
            bus, path = service, "/StatusNotifierItem"
        items.append((bus, path))
        say(f"item {bus} {path}")
        connection.emit_signal(None, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher",
                               "StatusNotifierItemRegistered", GLib.Variant("(s)", (f"{bus}{path}",)))
    invocation.return_value(None)


def on_property(_connection, _sender, _path, _interface, name):
    if name == "RegisteredStatusNotifierItems":
        return GLib.Variant("as", [f"{bus}{path}" for bus, path in items])
    if name == "IsStatusNotifierHostRegistered":
        return GLib.Variant("b", True)
    return GLib.Variant("i", 0)


def menu_of(connection):
    bus, path = items[-1]
    menu = connection.call_sync(bus, path, "org.freedesktop.DBus.Properties", "Get",
                                GLib.Variant("(ss)", ("org.kde.StatusNotifierItem", "Menu")),
                                None, Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]
    return bus, menu


def on_command(connection, line):
    words = line.strip().split(" ", 1)
    if not words[0] or not items:
        say("error no item")
        return
    bus, menu = menu_of(connection)
    if words[0] == "menu":
        _revision, layout = connection.call_sync(
            bus, menu, "com.canonical.dbusmenu", "GetLayout",
            GLib.Variant("(iias)", (0, -1, ["label", "visible", "type"])),
            None, Gio.DBusCallFlags.NONE, 5000, None).unpack()
        for child in layout[2]:
            ident, props, _children = child
            if props.get("type") == "separator" or props.get("visible") is False:
                continue
            say(f"entry {ident} {props.get('label', '')}")
        say("end")
    elif words[0] == "click":
        ident = int(words[1])
        connection.call_sync(bus, menu, "com.canonical.dbusmenu", "Event",
                             GLib.Variant("(isvu)", (ident, "clicked", GLib.Variant("s", ""), 0)),
                             None, Gio.DBusCallFlags.NONE, 5000, None)
        say(f"clicked {ident}")


def main():
    connection = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    node = Gio.DBusNodeInfo.new_for_xml(WATCHER)
    connection.register_object("/StatusNotifierWatcher", node.interfaces[0], on_call, on_property, None)

    def owned(*_):
        say("ready")

    Gio.bus_own_name_on_connection(connection, "org.kde.StatusNotifierWatcher",
                                   Gio.BusNameOwnerFlags.NONE, owned, None)
    stdin = GLib.IOChannel.unix_new(sys.stdin.fileno())

    def readable(channel, _condition):
        line = channel.readline()
        if not line:
            GLib.MainLoop().quit()
            sys.exit(0)
        try:
            on_command(connection, line)
        except GLib.Error as error:
            say(f"error {error.message}")
        return True

    GLib.io_add_watch(stdin, GLib.IO_IN | GLib.IO_HUP, readable)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
