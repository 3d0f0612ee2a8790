#!/usr/bin/env bash
# In-app keystroke-to-painted-preview benchmark (BENCHMARKS.md "In-app latency"): builds the UI,
# the release app and CLI, generates the 20k/300k-word posts, runs tests/e2e/bench/latency.mjs
# under its own Xvfb for each post size x WebKitGTK rendering mode x run, and prints the table.
#
# Knobs (environment): BENCH_SIZES="20k 300k", BENCH_RUNS=2, BENCH_KEYS=60 (per condition),
# BENCH_WARMUP=10, BENCH_MODES="app-default compositing no-compositing ..." (names below),
# BENCH_SKIP_BUILD=1 (use the binaries already built), BENCH_RESULTS=file.jsonl (kept),
# BENCH_PROFILE=debug (with BENCH_SKIP_BUILD=1: try the script on a debug build).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
TOOLS_DIR="${GALLEY_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/galley-tools}"
driver="$TOOLS_DIR/bin/tauri-driver"
[ -x "$driver" ] || { echo "bench-app: tauri-driver missing at $driver (run scripts/install-deps.sh --test)" >&2; exit 1; }

# Rendering modes: name -> environment for the app. "app-default" sets nothing (what `make run`
# ships); the others pin WebKitGTK's choice explicitly (WebKit reads "0" as "not disabled").
declare -A MODE_ENV=(
  [app-default]=""
  [compositing]="WEBKIT_DISABLE_COMPOSITING_MODE=0"
  [no-compositing]="WEBKIT_DISABLE_COMPOSITING_MODE=1"
  [no-dmabuf]="WEBKIT_DISABLE_COMPOSITING_MODE=0 WEBKIT_DISABLE_DMABUF_RENDERER=1"
  [skia-cpu]="WEBKIT_DISABLE_COMPOSITING_MODE=0 WEBKIT_SKIA_ENABLE_CPU_RENDERING=1"
  [no-compositing-skia-cpu]="WEBKIT_DISABLE_COMPOSITING_MODE=1 WEBKIT_SKIA_ENABLE_CPU_RENDERING=1"
  [force-compositing]="WEBKIT_FORCE_COMPOSITING_MODE=1"
)
modes="${BENCH_MODES:-app-default compositing no-compositing no-dmabuf skia-cpu}"
sizes="${BENCH_SIZES:-20k 300k}"
runs="${BENCH_RUNS:-2}"
for mode in $modes; do [ -v "MODE_ENV[$mode]" ] || { echo "bench-app: unknown mode $mode" >&2; exit 2; }; done

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  (cd ui && npm run --silent build)
  cargo build --release -p galley-app -p galley-cli
fi
profile="${BENCH_PROFILE:-release}"  # debug: only to try the script out quickly
app="${BENCH_APP:-$CARGO_TARGET_DIR/$profile/galley-app}"  # or a copy, if others rebuild meanwhile
cli="${BENCH_CLI:-$CARGO_TARGET_DIR/$profile/galley}"

source scripts/lib.sh
start_work_dir

# The posts (same generator as benches/render.rs) and one pristine library per size.
node tests/e2e/bench/latency.mjs generate "$work/posts"
for size in $sizes; do
  mkdir -p "$work/pristine-$size"
  "$cli" --library "$work/pristine-$size/library.sqlite3" import "$work/posts/$size" >/dev/null 2>&1
done

start_xvfb

results="${BENCH_RESULTS:-$work/results.jsonl}"
: >"$results"
status=0
for run in $(seq "$runs"); do
  for size in $sizes; do
    for mode in $modes; do
      lib="$work/lib-$size-$mode-$run"
      cp -r "$work/pristine-$size" "$lib"
      # Nothing inherited decides the mode: clear every variable a mode may set, then set its own.
      # shellcheck disable=SC2086
      (cd tests/e2e && env -u WEBKIT_DISABLE_COMPOSITING_MODE -u WEBKIT_DISABLE_DMABUF_RENDERER \
        -u WEBKIT_SKIA_ENABLE_CPU_RENDERING -u WEBKIT_FORCE_COMPOSITING_MODE \
        DISPLAY="$DISPLAY" GALLEY_APP="$(realpath "$app")" GALLEY_TAURI_DRIVER="$driver" \
        GALLEY_CLI="$(realpath "$cli")" GALLEY_E2E_WORK="$work" BENCH_LIBRARY="$lib/library.sqlite3" \
        BENCH_SIZE="$size" BENCH_MODE="$mode" BENCH_RUN="$run" BENCH_OUT="$results" \
        ${MODE_ENV[$mode]} node bench/latency.mjs) || status=1
      rm -rf "$lib"
    done
  done
done

echo
echo "Keystroke-to-painted-preview, release build under Xvfb ($(nproc) cores); p95 ratio = preview p95 / floor p95:"
node tests/e2e/bench/latency.mjs summarize "$results"
exit "$status"
