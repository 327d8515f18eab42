# tests/integration/latency_direct.sh - `ringcorder latency` through a JACK loopback measures
# exactly 2 x period (PortAudio's JACK host) at periods 64, 128 and 256, within 0.05 frame in
# every measurement, where the graph claims 3 x period; with nothing connected it says "no
# signal" and exits 1; the HTML report is one self-contained, well-formed page with its charts.
# Starts a server of its own for each run, so it needs none around it:
# jack-dummy: none
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
JACK_DUMMY=$HERE/../../scripts/jack-dummy

for period in 64 128 256; do
  # 3 s: on a loaded machine the loopback is connected a second or so of audio after the start,
  # and the windows before it find no signal; at least 10 must measure.
  "$JACK_DUMMY" --period "$period" -- bash "$HERE/lib_loopback.sh" "$WORK/lat-$period.json" \
    -p "$period" -d 3 --html "$WORK/lat-$period.html" || fail "latency at period $period exited $?"
  j="$WORK/lat-$period.json"
  check_eq "period $period status" "$(json "$j" .status)" ok
  expected=$((2 * period))
  jq -e --argjson e "$expected" \
    '[.measurements[] | select(.status == "ok") | .frames] as $f
     | ($f | length) >= 10 and all($f[]; (. - $e) | fabs <= 0.05)
     and ((.round_trip_frames - $e) | fabs <= 0.05)' "$j" >/dev/null ||
    fail "period $period: round trip not $expected within 0.05 frame: $(jq -c '{round_trip_frames, min_frames, max_frames, valid: [.measurements[].status] | group_by(.) | map({(.[0]): length}) | add}' "$j")"
  # The claim, read from the graph with the loopback connected: our ports are also connected to
  # system:* (PortAudio's autoconnection), whose dummy driver claims one period each way, plus
  # PortAudio's output buffering of one asked period: 3 x period, a period more than the loopback
  # takes (the driver's claims are not on it), so no jackd -I/-O is derived.
  jq -e --argjson p "$period" '.reported_frames == 3 * $p and .jackd_input_frames == null
     and ((.unclaimed_frames + $p) | fabs) <= 0.05' "$j" >/dev/null ||
    fail "period $period: claim: $(jq -c '{reported_frames, jack_claim, unclaimed_frames, jackd_input_frames}' "$j")"
  echo "ok: period $period -> $(json "$j" .round_trip_frames) frames" \
    "(claimed $(json "$j" .reported_frames))"
done

# The HTML report: one page, no network, the three charts, well-formed XHTML-compatible markup.
html="$WORK/lat-128.html"
head -1 "$html" | grep -qx '<!DOCTYPE html>' || fail "HTML: no doctype"
! grep -q 'http' "$html" || fail "HTML: refers to the network"
! grep -qi '<script' "$html" || fail "HTML: has a script"
[ "$(grep -o '<svg' "$html" | wc -l)" -ge 3 ] || fail "HTML: fewer than three charts"
grep -q 'Measured round trip' "$html" || fail "HTML: no round-trip chart"
grep -q '<polyline' "$html" || fail "HTML: the round-trip chart has no line"
# xmllint comes from libxml2-utils (scripts/setup).
xmllint --html --noout "$html" 2>"$WORK/xmllint.txt" || fail "HTML: $(cat "$WORK/xmllint.txt")"
sed 1d "$html" | xmllint --noout - 2>"$WORK/xmllint.txt" ||
  fail "HTML is not well-formed: $(head -3 "$WORK/xmllint.txt")"
echo "ok: HTML report is self-contained and well-formed"

# No loopback: nothing comes back, and the command says so and fails.
status=0
RC_NO_LOOPBACK=1 "$JACK_DUMMY" --period 256 -- bash "$HERE/lib_loopback.sh" "$WORK/none.json" \
  -p 256 -d 1.5 || status=$?
check_eq "exit status without a loopback" "$status" 1
check_eq "status without a loopback" "$(json "$WORK/none.json" .status)" "no signal"
check_eq "round trip without a loopback" "$(json "$WORK/none.json" .round_trip_frames)" null

require_rt_guard_watched
