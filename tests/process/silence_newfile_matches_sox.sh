#!/usr/bin/env bash
# sox's track splitting, `silence ... : newfile : restart`, against Debian's sox 14.4.2 on the
# same command: the same numbered files (sox's names, its empty last file when the input ends in
# silence), each sample for sample the same; the JSON report lists each file with its frames.
source "$(dirname "$0")/../integration/lib.sh"

speech="$ASSETS/speech-silence-mono16.wav" # speech with silences, 22050 Hz, 16-bit mono

# split NAME OUTPUT EFFECT WORDS...: sox in $WORK/sox-NAME, ringcorder in $WORK/rc-NAME; the same
# files, each with the same samples (16-bit: bytes equal after sox -t raw).
split() {
  local name=$1 out=$2 f files
  shift 2
  mkdir "$WORK/sox-$name" "$WORK/rc-$name"
  (cd "$WORK/sox-$name" && sox "$speech" "$out" "$@" 2>"$WORK/sox.err") ||
    fail "$name: sox failed: $(cat "$WORK/sox.err")"
  (cd "$WORK/rc-$name" && "$RINGCORDER" process -q --stats-json "$WORK/$name.json" "$speech" "$out" "$@") ||
    fail "$name: ringcorder failed"
  mv "$WORK/$name.json" "$WORK/rc-$name.json"
  files=$(cd "$WORK/sox-$name" && ls)
  check_eq "$name: files" "$(cd "$WORK/rc-$name" && ls)" "$files"
  local max=0 frames=()
  for f in $files; do
    check_eq "$name: $f frames" "$(soxi -s "$WORK/rc-$name/$f")" "$(soxi -s "$WORK/sox-$name/$f")"
    cmp -s <(sox "$WORK/sox-$name/$f" -t raw -) <(sox "$WORK/rc-$name/$f" -t raw -) ||
      fail "$name: $f: samples differ from sox's"
    if [ "$(soxi -s "$WORK/sox-$name/$f")" != 0 ]; then
      local d
      d=$("$AUDIO_DIFF" "$WORK/sox-$name/$f" "$WORK/rc-$name/$f" | jq -r .max_abs_diff)
      max=$(awk -v a="$max" -v b="$d" 'BEGIN { print (b > a ? b : a) }')
    fi
    frames+=("$(soxi -s "$WORK/sox-$name/$f")")
  done
  # The report: one entry per file, in order, with its frames.
  check_eq "$name: report files" "$(jq -r '[.files[0].outputs[].file | split("/")[-1]] | join(" ")' "$WORK/rc-$name.json")" "$(echo $files)"
  check_eq "$name: report frames" "$(jq -r '[.files[0].outputs[].frames] | join(" ")' "$WORK/rc-$name.json")" "${frames[*]}"
  echo "ok: $name: $(echo "$files" | wc -l) files as sox's (frames ${frames[*]}), max |ringcorder - sox| = $max"
}

split half-second out.wav silence 1 0.5 1% 1 0.5 1% : newfile : restart
split tracks out.wav silence 1 0.1 1% 1 0.3 1% : newfile : restart
split leave out.wav silence -l 1 0.1 1% 1 0.3 1% : newfile : restart
split quiet out.wav silence 1 0.05 0.5% 1 0.2 0.5% : newfile : restart
split no-colons out.wav silence 1 0.1 1% 1 0.3 1% newfile restart
split rest-copied out.wav silence 1 0.1 1% 1 0.3 1% : newfile          # the empty chain after
split then-trim out.wav silence 1 0.1 1% 1 0.3 1% : newfile : trim 0 0.5 # newfile: another chain
split marker 'part%1n.wav' silence 1 0.1 1% 1 0.3 1% : newfile : restart
split flac out.flac silence 1 0.1 1% 1 0.3 1% : newfile : restart
# trim ends its output too (sox's SOX_EOF after its last position): fixed-length pieces, and a
# first trim that seeks the input (sox's optimize_trim) before each restart counts afresh.
split trim-pieces out.wav trim 0 1.5 : newfile : restart
split trim-start out.wav trim 0.7 1 : newfile : restart
check_eq "names: marker" "$(cd "$WORK/rc-marker" && ls | tr '\n' ' ')" "part1.wav part2.wav part3.wav "
check_eq "names: default" "$(cd "$WORK/rc-tracks" && ls | tr '\n' ' ')" "out001.wav out002.wav out003.wav "

# A part that exists already is not overwritten without --force; nothing else is left behind.
mkdir "$WORK/exists" && cp "$speech" "$WORK/exists/out002.wav"
status=0
(cd "$WORK/exists" && "$RINGCORDER" process -q "$speech" out.wav silence 1 0.1 1% 1 0.3 1% : newfile : restart 2>"$WORK/err.txt") || status=$?
check_eq "existing part: exit" "$status" 1
check_eq "existing part: files left" "$(cd "$WORK/exists" && ls -A)" "out002.wav"
(cd "$WORK/exists" && "$RINGCORDER" process -q --force "$speech" out.wav silence 1 0.1 1% 1 0.3 1% : newfile : restart)
check_eq "existing part, --force: files" "$(cd "$WORK/exists" && ls -A | tr '\n' ' ')" "out001.wav out002.wav out003.wav "
echo "ok: silence : newfile : restart matches sox"
