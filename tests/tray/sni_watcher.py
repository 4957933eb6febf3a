#!/usr/bin/python3
"""A fake StatusNotifier watcher + host for tray tests, on the session bus.

It owns org.kde.StatusNotifierWatcher so the app's tray item registers with it, then reads
the item's menu over com.canonical.dbusmenu and clicks items, as a panel would. Commands on
stdin, one per line; answers on stdout, one JSON object per line:
  layout            -> {"layout": [{"id": 1, "label": "...", "enabled": true, "children": [...]}]}
  click LABEL       -> {"clicked": id} (LABEL matched exactly, mnemonics underscores removed)
  icon              -> {"icon_name": ..., "icon_pixmap_bytes": n}
On registration it prints {"registered": service, "path": path}.
Must run with Debian's /usr/bin/python3 (python3-dbus, python3-gi).
"""
import json
import sys
import time

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"


def say(obj):
    print(json.dumps(obj), flush=True)


class Watcher(dbus.service.Object):
    def __init__(self, bus):
        self.bus = bus
        self.items = []
        super().__init__(dbus.service.BusName(WATCHER, bus), "/StatusNotifierWatcher")

    @dbus.service.method(WATCHER, in_signature="s", out_signature="", sender_keyword="sender")
    def RegisterStatusNotifierItem(self, service, sender=None):
        path = service if service.startswith("/") else "/StatusNotifierItem"
        name = sender if service.startswith("/") else service
        self.items.append((name, path))
        say({"registered": name, "path": path})
        self.StatusNotifierItemRegistered(f"{name}{path}")

    @dbus.service.method(WATCHER, in_signature="s", out_signature="")
    def RegisterStatusNotifierHost(self, service):
        pass

    @dbus.service.signal(WATCHER, signature="s")
    def StatusNotifierItemRegistered(self, item):
        pass

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="ss", out_signature="v")
    def Get(self, interface, prop):
        return self.GetAll(interface)[prop]

    @dbus.service.method(dbus.PROPERTIES_IFACE, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        return {
            "RegisteredStatusNotifierItems": dbus.Array(
                [f"{n}{p}" for n, p in self.items], signature="s"),
            "IsStatusNotifierHostRegistered": dbus.Boolean(True),
            "ProtocolVersion": dbus.Int32(0),
        }


def item_props(bus, name, path):
    obj = bus.get_object(name, path)
    return dbus.Interface(obj, dbus.PROPERTIES_IFACE).GetAll(ITEM)


def menu_iface(bus, watcher):
    name, path = watcher.items[-1]
    menu_path = item_props(bus, name, path)["Menu"]
    return dbus.Interface(bus.get_object(name, menu_path), MENU)


def tree(node):
    ident, props, children = node
    label = str(props.get("label", "")).replace("_", "")
    return {
        "id": int(ident),
        "label": label,
        "enabled": bool(props.get("enabled", True)),
        "type": str(props.get("type", "standard")),
        "toggle_state": int(props.get("toggle-state", -1)),
        "children": [tree(child) for child in children],
    }


def find(nodes, label):
    for node in nodes:
        if node["label"] == label:
            return node
        hit = find(node["children"], label)
        if hit:
            return hit
    return None


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    watcher = Watcher(bus)
    say({"ready": True})

    def layout():
        menu = menu_iface(bus, watcher)
        _rev, root = menu.GetLayout(0, -1, [])
        return tree(root)["children"]

    def on_line(source, _cond):
        line = source.readline()
        if not line:
            loop.quit()
            return False
        cmd, _, arg = line.strip().partition(" ")
        try:
            if not watcher.items:
                say({"error": "no item registered"})
            elif cmd == "layout":
                say({"layout": layout()})
            elif cmd == "click":
                # The app rebuilds its menu when its state changes, which renumbers the
                # items: look the label up again and retry if the id went stale.
                for attempt in range(5):
                    node = find(layout(), arg)
                    if node is None:
                        say({"error": f"no item labelled {arg!r}"})
                        break
                    try:
                        menu = menu_iface(bus, watcher)
                        menu.Event(node["id"], "clicked", dbus.Int32(0, variant_level=1),
                                   dbus.UInt32(int(time.time())))
                        say({"clicked": node["id"]})
                        break
                    except dbus.DBusException as error:
                        if attempt == 4:
                            raise
                        time.sleep(0.2)
            elif cmd == "icon":
                name, path = watcher.items[-1]
                props = item_props(bus, name, path)
                pixmaps = props.get("IconPixmap", [])
                size = sum(len(p[2]) for p in pixmaps)
                say({"icon_name": str(props.get("IconName", "")), "icon_pixmap_bytes": size})
            else:
                say({"error": f"unknown command {cmd!r}"})
        except dbus.DBusException as error:
            say({"error": str(error)})
        return True

    loop = GLib.MainLoop()
    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, on_line)
    loop.run()


if __name__ == "__main__":
    main()
