#!/usr/bin/env bash
# SIGUSR2 during a capture starts the next file at once, seamlessly: take.wav, then take-002.wav,
# take-003.wav; joined they are the counter exactly, and the report lists each file.
source "$(dirname "$0")/lib.sh"
start_counter_source

"$RINGCORDER" capture "$WORK/take.wav" --duration 4 --stats-json "$WORK/stats.json" --quiet &
pid=$!
CHILDREN+=("$pid")
wait_for_port "$RC_CLIENT:in_0"
wait_for_audio 48000 # 1 s of audio (lib.sh)
kill -USR2 "$pid"
wait_for_audio 96000
kill -USR2 "$pid"
wait "$pid" || fail "capture exited $?"

check_eq "files" "$(jq -c '[.files[].path | split("/") | last]' "$WORK/stats.json")" \
  '["take.wav","take-002.wav","take-003.wav"]'
total=0
for f in take.wav take-002.wav take-003.wav; do
  n=$(soxi -s "$WORK/$f")
  [ "$n" -gt 24000 ] || fail "$f holds only $n frames"
  total=$((total + n))
done
check_eq "frames in the files = frames_written" "$total" "$(json "$WORK/stats.json" .frames_written)"
check_eq "file lengths (report = disk)" "$(jq -c '[.files[].frames]' "$WORK/stats.json")" \
  "[$(soxi -s "$WORK/take.wav"),$(soxi -s "$WORK/take-002.wav"),$(soxi -s "$WORK/take-003.wav")]"
sox "$WORK/take.wav" "$WORK/take-002.wav" "$WORK/take-003.wav" "$WORK/joined.wav"
check_recording "$WORK/joined.wav" "$WORK/stats.json"
check_eq "joined frames" "$(json "$WORK/check.json" .frames)" 192000
