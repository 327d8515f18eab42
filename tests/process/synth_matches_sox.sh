#!/usr/bin/env bash
# synth as a generator (-n as the input) against Debian's sox on the same command: lengths, rates
# (-r before the output: sox makes 48 kHz and resamples), channel counts (one per generator, -c
# adds a channels stage), the waveforms and sweeps within 1e-5, and the noises: with sox -R its
# generator starts from the same seed as ringcorder's, so they agree too; and statistically (mean,
# RMS, spectral slope), which holds whatever the seed. Notes (%N, names, -j KEY) and pluck (sox's
# generator too, or its own seeded by P2 and P3) within 1e-5.
source "$(dirname "$0")/../integration/lib.sh"

# same LABEL SOX_FILE RC_FILE LIMIT: the two files have the same shape and differ by at most LIMIT.
same() {
  local diff
  diff=$("$AUDIO_DIFF" "$2" "$3" | jq -r .max_abs_diff) || fail "$1: shapes differ"
  awk -v d="$diff" -v l="$4" 'BEGIN { exit !(d <= l) }' || fail "$1: max difference $diff > $4"
  echo "ok: $1: max |ringcorder - sox| = $diff"
}

# gen LIMIT [FORMAT OPTIONS] -- EFFECT WORDS: sox -R -n and ringcorder -n, 32-bit float outputs.
gen() {
  local limit=$1 opts=()
  shift
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  sox -R -n "${opts[@]}" -b 32 -e floating-point "$WORK/sox.wav" "$@" 2>"$WORK/sox.err" ||
    fail "$*: sox failed: $(cat "$WORK/sox.err")"
  "$RINGCORDER" process -q --force -n "${opts[@]}" -e float "$WORK/rc.wav" "$@"
  check_eq "$*: rate" "$(soxi -r "$WORK/rc.wav")" "$(soxi -r "$WORK/sox.wav")"
  check_eq "$*: channels" "$(soxi -c "$WORK/rc.wav")" "$(soxi -c "$WORK/sox.wav")"
  check_eq "$*: length" "$(soxi -s "$WORK/rc.wav")" "$(soxi -s "$WORK/sox.wav")"
  same "${opts[*]} $*" "$WORK/sox.wav" "$WORK/rc.wav" "$limit"
}

gen 1e-5 -- synth 3 sine 440
gen 1e-5 -- synth 1 sine
gen 1e-5 -- synth 4800s square 300
gen 1e-5 -- synth 0.5 sawtooth 1k
gen 1e-5 -- synth 0.5 triangle 100 0 0 30
gen 1e-5 -- synth 0.5 trapezium 100 0 0 20 40 80
gen 1e-5 -- synth 0.5 trapezium 60 0 0 70
gen 1e-5 -- synth 0.5 exp 100 0 0 20 80
gen 1e-5 -- synth 0.5 sine 440 50 25
gen 1e-5 -- synth 0.5 20 0 sine 440 square 300
gen 1e-5 -- synth 0:01 sine 100:8k
gen 1e-5 -- synth 1 sine 100+8k
gen 1e-5 -- synth 1 sine 8k+100
gen 1e-5 -- synth 1 sine 100/8k
gen 1e-5 -- synth 1 sine 100-8k
gen 1e-5 -- synth 1 square 1k:20
gen 1e-5 -- synth -n 0.5 sine 300 sine 400 sine 500
gen 1e-5 -- synth 0.5 sine 300 sine fmod 3
gen 1e-5 -- synth 0.5 sine 300 sine 301 sine amod 2
gen 1e-5 -- synth 0.3 sine 300 gain -6 fade 0.1
# A rate stage: within ringcorder's resampler's agreement with sox's (as sox_format_options.sh).
gen 3e-5 -r 44100 -- synth 1 sine 300
gen 1e-5 -c 3 -- synth 0.2 sine 300 sine 400
gen 3e-5 -r 8000 -c 1 -- synth 100s sine
gen 1e-5 -c 2 -- synth 0.25 square 50
# Noises with the same seed: the same numbers.
gen 1e-5 -- synth 0.5 whitenoise
gen 1e-5 -- synth 0.5 tpdfnoise
gen 1e-5 -- synth 0.5 pinknoise
gen 1e-5 -- synth 0.5 brownnoise
gen 1e-5 -- synth 0.5 whitenoise pinknoise brownnoise
gen 1e-5 -- synth 0.5 noise 20 sine 30
# Notes: %N semitones from A4 and names, equal temperament, and just intonation (-j KEY).
gen 1e-5 -- synth 0.5 sine %3 sine %-21.5 sine C2 sine F#5 sine Bb
gen 1e-5 -- synth 0.5 sine %-12:%12 square E3/A5
gen 1e-5 -- synth -j 3 0.5 sine %4 sine %-5 sine %7.25 sine E4 sine Db2 sine %-13:%30
gen 1e-5 -- synth -n -j -9 0.5 sine %4 triangle %-30
gen 1e-5 -- synth -j Eb4 0.5 sine %4 sine G
gen 1e-5 -- synth -j 0x5 0.5 sine %1
# pluck: its own generators (seeded by P2 and P3) or, with a phase, sox's; a stereo string pair.
gen 1e-5 -- synth 1 pluck
gen 1e-5 -- synth 2 pluck %-29
gen 1e-5 -- synth 1 pluck 4220 pluck 27.5
gen 1e-5 -- synth 1 pluck C3 0 10 80 30 pluck E3 0 0 20 100 0
gen 1e-5 -- synth 1 pluck 300 0 0 40 50
gen 1e-5 -- synth 1 pluck 300 20 0 90 0 100
gen 1e-5 -- synth 1 pluck 300 0 50 whitenoise pluck 200 -30 1
gen 1e-5 -- synth 0.5 sine 300 pluck amod 500
gen 1e-5 -c 2 -- synth 0.5 pluck 100
# pluck at 44.1 kHz (its filters follow the rate), combined with a 44.1 kHz input.
sox -n -r 44100 -c 2 -b 32 -e floating-point "$WORK/in44.wav" synth 0.5 sine 300 sine 200 gain -10
sox -R "$WORK/in44.wav" -b 32 -e floating-point "$WORK/sox.wav" synth pluck mix pluck amod 200 0 10
"$RINGCORDER" process -q --force "$WORK/in44.wav" -e float "$WORK/rc.wav" synth pluck mix pluck amod 200 0 10
same "44.1 kHz input: synth pluck mix pluck amod 200 0 10" "$WORK/sox.wav" "$WORK/rc.wav" 1e-5

# Noises statistically, against sox without -R (another seed each run): 10 s, so mean and RMS
# settle well inside the tolerances; the spectrum's slope from the power in two bands.
stat_of() { sox "$1" -n "${@:2}" stat 2>&1 | awk -v k="$FIELD" '$0 ~ k { print $NF }'; }
band_power() { FIELD="RMS     amplitude" stat_of "$1" sinc "$2" ; }
near() { # LABEL A B RELATIVE [ABSOLUTE (1e-4)]
  awk -v a="$2" -v b="$3" -v r="$4" -v t="${5:-1e-4}" 'BEGIN { d = a - b; if (d < 0) d = -d;
    m = b < 0 ? -b : b; exit !(d <= r * m + t) }' || fail "$1: $2 vs sox $3 (beyond $4 relative)"
  echo "ok: $1: $2 vs sox $3"
}
# Pink noise's low frequencies make its mean and RMS wander more from seed to seed (mean by about
# 0.01, RMS by about 2 %): wider limits for it.
for type in whitenoise tpdfnoise pinknoise; do
  rms_limit=0.03 mean_limit=0.01
  [ "$type" = pinknoise ] && rms_limit=0.08 mean_limit=0.06
  sox -n "$WORK/sox.wav" synth 10 "$type"
  "$RINGCORDER" process -q --force -n -e float "$WORK/rc.wav" synth 10 "$type"
  near "$type RMS" "$(FIELD='RMS     amplitude' stat_of "$WORK/rc.wav")" \
    "$(FIELD='RMS     amplitude' stat_of "$WORK/sox.wav")" "$rms_limit"
  # The mean differs by chance (white: about 0.0008 from seed to seed): an absolute limit.
  near "$type mean" "$(FIELD='Mean    amplitude' stat_of "$WORK/rc.wav")" \
    "$(FIELD='Mean    amplitude' stat_of "$WORK/sox.wav")" 0 "$mean_limit"
  near "$type 100-200 Hz" "$(band_power "$WORK/rc.wav" 100-200)" "$(band_power "$WORK/sox.wav" 100-200)" 0.1
  near "$type 4k-8k Hz" "$(band_power "$WORK/rc.wav" 4k-8k)" "$(band_power "$WORK/sox.wav" 4k-8k)" 0.1
done
# The slopes: the RMS in 4k-8k Hz over that in 125-250 Hz (sinc's default transition bands
# shape both the same way), ringcorder's against sox's from another seed, within 15 %: white
# noise's is several times pink noise's (pink loses 3 dB an octave).
ratio() {
  local low high
  low=$(band_power "$1" 125-250)
  high=$(band_power "$1" 4k-8k)
  awk -v h="$high" -v l="$low" 'BEGIN { print h / l }'
}
for type in pinknoise whitenoise; do
  sox -n "$WORK/sox.wav" synth 10 "$type"
  "$RINGCORDER" process -q --force -n -e float "$WORK/rc.wav" synth 10 "$type"
  near "$type slope (4k-8k / 125-250 Hz RMS)" "$(ratio "$WORK/rc.wav")" "$(ratio "$WORK/sox.wav")" 0.15
done
# An exponential sweep between equal frequencies: NaN in sox, written as -1.
gen 1e-5 -- synth 10s sine 100/100
