#!/usr/bin/env bash
# Soak: capture CHANNELS channels (default 2) for MINUTES (default 10) at period PERIOD (default
# 64) on a private JACK dummy server of (at least) CHANNELS capture ports, fed by the counter
# source (the stereo counter for 2 channels, otherwise the multichannel counter, port k the
# counter k * 2^18 frames ahead); samples resident memory every 10 s; then checks the file sample
# by sample in every channel (counter_check --resync, --channels for C other than 2).
# Up to 8 channels the file is FLAC; FLAC holds no more, so above 8 it is W64 at 24 bits (exact
# for the counter; W64 has no 4-GiB limit: 32 channels for 10 minutes are 2.8 GB), written in
# TMPDIR, which needs that much room, and checked in memory (3.7 GB as floats for that file).
# Prints one JSON object: the run, a summary (from --stats-json: overruns, host gaps, uncertain
# gaps, xrun flags, the xruns listed; from the check: frames, errors, gaps, jumps), rss_kb, the
# whole report (stats) and the check; summary.ok is false when the capture failed or the file
# is not the counter (the exit status stays 0, as scripts/bench runs one soak after another).
# Usage: bench/capture_soak.sh [MINUTES] [PERIOD] [CHANNELS]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
period=${2:-64}
channels=${3:-2}
[[ $minutes =~ ^[1-9][0-9]*$ && $period =~ ^[1-9][0-9]*$ && $channels =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: bench/capture_soak.sh [MINUTES] [PERIOD] [CHANNELS]" >&2; exit 2; }
build=build/release
out=$(mktemp -d "${TMPDIR:-/tmp}/rc-soak-XXXXXX")
trap 'rm -rf "$out"' EXIT

if [ "$channels" -le 8 ]; then file=soak.flac format=(); else file=soak.w64 format=(-b 24); fi
ports=$((channels > 2 ? channels : 2))
scripts/jack-dummy --period "$period" --ports "$ports" -- bash -c '
  set -euo pipefail
  build=$1 out=$2 seconds=$3 period=$4 channels=$5 file=$6
  shift 6 # the rest: ringcorder file options
  source_ports=() check=(--resync)
  if [ "$channels" -ne 2 ]; then
    source_ports=(--ports "$channels")
    check+=(--channels "$channels")
  fi
  "$build/tests/jack_counter_source" --name soak-src --connect ringcorder:in_ --wait 30 \
    "${source_ports[@]}" >/dev/null 2>&1 &
  src=$!
  status=0
  "$build/app/ringcorder" capture "$out/$file" -c "$channels" "$@" --period "$period" \
    --duration "$seconds" --quiet --stats-json "$out/stats.json" &
  rc=$!
  rss=$(bench/sample_rss.sh "$rc")
  wait "$rc" || status=$?
  kill "$src" 2>/dev/null || true
  wait "$src" 2>/dev/null || true
  [ -s "$out/stats.json" ] || echo "{}" >"$out/stats.json"
  "$build/tests/counter_check" "${check[@]}" "$out/$file" >"$out/check.json" || status=$((status ? status : 1))
  [ -s "$out/check.json" ] || echo "{}" >"$out/check.json"
  jq -c -n --slurpfile s "$out/stats.json" --slurpfile c "$out/check.json" \
    --argjson minutes "$((seconds / 60))" --argjson period "$period" \
    --argjson channels "$channels" --arg file "$file" --argjson rss "[$rss]" \
    --argjson ok "$([ "$status" -eq 0 ] && echo true || echo false)" "
    {minutes: \$minutes, period: \$period, channels: \$channels, file: \$file,
     summary: {ok: \$ok, frames_written: \$s[0].frames_written,
               overrun_events: \$s[0].overrun_events, overrun_frames: \$s[0].overrun_frames,
               host_gap_events: \$s[0].host_gap_events, host_gap_frames: \$s[0].host_gap_frames,
               uncertain_gap_events: \$s[0].uncertain_gap_events,
               input_overflow_flags: \$s[0].input_overflow_flags,
               input_underflow_flags: \$s[0].input_underflow_flags,
               xruns_listed: (\$s[0].timing.xruns // [] | length),
               ring_fill_max: \$s[0].ring_fill_max, ring_capacity: \$s[0].ring_capacity,
               check_frames: \$c[0].frames, check_errors: \$c[0].errors,
               check_gaps: (\$c[0].gaps // [] | length), check_jumps: (\$c[0].jumps // [] | length)},
     rss_kb: \$rss, stats: \$s[0], check: \$c[0]}"
' soak "$build" "$out" "$((minutes * 60))" "$period" "$channels" "$file" "${format[@]}"
