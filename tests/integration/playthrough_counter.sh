# tests/integration/playthrough_counter.sh - the counter signal played through ringcorder
# (input -> capture ring -> worker -> playback ring -> output) arrives at a JACK recorder with a
# constant delay: after the lead-in, every frame in order, none lost, repeated or moved; silence
# only where the report lists an underrun, of exactly its length (a late frame is skipped, so the
# counter resumes at its own position). The --record file holds the counter exactly, and --html
# writes a page. The server is synchronous, so the host loses no cycle (no counter jump at all).
source "$(dirname "$0")/lib.sh"

start_counter_source
"$RINGCORDER" playthrough -p 256 -d 6 -q --record "$WORK/rec.wav" -e 32 \
  --stats-json "$WORK/stats.json" --html "$WORK/report.html" &
rc_pid=$!
CHILDREN+=("$rc_pid")
wait_for_port "$RC_CLIENT:out_1"
# jack_rec connects itself to ringcorder's outputs: 4 s of what ringcorder plays. Its disk thread
# gets a buffer of 5 s (-B, frames), so a busy machine cannot make the recorder itself overrun.
jack_rec -f "$WORK/out.wav" -d 4 -b 32 -B 262144 "$RC_CLIENT:out_0" "$RC_CLIENT:out_1" \
  >"$WORK/jack_rec.log" 2>&1 ||
  fail "jack_rec: $(cat "$WORK/jack_rec.log")"
! grep -q overruns "$WORK/jack_rec.log" || fail "jack_rec overran: $(cat "$WORK/jack_rec.log")"
wait "$rc_pid" || fail "playthrough exited $?"

# What was played: silence (priming, before the source connected), then the counter unbroken.
"$COUNTER_CHECK" --resync "$WORK/out.wav" >"$WORK/out-check.json" ||
  { cat "$WORK/out-check.json"; fail "the played signal is not the counter"; }
check_eq "played signal: counter jumps" "$(json "$WORK/out-check.json" '.jumps | length')" 0
# Silence inside the played counter: each run is an underrun the report lists, of its length.
gaps=$(jq -c '[.gaps[].frames]' "$WORK/out-check.json")
underruns=$(jq -c '[.playback.underruns[].frames]' "$WORK/stats.json")
jq -e --argjson g "$gaps" --argjson u "$underruns" \
  '($g | length) <= ($u | length) and ($g - $u) == []' -n >/dev/null ||
  fail "played signal: silent runs $gaps not all reported underruns $underruns"
frames=$(json "$WORK/out-check.json" .counter_frames)
[ "$frames" -ge 150000 ] || fail "only $frames counter frames played"
echo "ok: $frames counter frames played in order (silent runs $gaps, reported underruns $underruns)"

# The recording holds what the worker processed (all capture guarantees).
jq '.capture' "$WORK/stats.json" >"$WORK/capture.json"
check_recording "$WORK/rec.wav" "$WORK/capture.json"
echo "ok: --record file holds the counter"

# Underruns after start-up (a worker woken late with a one-period buffer) are reported, and the
# check above proves each was played as silence of its length; they are not judged here.
late=$(jq '[.timing.xruns[] | select(.kind == "underrun" and .time > 0.5)] | length' "$WORK/stats.json")
echo "ok: $late underrun(s) after start-up"
check_eq "buffer (default: one period)" "$(json "$WORK/stats.json" .playback.buffer_frames)" 256
grep -q '<svg' "$WORK/report.html" || fail "no chart in the HTML report"
! grep -q 'http' "$WORK/report.html" || fail "the HTML report refers to the network"

require_rt_guard_watched
