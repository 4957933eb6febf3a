#!/usr/bin/python3
"""A stand-in for systemd's user manager on the session bus, for the test of "the app
starts the daemon through the enabled user unit".

It owns org.freedesktop.systemd1 and answers the two calls the app makes:
GetUnitFileState("lifeguard.service") -> "enabled", and StartUnit(unit, mode), which
starts `$LIFEGUARD_BIN daemon` as its own child (as systemd would) and prints
{"started": unit, "mode": mode, "pid": pid}. Prints {"ready": true} once it owns the name.
Runs until stdin closes. Must run with Debian's /usr/bin/python3 (python3-dbus, python3-gi).
"""
import json
import os
import subprocess
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

NAME = "org.freedesktop.systemd1"
MANAGER = "org.freedesktop.systemd1.Manager"
UNIT = "lifeguard.service"


def say(obj):
    print(json.dumps(obj), flush=True)


class Manager(dbus.service.Object):
    def __init__(self, bus):
        self.children = []
        super().__init__(dbus.service.BusName(NAME, bus), "/org/freedesktop/systemd1")

    @dbus.service.method(MANAGER, in_signature="s", out_signature="s")
    def GetUnitFileState(self, unit):
        if unit != UNIT:
            raise dbus.DBusException("No such file or directory",
                                     name="org.freedesktop.systemd1.NoSuchUnit")
        return "enabled"

    @dbus.service.method(MANAGER, in_signature="ss", out_signature="o")
    def StartUnit(self, unit, mode):
        child = subprocess.Popen([os.environ["LIFEGUARD_BIN"], "daemon"],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.children.append(child)
        say({"started": str(unit), "mode": str(mode), "pid": child.pid})
        return dbus.ObjectPath("/org/freedesktop/systemd1/job/1")


def main():
    DBusGMainLoop(set_as_default=True)
    manager = Manager(dbus.SessionBus())
    loop = GLib.MainLoop()
    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, lambda *_: loop.quit() or False)
    say({"ready": True})
    loop.run()
    for child in manager.children:
        child.kill()
        child.wait()


if __name__ == "__main__":
    main()
