#!/usr/bin/env bash
# What a short process job costs against sox, where the program's start and fixed set-up are
# most of the run (a batch of short clips, trim): each case run ROUNDS times interleaved (sox,
# ringcorder, sox, ...), each run after a sync with its output removed, each figure the median.
# Cases: the program alone (--version); a 10 ms stereo float file copied; `trim 1 10` of a
# 2-minute stereo float file (both tools seek, both read 11 s). A ratio above 1: ringcorder faster.
# Prints one JSON object per line (JSON lines): {"case", "sox_s", "ringcorder_s", "sox_over_ringcorder"}.
# Usage: bench/short_jobs_vs_sox.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${1:-21}
ringcorder=build/release/app/ringcorder
work=$(mktemp -d "${TMPDIR:-/tmp}/rc-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

sox -n -r 48000 -c 2 -b 32 -e floating-point "$work/long.wav" synth 120 pinknoise gain -10
sox -n -r 48000 -c 2 -b 32 -e floating-point "$work/tiny.wav" synth 0.01 sine 440

# compare NAME SOX_ARGS -- RINGCORDER_ARGS: the two commands, interleaved; both write out-*.wav.
compare() {
  local name=$1 sox_args=() rc_args=()
  shift
  while [ "$1" != "--" ]; do sox_args+=("$1"); shift; done
  shift
  rc_args=("$@")
  : >"$work/sox.t"
  : >"$work/rc.t"
  for _ in $(seq "$rounds"); do
    rm -f "$work"/out-*.wav
    seconds sox "${sox_args[@]}" >>"$work/sox.t"
    seconds "$ringcorder" "${rc_args[@]}" >>"$work/rc.t"
  done
  local sox_s rc_s
  sox_s=$(median <"$work/sox.t")
  rc_s=$(median <"$work/rc.t")
  printf '{"case": "%s", "sox_s": %.4f, "ringcorder_s": %.4f, "sox_over_ringcorder": %.2f}\n' \
    "$name" "$sox_s" "$rc_s" "$(awk -v a="$sox_s" -v b="$rc_s" 'BEGIN { print a / b }')"
}

compare "start only (--version)" --version -- --version
compare "10 ms file, copied" "$work/tiny.wav" "$work/out-sox.wav" -- \
  process --quiet "$work/tiny.wav" "$work/out-rc.wav"
compare "trim 1 10 of 2 min" "$work/long.wav" "$work/out-sox.wav" trim 1 10 -- \
  process --quiet "$work/long.wav" "$work/out-rc.wav" trim 1 10
