#!/bin/sh
# prometheus.sh: the Prometheus source and metric widgets (issue 3).
#   build/obj/bench/prom_parse   parse + store a 1,000 x 1,000 matrix
#   build/obj/bench/prom_render  a 6-panel dashboard at 200x60
# Writes $BENCH_OUT/prometheus.md.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
BENCH_OUT=${BENCH_OUT:-$top/bench/out}
BENCH_BIN=${BENCH_BIN:-$top/build/obj/bench}
mkdir -p "$BENCH_OUT"
make --no-print-directory build/obj/bench/prom_parse build/obj/bench/prom_render >/dev/null || exit 1
p=$("$BENCH_BIN/prom_parse") || exit 1
r=$("$BENCH_BIN/prom_render") || exit 1
v() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
json=$(v "$p" json_bytes)
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
kmib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a * 1024 / b }'; }
{
	echo "## Prometheus source and metric widgets"
	echo
	echo "Parse + store of a 1,000-series x 1,000-point \`query_range\` matrix"
	echo "($(mib "$json") MiB of JSON; values printed with 17 digits, so larger than"
	echo "Prometheus' own answer), median of 5; memory measured in a fresh process"
	echo "as peak RSS growth over the JSON text the HTTP layer already holds."
	echo
	echo "| measure | scry (jpull + store) | cJSON tree only | target |"
	echo "|---|---|---|---|"
	echo "| time | $(v "$p" parse_store_ms) ms | $(v "$p" cjson_ms) ms (parse only) | - |"
	echo "| peak memory | $(kmib "$(v "$p" peak_extra_kib)") MiB ($(ratio "$(v "$p" peak_extra_kib)" "$json") x JSON) | $(kmib "$(v "$p" cjson_peak_kib)") MiB ($(ratio "$(v "$p" cjson_peak_kib)" "$json") x JSON) | < 2 x JSON |"
	echo "| after parsing | $(kmib "$(v "$p" rss_after_kib)") MiB RSS, $(mib "$(v "$p" store_bytes)") MiB accounted by the store | - | < 2 x JSON |"
	echo
	echo "A hostile answer (robustness.md T7): 1,000,000"
	echo "one-point series ($(mib "$(v "$p" million_bytes)") MiB) parsed with the default \`max_series\`"
	echo "(10,000 kept, the other $(v "$p" million_dropped) skipped checking only their structure):"
	echo "$(v "$p" million_ms) ms, median of 5 (it runs on the UI thread; keys <= 100 ms)."
	echo
	echo "Rendering a 6-panel dashboard (4 graphs of 5 x 240 points, a stat, a"
	echo "gauge) at 200x60: \`app_render\` per frame (200 frames), and the bytes"
	echo "ncurses writes to a real pty per refresh."
	echo
	echo "| measure | value | target |"
	echo "|---|---|---|"
	echo "| frame time, median / p95 | $(v "$r" frame_us_median) / $(v "$r" frame_us_p95) us | < 2 ms |"
	echo "| first frame | $(v "$r" blit_first_bytes) bytes | - |"
	echo "| one series gains one point (fixed window: paused, --at) | $(v "$r" blit_one_point_bytes) bytes | a few hundred |"
	echo "| the window slides one step, every series gains a point | $(v "$r" blit_slide_bytes) bytes | (every plotted dot moves) |"
	echo "| live, one second later, no new data | $(v "$r" live_idle_second_bytes) bytes | (graphs move in whole steps) |"
	echo "| live, the next step with its new points | $(v "$r" live_next_step_bytes) bytes | - |"
	echo
	echo "Reproduce: \`sh bench/prometheus.sh\` (or \`BENCH=prometheus make bench\`);"
	echo "$(nproc) CPUs shared with other work, so times vary by a factor of 2."
} > "$BENCH_OUT/prometheus.md"
cat "$BENCH_OUT/prometheus.md"
