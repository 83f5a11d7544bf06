#!/bin/sh
# What the slo, heatmap and imported Istio panels show over the real
# Prometheus with the seed-incident fixture (tests/prom.sh) at 02:30:00Z,
# 13 minutes into the incident.  Hand values (derivations in
# tests/integration/slo_prometheus.sh and tests/fixtures/prom/README.md):
#   SLO order-requests-availability (99.9 %): 30d error ratio 14040/378000
#     -> SLI 96.286 %; 1h 0.13 -> 130x, 5m 0.6 -> 600x (page: FIRING);
#     6h 0.0371 -> 37.1x, 30m 0.26 -> 260x
#   heatmap of frontend -> order: P99 8400 ms -> "8.40 s", P50 375 ms, 30 req/s
#   Istio service dashboard with $service = order: P99 8.40 s, success
#     rate 180/450 = 40 %, 30 req/s
. tests/lib.sh
. tests/prom.sh
if ! prom_start; then
	not_ok "prometheus ready" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
cat > "$T_TMP/d.json" <<JSON
{"title": "order", "range": "30m",
 "sources": {"prometheus": {"type": "prometheus"}},
 "slo_files": ["$SCRY_TOP/tests/fixtures/slo/sloth.yaml"],
 "panels": [
  {"type": "slo", "title": "availability", "options": {"slo": "order-requests-availability"},
   "grid": {"x": 0, "y": 0, "w": 12, "h": 10}},
  {"type": "heatmap", "title": "latency",
   "query": "sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\",destination_service_name=\"order\"}[\$__rate_interval]))",
   "grid": {"x": 12, "y": 0, "w": 12, "h": 10}}]}
JSON
"$SCRY_BIN" -p "$PROM_URL" --snapshot --size 160x30 --color never \
    --at 2026-11-26T02:30:00Z "$T_TMP/d.json" > "$T_TMP/snap" 2> "$T_TMP/err"
contains "SLI over 30d" "$T_TMP/snap" "SLI 96.286%"
contains "1h burn" "$T_TMP/snap" "1h   130x"
contains "5m burn" "$T_TMP/snap" "5m   600x"
contains "6h / 30m burn" "$T_TMP/snap" "6h  37.1x 30m   260x"
contains "page alert firing" "$T_TMP/snap" "FIRING"
contains "heatmap P99" "$T_TMP/snap" "P99 8.40 s"
contains "heatmap P50" "$T_TMP/snap" "P50 375 ms"
contains "heatmap total rate" "$T_TMP/snap" "n 30/s"

# the imported Istio service dashboard, its service variable set to order
"$SCRY_BIN" --convert tests/fixtures/grafana/istio/istio-service-dashboard.json 2>/dev/null |
    python3 -c 'import json,sys
d=json.load(sys.stdin)
for v in d["variables"]:
    if v["name"]=="service": v["current"]=["order.shop.svc.cluster.local"]
json.dump(d, sys.stdout)' > "$T_TMP/istio.json"
"$SCRY_BIN" -p "$PROM_URL" --snapshot --size 200x60 --color never \
    --at 2026-11-26T02:30:00Z "$T_TMP/istio.json" > "$T_TMP/isnap" 2>&1
contains "imported dashboard: the variable in the text panel" "$T_TMP/isnap" \
    "SERVICE: order.shop.svc.cluster.local"
contains "imported dashboard: request volume of order" "$T_TMP/isnap" "30.0 ops/s"
contains "imported dashboard: success rate of order (40 %)" "$T_TMP/isnap" "40.0 %"
lacks "imported dashboard: no panel in error" "$T_TMP/isnap" "error"
# taller: the request-duration panels have room for their legends
"$SCRY_BIN" -p "$PROM_URL" --snapshot --size 200x130 --color never \
    --at 2026-11-26T02:30:00Z "$T_TMP/istio.json" > "$T_TMP/isnap2" 2>&1
if grep "P99" "$T_TMP/isnap2" | head -1 | grep -q "last 8.40 s"; then
	ok "imported dashboard: P99 of order (8.40 s)"
else
	not_ok "imported dashboard: P99 of order (8.40 s)" "$(grep -E 'P50|P90|P99' "$T_TMP/isnap2")"
fi
if grep "P50" "$T_TMP/isnap2" | head -1 | grep -q "last 375 ms"; then
	ok "imported dashboard: P50 of order (375 ms)"
else
	not_ok "imported dashboard: P50 of order (375 ms)" "$(grep -E 'P50|P90|P99' "$T_TMP/isnap2")"
fi
