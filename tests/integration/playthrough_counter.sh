# tests/integration/playthrough_counter.sh - the counter signal played through ringcorder
# (input -> capture ring -> worker -> playback ring -> output) arrives at a JACK recorder with a
# constant delay: after the lead-in, every frame in order, none lost or repeated (host xruns,
# which PortAudio flags, are the only allowance, as in capture tests). The --record file holds
# the counter exactly, the report counts no underrun after start-up, and --html writes a page.
source "$(dirname "$0")/lib.sh"

start_counter_source
"$RINGCORDER" playthrough -p 256 -t 6 -q --record "$WORK/rec.wav" -e 32 \
  --stats-json "$WORK/stats.json" --html "$WORK/report.html" &
rc_pid=$!
CHILDREN+=("$rc_pid")
wait_for_port ringcorder:out_1
# jack_rec connects itself to ringcorder's outputs: 4 s of what ringcorder plays.
jack_rec -f "$WORK/out.wav" -d 4 -b 32 ringcorder:out_0 ringcorder:out_1 >"$WORK/jack_rec.log" 2>&1 ||
  fail "jack_rec: $(cat "$WORK/jack_rec.log")"
! grep -q overruns "$WORK/jack_rec.log" || fail "jack_rec overran: $(cat "$WORK/jack_rec.log")"
wait "$rc_pid" || fail "playthrough exited $?"

# What was played: silence (priming, before the source connected), then the counter unbroken.
"$COUNTER_CHECK" --resync "$WORK/out.wav" >"$WORK/out-check.json" ||
  { cat "$WORK/out-check.json"; fail "the played signal is not the counter"; }
jumps=$(json "$WORK/out-check.json" '.jumps | length')
flags=$(jq '.capture.input_overflow_flags + .playback.output_underflow_flags' "$WORK/stats.json")
[ "$jumps" -le "$flags" ] ||
  fail "played signal: $jumps jumps but only $flags host xruns: $(cat "$WORK/out-check.json")"
frames=$(json "$WORK/out-check.json" .counter_frames)
[ "$frames" -ge 150000 ] || fail "only $frames counter frames played"
echo "ok: $frames counter frames played in order ($jumps host-xrun jumps, $flags flagged)"

# The recording holds what the worker processed (all capture guarantees).
jq '.capture' "$WORK/stats.json" >"$WORK/capture.json"
check_recording "$WORK/rec.wav" "$WORK/capture.json"
echo "ok: --record file holds the counter"

# Underruns after start-up: none, except as many as the host's own xruns (flagged) explain.
late=$(jq '[.timing.xruns[] | select(.kind == "underrun" and .time > 0.5)] | length' "$WORK/stats.json")
[ "$late" -le "$flags" ] || fail "$late underruns after start-up, only $flags host xruns"
echo "ok: $late underruns after start-up ($flags host xruns flagged)"
check_eq "buffer (default: one period)" "$(json "$WORK/stats.json" .playback.buffer_frames)" 256
grep -q '<svg' "$WORK/report.html" || fail "no chart in the HTML report"
! grep -q 'http' "$WORK/report.html" || fail "the HTML report refers to the network"

require_rt_guard_watched
