#!/usr/bin/env bash
# ringcorder process against sox on the same command, side by side in one run: a 10-minute
# stereo 48 kHz float WAV through "gain -3 highpass 80 equalizer 1000 1q 3 lowpass 15000".
# Runs are interleaved (sox, ringcorder, plain copy, ...) and each figure is the median of
# ROUNDS (default 5), so machine drift hits all three alike; each run starts after a sync.
# Prints one JSON object.
# Usage: bench/process_vs_sox.sh [ROUNDS] [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
rounds=${1:-5}
minutes=${2:-10}
ringcorder=build/release/app/ringcorder
work=$(mktemp -d "${TMPDIR:-/tmp}/rc-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
chain=(gain -3 highpass 80 equalizer 1000 1q 3 lowpass 15000)

sox -n -r 48000 -c 2 -b 32 -e floating-point "$work/in.wav" synth "$((minutes * 60))" pinknoise gain -10


: >"$work/sox.t"; : >"$work/rc.t"; : >"$work/copy.t"
for _ in $(seq "$rounds"); do
  rm -f "$work"/out-*.wav
  seconds sox "$work/in.wav" "$work/out-sox.wav" "${chain[@]}" >>"$work/sox.t"
  seconds "$ringcorder" process --quiet "$work/in.wav" "$work/out-rc.wav" "${chain[@]}" >>"$work/rc.t"
  seconds "$ringcorder" process --quiet "$work/in.wav" "$work/out-copy.wav" >>"$work/copy.t"
done
diff=$(build/release/tests/audio_diff "$work/out-sox.wav" "$work/out-rc.wav" | jq .max_abs_diff)
sox_s=$(median <"$work/sox.t")
rc_s=$(median <"$work/rc.t")
copy_s=$(median <"$work/copy.t")
audio_s=$((minutes * 60))
printf '{"audio_seconds": %s, "rounds": %s, "sox_s": %.3f, "ringcorder_s": %.3f, "plain_copy_s": %.3f, ' \
  "$audio_s" "$rounds" "$sox_s" "$rc_s" "$copy_s"
printf '"sox_over_ringcorder": %.2f, "ringcorder_x_realtime": %.0f, "max_abs_diff_vs_sox": %s}\n' \
  "$(awk -v a="$sox_s" -v b="$rc_s" 'BEGIN { print a / b }')" \
  "$(awk -v a="$audio_s" -v b="$rc_s" 'BEGIN { print a / b }')" "$diff"
