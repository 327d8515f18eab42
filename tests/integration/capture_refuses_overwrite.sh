#!/usr/bin/env bash
# An existing output is never overwritten without --force: exit 1, file untouched; with --force
# it is replaced.
source "$(dirname "$0")/lib.sh"

out="$WORK/existing.wav"
echo "precious take" >"$out"
before=$(sha256sum "$out")
status=0
"$RINGCORDER" capture "$out" --duration 1 --quiet 2>"$WORK/err.txt" || status=$?
check_eq "exit code without --force" "$status" 1
grep -q -- "--force" "$WORK/err.txt" || fail "the error does not mention --force: $(cat "$WORK/err.txt")"
check_eq "file untouched" "$(sha256sum "$out")" "$before"

"$RINGCORDER" capture "$out" --duration 0.5 --force --quiet || fail "capture --force exited $?"
[ "$(sha256sum "$out")" != "$before" ] || fail "--force did not replace the file"
echo "ok: --force replaced the file"
