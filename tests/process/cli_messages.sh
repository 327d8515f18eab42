#!/usr/bin/env bash
# Command-line mistakes are answered in ringcorder's own words, one line, exit 2 (README, "Exit
# codes"): a misspelt command or option gets a "did you mean", `help` works as git's does, an
# option given twice or without its value says so, two reports cannot share standard output, and
# a directory given as an output is called a directory (exit 1). (`--stats-json -` on standard
# output: tests/integration/capture_stats_stdout.sh.) No CLI11 wording ("The following
# arguments were not expected", "At Most 1 required") reaches the user.
source "$(dirname "$0")/../integration/lib.sh"

# says STATUS TEXT ARGS...: ringcorder ARGS exits STATUS with one line on stderr containing TEXT.
says() {
  local want=$1 text=$2 status=0
  shift 2
  "$RINGCORDER" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || status=$?
  [ "$status" -eq "$want" ] || fail "ringcorder $*: exit $status, expected $want: $(cat "$WORK/err.txt")"
  [ "$(wc -l <"$WORK/err.txt")" -eq 1 ] || fail "ringcorder $*: not one line on stderr: $(cat "$WORK/err.txt")"
  grep -qF -- "$text" "$WORK/err.txt" || fail "ringcorder $*: '$(cat "$WORK/err.txt")' lacks '$text'"
  if grep -qE "not expected|At Most|At Least|required but received|required [A-Z]+ missing|Value .* not in range" "$WORK/err.txt"; then
    fail "ringcorder $*: CLI11's wording: $(cat "$WORK/err.txt")"
  fi
  echo "ok: ringcorder $* -> $(cat "$WORK/err.txt")"
}

says 2 "unknown command 'captur' (did you mean 'capture'?)" captur x.wav
says 2 "unknown command 'recrod'" recrod
says 2 "unknown option '--duraton' (did you mean '--duration'?)" capture "$WORK/x.wav" --duraton 3
says 2 "unknown option '--duraton' (did you mean '--duration'?)" capture "$WORK/x.wav" 3 --duraton
says 2 "unexpected argument 'devices'" capture "$WORK/x.wav" devices
says 2 "unknown option '--bogus'" --bogus
says 2 "--duration given more than once" capture "$WORK/x.wav" -t 1 -t 2
says 2 "--channels needs a value" capture "$WORK/x.wav" -c
says 2 "--rate: 'abc' is not a number from 1000 to 768000" capture "$WORK/x.wav" -r abc
says 2 "--rate: '99' is not within 1000 to 768000" capture "$WORK/x.wav" -r 99
says 1 "is a directory" capture "$WORK" -t 1
[ ! -e "$WORK/x.wav" ] || fail "an output file was created"

# help, as git's: the top-level usage, or a command's.
"$RINGCORDER" help >"$WORK/help.txt" || fail "ringcorder help: exit $?"
grep -q "Subcommands:" "$WORK/help.txt" || fail "ringcorder help: not the usage: $(head -3 "$WORK/help.txt")"
"$RINGCORDER" help capture >"$WORK/help.txt" || fail "ringcorder help capture: exit $?"
grep -q "Usage: ringcorder capture" "$WORK/help.txt" || fail "ringcorder help capture: $(head -3 "$WORK/help.txt")"
says 2 "unknown command 'captur' (did you mean 'capture'?)" help captur
"$RINGCORDER" --jack-name x help capture >"$WORK/help.txt" || fail "ringcorder --jack-name x help capture: exit $?"
grep -q "Usage: ringcorder capture" "$WORK/help.txt" || fail "help after a global option: $(head -3 "$WORK/help.txt")"
echo "ok: help"

says 2 "only one report can go to standard output" capture "$WORK/x.wav" --stats-json - --html -
[ ! -e "$WORK/x.wav" ] || fail "an output file was created"
