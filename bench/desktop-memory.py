#!/usr/bin/python3
"""Memory of the whole Lifeguard desktop tree (tray, window and its WebKit processes,
daemon) in three situations, the time from the tray's "Open" to the window, and idle CPU
with the window closed. Prints figures; asserts nothing.

The tray is clicked through the stand-in StatusNotifier host the tests use
(tests/tray/sni_watcher.py), as a panel would. The situations:
  1. started hidden (as at login), window never opened;
  2. window open (opened from the tray's "Open");
  3. window opened, then closed (WM_DELETE_WINDOW, as a window manager's close button).
Then the window is opened and closed ROUNDS more times, timing "Open" -> a viewable X
window titled "Lifeguard" (p50 and max; the first round is cold, the rest warm).

Run from the repository root, under a display and a session bus, with the app and the CLI
built (cargo build --release -p lifeguard-desktop -p lifeguard-cli):
  xvfb-run -a dbus-run-session -- bench/desktop-memory.py [target/release] [idle_seconds] [rounds]
Set LIFEGUARD_DESKTOP_BIN to take the window's binary from elsewhere (e.g. a debug build
beside a release tray and daemon); the figures then say so.
Needs Debian's python3-xlib, python3-dbus and python3-gi.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from Xlib import X, display, protocol

TARGET = sys.argv[1] if len(sys.argv) > 1 else "target/release"
IDLE = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 10
TICK = os.sysconf("SC_CLK_TCK")
HERE = os.path.dirname(os.path.abspath(__file__))


EXCLUDED = set()  # the stand-in panel: it carries the session's HOME but is not Lifeguard's


def session_pids(home):
    """Every live process carrying this session's HOME (all Lifeguard started)."""
    out = []
    marker = f"HOME={home}".encode()
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{p}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in env and state != "Z" and int(p) not in EXCLUDED:
            out.append(int(p))
    return out


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
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
        base = os.path.basename(argv[0].decode())
        if base == "lifeguard" and len(argv) > 1:
            return f"lifeguard {argv[1].decode()}"
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return "?"


def report(label, pids):
    total = 0
    parts = {}
    for p in pids:
        kib = pss_kib(p)
        total += kib
        parts[name(p)] = parts.get(name(p), 0) + kib
    detail = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(parts.items(), key=lambda i: -i[1]))
    print(f"{label}: {total / 1024:.1f} MiB PSS ({detail})", flush=True)
    return total


def windows(d, title):
    def walk(w):
        yield w
        try:
            kids = w.query_tree().children
        except Exception:  # windows come and go while we look
            kids = []
        for c in kids:
            yield from walk(c)
    found = []
    for w in walk(d.screen().root):
        try:
            if w.get_wm_name() == title:
                found.append(w)
        except Exception:
            pass
    return found


def viewable(d, title):
    for w in windows(d, title):
        try:
            if w.get_attributes().map_state == X.IsViewable:
                return True
        except Exception:
            pass
    return False


def close_window(d, title):
    """Sends WM_DELETE_WINDOW, the close request a window manager sends."""
    delete = d.intern_atom("WM_DELETE_WINDOW")
    protocols = d.intern_atom("WM_PROTOCOLS")
    for w in windows(d, title):
        try:
            ev = protocol.event.ClientMessage(window=w, client_type=protocols,
                                              data=(32, [delete, X.CurrentTime, 0, 0, 0]))
            w.send_event(ev)
        except Exception:
            pass
    d.flush()


class Panel:
    def __init__(self, env):
        self.proc = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "../tests/tray/sni_watcher.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert self.read().get("ready"), "the stand-in panel did not start"

    def read(self):
        return json.loads(self.proc.stdout.readline())

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        while True:
            line = self.read()
            if "registered" not in line:
                return line


def window_pids(home):
    return [p for p in session_pids(home) if name(p) == "lifeguard-deskt"]


def wait(what, probe, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.005)
    raise SystemExit(f"timed out waiting for {what}")


def main():
    home = tempfile.mkdtemp(prefix="lg-mem-")
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=f"{home}/.config",
               XDG_DATA_HOME=f"{home}/.local/share", XDG_STATE_HOME=f"{home}/.local/state",
               XDG_CACHE_HOME=f"{home}/.cache", XDG_RUNTIME_DIR=f"{home}/run",
               LIFEGUARD_BIN=os.path.abspath(f"{TARGET}/lifeguard"))
    desktop = os.environ.get("LIFEGUARD_DESKTOP_BIN") or f"{TARGET}/lifeguard-desktop"
    env["LIFEGUARD_DESKTOP_BIN"] = os.path.abspath(desktop)
    print(f"tray and daemon: {env['LIFEGUARD_BIN']}; window: {env['LIFEGUARD_DESKTOP_BIN']}")
    os.makedirs(f"{home}/run", mode=0o700)
    d = display.Display()
    panel = Panel(env)
    EXCLUDED.add(panel.proc.pid)
    app = subprocess.Popen([env["LIFEGUARD_DESKTOP_BIN"], "--hidden"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        line = panel.read()
        assert "registered" in line, line
        wait("the daemon's answer in the menu",
             lambda: any("No programs" in n["label"] for n in panel.ask("layout").get("layout", [])))
        time.sleep(5)
        report("1. hidden start, window never opened (tree)", session_pids(home))
        before = {p: cpu_ticks(p) for p in session_pids(home)}
        time.sleep(IDLE)
        used = sum(cpu_ticks(p) - t for p, t in before.items())
        print(f"   idle CPU over {IDLE:.0f} s: {used * 1000 / TICK:.0f} ms "
              f"({used / TICK / IDLE * 100:.2f} % of a core)", flush=True)

        times = []
        for i in range(ROUNDS + 1):
            start = time.monotonic()
            panel.ask("click Open Lifeguard…")
            wait("the window", lambda: viewable(d, "Lifeguard"))
            times.append((time.monotonic() - start) * 1000)
            if i == 0:
                time.sleep(5)
                report("2. window open (tree)", session_pids(home))
            else:
                time.sleep(1)
            close_window(d, "Lifeguard")
            wait("the window's process to end", lambda: not window_pids(home))
            if i == 0:
                time.sleep(5)
                report("3. window opened, then closed (tree)", session_pids(home))
            time.sleep(0.5)
        warm = times[1:]
        print(f"tray \"Open\" -> window viewable: cold {times[0]:.0f} ms; warm over {len(warm)}: "
              f"p50 {statistics.median(warm):.0f} ms, max {max(warm):.0f} ms", flush=True)
        before = {p: cpu_ticks(p) for p in session_pids(home)}
        time.sleep(IDLE)
        used = sum(cpu_ticks(p) - t for p, t in before.items())
        print(f"idle CPU with the window closed over {IDLE:.0f} s: {used * 1000 / TICK:.0f} ms "
              f"({used / TICK / IDLE * 100:.2f} % of a core), whole tree", flush=True)
    finally:
        app.kill()
        panel.proc.kill()
        for _ in range(3):
            for p in session_pids(home):
                try:
                    os.kill(p, 9)
                except OSError:
                    pass
            time.sleep(0.2)


if __name__ == "__main__":
    main()
