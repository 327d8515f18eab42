# bench/lib.sh - timing helpers the shell benchmarks share (sourced, not run).

# seconds COMMAND...: runs COMMAND (its output discarded) and prints its wall time in seconds.
# Every run starts after a sync, with no dirty pages to flush: writeback throttling hits no run
# twice and no run for another's writes.
seconds() {
  local start end
  sync
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
}

# median: the median of the numbers on standard input, one per line (the upper of the two middle
# values for an even count).
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
