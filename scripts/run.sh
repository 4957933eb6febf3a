#!/usr/bin/env bash
# Installs what is missing, builds the UI and the app, and starts Lifeguard.
# Arguments go to the app (e.g. --hidden to start in the tray only).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
npm --prefix ui run build
cargo build --workspace --bins
exec cargo run --bin lifeguard-desktop -- "$@"
