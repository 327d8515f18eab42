#!/usr/bin/env bash
# devices lists the JACK "system" device (text and JSON) without ALSA/JACK noise on stderr;
# choosing a device by index, by name or by a bad name.
source "$(dirname "$0")/lib.sh"

"$RINGCORDER" devices >"$WORK/devices.txt" 2>"$WORK/stderr.txt"
grep -q "system" "$WORK/devices.txt" || fail "no 'system' device: $(cat "$WORK/devices.txt")"
check_eq "stderr of devices (ALSA/JACK noise silenced)" "$(cat "$WORK/stderr.txt")" ""
"$RINGCORDER" devices --json >"$WORK/devices.json"
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
