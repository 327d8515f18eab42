#!/usr/bin/env bash
# capture --port records JACK ports chosen by name, as jack_capture does: each pattern (wildcards
# * and ?) adds the output ports it matches, in natural order (out_2 before out_10), each port
# once, a channel each. ringcorder's own client connects them and starts the timeline at the
# first cycle that has every connection, so every channel holds the counter from the file's
# first frame to its last, none missing, none repeated, none moved: sample-exact on a
# synchronous server, with no lead-in at all. The report lists the ports. Patterns that match
# nothing, and options that --port replaces, are refused with one line.
source "$(dirname "$0")/lib.sh"

src="rc-src-$$-$RANDOM"
"$COUNTER_SOURCE" --name "$src" --ports 32 >"$WORK/source.log" 2>&1 &
CHILDREN+=("$!")
wait_for_port "$src:out_31"

# record NAME CHANNELS MAP EXPECTED_PORTS -- CAPTURE_ARGS...: a 2-second capture through --port;
# the file must be the counter exactly, channel k carrying source port MAP[k] (from 1).
record() {
  local name=$1 channels=$2 map=$3 expected=$4
  shift 5
  "$RINGCORDER" capture "$WORK/$name.wav" -d 2 --stats-json "$WORK/$name.json" -q "$@" ||
    fail "$name: capture exited $?"
  "$COUNTER_CHECK" --channels "$channels" --map "$map" "$WORK/$name.wav" >"$WORK/$name.check.json" ||
    { cat "$WORK/$name.check.json"; fail "$name: not the counter in every channel"; }
  check_eq "$name ports" "$(jq -c .ports "$WORK/$name.json")" "$expected"
  check_eq "$name channels" "$(json "$WORK/$name.json" .channels)" "$channels"
  check_eq "$name file channels" "$(soxi -c "$WORK/$name.wav")" "$channels"
  check_eq "$name frames written" "$(json "$WORK/$name.json" .frames_written)" 96000
  check_eq "$name file frames" "$(json "$WORK/$name.check.json" .frames)" 96000
  # Not a frame before the connections: the counter from the first frame in every channel.
  check_eq "$name lead-in" "$(json "$WORK/$name.check.json" .lead_in)" 0
  check_eq "$name counter frames" "$(json "$WORK/$name.check.json" .counter_frames)" 96000
  check_eq "$name gaps" "$(json "$WORK/$name.check.json" '.gaps | length')" 0
  check_eq "$name overruns" "$(json "$WORK/$name.json" .overrun_frames)" 0
  check_eq "$name host gaps" "$(json "$WORK/$name.json" .host_gap_frames)" 0
}

# One pattern, 32 ports in natural order.
all=$(seq 0 31 | jq -R "\"$src:out_\" + ." | jq -sc .)
record all 32 "$(seq -s, 1 32)" "$all" -- --port "$src:out_*"
check_eq "all: device" "$(json "$WORK/all.json" .device)" "JACK ports"
jq -e '.device_clock | test("JACK frame counter")' "$WORK/all.json" >/dev/null ||
  fail "device_clock: $(jq .device_clock "$WORK/all.json")"

# Several patterns: pattern order, '?' for one character, a port a second pattern matches again
# keeps its first place.
picked=$(printf '%s\n' 10 11 12 13 14 15 16 17 18 19 3 1 | jq -R "\"$src:out_\" + ." | jq -sc .)
record picked 12 11,12,13,14,15,16,17,18,19,20,4,2 "$picked" -- \
  --port "$src:out_1?" --port "$src:out_3" --port "$src:out_1*"

# One port: a mono file.
record mono 1 8 "[\"$src:out_7\"]" -- --port "$src:out_7"

# refused EXPECTED_STATUS MESSAGE_PART CAPTURE_ARGS...: one line naming the problem, the
# documented exit status, and no file.
refused() {
  local expected=$1 part=$2 status=0
  shift 2
  "$RINGCORDER" capture "$WORK/refused.wav" -d 1 -q "$@" 2>"$WORK/err.txt" || status=$?
  check_eq "refused ($*): status" "$status" "$expected"
  check_eq "refused ($*): lines" "$(wc -l <"$WORK/err.txt")" 1
  grep -qF -- "$part" "$WORK/err.txt" || fail "refused ($*): $(cat "$WORK/err.txt")"
  [ ! -e "$WORK/refused.wav" ] || fail "refused ($*): a file was left behind"
}
refused 1 "no JACK output port matches 'nothing*'" --port "$src:out_0" --port 'nothing*'
refused 1 "runs at 48000 Hz" --port "$src:out_0" -r 44100
refused 1 "period is 256 frames" --port "$src:out_0" --period 64
refused 2 "leave -c and --channels out" --port "$src:out_0" -c 2
refused 2 "leave -c and --channels out" --port "$src:out_0" --channels 1,2
refused 2 "leave -D/--device out" --port "$src:out_0" -D system
refused 2 "--port takes a JACK port name" --port ''

require_rt_guard_watched
