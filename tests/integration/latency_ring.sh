# tests/integration/latency_ring.sh - `latency --path ring` sends the test signal through the
# capture ring, the worker and the playback ring: it must measure the direct path (2 x period)
# plus exactly the configured buffer, and play without underruns once started. A window that
# spans a reported glitch may be off by a fraction of a frame; only those are tolerated. (A host xrun
# while JACK settles the new connection can cost one period at the very start; the report lists
# it with its time, and the test allows underruns only in the first half second.)
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
JACK_DUMMY=$HERE/../../scripts/jack-dummy

period=128
for buffer in default 256 1000; do
  args=(-p "$period" -t 3 --path ring)
  [ "$buffer" = default ] || args+=(-b "$buffer")
  j="$WORK/ring-$buffer.json"
  "$JACK_DUMMY" --period "$period" -- bash "$HERE/lib_loopback.sh" "$j" "${args[@]}" ||
    fail "ring path with buffer $buffer exited $?"
  check_eq "buffer $buffer status" "$(json "$j" .status)" ok
  fill=$(json "$j" .buffer_frames)
  [ "$buffer" = default ] && check_eq "default buffer (one period)" "$fill" "$period"
  expected=$((2 * period + fill))
  # Every window is exact unless the run reported a glitch (an underrun or host xrun inside a
  # window shifts part of it); then at least 80 % must still be exact.
  jq -e --argjson e "$expected" \
    '[.measurements[] | select(.status == "ok") | .frames] as $f
     | [$f[] | select((. - $e) | fabs <= 0.05)] as $exact
     | ($f | length) >= 10 and (($exact | length) == ($f | length)
       or ((.timing.xruns | length) > 0 and ($exact | length) >= 0.8 * ($f | length)))' \
    "$j" >/dev/null ||
    fail "buffer $buffer: not $expected frames: $(jq -c '[.measurements[].frames], .timing.xruns' "$j")"
  late=$(jq '[.timing.xruns[] | select(.kind == "underrun" and .time > 0.5)] | length' "$j")
  check_eq "buffer $buffer: underruns after start-up" "$late" 0
  echo "ok: ring path with buffer $fill measures $(json "$j" .round_trip_frames) =" \
    "$((2 * period)) + $fill (worker real-time: $(json "$j" .worker_realtime))"
done
