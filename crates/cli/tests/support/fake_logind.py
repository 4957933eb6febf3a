#!/usr/bin/python3
"""A stand-in for logind on a test's own bus: owns org.freedesktop.login1 and, for each
line on stdin, emits a signal of org.freedesktop.login1.Manager: "true" or "false" emits
PrepareForShutdown with that value, "sleep true" or "sleep false" PrepareForSleep.
Prints "ready" once it owns the name and "sent" after each signal.
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
    words = line.split()
    member = "PrepareForShutdown"
    if words and words[0] == "sleep":
        member = "PrepareForSleep"
        words = words[1:]
    msg = dbus.lowlevel.SignalMessage(
        "/org/freedesktop/login1", "org.freedesktop.login1.Manager", member
    )
    msg.append(dbus.Boolean(words == ["true"]))
    bus.send_message(msg)
    bus.flush()
    print("sent", flush=True)
