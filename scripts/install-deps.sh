#!/usr/bin/env bash
# Installs what Galley needs on Debian 12, skipping whatever is already there:
#   system packages (apt, through sudo when not root), the UI's npm packages, and with --test
#   the test tools (Xvfb, WebKitWebDriver, hugo, jekyll, sqlite3 and python3 for E2E fixtures, the E2E npm
#   packages, tauri-driver in a cache folder); with --package what `make package` needs besides
#   (cargo-deb in the same cache folder, lintian, desktop-file-utils, appstream, rsvg-convert) and
#   the test tools (`make test-package` starts the packaged app).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_package=0
[ "${1:-}" = "--test" ] && want_test=1
[ "${1:-}" = "--package" ] && want_test=1 && want_package=1
TOOLS_DIR="${GALLEY_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/galley-tools}"

packages=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libayatana-appindicator3-dev
          librsvg2-dev libsoup-3.0-dev)
if [ "$want_test" = 1 ]; then
  packages+=(xvfb xauth webkit2gtk-driver hugo imagemagick sqlite3 python3 dbus xdotool)
  # Real Jekyll builds of exports (tests/generator_builds.rs); about 35 s with apt-get update.
  packages+=(jekyll)
fi
if [ "$want_package" = 1 ]; then
  packages+=(dpkg-dev lintian desktop-file-utils appstream librsvg2-bin)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "galley: installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for tool in cargo node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "galley: '$tool' is missing. Install Rust with rustup (https://rustup.rs) and Node.js 20+ (apt install nodejs npm), then run this again." >&2
    exit 1
  fi
done

npm_install() { # folder
  local dir="$1"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "galley: installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install ui

if [ "$want_test" = 1 ]; then
  npm_install tests/e2e
  if [ ! -x "$TOOLS_DIR/bin/tauri-driver" ]; then
    echo "galley: installing tauri-driver into $TOOLS_DIR (once, about 1-2 minutes)"
    cargo install tauri-driver --version 2.1.0 --locked --root "$TOOLS_DIR" --quiet
  fi
fi

if [ "$want_package" = 1 ] && [ ! -x "$TOOLS_DIR/bin/cargo-deb" ]; then
  echo "galley: installing cargo-deb into $TOOLS_DIR (once, a few minutes)"
  cargo install cargo-deb --version 3.8.0 --locked --root "$TOOLS_DIR" --quiet
fi
