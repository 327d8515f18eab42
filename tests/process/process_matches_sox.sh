#!/usr/bin/env bash
# For the effects ringcorder shares with sox, `ringcorder process` matches sox's output for the
# same command on a float file within 1e-5 (largest absolute sample difference).
source "$(dirname "$0")/../integration/lib.sh"
input="$ASSETS/tones-noise-stereo-float.wav"

chains=(
  "gain -3"
  "highpass 80"
  "highpass 200 0.5q"
  "highpass -1 300"
  "lowpass 15000"
  "lowpass 1k 2o"
  "lowpass 2000 500h"
  "equalizer 1000 1q 3"
  "equalizer 440 100h -6"
  "equalizer 3k 0.5o 4"
  "bass 6"
  "bass -4 200 0.7s"
  "treble 3 5000"
  "treble -6 4k 1q"
  "gain -3 highpass 80 equalizer 1000 1q 3 lowpass 15000"
)
for chain in "${chains[@]}"; do
  # shellcheck disable=SC2086 # the chain is meant to split into words
  sox "$input" "$WORK/sox.wav" $chain
  # shellcheck disable=SC2086
  "$RINGCORDER" process --quiet "$input" "$WORK/rc.wav" $chain --force
  diff=$("$AUDIO_DIFF" "$WORK/sox.wav" "$WORK/rc.wav" | jq -r .max_abs_diff) || fail "$chain: shapes differ"
  awk -v d="$diff" 'BEGIN { exit !(d <= 1e-5) }' || fail "$chain: max difference $diff > 1e-5"
  echo "ok: $chain: max |ringcorder - sox| = $diff"
done
