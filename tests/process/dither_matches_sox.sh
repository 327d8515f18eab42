#!/usr/bin/env bash
# `dither` without BITS is sox's: its target is the output's depth, and it has no effect (sox:
# "has no effect in this configuration") when the samples reaching it are no deeper than that or
# the target is above 24 bits. Where sox's has no effect, ringcorder's output is sox's exactly;
# where it dithers, the noise differs (another generator), so its level is compared: the power
# the dither adds to out - in (against the same command undithered, sox -D, --no-dither), TPDF of
# +-1 LSB: 1/6 LSB^2 (RMS 0.408 LSB). (out - in itself is not compared: ringcorder's 16-bit
# writer truncates where sox rounds, 0.577 LSB RMS undithered against sox's 0.289.)
source "$(dirname "$0")/../integration/lib.sh"
float="$ASSETS/tones-noise-stereo-float.wav"
sox "$float" -b 16 "$WORK/in16.wav" 2>/dev/null # (sox dithers this conversion itself)
sox "$float" -b 24 "$WORK/in24.wav" 2>/dev/null

# run LABEL INPUT FORMAT_ARGS... -- CHAIN...: sox and ringcorder write $WORK/sox.wav and
# $WORK/rc.wav; sox's -V3 messages in $WORK/sox.err, ringcorder's in $WORK/rc.err.
run() {
  local label=$1 input=$2 format=() chain
  shift 2
  while [ "$1" != -- ]; do format+=("$1") && shift; done
  shift
  chain=("$@")
  last_input=$input last_format=("${format[@]}") last_before=()
  local word
  for word in "${chain[@]}"; do [ "$word" = dither ] && break; last_before+=("$word"); done
  sox -V3 "$input" "${format[@]}" "$WORK/sox.wav" "${chain[@]}" 2>"$WORK/sox.err" ||
    fail "$label: sox failed: $(cat "$WORK/sox.err")"
  "$RINGCORDER" process -V3 --force "$input" "${format[@]}" "$WORK/rc.wav" "${chain[@]}" \
    >/dev/null 2>"$WORK/rc.err" || fail "$label: ringcorder failed: $(cat "$WORK/rc.err")"
  check_eq "$label: format" "$(format_of "$WORK/rc.wav")" "$(format_of "$WORK/sox.wav")"
}

# format_of FILE: its type, rate, channels, bits, encoding and length in samples.
format_of() {
  local option
  for option in -t -r -c -b -e -s; do soxi "$option" "$1"; done | tr '\n' ' '
}

check_eq() { [ "$2" = "$3" ] || fail "$1: '$2', expected '$3'"; }

# exact LABEL [TOLERANCE]: ringcorder's output is sox's, sample for sample (within TOLERANCE when
# an effect before the dither rounds otherwise than sox's integers), and sox reported its dither
# as having no effect; ringcorder's chain does not list it either.
exact() {
  local diff tolerance=${2:-0}
  grep -q "dither: has no effect in this configuration" "$WORK/sox.err" ||
    fail "$1: sox's dither had an effect, so this compares nothing of its rule"
  diff=$("$AUDIO_DIFF" "$WORK/sox.wav" "$WORK/rc.wav" | jq -r .max_abs_diff) ||
    fail "$1: shapes differ"
  awk -v d="$diff" -v t="$tolerance" 'BEGIN { exit !(d <= t) }' ||
    fail "$1: max |ringcorder - sox| = $diff > $tolerance"
  ! grep -q "effects chain: dither" "$WORK/rc.err" || fail "$1: ringcorder ran its dither"
  echo "ok: $1: the input unchanged, as sox's (no effect)"
}

# power_lsb A B BITS: the mean square of A - B, in LSB^2 at BITS.
power_lsb() {
  sox -m -v 1 "$1" -v -1 "$2" -n stats 2>&1 |
    awk -v b="$3" '/^RMS lev dB/ { printf "%.4f", 10 ^ ($4 / 10) * 4 ^ (b - 1) }'
}

# dithered LABEL REFERENCE BITS: both dithered to BITS, the last run's command: the power each
# dither adds to out - REFERENCE (the same command undithered as the baseline) is 1/6 LSB^2
# within 5 %, the two within 5 % of each other; ringcorder lists its dither.
dithered() {
  local rc sx rc_nd sx_nd
  ! grep -q "dither: has no effect" "$WORK/sox.err" || fail "$1: sox's dither had no effect"
  grep -q "effects chain: dither" "$WORK/rc.err" || fail "$1: ringcorder did not dither"
  "$AUDIO_DIFF" "$WORK/sox.wav" "$WORK/rc.wav" >/dev/null || fail "$1: shapes differ"
  sox -D "$last_input" "${last_format[@]}" "$WORK/sox_nd.wav" "${last_before[@]}"
  "$RINGCORDER" process -q --force --no-dither "$last_input" "${last_format[@]}" \
    "$WORK/rc_nd.wav" "${last_before[@]}"
  rc=$(power_lsb "$WORK/rc.wav" "$2" "$3") rc_nd=$(power_lsb "$WORK/rc_nd.wav" "$2" "$3")
  sx=$(power_lsb "$WORK/sox.wav" "$2" "$3") sx_nd=$(power_lsb "$WORK/sox_nd.wav" "$2" "$3")
  read -r rc sx < <(awk -v a="$rc" -v b="$rc_nd" -v c="$sx" -v d="$sx_nd" \
    'BEGIN { printf "%.4f %.4f\n", a - b, c - d }')
  awk -v r="$rc" -v s="$sx" 'BEGIN { t = 1 / 6; exit !(r > 0.95 * t && r < 1.05 * t &&
    s > 0.95 * t && s < 1.05 * t && r / s > 0.95 && r / s < 1.05) }' ||
    fail "$1: power the dither adds: ringcorder $rc LSB^2, sox $sx LSB^2 (expected 1/6 each)"
  echo "ok: $1: the dither adds $rc LSB^2 to out - in, sox's $sx LSB^2 (TPDF +-1 LSB: 0.1667)"
}

run "float to float" "$float" -- dither
exact "float to float"
# (gain -3 alone is within 1e-7 of sox's: float against sox's integers.)
run "float to float, gain first" "$float" -- gain -3 dither
exact "float to float, gain first" 1e-7
cp "$WORK/rc.wav" "$WORK/gain_dither.wav"
"$RINGCORDER" process -q --force "$float" "$WORK/gain.wav" gain -3
check_eq "float to float: gain -3 dither is gain -3" \
  "$("$AUDIO_DIFF" "$WORK/gain.wav" "$WORK/gain_dither.wav" | jq -r .max_abs_diff)" 0
run "float to 32-bit" "$float" -e signed-integer -b 32 -- dither
exact "float to 32-bit"
run "16 to 16" "$WORK/in16.wav" -- dither
exact "16 to 16"
run "16 to 16, -p 16" "$WORK/in16.wav" -- dither -p 16
exact "16 to 16, -p 16"
run "24 to 24" "$WORK/in24.wav" -- dither
exact "24 to 24"
run "16 to 24" "$WORK/in16.wav" -b 24 -- dither
exact "16 to 24"

run "float to 16" "$float" -b 16 -- dither
dithered "float to 16" "$float" 16
run "24 to 16" "$WORK/in24.wav" -b 16 -- dither
dithered "24 to 16" "$WORK/in24.wav" 16
run "float to 16, -p 16" "$float" -b 16 -- dither -p 16
dithered "float to 16, -p 16" "$float" 16
run "float to 16, -p16 attached" "$float" -b 16 -- dither -p16
dithered "float to 16, -p16 attached" "$float" 16
sox "$WORK/in16.wav" -e floating-point -b 32 "$WORK/gained.wav" gain -1
run "16 to 16 after a gain" "$WORK/in16.wav" -- gain -1 dither
dithered "16 to 16 after a gain" "$WORK/gained.wav" 16

# Without dither, a float input written to integer PCM is sox's, sample for sample: each value
# rounded to the nearest step as sox rounds (libsndfile's own conversion rounds down, which put
# half of a 16-bit file's samples one step from sox's), in WAV, FLAC and raw on standard output.
for case in "16 wav" "24 wav" "16 flac" "24 flac" "32 wav"; do
  read -r bits ext <<<"$case"
  sox -D "$float" -e signed-integer -b "$bits" "$WORK/sox-nd.$ext"
  "$RINGCORDER" process -q --no-dither "$float" -e signed-integer -b "$bits" "$WORK/rc-nd.$ext"
  cmp -s <(sox "$WORK/sox-nd.$ext" -t raw -) <(sox "$WORK/rc-nd.$ext" -t raw -) ||
    fail "float to $bits-bit $ext without dither: samples differ from sox -D's"
  echo "ok: float to $bits-bit $ext without dither: sample for sample sox -D's"
  rm -f "$WORK/sox-nd.$ext" "$WORK/rc-nd.$ext"
done
"$RINGCORDER" process -q --no-dither "$float" -t raw -b 16 - >"$WORK/rc-nd.raw"
sox -D "$float" -t raw -b 16 - >"$WORK/sox-nd.raw"
cmp -s "$WORK/rc-nd.raw" "$WORK/sox-nd.raw" || fail "raw 16-bit on standard output: differs from sox -D's"
echo "ok: raw 16-bit on standard output without dither: byte for byte sox -D's"
