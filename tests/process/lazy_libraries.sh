#!/usr/bin/env bash
# The live audio stack and the libraries of a few effects are loaded when first needed, not at
# start-up (engine/util/shared_library.hpp): `process` runs without PortAudio, JACK, ALSA, libsoxr
# or FFTW in the process unless its chain resamples (libsoxr) or needs a transform (FFTW). The
# dynamic loader's own log (LD_DEBUG=files) says what a run loaded.
source "$(dirname "$0")/../integration/lib.sh"

live='lib(portaudio|jack|asound)\.so'

# loaded NAME ARGS...: runs `process ARGS...` and prints the shared libraries it loaded.
loaded() {
  local name=$1
  shift
  LD_DEBUG=files "$RINGCORDER" process -q "$@" 2>"$WORK/$name.ld" || fail "$name: process exited $?"
  grep -oE 'file=[^ ]+' "$WORK/$name.ld" | sort -u
}

in="$ASSETS/tones-noise-stereo-float.wav"
plain=$(loaded plain "$in" "$WORK/plain.wav" trim 0 0.5 gain -3)
grep -qE 'file=libsndfile\.so' <<<"$plain" || fail "the loader's log names no libsndfile: $plain"
! grep -qE "$live|libsoxr|libfftw3" <<<"$plain" || fail "trim and gain loaded: $(grep -E "$live|libsoxr|libfftw3" <<<"$plain")"
echo "ok: trim and gain load $(wc -l <<<"$plain") libraries, none of the live stack, libsoxr or FFTW"

resampled=$(loaded rate "$in" -r 16000 "$WORK/rate.wav")
grep -qE 'file=libsoxr\.so' <<<"$resampled" || fail "a resampling run did not load libsoxr: $resampled"
! grep -qE "$live" <<<"$resampled" || fail "a resampling run loaded the live stack"
check_eq "resampled frames" "$(soxi -s "$WORK/rate.wav")" "$(($(soxi -s "$in") * 16000 / $(soxi -r "$in")))"
echo "ok: -r 16000 loads libsoxr when it needs it, and resamples"

filtered=$(loaded sinc "$in" "$WORK/sinc.wav" sinc 3k)
grep -qE 'file=libfftw3\.so' <<<"$filtered" || fail "sinc did not load FFTW: $filtered"
echo "ok: sinc loads FFTW when it needs it"

# A sinc parsed but never run (the chain is refused at a later effect) loads nothing on its way
# out: had it, a missing FFTW would end the program in a destructor instead of this message.
status=0
LD_DEBUG=files "$RINGCORDER" process -q "$in" "$WORK/refused.wav" sinc 3k trim x 2>"$WORK/refused.ld" ||
  status=$?
check_eq "sinc 3k trim x: exit" "$status" 2
! grep -qE 'file=libfftw3\.so' "$WORK/refused.ld" || fail "a refused chain with sinc loaded FFTW"
echo "ok: a refused chain with sinc does not load FFTW"
