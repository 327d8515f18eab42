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
# A mistyped effect is one, named with the closest real one, whatever follows it: a negative
# number ("-3") is its argument, not an unknown option, and one input needs no -o DIR.
says 2 "unknown effect 'gian' (did you mean 'gain'?)" process "$ASSETS/tones-noise-stereo-float.wav" "$WORK/x.wav" gian -3
says 2 "unknown effect 'hihgpass' (did you mean 'highpass'?)" process "$ASSETS/tones-noise-stereo-float.wav" "$WORK/x.wav" hihgpass 80
says 2 "unknown effect 'xyzzy' (see" process "$ASSETS/tones-noise-stereo-float.wav" "$WORK/x.wav" xyzzy 1
# sox's stat options that print every sample or a spectrum are refused by name.
says 2 "stat: option '-freq' is not supported (only -s N, -rms and -v)" process "$ASSETS/tones-noise-stereo-float.wav" "$WORK/x.wav" stat -freq
says 2 "stats: bits 40 is out of range" process "$ASSETS/tones-noise-stereo-float.wav" "$WORK/x.wav" stats -b 40
says 2 "unknown option '--duraton' (did you mean '--duration'?)" capture "$WORK/x.wav" --duraton 3
says 2 "unknown option '--duraton' (did you mean '--duration'?)" capture "$WORK/x.wav" 3 --duraton
says 2 "unexpected argument 'devices'" capture "$WORK/x.wav" devices
says 2 "unknown option '--bogus'" --bogus
says 2 "--duration given more than once" capture "$WORK/x.wav" -d 1 -d 2
says 2 "--channels needs a value" capture "$WORK/x.wav" --channels
says 2 "-c is a channel count now (as in arecord and sox); to pick device channels 3,4 use --channels 3,4" capture "$WORK/x.wav" -c 3,4
says 2 "-c is a channel count now" playthrough -c 5-8
says 2 "-c 4 but --channels lists 3 channels" capture "$WORK/x.wav" -c 4 --channels 1-3
says 2 "--port sets the channels, one per matching port; leave -c and --channels out" capture "$WORK/x.wav" --port 'system:*' -c 2
says 2 "--port needs a value" capture "$WORK/x.wav" --port
says 2 "-c takes a channel count from 1 to 256 (got '0')" capture "$WORK/x.wav" -c 0
says 2 "--channels takes device channels from 1 to 256, separated by commas, ranges allowed" capture "$WORK/x.wav" --channels 5-3
says 2 "--rate: 'abc' is not a number from 1000 to 768000" capture "$WORK/x.wav" -r abc
says 2 "--rate: '99' is not within 1000 to 768000" capture "$WORK/x.wav" -r 99
says 1 "is a directory" capture "$WORK" -d 1
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

# One name, one meaning (README, "Usage"): every command takes --stats-json, latency's --json is
# the same option, -c is a device channel everywhere, and every help ends with examples.
for command in devices capture playthrough latency process tap; do
  "$RINGCORDER" "$command" --help >"$WORK/help.txt" || fail "$command --help: exit $?"
  grep -q -- "--stats-json" "$WORK/help.txt" || fail "$command --help: no --stats-json"
  n=$(sed -n '/^Examples:/,$p' "$WORK/help.txt" | grep -c "^  ringcorder ")
  [ "$n" -ge 2 ] && [ "$n" -le 3 ] || fail "$command --help: $n examples, expected 2 or 3"
done
"$RINGCORDER" latency --help | grep -q -- "--stats-json,--json" || fail "latency: --json is not --stats-json's alias"
echo "ok: --stats-json and examples in every command's help"
says 2 "--duration given more than once" latency -d 1 --duration 2
says 2 "only one report can go to standard output" latency --json - --html -
says 2 "only one report can go to standard output" latency --stats-json - --html -
says 2 "--stats-json given more than once" latency --json a.json --stats-json b.json
says 2 "latency listens on one input channel" latency --channel 1,2
says 2 "latency listens on one input channel, from 1 to 256" latency --channels 0
says 2 "latency listens on one input channel, from 1 to 256" latency --channel 2.5

# The engine's rules, as usage errors before any device is opened (capture_options_problem()
# and its kin): the same words from the command line and from the engine.
says 2 "--pre-roll is at most 600 seconds" capture "$WORK/x.wav" --pre-roll 601
says 2 "cannot be combined with triggered takes" capture "$WORK/x.wav" --trigger --split 10
says 2 "cannot be combined with triggered takes" capture "$WORK/x.wav" --trigger-level -30 --split-size 100000
says 2 "a tap is at most 1 GiB" capture "$WORK/x.wav" --tap t --tap-slots 1048576 --tap-slot-frames 1024
says 2 "a tap is at most 1 GiB" playthrough --tap t --tap-slots 1048576 --tap-slot-frames 1024
says 2 "--buffer must be at least one period (128 frames)" playthrough -p 128 --buffer 64
says 2 "--buffer must be at least one period (128 frames)" latency --path ring -p 128 --buffer 64
says 2 "--buffer applies to --path ring only" latency --buffer 256
says 2 "--encoding applies to --record only" playthrough -e 16
says 2 "--encoding applies to -o only" tap -e 16
says 2 "--json prints to standard output" devices --json --stats-json "$WORK/d.json"
[ ! -e "$WORK/x.wav" ] || fail "an output file was created"
echo "ok: the engine's rules"

# Short options mean what they mean in arecord and sox (-d duration, -D device, and in process,
# which has no device, sox's -D: no dither; -c count, -t type, -b bits); a value that can only
# mean an option's old meaning is named so.
says 2 "-d is the duration now (as in arecord: -d 10 records 10 s); for the device 'system' use -D system" capture "$WORK/x.wav" -d system
says 2 "-t is the file type now (as in sox: -t wav, -t raw); for a duration of 10 use -d 10" capture "$WORK/x.wav" -t 10
says 2 "-t is the file type now (as in sox: -t wav, -t raw); for a duration of 1:30 use -d 1:30" playthrough -t 1:30
says 2 "unknown file type 'mp4' (-t): use wav, flac, ogg, opus, mp3, aiff, caf, w64, rf64 or raw" capture "$WORK/x.wav" -t mp4
says 2 "-b is the bit depth now (16, 24 or 32, as in sox); for a playback buffer of 64 frames use --buffer 64" playthrough -p 128 -b 64
says 2 "-b applies to --record only" playthrough -b 16
says 2 "-b takes the bits per sample: 16, 24 or 32 (got '12')" capture "$WORK/x.wav" -b 12
says 2 "floating point is 32 bits: use -b 32 or leave -b out" capture "$WORK/x.wav" -e floating-point -b 16
says 2 "FLAC stores 16 or 24 bits; -b 32 does not fit" capture "$WORK/x.flac" -b 32
says 2 "-f is --force in ringcorder; for arecord's -f cd use -r, -c and -b (-f cd: -r 44100 -c 2 -b 16" capture -f cd "$WORK/x.wav"
says 2 "-f is --force in ringcorder; for arecord's -f S16_LE use -r, -c and -b" capture "$WORK/x.wav" -f S16_LE
says 2 "-c is a channel count now (as in arecord and sox); latency listens on one channel: use --channel 3" latency -c 3
says 2 "-t is the file type now, and latency writes no audio; for a duration use -d 10" latency -t 10
says 2 "-b is the bit depth now, and latency writes no audio; for a playback buffer use --buffer 256" latency -b 256
[ ! -e "$WORK/x.wav" ] && [ ! -e "$WORK/x.flac" ] || fail "an output file was created"
echo "ok: arecord's and sox's short options, old meanings named"
