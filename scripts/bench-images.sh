#!/usr/bin/env bash
# Benchmark "opening a post with 50 images until every image has painted" (BENCHMARKS.md "Figures"):
# builds the UI and the release app and CLI, generates a Hugo bundle with 50 PNGs, imports it into
# a fresh library and runs tests/e2e/bench/images.mjs under its own Xvfb, then prints the table.
#
# Knobs (environment): BENCH_RUNS=5 (opens of each post per session), BENCH_SESSIONS=1,
# BENCH_SKIP_BUILD=1 (use the binaries already built), BENCH_PROFILE=debug (with BENCH_SKIP_BUILD=1),
# BENCH_RESULTS=file.jsonl (kept).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
TOOLS_DIR="${GALLEY_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/galley-tools}"
driver="$TOOLS_DIR/bin/tauri-driver"
[ -x "$driver" ] || { echo "bench-images: tauri-driver missing at $driver (run scripts/install-deps.sh --test)" >&2; exit 1; }
command -v convert >/dev/null || { echo "bench-images: imagemagick's convert is missing (apt-get install imagemagick)" >&2; exit 1; }

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  (cd ui && npm run --silent build)
  cargo build --release -p galley-app -p galley-cli
fi
profile="${BENCH_PROFILE:-release}"
app="${BENCH_APP:-$CARGO_TARGET_DIR/$profile/galley-app}"
cli="${BENCH_CLI:-$CARGO_TARGET_DIR/$profile/galley}"

source scripts/lib.sh
start_work_dir
start_session_bus

node tests/e2e/bench/images.mjs generate "$work/site"
mkdir -p "$work/pristine"
"$cli" --library "$work/pristine/library.sqlite3" import "$work/site"

start_xvfb
# The web view's storage of its own, as in scripts/e2e.sh (never the developer's).
export XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config" XDG_CACHE_HOME="$work/xdg-cache"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

results="${BENCH_RESULTS:-$work/results.jsonl}"
: >"$results"
status=0
for session in $(seq "${BENCH_SESSIONS:-1}"); do
  lib="$work/lib-$session"
  cp -r "$work/pristine" "$lib"
  # The app's default rendering mode (what `make run` ships): nothing inherited decides it.
  (cd tests/e2e && env -u WEBKIT_DISABLE_COMPOSITING_MODE -u WEBKIT_DISABLE_DMABUF_RENDERER \
    -u WEBKIT_SKIA_ENABLE_CPU_RENDERING -u WEBKIT_FORCE_COMPOSITING_MODE \
    DISPLAY="$DISPLAY" GALLEY_APP="$(realpath "$app")" GALLEY_TAURI_DRIVER="$driver" \
    GALLEY_CLI="$(realpath "$cli")" GALLEY_E2E_WORK="$work" BENCH_LIBRARY="$lib/library.sqlite3" \
    BENCH_OUT="$results" node bench/images.mjs) || status=1
  rm -rf "$lib"
done

echo
echo "Opening a post with 50 images until every image has painted, $profile build under Xvfb ($(nproc) cores):"
node tests/e2e/bench/images.mjs summarize "$results"
exit "$status"
