#!/usr/bin/env bash
# Installs what Lifeguard needs on Debian 12 / Ubuntu, skipping what is already there:
#   scripts/install-deps.sh          to build and run the app
#   scripts/install-deps.sh --test   also what the tests need (Xvfb, D-Bus, WebDriver, dunst…)
# Uses apt-get as root, sudo apt-get otherwise. Rust (rustup) and Node.js ≥ 20.19 must be
# installed already: they do not come from Debian in versions new enough.
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_PACKAGES=(
  build-essential pkg-config libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev
  dbus dbus-x11
)
TEST_PACKAGES=(
  xvfb xauth webkit2gtk-driver dunst libnotify-bin imagemagick xdotool
  python3-dbus python3-gi python3-xlib procps
  xterm tmux mousepad chromium
  lintian appstream dpkg-dev man-db
)

packages=("${RUN_PACKAGES[@]}")
with_tests=false
if [ "${1:-}" = "--test" ]; then
  with_tests=true
  packages+=("${TEST_PACKAGES[@]}")
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: not root and no sudo: install as root: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "error: Rust is missing: install it with rustup (https://rustup.rs), then run this again" >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "error: Node.js and npm are missing: install Node.js 20.19 or newer, then run this again" >&2
  exit 1
fi

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if $with_tests; then
  if ! command -v tauri-driver >/dev/null && [ ! -x "$cargo_bin/tauri-driver" ]; then
    echo "==> installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked
  fi
  if ! cargo nextest --version >/dev/null 2>&1; then
    echo "==> installing cargo-nextest"
    cargo install cargo-nextest --locked
  fi
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> installing the UI's npm packages"
  npm ci --prefix ui --no-audit --no-fund
fi
