# Shared by the test and bench scripts (sourced, not run): a work folder cleaned up on exit with
# the processes started into it, and a private Xvfb display.

# Creates $work and kills every pid added to $pids on exit.
start_work_dir() {
  work="$(mktemp -d)"
  pids=()
  trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
}

# Starts Xvfb on the first free display from :90 and exports DISPLAY (needs $work and $pids).
start_xvfb() {
  local n display=""
  for n in $(seq 90 120); do
    if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then display=":$n"; break; fi
  done
  [ -n "$display" ] || { echo "no free X display between :90 and :120" >&2; return 1; }
  Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
  export DISPLAY="$display"
}

# Starts a D-Bus session bus of our own and exports DBUS_SESSION_BUS_ADDRESS (needs $work and
# $pids): the app's single-instance lock is a name on the session bus, so the apps a test run
# starts never meet the developer's running Galley, nor another run's.
start_session_bus() {
  local socket="$work/session-bus"
  dbus-daemon --session --nofork --nopidfile --address="unix:path=$socket" >"$work/dbus.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
  [ -S "$socket" ] || { echo "the D-Bus session bus did not start (see dbus-daemon)" >&2; return 1; }
  export DBUS_SESSION_BUS_ADDRESS="unix:path=$socket"
}
