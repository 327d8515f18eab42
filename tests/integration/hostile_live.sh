#!/usr/bin/env bash
# Hostile input to the live commands, on the private JACK dummy server (48 kHz, 2 in, 2 out):
# what the device cannot do is a runtime error (exit 1) with one line on stderr, found when the
# device is opened, and no file is left under the output name. The arguments refused before any
# device is opened are rows of tests/process/hostile_input.sh.
#   unknown device (name or index)   -> 1, the line lists the devices there are
#   a rate the server does not run   -> 1 (JACK runs one rate; nothing is resampled live)
#   a channel the device lacks       -> 1
#   unwritable output                -> 1
#   an effect above the device's Nyquist -> 2 (the chain cannot work as asked)
#   any --period in range            -> 0: with JACK the server's period applies
source "$(dirname "$0")/lib.sh"

OUT="$WORK/out"
mkdir -p "$OUT"
echo "precious take" >"$OUT/existing.wav"
before=$(sha256sum "$OUT/existing.wav")
rows=0
failures=0

# row CODE OUTPUT DESCRIPTION -- COMMAND... (as in tests/process/hostile_input.sh; --quiet runs)
row() {
  local code=$1 output=$2 what=$3 status=0 failed=0
  shift 4
  rows=$((rows + 1))
  timeout 30 "$@" >"$WORK/stdout.txt" 2>"$WORK/err.txt" || status=$?
  bad() { echo "FAIL: row $rows ($what): $1" >&2; sed 's/^/   stderr: /' "$WORK/err.txt" >&2; failed=1; }
  [ "$status" != 124 ] || bad "hung (killed after 30 s)"
  [ "$status" -le 128 ] || [ "$status" = 124 ] || bad "killed by signal $((status - 128))"
  [ "$status" = "$code" ] || bad "exit $status, expected $code"
  if [ "$code" = 0 ]; then
    [ ! -s "$WORK/err.txt" ] || bad "stderr not empty"
    [ "$output" = - ] || soxi "$output" >/dev/null 2>&1 || bad "no readable output '$output'"
    [ "$output" = - ] || rm -f "$output"
  else
    if [ "$(wc -l <"$WORK/err.txt")" != 1 ] || [ "$(grep -c . "$WORK/err.txt")" != 1 ]; then
      bad "expected exactly one stderr line"
    fi
    grep -q '^ringcorder: ' "$WORK/err.txt" || bad "stderr does not start 'ringcorder: '"
    if [ "$output" != - ] && [ -e "$output" ]; then bad "left a file under '$output'"; rm -f "$output"; fi
  fi
  [ "$(find "$WORK" -name '.*.part-*' | wc -l)" = 0 ] || bad "hidden temporaries left"
  [ "$(sha256sum "$OUT/existing.wav")" = "$before" ] || bad "an existing file changed"
  failures=$((failures + failed))
  [ "$failed" = 1 ] || echo "ok: row $rows: $what -> $status: $(head -n 1 "$WORK/err.txt")"
  return 0
}

rc=$RINGCORDER
c="$OUT/c.wav"
C=("$rc" capture "$c" --quiet --duration 0.5)
row 1 "$c" "capture: unknown device name" -- "${C[@]}" --device nosuchdevice
row 1 "$c" "capture: unknown device index" -- "${C[@]}" --device 99
row 1 "$c" "capture: rate 44100 on a 48 kHz server" -- "${C[@]}" --rate 44100
row 1 "$c" "capture: rate 12345" -- "${C[@]}" --rate 12345
row 1 "$c" "capture: channel 9 of 2" -- "${C[@]}" --channels 9
row 1 "$c" "capture: channels 1,9 of 2" -- "${C[@]}" --channels 1,9
row 1 "$c" "capture: --port matching no port" -- "${C[@]}" --port 'nosuchclient:*'
row 1 "$c" "capture: --port, one of two patterns matching nothing" -- "${C[@]}" --port 'system:capture_*' --port 'system:capture_9'
row 1 "$c" "capture: --port at a rate the server does not run" -- "${C[@]}" --port 'system:capture_1' -r 44100
row 1 "$c" "capture: --port matching input ports only" -- "${C[@]}" --port 'system:playback_*'
row 1 /nonexistent/c.wav "capture: output in a missing directory" -- "$rc" capture /nonexistent/c.wav --quiet --duration 0.5
row 1 /proc/c.wav "capture: output under /proc" -- "$rc" capture /proc/c.wav --quiet --duration 0.5
row 1 - "capture: existing output without --force" -- "$rc" capture "$OUT/existing.wav" --quiet --duration 0.5
row 2 "$c" "capture: lowpass above Nyquist" -- "${C[@]}" lowpass 30000
row 2 "$c" "capture: remix to one channel" -- "${C[@]}" remix -
row 0 "$c" "capture: --period 16 (the server's period applies)" -- "${C[@]}" --period 16
row 0 "$c" "capture: --period 65536 (the server's period applies)" -- "${C[@]}" --period 65536
T=("$rc" playthrough --quiet --duration 0.5)
row 1 - "playthrough: unknown output device" -- "${T[@]}" --out nosuchdevice
row 1 - "playthrough: unknown input device" -- "${T[@]}" --in nosuchdevice
row 1 - "playthrough: rate 12345" -- "${T[@]}" --rate 12345
row 1 - "playthrough: channel 9 of 2" -- "${T[@]}" --channels 9
row 1 /nonexistent/p.wav "playthrough: unwritable --record" -- "${T[@]}" --record /nonexistent/p.wav
L=("$rc" latency --quiet --duration 0.5)
row 1 - "latency: unknown input device" -- "${L[@]}" --in nosuchdevice
row 1 - "latency: channel 9 of 2" -- "${L[@]}" --channel 9
row 1 - "latency: rate 12345" -- "${L[@]}" --rate 12345

echo "$rows rows, $failures failed"
[ "$failures" = 0 ] || fail "$failures of $rows live hostile-input rows failed"
