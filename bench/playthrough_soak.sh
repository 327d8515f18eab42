#!/usr/bin/env bash
# Soak: playthrough for MINUTES (default 10) at period PERIOD (default 128) with the default
# buffer (one period: the ring path adds one period of latency) on a private JACK dummy server,
# fed by the counter source; samples resident memory every 10 s. Prints one JSON object: the
# underruns, the latency the ring path adds and the run's stats.
# Usage: bench/playthrough_soak.sh [MINUTES] [PERIOD]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
period=${2:-128}
build=build/release
out=$(mktemp -d "${TMPDIR:-/tmp}/rc-ptsoak-XXXXXX")
trap 'rm -rf "$out"' EXIT

scripts/jack-dummy --period "$period" -- bash -c '
  set -euo pipefail
  build=$1 out=$2 seconds=$3 period=$4
  "$build/tests/jack_counter_source" --name soak-src --connect ringcorder:in_ --wait 30 >/dev/null 2>&1 &
  src=$!
  "$build/app/ringcorder" playthrough --period "$period" --duration "$seconds" --quiet \
    --stats-json "$out/stats.json" &
  rc=$!
  rss=$(bench/sample_rss.sh "$rc")
  wait "$rc"
  kill "$src" 2>/dev/null || true
  summary=$(jq -c "{underrun_events: .playback.underrun_events,
      underrun_frames: .playback.underrun_frames, underruns: .playback.underruns,
      buffer_frames: .playback.buffer_frames, worker_realtime: .playback.worker_realtime,
      overrun_events: .capture.overrun_events, host_xruns: (.capture.input_overflow_flags +
      .playback.output_underflow_flags), callback_us: .capture.callback_us,
      worker_wake_delay_us: .capture.worker_wake_delay_us,
      jitter_rms_us: .timing.callback_interval_jitter_us.rms}" "$out/stats.json")
  printf "{\"minutes\": %s, \"period\": %s, \"rss_kb\": [%s], \"summary\": %s}\n" \
    "$(( seconds / 60 ))" "$period" "$rss" "$summary"
' soak "$build" "$out" "$((minutes * 60))" "$period"
