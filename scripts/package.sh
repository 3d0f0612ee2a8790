#!/usr/bin/env bash
# Builds the release .deb (`make package`): the app and the `galley` CLI in release mode, the
# files generated from packaging/ (icons from the SVG, man pages and completions from the CLI,
# the AppStream file), validated with desktop-file-validate, appstreamcli and lintian; then
# cargo-deb packs them as src-tauri/Cargo.toml's [package.metadata.deb] lists.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS_DIR="${GALLEY_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/galley-tools}"
target="${CARGO_TARGET_DIR:-$PWD/target}"
# The AppStream screenshot must be a web URL (appstreamcli refuses a path or a file: URL): a
# release sets GALLEY_SCREENSHOT_URL to where docs/screenshot.png is published; the default is a
# placeholder under the reserved .invalid domain, so nothing pretends to be a real address.
screenshot_url="${GALLEY_SCREENSHOT_URL:-https://galley.invalid/docs/screenshot.png}"

cargo build --release --locked -p galley-app -p galley-cli

assets="$target/release/deb-assets"
rm -rf "$assets"
mkdir -p "$assets/icons" "$assets/man" "$assets/completions"

# Icons: the hicolor sizes, rendered from the one SVG (the SVG itself goes in as scalable/).
for size in 16 22 24 32 48 64 128 256 512; do
  mkdir -p "$assets/icons/${size}x${size}"
  rsvg-convert -w "$size" -h "$size" packaging/icons/galley.svg -o "$assets/icons/${size}x${size}/galley.png"
done

# Man pages (galley.1 and one per command) and completions, from the CLI just built.
galley="$target/release/galley"
"$galley" man --dir "$assets/man"
gzip -9n "$assets"/man/*.1
"$galley" completions bash >"$assets/completions/galley"
"$galley" completions zsh >"$assets/completions/_galley"
"$galley" completions fish >"$assets/completions/galley.fish"

sed "s|@SCREENSHOT_URL@|$screenshot_url|" packaging/dev.galley.app.metainfo.xml >"$assets/dev.galley.app.metainfo.xml"

desktop-file-validate packaging/galley.desktop
appstreamcli validate --no-net --pedantic "$assets/dev.galley.app.metainfo.xml"

# cargo-deb takes the binaries built above (--no-build), strips them and computes Depends from
# the libraries they link (dpkg-shlibdeps).
"$TOOLS_DIR/bin/cargo-deb" -p galley-app --no-build
deb="$(ls -t "$target"/debian/galley_*.deb | head -n 1)"
lintian --fail-on error "$deb"
echo "galley: built $deb"
