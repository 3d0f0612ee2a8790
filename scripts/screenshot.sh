#!/usr/bin/env bash
# Starts the app under its own Xvfb on a throw-away library seeded with the sample posts, waits for
# it to draw, and saves a screenshot of the screen (used for the README).
set -euo pipefail
app="$(realpath "$1")"
out="$2"
mkdir -p "$(dirname "$out")"
work="$(mktemp -d)"
display=":97"
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$app_pid" "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
DISPLAY="$display" WEBKIT_DISABLE_COMPOSITING_MODE=1 "$app" --library "$work/library.sqlite3" >"$work/app.log" 2>&1 &
app_pid=$!
sleep "${GALLEY_SCREENSHOT_WAIT:-6}"
DISPLAY="$display" import -window root "$out"
echo "screenshot: $out"
