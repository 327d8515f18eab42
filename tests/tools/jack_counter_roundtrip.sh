#!/usr/bin/env bash
# tests/tools/jack_counter_roundtrip.sh - proves the test harness itself, without ringcorder:
# jack_counter_source recorded by jackd2's own jack_rec (32-bit integer PCM WAV, which holds the
# counter exactly) must check out with counter_check, both when jack_rec connects to the source
# and when the source connects itself with --connect (then the recording starts with silence,
# the lead-in). The source's error exits and its reaction to a lost server are checked too.
# If this fails, the integration tests' verdicts mean nothing.
# Run through scripts/jack-dummy (CTest does); needs COUNTER_SOURCE and COUNTER_CHECK.
# Exit 0 pass, 1 fail, 77 skip (no jack_rec).
set -euo pipefail
: "${COUNTER_SOURCE:?}" "${COUNTER_CHECK:?}"
[ -n "${JACK_DEFAULT_SERVER:-}" ] || { echo "run me through scripts/jack-dummy" >&2; exit 2; }
command -v jack_rec >/dev/null || { echo "skip: jack_rec (package jackd2) is not installed"; exit 77; }

rate=$(jack_samplerate)
period=$(jack_bufsize)
work=$(mktemp -d "${TMPDIR:-/tmp}/rc-roundtrip-XXXXXX")
source_pid=""
cleanup() {
  [ -z "$source_pid" ] || kill "$source_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# expect_exit DESCRIPTION CODE COMMAND...: the command must exit with CODE.
expect_exit() {
  local description=$1 expected=$2 status=0
  shift 2
  "$@" >"$work/out.txt" 2>&1 || status=$?
  [ "$status" -eq "$expected" ] || fail "$description: exit $status, expected $expected: $(cat "$work/out.txt")"
  echo "ok: $description (exit $status: $(head -n 1 "$work/out.txt"))"
}
# wait_for_port NAME: until the JACK port exists (10 s at most).
wait_for_port() {
  for _ in $(seq 200); do
    jack_lsp 2>/dev/null | grep -qx "$1" && return 0
    sleep 0.05
  done
  fail "JACK port $1 did not appear within 10 s"
}
# start_source ARGS...: runs the source in the background (one at a time).
start_source() {
  "$COUNTER_SOURCE" "$@" >"$work/source.log" 2>&1 &
  source_pid=$!
}
# stop_source: SIGTERM must be a clean stop (exit 0).
stop_source() {
  local status=0
  kill -TERM "$source_pid"
  wait "$source_pid" || status=$?
  source_pid=""
  [ "$status" -eq 0 ] || fail "the source exited $status on SIGTERM: $(cat "$work/source.log")"
}
# record FILE SECONDS PORT1 PORT2: jack_rec, which exits 0 even when its ring overran (and then
# tears frames), so its words are read too. Its ring holds 5 s (-B, frames): a busy machine must
# not make the recorder itself overrun.
record() {
  jack_rec -f "$1" -d "$2" -b 32 -B 262144 "$3" "$4" >"$work/jack_rec.log" 2>&1 ||
    fail "jack_rec exited $?: $(cat "$work/jack_rec.log")"
  ! grep -q overruns "$work/jack_rec.log" || fail "jack_rec: $(cat "$work/jack_rec.log")"
}
# check_take FILE SECONDS MAX_LEAD_IN: the whole file after the lead-in must be the counter,
# without a single jump. scripts/jack-dummy's server is synchronous (jackd -S): a client late for
# its cycle, however loaded the machine, delays the cycle instead of being skipped, so no frame
# is ever lost between the source and the recorder.
check_take() {
  local file=$1 seconds=$2 max_lead_in=$3 status=0
  "$COUNTER_CHECK" --resync "$file" >"$work/check.json" || status=$?
  echo "counter_check: $(cat "$work/check.json")"
  [ "$status" -eq 0 ] || fail "counter_check exited $status"
  field() { jq -r "$1" "$work/check.json"; }
  local frames lead_in counter_frames
  frames=$(field .frames) lead_in=$(field .lead_in) counter_frames=$(field .counter_frames)
  [ "$frames" -eq $((seconds * rate)) ] || fail "$frames frames recorded, expected $((seconds * rate))"
  [ "$(field '.gaps | length')" -eq 0 ] || fail "silent gaps in the recording"
  [ "$(field .tail_silence)" -eq 0 ] || fail "trailing silence in the recording"
  [ "$lead_in" -le "$max_lead_in" ] || fail "lead-in of $lead_in frames, expected at most $max_lead_in"
  [ "$counter_frames" -eq $((frames - lead_in)) ] || fail "not every frame after the lead-in is the counter"
  [ "$(field '.jumps | length')" -eq 0 ] ||
    fail "counter jumps $(jq -c '[.jumps[].shift]' "$work/check.json") (jackd logged $(grep -c "JackEngine::XRun" "${RC_JACKD_LOG:?}" || true) xruns)"
  echo "ok: $counter_frames of $frames frames are the exact counter (lead-in $lead_in)"
}

echo "server $JACK_DEFAULT_SERVER (${RC_JACKD_MODE:-?}): $rate Hz, period $period"

# The source's failures are exit 1, never a hang or a silent success.
expect_exit "source without a server" 1 \
  env JACK_DEFAULT_SERVER=rc-no-such-server "$COUNTER_SOURCE" --duration 1
expect_exit "source whose --connect ports never appear" 1 \
  "$COUNTER_SOURCE" --name rc-probe --connect no-such-client:in_ --wait 0.3

# 1. jack_rec connects to the source: 2 s of the counter from its first frame on.
start_source --name rc-source
wait_for_port rc-source:out_1
expect_exit "a second source under a name in use" 1 "$COUNTER_SOURCE" --name rc-source --duration 1
record "$work/direct.wav" 2 rc-source:out_0 rc-source:out_1
stop_source
echo "ok: source stopped cleanly on SIGTERM"
check_take "$work/direct.wav" 2 $((2 * period))

# 2. The source connects itself, as the integration tests use it: jack_rec records the dummy
# capture ports (silence) until --connect finds its inputs. jack_rec's inputs are jackrec:input1/2,
# so aliases give them the names --connect PREFIX expects (PREFIX0, PREFIX1).
# jack_rec records 5 s, of which the source must fill at least the last 2 s: aliasing and starting
# the source take several JACK clients, which a loaded machine can make slow.
jack_rec -f "$work/connect.wav" -d 5 -b 32 -B 262144 system:capture_1 system:capture_2 >"$work/jack_rec.log" 2>&1 &
rec_pid=$!
wait_for_port jackrec:input2
jack_alias jackrec:input1 rc-sink:in_0
jack_alias jackrec:input2 rc-sink:in_1
start_source --name rc-connector --connect rc-sink:in_ --wait 5
status=0
wait "$rec_pid" || status=$?
if [ "$status" -ne 0 ] || grep -q overruns "$work/jack_rec.log"; then
  fail "jack_rec: exit $status: $(cat "$work/jack_rec.log")"
fi
grep -qx "connected at frame [0-9]*" "$work/source.log" || fail "source said: $(cat "$work/source.log")"
echo "ok: --connect: $(cat "$work/source.log")"
stop_source
check_take "$work/connect.wav" 5 $((3 * rate))

# 3. Device loss, as the tests that kill the server do it: the source must notice and exit 1.
start_source --name rc-orphan
wait_for_port rc-orphan:out_0
kill -TERM "${RC_JACKD_PID:?scripts/jack-dummy exports RC_JACKD_PID}"
# 20 s: what is checked is that it notices at all; an ASan build beside a TSan build once took
# more than 5 s to get there and exit (Z10).
for _ in $(seq 400); do
  kill -0 "$source_pid" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$source_pid" 2>/dev/null && fail "the source still runs 20 s after the server stopped"
status=0
wait "$source_pid" || status=$?
source_pid=""
[ "$status" -eq 1 ] || fail "the source exited $status after losing the server, expected 1"
echo "ok: source exits 1 when the server goes away ($(cat "$work/source.log"))"
