#!/usr/bin/env bash
# Leak soak: `playthrough --record` (capture to a file and playthrough at once) for MINUTES
# (default 10) on a private JACK dummy server, fed by the counter source, with the asan-ubsan
# build: LeakSanitizer checks at exit that nothing leaked, resident memory is sampled every 10 s,
# and the recording must hold the counter exactly (no counter errors, no jumps: the server is
# synchronous, so no cycle is lost). Prints one JSON object; exits 1 on a leak, a sanitizer
# report or a bad recording.
# Usage: bench/leak_soak.sh [MINUTES]   (needs: cmake --preset asan-ubsan && cmake --build ...)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
seconds=${LEAK_SOAK_SECONDS:-$((minutes * 60))} # override for a quick check of the script
build=build/asan-ubsan
[ -x "$build/app/ringcorder" ] || { echo "leak_soak: build the asan-ubsan preset first" >&2; exit 2; }
out=$(mktemp -d "${TMPDIR:-/tmp}/rc-leaksoak-XXXXXX")
trap 'rm -rf "$out"' EXIT

scripts/jack-dummy -- bash -c '
  set -euo pipefail
  build=$1 out=$2 seconds=$3
  "$build/tests/jack_counter_source" --name leak-src --connect ringcorder:in_ --wait 30 >/dev/null 2>&1 &
  src=$!
  ASAN_OPTIONS=detect_leaks=1:exitcode=23 "$build/app/ringcorder" playthrough \
    --record "$out/take.wav" --duration "$seconds" --quiet --stats-json "$out/stats.json" \
    2>"$out/stderr" &
  rc=$!
  rss=$(bench/sample_rss.sh "$rc")
  status=0
  wait "$rc" || status=$?
  kill "$src" 2>/dev/null || true
  cat "$out/stderr" >&2 # first, so a crash shows even if what follows fails
  [ -s "$out/stats.json" ] || echo "{}" >"$out/stats.json"
  leaks=$(grep -c "ERROR: LeakSanitizer" "$out/stderr" || true)
  reports=$(grep -c "ERROR: AddressSanitizer\|runtime error:" "$out/stderr" || true)
  "$build/tests/counter_check" --resync "$out/take.wav" >"$out/check.json" || true # judged below
  IFS=, read -ra samples <<<"$rss"
  first=${samples[1]:-0} last=${samples[-1]:-0} # from 10 s in: start-up allocations are done
  summary=$(jq -c --argjson status "$status" --argjson leaks "$leaks" --argjson reports "$reports" \
    --slurpfile check "$out/check.json" "{exit_status: \$status, leak_reports: \$leaks,
      sanitizer_reports: \$reports, frames_written: .capture.frames_written,
      counter_errors: \$check[0].errors, counter_jumps: (\$check[0].jumps | length),
      overrun_events: .capture.overrun_events, underrun_events: .playback.underrun_events,
      host_xruns: (.capture.input_overflow_flags + .playback.output_underflow_flags)}" "$out/stats.json")
  printf "{\"seconds\": %s, \"rss_kb\": [%s], \"rss_growth_kb_after_first_10s\": %s, \"summary\": %s}\n" \
    "$seconds" "$rss" "$((last - first))" "$summary"
  errors=$(jq -r ".errors // 1" "$out/check.json" 2>/dev/null || echo 1)
  jumps=$(jq -r "(.jumps // [1]) | length" "$out/check.json" 2>/dev/null || echo 1)
  [ "$status" -eq 0 ] && [ "$leaks" -eq 0 ] && [ "$reports" -eq 0 ] && [ "$errors" -eq 0 ] &&
    [ "$jumps" -eq 0 ]
' soak "$build" "$out" "$seconds"
