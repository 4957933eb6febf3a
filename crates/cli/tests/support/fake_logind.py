#!/usr/bin/python3
"""A stand-in for logind on a test's own bus: owns org.freedesktop.login1 and, for each
line "true" or "false" on stdin, emits org.freedesktop.login1.Manager.PrepareForShutdown
with that value. Prints "ready" once it owns the name and "sent" after each signal.
Usage: fake_logind.py BUS_ADDRESS (Debian's /usr/bin/python3 with python3-dbus).
"""
import sys

import dbus
import dbus.bus
import dbus.lowlevel

bus = dbus.bus.BusConnection(sys.argv[1])
bus.request_name("org.freedesktop.login1")
print("ready", flush=True)
for line in sys.stdin:
    msg = dbus.lowlevel.SignalMessage(
        "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForShutdown"
    )
    msg.append(dbus.Boolean(line.strip() == "true"))
    bus.send_message(msg)
    bus.flush()
    print("sent", flush=True)
