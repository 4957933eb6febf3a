#!/usr/bin/env bash
# Runs everything CI runs, in an order that works on a fresh clone: install what is
# missing, build the UI (the app embeds it), lint, then every test. Rust tests run under
# Xvfb and a private D-Bus session, each test in its own HOME/XDG directories.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step "dependencies"
scripts/install-deps.sh --test

step "UI build"
npm --prefix ui run build

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings


profile=default
[ "${CI:-}" = "true" ] && profile=ci
step "Rust tests (nextest, profile $profile, under Xvfb + D-Bus)"
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo nextest run --workspace --profile "$profile"

step "doc tests"
cargo test --workspace --doc

step "UI unit tests"
npm --prefix ui test

step "all tests passed"
