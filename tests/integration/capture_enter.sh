#!/usr/bin/env bash
# capture --trigger: Enter on a terminal starts and ends a take (a pseudo-terminal from script(1),
# util-linux); the take opens with the pre-roll, unbroken into the live counter. Lines on a
# stdin that is not a terminal (a script's pipe) are not triggers and are not read.
source "$(dirname "$0")/lib.sh"
start_counter_source

# Quote every word for the command line script(1) hands to a shell.
cmd=$(printf '%q ' "$RINGCORDER" capture "$WORK/enter.wav" --pre-roll 0.5 --duration 8 \
  --stats-json "$WORK/stats.json")
# Enter after 1.5 s and 2.5 s of audio (lib.sh, wait_for_audio); the pipe stays open past the end.
# The run lasts 8 s of audio: each press travels through this shell, script(1) and ringcorder's
# main thread, all of which a loaded machine may starve while the audio runs on (under TSan the
# second press must not arrive after the run ended).
(wait_for_audio 72000 && printf '\n' && wait_for_audio 120000 && printf '\n' && wait_for_audio 432000) |
  script -qfec "$cmd" /dev/null >"$WORK/terminal.txt" 2>&1 || { cat "$WORK/terminal.txt"; fail "capture exited $?"; }
stats="$WORK/stats.json"
check_eq "takes" "$(json "$stats" '.triggered.takes | length')" 1
check_eq "trigger, end" "$(jq -c '[.triggered.takes[0].trigger, .triggered.takes[0].end]' "$stats")" \
  '["Enter","Enter"]'
check_eq "pre-roll frames" "$(json "$stats" '.triggered.takes[0].pre_roll_frames')" 24000
f=$(json "$stats" '.triggered.takes[0].path')
check_eq "frames on disk = report" "$(soxi -s "$f")" "$(json "$stats" '.triggered.takes[0].frames')"
check_recording "$f" "$stats"
check_eq "lead-in / gaps / errors" "$(jq -c '[.lead_in, (.gaps | length), .errors]' "$WORK/check.json")" "[0,0,0]"

# Not a terminal: newlines are ignored, so no take and no file.
start_counter_source
printf '\n\n\n' | "$RINGCORDER" capture "$WORK/piped.wav" --trigger --duration 1.5 \
  --stats-json "$WORK/piped.json" --quiet || fail "capture exited $?"
check_eq "takes from a pipe's newlines" "$(json "$WORK/piped.json" '.triggered.takes | length')" 0
[ -z "$(ls "$WORK" | grep piped-)" ] || fail "a take file was created"
require_rt_guard_watched
