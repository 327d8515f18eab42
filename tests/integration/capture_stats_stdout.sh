#!/usr/bin/env bash
# `--stats-json -` writes the JSON report to standard output, as sox and arecord read "-": alone
# there (the text report, which would go there too, is left out), so it pipes into jq; no file
# named "-" appears.
source "$(dirname "$0")/lib.sh"
start_counter_source
cd "$WORK"
"$RINGCORDER" capture "$WORK/take.wav" --duration 1 --stats-json - >"$WORK/stdout.txt" 2>"$WORK/stderr.txt" ||
  fail "capture exited $?: $(cat "$WORK/stderr.txt")"
[ ! -e "$WORK/-" ] || fail "a file named '-' was written"
check_eq "frames_written, from standard output" "$(jq -r .frames_written "$WORK/stdout.txt")" 48000
check_eq "documents on standard output" "$(jq -s length "$WORK/stdout.txt")" 1
check_recording "$WORK/take.wav" "$WORK/stdout.txt"
require_rt_guard_watched
