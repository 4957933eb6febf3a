#!/usr/bin/env bash
# Takes docs/screenshot.png: the built app's window under Xvfb, in a throwaway HOME.
# Needs the app built (cargo build --bin lifeguard-desktop) and ImageMagick's `import`.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/screenshot.png}"
app="$PWD/target/debug/lifeguard-desktop"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
xvfb-run -a -s "-screen 0 1000x680x24" dbus-run-session -- bash -c '
  set -e
  HOME="$1" XDG_CONFIG_HOME="$1/.config" XDG_DATA_HOME="$1/.local/share" \
    XDG_STATE_HOME="$1/.local/state" XDG_CACHE_HOME="$1/.cache" "$2" &
  app=$!
  sleep "${SHOT_DELAY:-6}"
  import -window root "$3"
  kill "$app"
' _ "$home" "$app" "$out"
echo "wrote $out"
