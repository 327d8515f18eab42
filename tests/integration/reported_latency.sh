#!/usr/bin/env bash
# The latency the host claims (PortAudio's stream info; never measured) is shown only when it is
# one. jack_metro as the device: its port has no latency range set, which PortAudio's JACK host
# read as 2^32 - 1 frames ("reported input latency 89478480.00 ms"); the system device before its
# ports are connected gives 0. Both are "not reported" (null in JSON), in capture and playthrough.
source "$(dirname "$0")/lib.sh"

jack_metro -b 120 -n "metro-$$" >"$WORK/metro.log" 2>&1 &
CHILDREN+=($!)
wait_for_port "metro-$$:120_bpm"

"$RINGCORDER" capture "$WORK/metro.wav" --device "metro-$$" --duration 1 --stats-json "$WORK/metro.json" \
  >"$WORK/metro.txt" || fail "capture from jack_metro exited $?"
check_eq "capture from jack_metro: reported_input_latency_ms" \
  "$(json "$WORK/metro.json" .reported_input_latency_ms)" null
grep -q "host-reported input latency not reported" "$WORK/metro.txt" ||
  fail "the text report: $(grep latency "$WORK/metro.txt")"

"$RINGCORDER" playthrough --in "metro-$$" --out system --duration 1 --quiet \
  --stats-json "$WORK/pt.json" || fail "playthrough from jack_metro exited $?"
check_eq "playthrough from jack_metro: capture.reported_input_latency_ms" \
  "$(json "$WORK/pt.json" .capture.reported_input_latency_ms)" null
# Whatever a host claims is a latency: above 0, below 10 s, or null.
jq -e '.playback.reported_output_latency_ms | . == null or (. > 0 and . < 10000)' "$WORK/pt.json" \
  >/dev/null || fail "reported_output_latency_ms: $(json "$WORK/pt.json" .playback.reported_output_latency_ms)"
require_rt_guard_watched
