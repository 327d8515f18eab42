# tests/integration/latency_ring.sh - `latency --path ring` sends the test signal through the
# capture ring, the worker and the playback ring: it must measure the direct path (2 x period)
# plus exactly the configured buffer (underruns are noted, see below). A window that spans a
# reported underrun (silence played where the worker was late) may be off by a fraction of a
# frame; every window clear of underruns must be exact.
# Starts a server of its own for each run, so it needs none around it:
# jack-dummy: none
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
JACK_DUMMY=$HERE/../../scripts/jack-dummy

period=128
for buffer in default 256 1000; do
  args=(-p "$period" -d 3 --path ring)
  [ "$buffer" = default ] || args+=(--buffer "$buffer")
  j="$WORK/ring-$buffer.json"
  # Exit 1 with a report may be an honest verdict (judged below); anything else is a failure.
  status=0
  "$JACK_DUMMY" --period "$period" -- bash "$HERE/lib_loopback.sh" "$j" "${args[@]}" || status=$?
  [ "$status" = 0 ] || { [ "$status" = 1 ] && [ -s "$j" ]; } ||
    fail "ring path with buffer $buffer exited $status"
  # With the one-period default buffer every window may hold an underrun (below); the windows
  # then carry silence that shifts their phases, and the run may honestly say `uncertain` - but
  # only with underruns after start-up (the start's own are before any window). So may any
  # buffer in a sanitizer build (no RT_GUARD): there the worker keeps the normal priority and its
  # checked work costs 5-15 times more, and in a whole suite it fell so far behind that a 256-frame
  # buffer played mostly silence ("no signal"). The release build must measure every buffer.
  verdict=$(json "$j" .status)
  late_underruns=$(jq '[.timing.xruns[] | select(.kind == "underrun" and .time > 0.5)] | length' "$j")
  if [ "$verdict" != ok ] && [ "$late_underruns" -gt 0 ] &&
    { { [ "$buffer" = default ] && [ "$verdict" = uncertain ]; } ||
      { [ -z "${RT_GUARD:-}" ] && [[ $verdict == uncertain || $verdict == "no signal" ]]; }; }; then
    echo "note: buffer $buffer: $verdict with $(json "$j" .underrun_events) underruns: $(json "$j" .message)"
    continue
  fi
  check_eq "buffer $buffer status" "$verdict" ok
  check_eq "buffer $buffer exit" "$status" 0
  fill=$(json "$j" .buffer_frames)
  [ "$buffer" = default ] && check_eq "default buffer (one period)" "$fill" "$period"
  expected=$((2 * period + fill))
  # A window (16384 frames, ending at .time) that holds no underrun must be exact. An underrun at
  # output frame F is silence arriving back from about F + 2 x period: windows within 1024 frames
  # of that are left out. The server is synchronous, so its xrun flags lose no frame and do not
  # count. At least 10 windows in all, and 3 clear of underruns with an explicit buffer. The
  # default buffer is one period: on a loaded machine the synchronous dummy driver runs the cycle
  # after a late one at once, which leaves the worker no time, so every window may hold an
  # underrun; then nothing is left to judge, and the test says so. Windows holding an underrun
  # are `uncertain` (their phases carry the silence), so with the default buffer at least the 3
  # ok windows the verdict needs are asked for, not 10.
  # A sanitizer build (no RT_GUARD, worker at normal priority) underruns with any buffer inside
  # a suite (A2: 12 ok windows of 256 frames, not all clear): it gets the default buffer's
  # minimums; every window clear of underruns must still be exact.
  relaxed=no
  { [ "$buffer" = default ] || [ -z "${RT_GUARD:-}" ]; } && relaxed=yes
  [ "$relaxed" = yes ] && min_clear=0 || min_clear=3
  [ "$relaxed" = yes ] && min_ok=3 || min_ok=10
  clear='(.rate) as $rate
    | [.timing.xruns[] | select(.kind == "underrun")
       | [.frame + 2 * $p - 1024, .frame + .frames + 2 * $p + 1024]] as $u
    | [.measurements[] | select(.status == "ok" and .periods == 1) | (.time * $rate | round) as $window_end
       | select(all($u[]; .[1] <= $window_end - 16384 or .[0] >= $window_end)) | .frames]'
  jq -e --argjson e "$expected" --argjson p "$period" --argjson min_clear "$min_clear" \
    --argjson min_ok "$min_ok" \
    "($clear) as \$clear"' | [.measurements[] | select(.status == "ok" and .periods == 1)] as $ok
     | ($ok | length) >= $min_ok and ($clear | length) >= $min_clear
       and (.timing.xruns_not_listed // 0) == 0 and all($clear[]; (. - $e) | fabs <= 0.05)' \
    "$j" >/dev/null ||
    fail "buffer $buffer: not $expected frames: $(jq -c '[.measurements[] | [.time, .frames]], .timing.xruns' "$j")"
  judged=$(jq --argjson p "$period" "$clear | length" "$j")
  [ "$judged" -gt 0 ] || echo "note: buffer $buffer: an underrun in every window, none could be judged"
  # Underruns are the playthrough test's subject; here they are reported, not judged: with a
  # one-period buffer on this 2-core VM a late worker wake-up occasionally costs one (README).
  late=$(jq -c '[.timing.xruns[] | select(.kind == "underrun" and .time > 0.5) | [.frame, .frames]]' "$j")
  [ "$late" = "[]" ] || echo "note: underruns after start-up ([frame, frames]): $late"
  echo "ok: ring path with buffer $fill measures $(json "$j" .round_trip_frames) =" \
    "$((2 * period)) + $fill ($judged windows clear of underruns exact; worker real-time:" \
    "$(json "$j" .worker_realtime))"
done

require_rt_guard_watched
