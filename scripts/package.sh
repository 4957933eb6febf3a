#!/usr/bin/env bash
# Builds the Debian package target/debian/lifeguard_<version>_<arch>.deb from release
# builds of the app (lifeguard-desktop) and the daemon/CLI (lifeguard): the tree is laid
# out here and packed with `dpkg-deb --build --root-owner-group`, with Depends from
# dpkg-shlibdeps. Prints the package's path last. Needs Debian's dpkg-dev (build-essential).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

app_id=org.lifeguard.Lifeguard
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
arch=$(dpkg --print-architecture)
out=target/debian
root=$out/root
deb=$out/lifeguard_${version}_${arch}.deb
pkg() { printf '==> package: %s\n' "$*" >&2; }

if [ "${LIFEGUARD_PACKAGE_SKIP_BUILD:-}" != "1" ]; then
  pkg "release build (lifeguard-desktop, lifeguard)"
  npm --prefix ui run build >/dev/null
  cargo build --release --locked -p lifeguard-desktop -p lifeguard-cli
fi
bin=target/release

rm -rf "$root"
mkdir -p "$root/DEBIAN"
put() { install -D -m "$1" "$2" "$root/$3"; }   # mode, source, path in the package

put 755 "$bin/lifeguard-desktop" usr/bin/lifeguard-desktop
put 755 "$bin/lifeguard" usr/bin/lifeguard

# Desktop integration: menu entry, AppStream metainfo, icon theme.
put 644 packaging/deb/$app_id.desktop usr/share/applications/$app_id.desktop
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u +%F)/" packaging/deb/$app_id.metainfo.xml \
  > "$out/$app_id.metainfo.xml"
put 644 "$out/$app_id.metainfo.xml" usr/share/metainfo/$app_id.metainfo.xml
(cd icons/hicolor && find . -type f) | while read -r icon; do
  put 644 "icons/hicolor/$icon" "usr/share/icons/hicolor/${icon#./}"
done

# The daemon as a systemd user service (not enabled: the app starts the daemon itself
# unless the person enables the unit).
put 644 contrib/systemd/lifeguard.service usr/lib/systemd/user/lifeguard.service

# Shell completions and man pages, generated from the CLI's clap definitions.
completions=$out/completions
mkdir -p "$completions"
"$bin/lifeguard" completions bash >"$completions/lifeguard"
"$bin/lifeguard" completions zsh >"$completions/_lifeguard"
"$bin/lifeguard" completions fish >"$completions/lifeguard.fish"
put 644 "$completions/lifeguard" usr/share/bash-completion/completions/lifeguard
put 644 "$completions/_lifeguard" usr/share/zsh/vendor-completions/_lifeguard
put 644 "$completions/lifeguard.fish" usr/share/fish/vendor_completions.d/lifeguard.fish
man=$out/man
rm -rf "$man"
"$bin/lifeguard" manpages "$man" >/dev/null
sed "s/@VERSION@/$version/" packaging/deb/lifeguard-desktop.1 >"$man/lifeguard-desktop.1"
for page in "$man"/*.1; do
  gzip -9n <"$page" >"$page.gz"
  put 644 "$page.gz" "usr/share/man/man1/$(basename "$page").gz"
done

# Documentation: copyright and a changelog, as Debian policy asks.
put 644 packaging/deb/copyright usr/share/doc/lifeguard/copyright
sed -e "s/@VERSION@/$version/" -e "s/@RFC2822@/$(date -u -R)/" packaging/deb/changelog \
  | gzip -9n >"$out/changelog.gz"
put 644 "$out/changelog.gz" usr/share/doc/lifeguard/changelog.gz

put 755 packaging/deb/postrm DEBIAN/postrm

# Depends: the shared libraries the binaries link, as dpkg-shlibdeps finds them (it
# wants a debian/control to read, so it runs in a scratch directory).
shlibs=$out/shlibs
rm -rf "$shlibs" && mkdir -p "$shlibs/debian"
printf 'Source: lifeguard\n\nPackage: lifeguard\nArchitecture: any\n' >"$shlibs/debian/control"
depends=$(cd "$shlibs" && dpkg-shlibdeps -O \
  "-e../../../$root/usr/bin/lifeguard-desktop" "-e../../../$root/usr/bin/lifeguard" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "error: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: lifeguard
Version: $version
Architecture: $arch
Maintainer: The Lifeguard developers <lifeguard@example.invalid>
Installed-Size: $installed_size
Depends: $depends
Recommends: gnome-shell-extension-appindicator
Section: utils
Priority: optional
Homepage: https://example.invalid/lifeguard
Description: keeps the programs you chose running
 Lifeguard restarts the programs you chose when they die (stray kill commands,
 out-of-memory kills, crashes), shows every restart and keeps a restart
 history. A tray app and window (lifeguard-desktop) and a command line
 (lifeguard) are clients of one small daemon, which can also run as a systemd
 user service.
CONTROL

dpkg-deb --build --root-owner-group -Zxz "$root" "$deb" >/dev/null
pkg "built $deb ($(du -h "$deb" | cut -f1))"
echo "$deb"
