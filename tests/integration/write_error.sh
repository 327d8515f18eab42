#!/usr/bin/env bash
# A write error mid-take (the file hits a size limit: `ulimit -f`, with SIGXFSZ ignored, so write()
# fails with EFBIG as on a full disk): capture and playthrough --record stop at once with one clear
# line naming the file, exit 1, and leave the file so far finalized and valid — every frame in it
# is the counter, and the report counts exactly the frames the file holds. Offline processing
# leaves nothing under the final name.
source "$(dirname "$0")/lib.sh"

LIMIT_KB=400 # about 1.4 s of 48 kHz stereo 24-bit PCM (the default), 1 s of float

# run_limited LOG CMD...: runs CMD under the size limit; prints its exit status.
run_limited() {
  local log=$1
  shift
  set +e
  (
    ulimit -f "$LIMIT_KB"
    trap '' XFSZ
    exec timeout 20 "$@"
  ) >"$log.out" 2>"$log.err"
  echo $?
  set -e
}

# check_stopped_by_write_error NAME STATUS FILE STATS [JQ_PREFIX]: the common verdict.
check_stopped_by_write_error() {
  local name=$1 status=$2 file=$3 stats=$4 at=${5:-}
  check_eq "$name: exit status" "$status" 1
  grep -q "write to '$file' failed" "$WORK/$name.err" || {
    cat "$WORK/$name.err"
    fail "$name: no error line naming the file"
  }
  check_eq "$name: error lines on stderr" "$(grep -c '^ringcorder:' "$WORK/$name.err")" 1
  check_eq "$name: stop reason" "$(json "$stats" "$at.stop_reason")" error
  "$COUNTER_CHECK" --resync "$file" >"$WORK/$name.check.json" || {
    cat "$WORK/$name.check.json"
    fail "$name: the file so far is not the counter"
  }
  local frames
  frames=$(json "$WORK/$name.check.json" .frames)
  [ "$frames" -gt 24000 ] || fail "$name: only $frames frames kept"
  check_eq "$name: frames in file = frames_written" "$frames" "$(json "$stats" "$at.frames_written")"
  check_eq "$name: counter errors in the file" "$(json "$WORK/$name.check.json" .errors)" 0
}

start_counter_source
out="$WORK/capture.wav"
status=$(run_limited "$WORK/capture" "$RINGCORDER" capture "$out" --duration 10 \
  --stats-json "$WORK/capture.json")
check_stopped_by_write_error capture "$status" "$out" "$WORK/capture.json"

start_counter_source
out="$WORK/playthrough.wav"
status=$(run_limited "$WORK/playthrough" "$RINGCORDER" playthrough --record "$out" --duration 10 \
  --stats-json "$WORK/playthrough.json")
check_stopped_by_write_error playthrough "$status" "$out" "$WORK/playthrough.json" .capture

# Offline: the result is written under a hidden name and renamed only when complete.
"$RINGCORDER" capture "$WORK/long.wav" --duration 2 --quiet 2>/dev/null || fail "capture for process input"
status=$(run_limited "$WORK/process" "$RINGCORDER" process "$WORK/long.wav" "$WORK/processed.wav" gain -1)
check_eq "process: exit status" "$status" 1
# Its stderr may also hold progress lines: not a terminal, a run longer than 2 s (a sanitizer
# build beside another suite) prints one every 5 s (README, process).
check_eq "process: error lines on stderr" "$(grep -c '^ringcorder:' "$WORK/process.err")" 1
grep -q "write to '$WORK/processed.wav' failed" "$WORK/process.err" ||
  fail "process: the error does not name the output: $(cat "$WORK/process.err")"
[ ! -e "$WORK/processed.wav" ] || fail "process: a partial file under the final name"
check_eq "process: files left beside the target" "$(find "$WORK" -maxdepth 1 -name '*processed*' | wc -l)" 0
