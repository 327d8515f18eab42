#!/usr/bin/env bash
# sox's global options for process: -G (guard against clipping) inserts sox's gains where sox
# does (the effects chain -V3 prints, stage for stage, against sox -V3's) and the output matches
# sox's within 1e-5; -V[LEVEL] prints what README says at each level; -S shows progress on a
# stderr that is no terminal, -q hides it. (Refusals: tests/process/hostile_input.sh.)
source "$(dirname "$0")/../integration/lib.sh"
input="$ASSETS/tones-noise-stereo-float.wav"

# chain_of FILE: the effect names of the "effects chain:" lines in FILE, space separated.
chain_of() { sed -n 's/.*effects chain: *\([^ ]*\).*/\1/p' "$1" | tr '\n' ' '; }

# guarded [FORMAT OPTIONS] -- EFFECTS: sox -G -V3 and process -G -V3 on the asset, to float: the
# same stages in the same order, and outputs within 1e-5 (1e-4 with a rate stage: the two
# resamplers differ by up to ~8e-5 on this asset, see process_matches_sox.sh).
guarded() {
  local opts=() limit=1e-5 diff
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  # Resampling (-r, rate, speed's rate): libsoxr against sox's own rate, 1e-4 (README).
  [[ " ${opts[*]} " == *" -r "* || " $* " == *" rate "* || " $* " == *" speed "* ]] && limit=1e-4
  sox -V3 -G "$input" "${opts[@]}" -b 32 -e floating-point "$WORK/sox.wav" "$@" 2>"$WORK/sox.err" ||
    fail "sox -G $*: $(grep FAIL "$WORK/sox.err")"
  "$RINGCORDER" process -V3 -G --force "$input" "${opts[@]}" -e float "$WORK/rc.wav" "$@" \
    >/dev/null 2>"$WORK/rc.err" || fail "process -G $*: $(cat "$WORK/rc.err")"
  check_eq "-G ${opts[*]} $*: chain" "$(chain_of "$WORK/rc.err")" "$(chain_of "$WORK/sox.err")"
  diff=$("$AUDIO_DIFF" "$WORK/sox.wav" "$WORK/rc.wav" | jq -r .max_abs_diff) || fail "-G $*: shapes differ"
  awk -v d="$diff" -v l="$limit" 'BEGIN { exit !(d <= l) }' || fail "-G $*: max difference $diff > $limit"
  echo "ok: -G ${opts[*]} $*: max |ringcorder - sox| = $diff"
}

guarded --
guarded -- bass 10
guarded -- bass 10 gain -3
guarded -- equalizer 1k 1q 6 treble 4
guarded -- vol 0.5 bass 8
guarded -- treble 6 remix 1v0.6,2v0.6 1v0.3,2v0.9
guarded -- gain -3 bass 6
# sox's own consequence, kept: after -G's gain -r, a gain -r of the user's has nothing to reclaim.
sox -G "$input" "$WORK/sox.wav" gain -h bass 6 gain -r 2>/dev/null && fail "sox -G ... gain -r ran"
status=0
"$RINGCORDER" process -q -G --force "$input" "$WORK/rc.wav" gain -h bass 6 gain -r 2>/dev/null || status=$?
check_eq "-G gain -h bass 6 gain -r: exit (sox fails too)" "$status" 2
guarded -c 1 -- bass 6
guarded -r 44100 -- bass 6
guarded -r 44100 -c 1 --
# speed's rate back to the output's rate is one of sox's stages, guarded with the others.
guarded -- speed 1.1
guarded -c 1 -- speed 1.1 bass 3
guarded -r 16000 -c 1 -- rate 22050 speed 0.9
# A generator: synth's own headroom is untouched, so sox adds nothing.
sox -V3 -G -n "$WORK/sox.wav" synth 1 sine 2>"$WORK/sox.err"
"$RINGCORDER" process -V3 -G --force -n "$WORK/rc.wav" synth 1 sine >/dev/null 2>"$WORK/rc.err"
check_eq "-G -n synth: chain" "$(chain_of "$WORK/rc.err")" "$(chain_of "$WORK/sox.err")"
# --norm is sox's guarded norm: with -G its gain -n stands where -G's last gain would.
"$RINGCORDER" process -V3 -G --norm=-1 --force "$input" "$WORK/rc.wav" bass 6 >/dev/null 2>"$WORK/rc.err"
check_eq "-G --norm: chain" "$(chain_of "$WORK/rc.err")" "input gain bass gain output "
# Without -G too: sox's --norm sets its guard (sox.c: do_guarded_norm = is_guarded), so a boost
# before it is guarded, clips nothing, and the norm is `gain -nh`.
for opts in "--norm" "--norm=-3" "--norm -c 1"; do
  # shellcheck disable=SC2086 # the options split into words
  sox -V3 "$input" $opts -e floating-point "$WORK/sox.wav" bass 20 treble 5 2>"$WORK/sox.err"
  # shellcheck disable=SC2086
  "$RINGCORDER" process -V3 --force "$input" $opts -e float "$WORK/rc.wav" bass 20 treble 5 \
    >"$WORK/rc.out" 2>"$WORK/rc.err" || fail "$opts: $(cat "$WORK/rc.err")"
  check_eq "$opts bass 20 treble 5: chain" "$(chain_of "$WORK/rc.err")" "$(chain_of "$WORK/sox.err")"
  ! grep -q clipped "$WORK/rc.out" || fail "$opts: the guarded chain clipped: $(cat "$WORK/rc.out")"
  diff=$("$AUDIO_DIFF" "$WORK/sox.wav" "$WORK/rc.wav" | jq -r .max_abs_diff)
  awk -v d="$diff" 'BEGIN { exit !(d <= 1e-5) }' || fail "$opts: max difference $diff > 1e-5"
  echo "ok: $opts bass 20 treble 5: sox's guarded chain, max |ringcorder - sox| = $diff"
done
"$RINGCORDER" process -V3 -G --force "$input" -b 16 "$WORK/rc.wav" bass 6 >/dev/null 2>"$WORK/rc.err"
check_eq "-G to 16 bits: dither after the guard" "$(chain_of "$WORK/rc.err")" \
  "input gain bass gain dither output "

# -V: 0 and 1 as -q (nothing on stdout), 2 the summary only, 3 the formats and the chain by name,
# 4 with the effects' arguments; -V alone is 3, -V -V is 4.
for level in -V0 -V1; do
  "$RINGCORDER" process --force "$level" "$input" "$WORK/rc.wav" gain -1 >"$WORK/out.txt" 2>"$WORK/err.txt"
  [ ! -s "$WORK/out.txt" ] && [ ! -s "$WORK/err.txt" ] || fail "$level: printed something"
done
"$RINGCORDER" process --force -V2 "$input" "$WORK/rc.wav" gain -1 >"$WORK/out.txt" 2>"$WORK/err.txt"
grep -q "effects: gain -1" "$WORK/out.txt" || fail "-V2: no summary"
[ ! -s "$WORK/err.txt" ] || fail "-V2: stderr: $(cat "$WORK/err.txt")"
for level in -V3 -V; do
  "$RINGCORDER" process --force "$level" "$input" -r 44100 "$WORK/rc.wav" gain -1 >"$WORK/out.txt" 2>"$WORK/err.txt"
  grep -q "ringcorder: input file '$input': .*48000 Hz, 2 channels, 96000 frames" "$WORK/err.txt" || fail "$level: no input line"
  grep -q "ringcorder: output file '$WORK/rc.wav': .*44100 Hz, 2 channels" "$WORK/err.txt" || fail "$level: no output line"
  grep -q "effects chain: rate         44100Hz  2 channels" "$WORK/err.txt" || fail "$level: no rate stage"
  check_eq "$level: chain" "$(chain_of "$WORK/err.txt")" "input gain rate output "
  grep -q "effects: gain -1 rate 44100" "$WORK/out.txt" || fail "$level: no summary"
done
"$RINGCORDER" process --force -V -V "$input" "$WORK/rc.wav" gain -1 highpass 80 >/dev/null 2>"$WORK/err.txt"
grep -q "effects chain: highpass 80" "$WORK/err.txt" || fail "-V -V (4): no arguments: $(cat "$WORK/err.txt")"
"$RINGCORDER" process --force -q -V3 "$input" "$WORK/rc.wav" gain -1 >"$WORK/out.txt" 2>"$WORK/err.txt"
[ ! -s "$WORK/out.txt" ] && [ ! -s "$WORK/err.txt" ] || fail "-q -V3: -q does not win"
echo "ok: -V levels"

# -S: progress on a stderr that is a file (no terminal): a line at the start and one at the end;
# without it a short run prints none; -q hides it even with -S.
"$RINGCORDER" process --force -S "$input" "$WORK/rc.wav" gain -1 >/dev/null 2>"$WORK/err.txt"
grep -q "^progress " "$WORK/err.txt" || fail "-S: no progress line"
grep -q "^progress 100.0%.*done in" "$WORK/err.txt" || fail "-S: no last line: $(cat "$WORK/err.txt")"
"$RINGCORDER" process --force --show-progress "$input" "$WORK/rc.wav" gain -1 >/dev/null 2>"$WORK/err.txt"
grep -q "^progress 100.0%" "$WORK/err.txt" || fail "--show-progress: no progress"
"$RINGCORDER" process --force "$input" "$WORK/rc.wav" gain -1 >/dev/null 2>"$WORK/err.txt"
[ ! -s "$WORK/err.txt" ] || fail "no -S: progress on a short run: $(cat "$WORK/err.txt")"
"$RINGCORDER" process --force -S -q "$input" "$WORK/rc.wav" gain -1 >/dev/null 2>"$WORK/err.txt"
[ ! -s "$WORK/err.txt" ] || fail "-S -q: printed $(cat "$WORK/err.txt")"
echo "ok: -S"

# --help documents them.
"$RINGCORDER" process --help >"$WORK/help.txt"
for option in "-G,--guard" "-S,--show-progress" "-V"; do
  grep -q -- "$option" "$WORK/help.txt" || fail "--help: no $option"
done
echo "ok: --help"
