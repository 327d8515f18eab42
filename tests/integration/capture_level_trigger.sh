#!/usr/bin/env bash
# capture --trigger-level / --hold on bursts of the counter signal with silence between (0.6 s
# on, 1 s off): every burst is one take, triggered at its first frame exactly, opening with the
# pre-roll's silence, holding the whole burst and ending after exactly --hold of quiet; triggers
# are one gate period apart, sample for sample.
source "$(dirname "$0")/lib.sh"
on=28800 off=48000 # frames at 48 kHz
start_counter_source --gate "$on,$off"

"$RINGCORDER" capture "$WORK/burst-%n.wav" --trigger-level -20 --hold 0.3 --pre-roll 0.2 \
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
  "$COUNTER_CHECK" --resync "$f" >"$WORK/check.json" || { cat "$WORK/check.json"; fail "$f: not the counter"; }
  [ "$(json "$stats" "$take.end")" = quiet ] || continue # the last may be cut by the stop
  complete=$((complete + 1))
  # Pre-roll of silence, the burst, the hold's silence: exactly.
  check_eq "take $((k + 1)): pre-roll / burst / hold frames" \
    "$(jq -c '[.lead_in, .counter_frames, .tail_silence, (.gaps | length), .errors]' "$WORK/check.json")" \
    "[9600,$on,14400,0,0]"
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
