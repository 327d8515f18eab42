#!/usr/bin/env bash
# capture - streams to standard output, as arecord does: WAV whose header is exact when the
# length is known (-d), or raw samples with -t raw; the report goes to standard error. A reader
# that closes the pipe ends the capture cleanly: exit 0, stop reason "reader closed", never
# SIGPIPE. What standard output cannot carry is refused before anything starts.
# jack-dummy: --ports 8
source "$(dirname "$0")/lib.sh"

# WAV into a pipe, 24-bit: the counter exact, the header's length exact.
start_counter_source
"$RINGCORDER" capture - -d 2 -b 24 --stats-json "$WORK/wav.json" 2>"$WORK/wav.err" |
  cat >"$WORK/stdout.wav" || fail "WAV to a pipe: exit $? ($(cat "$WORK/wav.err"))"
check_recording "$WORK/stdout.wav" "$WORK/wav.json"
check_eq "WAV frames in the file" "$(json "$WORK/check.json" .frames)" 96000
check_eq "WAV frames in the header" "$(soxi -s "$WORK/stdout.wav")" 96000
check_eq "WAV bits" "$(soxi -b "$WORK/stdout.wav")" 24
grep -q "^recorded  -" "$WORK/wav.err" || fail "the text report is not on standard error: $(head -3 "$WORK/wav.err")"
counted=$(json "$WORK/check.json" .counter_frames)
[ "$counted" -gt 24000 ] || fail "WAV: only $counted frames of the counter (connected late?)"
if sox --i "$WORK/stdout.wav" 2>&1 | grep -q WARN; then fail "sox warns: $(sox --i "$WORK/stdout.wav" 2>&1 | grep WARN)"; fi
echo "ok: WAV on standard output, $counted counter frames exact, sox reads it without a warning"

# Raw, 8 channels of 24 bits: sox turns it into a file that checks out channel by channel.
start_counter_source --ports 8
"$RINGCORDER" capture - -t raw -b 24 -c 8 -d 2 -q | cat >"$WORK/stdout.raw" ||
  fail "raw to a pipe: exit $?"
check_eq "raw bytes" "$(stat -c %s "$WORK/stdout.raw")" $((96000 * 8 * 3))
sox -t raw -r 48000 -e signed-integer -b 24 -c 8 "$WORK/stdout.raw" -e floating-point "$WORK/raw.wav"
"$COUNTER_CHECK" --channels 8 "$WORK/raw.wav" >"$WORK/raw.check.json" ||
  { cat "$WORK/raw.check.json"; fail "raw: not the counter in every channel"; }
echo "ok: raw 8 x 24-bit on standard output, every channel exact"

# Float WAV with unknown length (no -d): the header says "as much as there is"; readers take it.
start_counter_source
# (pipefail: the pipeline's status is ringcorder's unless head fails.)
"$RINGCORDER" capture - -e floating-point -q --stats-json "$WORK/head.json" |
  head -c 400000 >"$WORK/head.wav" || fail "a reader that closes: exit $?, expected 0"
check_eq "reader closed: stop reason" "$(json "$WORK/head.json" .stop_reason)" "reader closed"
check_eq "reader closed: error" "$(json "$WORK/head.json" .error)" null
soxi "$WORK/head.wav" >/dev/null 2>&1 || fail "the float stream's start is no WAV sox reads"
echo "ok: a reader that closes the pipe ends the capture cleanly"

# What standard output cannot carry, refused before anything starts (exit 2).
for refused in "--split 10" "--split-channels" "--trigger" "-t flac" "--stats-json -" "-t rf64"; do
  status=0
  # shellcheck disable=SC2086 # the words are options
  "$RINGCORDER" capture - -d 1 $refused >/dev/null 2>"$WORK/err.txt" || status=$?
  check_eq "capture - $refused: exit" "$status" 2
done

require_rt_guard_watched
