#!/usr/bin/env bash
# process as a user meets it: formats, channels, rates, many files, and every refusal with its
# exit code, never a partial file under the final name and never a changed input.
source "$(dirname "$0")/../integration/lib.sh"
stereo="$ASSETS/tones-noise-stereo-float.wav"
mono="$ASSETS/speech-silence-mono16.wav"
six="$ASSETS/six-channels-24.wav"
info() { soxi "$1" 2>/dev/null | awk -F': ' -v k="$2" '$1 ~ k { gsub(/^ +/, "", $2); print $2; exit }'; }
expect_exit() { # CODE DESCRIPTION COMMAND...
  local code=$1 what=$2 status=0
  shift 2
  "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || status=$?
  check_eq "$what: exit code" "$status" "$code"
  [ "$code" = 0 ] || [ -s "$WORK/err.txt" ] || fail "$what: no message on stderr"
  [ "$code" = 0 ] || echo "   message: $(head -n 1 "$WORK/err.txt")"
}
before=$(sha256sum "$stereo" "$mono" "$six")

# Formats and shapes.
expect_exit 0 "stereo float to 24-bit FLAC" "$RINGCORDER" process -q "$stereo" "$WORK/a.flac" gain -1
check_eq "FLAC bits" "$(info "$WORK/a.flac" 'Precision')" "24-bit"
expect_exit 0 "mono stays mono" "$RINGCORDER" process -q "$mono" "$WORK/m.wav" highpass 100
check_eq "mono channels" "$(info "$WORK/m.wav" 'Channels')" 1
check_eq "rate kept" "$(info "$WORK/m.wav" 'Sample Rate')" 22050
expect_exit 0 "six channels mixed down" "$RINGCORDER" process -q "$six" "$WORK/mix.wav" remix 1-3 4-6
check_eq "remixed channels" "$(info "$WORK/mix.wav" 'Channels')" 2
expect_exit 0 "swap and rate" "$RINGCORDER" process -q "$stereo" "$WORK/r.wav" swap rate 44100
check_eq "new rate" "$(info "$WORK/r.wav" 'Sample Rate')" 44100
frames=$(soxi -s "$WORK/r.wav" 2>/dev/null)
[ "$frames" -ge 88190 ] && [ "$frames" -le 88210 ] || fail "2 s at 44.1 kHz should be ~88200 frames, got $frames"
expect_exit 0 "norm to -3 dBFS" "$RINGCORDER" process -q "$stereo" "$WORK/n.wav" norm -3
peak=$(sox "$WORK/n.wav" -n stat 2>&1 | awk '/Maximum amplitude/ { hi = $3 } /Minimum amplitude/ { lo = -$3 }
  END { print (hi > lo ? hi : lo) }')
awk -v p="$peak" 'BEGIN { exit !(p > 0.7070 && p < 0.7081) }' || fail "norm -3: peak $peak, expected 0.7079"
echo "ok: norm -3 peak $peak"
expect_exit 0 "fade in and out to the end" "$RINGCORDER" process -q "$stereo" "$WORK/f.wav" fade t 0.5 0 0.5
check_eq "fade keeps length" "$(soxi -s "$WORK/f.wav" 2>/dev/null)" 96000

# Dither: automatic for 16-bit output, off with --no-dither.
expect_exit 0 "16-bit with dither" "$RINGCORDER" process -q "$stereo" "$WORK/d.wav" -e 16 gain -6
expect_exit 0 "16-bit without dither" "$RINGCORDER" process -q --no-dither "$stereo" "$WORK/nd.wav" -e 16 gain -6
diff=$("$AUDIO_DIFF" "$WORK/d.wav" "$WORK/nd.wav" | jq -r .max_abs_diff)
awk -v d="$diff" 'BEGIN { exit !(d > 0 && d <= 3.0 / 32768) }' || fail "dither should move samples by <= 2 LSB, moved $diff"
echo "ok: automatic TPDF dither moves 16-bit samples by at most $diff"

# Several files into a directory, two at a time.
mkdir "$WORK/outdir"
expect_exit 0 "two files with --jobs 2" "$RINGCORDER" process -q --jobs 2 "$stereo" "$mono" -o "$WORK/outdir" gain -2
[ -f "$WORK/outdir/$(basename "$stereo")" ] && [ -f "$WORK/outdir/$(basename "$mono")" ] || fail "-o dir: outputs missing"

# --stats-json: one object per file in the order given, a failed one with its error, and the
# text summary still on stdout.
expect_exit 1 "stats of two files, one missing" "$RINGCORDER" process --stats-json "$WORK/stats.json" \
  "$stereo" "$WORK/nosuch.wav" -o "$WORK/outdir" gain -2 --force
check_eq "stats: files" "$(jq -r '.files | length' "$WORK/stats.json")" 2
check_eq "stats: converted, failed" "$(jq -r '"\(.converted) \(.failed)"' "$WORK/stats.json")" "1 1"
check_eq "stats: first" "$(jq -r '.files[0] | "\(.ok) \(.input_channels) \(.output_rate) \(.frames_out) \(.effects)"' "$WORK/stats.json")" \
  "true 2 48000 96000 gain -2"
check_eq "stats: second" "$(jq -r '.files[1] | "\(.ok) \(.input)"' "$WORK/stats.json")" "false $WORK/nosuch.wav"
jq -e '.files[1].error | test("nosuch")' "$WORK/stats.json" >/dev/null || fail "stats: the missing file's error: $(jq -c .files[1] "$WORK/stats.json")"
grep -q "$(basename "$stereo")" "$WORK/out.txt" || fail "stats: the text summary went missing: $(cat "$WORK/out.txt")"
expect_exit 0 "stats on stdout alone" "$RINGCORDER" process --stats-json - "$stereo" "$WORK/s.wav" gain -1
jq -e '.files[0].ok' "$WORK/out.txt" >/dev/null || fail "--stats-json -: not JSON alone on stdout: $(head -3 "$WORK/out.txt")"

# Refusals: usage errors (2) and runtime errors (1).
expect_exit 2 "unknown effect" "$RINGCORDER" process "$stereo" "$WORK/x.wav" reverb 50
expect_exit 2 "NaN gain" "$RINGCORDER" process "$stereo" "$WORK/x.wav" gain nan
expect_exit 2 "negative width" "$RINGCORDER" process "$stereo" "$WORK/x.wav" highpass 80 -1q
expect_exit 2 "missing parameter" "$RINGCORDER" process "$stereo" "$WORK/x.wav" equalizer 1000 1q
expect_exit 2 "extra parameter" "$RINGCORDER" process "$stereo" "$WORK/x.wav" gain 1 2
# A trim reads only what it needs, as sox does: a first trim seeks to its start (sox's
# optimize_trim) and the reading stops where the last window ends (sox stops at its effects'
# SOX_EOF). On a 10-minute input, `trim 300 1` reads from 5:00 to 5:01, never the rest; the
# frames are the same as sox's.
sox -n -r 48000 -c 2 -b 16 "$WORK/long.wav" synth 600 sine 440 sine 660
"$RINGCORDER" process -q --stats-json "$WORK/trim.json" "$WORK/long.wav" "$WORK/trimmed.wav" trim 300 1
sox "$WORK/long.wav" "$WORK/trimmed-sox.wav" trim 300 1
check_eq "trim 300 1: frames" "$(soxi -s "$WORK/trimmed.wav")" 48000
cmp -s <(sox "$WORK/trimmed.wav" -t raw -) <(sox "$WORK/trimmed-sox.wav" -t raw -) ||
  fail "trim 300 1: samples differ from sox's"
read_to=$(jq -r '.files[0].frames_in' "$WORK/trim.json")
check_eq "trim 300 1: the input read to frame" "$read_to" $((301 * 48000))
echo "ok: trim 300 1 read the input to frame $read_to of $((600 * 48000))"
# The same stop with several windows, an end counted from the input's end, a measured gain
# (the input read again for its pass) and a pipe (read once: no seek, and spooled for the
# gain's pass): each the frames sox gives (float: no dither; trims alone sample-exact, gains
# within 1e-5), each read exactly to the last window's end.
sox "$WORK/long.wav" -e floating-point -b 32 "$WORK/short.wav" trim 0 20
for case in "trim 1 2 3 1=7" "trim 0 -15=5" "trim 2 1 gain -n -1=3" "trim 0.5 =3 vol 0.5 gain -n=3"; do
  chain=${case%=*}
  end_s=${case##*=}
  # shellcheck disable=SC2086 # the chain's words
  sox "$WORK/short.wav" "$WORK/chain-sox.wav" $chain
  for input in file pipe; do
    if [ $input = file ]; then
      # shellcheck disable=SC2086
      "$RINGCORDER" process -q --force --stats-json "$WORK/chain.json" "$WORK/short.wav" \
        "$WORK/chain.wav" $chain
    else
      # A pipe, whose writer may be cut off once the reading stops (as sox's is).
      # shellcheck disable=SC2086
      "$RINGCORDER" process -q --force --stats-json "$WORK/chain.json" - "$WORK/chain.wav" \
        $chain < <(cat "$WORK/short.wav")
    fi
    check_eq "$chain (from a $input): frames" "$(soxi -s "$WORK/chain.wav")" \
      "$(soxi -s "$WORK/chain-sox.wav")"
    difference=$(sox -m -v 1 "$WORK/chain.wav" -v -1 "$WORK/chain-sox.wav" -n stat 2>&1 |
      awk '/^Maximum amplitude/ { print $3 }')
    case $chain in
    *gain*) awk -v d="$difference" 'BEGIN { exit !(d <= 1e-5) }' ;;
    *) [ "$difference" = 0.000000 ] ;;
    esac || fail "$chain (from a $input): differs from sox's by $difference"
    check_eq "$chain (from a $input): the input read to frame" \
      "$(jq -r '.files[0].frames_in' "$WORK/chain.json")" $((end_s * 48000))
  done
done
echo "ok: trims with several windows, from the end, before a measured gain, from a pipe"
# sox's -D is --no-dither: a 16-bit output of gain, undithered.
"$RINGCORDER" process -q -D "$WORK/long.wav" "$WORK/d1.wav" trim 0 1 gain -1
"$RINGCORDER" process -q --no-dither "$WORK/long.wav" "$WORK/d2.wav" trim 0 1 gain -1
"$RINGCORDER" process -q "$WORK/long.wav" "$WORK/d3.wav" trim 0 1 gain -1
cmp -s "$WORK/d1.wav" "$WORK/d2.wav" || fail "-D and --no-dither give different files"
! cmp -s "$WORK/d1.wav" "$WORK/d3.wav" || fail "-D: the default output is not dithered"
echo "ok: -D is --no-dither"

expect_exit 2 "huge frequency" "$RINGCORDER" process "$stereo" "$WORK/x.wav" lowpass 30000
expect_exit 2 "unknown extension" "$RINGCORDER" process "$stereo" "$WORK/x.mp4" gain 1
expect_exit 2 "output is the input" "$RINGCORDER" process --force "$stereo" "$stereo" gain 1
expect_exit 2 "remix of a missing channel" "$RINGCORDER" process "$mono" "$WORK/x.wav" remix 1 2
expect_exit 1 "missing input" "$RINGCORDER" process "$WORK/none.wav" "$WORK/x.wav"
echo "not audio" >"$WORK/text.wav"
expect_exit 1 "not an audio file" "$RINGCORDER" process "$WORK/text.wav" "$WORK/x.wav"
: >"$WORK/empty.wav"
expect_exit 1 "empty input" "$RINGCORDER" process "$WORK/empty.wav" "$WORK/x.wav"
expect_exit 1 "existing output without --force" "$RINGCORDER" process "$stereo" "$WORK/a.flac"
expect_exit 1 "unwritable output" "$RINGCORDER" process "$stereo" /proc/x.wav
[ ! -e "$WORK/x.wav" ] || fail "a refused command left $WORK/x.wav behind"
leftovers=$(find "$WORK" -name '.*.part-*' | wc -l)
check_eq "temporary files left" "$leftovers" 0
check_eq "inputs unchanged" "$(sha256sum "$stereo" "$mono" "$six")" "$before"
