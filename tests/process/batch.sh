#!/usr/bin/env bash
# Batches at archive scale: --manifest appends one JSON line per file as it finishes (converted,
# skipped or failed, with frames, seconds and clips), also from several processes at once;
# --skip-existing resumes a batch after a failure without redoing or overwriting finished files;
# --force and --skip-existing exclude each other.
source "$(dirname "$0")/../integration/lib.sh"

mkdir -p "$WORK/in" "$WORK/out"
for i in $(seq 1 12); do
  sox "$ASSETS/tones-noise-stereo-float.wav" "$WORK/in/take$i.wav" trim 0 "0.$i" gain -$((i % 4))
done
manifest="$WORK/m.jsonl"

# lines_with RESULT: how many manifest lines report RESULT.
lines_with() { jq -r .result "$manifest" | grep -cx "$1" || true; }

# A first run with one input missing: every file has its line, the missing one "failed", exit 1.
status=0
"$RINGCORDER" process -q "$WORK/in/take1.wav" "$WORK/in/nothere.wav" "$WORK/in/take2.wav" \
  -o "$WORK/out" --manifest "$manifest" gain -1 || status=$?
check_eq "a batch with a missing input: exit" "$status" 1
check_eq "manifest lines" "$(wc -l <"$manifest")" 3
check_eq "converted" "$(lines_with converted)" 2
check_eq "failed" "$(lines_with failed)" 1
jq -se '[.[] | select(.result == "failed")] | length == 1 and (.[0].error | test("nothere"))' \
  "$manifest" >/dev/null ||
  fail "the failed line does not say why: $(cat "$manifest")"
jq -se 'map(select(.result == "converted")) | all(.frames > 0 and .seconds > 0 and .clips == 0)' \
  "$manifest" >/dev/null || fail "converted lines lack their figures: $(cat "$manifest")"

# Twelve files by four processes at once (as GNU parallel or a Slurm array would run them),
# appending to one manifest: every line whole JSON, each file once.
rm -f "$manifest" "$WORK"/out/*
printf '%s\n' "$WORK"/in/*.wav |
  xargs -P 4 -I{} "$RINGCORDER" process -q --skip-existing --manifest "$manifest" {} -t flac \
    -o "$WORK/out" norm -1
check_eq "parallel: manifest lines" "$(jq -c . "$manifest" | wc -l)" 12
check_eq "parallel: distinct inputs" "$(jq -r .input "$manifest" | sort -u | wc -l)" 12
check_eq "parallel: converted" "$(lines_with converted)" 12
check_eq "parallel: outputs" "$(find "$WORK/out" -name '*.flac' | wc -l)" 12

# The README's GNU parallel line, as written, on a tree holding two files of one name: each is
# converted to its own place (with -o out/ the second would be taken for done and skipped).
mkdir -p "$WORK/tree/archive/a" "$WORK/tree/archive/b/c"
cp "$WORK/in/take3.wav" "$WORK/tree/archive/a/take.wav"
cp "$WORK/in/take5.wav" "$WORK/tree/archive/b/c/take.wav"
cp "$WORK/in/take7.wav" "$WORK/tree/archive/b/other.wav"
recipe=$(sed -n '/^# GNU parallel: 8 jobs/,/^jq /p' "$(dirname "$0")/../../README.md" | sed '1d;$d')
[ -n "$recipe" ] || fail "the README's GNU parallel recipe was not found"
(cd "$WORK/tree" && PATH="$(dirname "$RINGCORDER"):$PATH" bash -euo pipefail -c "$recipe")
tree_manifest="$WORK/tree/done.jsonl"
check_eq "recipe: converted" "$(jq -r .result "$tree_manifest" | grep -cx converted)" 3
for f in a/take b/c/take b/other; do
  "$RINGCORDER" process -q --force "$WORK/tree/archive/$f.wav" "$WORK/tree/direct.flac" norm -1
  cmp -s <(sox "$WORK/tree/out/$f.flac" -t raw -) <(sox "$WORK/tree/direct.flac" -t raw -) ||
    fail "recipe: out/$f.flac is not archive/$f.wav converted"
done
! cmp -s <(sox "$WORK/tree/out/a/take.flac" -t raw -) \
  <(sox "$WORK/tree/out/b/c/take.flac" -t raw -) || fail "recipe: the two take.flac are one file"
echo "ok: the README's GNU parallel recipe keeps files of one name apart"

# Resume: three outputs lost (a failed node), the rest kept: --skip-existing converts just those
# three, leaves the others untouched, and the result equals a complete run.
before=$(stat -c %Y "$WORK/out/take5.flac")
sleep 1.1
rm "$WORK/out/take1.flac" "$WORK/out/take7.flac" "$WORK/out/take12.flac"
: >"$manifest"
"$RINGCORDER" process -q --skip-existing --manifest "$manifest" "$WORK"/in/*.wav -t flac \
  -o "$WORK/out" norm -1
check_eq "resume: converted" "$(lines_with converted)" 3
check_eq "resume: skipped" "$(lines_with skipped)" 9
check_eq "resume: a finished file untouched" "$(stat -c %Y "$WORK/out/take5.flac")" "$before"
mkdir "$WORK/full"
"$RINGCORDER" process -q "$WORK/in/take7.wav" -t flac -o "$WORK/full" norm -1
cmp <(sox "$WORK/full/take7.flac" -t raw -) <(sox "$WORK/out/take7.flac" -t raw -) ||
  fail "a resumed file differs from one converted in a complete run"
echo "ok: resumed files equal a complete run's"

# --force and --skip-existing contradict each other; a manifest that cannot be written is exit 1
# before anything is converted.
status=0
"$RINGCORDER" process -q --force --skip-existing "$WORK/in/take1.wav" -o "$WORK/out" 2>/dev/null || status=$?
check_eq "--force with --skip-existing: exit" "$status" 2
status=0
"$RINGCORDER" process -q --manifest "$WORK/nodir/m.jsonl" "$WORK/in/take1.wav" "$WORK/x.flac" \
  2>"$WORK/err.txt" || status=$?
check_eq "manifest in a missing directory: exit" "$status" 1
[ ! -e "$WORK/x.flac" ] || fail "a file was converted although the manifest could not be written"
grep -q "cannot write the manifest" "$WORK/err.txt" || fail "manifest error: $(cat "$WORK/err.txt")"
echo "ok: a manifest that cannot be written stops the batch before it starts"
