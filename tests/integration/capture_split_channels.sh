#!/usr/bin/env bash
# capture --split-channels writes a mono file per channel, all sample-aligned: 8 channels of
# the multichannel counter give 8 files, file k exactly counter channel k; with --split 1 too,
# every split file is 8 mono files (take-K-NNN.wav: the channel, then the number as --split
# adds it), joined they are the take. The report lists every file.
# jack-dummy: --ports 8
source "$(dirname "$0")/lib.sh"

# check_channel FILE K: FILE (mono) is exactly channel K (from 1) of the counter.
check_channel() {
  "$COUNTER_CHECK" --channels 1 --map "$2" "$1" >"$WORK/one.json" ||
    { cat "$WORK/one.json"; fail "$1: not counter channel $2"; }
}

start_counter_source --ports 8
"$RINGCORDER" capture "$WORK/mic-%c.wav" -c 8 --split-channels -d 2 -q --stats-json "$WORK/one.json.stats" ||
  fail "capture --split-channels exited $?"
for k in 1 2 3 4 5 6 7 8; do
  check_eq "channel $k: a mono file" "$(soxi -c "$WORK/mic-$k.wav")" 1
  check_eq "channel $k: its length" "$(soxi -s "$WORK/mic-$k.wav")" 96000
  check_channel "$WORK/mic-$k.wav" "$k"
done
check_eq "the report lists the channel files" \
  "$(jq -r '.files[0].channel_paths | length' "$WORK/one.json.stats")" 8
echo "ok: 8 mono files, each exactly its channel"

# With --split 1: 2 files of 8 channels each, numbered, joined they are the take.
start_counter_source --ports 8
"$RINGCORDER" capture "$WORK/take.wav" -c 8 --split-channels --split 1 -d 2 -q \
  --stats-json "$WORK/split.json" || fail "capture --split --split-channels exited $?"
check_eq "split files" "$(jq -r '.files | length' "$WORK/split.json")" 2
for k in 1 2 3 4 5 6 7 8; do
  sox "$WORK/take-$k-001.wav" "$WORK/take-$k-002.wav" "$WORK/joined-$k.wav" 2>/dev/null
  check_eq "channel $k joined" "$(soxi -s "$WORK/joined-$k.wav")" 96000
  check_channel "$WORK/joined-$k.wav" "$k"
done
echo "ok: split files of split channels join seamlessly, every channel exact"

require_rt_guard_watched
