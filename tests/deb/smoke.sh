#!/usr/bin/env bash
# The installed package as a new user meets it (root: installs and removes a package and
# a throwaway user). Usage: tests/deb/smoke.sh target/debian/lifeguard_<v>_<arch>.deb
#   1. apt-get install ./the.deb (without Recommends: the GNOME extension is not wanted here)
#   2. a fresh user, fresh HOME and XDG directories, in Xvfb + a D-Bus session: the user
#      session script (tests/deb/user-session.sh) starts the app, which must find the
#      installed daemon; a protected program is SIGKILLed and comes back
#   3. the user's launch-at-login entry names the installed binary in Exec and TryExec
#   4. apt-get remove: no Lifeguard process is left, and the entry's TryExec now names a
#      missing file, so the session skips it (XDG autostart spec)
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=$(realpath "$1")
[ "$(id -u)" -eq 0 ] || { echo "smoke: must run as root (it installs a package)" >&2; exit 1; }
say() { echo "smoke: $*" >&2; }
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

user=lgsmoke$$
work=$(mktemp -d /tmp/lifeguard-smoke.XXXXXX)
cleanup() {
  set +e
  touch "$work/done"
  [ -f "$work/program.pid" ] && kill -KILL "$(cat "$work/program.pid")" 2>/dev/null
  [ -n "${session:-}" ] && wait "$session" 2>/dev/null
  dpkg-query -W -f='${Status}' lifeguard 2>/dev/null | grep -q "ok installed" \
    && DEBIAN_FRONTEND=noninteractive apt-get remove -y lifeguard >/dev/null
  id "$user" >/dev/null 2>&1 && userdel -r "$user" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

say "apt-get install $deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb" >"$work/apt-install.log" 2>&1 \
  || { cat "$work/apt-install.log" >&2; fail "apt-get install"; }
for path in /usr/bin/lifeguard /usr/bin/lifeguard-desktop /usr/lib/systemd/user/lifeguard.service \
  /usr/share/applications/org.lifeguard.Lifeguard.desktop; do
  [ -e "$path" ] || fail "$path is not installed"
done
appstreamcli validate --no-net /usr/share/metainfo/org.lifeguard.Lifeguard.metainfo.xml >&2
man -w lifeguard >/dev/null || fail "man lifeguard finds no page"

# The user may not be able to read the checkout: the session script runs from $work.
install -m 755 tests/deb/user-session.sh "$work/user-session.sh"
useradd --create-home --home-dir "$work/home" --shell /bin/bash "$user"
chmod 755 "$work"
runtime=$work/run
install -d -m 700 -o "$user" "$runtime"
chown "$user" "$work"
home=$work/home
session_env=(HOME="$home" USER="$user" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share"
  XDG_STATE_HOME="$home/.local/state" XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$runtime"
  XDG_CURRENT_DESKTOP=GNOME SMOKE_DIR="$work" PATH=/usr/bin:/bin)
runuser -u "$user" -- env -i "${session_env[@]}" \
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$work/user-session.sh" &
session=$!
for _ in $(seq 480); do
  [ -e "$work/ready" ] && break
  kill -0 "$session" 2>/dev/null || { wait "$session" || true; session=""; fail "the user session ended early"; }
  sleep 0.25
done
[ -e "$work/ready" ] || fail "the user session never got ready"

lifeguard_pids() {  # every process running the installed binaries, removed or not
  for link in /proc/[0-9]*/exe; do
    case "$(readlink "$link" 2>/dev/null)" in
      /usr/bin/lifeguard | /usr/bin/lifeguard-desktop | "/usr/bin/lifeguard (deleted)" | "/usr/bin/lifeguard-desktop (deleted)")
        p=${link#/proc/}; echo "${p%/exe}" ;;
    esac
  done
  return 0
}
entry=$home/.config/autostart/org.lifeguard.Lifeguard.desktop
try_exec() { sed -n 's/^TryExec=//p' "$entry" | head -n 1; }
[ -n "$(lifeguard_pids)" ] || fail "no Lifeguard process runs before removal"
[ -f "$entry" ] || fail "no launch-at-login entry at $entry after the first run"
grep -q '^Exec="/usr/bin/lifeguard-desktop"' "$entry" || grep -q '^Exec=/usr/bin/lifeguard-desktop' "$entry" \
  || { cat "$entry" >&2; fail "the entry does not start the installed binary"; }
[ -x "$(try_exec)" ] || { cat "$entry" >&2; fail "the entry's TryExec is not the installed binary"; }
say "launch at login is on and names the installed binary"

say "apt-get remove lifeguard"
DEBIAN_FRONTEND=noninteractive apt-get remove -y lifeguard >"$work/apt-remove.log" 2>&1 \
  || { cat "$work/apt-remove.log" >&2; fail "apt-get remove"; }
sleep 1
left=$(lifeguard_pids)
[ -z "$left" ] || { ps -o pid,args -p "$left" >&2; fail "Lifeguard processes left after removal: $left"; }
say "no Lifeguard process is left"
[ ! -e "$(try_exec)" ] || fail "after removal the entry's TryExec still exists: $(try_exec)"
say "the autostart entry is skipped now that the binary is gone (TryExec)"
touch "$work/done"
wait "$session" || fail "the user session failed"
session=""
say "PASS"
