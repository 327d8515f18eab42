#!/usr/bin/env bash
# Soak: capture for MINUTES (default 10) at period 64 to FLAC on a private JACK dummy server,
# fed by the counter source; samples resident memory every 10 s; then checks the file sample by
# sample. Prints one JSON object. Usage: bench/capture_soak.sh [MINUTES] [PERIOD]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
period=${2:-64}
build=build/release
out=$(mktemp -d "${TMPDIR:-/tmp}/rc-soak-XXXXXX")
trap 'rm -rf "$out"' EXIT

scripts/jack-dummy --period "$period" -- bash -c '
  set -euo pipefail
  build=$1 out=$2 seconds=$3
  "$build/tests/jack_counter_source" --name soak-src --connect ringcorder:in_ --wait 30 >/dev/null 2>&1 &
  src=$!
  "$build/app/ringcorder" capture "$out/soak.flac" --period "$4" --duration "$seconds" --quiet \
    --stats-json "$out/stats.json" &
  rc=$!
  rss=$(bench/sample_rss.sh "$rc")
  wait "$rc"
  kill "$src" 2>/dev/null || true
  check=$("$build/tests/counter_check" --resync "$out/soak.flac" || true)
  printf "{\"minutes\": %s, \"period\": %s, \"rss_kb\": [%s], \"stats\": %s, \"check\": %s}\n" \
    "$(( seconds / 60 ))" "$4" "$rss" "$(jq -c . "$out/stats.json")" "$check"
' soak "$build" "$out" "$((minutes * 60))" "$period"
