# tests/integration/lib_loopback.sh - run as `scripts/jack-dummy --period P -- bash lib_loopback.sh
# OUT.json [ringcorder latency args...]`: runs `ringcorder latency` on the server it is given and
# wires its out_0 -> in_0 (a digital loopback) as soon as the ports exist. ringcorder runs as the
# JACK client $RC_CLIENT (lib.sh's wrapper, which $RINGCORDER is). RC_NO_LOOPBACK=1: no wire.
# Exits with ringcorder's status. Not a test itself (CMake skips lib*.sh).
# The wait for the ports lasts as long as ringcorder runs (up to 60 s): a ThreadSanitizer build
# beside another suite once took longer than the 10 s this used to allow, the wire was never made,
# and the run honestly said "no signal". jack_connect is a JACK client named "connect": another one
# on another server at the same moment can make it fail (lib.sh, RC_CLIENT), so it is tried until
# it succeeds. Whether and when the wire was made is said on stderr when it was not at once.
set -uo pipefail
: "${RINGCORDER:?}" "${RC_CLIENT:?}"
out=$1
shift
"$RINGCORDER" latency --json "$out" -q "$@" &
pid=$!
if [ "${RC_NO_LOOPBACK:-0}" != 1 ]; then
  started=$EPOCHREALTIME
  wired=""
  tries=0
  deadline=$((SECONDS + 60))
  while [ -z "$wired" ] && [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null; do
    if jack_lsp 2>/dev/null | grep -qx "$RC_CLIENT:in_0"; then
      tries=$((tries + 1))
      jack_connect "$RC_CLIENT:out_0" "$RC_CLIENT:in_0" 2>/dev/null && wired=yes && break
    fi
    sleep 0.05
  done
  took=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  if [ -z "$wired" ]; then
    echo "lib_loopback: $RC_CLIENT:out_0 -> in_0 not wired after ${took} s ($tries connect tries)" >&2
  elif [ "$tries" -gt 1 ] || awk -v t="$took" 'BEGIN { exit !(t > 5) }'; then
    echo "lib_loopback: wired after ${took} s ($tries connect tries)" >&2
  fi
fi
wait "$pid"
