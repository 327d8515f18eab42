# tests/integration/lib.sh - shared helpers for the integration tests (sourced, not run).
# Each test runs inside scripts/jack-dummy, which starts a private JACK dummy server and exports
# JACK_DEFAULT_SERVER. CTest passes the tools' paths: RINGCORDER, COUNTER_SOURCE, COUNTER_CHECK.
#
# The server is synchronous (`jackd -S`) unless the script asks otherwise with a line of its own
#   # jack-dummy: OPTIONS
# whose OPTIONS tests/CMakeLists.txt passes to scripts/jack-dummy: `# jack-dummy: --async` for a
# test that wants the host to lose cycles (a client paused with SIGSTOP is skipped, a host gap);
# `# jack-dummy: none` for a test that starts its own servers (scripts/jack-dummy inside the test,
# synchronous by default too) and needs none around it. On a synchronous server a late client
# delays the cycle and no frame is lost however busy the machine is, so a recording must be exact.
set -euo pipefail

: "${RINGCORDER:?}" "${COUNTER_SOURCE:?}" "${COUNTER_CHECK:?}" "${AUDIO_DIFF:?}" "${ASSETS:?}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rc-it-XXXXXX")
CHILDREN=()
cleanup() {
  local status=$? pid
  for pid in "${CHILDREN[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  # Wait for them: a JACK client closes through its server, which scripts/jack-dummy stops as soon
  # as this script ends, and a client whose server vanished mid-close can hang (a counter source
  # was left running so on a loaded machine). Whatever still runs after 2 s is killed.
  for pid in "${CHILDREN[@]:-}"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  # RC_KEEP_WORK=1: a failed test leaves its files (recordings, reports) for a look.
  if [ "$status" -ne 0 ] && [ -n "${RC_KEEP_WORK:-}" ]; then
    echo "kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# The server's own last words go with a failure: a synchronous server that waited for a dead or
# late client says so there ("SuspendRefNum error", the length of the xrun).
fail() {
  echo "FAIL: $*" >&2
  if [ -n "${RC_JACKD_LOG:-}" ] && [ -s "$RC_JACKD_LOG" ]; then
    echo "--- the JACK server's log (last 15 lines):" >&2
    tail -n 15 "$RC_JACKD_LOG" >&2 || true
  fi
  exit 1
}

# The JACK client name of every ringcorder run below: unique, because libjack names a client's
# notification socket after the client alone (/dev/shm/jack_NAME_UID_0), whatever its server, so
# two clients of one name on two servers at once (tests side by side, two suites, other work on
# the machine) can take each other's socket, and one of them fails to open ("no audio input
# device found"). Tests name ringcorder's ports "$RC_CLIENT:in_0" and so on.
# RC_CLIENT is kept when set (a script run inside a test, such as lib_loopback.sh).
export RC_CLIENT=${RC_CLIENT:-rc-$$-$RANDOM}

# Every ringcorder run goes through a wrapper: on a JACK server (JACK_DEFAULT_SERVER set) it
# passes --jack-name "$RC_CLIENT" unless the test gives a name itself, and when the build
# provides the real-time guard (tests/rtguard; RT_GUARD, non-sanitizer builds) it preloads it in
# abort mode, so a callback that allocates, locks, sleeps or does I/O kills the run with the call
# named. Each guarded run appends a line "pid=P scopes=S violations=V first=NAME" to
# $RT_GUARD_REPORT at exit.
# A script run inside a test keeps the test's wrapper and report.
if [ -z "${RC_WRAPPED:-}" ]; then
  export RT_GUARD_REPORT="$WORK/rt-guard.log"
  mkdir -p "$WORK/bin"
  {
    echo '#!/usr/bin/env bash'
    printf 'name=(); if [ -n "${JACK_DEFAULT_SERVER:-}" ] && [[ " $* " != *" --jack-name "* ]]; then name=(--jack-name %q); fi\n' \
      "$RC_CLIENT"
    if [ -n "${RT_GUARD:-}" ]; then
      printf 'LD_PRELOAD=%q RC_RT_GUARD_REPORT=%q exec %q "${name[@]}" "$@"\n' \
        "$RT_GUARD" "$RT_GUARD_REPORT" "$RINGCORDER"
    else
      printf 'exec %q "${name[@]}" "$@"\n' "$RINGCORDER"
    fi
  } >"$WORK/bin/ringcorder"
  chmod +x "$WORK/bin/ringcorder"
  export RINGCORDER="$WORK/bin/ringcorder" RC_WRAPPED=1
fi

# require_rt_guard_watched: the guard watched real callbacks (scopes > 0) and saw no forbidden
# call in any of them. A forbidden call aborts the run at once (exit 134, which every test checks
# as a failed status) before it can write a report line, so the lines prove the watching and the
# violation count is a second line of defence. Without a guard in this build it says so.
require_rt_guard_watched() {
  if [ -z "${RT_GUARD:-}" ]; then
    echo "note: no real-time guard in this build (sanitizer preset)"
    return 0
  fi
  [ -s "$RT_GUARD_REPORT" ] || fail "real-time guard: no report (was it preloaded?)"
  local scopes violations
  scopes=$(awk '{ sub("scopes=", "", $2); s += $2 } END { print s + 0 }' "$RT_GUARD_REPORT")
  violations=$(awk '{ sub("violations=", "", $3); v += $3 } END { print v + 0 }' "$RT_GUARD_REPORT")
  [ "$scopes" -gt 0 ] || fail "real-time guard: no callback was watched"
  check_eq "real-time guard: forbidden calls in $scopes callbacks" "$violations" 0
}

# check DESCRIPTION ACTUAL EXPECTED
check_eq() {
  if [ "$2" != "$3" ]; then fail "$1: got '$2', expected '$3'"; fi
  echo "ok: $1 = $2"
}

# json FILE FILTER: one value from a JSON file.
json() { jq -r "$2" "$1"; }

# wait_for_port NAME [SECONDS]: until a JACK port exists. SECONDS (default 30) only catches a
# hang: a sanitizer build starting beside another suite's builds took over 10 s.
wait_for_port() {
  local deadline=$((SECONDS + ${2:-30}))
  until jack_lsp 2>/dev/null | grep -qx "$1"; do
    [ $SECONDS -lt $deadline ] || fail "JACK port $1 did not appear"
    sleep 0.05
  done
}

# wait_for_file PATH [SECONDS]: until PATH exists (e.g. a tap's /dev/shm object).
wait_for_file() {
  local deadline=$((SECONDS + ${2:-30}))
  until [ -e "$1" ]; do
    [ $SECONDS -lt $deadline ] || fail "$1 did not appear"
    sleep 0.02
  done
}

# CHANNELS: the channel count a script records (ringcorder's -c "$CHANNELS"). 2 unless ctest runs
# the script's multichannel variant (a line `# channels: C` in the script registers
# integration/NAME_cC with RC_CHANNELS=C on a server of C ports: tests/CMakeLists.txt). With 2
# the source plays the stereo counter (counter and marker), otherwise the multichannel counter on
# CHANNELS ports (jack_counter_source --ports), and check_counter checks it accordingly.
CHANNELS=${RC_CHANNELS:-2}
[[ $CHANNELS =~ ^[1-9][0-9]*$ ]] || fail "RC_CHANNELS='$CHANNELS' is not a channel count"

# start_counter_source: plays the counter signal into $RC_CLIENT:in_0/in_1 (in_0 .. in_{C-1} for
# CHANNELS C other than 2) as soon as they exist.
# It connects once: call it again before each ringcorder run (the previous source is stopped).
# Arguments go to the source (e.g. --gate ON,OFF for bursts).
SOURCE_PID=""
start_counter_source() {
  if [ -n "$SOURCE_PID" ]; then kill "$SOURCE_PID" 2>/dev/null || true; wait "$SOURCE_PID" 2>/dev/null || true; fi
  local name="rc-src-$$-$RANDOM" ports=()
  [ "$CHANNELS" -eq 2 ] || ports=(--ports "$CHANNELS")
  rm -f "$WORK/source.clock"
  "$COUNTER_SOURCE" --name "$name" --connect "$RC_CLIENT:in_" --wait 30 --clock "$WORK/source.clock" \
    "${ports[@]}" "$@" >"$WORK/source.log" 2>&1 &
  SOURCE_PID=$!
  CHILDREN+=("$SOURCE_PID")
  wait_for_port "$name:out_0"
}

# wait_for_audio FRAMES [SECONDS]: until the counter source has played FRAMES frames into
# ringcorder (counted from its connection, so ringcorder's timeline holds at least that many).
# Use it instead of `sleep` wherever a test needs an amount of audio to have passed: on a
# synchronous server a loaded machine makes the audio run slower than the clock (1 s of wall
# time gave 0.43 s of audio beside two busy loops). SECONDS (default 60) only catches a hang.
wait_for_audio() {
  local deadline=$((SECONDS + ${2:-60})) played
  while :; do
    played=$(cat "$WORK/source.clock" 2>/dev/null || echo 0)
    [ "$played" -lt "$1" ] || return 0
    [ $SECONDS -lt $deadline ] || fail "the source played only $played of $1 frames in ${2:-60} s"
    sleep 0.02
  done
}

# check_counter FILE [MAP]: counter_check --resync on FILE into $WORK/check.json (the same fields
# for any CHANNELS: frames, lead_in, counter_frames, first_counter, gaps, tail_silence, errors,
# error_runs, jumps); fails when FILE is not the counter (errors, or not CHANNELS channels). MAP (CHANNELS
# other than 2): counter_check's --map, e.g. 0,0,0,0,0,6,0,0 for a source playing port 6 alone.
check_counter() {
  run_counter_check "$@" || { cat "$WORK/check.json"; fail "$1: not the counter"; }
}

# run_counter_check FILE [MAP]: the same check, without judging it: returns counter_check's status
# (0: the counter; 1: frames that are neither counter nor silence, listed in .error_runs; 2: FILE
# unreadable or not CHANNELS channels).
run_counter_check() {
  local args=(--resync)
  [ "$CHANNELS" -eq 2 ] || args+=(--channels "$CHANNELS" ${2:+--map "$2"})
  "$COUNTER_CHECK" "${args[@]}" "$1" >"$WORK/check.json"
}

# check_recording FILE STATS_JSON: the file must hold the counter exactly: every frame the counter
# at its own position, or silence standing in for frames ringcorder dropped (its own overruns are
# written as silence of exactly their length, so they never move the counter). No counter jump is
# allowed: the tests run on a synchronous JACK server, where a late client delays the cycle instead
# of losing it, so frames missing from a recording are ringcorder's fault. (A test on an
# asynchronous server, which loses cycles on purpose, checks its host gaps itself.)
check_recording() {
  local file=$1 stats=$2
  check_counter "$file"
  local jumps
  jumps=$(json "$WORK/check.json" '.jumps | length')
  [ "$jumps" -eq 0 ] || {
    cat "$WORK/check.json"
    fail "$file: $jumps counter jump(s) of $(jq -c '[.jumps[].shift]' "$WORK/check.json") frames (host xrun flags: $(json "$stats" .input_overflow_flags))"
  }
}
