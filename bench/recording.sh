#!/bin/sh
# recording.sh: recording size per hour and per 1,000 log lines, the
# recorder's cost, seek times across a 1-hour recording with its logs,
# and the CPU and memory of the real binary replaying it at 1x and 60x.
# Writes $BENCH_OUT/recording.md.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SCRY_BIN=${SCRY_BIN:-$top/scry}
BENCH_BIN=${BENCH_BIN:-$top/build/obj/bench}
BENCH_OUT=${BENCH_OUT:-$top/bench/out}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scry-bench-rec.XXXXXX")
sock="scry-bench-rec-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$BENCH_OUT"

load0=$(cut -d' ' -f1-3 /proc/loadavg)
wrows=$("$BENCH_BIN/recording" write "$tmp/hour.scry" "$tmp/bench.json") ||
	{ echo "bench/recording write failed" >&2; exit 1; }
rrows=$("$BENCH_BIN/recording" replay "$tmp/hour.scry") ||
	{ echo "bench/recording replay failed" >&2; exit 1; }

# CPU of `scry --replay` at a speed, measured from /proc over 10 s, and
# its peak resident set (VmHWM) by the end
cpu_at() {	# cpu_at KEYS LABEL
	tmux -L "$sock" kill-server 2>/dev/null
	sleep 0.2
	tmux -L "$sock" -f /dev/null new-session -d -s b -x 120 -y 40 \
	    "exec $SCRY_BIN --replay $tmp/hour.scry"
	sleep 3
	pid=$(tmux -L "$sock" list-panes -t b -F '#{pane_pid}')
	for k in $1; do tmux -L "$sock" send-keys -t b "$k"; done
	sleep 1
	hz=$(getconf CLK_TCK)
	a=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	sleep 10
	b=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
	shot=$(tmux -L "$sock" capture-pane -t b -p | tail -2 | head -1)
	echo "$b $a $hz $hwm" | awk -v l="$2" \
	    '{ printf "| `scry --replay` at %s: CPU of one core (10 s; 120x40), peak RSS | %.1f %%, %.0f MB | |\n", l, ($1 - $2) * 100 / ($3 * 10), $4 / 1024 }'
	echo "$shot" >"$tmp/shot-$2"
}
cpu1=$(cpu_at "" 1x)
cpu60=$(cpu_at "} } } } }" 60x)
grep -q "60x" "$tmp/shot-60x" || cpu60="| (60x was not reached: $(cat "$tmp/shot-60x")) | | |"
load1=$(cut -d' ' -f1-3 /proc/loadavg)

{
	echo "## Recording and replay"
	echo
	echo "A synthesised hour of the seed incident written through the real recorder and read"
	echo "back through the real replay (sources/replay.c): 10 graph panels refreshed every 15 s"
	echo "(1 h range results, 5 series of 121 points each), statuses and alert snapshots, and"
	echo "one logs panel fed as sources/loki.c feeds it: a 1,000-line history page, then EV_LOGS"
	echo "tail frames of 100 lines every 0.5 s (200 lines/s, 5 streams, random 32-hex trace"
	echo "ids). Digests are recorded every 30 s as the app does. Exact seeks are"
	echo "\`replay_seek()\` as snapshots, exports and tests use it: the store afterwards is the"
	echo "store of that moment, log lines included, and is checked to be at eight moments"
	echo "(digest and a hash of every log line, gap and stream, against the live store)."
	echo "The replay holds every log line of the recording in a journalled log store shown as"
	echo "of the playhead, and the other records uncompressed, so a seek replays only those."
	echo "Times are wall clock and, in brackets, CPU of the seeking thread: the machine is"
	echo "shared (load average $load0 at the start, $load1 at the end, $(nproc) CPUs)."
	echo
	echo "| measure | value | target |"
	echo "|---|---|---|"
	echo "$wrows"
	echo "$rrows"
	echo "$cpu1"
	echo "$cpu60"
	echo
	echo "Reproduce: \`make bench BENCH=recording\` (bench/recording.sh, bench/recording.c)."
} >"$BENCH_OUT/recording.md"
cat "$BENCH_OUT/recording.md"
