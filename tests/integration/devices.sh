#!/usr/bin/env bash
# devices lists the JACK "system" device (text and JSON) without ALSA/JACK noise on stderr;
# choosing a device by index, by name or by a bad name.
source "$(dirname "$0")/lib.sh"

"$RINGCORDER" devices >"$WORK/devices.txt" 2>"$WORK/stderr.txt"
grep -q "system" "$WORK/devices.txt" || fail "no 'system' device: $(cat "$WORK/devices.txt")"
check_eq "stderr of devices (ALSA/JACK noise silenced)" "$(cat "$WORK/stderr.txt")" ""
"$RINGCORDER" devices --json >"$WORK/devices.json"
# PortAudio is loaded when first needed (engine/util/shared_library.hpp), and its calls to add and
# remove JACK ports must still reach ringcorder's definitions, not libjack's (the end-of-run crash
# they prevent, engine/device/portaudio_session.cpp): the dynamic loader's log of the bindings.
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$WORK/bindings" "$RINGCORDER" devices >/dev/null 2>&1 ||
  fail "devices under LD_DEBUG exited $?"
for symbol in jack_port_register jack_port_unregister; do
  # A line: "binding file .../libportaudio.so.2 [0] to .../ringcorder [0]: normal symbol `NAME'".
  grep -hE "file [^ ]*libportaudio\.so[^ ]* .* to [^ ]*ringcorder[^ ]* .*symbol .$symbol'" \
    "$WORK"/bindings.* >/dev/null ||
    fail "PortAudio's $symbol is not bound to ringcorder's: $(grep -h "$symbol'" "$WORK"/bindings.* | head -3)"
done
echo "ok: PortAudio's jack_port_register and jack_port_unregister bind to ringcorder's"
index=$(jq -r '.[] | select(.name == "system") | .index' "$WORK/devices.json")
check_eq "JACK device channels" "$(jq -r '.[] | select(.name == "system") | "\(.input_channels) \(.output_channels) \(.default_rate)"' "$WORK/devices.json")" "2 2 48000"
check_eq "JACK device host API" "$(jq -r '.[] | select(.name == "system") | .host_api' "$WORK/devices.json")" "JACK Audio Connection Kit"

"$RINGCORDER" capture "$WORK/by-index.wav" --device "$index" --duration 0.5 --quiet || fail "--device $index exited $?"
"$RINGCORDER" capture "$WORK/by-name.wav" --device SYST --duration 0.5 --quiet || fail "--device SYST exited $?"
status=0
"$RINGCORDER" capture "$WORK/none.wav" --device no-such-card --duration 0.5 --quiet 2>"$WORK/err.txt" || status=$?
check_eq "unknown device: exit code" "$status" 1
grep -q "system" "$WORK/err.txt" || fail "the error does not list the devices: $(cat "$WORK/err.txt")"
[ ! -e "$WORK/none.wav" ] || fail "a refused capture created its output"
status=0
"$RINGCORDER" capture "$WORK/rate.wav" --rate 44100 --duration 0.5 --quiet 2>"$WORK/err.txt" || status=$?
check_eq "rate the server does not run at: exit code" "$status" 1
echo "   message: $(cat "$WORK/err.txt")"
