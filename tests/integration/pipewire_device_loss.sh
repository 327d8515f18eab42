#!/usr/bin/env bash
# tests/integration/pipewire_device_loss.sh - PipeWire killed (kill -9) mid-capture and
# mid-playthrough, reached through ALSA: ringcorder notices within 2 s, exits 1, keeps the file
# (it opens and holds the counter up to the loss: exactly for capture, but for the source's own
# glitches; for playthrough's duplex stream as lib_pipewire.sh allows) and says so in its one line on stderr,
# and nothing else: PortAudio's ALSA host prints three "Expression ... failed" lines of its own
# then, which ringcorder keeps off stderr. Each stage on a PipeWire of its own (the first dies).
# jack-dummy: none
source "$(dirname "$0")/lib.sh"

if [ -z "${DEVICE_LOSS_STAGE:-}" ]; then
  for stage in capture playthrough; do
    DEVICE_LOSS_STAGE=$stage "$(dirname "$0")/../../scripts/pipewire-headless" -- bash "$0" || exit 1
  done
  exit 0
fi
source "$(dirname "$0")/lib_pipewire.sh"

name=$DEVICE_LOSS_STAGE
start_pipewire_counter
start_pipewire_reference
case "$name" in
  capture) "$RINGCORDER" capture "$WORK/$name.wav" --device pipewire -r 48000 \
    --stats-json "$WORK/$name.json" -q 2>"$WORK/$name.err" & ;;
  playthrough) "$RINGCORDER" playthrough --device pipewire -r 48000 --record "$WORK/$name.wav" \
    --stats-json "$WORK/$name.json" -q 2>"$WORK/$name.err" & ;;
esac
pid=$!
CHILDREN+=("$pid")
# About 2 s of recording (24-bit stereo: 6 bytes a frame): the file grows as the worker writes.
deadline=$((SECONDS + 30))
until [ "$(stat -c %s "$WORK/$name.wav" 2>/dev/null || echo 0)" -gt $((2 * 48000 * 6)) ]; do
  [ $SECONDS -lt $deadline ] || fail "$name: the file did not grow to 2 s"
  kill -0 "$pid" 2>/dev/null || fail "$name: ringcorder ended early: $(cat "$WORK/$name.err")"
  sleep 0.05
done
# The reference (lib_pipewire.sh) stops just before, so that its file is whole.
stop_pipewire_reference
killed_at=$(date +%s%N)
kill -KILL "$RC_PIPEWIRE_PID"
status=0
wait "$pid" || status=$?
ms=$((($(date +%s%N) - killed_at) / 1000000))
check_eq "$name: exit code after PipeWire died" "$status" 1
[ "$ms" -le 2000 ] || fail "$name: took $ms ms to stop after PipeWire died (limit 2000)"
echo "ok: $name stopped $ms ms after PipeWire died"
grep -q "device lost or server gone" "$WORK/$name.err" ||
  fail "$name: no device-loss message on stderr: $(cat "$WORK/$name.err")"
check_eq "$name: lines on stderr" "$(wc -l <"$WORK/$name.err")" 1

stats="$WORK/$name.json"
if [ "$name" = playthrough ]; then
  jq '.capture' "$WORK/$name.json" >"$WORK/capture.json"
  stats="$WORK/capture.json"
fi
check_eq "$name: report says error" "$(json "$stats" .stop_reason)" error
duplex=""
[ "$name" = capture ] || duplex=duplex
check_pipewire_recording "$WORK/$name.wav" "$stats" $duplex
frames=$(json "$WORK/check.json" .frames)
check_eq "$name: file frames = frames_written" "$frames" "$(json "$stats" .frames_written)"
[ "$frames" -ge 72000 ] || fail "$name: only $frames frames kept of ~2 s"
echo "ok: $name: $frames frames kept, the counter exact up to the loss"
require_rt_guard_watched
