# tests/integration/latency_path.sh - `ringcorder latency` through jack_path, a JACK client that
# stands in for an analog loopback: a known fractional delay (a windowed-sinc FIR, checked
# analytically in tools_tests), a gain, polarity and white noise. Truth = the round trip measured
# through the path at its minimum delay (31 frames, pure) plus the extra delay asked for.
# Every `ok` must lie within 0.05 frame of the truth; where the return is too weak or noisy the
# run must say `uncertain` (exit 1) with its SNR and advice, never a wrong figure.
# jack-dummy: --period 128
source "$(dirname "$0")/lib.sh"
: "${PATH_SIM:?}"

# measure NAME DELAY [jack_path options...] -- [ringcorder latency options...]: one run through
# the path; the report goes to $WORK/NAME.json (the text one, unless LATENCY_QUIET=-q, to
# $WORK/NAME.out) and ringcorder's exit status to $WORK/NAME.rc.
LATENCY_QUIET=-q
measure() {
  local name=$1 delay=$2
  shift 2
  local sim=()
  while [ "$1" != -- ]; do sim+=("$1"); shift; done
  shift
  # Patterns: each open of the stream (--repeat) gets new ports, out_2, in_1 ...
  "$PATH_SIM" --name rc-path --delay "$delay" "${sim[@]}" --connect-in "^$RC_CLIENT:out_" \
    --connect-out "^$RC_CLIENT:in_" --reconnect --wait 60 >"$WORK/$name.sim" 2>&1 &
  local sim_pid=$!
  CHILDREN+=("$sim_pid")
  local status=0
  "$RINGCORDER" latency $LATENCY_QUIET --json "$WORK/$name.json" "$@" >"$WORK/$name.out" \
    2>"$WORK/$name.err" || status=$?
  echo "$status" >"$WORK/$name.rc"
  kill "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  [ -s "$WORK/$name.json" ] || fail "$name: no report (exit $status): $(cat "$WORK/$name.err")"
  echo "$name: $(jq -c '{status, round_trip_frames, error_frames, window_periods, snr_db, gain_db}' \
    "$WORK/$name.json") exit $status"
}

# check_truth NAME TRUTH [inverted]: the run measured, within 0.05 frame of TRUTH, and exited 0.
check_truth() {
  local name=$1 truth=$2 want=${3:-ok}
  check_eq "$name status" "$(json "$WORK/$name.json" .status)" "$want"
  check_eq "$name exit status" "$(cat "$WORK/$name.rc")" 0
  jq -e --argjson t "$truth" '(.round_trip_frames - $t) | fabs <= 0.05' "$WORK/$name.json" \
    >/dev/null || fail "$name: $(json "$WORK/$name.json" .round_trip_frames) is not $truth +- 0.05"
}

# check_honest NAME TRUTH: ok within 0.05 frame, or uncertain (exit 1) saying SNR and -t.
check_honest() {
  local name=$1 truth=$2 status
  status=$(json "$WORK/$name.json" .status)
  case $status in
    ok) check_truth "$name" "$truth" ;;
    uncertain)
      check_eq "$name exit status" "$(cat "$WORK/$name.rc")" 1
      grep -q "uncertain: .*SNR" "$WORK/$name.err" || fail "$name: no SNR in: $(cat "$WORK/$name.err")"
      check_eq "$name round trip" "$(json "$WORK/$name.json" .round_trip_frames)" null ;;
    *) fail "$name: status '$status' (want ok or uncertain)" ;;
  esac
}

# The baseline: the path at its minimum delay, clean. Its figure is the server's round trip plus
# 31 frames, an integer number of frames.
measure base 31 -- -d 2
check_eq "baseline status" "$(json "$WORK/base.json" .status)" ok
base=$(json "$WORK/base.json" .round_trip_frames)
jq -e '(.round_trip_frames - (.round_trip_frames | round)) | fabs <= 0.01' "$WORK/base.json" \
  >/dev/null || fail "baseline $base is not a whole number of frames"
truth() { jq -n --argjson b "$base" --argjson d "$1" '$b + $d - 31'; }

# Fractional delays, clean and loud: exact.
measure frac40.5 40.5 -- -d 2
check_truth frac40.5 "$(truth 40.5)"
measure frac77.3 77.3 -- -d 2
check_truth frac77.3 "$(truth 77.3)"
# Inverted and 20 dB down: the delay still, and the polarity said.
measure inv 52.77 --gain-db -20 --invert -- -d 2
check_truth inv "$(truth 52.77)" "inverted polarity"
# A clean return 60 dB down (it was "no signal"): measured as exactly.
measure quiet60 45.25 --gain-db -60 -- -d 3
check_truth quiet60 "$(truth 45.25)"
# Noisy returns (noise -50 dBFS): at -35 dB and -40 dB in 3 s, ok within 0.05 or uncertain,
# never a wrong figure (the -40 dB case once said "ok" at 805.9 frames).
measure noisy35 45.25 --gain-db -35 --noise-dbfs -50 --seed 3 -- -d 3
check_honest noisy35 "$(truth 45.25)"
measure noisy40 45.25 --gain-db -40 --noise-dbfs -50 --seed 4 -- -d 3
check_honest noisy40 "$(truth 45.25)"
# Tones 48 dB below the noise: not found, and the message says the input carries sound.
measure buried 45.25 --gain-db -60 --noise-dbfs -40 --seed 5 -- -d 2
check_eq "buried status" "$(json "$WORK/buried.json" .status)" "no signal"
check_eq "buried exit status" "$(cat "$WORK/buried.rc")" 1
grep -qE "input carries sound \(-(39|40)\.[0-9] dBFS RMS\)" "$WORK/buried.err" ||
  fail "buried: $(cat "$WORK/buried.err")"
# Integration over longer windows measures -40 dB under -50 dBFS noise given the time.
# (-d 18 where the advice says 14: a loaded machine's late start and timeline breaks cost windows.)
measure long40 45.25 --gain-db -40 --noise-dbfs -50 --seed 6 -- -d 18
check_truth long40 "$(truth 45.25)"
jq -e '.window_periods > 1' "$WORK/long40.json" >/dev/null ||
  fail "long40: measured without longer windows: $(json "$WORK/long40.json" .window_periods)"

# --repeat: each open measured; the same path gives the same figure every time.
measure repeat 40.5 -- -d 1.5 --repeat 3
check_eq "repeat opens" "$(jq '.opens | length' "$WORK/repeat.json")" 3
jq -e --argjson t "$(truth 40.5)" 'all(.opens[]; .status == "ok" and ((.round_trip_frames - $t) | fabs <= 0.05))
   and .open_spread_frames <= 0.05' "$WORK/repeat.json" >/dev/null ||
  fail "repeat: $(jq -c '{opens, open_spread_frames}' "$WORK/repeat.json")"

# The split on JACK: the claim is read from the graph while the loopback is connected: the
# capture latency of our input port plus the playback latency of our output port (as
# jack_iodelay reads them), plus PortAudio's own buffering, which is the period asked with -p
# (none at the host's period). The path declares capture 300 and playback 200 frames like a
# sound card; PortAudio also connects our ports to the dummy driver's system:* ports, which claim
# one period (128) each, and the graph gives each port the largest claim on it: so the path's
# claims must be above 128 to be the ones read. A delay of 1031 leaves a positive, whole
# unclaimed part (the server's feedback cycle of one period plus the path's delay beyond its
# claim) for jackd's -I/-O.
LATENCY_QUIET=
measure claim 1031 --capture-latency 300 --playback-latency 200 -- -d 2 -p 64
LATENCY_QUIET=-q
check_truth claim "$(jq -n --argjson t "$(truth 1031)" '$t + 64')" # -p 64: PortAudio's 64 more
jq -e '.jack_claim == {capture_frames: 300, playback_frames: 200, portaudio_input_frames: 0,
                       portaudio_output_frames: 64}
   and .reported_frames == 564
   and ((.unclaimed_frames - (.round_trip_frames - .reported_frames)) | fabs) < 1e-6
   and ((.unclaimed_ms - .unclaimed_frames * 1000 / .rate) | fabs) < 1e-6
   and .jackd_input_frames + .jackd_output_frames == (.unclaimed_frames | round)
   and ((.jackd_input_frames - .jackd_output_frames) | fabs) <= 1' "$WORK/claim.json" >/dev/null ||
  fail "claim: $(jq -c '{jack_claim, reported_frames, round_trip_frames, unclaimed_frames,
    jackd_input_frames, jackd_output_frames}' "$WORK/claim.json")"
jackd_i=$(json "$WORK/claim.json" .jackd_input_frames)
jackd_o=$(json "$WORK/claim.json" .jackd_output_frames)
grep -q "claimed   564.0 frames by JACK's ports and PortAudio" "$WORK/claim.out" &&
  grep -q "for jackd: -I $jackd_i -O $jackd_o" "$WORK/claim.out" ||
  fail "claim: the text report does not give the claim and -I $jackd_i -O $jackd_o: $(cat "$WORK/claim.out")"
echo "claim: $(jq -c '{reported_frames, round_trip_frames, unclaimed_frames, jackd_input_frames,
  jackd_output_frames}' "$WORK/claim.json")"

require_rt_guard_watched
