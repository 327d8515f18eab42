#!/usr/bin/env bash
# Reproduction bench for the rare end-of-run crash of `ringcorder latency` (issue 14): runs many
# short latency measurements, with and without a JACK loopback, at several periods, optionally
# beside CPU hogs, and counts how each run ended. A run that dies by a signal (139 = SIGSEGV,
# 134 = SIGABRT, ...) has its stderr (ringcorder's crash backtrace) kept. Prints one JSON line.
#
# Usage: bench/latency_segv_repro.sh [--runs N] [--hogs K] [--periods "64 128 256"]
#          [--duration T] [--ring-every M] [--churn] [--cores] [--build DIR] [--no-guard]
#          [--keep DIR]
#   --runs N        runs in all (default 300), spread over the periods; each period gets one
#                   private JACK dummy server (scripts/jack-dummy) for all its runs
#   --hogs K        K busy loops (at most 2) run beside the whole bench (default 0)
#   --duration T    ringcorder latency -t T (default 1)
#   --ring-every M  every M-th pair of runs uses --path ring (default 4; 0: never)
#   --churn         while the runs go on, connect and disconnect system:capture_1 ->
#                   system:playback_1 over and over: every change of the graph makes the server send
#                   latency notifications to every active client, ringcorder's included
#   --cores         keep a core dump of each crashed run beside its log (needs a plain file name
#                   as kernel.core_pattern, e.g. "core"; read it with gdb APP CORE, then
#                   "thread apply all bt")
#   --build DIR     where app/ringcorder is (default build/release)
#   --no-guard      do not preload the real-time guard (default: preload DIR/tests/librc_rtguard.so
#                   when it exists, exactly as the integration tests run ringcorder)
#   --keep DIR      where crash logs go (default out/bench/latency_segv)
# JACK's own tools (jack_lsp, jack_connect) were seen to hang now and then under this load, with
# the server still answering: each gets 10 s.
# Every odd run has no loopback (exit 1, "no signal", is then the expected outcome), every even
# run has ringcorder:out_0 -> ringcorder:in_0 connected as soon as the port exists (exit 0 when
# the connection came in time to measure; under load and with a short -t it may not: exit 1).
# The JSON: exits (count per exit status), crashes (runs that died by a signal), other_failures
# (exit statuses 2..128), loopback_ok / loopback_runs, by_period, mean_run_seconds, seconds.
# Exits 1 when any run crashed, 0 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=300
hogs=0
periods="64 128 256"
duration=1
ring_every=4
build=build/release
guard=auto
keep=out/bench/latency_segv
churn=0
cores=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --hogs) hogs=$2; shift 2 ;;
    --periods) periods=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --ring-every) ring_every=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --churn) churn=1; shift ;;
    --cores) cores=1; shift ;;
    --no-guard) guard=none; shift ;;
    --keep) keep=$2; shift 2 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ && $hogs =~ ^[0-2]$ && $ring_every =~ ^[0-9]+$ ]] ||
  { echo "latency_segv_repro: --runs >= 1, --hogs 0..2, --ring-every >= 0" >&2; exit 2; }
ringcorder=$(realpath "$build/app/ringcorder")
[ -x "$ringcorder" ] || { echo "latency_segv_repro: no $build/app/ringcorder: build it first" >&2; exit 2; }
if [ "$guard" = auto ]; then
  guard=none
  [ -f "$build/tests/librc_rtguard.so" ] && guard=$(realpath "$build/tests/librc_rtguard.so")
fi
mkdir -p "$keep"
keep=$(realpath "$keep")
work=$(mktemp -d "${TMPDIR:-/tmp}/rc-segv-XXXXXX")

hog_pids=()
cleanup() {
  for pid in "${hog_pids[@]:-}"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq "$hogs"); do
  (while :; do :; done) &
  hog_pids+=($!)
done

# One server per period runs this loop; it appends "period run path loopback status seconds" per
# run to $work/results and copies the stderr of any run that died by a signal to $keep.
cat >"$work/loop.sh" <<'EOF'
set -uo pipefail
ringcorder=$1 guard=$2 period=$3 first=$4 count=$5 duration=$6 ring_every=$7 work=$8 keep=$9
churn=${10} cores=${11}
churn_pid=""
if [ "$cores" = 1 ]; then
  ulimit -c unlimited
  mkdir -p "$work/cwd"
  cd "$work/cwd" || exit 1 # a core named by a plain kernel.core_pattern lands here
fi
if [ "$churn" = 1 ]; then
  (while :; do
    timeout 10 jack_connect system:capture_1 system:playback_1 2>/dev/null
    timeout 10 jack_disconnect system:capture_1 system:playback_1 2>/dev/null
  done) &
  churn_pid=$!
  trap 'kill "$churn_pid" 2>/dev/null' EXIT
fi
for ((i = first; i < first + count; i++)); do
  args=(latency -q -p "$period" -d "$duration" --json "$work/run.json")
  path=direct
  if [ "$ring_every" -gt 0 ] && [ $((i / 2 % ring_every)) -eq $((ring_every - 1)) ]; then
    args+=(--path ring) path=ring
  fi
  loopback=$((i % 2 == 0))
  start=$(date +%s.%N)
  if [ "$guard" = none ]; then
    "$ringcorder" "${args[@]}" 2>"$work/stderr" &
  else
    LD_PRELOAD=$guard "$ringcorder" "${args[@]}" 2>"$work/stderr" &
  fi
  pid=$!
  if [ "$loopback" = 1 ]; then
    for _ in $(seq 200); do
      kill -0 "$pid" 2>/dev/null || break
      timeout 10 jack_lsp 2>/dev/null | grep -qx ringcorder:in_0 && break
      sleep 0.02
    done
    timeout 10 jack_connect ringcorder:out_0 ringcorder:in_0 2>/dev/null || true
  fi
  status=0
  wait "$pid" || status=$?
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  echo "$period $i $path $loopback $status $seconds" >>"$work/results"
  if [ "$status" -gt 128 ]; then
    log="$keep/crash-p$period-run$i-exit$status.txt"
    {
      echo "run $i: ringcorder ${args[*]} (loopback $loopback) exited $status"
      cat "$work/stderr"
    } >"$log"
    echo "crash: $log" >&2
  fi
  if [ "$cores" = 1 ]; then
    for core in "$work"/cwd/core*; do
      [ -e "$core" ] || continue
      if [ "$status" -gt 128 ]; then mv "$core" "${log%.txt}.core"; else rm -f "$core"; fi
    done
  fi
done
EOF

started=$(date +%s.%N)
read -ra period_list <<<"$periods"
n=${#period_list[@]}
first=0
for k in "${!period_list[@]}"; do
  count=$(((runs - first) / (n - k)))
  [ "$count" -gt 0 ] || continue
  scripts/jack-dummy --period "${period_list[$k]}" -- bash "$work/loop.sh" "$ringcorder" "$guard" \
    "${period_list[$k]}" "$first" "$count" "$duration" "$ring_every" "$work" "$keep" "$churn" "$cores" ||
    echo "latency_segv_repro: the server for period ${period_list[$k]} failed" >&2
  first=$((first + count))
done
elapsed=$(echo "$(date +%s.%N) - $started" | bc)

touch "$work/results"
crashes=$(awk '$5 > 128' "$work/results" | wc -l)
jq -cnR --arg hogs "$hogs" --arg churn "$churn" --arg duration "$duration" --arg guard "$guard" --arg keep "$keep" \
  --arg elapsed "$elapsed" '
  [inputs | split(" ") | {period: (.[0] | tonumber), path: .[2], loopback: (.[3] == "1"),
   status: (.[4] | tonumber), seconds: (.[5] | tonumber)}] as $r
  | {runs: ($r | length), hogs: ($hogs | tonumber), duration: ($duration | tonumber),
     churn: ($churn == "1"), rt_guard: ($guard != "none"),
     exits: ($r | group_by(.status) | map({key: (.[0].status | tostring), value: length}) | from_entries),
     crashes: ([$r[] | select(.status > 128)] | length),
     other_failures: ([$r[] | select(.status > 1 and .status <= 128)] | length),
     loopback_ok: ([$r[] | select(.loopback and .status == 0)] | length),
     loopback_runs: ([$r[] | select(.loopback)] | length),
     by_period: ($r | group_by(.period) | map({key: (.[0].period | tostring),
       value: {runs: length, crashes: ([.[] | select(.status > 128)] | length)}}) | from_entries),
     mean_run_seconds: (if ($r | length) > 0 then ([$r[].seconds] | add / length * 1000 | round / 1000) else null end),
     seconds: ($elapsed | tonumber | round), crash_logs: $keep}' <"$work/results"
[ "$crashes" -eq 0 ]
