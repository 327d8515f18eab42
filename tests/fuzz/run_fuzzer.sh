#!/usr/bin/env bash
# tests/fuzz/run_fuzzer.sh FUZZER CORPUS RUNS - one short, reproducible libFuzzer run for CTest.
# The seed corpus in the repository is read, never written: new inputs go to a scratch directory
# that is removed afterwards. A crash leaves its input in $FUZZ_ARTIFACTS (default: the build's
# fuzz-artifacts directory) and fails the test; replay it with `FUZZER that-file`.
set -euo pipefail
fuzzer=$1 corpus=$2 runs=$3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/rc-fuzz-corpus-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
artifacts=${FUZZ_ARTIFACTS:-$(dirname "$fuzzer")/fuzz-artifacts}
mkdir -p "$artifacts"
status=0
"$fuzzer" -runs="$runs" -seed=1 -max_len=8192 -timeout=30 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$scratch" "$corpus" || status=$?
exit "$status" # not exec: the trap must remove the scratch corpus
