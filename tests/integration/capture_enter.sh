#!/usr/bin/env bash
# capture --trigger: Enter on a terminal starts and ends a take (a pseudo-terminal from script(1),
# util-linux); the take opens with the pre-roll, unbroken into the live counter. Lines on a
# stdin that is not a terminal (a script's pipe) are not triggers and are not read, and a capture
# in a terminal's background does not read it (SIGTTIN would stop it).
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

# Not a terminal: newlines are not read at all (what follows ringcorder in a script still gets
# them), so no take and no file.
start_counter_source
printf 'one\ntwo\nthree\n' | {
  "$RINGCORDER" capture "$WORK/piped.wav" --trigger --duration 1.5 --stats-json "$WORK/piped.json" \
    --quiet || fail "capture exited $?"
  cat >"$WORK/left.txt"
}
check_eq "takes from a pipe's newlines" "$(json "$WORK/piped.json" '.triggered.takes | length')" 0
[ -z "$(ls "$WORK" | grep piped-)" ] || fail "a take file was created"
check_eq "the pipe's lines left for the next reader" "$(tr '\n' ' ' <"$WORK/left.txt")" "one two three "
# In the background of a terminal (a shell with job control, `capture ... &`): the terminal is not
# ours to read, and reading it would stop the whole capture with SIGTTIN. Lines typed meanwhile go
# to the foreground, so no take, and the capture ends on time.
cat >"$WORK/background.sh" <<'INNER'
set -m
"$RINGCORDER" capture "$1/bg.wav" --trigger --duration 2 --quiet --stats-json "$1/bg.json" &
pid=$!
for _ in $(seq 600); do
  kill -0 "$pid" 2>/dev/null || break
  if [ "$(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" = T ]; then
    echo "stopped: $(grep -E '^(State|SigPnd|ShdPnd)' "/proc/$pid/status" | tr '\n' ' ')"
    kill -KILL "$pid"
    exit 3
  fi
  sleep 0.05
done
wait "$pid"
INNER
status=0
(trap '' PIPE; for _ in $(seq 20); do printf '\n' 2>/dev/null || exit 0; sleep 0.2; done) |
  script -qfec "bash $(printf '%q %q' "$WORK/background.sh" "$WORK")" /dev/null >"$WORK/bg.txt" 2>&1 ||
  status=$?
[ "$status" -eq 0 ] || { cat "$WORK/bg.txt"; fail "a capture in a terminal's background: exit $status"; }
check_eq "takes from lines typed to the foreground" "$(json "$WORK/bg.json" '.triggered.takes | length')" 0
check_eq "frames written" "$(json "$WORK/bg.json" .frames_written)" 96000

require_rt_guard_watched
