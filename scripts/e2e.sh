#!/usr/bin/env bash
# Runs the end-to-end tests against the built app: its own Xvfb, then node --test (each test
# session starts its own tauri-driver, see tests/e2e/galley.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
app="$(realpath "$1")"
TOOLS_DIR="${GALLEY_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/galley-tools}"
driver="$TOOLS_DIR/bin/tauri-driver"
[ -x "$driver" ] || { echo "e2e: tauri-driver missing at $driver (run scripts/install-deps.sh --test)" >&2; exit 1; }

source scripts/lib.sh
start_work_dir
start_session_bus

# A display of our own, unless one is given.
if [ -z "${GALLEY_E2E_DISPLAY:-}" ]; then
  start_xvfb
else
  export DISPLAY="$GALLEY_E2E_DISPLAY"
fi
# The app's web view keeps its storage (the remembered reading-time profile, theme, pane sizes)
# under XDG_DATA_HOME: give the test sessions their own, so a test run never changes the
# developer's app. (The libraries are fresh files, passed with --library.)
export XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config" XDG_CACHE_HOME="$work/xdg-cache"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"
export WEBKIT_DISABLE_COMPOSITING_MODE=1
export GALLEY_APP="$app"
export GALLEY_TAURI_DRIVER="$driver"
export GALLEY_CLI="${GALLEY_CLI:-$(dirname "$app")/galley}"
if [ ! -x "$GALLEY_CLI" ]; then
  # Tests that set up libraries and sites through the CLI skip without it: say so, fail in CI.
  echo "e2e: the galley CLI is missing at $GALLEY_CLI (cargo build -p galley-cli); the tests that need it are SKIPPED" >&2
  [ "${CI:-}" = true ] && exit 1
  unset GALLEY_CLI
fi
export GALLEY_E2E_WORK="$work"
status=0
if [ -n "${GALLEY_E2E_SCRIPT:-}" ]; then
  (cd tests/e2e && node "$GALLEY_E2E_SCRIPT") || status=$?  # one ad-hoc script, for debugging
else
  (cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec ${GALLEY_E2E_FILES:-./*.test.mjs}) || status=$?
fi
if [ "$status" -ne 0 ]; then
  echo "---- tauri-driver logs (last 20 lines each) ----" >&2
  tail -n 20 "$work"/tauri-driver-*.log >&2 || true
fi
exit "$status"
