#!/bin/sh
# exemplars_prometheus: exemplars on graphs against Debian's real
# Prometheus run with --enable-feature=exemplar-storage, scraping
# tests/servers/exemplar_target.py (OpenMetrics exemplars whose trace ids
# are the traces tests/servers/tempo.py serves) over the seed-incident
# TSDB.  Prometheus must store every exemplar the target exposes; scry's
# P99 graphs must draw one marker per exemplar (ASCII too), none where
# the option is off or no exemplar exists, stay quiet on a Prometheus
# without exemplar storage, and be recorded.
. tests/lib.sh
. tests/prom.sh

TP=$(free_port)
bg python3 tests/servers/exemplar_target.py --port "$TP"
wait_http "http://127.0.0.1:$TP/ready" || not_ok "the exemplar target starts"
PROM_SCRAPE=127.0.0.1:$TP
if ! prom_start --enable-feature=exemplar-storage; then
	not_ok "prometheus starts with exemplar storage" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
ok "prometheus starts with exemplar storage"
EX_PROM=$PROM_URL
PROM_SCRAPE=

# every exemplar of the plan, as Prometheus answers them (the first scrape
# comes about 5 s after start: the discovery manager's update interval)
curl -s "http://127.0.0.1:$TP/ctl/plan" >"$T_TMP/plan.json"
cmp_exemplars() {
	curl -s -G "$EX_PROM/api/v1/query_exemplars" \
	    --data-urlencode 'query=istio_request_duration_milliseconds_bucket' \
	    --data-urlencode start=2026-11-26T01:00:00Z --data-urlencode end=2026-11-26T04:00:00Z \
	    >"$T_TMP/ex.json"
	python3 - "$T_TMP/plan.json" "$T_TMP/ex.json" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
got = json.load(open(sys.argv[2]))
want = sorted((p[0], float(p[1]), round(p[2], 3), p[3], p[4]) for p in plan)
have = sorted((e["labels"].get("trace_id"), float(e["value"]), round(e["timestamp"], 3),
               s["seriesLabels"]["le"], s["seriesLabels"]["destination_service_name"])
              for s in got.get("data") or [] for e in s["exemplars"])
if want != have:
    print("want %d, have %d" % (len(want), len(have)))
    sys.exit(1)
PY
}
n=0
until cmp_exemplars >"$T_TMP/cmp.out" 2>&1 || [ $n -ge 60 ]; do
	n=$((n + 1))
	sleep 0.25
done
if cmp_exemplars >"$T_TMP/cmp.out" 2>&1; then ok "prometheus holds every exemplar of the target"; else
	not_ok "prometheus holds every exemplar of the target" "$(cat "$T_TMP/cmp.out")" \
	    "$(head -c 1500 "$T_TMP/ex.json")"; fi

dash() {	# dash FILE URL OPTIONS_JSON QUERY
	cat >"$1" <<EOF
{ "title": "exemplars", "range": "1h",
  "sources": { "prom": { "type": "prometheus", "url": "$2" } },
  "panels": [ { "type": "graph", "title": "P99 order", "unit": "ms", "options": $3,
    "query": "$4",
    "grid": { "x": 0, "y": 0, "w": 24, "h": 20 } } ] }
EOF
}
P99='histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\",destination_service_name=\"order\"}[$__rate_interval])))'
RATE='sum(rate(istio_request_duration_milliseconds_count{reporter=\"destination\",destination_service_name=\"order\"}[$__rate_interval]))'
snap() {	# snap DASH OUT [ARGS]
	d=$1 out=$2
	shift 2
	"$SCRY_BIN" --snapshot --utc --color never --size 200x30 --at 2026-11-26T02:30:00Z "$@" "$d" \
	    >"$out" 2>"$out.err"
}
# count GLYPH FILE: how many times GLYPH is on the plot
count() { grep -o -- "$1" "$2" | wc -l | tr -d ' '; }

# window 01:30-02:30: six healthy exemplars (115 ms) 02:10-02:15, the
# canonical trace at 02:17:50 and four failing ones (8.41 s) after it
dash "$T_TMP/p99.json" "$EX_PROM" '{}' "$P99"
snap "$T_TMP/p99.json" "$T_TMP/p99.txt"
contains "the P99 graph draws (8.40 s)" "$T_TMP/p99.txt" "last 8.40 s"
c=$(count '◇' "$T_TMP/p99.txt")
if [ "$c" -eq 11 ]; then ok "one marker per exemplar in the window (11)"; else
	not_ok "one marker per exemplar in the window (11)" "got $c" "$(cat "$T_TMP/p99.txt")"; fi
# the failing ones on the spike's top row, the healthy ones on the floor
top=$(grep -n '◇' "$T_TMP/p99.txt" | head -1 | cut -d: -f1)
bot=$(grep -n '◇' "$T_TMP/p99.txt" | tail -1 | cut -d: -f1)
check "failing exemplars above the healthy ones" test "$((bot - top))" -ge 10
ntop=$(sed -n "${top}p" "$T_TMP/p99.txt" | grep -o '◇' | wc -l | tr -d ' ')
check "five 8.41 s exemplars on one row" test "$ntop" -eq 5
lacks "no error from the exemplar query" "$T_TMP/p99.txt" "error"

snap "$T_TMP/p99.json" "$T_TMP/ascii.txt" --glyphs ascii
c=$(sed -n '2,26p' "$T_TMP/ascii.txt" | grep -o 'o' | wc -l | tr -d ' ')
if [ "$c" -eq 11 ] && ! grep -q '◇' "$T_TMP/ascii.txt"; then ok "ASCII: markers are 'o'"; else
	not_ok "ASCII: markers are 'o'" "$(cat "$T_TMP/ascii.txt")"; fi

dash "$T_TMP/off.json" "$EX_PROM" '{ "exemplars": false }' "$P99"
snap "$T_TMP/off.json" "$T_TMP/off.txt"
contains "exemplars off: the graph draws" "$T_TMP/off.txt" "last 8.40 s"
lacks "exemplars off: no markers" "$T_TMP/off.txt" "◇"

dash "$T_TMP/rate.json" "$EX_PROM" '{}' "$RATE"
snap "$T_TMP/rate.json" "$T_TMP/rate.txt"
lacks "a rate graph asks for none by default" "$T_TMP/rate.txt" "◇"
dash "$T_TMP/rate_on.json" "$EX_PROM" '{ "exemplars": true }' \
    'sum(rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\",destination_service_name=\"order\",le=\"10000.0\"}[$__rate_interval]))'
snap "$T_TMP/rate_on.json" "$T_TMP/rate_on.txt"
c=$(count '◇' "$T_TMP/rate_on.txt")
if [ "$c" -eq 5 ]; then ok "exemplars: true on a bucket rate: its five exemplars"; else
	not_ok "exemplars: true on a bucket rate: its five exemplars" "got $c" "$(cat "$T_TMP/rate_on.txt")"; fi

# record and replay: the exemplars are in the recording
"$SCRY_BIN" --snapshot --size 200x30 --color never --utc --timeout 20s --at 2026-11-26T02:30:00Z \
    --record "$T_TMP/ex.scry" "$T_TMP/p99.json" >"$T_TMP/live.txt" 2>"$T_TMP/live.err"
"$SCRY_BIN" --check "$T_TMP/ex.scry" >"$T_TMP/rcheck" 2>&1
contains "the recording checks (exemplar events round-trip)" "$T_TMP/rcheck" "digests match"
"$SCRY_TOOLS/recdump" "$T_TMP/ex.scry" >"$T_TMP/dump.txt" 2>&1
contains "the recording holds the exemplars (canonical trace id)" "$T_TMP/dump.txt" \
    4bf92f3577b34da6a3ce929d0e0e4736
prom_stop

# a Prometheus without exemplar storage answers [] : no markers, no error
if prom_start; then
	dash "$T_TMP/plain.json" "$PROM_URL" '{}' "$P99"
	snap "$T_TMP/plain.json" "$T_TMP/plain.txt"
	contains "no exemplar storage: the graph draws" "$T_TMP/plain.txt" "last 8.40 s"
	lacks "no exemplar storage: no markers" "$T_TMP/plain.txt" "◇"
	lacks "no exemplar storage: no error" "$T_TMP/plain.txt" "error"
	prom_stop
else
	not_ok "prometheus starts without exemplar storage" "$(tail -5 "$PROM_LOG")"
fi
