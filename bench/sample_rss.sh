#!/usr/bin/env bash
# bench/sample_rss.sh PID [SECONDS]: samples the resident memory (VmRSS, KB) of PID every SECONDS
# (default 10) until it exits, then prints the samples comma-separated (for a JSON array).
set -euo pipefail
pid=$1 every=${2:-10}
samples=()
while kill -0 "$pid" 2>/dev/null; do
  kb=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
  [ -z "$kb" ] || samples+=("$kb")
  sleep "$every"
done
(IFS=,; echo "${samples[*]}")
