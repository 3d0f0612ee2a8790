#!/usr/bin/env bash
# Opens the Galley window on the default library (created and seeded on first run).
set -euo pipefail
app="$1"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "galley: no display here (DISPLAY is not set): run 'make run' from a desktop session, or 'xvfb-run -a make run' for a virtual one." >&2
  exit 0
fi
exec "$app" "${@:2}"
