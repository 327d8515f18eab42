#!/usr/bin/env bash
# capture --trigger-level / --hold on bursts of the counter signal with silence between (0.6 s
# on, 1 s off): every burst is one take, triggered at its first frame exactly, opening with the
# pre-roll's silence, holding the whole burst and ending after exactly --hold of quiet; triggers
# are one gate period apart, sample for sample.
# integration/capture_level_trigger_c8: 8 channels, the bursts on channel 6 alone: a signal on one
# channel starts a take, and each take holds exactly the same in channel 6 and silence in the 7
# others (counter_check --map 0,0,0,0,0,6,0,0).
# channels: 8
source "$(dirname "$0")/lib.sh"
on=28800 off=48000 # frames at 48 kHz
only=() map=""
if [ "$CHANNELS" -ne 2 ]; then
  [ "$CHANNELS" -ge 6 ] || fail "the multichannel variant plays channel 6 alone: needs 6 or more"
  only=(--only 6)
  map=$(seq "$CHANNELS" | awk '{ printf "%s%s", (NR > 1 ? "," : ""), ($1 == 6 ? 6 : 0) }')
fi
start_counter_source --gate "$on,$off" "${only[@]}"

"$RINGCORDER" capture "$WORK/burst-%n.wav" -c "$CHANNELS" --trigger-level -20 --hold 0.3 --pre-roll 0.2 \
  --duration 5.5 --stats-json "$WORK/stats.json" --quiet || fail "capture exited $?"

stats="$WORK/stats.json"
n=$(json "$stats" '.triggered.takes | length')
[ "$n" -ge 3 ] || fail "only $n takes from 5.5 s of 1.6 s bursts"
check_eq "level dBFS in the report" "$(json "$stats" .triggered.level_dbfs)" -20
complete=0
for ((k = 0; k < n; k++)); do
  take=".triggered.takes[$k]"
  f=$(json "$stats" "$take.path")
  check_eq "take $((k + 1)): trigger" "$(json "$stats" "$take.trigger")" level
  check_eq "take $((k + 1)): frames on disk = report" "$(soxi -s "$f")" "$(json "$stats" "$take.frames")"
  check_eq "take $((k + 1)): channels" "$(soxi -c "$f")" "$CHANNELS"
  check_counter "$f" "$map"
  [ "$(json "$stats" "$take.end")" = quiet ] || continue # the last may be cut by the stop
  complete=$((complete + 1))
  # Pre-roll of silence, the burst, the hold's silence: exactly.
  check_eq "take $((k + 1)): pre-roll / burst / hold frames" \
    "$(jq -c '[.lead_in, .counter_frames, .tail_silence, (.gaps | length), .errors]' "$WORK/check.json")" \
    "[9600,$on,14400,0,0]"
  check_eq "take $((k + 1)): jumps" "$(json "$WORK/check.json" '.jumps | length')" 0
  check_eq "take $((k + 1)): pre_roll_frames" "$(json "$stats" "$take.pre_roll_frames")" 9600
  if [ "$k" -gt 0 ]; then
    check_eq "take $((k + 1)): trigger one gate period after the last" \
      "$(json "$stats" ".triggered.takes[$k].trigger_frame - .triggered.takes[$((k - 1))].trigger_frame")" \
      $((on + off))
  fi
done
[ "$complete" -ge 2 ] || fail "only $complete takes ended by quiet"
check_eq "overruns" "$(json "$stats" .overrun_frames)" 0
require_rt_guard_watched
