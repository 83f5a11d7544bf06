#!/bin/sh
# startup.sh: start-up and idle cost of the real binary in a pty
# (bench/ptybench.c), against the targets of issue 2 and
# reference/performance.md §2.4/§2.6/§3.  Writes $BENCH_OUT/startup.md.
#   time to the first complete frame, 120x40, median of RUNS
#   bytes, CPU and wake-ups of an idle dashboard over IDLE seconds
#   CPU and bytes of one redraw: one panel changes / focus moves / full repaint
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${SCRY_BIN:=$top/scry}" "${BENCH_OUT:=$top/bench/out}" "${BENCH_BIN:=$top/build/obj/bench}"
RUNS=${RUNS:-30}
IDLE=${IDLE:-10}
board=$top/bench/board.json
pb=$BENCH_BIN/ptybench
mkdir -p "$BENCH_OUT"
[ -x "$pb" ] || make -C "$top" --no-print-directory build/obj/bench/ptybench >/dev/null || exit 1
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
unset NO_COLOR SCRY_THEME SCRY_PROMETHEUS_URL SCRY_LOKI_URL

tf=$(mktemp)
trap 'rm -f "$tf"' EXIT
"$pb" ttff "$RUNS" "q quit" -- "$SCRY_BIN" "$board" >"$tf" || exit 1
"$pb" session "q quit" "$IDLE" -- "$SCRY_BIN" "$board" >>"$tf" || exit 1
v() { sed -n "s/^$1=//p" "$tf"; }
verdict() {	# verdict VALUE OP LIMIT -> "met" / "MISSED"
	if awk "BEGIN { exit !($1 $2 $3) }"; then echo met; else echo MISSED; fi
}

ttff=$(v ttff_ms_median)
{
	echo "## Start-up and idle (bench/startup.sh)"
	echo
	echo "The real binary in a pseudo-terminal, 120x40, TERM=xterm-256color, on"
	echo "\`bench/board.json\` (a runbook text panel, four graphs without a data"
	echo "source, a collapsed row).  CPU time from /proc/PID/schedstat, wake-ups from"
	echo "voluntary context switches."
	echo
	echo "| measure | scry | target | peers (performance.md) | |"
	echo "|---|---|---|---|---|"
	echo "| exec to first complete frame (median of $RUNS; min-max) | $ttff ms ($(v ttff_ms_min)-$(v ttff_ms_max)) | < 10 ms | btop 10.9 ms, htop 88 ms, lnav 128 ms | $(verdict "$ttff" '<' 10) |"
	echo "| CPU time used up to the first frame (median) | $(v ttff_cpu_ms_median) ms | - | | |"
	echo "| bytes of the first frame | $(v first_frame_bytes) B | - | btop 33 KB, htop 7.3 KB | |"
	echo "| bytes written while idle, $(v idle_seconds) s | $(v idle_bytes) B | 0 | htop 614 B/s, btop 7.2 KB/s, lnav 37 B/s | $(verdict "$(v idle_bytes)" '==' 0) |"
	echo "| CPU while idle, $(v idle_seconds) s | $(v idle_cpu_ms) ms | ~0 | htop 0.16 %, btop 0.40 %, lnav 0.73 % of a core | $(verdict "$(v idle_cpu_ms)" '<' 1) |"
	echo "| wake-ups while idle, $(v idle_seconds) s | $(v idle_wakeups) | 0 | | $(verdict "$(v idle_wakeups)" '==' 0) |"
	echo "| CPU of one redraw: one panel changes (J scrolls a text panel) | $(v panel_cpu_us) µs | <= 1 ms | htop 2.4 ms per refresh | $(verdict "$(v panel_cpu_us)" '<=' 1000) |"
	echo "| CPU of one redraw: focus moves (two frames recoloured) | $(v focus_cpu_us) µs | <= 1 ms | | $(verdict "$(v focus_cpu_us)" '<=' 1000) |"
	echo "| CPU of a full repaint (Ctrl-L) | $(v repaint_cpu_us) µs | - | ncurses clear()+redraw 691 µs | |"
	echo "| bytes when one panel changes | $(v panel_bytes) B | only changed cells | one graph 1.1 KB | |"
	echo "| bytes when the focus moves | $(v focus_bytes) B | only changed cells | | |"
	echo "| bytes of a full repaint (what clear() would send every time) | $(v repaint_bytes) B | never | full 120x40 repaint ~9 KB | |"
	echo
	echo "Wall times depend on what else the machine runs (load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "at the end of this run, on $(nproc) CPUs); the CPU time to the first frame does not."
	echo "Most of the start-up is the dynamic loader and the constructors of"
	echo "libcurl's dependencies (OpenSSL, GnuTLS via librtmp, Kerberos), before main()."
	echo
	echo "Redraws send only the cells that changed (the canvas is diffed against"
	echo "what the terminal shows, then ncurses diffs again); the screen is cleared"
	echo "only when the user asks for it (Ctrl-L) or after a resize.  Idle means"
	echo "asleep: with nothing on screen that ages, no timer is armed."
	echo
	echo "Reproduce: \`make build/obj/bench/ptybench && BENCH=startup make bench\`, or"
	echo "\`build/obj/bench/ptybench ttff 30 'q quit' -- ./scry bench/board.json\` and"
	echo "\`build/obj/bench/ptybench session 'q quit' 10 -- ./scry bench/board.json\`."
} >"$BENCH_OUT/startup.md"
cat "$BENCH_OUT/startup.md"
