#!/usr/bin/env bash
# Hostile input, offline (no audio server): every command fed malformed files, options, effect
# parameters and paths must answer with one line on stderr ("ringcorder: ...") and the documented
# exit code (README "Exit codes": 1 runtime, 2 usage), within 20 s (a timeout is a hang), never
# by a signal, never leaving a file under the output name or a hidden temporary, never changing
# an input. The live commands appear only with arguments refused before any device is opened.
#
# Truncated files: a WAV whose header parses (cut in the middle of its data, or a PCM header whose
# data chunk is missing entirely) is processed like sox does, with the frames actually present:
# those rows expect exit 0 and a readable output. A header cut before its data chunk is exit 1.
source "$(dirname "$0")/../integration/lib.sh"

IN="$WORK/in"    # inputs: checksummed before and after every row
KEEP="$WORK/keep" # existing outputs that must survive: checksummed too
OUT="$WORK/out"  # where outputs go; must hold nothing after a refused row
mkdir -p "$IN" "$KEEP" "$OUT"

# Fixtures.
cp "$ASSETS/tones-noise-stereo-float.wav" "$IN/stereo.wav"
stereo="$IN/stereo.wav"
: >"$IN/empty.wav"
head -c 44 "$stereo" >"$IN/header-only-float.wav"    # cut inside the header: no data chunk
sox -n -r 48000 -c 2 -b 16 "$WORK/p16.wav" synth 0.5 sine 440
head -c 44 "$WORK/p16.wav" >"$IN/header-only-pcm.wav" # complete header, data missing
head -c 100000 "$stereo" >"$IN/cut.wav"               # cut mid-data
{ printf 'RIFF'; head -c 4000 /dev/urandom; } >"$IN/corrupt.wav"
cp "$stereo" "$IN/bad-fmt.wav" # a valid RIFF/WAVE frame, garbage in the fmt chunk
printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' |
  dd of="$IN/bad-fmt.wav" bs=1 seek=20 conv=notrunc 2>/dev/null
echo "this is not audio" >"$IN/text.wav"
cp /etc/passwd "$IN/passwd.wav"
sox -n -r 22050 -c 1 "$IN/mono.wav" synth 0.5 sine 440
sox -n -r 48000 -c 6 "$IN/six.wav" synth 0.5 sine 440
sox -n -r 8000 -c 1024 "$IN/ch1024.wav" synth 0.05 sine 440
for r in 8000 11025 192000; do sox -n -r $r -c 2 "$IN/r$r.wav" synth 0.5 sine 440; done
sox -n -r 1 -c 1 "$IN/r1.wav" synth 5 sine 0.1
# A header claiming 65535 channels (libsndfile reads at most 1024).
printf 'RIFF\044\000\000\000WAVEfmt \020\000\000\000\001\000\377\377\200\273\000\000\000\000\000\000\000\000\020\000data\000\000\000\000' \
  >"$IN/ch65535.wav"
ln -s "$stereo" "$IN/link.wav"
mkdir "$IN/dir"
echo "precious" >"$KEEP/existing.wav"
mkdir "$OUT/isdir.wav"

# Every regular file under $IN and $KEEP, at any depth and hidden ones too, hashed in one
# process. The rows below fork as little as they can: a fork and exec costs 30-40 ms on a loaded
# machine here, and the ~100 rows used to spend most of their time (150-300 s) in the checks'
# small tools rather than in ringcorder.
checksums() {
  local f files=()
  shopt -s globstar dotglob nullglob
  for f in "$IN"/** "$KEEP"/**; do [ -f "$f" ] && [ ! -L "$f" ] && files+=("$f"); done
  shopt -u globstar dotglob nullglob
  sha256sum "${files[@]}"
}
before=$(checksums)

rows=0
failures=0
row_fail() {
  echo "FAIL: row $rows ($1): $2" >&2
  [ -s "$WORK/err.txt" ] && sed 's/^/   stderr: /' "$WORK/err.txt" >&2
  failures=$((failures + 1))
}

# row CODE OUTPUT DESCRIPTION -- COMMAND...
# OUTPUT is the path the command would write ("-" for none). CODE 0: the output must exist and be
# audio sox reads, stderr empty (rows pass -q). Otherwise: stderr exactly one line starting
# "ringcorder: ", and nothing under OUTPUT.
row() {
  local code=$1 output=$2 what=$3 status=0 failed_before=$failures
  shift 4
  rows=$((rows + 1))
  timeout 20 "$@" >"$WORK/stdout.txt" 2>"$WORK/err.txt" || status=$?
  if [ "$status" = 124 ]; then
    row_fail "$what" "hung (killed after 20 s)"
  elif [ "$status" -gt 128 ]; then
    row_fail "$what" "killed by signal $((status - 128))"
  elif [ "$status" != "$code" ]; then
    row_fail "$what" "exit $status, expected $code"
  fi
  local err=() line nonempty=0
  mapfile -t err <"$WORK/err.txt"
  for line in "${err[@]}"; do [ -z "$line" ] || nonempty=$((nonempty + 1)); done
  if [ "$code" = 0 ]; then
    [ "${#err[@]}" = 0 ] || row_fail "$what" "stderr not empty"
    if [ "$output" != - ]; then
      soxi "$output" >/dev/null 2>&1 || row_fail "$what" "no readable output '$output'"
      rm -f "$output"
    fi
  else
    if [ "${#err[@]}" != 1 ] || [ "$nonempty" != 1 ]; then row_fail "$what" "${#err[@]} stderr lines, expected one"; fi
    [[ "${err[0]:-}" == "ringcorder: "* ]] || row_fail "$what" "stderr does not start 'ringcorder: '"
    if [ "$output" != - ] && [ -e "$output" ] && [ ! -d "$output" ]; then
      row_fail "$what" "left a file under '$output'"
      rm -f "$output" # so the next rows start clean
    fi
  fi
  [ "$failures" != "$failed_before" ] || echo "ok: row $rows: $what -> $status: ${err[0]:-}"
  # Hidden temporaries anywhere under $WORK (bash's own recursive glob: no find to fork).
  local temporaries=()
  shopt -s globstar dotglob nullglob
  temporaries=("$WORK"/**/.*.part-*)
  shopt -u globstar dotglob nullglob
  [ "${#temporaries[@]}" = 0 ] || { row_fail "$what" "${#temporaries[@]} hidden temporaries left"; rm -f "${temporaries[@]}"; }
  [ "$(checksums)" = "$before" ] || { row_fail "$what" "an input or existing file changed"; before=$(checksums); }
  return 0
}

rc=$RINGCORDER
o="$OUT/o.wav"
P=("$rc" process -q)

# --- process: input files -------------------------------------------------------------------
row 1 "$o" "missing input" -- "${P[@]}" "$IN/missing.wav" "$o"
row 1 "$o" "empty input" -- "${P[@]}" "$IN/empty.wav" "$o"
row 1 "$o" "header cut before the data chunk" -- "${P[@]}" "$IN/header-only-float.wav" "$o"
row 0 "$o" "complete header, data missing" -- "${P[@]}" "$IN/header-only-pcm.wav" "$o" gain -1
row 0 "$o" "cut in the middle of the data" -- "${P[@]}" "$IN/cut.wav" "$o" gain -1
row 1 "$o" "RIFF then random bytes" -- "${P[@]}" "$IN/corrupt.wav" "$o"
row 1 "$o" "garbage fmt chunk" -- "${P[@]}" "$IN/bad-fmt.wav" "$o"
row 1 "$o" "text file" -- "${P[@]}" "$IN/text.wav" "$o"
row 1 "$o" "/etc/passwd copy" -- "${P[@]}" "$IN/passwd.wav" "$o"
row 1 "$o" "/dev/zero" -- "${P[@]}" /dev/zero "$o"
row 1 "$o" "a directory as input" -- "${P[@]}" "$IN/dir" "$o"
row 1 "$o" "65535 channels claimed" -- "${P[@]}" "$IN/ch65535.wav" "$o"
row 0 "$o" "1024 channels" -- "${P[@]}" "$IN/ch1024.wav" "$o" gain -1
row 0 "$o" "mono" -- "${P[@]}" "$IN/mono.wav" "$o" highpass 80
row 0 "$o" "6 channels" -- "${P[@]}" "$IN/six.wav" "$o" highpass 80
row 0 "$o" "8000 Hz" -- "${P[@]}" "$IN/r8000.wav" "$o" lowpass 3k
row 0 "$o" "11025 Hz" -- "${P[@]}" "$IN/r11025.wav" "$o" rate 44100
row 0 "$o" "192000 Hz" -- "${P[@]}" "$IN/r192000.wav" "$o" rate 48000
row 0 "$o" "1 Hz" -- "${P[@]}" "$IN/r1.wav" "$o" gain -1 fade 1 0 1
row 2 "$o" "1 Hz: highpass above Nyquist" -- "${P[@]}" "$IN/r1.wav" "$o" highpass 80
row 2 "$o" "1 Hz: resampling 44100x" -- "${P[@]}" "$IN/r1.wav" "$o" rate 44100
row 2 "$o" "8000 Hz: lowpass above Nyquist" -- "${P[@]}" "$IN/r8000.wav" "$o" lowpass 5000
row 2 "$o" "8000 Hz: sinc above Nyquist" -- "${P[@]}" "$IN/r8000.wav" "$o" sinc 3k-5k
row 2 "$o" "1 Hz: sinc above Nyquist" -- "${P[@]}" "$IN/r1.wav" "$o" sinc -1k
row 0 "$o" "8000 Hz: sinc with 32767 taps, longer than the file" -- "${P[@]}" "$IN/r8000.wav" "$o" sinc -n 32767 1k
row 0 "$o" "cut file: sinc -M" -- "${P[@]}" "$IN/cut.wav" "$o" sinc -M 1k-3k
row 2 "$o" "mono: remix of channel 2" -- "${P[@]}" "$IN/mono.wav" "$o" remix 1 2
row 2 "$o" "fade-out longer than the file" -- "${P[@]}" "$stereo" "$o" fade 0 0 1:00

# --- process: outputs -------------------------------------------------------------------------
row 2 "$OUT/o.xyz" "unknown extension" -- "${P[@]}" "$stereo" "$OUT/o.xyz"
row 2 "$OUT/o.mp4" "mp4 (not written)" -- "${P[@]}" "$stereo" "$OUT/o.mp4"
row 2 "$OUT/noext" "no extension" -- "${P[@]}" "$stereo" "$OUT/noext"
row 2 "$OUT/o.ogg" "Ogg with -e 16" -- "${P[@]}" -e 16 "$stereo" "$OUT/o.ogg"
row 2 "$OUT/o.flac" "FLAC as float" -- "${P[@]}" -e float "$stereo" "$OUT/o.flac"
row 2 "$o" "encoding 13" -- "${P[@]}" -e 13 "$stereo" "$o"
row 2 "$o" "encoding abc" -- "${P[@]}" -e abc "$stereo" "$o"
row 2 - "output == input" -- "${P[@]}" --force "$stereo" "$stereo" gain 1
row 2 - "output == input via dir/../" -- "${P[@]}" --force "$stereo" "$IN/dir/../stereo.wav" gain 1
row 2 - "output == input via a symlink" -- "${P[@]}" --force "$stereo" "$IN/link.wav" gain 1
row 2 - "output == input, no --force" -- "${P[@]}" "$stereo" "$IN/./stereo.wav" gain 1
row 1 - "existing output without --force" -- "${P[@]}" "$stereo" "$KEEP/existing.wav"
row 1 "$WORK/nodir/o.wav" "output in a missing directory" -- "${P[@]}" "$stereo" "$WORK/nodir/o.wav"
row 1 /proc/o.wav "output under /proc" -- "${P[@]}" "$stereo" /proc/o.wav
row 1 - "output is a directory" -- "${P[@]}" "$stereo" "$OUT/isdir.wav"
row 1 - "output is a directory, --force" -- "${P[@]}" --force "$stereo" "$OUT/isdir.wav"
row 2 - "output is a path ending in /" -- "${P[@]}" "$stereo" "$OUT/"
row 2 - "-o a missing directory, two inputs" -- "${P[@]}" "$stereo" "$IN/mono.wav" -o "$WORK/nodir"
if [ "$(id -u)" != 0 ]; then
  mkdir "$WORK/readonly" && chmod 555 "$WORK/readonly"
  row 1 "$WORK/readonly/o.wav" "read-only directory" -- "${P[@]}" "$stereo" "$WORK/readonly/o.wav"
else
  echo "note: running as root: no read-only directory row (permissions do not apply)"
fi

# --- process: command line --------------------------------------------------------------------
row 2 - "no arguments" -- "$rc" process
row 2 - "input only" -- "${P[@]}" "$stereo"
row 2 - "three files without -o" -- "${P[@]}" "$stereo" "$IN/mono.wav" "$o"
row 2 "$o" "unknown option" -- "${P[@]}" --bogus "$stereo" "$o"
row 2 "$o" "-j 0" -- "${P[@]}" -j 0 "$stereo" "$o"
row 2 "$o" "-j abc" -- "${P[@]}" -j abc "$stereo" "$o"
row 2 "$o" "-j 1000" -- "${P[@]}" -j 1000 "$stereo" "$o"
row 2 - "-o without a value" -- "${P[@]}" "$stereo" -o
row 2 - "unknown command" -- "$rc" bogus
row 2 - "unknown global option" -- "$rc" --bogus process "$stereo" "$o"

# --- process: sox's format options, '-' and '-n' ------------------------------------------------
row 2 "$o" "-r before an input with a header" -- "${P[@]}" -r 16000 "$stereo" "$o"
row 2 "$o" "-c before an input with a header" -- "${P[@]}" -c 1 "$stereo" "$o"
row 2 "$o" "raw input without -r" -- "${P[@]}" -t raw -c 2 -b 16 "$stereo" "$o"
row 2 "$o" "raw input without -c" -- "${P[@]}" -t raw -r 48000 -b 16 "$stereo" "$o"
row 2 "$o" "raw input of 12 bits" -- "${P[@]}" -t raw -r 48000 -c 2 -b 12 "$stereo" "$o"
row 2 "$o" "raw input of 16-bit floats" -- "${P[@]}" -t raw -r 48000 -c 2 -e float -b 16 "$stereo" "$o"
row 2 "$o" "raw input, unknown encoding" -- "${P[@]}" -t raw -r 48000 -c 2 -e mu "$stereo" "$o"
row 2 "$o" "raw input, rate nan" -- "${P[@]}" -t raw -r nan -c 2 -b 16 "$stereo" "$o"
row 2 "$o" "raw input, 0 channels" -- "${P[@]}" -t raw -r 48000 -c 0 -b 16 "$stereo" "$o"
row 2 "$o" "output -r abc" -- "${P[@]}" "$stereo" -r abc "$o"
row 2 "$o" "output -r 0" -- "${P[@]}" "$stereo" -r 0 "$o"
row 2 "$o" "output -r 1e12" -- "${P[@]}" "$stereo" -r 1e12 "$o"
row 2 "$o" "output -r 44.1" -- "${P[@]}" "$stereo" -r 44.1 "$o"
row 2 "$o" "output -c 0" -- "${P[@]}" "$stereo" -c 0 "$o"
row 2 "$o" "output -c 5000" -- "${P[@]}" "$stereo" -c 5000 "$o"
row 2 "$o" "output -b 12" -- "${P[@]}" "$stereo" -b 12 "$o"
row 2 "$o" "output -t bogus" -- "${P[@]}" "$stereo" -t bogus "$o"
row 2 - "-r without a value" -- "${P[@]}" "$stereo" "$o" -r
row 2 - "standard output without -t" -- "${P[@]}" "$stereo" -
row 2 - "standard output as FLAC" -- "${P[@]}" "$stereo" -t flac -
row 2 - "-n as an input" -- "${P[@]}" -n "$o"
row 2 - "standard input with -o DIR" -- "${P[@]}" - -o "$OUT"
row 2 - "- as input and output, no type" -- "${P[@]}" - -
row 1 "$o" "standard input that is empty" -- sh -c '"$@" </dev/null' sh "${P[@]}" - "$o"
row 1 "$o" "standard input that is no audio" -- sh -c 'echo hello | "$@"' sh "${P[@]}" - "$o"
row 0 - "raw standard input to raw standard output" -- \
  sh -c 'head -c 4000 /dev/zero | "$@" >/dev/null' sh "${P[@]}" -t raw -r 8000 -c 1 -b 16 - -t raw -
row 2 "$o" "-v before the output" -- "${P[@]}" "$stereo" -v 2 "$o"
row 2 "$o" "-v abc" -- "${P[@]}" -v abc "$stereo" "$o"
row 2 "$o" "-v nan" -- "${P[@]}" -v nan "$stereo" "$o"
row 2 "$o" "-v without a value" -- "${P[@]}" "$stereo" "$o" -v
row 2 "$o" "--norm=x" -- "${P[@]}" --norm=x "$stereo" "$o"
row 2 "$o" "--norm=1e308" -- "${P[@]}" --norm=1e308 "$stereo" "$o"
row 2 "$o" "-V9 (levels 0 to 6)" -- "${P[@]}" -V9 "$stereo" "$o"
row 2 "$o" "-Vx" -- "${P[@]}" -Vx "$stereo" "$o"
row 2 "$o" "-V-1" -- "${P[@]}" -V-1 "$stereo" "$o"
row 2 "$o" "-Vnan" -- "${P[@]}" -Vnan "$stereo" "$o"
row 2 "$o" "-V1e308" -- "${P[@]}" -V1e308 "$stereo" "$o"
row 2 "$o" "-V five times (7)" -- "${P[@]}" -V -V -V -V -V "$stereo" "$o"
row 0 "$o" "-G twice: once (as sox, and as -q -q)" -- "${P[@]}" -G -G "$stereo" "$o"
row 2 "$o" "--guard=x" -- "${P[@]}" --guard=x "$stereo" "$o"
row 0 "$o" "-S twice: once" -- "${P[@]}" -S --show-progress "$stereo" "$o"
row 2 "$o" "-G: a gain -r with no headroom to reclaim (sox fails too)" -- \
  "${P[@]}" -G "$stereo" "$o" highpass 100 gain 6
row 0 "$o" "-V3 -S -G with -q: quiet" -- "${P[@]}" -V3 -S -G "$stereo" "$o" bass 3
row 2 - "-o DIR: two inputs to one output" -- "${P[@]}" "$stereo" "$IN/../in/stereo.wav" -o "$OUT"

# --- process: effects -------------------------------------------------------------------------
E() { row 2 "$o" "$*" -- "${P[@]}" "$stereo" "$o" "$@"; }
E reverb 50
E synth 1 bogus 440
E synth 1 pluck 20
E synth 1 pluck 5k
E synth 1 pluck nan
E synth 1 pluck 100:200
E synth 1 pluck %-100
E synth 1 sine %
E synth 1 sine %x
E synth 1 sine %nan
E synth 1 sine %inf
E synth 1 sine %1e300
E synth 1 sine %200
E synth 1 sine %3k
E synth 1 sine H4
E synth 1 sine A44
E synth 1 sine %1:
E synth -j
E synth -j x 1 sine
E synth -j 3x 1 sine
E synth -j nan 1 sine
E synth -j 99999999999 1 sine
E synth -j 1e3 1 sine
E synth -j 3 -n 1 sine
row 2 "$o" "synth pluck at 8 kHz (sox: 44.1 to 48 kHz)" -- "${P[@]}" "$IN/r8000.wav" "$o" synth 1 pluck
E synth 1 sine 44x
E synth 1 sine nan
E synth 1 sine inf
E synth 1 sine 1e300
E synth 1 sine 200 -101
E synth 1 sine 200 nan
E synth 1 sine 200 150
E synth 1 whitenoise 100:200
E synth sine 100:200
E synth 1 sine 0/200
E synth 1:2:3:4 sine
E synth 99999999999 sine
row 2 "$o" "synth without a length on -n" -- "${P[@]}" -n "$o" synth sine
row 2 "$o" "synth with a length of 0 on -n" -- "${P[@]}" -n "$o" synth 0 sine
row 2 "$o" "synth with a negative length on -n (sox: an offset)" -- "${P[@]}" -n "$o" synth -1 sine
row 2 "$o" "-n without synth" -- "${P[@]}" -n "$o" gain -3
E gain 1 2
E gain -x 3
E gain -e -B
E gain -Bb
E gain -n -r
E gain -l -h
E gain -n 1 2
E gain -n nan
E gain -e 1e308
E gain -r
E gain -h remix 1,2 gain -r
E gain abc
E gain nan
E gain inf
E gain -inf
E gain 1e308
E gain ''
for f in highpass lowpass; do
  E $f
  E $f 0
  E $f -80
  E $f abc
  E $f nan
  E $f 1e308
  E $f 1e-300
  E $f 30000
  E $f 80 0
  E $f 80 -1q
  E $f 80 nanq
  E $f 80 infq
  E $f 80 1e308
  E $f 80 1e308o
  E $f 80 1e-308o
  E $f 80 1x
  E $f 80 1q 2
  E $f -1 80 1q
  E $f -3 80
done
E equalizer 1000 1q
E equalizer 1000 1q 3 4
E equalizer 1000 0q 3
E equalizer 1000 1q nan
E equalizer 1000 1q 1e308
E equalizer 1000 1e308h 3
E equalizer 1000 1e-308o 3
E equalizer abc 1q 3
for f in bass treble; do
  E $f
  E $f abc
  E $f 1e308
  E $f 3 0
  E $f 3 -100
  E $f 3 1e308
  E $f 3 100 0s
  E $f 3 100 2s
  E $f 3 100 1e308q
  E $f 3 100 0.5s 1
done
E limit
E limit 1
E limit nan
E limit -1 0
E limit -1 -5
E limit -1 1e308
E limit -1 50 1
E fade
E fade abc
E fade -1
E fade nan
E fade 1e308
E fade 1e308s
E fade 1.5s
E fade 1:99:00
E fade 1:00:00:00
E fade x 1
E fade 1 2 3 4
E norm 1
E norm nan
E norm 1e308
E norm 1 2
E remix
E remix a
E remix 1-0
E remix 999
E remix 1v1e308
E remix 1vnan
E remix 1p
E remix ,,
E remix 3
E swap 1
E rate
E rate 0
E rate -44100
E rate 10
E rate nan
E rate 1e308
E rate 44100 1
E rate -x 44100
E dither 0
E dither 1.5
E dither 1e308
E dither abc
E dither 16 2
E dither -p
E dither -p 0
E dither -p 1
E dither -p 25
E dither -p nan
E dither -p abc
E dither -p 16 extra
E dither -p 16.5
E dither -p -16
E dither -s
E dither -a
E vol
E vol abc
E vol nan
E vol 1e308
E vol inf dB
E vol 300 dB
E vol -1e21 power
E vol 2 decibels
E vol 0.5 0.05
E vol 0.5 amplitude 0.05
E vol 2 amplitude 0
E vol 2 amplitude 1
E vol 2 amplitude nan
E vol 2 amplitude 0.05 1
E dcshift
E dcshift abc
E dcshift nan
E dcshift 2.5
E dcshift -1e308
E dcshift 0.1 0
E dcshift 0.1 1.5
E dcshift 0.1 0.05 1
E channels
E channels 0
E channels 1.5
E channels 257
E channels nan
E channels 2 2
E bandpass
E bandpass 1000
E bandpass 1000 0
E bandpass 1000 nan
E bandpass 1000 100s
E bandpass -c
E bandpass 30k 100
E bandreject 1000
E bandreject 1000 1x
E allpass 1000
E allpass -1
E allpass -1 1000 100
E allpass -3 1000
E band
E band 1000 200 1
E band -n
E band 1000 0
E deemph 1
E riaa x
E biquad
E biquad 1 2 3 4 5
E biquad 1 0 0 0 0 0
E biquad 1 0 0 1 0 1
E biquad 1 0 0 1 nan 0
E biquad 1 0 0 1 0 0 1
E contrast 101
E contrast -1
E contrast nan
E contrast 50 1
E overdrive 101
E overdrive 20 -1
E overdrive abc
E overdrive 20 20 20
E trim
E trim x
E trim nan
E trim 1e300
E trim 1e6t
E trim 2 =1
E trim 1:x
E pad
E pad x
E pad -1
E pad 1e300
E pad 1@x
E pad 1@2 1@1
E pad 1@0.2 1@0.2
E pad 1@5
E delay
E delay x
E delay 1 1 1
E delay 1:x
E delay 1e300
E delay 100000 100000
E repeat -
E silence
E silence -l
E silence 1 0.1
E silence 1 0.1 1% 1 0.1
E silence 1 0.1 1% 1 0.1 1% 5
E silence nan 0.1 1%
E silence 1 nan 1%
E silence 1 0.1 nan
E silence 99999999999 0.1 1%
E silence 1 1e300 1%
E silence 1 10000:00:00 1%
E silence -1 0.1 1%
E silence 1 -0.1 1%
E silence 1 0.1 1x
E silence 1 0.1 101%
E silence 1 0.1 3d
E silence 1 0.1 1% 1 0.1 1% : restart
E silence 1 newfile 0.1 1%
E silence 1 0.1 1% 1 0.1 1% : newfile 3
E silence 1 0.1 1% 1 0.1 1% : newfile : restart gain 1
E silence 1 0.1 1% 1 0.1 1% : newfile : restart : restart
E norm : newfile
E silence 1 0.1 1% 1 0.1 1% : newfile : silence 1 x 1%
row 2 - "newfile to standard output" -- "${P[@]}" "$stereo" -t wav - silence 1 0.1 1% 1 0.1 1% : newfile : restart
row 2 - "newfile to -n" -- "${P[@]}" "$stereo" -n silence 1 0.1 1% 1 0.1 1% : newfile : restart
row 2 - "newfile with two inputs to -o DIR" -- "${P[@]}" "$stereo" "$IN/mono.wav" -o "$OUT" silence 1 0.1 1% 1 0.1 1% : newfile : restart
row 2 "$o" "newfile with --norm" -- "${P[@]}" --norm "$stereo" "$o" silence 1 0.1 1% 1 0.1 1% : newfile : restart
row 2 "$o" "restart with an argument after newfile twice" -- "${P[@]}" "$stereo" "$o" gain 0 : : newfile : restart : newfile restart x
E repeat x
E repeat 1.5
E repeat -1
E repeat 1 2
E reverse 1
E stat -freq
E stat -d
E stat -s
E stat -s 0
E stat -s x
E stat 1
E stats 1
E stats -b
E stats -b 1
E stats -x 33
E stats -w 0
E stats -w 11
E stats -s 100
E stats -s nan
E tremolo
E tremolo abc
E tremolo -1
E tremolo -0
E tremolo nan
E tremolo inf
E tremolo 1e308
E tremolo 5k
E tremolo 5 0
E tremolo 5 -40
E tremolo 5 101
E tremolo 5 nan
E tremolo 5 1e308
E tremolo 5 40 1
E speed
E speed abc
E speed 0
E speed -1
E speed nan
E speed inf
E speed 1e308
E speed 1e-300
E speed 2x
E speed c
E speed nanc
E speed 1e308c
E speed 2 3
E speed 200 speed 200
E sinc
E sinc 0
E sinc 0-0
E sinc 3k 4k
E sinc 3k-
E sinc -
E sinc nan
E sinc 3k-nan
E sinc inf
E sinc 1e308
E sinc -1e308
E sinc 3k-2e6
E sinc -a 60 -b 5 3k
E sinc -t 100 -n 51 3k
E sinc -t 100 3k-4k -n 51
E sinc -a 30 3k
E sinc -a nan 3k
E sinc -b -1 3k
E sinc -b 1e308 3k
E sinc -n 5 3k
E sinc -n 1e9 3k
E sinc -n 51.5 3k
E sinc -p 101 3k
E sinc -p -1 3k
E sinc -t 0.5 3k
E sinc -t nan 3k
E sinc -t
E sinc -x 3k
E sinc 3k-30k
E sinc 24k
E sinc 30k-3k
row 1 "$o" "reverse where no temporary file can be made" -- env TMPDIR=/nonexistent "${P[@]}" "$stereo" "$o" reverse
row 2 "$o" "deemph at 192 kHz" -- "${P[@]}" "$IN/r192000.wav" "$o" deemph
row 2 "$o" "riaa at 22050 Hz" -- "${P[@]}" "$IN/mono.wav" "$o" riaa
row 0 "$o" "remix -m (an option-like effect argument)" -- "${P[@]}" "$stereo" "$o" gain -3 remix -m 1,2 2
row 0 "$o" "negative gain and one-pole filter" -- "${P[@]}" "$stereo" "$o" gain -3 highpass -1 80
row 0 "$o" "tremolo at 0 Hz (sox: the input unchanged)" -- "${P[@]}" "$stereo" "$o" tremolo 0
row 0 "$o" "speed down 8 octaves on a 1 Hz file" -- "${P[@]}" "$IN/r1.wav" "$o" speed 0.00390625
row 0 "$o" "rate with a sox quality flag" -- "${P[@]}" "$stereo" "$o" rate -v 44100
row 0 "$o" "a long option after the effects" -- "$rc" process "$stereo" "$o" gain -3 --quiet
row 2 "$o" "a short option after the effects is an effect argument" -- "${P[@]}" "$stereo" "$o" gain -3 -f

# --- live commands: refused before any device is opened ---------------------------------------
c="$OUT/c.wav"
C=("$rc" capture "$c" -q)
row 2 - "capture without OUT" -- "$rc" capture
row 2 "$c" "capture --duration -1" -- "${C[@]}" --duration -1
row 2 "$c" "capture --duration abc" -- "${C[@]}" --duration abc
row 2 "$c" "capture --duration 1:99:00" -- "${C[@]}" --duration 1:99:00
row 2 "$c" "capture --duration 0" -- "${C[@]}" --duration 0
row 2 "$c" "capture --duration 1e308" -- "${C[@]}" --duration 1e308
row 2 "$c" "capture --duration nan" -- "${C[@]}" --duration nan
row 2 "$c" "capture --rate 0" -- "${C[@]}" --rate 0
row 2 "$c" "capture --rate abc" -- "${C[@]}" --rate abc
row 2 "$c" "capture --rate 1e9" -- "${C[@]}" --rate 1000000000
row 2 "$c" "capture --period 7" -- "${C[@]}" --period 7
row 2 "$c" "capture --period -64" -- "${C[@]}" --period -64
row 2 "$c" "capture --ring 0" -- "${C[@]}" --ring 0
row 2 "$c" "capture --ring huge" -- "${C[@]}" --ring 99999999999999999999
row 2 "$c" "capture --encoding 13" -- "${C[@]}" --encoding 13
row 2 "$c" "capture --channels 0" -- "${C[@]}" --channels 0
row 2 "$c" "capture --channels 1,,2" -- "${C[@]}" --channels 1,,2
row 2 "$c" "capture --channels abc" -- "${C[@]}" --channels abc
row 2 "$c" "capture -t 5 (the old --duration)" -- "${C[@]}" -t 5
row 2 "$c" "capture -t bogus" -- "${C[@]}" -t bogus
row 2 "$c" "capture -b 8" -- "${C[@]}" -b 8
row 2 "$c" "capture -b 24.5" -- "${C[@]}" -b 24.5
row 2 "$c" "capture -b nan" -- "${C[@]}" -b nan
row 2 "$c" "capture -e floating-point -b 24" -- "${C[@]}" -e floating-point -b 24
row 2 "$c" "capture -e 16 -b 24" -- "${C[@]}" -e 16 -b 24
row 2 "$c" "capture -d default (the old --device)" -- "${C[@]}" -d default
row 2 "$c" "capture -f dat" -- "$rc" capture -f dat "$c"
row 2 "$c" "capture --channels 5-3" -- "${C[@]}" --channels 5-3
row 2 "$c" "capture --channels 1-300" -- "${C[@]}" --channels 1-300
row 2 "$c" "capture --channels 2," -- "${C[@]}" --channels 2,
row 2 "$c" "capture --port ''" -- "${C[@]}" --port ''
row 2 "$c" "capture --port without a pattern" -- "${C[@]}" --port
row 2 "$c" "capture --port with -c" -- "${C[@]}" --port 'system:*' -c 2
row 2 "$c" "capture --port with --channels" -- "${C[@]}" --port 'system:*' --channels 1
row 2 "$c" "capture --port with -D" -- "${C[@]}" --port 'system:*' -D system
row 2 "$c" "capture --port with --latency" -- "${C[@]}" --port 'system:*' --latency 0.1
row 2 "$c" "capture --channels 1-257 (too many)" -- "${C[@]}" --channels 1-200,1-57
row 2 "$c" "capture -c 0" -- "${C[@]}" -c 0
row 2 "$c" "capture -c 257" -- "${C[@]}" -c 257
row 2 "$c" "capture -c abc" -- "${C[@]}" -c abc
row 2 "$c" "capture -c 2.5" -- "${C[@]}" -c 2.5
row 2 "$c" "capture -c 3,4 (the old meaning)" -- "${C[@]}" -c 3,4
row 2 "$c" "capture -c 4 --channels 1-3" -- "${C[@]}" -c 4 --channels 1-3
row 2 "$c" "capture --latency -1" -- "${C[@]}" --latency -1
row 2 "$c" "capture --latency nan" -- "${C[@]}" --latency nan
row 2 "$c" "capture unknown option" -- "${C[@]}" --bogus
row 2 "$c" "capture stray argument" -- "${C[@]}" reverb 50
row 2 "$c" "capture gain nan" -- "${C[@]}" gain nan
row 2 "$c" "capture norm (file only)" -- "${C[@]}" norm
row 2 "$c" "capture rate (file only)" -- "${C[@]}" rate 44100
row 2 "$OUT/c.xyz" "capture to .xyz" -- "$rc" capture "$OUT/c.xyz" -q
row 2 "$OUT/c.ogg" "capture Ogg -e 24" -- "$rc" capture "$OUT/c.ogg" -q -e 24
T=("$rc" playthrough -q)
row 2 - "playthrough -c 0" -- "${T[@]}" -c 0
row 2 - "playthrough --channels 0" -- "${T[@]}" --channels 0
row 2 - "playthrough --buffer 8" -- "${T[@]}" --buffer 8
row 2 - "playthrough buffer below the period" -- "${T[@]}" -p 128 --buffer 64
row 2 - "playthrough -b 64 (the old --buffer)" -- "${T[@]}" -b 64
row 2 - "playthrough --encoding without --record" -- "${T[@]}" -e 16
row 2 "$OUT/p.xyz" "playthrough --record to .xyz" -- "${T[@]}" --record "$OUT/p.xyz"
row 2 - "playthrough --device with --in" -- "${T[@]}" --device a --in b
row 2 - "playthrough --duration -5" -- "${T[@]}" --duration -5
row 2 - "playthrough fade-out (file only)" -- "${T[@]}" fade 0 10 1
L=("$rc" latency -q)
row 2 - "latency --channel 0" -- "${L[@]}" --channel 0
row 2 - "latency -c 1 (the old --channel)" -- "${L[@]}" -c 1
row 2 - "latency -t 3 (the old --duration)" -- "${L[@]}" -t 3
row 2 - "latency --path foo" -- "${L[@]}" --path foo
row 2 - "latency --buffer without --path ring" -- "${L[@]}" --buffer 256
row 2 - "latency --duration 0" -- "${L[@]}" --duration 0
row 2 - "latency --duration ''" -- "${L[@]}" --duration ''
row 2 - "latency --rate 1" -- "${L[@]}" --rate 1
row 2 - "devices --bogus" -- "$rc" devices --bogus
row 2 - "devices extra" -- "$rc" devices extra

echo "$rows rows, $failures failed"
[ "$failures" = 0 ] || fail "$failures of $rows hostile-input rows failed"
left=$(find "$OUT" -mindepth 1 ! -path "$OUT/isdir.wav" | wc -l)
[ "$left" = 0 ] || fail "files left in $OUT: $(find "$OUT" -mindepth 1)"
