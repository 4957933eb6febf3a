#!/usr/bin/env bash
# Runs everything CI runs, in an order that works on a fresh clone: install what is
# missing, build the UI (the app embeds it), lint, then every test. Rust tests run under
# Xvfb and a private D-Bus session, each test in its own HOME/XDG directories.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==> %s\n' "$*"; }
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# One clean build in CI: no incremental caches (they only help a rebuild, and take
# gigabytes of a CI machine's disk). The free space is printed, since a full disk shows up
# as a confusing compiler error.
if [ "${CI:-}" = "true" ]; then
  export CARGO_INCREMENTAL=0
fi
df -h . | sed 's/^/disk: /'

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

# The Debian package, built from release builds (the one release build CI makes), checked
# with lintian, and (in CI, or when asked: LIFEGUARD_SMOKE_INSTALL=1, as root) installed
# and used as a new user would, then removed.
step "Debian package"
started=$SECONDS
deb=$(scripts/package.sh | tail -n 1)
echo "package built in $((SECONDS - started)) s"
dpkg-deb -c "$deb"
lintian --fail-on error --tag-display-limit 0 "$deb"
appstreamcli validate --no-net target/debian/org.lifeguard.Lifeguard.metainfo.xml
if [ "${CI:-}" = "true" ] || [ "${LIFEGUARD_SMOKE_INSTALL:-}" = "1" ]; then
  step "installed package smoke test (apt-get install, a fresh user, apt-get remove)"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" tests/deb/smoke.sh "$deb"
else
  echo "(not installing it: set LIFEGUARD_SMOKE_INSTALL=1 to run tests/deb/smoke.sh as root)"
fi
echo "package step took $((SECONDS - started)) s"

step "all tests passed"
