#!/usr/bin/python3
"""Memory of the whole desktop tree (app, WebKit processes, daemon) with the window open,
after it is closed (destroyed), and idle CPU with it closed. Prints figures; asserts nothing.

Run from the repository root, under a display and a session bus, with the app and the CLI
built (cargo build --release --bin lifeguard-desktop --bin lifeguard):
  xvfb-run -a dbus-run-session -- bench/desktop-memory.py [target/release] [idle_seconds]
Set WEBKIT_DISABLE_COMPOSITING_MODE=1 in the environment to measure that variant.
Needs Debian's python3-xlib (to ask the window to close, as a window manager would).
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

from Xlib import X, display, protocol

TARGET = sys.argv[1] if len(sys.argv) > 1 else "target/release"
IDLE = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
TICK = os.sysconf("SC_CLK_TCK")


def children(pid):
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return out


def tree(pid):
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        if os.path.exists(f"/proc/{p}"):
            seen.append(p)
            todo += children(p)
    return seen


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return 0


def name(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


def role(pid):
    """`keeper` or `daemon` for the two processes of `lifeguard daemon`, else the name."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return name(pid)
    if len(argv) > 1 and argv[1] == b"daemon":
        return "daemon" if b"--kept-by" in argv else "keeper"
    return name(pid)


def report(label, pids):
    total = 0
    parts = {}
    for p in pids:
        kib = pss_kib(p)
        total += kib
        parts[role(p)] = parts.get(role(p), 0) + kib
    detail = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(parts.items(), key=lambda i: -i[1]))
    print(f"{label}: {total / 1024:.1f} MiB PSS ({detail})")
    return total


def daemon_pids(home):
    """The keeper and the daemon proper (both run `lifeguard daemon`)."""
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            with open(f"/proc/{p}/environ", "rb") as f:
                env = f.read()
        except OSError:
            continue
        if len(argv) > 1 and argv[1] == b"daemon" and f"HOME={home}".encode() in env:
            out.append(int(p))
    return out


def close_window(title):
    """Sends WM_DELETE_WINDOW, the close request a window manager sends."""
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


def main():
    home = tempfile.mkdtemp(prefix="lg-mem-")
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=f"{home}/.config",
               XDG_DATA_HOME=f"{home}/.local/share", XDG_STATE_HOME=f"{home}/.local/state",
               XDG_CACHE_HOME=f"{home}/.cache", XDG_RUNTIME_DIR=f"{home}/run",
               LIFEGUARD_BIN=os.path.abspath(f"{TARGET}/lifeguard"))
    os.makedirs(f"{home}/run", mode=0o700)
    app = subprocess.Popen([f"{TARGET}/lifeguard-desktop"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(8)
        daemons = daemon_pids(home)
        print(f"compositing disabled: {os.environ.get('WEBKIT_DISABLE_COMPOSITING_MODE') == '1'}")
        app_tree = lambda: [p for p in tree(app.pid) if p not in daemons]
        report("window open   (app tree)", app_tree())
        report("daemon (keeper + daemon proper)", daemons)
        close_window("Lifeguard")
        time.sleep(5)
        pids = app_tree()
        report("window closed (app tree)", pids)
        before = {p: cpu_ticks(p) for p in pids + daemons}
        time.sleep(IDLE)
        used = sum(cpu_ticks(p) - t for p, t in before.items())
        print(f"idle CPU with the window closed over {IDLE:.0f} s: {used * 1000 / TICK:.0f} ms "
              f"({used / TICK / IDLE * 100:.2f} % of a core), app tree + daemon")
    finally:
        app.kill()
        # Stopped first: a keeper or daemon that saw the other die would revive it.
        pids = daemon_pids(home)
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for p in pids:
                try:
                    os.kill(p, sig)
                except OSError:
                    pass


if __name__ == "__main__":
    main()
