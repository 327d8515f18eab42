#!/usr/bin/env bash
# playthrough --record --tap NAME: the tap carries what the worker processed, so a tap's copy equals
# the --record file sample for sample (both the counter), with nothing missed, and the report
# names the tap with the blocks it published.
source "$(dirname "$0")/lib.sh"

name="it-play-$$" # unique: two suites may run at once
shm="/dev/shm/ringcorder-tap-$name"
trap 'rm -f "$shm"; cleanup' EXIT

start_counter_source
# The tap's ring holds the whole run (2048 slots of a 256-frame period: 11 s), so the tap starts
# at block 0 as long as it starts within the 3-s run (once 1.8 s late beside another suite).
"$RINGCORDER" playthrough -p 256 -d 3 -q --record "$WORK/rec.wav" --tap "$name" --tap-slots 2048 \
  --stats-json "$WORK/stats.json" &
play=$!
CHILDREN+=("$play")
wait_for_file "$shm"
"$RINGCORDER" tap "$name" -o "$WORK/copy.wav" --stats-json "$WORK/tap.json" --quiet &
tap=$!
CHILDREN+=("$tap")
status=0; wait "$play" || status=$?
check_eq "playthrough exit" "$status" 0
status=0; wait "$tap" || status=$?
check_eq "tap exit" "$status" 0

jq '.capture' "$WORK/stats.json" >"$WORK/capture.json"
check_recording "$WORK/rec.wav" "$WORK/capture.json"
check_eq "tap end" "$(json "$WORK/tap.json" .end)" finished
check_eq "tap start" "$(json "$WORK/tap.json" '[.start_sequence, .first_frame] | @csv')" "0,0"
check_eq "tap missed blocks" "$(json "$WORK/tap.json" .missed_blocks)" 0
check_eq "tap blocks = published" "$(json "$WORK/tap.json" .blocks)" \
  "$(json "$WORK/capture.json" .tap.blocks_published)"
cmp -s <(sox "$WORK/rec.wav" -t f32 -) <(sox "$WORK/copy.wav" -t f32 -) ||
  fail "the tap's copy and the --record file differ"
echo "ok: the tap's copy equals the --record file sample for sample ($(soxi -s "$WORK/copy.wav") frames)"
