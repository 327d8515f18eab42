#!/usr/bin/env bash
# tests/integration/pipewire_capture.sh - capture on the desktop stack: a headless PipeWire
# reached through PortAudio's ALSA host and ALSA's `pipewire`/`default` PCMs. The counter is fed
# into the microphone (rc-source) and every recording is checked frame by frame, one file per
# format. Then the quantum is forced as a desktop application asking for a large one does, up to
# PipeWire's limit (8192): with ringcorder's default ALSA buffer no frame may be lost (with
# PortAudio's own low default, about 520 frames, a quantum of 1024 lost half of every quantum and
# nobody was told).
# pipewire-headless: -
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pipewire.sh"

# capture_exact DEVICE FILE ARGS...: a 3 s capture of the counter, exact (but for the source's
# glitches, which the reference recorder must have seen too: lib_pipewire.sh), nothing lost.
capture_exact() {
  local device=$1 out=$2
  shift 2
  start_pipewire_counter
  start_pipewire_reference
  "$RINGCORDER" capture "$out" --device "$device" -r 48000 --duration 3 --quiet \
    --stats-json "$WORK/stats.json" "$@" || fail "capture to $out exited $?"
  stop_pipewire_reference
  check_pipewire_recording "$out" "$WORK/stats.json"
  check_eq "$out: host API" "$(json "$WORK/stats.json" .host_api)" ALSA
  check_eq "$out: frames_written" "$(json "$WORK/stats.json" .frames_written)" 144000
  check_eq "$out: file frames" "$(json "$WORK/check.json" .frames)" 144000
  local counted
  counted=$(json "$WORK/check.json" .counter_frames)
  # The first frames may be silence while PipeWire links the new stream (lead_in).
  [ "$counted" -gt 120000 ] || fail "$out: only $counted frames of the counter"
  echo "ok: $out: $counted counter frames (lead-in $(json "$WORK/check.json" .lead_in))"
}

# One file per format, at PipeWire's default quantum (1024 here, as on most desktops).
capture_exact pipewire "$WORK/take.wav"
capture_exact pipewire "$WORK/take.flac"
capture_exact pipewire "$WORK/take24.wav" -e 24
capture_exact default "$WORK/default.wav"
jq -e '.device_clock | test("ALSA time stamps")' "$WORK/stats.json" >/dev/null ||
  fail "device_clock: $(jq .device_clock "$WORK/stats.json")"

# Larger quanta, up to PipeWire's limit: still not a frame lost with the default buffer.
for quantum in 2048 8192; do
  force_quantum "$quantum"
  capture_exact pipewire "$WORK/q$quantum.wav"
done

# What happened before: PortAudio's low default buffer at a quantum of 1024 loses frames. They
# must never be lost silently: the device clock sees them, they are counted as host gaps and
# filled, and the file keeps the device's timeline (3 s of clock, 3 s of file).
force_quantum 1024
start_pipewire_counter
"$RINGCORDER" capture "$WORK/low.wav" --device pipewire -r 48000 --duration 3 --latency 0.008 --quiet \
  --stats-json "$WORK/low.json" || fail "capture with a small buffer exited $?"
gaps=$(json "$WORK/low.json" .host_gap_frames)
[ "$gaps" -gt 0 ] || fail "a 0.008 s buffer at quantum 1024 lost no frame: the check above proves nothing"
check_eq "small buffer: frames_written (the device's timeline)" "$(json "$WORK/low.json" .frames_written)" 144000
"$COUNTER_CHECK" --resync "$WORK/low.wav" >"$WORK/check.json" || fail "small buffer: not the counter"
check_eq "small buffer: garbage frames" "$(json "$WORK/check.json" .errors)" 0
drift=$(jq '[foreach .jumps[].shift as $s (0; . + $s; if . < 0 then -. else . end)] | max // 0' "$WORK/check.json")
echo "ok: a 0.008 s buffer at quantum 1024: $gaps frames lost in the plugin, counted in $(json "$WORK/low.json" .host_gap_events) host gaps and filled; counter values up to $drift frames from their place"

require_rt_guard_watched
