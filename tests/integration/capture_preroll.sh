#!/usr/bin/env bash
# capture --pre-roll with manual triggers (SIGUSR1) on the counter signal: each take is its own
# file that starts exactly pre-roll frames before its trigger and is one unbroken counter across
# the seam between the pre-roll and the live frames; a take re-armed less than a pre-roll ago
# starts exactly where the previous one ended (no frame in two files); the report's positions
# match the files (counter value minus first frame is the same for every take).
# integration/capture_preroll_c8: the same with 8 channels, every take checked in all of them (the
# pre-roll ring and the seam carry frames of C channels).
# channels: 8
source "$(dirname "$0")/lib.sh"
start_counter_source

# --duration 10: the last trigger is sent at 6.6 s of the source's audio, counted from its
# connection, which may come well after the capture's timeline began on a loaded machine (Z7, a
# suite beside two builds and a benchmark: the run's 8 s ended before take 3's trigger).
"$RINGCORDER" capture "$WORK/take.wav" -c "$CHANNELS" --pre-roll 1 --duration 10 \
  --stats-json "$WORK/stats.json" --quiet &
pid=$!
CHILDREN+=("$pid")
wait_for_port "$RC_CLIENT:in_0"
started=$(date +%s.%N)
# Audio time, not wall-clock time (lib.sh, wait_for_audio): the source's frames since it connected.
# Each signal lands some time after its audio position (this script's polling, the capture's
# 100-ms watch tick): every step leaves a second of audio for that. (With a 0.5-s pre-roll and
# take 3 sent 0.2 s after take 2's end, a ThreadSanitizer run beside a second suite applied it
# 0.62 s after: a full pre-roll, rightly, and the test failed.)
wait_for_audio 96000 && kill -USR1 $pid  # take 1 starts: armed for 2 s, so a full pre-roll
wait_for_audio 144000 && kill -USR1 $pid # take 1 ends
wait_for_audio 264000 && kill -USR1 $pid # take 2 starts 2.5 s after the re-arm: full pre-roll
wait_for_audio 312000 && kill -USR1 $pid # take 2 ends
wait_for_audio 316800 && kill -USR1 $pid # take 3, 0.1 s later: pre-roll stops at take 2's end
wait $pid || fail "capture exited $?"
ended=$(date +%s.%N)

stats="$WORK/stats.json"
[ "$(json "$stats" '.triggered.takes | length')" = 3 ] ||
  echo "the takes: $(jq -c '[.triggered.takes[] | {first_frame, frames, trigger, end}]' "$stats"), the source: $(cat "$WORK/source.log")" >&2
check_eq "takes" "$(json "$stats" '.triggered.takes | length')" 3
check_eq "triggers" "$(jq -c '[.triggered.takes[].trigger]' "$stats")" '["SIGUSR1","SIGUSR1","SIGUSR1"]'
check_eq "ends" "$(jq -c '[.triggered.takes[].end]' "$stats")" '["SIGUSR1","SIGUSR1","stop"]'
check_eq "pre-roll frames of takes 1 and 2" \
  "$(jq -c '[.triggered.takes[:2][].pre_roll_frames]' "$stats")" "[48000,48000]"
check_eq "take 3 starts where take 2 ended" "$(json "$stats" '.triggered.takes[2].first_frame')" \
  "$(json "$stats" '.triggered.takes[1].first_frame + .triggered.takes[1].frames')"
check_eq "overruns" "$(json "$stats" .overrun_frames)" 0
check_eq "channels in the report" "$(json "$stats" .channels)" "$CHANNELS"

offsets=()
for k in 0 1 2; do
  f=$(json "$stats" ".triggered.takes[$k].path")
  check_eq "take $((k + 1)): frames on disk = report" "$(soxi -s "$f")" \
    "$(json "$stats" ".triggered.takes[$k].frames")"
  check_eq "take $((k + 1)): channels" "$(soxi -c "$f")" "$CHANNELS"
  check_recording "$f" "$stats" # the counter in every channel
  check_eq "take $((k + 1)): lead-in / gaps / errors" \
    "$(jq -c '[.lead_in, (.gaps | length), .errors]' "$WORK/check.json")" "[0,0,0]"
  first=$(json "$stats" ".triggered.takes[$k].first_frame")
  offsets+=($((($(json "$WORK/check.json" .first_counter) - first + 16777216) % 16777216)))
  t=$(json "$stats" ".triggered.takes[$k].trigger_unix_s")
  awk -v t="$t" -v a="$started" -v b="$ended" 'BEGIN { exit !(t >= a && t <= b) }' ||
    fail "take $((k + 1)): trigger time $t not within the run ($started .. $ended)"
done
# The counter value of each file's first frame, minus the frame the report says it is, is the
# counter at timeline frame 0: the same for every take.
check_eq "counter at frame 0, as seen from each take" "${offsets[*]}" \
  "${offsets[0]} ${offsets[0]} ${offsets[0]}"
require_rt_guard_watched
