# tests/integration/lib_loopback.sh - run as `scripts/jack-dummy --period P -- bash lib_loopback.sh
# OUT.json [ringcorder latency args...]`: runs `ringcorder latency` on the server it is given and
# wires its out_0 -> in_0 (a digital loopback) as soon as the ports exist. ringcorder runs as the
# JACK client $RC_CLIENT (lib.sh's wrapper, which $RINGCORDER is). RC_NO_LOOPBACK=1: no wire.
# Exits with ringcorder's status. Not a test itself (CMake skips lib*.sh).
# The wire is made by jack_wire (tests/tools), a JACK client opened before ringcorder starts that
# connects the ports within milliseconds of their registration. Polling with jack_lsp and
# jack_connect instead (each a new JACK client: a process and a server handshake) took seconds
# beside two suites: once a ThreadSanitizer run was wired 10 s after it started, most of its 3 s
# had gone unwired, and it honestly said "no signal". jack_wire says on stderr when the wire
# took more than a second, and this script when it was not made while ringcorder ran.
set -uo pipefail
: "${RINGCORDER:?}" "${RC_CLIENT:?}" "${JACK_WIRE:?}"
out=$1
shift
wire=""
if [ "${RC_NO_LOOPBACK:-0}" != 1 ]; then
  "$JACK_WIRE" --wait 120 "$RC_CLIENT:out_0" "$RC_CLIENT:in_0" &
  wire=$!
fi
"$RINGCORDER" latency --json "$out" -q "$@" &
pid=$!
status=0
wait "$pid" || status=$?
if [ -n "$wire" ]; then
  if kill -0 "$wire" 2>/dev/null; then
    echo "lib_loopback: $RC_CLIENT:out_0 -> in_0 not wired while ringcorder ran" >&2
    kill "$wire" 2>/dev/null
  fi
  wait "$wire" 2>/dev/null
fi
exit "$status"
