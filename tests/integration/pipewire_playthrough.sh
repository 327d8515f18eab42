#!/usr/bin/env bash
# tests/integration/pipewire_playthrough.sh - playthrough --record on a headless PipeWire through
# ALSA: the counter fed into the microphone (rc-source) is played to the speaker (rc-sink) and
# recorded; the recording must be the counter, nothing may underrun, and the output must hold its
# place for any input PortAudio made up. Exact on a quiet machine (12 of 12 runs); on a loaded one
# the duplex stream may insert or lose a 2048-frame block unseen, which check_pipewire_recording
# lists instead of failing (lib_pipewire.sh, and the README). No
# cable: the speaker must not feed the microphone back.
# pipewire-headless: -
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_pipewire.sh"

# run_playthrough NAME ARGS...: 3 s of playthrough with --record, checked.
run_playthrough() {
  local name=$1
  shift
  start_pipewire_counter
  start_pipewire_reference
  "$RINGCORDER" playthrough --device pipewire -r 48000 --duration 3 --quiet --record "$WORK/$name.wav" \
    --stats-json "$WORK/$name.json" "$@" || fail "$name: playthrough exited $?"
  stop_pipewire_reference
  jq .capture "$WORK/$name.json" >"$WORK/$name.capture.json"
  check_pipewire_recording "$WORK/$name.wav" "$WORK/$name.capture.json" duplex
  check_eq "$name: recorded frames" "$(json "$WORK/$name.json" .capture.frames_written)" 144000
  local played underruns
  played=$(json "$WORK/$name.json" .playback.frames_played)
  underruns=$(json "$WORK/$name.json" .playback.underrun_frames)
  [ "$played" -ge 144000 ] || fail "$name: only $played frames played"
  check_eq "$name: underrun_frames" "$underruns" 0
  # With no -b and no -p the ring's target is two of the host's callbacks (2048 frames by default,
  # 4096 at 0.25 s): one would leave the worker no slack (CI saw one 2048-frame underrun with one).
  local made_up callback
  made_up=$(json "$WORK/$name.json" .playback.made_up_input_frames)
  callback=$(jq '.capture | (.frames_captured - .host_gap_frames) / .callbacks | floor' "$WORK/$name.json")
  jq -e --argjson cb "$callback" '.playback.buffer_frames >= 2 * $cb' "$WORK/$name.json" >/dev/null ||
    fail "$name: ring target $(json "$WORK/$name.json" .playback.buffer_frames) below two of the host's callbacks ($callback frames)"
  echo "ok: $name: $(json "$WORK/check.json" .counter_frames) counter frames recorded, $played played ($underruns underrun, $made_up made-up input frames), callbacks of $callback frames, ring target $(json "$WORK/$name.json" .playback.buffer_frames), output latency $(json "$WORK/$name.json" .playback.reported_output_latency_ms) ms"
}

run_playthrough defaults
# A desktop that forced a quantum of 2048: the README's advice for it (the ring's target grows to
# the host's callback, 4096 frames at 0.25 s).
force_quantum 2048
run_playthrough q2048 --latency 0.25

require_rt_guard_watched
