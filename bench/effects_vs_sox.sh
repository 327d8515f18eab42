#!/usr/bin/env bash
# Each of process's sox effects against sox on the same file and the same command, side by side
# in one run, and a chain of five: a MINUTES-long stereo 48 kHz float WAV of pink noise, each
# command run ROUNDS times interleaved (sox, ringcorder, sox, ...), each figure the median.
# A ratio above 1 means ringcorder was faster. Prints one JSON object per line (JSON lines):
# {"chain", "sox_s", "ringcorder_s", "sox_over_ringcorder"}.
# Usage: bench/effects_vs_sox.sh [ROUNDS] [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${1:-3}
minutes=${2:-2}
ringcorder=build/release/app/ringcorder
work=$(mktemp -d "${TMPDIR:-/tmp}/rc-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

sox -n -r 48000 -c 2 -b 32 -e floating-point "$work/in.wav" synth "$((minutes * 60))" pinknoise gain -10

chains=(
  "gain -3" "gain -n" "gain -l 6" "vol 0.5" "dcshift 0.01" "highpass 80" "lowpass 15000"
  "equalizer 1000 1q 3" "bass 6" "treble -3" "bandpass 1k 200h" "bandreject 1k 200h"
  "allpass 1k 1q" "band 1k" "deemph" "riaa" "biquad 0.5 0.2 0.1 1 -0.2 0.1" "contrast" "overdrive 10"
  "norm" "fade 1 0 1" "remix 1,2 2,1" "channels 1" "swap" "trim 1 10" "pad 1 1" "delay 0.1 0.2"
  "repeat 1" "reverse" "tremolo 5" "speed 1.1" "rate 44100" "sinc 3k" "sinc -4k"
  "dither" "stat" "stats"
  # five at once, the chain of the issue's target (>= 3x sox)
  "highpass 80 bass 3 treble -2 tremolo 4 20 gain -n -1"
)


for chain in "${chains[@]}"; do
  : >"$work/sox.t"
  : >"$work/rc.t"
  for _ in $(seq "$rounds"); do
    rm -f "$work"/out-*.wav
    # shellcheck disable=SC2086 # the chain splits into words
    seconds sox "$work/in.wav" "$work/out-sox.wav" $chain >>"$work/sox.t"
    # shellcheck disable=SC2086
    seconds "$ringcorder" process --quiet "$work/in.wav" "$work/out-rc.wav" $chain >>"$work/rc.t"
  done
  sox_s=$(median <"$work/sox.t")
  rc_s=$(median <"$work/rc.t")
  printf '{"chain": "%s", "sox_s": %.3f, "ringcorder_s": %.3f, "sox_over_ringcorder": %.2f}\n' \
    "$chain" "$sox_s" "$rc_s" "$(awk -v a="$sox_s" -v b="$rc_s" 'BEGIN { print a / b }')"
done
