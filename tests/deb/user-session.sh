#!/usr/bin/env bash
# Runs inside a fresh user's desktop session (xvfb-run + dbus-run-session, started by
# tests/deb/smoke.sh): what a new user of the installed package does first. Starts the
# installed app, finds the installed daemon, protects a program, SIGKILLs it, sees it back
# and in `lifeguard history`. Then writes $SMOKE_DIR/ready and keeps the session alive
# until $SMOKE_DIR/done appears (the package is removed meanwhile, from outside).
set -euo pipefail
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
say() { echo "smoke: $*" >&2; }
wait_for() {  # what, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq $((seconds * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  fail "timed out after ${seconds}s waiting for: $what"
}
pids_of_exe() {  # this user's processes running exactly the binary $1
  for link in /proc/[0-9]*/exe; do
    [ "$(readlink "$link" 2>/dev/null)" = "$1" ] && { p=${link#/proc/}; echo "${p%/exe}"; }
  done
  return 0
}

[ "$(command -v lifeguard-desktop)" = /usr/bin/lifeguard-desktop ] || fail "lifeguard-desktop is not the installed one"
say "starting the installed app as $(id -un), HOME=$HOME"
lifeguard-desktop --hidden >"$SMOKE_DIR/app.log" 2>&1 &
wait_for "the daemon to answer \`lifeguard status\`" 60 lifeguard status
daemon=$(pids_of_exe /usr/bin/lifeguard)
[ -n "$daemon" ] || fail "no process runs /usr/bin/lifeguard"
say "the app started the installed daemon: pid $daemon"

entry=$XDG_CONFIG_HOME/autostart/org.lifeguard.Lifeguard.desktop
wait_for "the launch-at-login entry" 20 test -f "$entry"
grep -qx 'Exec="/usr/bin/lifeguard-desktop" --hidden' "$entry" || fail "autostart Exec: $(grep ^Exec "$entry")"
grep -qx 'TryExec=/usr/bin/lifeguard-desktop' "$entry" || fail "autostart entry has no TryExec"
grep -qx 'Icon=org.lifeguard.Lifeguard' "$entry" || fail "autostart entry has no Icon"
say "launch at login is on by default: $entry"

lifeguard logs --daemon | grep -q "daemon ready" || fail "\`lifeguard logs --daemon\` shows no 'daemon ready'"
say "the daemon's log is in $XDG_STATE_HOME/lifeguard/daemon.log"

lifeguard add --name "Smoke sleeper" --id smoke-sleeper -- /usr/bin/sleep 86400.5 >/dev/null
first=""
for _ in $(seq 120); do
  first=$(pgrep -u "$(id -u)" -fx '/usr/bin/sleep 86400.5' || true)
  [ -n "$first" ] && break
  sleep 0.25
done
[ -n "$first" ] || fail "the protected program did not start"
kill -KILL "$first"
say "SIGKILLed the protected program (pid $first)"
second=""
for _ in $(seq 120); do
  second=$(pgrep -u "$(id -u)" -fx '/usr/bin/sleep 86400.5' || true)
  [ -n "$second" ] && [ "$second" != "$first" ] && break
  second=""
  sleep 0.25
done
[ -n "$second" ] || fail "the program was not restarted after SIGKILL"
say "it is back: pid $second"
wait_for "the restart in \`lifeguard history\`" 20 bash -c 'lifeguard history --program smoke-sleeper | grep -q restarted'
lifeguard history --program smoke-sleeper --limit 5 >&2
echo "$second" >"$SMOKE_DIR/program.pid"

touch "$SMOKE_DIR/ready"
say "waiting while the package is removed"
for _ in $(seq 480); do [ -e "$SMOKE_DIR/done" ] && exit 0; sleep 0.25; done
fail "nobody removed the package within 2 minutes"
