#!/usr/bin/env bash
# capture records a counter signal sample-exact: no frame lost, duplicated or moved, and
# frames_written matches the requested duration. Also to FLAC at period 64.
source "$(dirname "$0")/lib.sh"

for spec in "wav:0" "flac:64"; do
  start_counter_source
  ext=${spec%%:*}
  period=${spec##*:}
  out="$WORK/take.$ext"
  args=(capture "$out" --duration 3 --stats-json "$WORK/stats.json" --quiet)
  [ "$period" = 0 ] || args+=(--period "$period")
  "$RINGCORDER" "${args[@]}" || fail "capture to $ext exited $?"
  check_recording "$out" "$WORK/stats.json"
  check_eq "$ext frames_written" "$(json "$WORK/stats.json" .frames_written)" 144000
  check_eq "$ext frames_captured" "$(json "$WORK/stats.json" .frames_captured)" 144000
  check_eq "$ext overrun_frames" "$(json "$WORK/stats.json" .overrun_frames)" 0
  check_eq "$ext file frames" "$(json "$WORK/check.json" .frames)" 144000
  check_eq "$ext gaps" "$(json "$WORK/check.json" '.gaps | length')" 0
  check_eq "$ext tail silence" "$(json "$WORK/check.json" .tail_silence)" 0
  counted=$(( $(json "$WORK/check.json" .counter_frames) + $(json "$WORK/check.json" .errors) ))
  [ "$counted" -gt 100000 ] || fail "$ext: only $counted frames of the counter (source connected late?)"
  echo "ok: $ext counter frames $counted (lead-in $(json "$WORK/check.json" .lead_in))"
done

# The effect chain runs live on the worker: record with "swap", swap back offline, and the
# counter must again be exact. A file-only effect is refused as a usage error.
start_counter_source
"$RINGCORDER" capture "$WORK/swapped.wav" --duration 2 --quiet --stats-json "$WORK/stats.json" swap ||
  fail "capture with swap exited $?"
check_eq "effects in the report" "$(json "$WORK/stats.json" .effects)" "swap"
"$RINGCORDER" process --quiet "$WORK/swapped.wav" "$WORK/unswapped.wav" swap
check_recording "$WORK/unswapped.wav" "$WORK/stats.json"
echo "ok: live swap + offline swap give the exact counter back"
status=0
"$RINGCORDER" capture "$WORK/norm.wav" --duration 1 --quiet norm 2>"$WORK/err.txt" || status=$?
check_eq "norm live: exit code" "$status" 2
grep -q "files only" "$WORK/err.txt" || fail "norm live: unclear message: $(cat "$WORK/err.txt")"

require_rt_guard_watched
