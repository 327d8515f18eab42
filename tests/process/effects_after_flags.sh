#!/usr/bin/env bash
# sox style, an effect chain follows a command's options: for every option of every command that
# takes a chain (capture, playthrough, process) which takes no value (a flag, as listed by the
# command's own --help), an effect right after it is an effect, and a long flag after the chain
# stays the command's without swallowing the next effect. Proof without a device: the chain's second
# effect is `gain abc`, which only the chain parser refuses ("gain 'abc' is not a number", exit
# 2, before any device or file opens); CLI11 would say "not expected" instead.
source "$(dirname "$0")/../integration/lib.sh"

cp "$ASSETS/tones-noise-stereo-float.wav" "$WORK/in.wav"

# flags COMMAND: every name of the command's options that take no value, one per line, but -h
# and --help: from its --help, where an option that takes a value shows its type (TEXT, INT...)
# after its names.
flags() {
  "$RINGCORDER" "$1" --help | awk '
    /^Options:/ { in_options = 1; next }
    in_options && /^  -/ {
      names = $1
      if ($2 ~ /^(TEXT|INT|UINT|FLOAT|NUMBER|BOOLEAN|ENUM|PATTERN)($|:)/) next
      n = split(names, parts, ",")
      for (i = 1; i <= n; i++) print parts[i]
    }' | grep -vxE -- '-h|--help'
}

# expect_chain WHAT ARGS...: ringcorder ARGS must be refused by the chain parser.
expect_chain() {
  local what=$1 status=0
  shift
  "$RINGCORDER" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || status=$?
  [ "$status" -eq 2 ] && grep -q "gain 'abc' is not a number" "$WORK/err.txt" ||
    fail "$what: exit $status, $(cat "$WORK/err.txt") (ringcorder $*)"
}

checked=0
for command in capture playthrough process; do
  case $command in
    capture) positional=("$WORK/take.wav") ;;
    playthrough) positional=() ;;
    process) positional=("$WORK/in.wav" "$WORK/out.wav") ;;
  esac
  list=$(flags "$command")
  [ -n "$list" ] || fail "$command: no flags found in its --help"
  while read -r flag; do
    expect_chain "$command: an effect after $flag" "$command" "${positional[@]}" "$flag" gain abc
    # After the chain only long options are the command's (short ones may be effect arguments,
    # "-3", "-m"; sox takes no option there at all).
    [[ $flag != --* ]] ||
      expect_chain "$command: $flag after the chain" "$command" "${positional[@]}" gain -3 "$flag" gain abc
    checked=$((checked + 1))
  done <<<"$list"
  echo "ok: $command: an effect after each of $(tr '\n' ' ' <<<"$list")"
done
[ ! -e "$WORK/take.wav" ] && [ ! -e "$WORK/out.wav" ] || fail "an output file was created"
echo "ok: $checked flags"
