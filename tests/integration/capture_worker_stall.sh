#!/usr/bin/env bash
# A stalled worker overruns a small ring: the report counts exactly the frames missing, and the
# file holds silence of exactly that length at exactly that place, the counter resuming after it.
# The stall is wall time, but a synchronous server under load plays audio slower than the clock
# (0.43 s of audio per second beside two busy loops; less in a sanitizer build beside another
# suite), so the overrun's size is not known in advance: 2 s of stall overruns the 8192-frame ring
# even at a tenth of real time, and the checks below hold for any size. The stall ends before the
# 6 s (of audio) do, so the counter resumes after the gap.
source "$(dirname "$0")/lib.sh"
start_counter_source

out="$WORK/stall.wav"
"$RINGCORDER" capture "$out" --duration 6 --ring 8192 --test-stall 48000,2000 \
  --stats-json "$WORK/stats.json" --quiet || fail "capture exited $?"
check_recording "$out" "$WORK/stats.json"
cat "$WORK/check.json"

dropped=$(json "$WORK/stats.json" .overrun_frames)
[ "$dropped" -gt 0 ] || fail "a 2 s stall of the worker did not overrun the 8192-frame ring"
check_eq "frames_written" "$(json "$WORK/stats.json" .frames_written)" 288000
check_eq "overrun events" "$(json "$WORK/stats.json" .overrun_events)" "$(json "$WORK/stats.json" '.overruns | length')"
check_eq "silence in file = frames dropped" "$(json "$WORK/check.json" '[.gaps[].frames] | add')" "$dropped"
check_eq "gap positions" "$(jq -c '[.gaps[] | .frame]' "$WORK/check.json")" \
  "$(jq -c '[.overruns[] | .frame]' "$WORK/stats.json")"
check_eq "gap lengths" "$(jq -c '[.gaps[] | .frames]' "$WORK/check.json")" \
  "$(jq -c '[.overruns[] | .frames]' "$WORK/stats.json")"
