#!/usr/bin/env bash
# stat and stats print what sox 14.4.2 prints: for each case, `sox -q IN OUT CHAIN` and
# `ringcorder process -q IN OUT CHAIN` write the same text to stderr, byte for byte (the same
# labels, spacing and figures to sox's printed precision). Cases: the three assets (mono 16-bit,
# stereo float, six channels 24-bit) with each option, and files sox makes that reach sox's
# corners: clipped (flat factor), 8-bit unsigned and mu-law (stat's guess at the encoding),
# digital silence (-inf dB, bit depth 0/0), shorter than the stats window, a full-scale square
# (stat's "Try:"). The audio passes through unchanged, and the JSON report holds the figures.
source "$(dirname "$0")/../integration/lib.sh"

# same_text LABEL INPUT CHAIN: sox's and ringcorder's stderr for CHAIN on INPUT are identical.
cases=0 lines=0
same_text() {
  local label=$1 input=$2 chain=$3
  # shellcheck disable=SC2086 # the chain is meant to split into words
  sox -q "$input" "$WORK/sox.wav" $chain 2>"$WORK/sox.txt" || fail "$label: sox failed"
  # shellcheck disable=SC2086
  "$RINGCORDER" process -q -f "$input" "$WORK/rc.wav" $chain 2>"$WORK/rc.txt" ||
    fail "$label: ringcorder failed: $(cat "$WORK/rc.txt")"
  [ -s "$WORK/sox.txt" ] || fail "$label: sox printed nothing, so this compares nothing"
  diff -u "$WORK/sox.txt" "$WORK/rc.txt" >&2 || fail "$label: the text differs from sox's"
  cases=$((cases + 1)) lines=$((lines + $(wc -l <"$WORK/sox.txt")))
  echo "ok: $label: $(wc -l <"$WORK/sox.txt") lines identical"
}

options=(
  "stat"
  "stat -v"
  "stat -s 1"
  "stat -s 32768 -rms"
  "stat -rms"
  "stats"
  "stats -w 0.01"
  "stats -w 1"
  "stats -b 16"
  "stats -b24"
  "stats -x 16 -w 0.1"
  "stats -s 50"
  "stats -s -2"
  "stat stats"
)
for asset in speech-silence-mono16 tones-noise-stereo-float six-channels-24; do
  for chain in "${options[@]}"; do same_text "$asset: $chain" "$ASSETS/$asset.wav" "$chain"; done
done

# Analysis after other effects and between them: the figures are of the audio at that point.
stereo="$ASSETS/tones-noise-stereo-float.wav"
# Before a measured gain (norm, gain -n) they run once, in its measuring pass, whose output the
# gain then replays: their figures must survive that.
for chain in "gain -6 stats" "trim 0.5 1 stat" "stats trim 0.5 stats -w 0.2" "norm -3 stat" \
  "remix - stats" "channels 1 stat" "stat stat -rms" "stat norm -3" "gain -3 stats gain -n" \
  "stats gain -e stat"; do
  same_text "stereo float: $chain" "$stereo" "$chain"
done

# Files that reach sox's corners.
sox "$ASSETS/speech-silence-mono16.wav" "$WORK/clipped16.wav" gain 12 2>/dev/null
sox "$stereo" -b 8 "$WORK/unsigned8.wav"
sox "$stereo" -e mu-law "$WORK/mulaw.wav"
sox -D -n -r 8000 -b 16 "$WORK/silence.wav" trim 0 1
sox -n -r 8000 -b 16 "$WORK/short.wav" synth 0.1 sine 300
sox -n -r 44100 -b 16 "$WORK/square.wav" synth 1 square 100 gain -0.5
sox -n -r 44100 -e float -b 32 "$WORK/float-square.wav" synth 0.5 square 100 sine 200
sox "$stereo" -b 32 "$WORK/int32.wav"
for file in clipped16 unsigned8 mulaw silence short square float-square int32; do
  for chain in "stat" "stats" "stats -x 8" "stat -v"; do
    same_text "$file: $chain" "$WORK/$file.wav" "$chain"
  done
done
echo "ok: $cases cases, $lines lines, all identical to sox's"

# The audio passes through unchanged (float in, float out).
"$RINGCORDER" process -q -f "$stereo" "$WORK/rc.wav" stat stats 2>/dev/null
diff=$("$AUDIO_DIFF" "$stereo" "$WORK/rc.wav" | jq -r .max_abs_diff)
[ "$diff" = 0 ] || fail "stat stats changed the audio: max difference $diff"

# The JSON report holds the same figures: one entry per analysis effect, in chain order.
"$RINGCORDER" process -q -f "$stereo" "$WORK/rc.wav" stat stats -w 0.1 \
  --stats-json "$WORK/report.json" 2>/dev/null
jq -e '.files[0].analyses | length == 2 and .[0].effect == "stat" and .[1].effect == "stats -w 0.1"
  and .[0].stat.samples == 192000 and .[0].stat.rough_frequency == 10763
  and (.[1].stats.channels | length == 2) and .[1].stats.overall.crest_factor == null
  and .[1].stats.overall.bit_depth == [24, 25] and .[1].stats.samples == 96000
  and ((.[1].stats.overall.peak_db * 100 | round) == -1019)' "$WORK/report.json" >/dev/null ||
  fail "the JSON report's figures: $(jq -c '.files[0].analyses' "$WORK/report.json")"
echo "ok: the JSON report holds the figures"
