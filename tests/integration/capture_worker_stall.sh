#!/usr/bin/env bash
# A stalled worker overruns a small ring: the report counts exactly the frames missing, and the
# file holds silence of exactly that length at exactly that place, the counter resuming after it.
source "$(dirname "$0")/lib.sh"
start_counter_source

out="$WORK/stall.wav"
"$RINGCORDER" capture "$out" --duration 4 --ring 8192 --test-stall 48000,1500 \
  --stats-json "$WORK/stats.json" --quiet || fail "capture exited $?"
check_recording "$out" "$WORK/stats.json"
cat "$WORK/check.json"

dropped=$(json "$WORK/stats.json" .overrun_frames)
[ "$dropped" -gt 30000 ] || fail "expected a large overrun from a 1.5 s stall, got $dropped frames"
check_eq "frames_written" "$(json "$WORK/stats.json" .frames_written)" 192000
check_eq "overrun events" "$(json "$WORK/stats.json" .overrun_events)" "$(json "$WORK/stats.json" '.overruns | length')"
check_eq "silence in file = frames dropped" "$(json "$WORK/check.json" '[.gaps[].frames] | add')" "$dropped"
check_eq "gap positions" "$(jq -c '[.gaps[] | .frame]' "$WORK/check.json")" \
  "$(jq -c '[.overruns[] | .frame]' "$WORK/stats.json")"
check_eq "gap lengths" "$(jq -c '[.gaps[] | .frames]' "$WORK/check.json")" \
  "$(jq -c '[.overruns[] | .frames]' "$WORK/stats.json")"
