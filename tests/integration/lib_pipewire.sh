# tests/integration/lib_pipewire.sh - helpers for the tests on a headless PipeWire (sourced after
# lib.sh). Such a test has a line `# pipewire-headless: OPTIONS` (`-` for none): CTest runs it
# inside scripts/pipewire-headless, whose graph runs at 48000 Hz, driven by the null sink rc-sink;
# rc-source is the microphone. ringcorder reaches it as a desktop application does: PortAudio's
# ALSA host and ALSA's `pipewire` and `default` PCMs (pipewire-alsa).
[ -n "${PIPEWIRE_RUNTIME_DIR:-}" ] || fail "not inside scripts/pipewire-headless"
: "${COUNTER_FILE:?}"

# start_pipewire_counter: plays the counter signal into rc-source's inputs, so recording from
# `pipewire` (or `default`) gets it. pw-play plays a float WAV written by counter_file (float from
# end to end: every frame arrives exact) with real-time priority (client-rt.conf; a plain pw-play
# misses cycles), unlinked until both ports are linked by hand. Five minutes of counter, started
# afresh at each call (the previous player is stopped).
FEED_PID=""
start_pipewire_counter() {
  if [ -n "$FEED_PID" ]; then kill "$FEED_PID" 2>/dev/null || true; wait "$FEED_PID" 2>/dev/null || true; fi
  [ -s "$WORK/counter.wav" ] || "$COUNTER_FILE" $((300 * 48000)) 48000 "$WORK/counter.wav"
  local name="rc-feed-$$-$RANDOM"
  PIPEWIRE_CONFIG_NAME=client-rt.conf pw-play -P "{ node.name = $name, node.autoconnect = false }" \
    "$WORK/counter.wav" >"$WORK/feed.log" 2>&1 &
  FEED_PID=$!
  CHILDREN+=("$FEED_PID")
  local deadline=$((SECONDS + 10))
  until pw-link -o 2>/dev/null | grep -qx "$name:output_FR"; do
    [ $SECONDS -lt $deadline ] || fail "pw-play's ports did not appear: $(cat "$WORK/feed.log")"
    sleep 0.05
  done
  pw-link "$name:output_FL" rc-source:input_FL && pw-link "$name:output_FR" rc-source:input_FR ||
    fail "cannot link the counter into rc-source"
}

# force_quantum FRAMES: the graph quantum a desktop application asking for FRAMES would get (0:
# PipeWire chooses again), waited for until the settings say so.
force_quantum() {
  pw-metadata -n settings 0 clock.force-quantum "$1" >/dev/null
  local deadline=$((SECONDS + 5))
  until pw-metadata -n settings 0 clock.force-quantum 2>/dev/null | grep -q "value:'$1'"; do
    [ $SECONDS -lt $deadline ] || fail "the quantum did not become $1"
    sleep 0.05
  done
}
