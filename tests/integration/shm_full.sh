#!/usr/bin/env bash
# A full /dev/shm: libjack keeps its registry there (PortAudio's JACK host opens it at start-up)
# and a tap its ring. Each of ringcorder's live commands must say so in one line and exit 1,
# before any device opens and before any output file exists; before, libjack's database or the
# tap's first page write died of SIGBUS (exit 135). Each run gets a private tmpfs of a chosen
# size on /dev/shm (a mount namespace: unshare, as root or in a user namespace).
# jack-dummy: none
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -eq 0 ]; then unshare_args=(-m); else unshare_args=(-r -m); fi
# Where no mount namespace can be made (a container without CAP_SYS_ADMIN, user namespaces
# disabled), the test cannot run: exit 77, which ctest reports as skipped, not passed.
if ! unshare "${unshare_args[@]}" true 2>/dev/null; then
  echo "skipped: cannot make a mount namespace here (unshare ${unshare_args[*]})"
  exit 77
fi

# on_small_shm SIZE NAME ARGS...: runs ringcorder ARGS with a tmpfs of SIZE on /dev/shm; its
# stderr goes to $WORK/NAME.err, and the exit status is ringcorder's.
on_small_shm() {
  local size=$1 name=$2
  shift 2
  unshare "${unshare_args[@]}" bash -c 'mount -t tmpfs -o size="$1" tmpfs /dev/shm || exit 99
    shift; exec "$@"' _ "$size" "$RINGCORDER" "$@" 2>"$WORK/$name.err"
}

# expect_refusal NAME WHAT: exit 1, one line on stderr naming /dev/shm and WHAT, no output file.
expect_refusal() {
  local name=$1 what=$2 status=$3
  check_eq "$name: exit status" "$status" 1
  check_eq "$name: lines on stderr" "$(wc -l <"$WORK/$name.err")" 1
  grep -q "/dev/shm" "$WORK/$name.err" && grep -q "$what" "$WORK/$name.err" ||
    fail "$name: the line does not name /dev/shm and $what: $(cat "$WORK/$name.err")"
  [ ! -e "$WORK/$name.wav" ] || fail "$name: an output file was created"
  echo "ok: $name: $(cat "$WORK/$name.err")"
}

status=0
on_small_shm 64k capture capture "$WORK/capture.wav" --duration 1 || status=$?
expect_refusal capture "JACK" "$status"

status=0
on_small_shm 64k tap capture "$WORK/tap.wav" --tap t --duration 1 || status=$?
expect_refusal tap "JACK" "$status"

# Room for libjack, not for the tap's ring (256 slots of 1024 frames: about 2 MiB).
status=0
on_small_shm 1m bigtap capture "$WORK/bigtap.wav" --tap t --duration 1 || status=$?
expect_refusal bigtap "tap 't'" "$status"

status=0
on_small_shm 64k playthrough playthrough --duration 1 || status=$?
expect_refusal playthrough "JACK" "$status"
