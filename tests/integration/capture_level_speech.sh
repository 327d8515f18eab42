#!/usr/bin/env bash
# capture --trigger-level on the bundled speech asset (two sentences, 1.5 s of silence between),
# played into the JACK dummy server: two takes, one per sentence, each found sample for sample
# in the played file (pre-roll, speech and hold all exact), at the timeline positions the report
# gives (played-file offset minus first frame is the same for both takes).
source "$(dirname "$0")/lib.sh"
: "${AUDIO_FIND:?}"

# The asset at the server's rate with silence around it, so the pre-roll and the hold lie inside;
# 24-bit, so that every sample is exact in the takes' default encoding (24-bit PCM).
sox "$ASSETS/speech-silence-mono16.wav" -r 48000 -e signed-integer -b 24 -c 2 \
  "$WORK/speech48.wav" pad 1 3
start_counter_source --file "$WORK/speech48.wav"

"$RINGCORDER" capture "$WORK/speech.wav" --trigger-level -30dB --hold 0.5 --pre-roll 0.25 \
  --duration 11.5 --stats-json "$WORK/stats.json" --quiet || fail "capture exited $?"

stats="$WORK/stats.json"
check_eq "takes (one per sentence)" "$(json "$stats" '.triggered.takes | length')" 2
check_eq "triggers and ends" "$(jq -c '[.triggered.takes[] | [.trigger, .end]]' "$stats")" \
  '[["level","quiet"],["level","quiet"]]'
check_eq "pre-roll frames" "$(jq -c '[.triggered.takes[].pre_roll_frames]' "$stats")" "[12000,12000]"
shifts=()
for k in 0 1; do
  f=$(json "$stats" ".triggered.takes[$k].path")
  check_eq "take $((k + 1)): frames on disk = report" "$(soxi -s "$f")" \
    "$(json "$stats" ".triggered.takes[$k].frames")"
  "$AUDIO_FIND" "$f" "$WORK/speech48.wav" >"$WORK/find.json" ||
    fail "take $((k + 1)) is not, sample for sample, a stretch of the played file"
  offset=$(json "$WORK/find.json" .offset)
  echo "ok: take $((k + 1)) = played file from frame $offset"
  shifts+=($((offset - $(json "$stats" ".triggered.takes[$k].first_frame"))))
done
check_eq "played-file frame minus timeline frame, both takes" "${shifts[1]}" "${shifts[0]}"
check_eq "overruns" "$(json "$stats" .overrun_frames)" 0
require_rt_guard_watched
