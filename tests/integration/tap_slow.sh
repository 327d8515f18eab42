#!/usr/bin/env bash
# The shared-memory tap (capture --tap NAME, ringcorder tap NAME): while a capture records the
# counter, a normal tap copies it to a file and a deliberately slow tap (--test-delay-ms) falls
# behind. The capture reports no overrun (a slow reader costs it nothing: the writer never waits);
# the normal tap misses nothing once it reads (a tap started late may be lapped before its first
# read: it counts that as missed frames at the start of its copy) and its copy equals the
# recording sample for sample; the slow tap misses blocks and counts them exactly: its blocks +
# missed = the blocks the capture published since it attached, and its frames + missed frames =
# the capture's timeline since then.
source "$(dirname "$0")/lib.sh"

name="it-slow-$$" # unique: two suites may run at once
shm="/dev/shm/ringcorder-tap-$name"
trap 'rm -f "$shm"; cleanup' EXIT

start_counter_source
"$RINGCORDER" capture "$WORK/take.wav" --duration 4 --tap "$name" \
  --stats-json "$WORK/capture.json" --quiet &
capture=$!
CHILDREN+=("$capture")
wait_for_file "$shm"
# Both taps start at the oldest block the ring holds: block 0 when they attach within the ring's
# span (256 slots of one 256-frame period: 1.4 s), later on a loaded machine (a sanitizer build
# beside another suite once took 1.8 s to start). Every check below counts from where each
# started: its start_sequence and first_frame.
"$RINGCORDER" tap "$name" -o "$WORK/copy.wav" --stats-json "$WORK/normal.json" --quiet &
normal=$!
"$RINGCORDER" tap "$name" --test-delay-ms 20 --stats-json "$WORK/slow.json" \
  >"$WORK/slow.txt" 2>"$WORK/slow.err" &
slow=$!
CHILDREN+=("$normal" "$slow")

status=0; wait "$capture" || status=$?
check_eq "capture exit" "$status" 0
status=0; wait "$normal" || status=$?
check_eq "normal tap exit" "$status" 0
status=0; wait "$slow" || status=$?
check_eq "slow tap exit" "$status" 0

# The capture: complete and exact, and nothing lost to the taps.
check_recording "$WORK/take.wav" "$WORK/capture.json"
check_eq "capture overrun events" "$(json "$WORK/capture.json" .overrun_events)" 0
check_eq "capture overrun frames" "$(json "$WORK/capture.json" .overrun_frames)" 0
check_eq "capture frames_written" "$(json "$WORK/capture.json" .frames_written)" 192000
check_eq "tap name in the capture report" "$(json "$WORK/capture.json" .tap.name)" "$name"
published=$(json "$WORK/capture.json" .tap.blocks_published)
[ "$published" -gt 256 ] || fail "the capture published only $published blocks (the ring holds 256)"

# The normal tap: everything from where it started. Attached late, once the ring is full, it
# starts at the slot the capture overwrites next and may be lapped before its first read: then
# the copy begins with silence of exactly the missed frames (counted from where it attached), and
# from there on equals the file, with nothing else missed.
check_eq "normal tap end" "$(json "$WORK/normal.json" .end)" finished
start=$(json "$WORK/normal.json" .start_sequence)
first=$(json "$WORK/normal.json" .first_frame)
lead=$(json "$WORK/normal.json" .missed_frames)
lead_blocks=$(json "$WORK/normal.json" .missed_blocks)
[ "$start" -gt 0 ] || check_eq "normal tap, attached at block 0: missed" "$lead_blocks,$lead" "0,0"
check_eq "normal tap blocks + missed" $(($(json "$WORK/normal.json" .blocks) + lead_blocks)) \
  $((published - start))
check_eq "normal tap frames + missed" $(($(json "$WORK/normal.json" .frames) + lead)) \
  $((192000 - first))
check_eq "copy length" "$(soxi -s "$WORK/copy.wav")" $((192000 - first))
if [ "$lead" -gt 0 ]; then
  check_eq "the copy's first $lead frames (missed): silent" \
    "$(sox "$WORK/copy.wav" -n trim 0 "${lead}s" stat 2>&1 | awk '/Maximum amplitude/ { print $3 }')" 0.000000
fi
sox "$WORK/take.wav" "$WORK/from.wav" trim "$((first + lead))s"
sox "$WORK/copy.wav" "$WORK/read.wav" trim "${lead}s"
"$AUDIO_DIFF" "$WORK/from.wav" "$WORK/read.wav" >"$WORK/diff.json" || { cat "$WORK/diff.json"; fail "copy and recording differ in shape"; }
check_eq "copy vs recording: largest sample difference" "$(json "$WORK/diff.json" .max_abs_diff)" 0
cmp -s <(sox "$WORK/from.wav" -t f32 -) <(sox "$WORK/read.wav" -t f32 -) ||
  fail "copy and recording samples differ"
echo "ok: the copy equals the recording from frame $((first + lead)) sample for sample (attached at block $start, frame $first; $lead frames missed before its first read)"

# The slow tap: behind on purpose, every block read or counted missed, exactly.
check_eq "slow tap end" "$(json "$WORK/slow.json" .end)" finished
start=$(json "$WORK/slow.json" .start_sequence)
first=$(json "$WORK/slow.json" .first_frame)
blocks=$(json "$WORK/slow.json" .blocks)
missed=$(json "$WORK/slow.json" .missed_blocks)
[ "$missed" -gt 0 ] || fail "the slow tap missed nothing ($blocks blocks read)"
check_eq "slow tap missed blocks = published - start - read ($published - $start - $blocks)" \
  "$missed" $((published - start - blocks))
check_eq "slow tap frames + missed frames = the capture's timeline from where it started" \
  $(($(json "$WORK/slow.json" .frames) + $(json "$WORK/slow.json" .missed_frames))) \
  $((192000 - first))
grep -q "^missed    $missed blocks" "$WORK/slow.txt" || { cat "$WORK/slow.txt"; fail "the slow tap's summary does not say it missed $missed blocks"; }
echo "ok: slow tap read $blocks, missed $missed of $published blocks"
require_rt_guard_watched
