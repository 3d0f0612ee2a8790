#!/usr/bin/env bash
# Installs what Galley needs on Debian 12, skipping whatever is already there:
#   system packages (apt, through sudo when not root), the UI's npm packages, and with --test
#   the test tools (Xvfb, WebKitWebDriver, hugo, sqlite3 and python3 for E2E fixtures, the E2E npm
#   packages, tauri-driver in a cache folder).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1
TOOLS_DIR="${GALLEY_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/galley-tools}"

packages=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libayatana-appindicator3-dev
          librsvg2-dev libsoup-3.0-dev)
if [ "$want_test" = 1 ]; then
  packages+=(xvfb xauth webkit2gtk-driver hugo imagemagick sqlite3 python3)
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
