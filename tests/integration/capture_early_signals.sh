#!/usr/bin/env bash
# A capture's manual signals work from the moment the process can take them: SIGUSR1 (a trigger)
# and SIGUSR2 (rotate) sent while PortAudio is still starting must neither kill the capture
# (their default action) nor be lost. The signals go out as soon as /proc says the process catches
# SIGINT: its handlers for SIGUSR1 and SIGUSR2 must already be there by then, and PortAudio and
# the device open only afterwards (failed before: killed by SIGUSR1, exit 138).
source "$(dirname "$0")/lib.sh"

# caught PID SIGNAL: true when PID runs ringcorder (not the test's wrapper script before its exec)
# and has a handler for SIGNAL (its bit in /proc/PID/status SigCgt).
caught() {
  local mask
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = ringcorder ] || return 1
  mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
  [ -n "$mask" ] && (((0x$mask >> ($2 - 1)) & 1))
}

# start_and_signal SIGNAL ARGS...: starts a capture with ARGS, sends SIGNAL the moment it catches
# SIGINT, and waits for it; the exit status is the capture's.
start_and_signal() {
  local signal=$1
  shift
  "$RINGCORDER" "$@" &
  local pid=$! deadline=$((SECONDS + 20))
  CHILDREN+=("$pid")
  until caught "$pid" 2; do
    [ $SECONDS -lt $deadline ] || fail "the capture never caught SIGINT"
    sleep 0.001
  done
  kill -s "$signal" "$pid"
  wait "$pid"
}

# A trigger before the device opens: the take starts at the first block.
start_counter_source
status=0
start_and_signal USR1 capture "$WORK/take.wav" --trigger --duration 2 --quiet \
  --stats-json "$WORK/take.json" || status=$?
check_eq "capture with an early SIGUSR1: exit status" "$status" 0
check_eq "takes" "$(json "$WORK/take.json" '.triggered.takes | length')" 1
check_eq "the take: trigger, end" \
  "$(jq -c '.triggered.takes[0] | [.trigger, .end]' "$WORK/take.json")" '["SIGUSR1","stop"]'
# Sent before PortAudio started, the trigger opens the take at the first block (frame 0), unless
# a loaded machine delayed this shell's kill past the stream's start: then at a later block. Either
# way the take runs to the end of the timeline.
f=$(json "$WORK/take.json" '.triggered.takes[0].path')
first=$(json "$WORK/take.json" '.triggered.takes[0].first_frame')
check_eq "the take runs to the end of the run" "$(($(soxi -s "$f") + first))" 96000
echo "ok: the early trigger's take starts at frame $first"
check_recording "$f" "$WORK/take.json"

# A rotation before the device opens: nothing to rotate yet, and the capture goes on.
start_counter_source
status=0
start_and_signal USR2 capture "$WORK/plain.wav" --duration 1 --quiet --stats-json "$WORK/plain.json" ||
  status=$?
check_eq "capture with an early SIGUSR2: exit status" "$status" 0
check_eq "frames written" "$(json "$WORK/plain.json" .frames_written)" 48000
# .files lists split files, and is empty for one file. (A rotation asked later, while the device
# opens, is forgotten too - CaptureRequests::stream_started() - a window a script cannot aim at.)
check_eq "split files (none for a rotation asked before the stream started)" \
  "$(jq -r '.files | length' "$WORK/plain.json")" 0
require_rt_guard_watched
