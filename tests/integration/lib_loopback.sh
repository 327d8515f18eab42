# tests/integration/lib_loopback.sh - run as `scripts/jack-dummy --period P -- bash lib_loopback.sh
# OUT.json [ringcorder latency args...]`: runs `ringcorder latency` on the server it is given and
# wires its out_0 -> in_0 (a digital loopback) as soon as the ports exist. ringcorder runs as the
# JACK client $RC_CLIENT (lib.sh's wrapper, which $RINGCORDER is).
# Exits with ringcorder's status. Not a test itself (CMake skips lib*.sh).
set -uo pipefail
: "${RINGCORDER:?}" "${RC_CLIENT:?}"
out=$1
shift
"$RINGCORDER" latency --json "$out" -q "$@" &
pid=$!
for _ in $(seq 200); do
  jack_lsp 2>/dev/null | grep -qx "$RC_CLIENT:in_0" && break
  sleep 0.05
done
# jack_connect is a JACK client named "connect": another one on another server at the same moment
# can make it fail (lib.sh, RC_CLIENT), so it is tried again.
if [ "${RC_NO_LOOPBACK:-0}" != 1 ]; then
  for _ in 1 2 3 4 5; do
    jack_connect "$RC_CLIENT:out_0" "$RC_CLIENT:in_0" 2>/dev/null && break
    sleep 0.1
  done
fi
wait "$pid"
