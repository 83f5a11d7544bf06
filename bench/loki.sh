#!/bin/sh
# loki.sh: log ingest, filtering, memory and follow-mode benchmarks, side
# by side with the JIT ceiling, lnav, grep and pcre2grep on the same lines.
# Writes $BENCH_OUT/loki.md.  Reproduce: BENCH=loki make bench
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
B=${BENCH_BIN:-$top/build/obj/bench}/loki
OUT=${BENCH_OUT:-$top/bench/out}/loki.md
N=${LOKI_BENCH_LINES:-1000000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scry-bench-loki.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
mkdir -p "$(dirname "$OUT")"
make --no-print-directory build/obj/bench/loki scry >/dev/null || exit 1

val() { grep "^$1 " "$2" | head -1 | cut -d' ' -f2; }
mlps() { awk -v v="$1" 'BEGIN { printf "%.2f M", v / 1e6 }'; }

echo "bench loki: ingest" >&2
"$B" ingest "$N" >"$tmp/ingest"
echo "bench loki: steady state" >&2
"$B" steady >"$tmp/steady"
echo "bench loki: memory" >&2
"$B" memory "$N" >"$tmp/memory"

# filtering a 1M-line store with a new pattern, against the tools
echo "bench loki: filtering" >&2
"$B" gen "$tmp/app.log" "$N"
lit=$(sed -n '500000p' "$tmp/app.log" | grep -o 'trace_id=[0-9a-f]*' | cut -d= -f2)
cpu() {	# cpu CMD...: user+system seconds of a command (median of 3)
	for i in 1 2 3; do
		# not /dev/null: GNU grep stops at the first match when it sees it
		/usr/bin/time -f '%U %S' -o "$tmp/t" "$@" >"$tmp/cmd.out" 2>&1
		awk '{ printf "%.3f\n", $1 + $2 }' "$tmp/t"
	done | sort -n | sed -n 2p
}
filter_row() {	# filter_row LABEL REGEX
	s=$("$B" filter "$N" "$2" | tee "$tmp/f" | grep '^filter_ms' | cut -d' ' -f2)
	m=$(val filter_matches "$tmp/f")
	g=$(cpu sh -c "LC_ALL=C grep -cE '$2' $tmp/app.log")
	gp=$(cpu grep -cP "$2" "$tmp/app.log")
	p2=$(cpu pcre2grep -c "$2" "$tmp/app.log")
	lv=$(cpu sh -c "lnav -n -c ':filter-in $2' $tmp/app.log | wc -l")
	echo "| \`$(echo "$1" | sed 's/|/\\|/g')\` | $m | **$s ms** | $(awk -v x="$lv" 'BEGIN{printf "%.0f", x*1000}') ms | $(awk -v x="$gp" 'BEGIN{printf "%.0f", x*1000}') ms | $(awk -v x="$g" 'BEGIN{printf "%.0f", x*1000}') ms | $(awk -v x="$p2" 'BEGIN{printf "%.0f", x*1000}') ms | $(awk -v a="$lv" -v b="$s" 'BEGIN{printf "%.1fx", a*1000/b}') |"
}
{
	filter_row "trace_id=([0-9a-f]{32})" 'trace_id=([0-9a-f]{32})'
	filter_row "level=(error|fatal)" 'level=(error|fatal)'
	filter_row "one literal trace id" "$lit"
} >"$tmp/filter_rows"
lnav_idx=$(cpu lnav -n -q "$tmp/app.log")

# follow mode: 2,000 lines/s at 120x40, scry's CPU and bytes to the terminal
echo "bench loki: follow mode" >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 tests/servers/loki.py --port "$port" --rate 2000 --backlog 5 2>/dev/null &
pids="$pids $!"
n=0
until curl -sf -o /dev/null "http://127.0.0.1:$port/ready" || [ $n -gt 100 ]; do sleep 0.05; n=$((n + 1)); done
cat >"$tmp/follow.json" <<EOF
{ "title": "follow", "range": "15m", "sources": { "loki": { "type": "loki", "url": "http://127.0.0.1:$port" } },
  "panels": [ { "type": "logs", "title": "shop", "query": "{namespace=\"shop\"}",
    "grid": { "x": 0, "y": 0, "w": 24, "h": 20 } } ] }
EOF
TERM=xterm-256color SCRY_LOGDUMP="$tmp/dump" python3 tests/servers/ptyrun.py --cols 120 --rows 40 \
    --out "$tmp/pty" --pidfile "$tmp/pid" --keys "sleep:5 mark sleep:20 mark keys:q" -- ./scry "$tmp/follow.json" &
pty=$!
sleep 1
spid=$(cat "$tmp/pid")
sleep 4
c0=$(cut -d' ' -f1 "/proc/$spid/schedstat")
sleep 20
c1=$(cut -d' ' -f1 "/proc/$spid/schedstat")
wait "$pty"
# how far behind the newest line the pane was when it quit
lag=$(python3 - "$tmp/dump" "$port" <<'EOP'
import json, re, sys, urllib.request
held = max(int(m.group(1) or m.group(2)) for m in
           (re.search(r'seq=(\d+)|"seq": ?(\d+)', l) for l in open(sys.argv[1])) if m)
last = json.load(urllib.request.urlopen("http://127.0.0.1:%s/ctl/stats" % sys.argv[2]))["sent_max"]
print(last - held)
EOP
)
held=$(wc -l <"$tmp/dump")
follow_cpu=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.1f", (b - a) / 20e9 * 100 }')
follow_bps=$(awk 'NR==1{t0=$1;b0=$2} NR==2{printf "%.0f", ($2-b0)/($1-t0)}' "$tmp/pty.marks")

ingest=$(val ingest_lps "$tmp/ingest")
jit=$(val jit_lps "$tmp/ingest")
s0=$(val steady_0_us "$tmp/steady")
s5=$(val steady_500000_us "$tmp/steady")
s1=$(val steady_1000000_us "$tmp/steady")
{
	echo "## Loki logs: ingest, filtering, memory, follow mode"
	echo
	echo "Deterministic logfmt lines as reference/performance.md's gen_logs ($N lines,"
	echo "$(val raw_mb "$tmp/ingest") MiB raw, 8 streams); Loki tail frames of 100 entries."
	echo "One core, CPU time, same run for every column.  Reproduce: \`BENCH=loki make bench\`."
	echo
	echo "### Ingest (parse tail frames + store + filter masks with two PCRE2 filters)"
	echo
	echo "| stage | lines/s | target |"
	echo "|---|---|---|"
	echo "| parse frames only | $(mlps "$(val parse_lps "$tmp/ingest")") | |"
	echo "| parse + store (UTF-8 check, level, de-dup) | $(mlps "$(val parse_store_lps "$tmp/ingest")") | |"
	echo "| **parse + store + 2 filter masks** | **$(mlps "$ingest")** | >= 1 M |"
	echo "| JIT-only ceiling: both patterns on the same lines (NO_UTF_CHECK) | $(mlps "$jit") | |"
	echo "| ratio ingest / ceiling | $(awk -v a="$ingest" -v b="$jit" 'BEGIN{printf "%.2f", a/b}') | |"
	echo
	echo "The filters are \`level=(error|fatal)\` and \`upstream connect error|deadline exceeded\`,"
	echo "lower case, so smart case makes them caseless; the ceiling is pcre2_match (JIT) of both"
	echo "per line (performance.md's 17-21 M lines/s is one case-sensitive pattern)."
	echo
	echo "### Work per update with lines retained (1,000 new lines + masks + drawing 38 rows)"
	echo
	echo "| retained | median CPU per update | p90 |"
	echo "|---|---|---|"
	echo "| 0 | $s0 us | $(val steady_0_p90_us "$tmp/steady") us |"
	echo "| 500,000 | $s5 us | $(val steady_500000_p90_us "$tmp/steady") us |"
	echo "| 1,000,000 | $s1 us | $(val steady_1000000_p90_us "$tmp/steady") us |"
	echo
	echo "Target: equal within noise (lnav goes to a full core at ~550k retained lines, performance.md §2.3)."
	echo
	echo "### A new filter over $N retained lines (target < 300 ms)"
	echo
	echo "scry filters lines already in memory; lnav loads and indexes the file first"
	echo "(index only: $(awk -v x="$lnav_idx" 'BEGIN{printf "%.0f", x*1000}') ms CPU); grep and pcre2grep read the page-cached file."
	echo
	echo "| pattern | matches | scry | lnav -n :filter-in | grep -cP | LC_ALL=C grep -cE | pcre2grep -c | lnav / scry |"
	echo "|---|---|---|---|---|---|---|---|"
	cat "$tmp/filter_rows"
	echo
	echo "### Memory per retained line (target <= 1.1x raw)"
	echo
	echo "| lines | raw | held by the store (accounted) | ratio | RSS growth |"
	echo "|---|---|---|---|---|"
	echo "| $(val mem_lines "$tmp/memory") | $(val mem_raw_mb "$tmp/memory") MiB | $(val mem_store_mb "$tmp/memory") MiB | **$(val mem_ratio "$tmp/memory")x** | $(val mem_rss_delta_mb "$tmp/memory") MiB |"
	echo
	echo "### Follow mode, 2,000 lines/s, 120x40 (target CPU < 25 % of a core)"
	echo
	echo "| scry CPU | bytes/s to the terminal | lines held after 25 s | behind what the server sent, at exit |"
	echo "|---|---|---|---|"
	echo "| **$follow_cpu %** | $follow_bps | $held | $lag lines |"
	echo
	echo "The server (tests/servers/loki.py) ran on the same 2 cores."
} >"$OUT"
cat "$OUT"
