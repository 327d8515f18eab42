#!/usr/bin/env bash
# On a terminal the live line is redrawn in place, never wider than the terminal: at 40, 80 and
# 200 columns, for 1, 2 and 32 channels, every drawing of it fits in one line (width - 1 cells),
# so it never wraps and adds a line per redraw. The terminal is a pseudo-terminal of `script`
# with its size set by stty; ringcorder's report goes elsewhere, only the live line is drawn.
# jack-dummy: --ports 32
source "$(dirname "$0")/lib.sh"

for cols in 40 80 200; do
  for channels in 1 2 32; do
    start_counter_source --ports "$channels"
    script -qec "stty cols $cols rows 24; '$RINGCORDER' capture '$WORK/x.wav' -c $channels \
      --duration 0.6 --force >/dev/null" /dev/null >"$WORK/tty.txt" 2>&1 ||
      { cat "$WORK/tty.txt"; fail "capture on a $cols-column terminal exited $?"; }
    # Each redraw starts with a carriage return and ends with an erase to the end of the line.
    drawn=0 widest=0
    while IFS= read -r line; do
      line=${line//$'\e[K'/}
      case "$line" in 00:00:*) ;; *) continue ;; esac
      drawn=$((drawn + 1))
      width=$(printf %s "$line" | LC_ALL=C.UTF-8 wc -m)
      [ "$width" -gt "$widest" ] && widest=$width
    done < <(tr '\r' '\n' <"$WORK/tty.txt")
    [ "$drawn" -ge 3 ] || { cat -v "$WORK/tty.txt"; fail "$cols columns, $channels channels: drawn $drawn times"; }
    [ "$widest" -le $((cols - 1)) ] ||
      fail "$cols columns, $channels channels: a line of $widest cells"
    echo "ok: $cols columns, $channels channels: $drawn redraws, widest $widest cells"
  done
done
