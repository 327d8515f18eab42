#!/usr/bin/env bash
# capture records any number of channels sample-exact: 1, 2, 8 and 32 channels of a 32-port
# JACK dummy device (-c N: the first N), each channel carrying the counter at its own offset, so
# a frame lost, repeated or moved in any channel, or two channels swapped, is found
# (tests/tools/counter_check --channels). --channels picks device channels in any order: one
# is a mono file. The report says how many and which. The files are 24-bit PCM by default and
# float with -e floating-point, and sox reads both without a warning.
# jack-dummy: --ports 32
source "$(dirname "$0")/lib.sh"

# record NAME PORTS CHECK_ARGS -- CAPTURE_ARGS...: a 2-second capture of the counter on PORTS
# ports (as many as ringcorder opens: port k feeds its in_k), checked with counter_check
# --channels CHECK_ARGS.
record() {
  local name=$1 ports=$2 check_args=()
  shift 2
  while [ "$1" != -- ]; do check_args+=("$1"); shift; done
  shift
  start_counter_source --ports "$ports"
  local out="$WORK/$name.wav"
  "$RINGCORDER" capture "$out" --duration 2 --stats-json "$WORK/$name.json" --quiet "$@" ||
    fail "$name: capture exited $?"
  "$COUNTER_CHECK" --channels "${check_args[@]}" "$out" >"$WORK/$name.check.json" ||
    { cat "$WORK/$name.check.json"; fail "$name: not the counter in every channel"; }
  check_eq "$name frames_written" "$(json "$WORK/$name.json" .frames_written)" 96000
  check_eq "$name file frames" "$(json "$WORK/$name.check.json" .frames)" 96000
  check_eq "$name gaps" "$(json "$WORK/$name.check.json" '.gaps | length')" 0
  check_eq "$name overruns" "$(json "$WORK/$name.json" .overrun_frames)" 0
  local counted
  counted=$(json "$WORK/$name.check.json" .counter_frames)
  # The source connects as soon as the ports exist, one by one (polled every 10 ms): on a loaded
  # machine its lead-in can pass a second, so a quarter of the run is asked, checked exactly.
  [ "$counted" -gt 24000 ] || fail "$name: only $counted frames of the counter (connected late?)"
  echo "ok: $name: $counted frames exact in every channel"
}

# check_sox NAME ENCODING: sox reads $WORK/NAME.wav without a word of warning (`sox --i` and
# `sox FILE -n stat`, whose statistics go to stderr), as ENCODING ("24-bit Signed Integer PCM").
check_sox() {
  local name=$1 encoding=$2 file="$WORK/$1.wav"
  sox --i "$file" >"$WORK/$name.soxi" 2>"$WORK/$name.soxi.err" || fail "$name: sox --i exited $?"
  [ ! -s "$WORK/$name.soxi.err" ] || fail "$name: sox --i warns: $(cat "$WORK/$name.soxi.err")"
  check_eq "$name encoding" "$(sed -n 's/^Sample Encoding: //p' "$WORK/$name.soxi")" "$encoding"
  sox "$file" -n stat 2>"$WORK/$name.stat" || fail "$name: sox stat exited $?"
  grep -q "^Samples read:" "$WORK/$name.stat" || fail "$name: no statistics from sox: $(cat "$WORK/$name.stat")"
  if grep -qi "warn\|fail" "$WORK/$name.stat"; then fail "$name: sox stat warns: $(cat "$WORK/$name.stat")"; fi
  echo "ok: $name: sox reads it as $encoding without a warning"
}

# The default encoding is 24-bit PCM.
for n in 1 2 8 32; do
  record "c$n" "$n" "$n" -- -c "$n"
  check_eq "c$n channels in the report" "$(json "$WORK/c$n.json" .channels)" "$n"
  check_eq "c$n levels" "$(json "$WORK/c$n.json" '.peak_dbfs | length')" "$n"
  check_eq "c$n file channels" "$(soxi -c "$WORK/c$n.wav")" "$n"
  check_sox "c$n" "24-bit Signed Integer PCM"
done
check_eq "c2 format in the report" "$(json "$WORK/c2.json" .format)" "WAV 24-bit PCM"

# Float on request, as sox spells it: a header sox takes without a warning at any channel count.
for n in 1 2 8; do
  record "f$n" "$n" "$n" -- -c "$n" -e floating-point
  check_sox "f$n" "32-bit Floating Point PCM"
done
check_eq "f2 format in the report" "$(json "$WORK/f2.json" .format)" "WAV 32-bit float"
check_eq "c8 channel map" "$(jq -c .channel_map "$WORK/c8.json")" "[1,2,3,4,5,6,7,8]"

# Device channels in any order and number, a range among them; one channel is a mono file.
record picked 8 5 --map 5,6,7,8,2 -- --channels 5-8,2
check_eq "picked channel map" "$(jq -c .channel_map "$WORK/picked.json")" "[5,6,7,8,2]"
record mono 3 1 --map 3 -- --channels 3
check_eq "mono file channels" "$(soxi -c "$WORK/mono.wav")" 1

# The default is the first two, a stereo file, as before.
record default 2 2 --
check_eq "default channel map" "$(jq -c .channel_map "$WORK/default.json")" "[1,2]"

# FLAC holds at most 8 channels: 9 are refused before anything is recorded.
status=0
"$RINGCORDER" capture "$WORK/nine.flac" -c 9 --duration 1 --quiet 2>"$WORK/err.txt" || status=$?
[ "$status" -ne 0 ] || fail "a 9-channel FLAC was not refused"
[ ! -s "$WORK/nine.flac" ] || fail "a 9-channel FLAC was left behind"
echo "ok: 9 channels to FLAC refused (exit $status): $(cat "$WORK/err.txt")"

require_rt_guard_watched
