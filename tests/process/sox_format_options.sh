#!/usr/bin/env bash
# sox's format options by position, '-' and '-n', checked against Debian's sox on the same
# command: options before an input describe it (raw), options before the output set its format
# (rate and channel stages added as sox adds them), the output's precision follows the input's
# when not given, standard input is read once (spooled for norm's second pass), standard output
# streams WAV or raw, '-n' writes nothing, and -o DIR may change the format but never lets two
# inputs write one file.
source "$(dirname "$0")/../integration/lib.sh"

float="$ASSETS/tones-noise-stereo-float.wav"
pcm16="$ASSETS/speech-silence-mono16.wav"

# same LABEL SOX_FILE RC_FILE LIMIT: the two files have the same shape and differ by at most LIMIT.
same() {
  local diff
  diff=$("$AUDIO_DIFF" "$2" "$3" | jq -r .max_abs_diff) || fail "$1: shapes differ"
  awk -v d="$diff" -v l="$4" 'BEGIN { exit !(d <= l) }' || fail "$1: max difference $diff > $4"
  echo "ok: $1: max |ringcorder - sox| = $diff"
}

# The output's precision follows the input's: a 16-bit file without effects is copied exactly
# (no dither: nothing was computed), with a gain it is 16-bit too.
"$RINGCORDER" process -q --force "$pcm16" "$WORK/copy.wav"
check_eq "16-bit input: output precision" "$(soxi -p "$WORK/copy.wav")" 16
cmp <(sox "$pcm16" -t raw -) <(sox "$WORK/copy.wav" -t raw -) || fail "a plain 16-bit copy changed samples"
echo "ok: a 16-bit copy is bit-exact"
"$RINGCORDER" process -q --force "$float" "$WORK/f.wav" gain -1
check_eq "float input: output encoding" "$(soxi -e "$WORK/f.wav")" "Floating Point PCM"
"$RINGCORDER" process -q --force "$pcm16" "$WORK/e.flac" reverse
check_eq "16-bit input to FLAC: precision" "$(soxi -p "$WORK/e.flac")" 16

# Options before the output: rate and channel stages where sox puts them (same shape; a channel
# copy is exact, a rate change within one 16-bit step of sox's resampler), -b sets the depth.
sox -D "$pcm16" -c 2 "$WORK/sox.wav"
"$RINGCORDER" process -q --force "$pcm16" -c 2 "$WORK/rc.wav"
same "-c 2 before the output" "$WORK/sox.wav" "$WORK/rc.wav" 0
sox -D "$float" -r 16000 -c 1 -b 16 "$WORK/sox.wav"
"$RINGCORDER" process -q --force --no-dither "$float" -r 16k -c 1 -b 16 "$WORK/rc.wav"
same "-r 16k -c 1 -b 16 before the output" "$WORK/sox.wav" "$WORK/rc.wav" 3.1e-5
check_eq "-b 16: precision" "$(soxi -p "$WORK/rc.wav")" 16
check_eq "-r 16k: rate" "$(soxi -r "$WORK/rc.wav")" 16000
sox "$float" -c 1 "$WORK/sox.wav" highpass 100
"$RINGCORDER" process -q --force "$float" -c 1 "$WORK/rc.wav" highpass 100
same "-c 1 with an effect: the mix after it" "$WORK/sox.wav" "$WORK/rc.wav" 1e-5

# Options before an input describe a headerless one.
sox "$pcm16" -t raw "$WORK/in.raw"
"$RINGCORDER" process -q --force -t raw -r 22050 -c 1 -e signed-integer -b 16 "$WORK/in.raw" "$WORK/raw.wav"
same "raw input" "$pcm16" "$WORK/raw.wav" 0
sox "$float" -t raw -e floating-point "$WORK/f.raw"
"$RINGCORDER" process -q --force -r 48k -c 2 -e floating-point "$WORK/f.raw" "$WORK/fraw.wav" gain -2
sox "$float" "$WORK/sox.wav" gain -2
same "raw float input (.raw)" "$WORK/sox.wav" "$WORK/fraw.wav" 1e-5

# '-': standard input read once (norm spools it for its second pass), standard output streamed.
sox "$float" "$WORK/sox.wav" norm -1
"$RINGCORDER" process -q --force - "$WORK/rc.wav" norm -1 <"$float"
same "standard input through norm (spooled)" "$WORK/sox.wav" "$WORK/rc.wav" 1e-5
sox "$float" "$WORK/sox.wav" gain -3
"$RINGCORDER" process -q --force "$float" -t wav - gain -3 | sox - "$WORK/rc.wav"
same "WAV to standard output" "$WORK/sox.wav" "$WORK/rc.wav" 1e-5
sox "$pcm16" -t raw - | "$RINGCORDER" process -q -t raw -r 22050 -c 1 -b 16 - -t raw - >"$WORK/out.raw"
cmp "$WORK/in.raw" "$WORK/out.raw" || fail "raw standard input to raw standard output changed samples"
echo "ok: raw through standard input and output, bit-exact"
# A reader that stops early (head) ends the run cleanly, as sox | head does.
status=0
"$RINGCORDER" process -q --force "$float" -t raw - 2>"$WORK/err.txt" | head -c 1000 >/dev/null || status=$?
check_eq "a pipe closed early: exit" "${PIPESTATUS[0]}" 0
check_eq "a pipe closed early: stderr" "$(cat "$WORK/err.txt")" ""

# '-n': no output at all (analysis).
(cd "$WORK" && "$RINGCORDER" process -q "$float" -n stats 2>"$WORK/stats.txt")
grep -q "^RMS lev dB" "$WORK/stats.txt" || fail "-n stats printed no stats"
[ -z "$(find "$WORK" -name '*-n*' -o -name '.*part*')" ] || fail "-n left a file"
echo "ok: -n writes nothing, stats printed"

# -o DIR: -t before -o changes the format and the extension; two inputs of one name are refused
# before anything runs.
mkdir -p "$WORK/out" "$WORK/a" "$WORK/b"
"$RINGCORDER" process -q --force "$float" "$pcm16" -t flac -o "$WORK/out"
check_eq "-o DIR -t flac: files" "$(cd "$WORK/out" && ls | tr '\n' ' ')" \
  "speech-silence-mono16.flac tones-noise-stereo-float.flac "
cp "$pcm16" "$WORK/a/x.wav" && cp "$pcm16" "$WORK/b/x.wav"
status=0
"$RINGCORDER" process -q --force "$WORK/a/x.wav" "$WORK/b/x.wav" -o "$WORK/out" 2>"$WORK/err.txt" || status=$?
check_eq "two inputs to one output: exit" "$status" 2
grep -q "would both be written to" "$WORK/err.txt" || fail "two inputs to one output: $(cat "$WORK/err.txt")"
[ ! -e "$WORK/out/x.wav" ] || fail "two inputs to one output: a file was written"
echo "ok: two inputs to one output refused, nothing written"

# MP3 and Opus written through libsndfile: read back, as long as the input and at its level
# (RMS within 0.5 dB: lossy, but the same signal); Opus only at its own rates.
rms() { sox "$1" -n stat 2>&1 | awk '/^RMS +amplitude/ { print $3 }'; }
for ext in mp3 opus; do
  "$RINGCORDER" process -q --force "$float" "$WORK/lossy.$ext" gain -3
  "$RINGCORDER" process -q --force "$WORK/lossy.$ext" "$WORK/back.wav"
  sox "$float" "$WORK/ref.wav" gain -3
  check_eq "$ext: frames read back" "$(soxi -s "$WORK/back.wav")" "$(soxi -s "$WORK/ref.wav")"
  awk -v a="$(rms "$WORK/back.wav")" -v b="$(rms "$WORK/ref.wav")" \
    'BEGIN { d = 20 * log(a / b) / log(10); exit !(d < 0.5 && d > -0.5) }' ||
    fail "$ext: RMS $(rms "$WORK/back.wav") read back, $(rms "$WORK/ref.wav") written"
  echo "ok: $ext written and read back at its level"
done
status=0
"$RINGCORDER" process -q --force "$pcm16" "$WORK/x.opus" 2>"$WORK/err.txt" || status=$?
check_eq "Opus at 22050 Hz: exit" "$status" 2
grep -q "put -r 48k before the output" "$WORK/err.txt" || fail "Opus at 22050 Hz: $(cat "$WORK/err.txt")"
"$RINGCORDER" process -q --force "$pcm16" -r 48k "$WORK/x.opus"
echo "ok: Opus refused at 22050 Hz with the way out, written with -r 48k"

# sox's -v (an input's volume) and --norm[=DB] (the output normalised after everything else).
sox -v 0.5 "$float" "$WORK/sox.wav" highpass 100
"$RINGCORDER" process -q --force -v 0.5 "$float" "$WORK/rc.wav" highpass 100
same "-v 0.5 before the input" "$WORK/sox.wav" "$WORK/rc.wav" 1e-5
sox -v -1 "$float" "$WORK/sox.wav"
"$RINGCORDER" process -q --force -v -1 "$float" "$WORK/rc.wav"
same "-v -1 (inverted)" "$WORK/sox.wav" "$WORK/rc.wav" 0
sox --norm "$float" "$WORK/sox.wav" gain 3
"$RINGCORDER" process -q --force "$float" "$WORK/rc.wav" --norm gain 3
same "--norm" "$WORK/sox.wav" "$WORK/rc.wav" 1e-5
sox --norm=-3 "$float" -c 1 "$WORK/sox.wav" highpass 100
"$RINGCORDER" process -q --force --norm=-3 "$float" -c 1 "$WORK/rc.wav" highpass 100
same "--norm=-3 with -c 1 (the norm after the mix)" "$WORK/sox.wav" "$WORK/rc.wav" 1e-5
