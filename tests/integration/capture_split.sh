#!/usr/bin/env bash
# capture --split and --split-size: files of exactly one second each (the last one shorter), seamless: joined,
# they are the counter exactly, with no frame lost or repeated at any seam; the report lists
# every file with its first frame and length, matching the files on disk.
source "$(dirname "$0")/lib.sh"
start_counter_source

"$RINGCORDER" capture "$WORK/take-%n.wav" --split 1 --duration 3.5 \
  --stats-json "$WORK/stats.json" --quiet || fail "capture --split exited $?"

check_eq "files" "$(json "$WORK/stats.json" '.files | length')" 4
check_eq "frames per file (report)" "$(jq -c '[.files[].frames]' "$WORK/stats.json")" \
  "[48000,48000,48000,24000]"
check_eq "first frames (report)" "$(jq -c '[.files[].first_frame]' "$WORK/stats.json")" \
  "[0,48000,96000,144000]"
for k in 1 2 3 4; do
  f="$WORK/take-00$k.wav"
  check_eq "take-00$k.wav on disk = report" "$(soxi -s "$f")" \
    "$(json "$WORK/stats.json" ".files[$((k - 1))].frames")"
done
[ ! -e "$WORK/take-005.wav" ] || fail "an empty fifth file was left"

# The seams: joined in order, the files are one unbroken counter.
sox "$WORK"/take-00{1,2,3,4}.wav "$WORK/joined.wav"
check_recording "$WORK/joined.wav" "$WORK/stats.json"
check_eq "joined frames = frames_written" "$(json "$WORK/check.json" .frames)" \
  "$(json "$WORK/stats.json" .frames_written)"
check_eq "joined frames" "$(json "$WORK/check.json" .frames)" 168000

# --split-size: no file exceeds the size; all but the last hold the same number of frames; joined
# they are the counter exactly. 150000 bytes hold about 25000 frames of 24-bit stereo (the default,
# 6 bytes a frame): 2 s make 4 files.
start_counter_source
limit=150000
"$RINGCORDER" capture "$WORK/sized.wav" --split-size $limit --duration 2 \
  --stats-json "$WORK/sized.json" --quiet || fail "capture --split-size exited $?"
n=$(json "$WORK/sized.json" '.files | length')
[ "$n" -ge 4 ] || fail "--split-size $limit over 2 s gave only $n files"
for f in $(jq -r '.files[].path' "$WORK/sized.json"); do
  size=$(stat -c %s "$f")
  [ "$size" -le $limit ] || fail "$f is $size bytes, over $limit"
done
check_eq "full files hold the same frames" \
  "$(jq '[.files[:-1][].frames] | unique | length' "$WORK/sized.json")" 1
# shellcheck disable=SC2046
sox $(jq -r '.files[].path' "$WORK/sized.json") "$WORK/sized-joined.wav"
check_recording "$WORK/sized-joined.wav" "$WORK/sized.json"
check_eq "sized: joined frames" "$(json "$WORK/check.json" .frames)" 96000
require_rt_guard_watched
