# tests/integration/lib_loopback.sh - run as `scripts/jack-dummy --period P -- bash lib_loopback.sh
# OUT.json [ringcorder latency args...]`: runs `ringcorder latency` on the server it is given and
# wires ringcorder:out_0 -> ringcorder:in_0 (a digital loopback) as soon as the ports exist.
# Exits with ringcorder's status. Not a test itself (CMake skips lib*.sh).
set -uo pipefail
: "${RINGCORDER:?}"
out=$1
shift
"$RINGCORDER" latency --json "$out" -q "$@" &
pid=$!
for _ in $(seq 200); do
  jack_lsp 2>/dev/null | grep -qx ringcorder:in_0 && break
  sleep 0.05
done
[ "${RC_NO_LOOPBACK:-0}" = 1 ] || jack_connect ringcorder:out_0 ringcorder:in_0
wait "$pid"
