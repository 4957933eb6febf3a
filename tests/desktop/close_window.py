#!/usr/bin/python3
"""Asks every X window titled ARGV[1] to close, as a window manager does when its close
button is clicked (WM_DELETE_WINDOW). Needs Debian's python3-xlib."""
import sys

from Xlib import X, display, protocol


def main(title):
    d = display.Display()
    delete = d.intern_atom("WM_DELETE_WINDOW")
    protocols = d.intern_atom("WM_PROTOCOLS")

    def walk(w):
        yield w
        try:
            kids = w.query_tree().children
        except Exception:  # windows come and go while we look
            kids = []
        for c in kids:
            yield from walk(c)

    for w in walk(d.screen().root):
        try:
            if w.get_wm_name() == title:
                ev = protocol.event.ClientMessage(window=w, client_type=protocols,
                                                  data=(32, [delete, X.CurrentTime, 0, 0, 0]))
                w.send_event(ev)
        except Exception:
            pass
    d.flush()


if __name__ == "__main__":
    main(sys.argv[1])
