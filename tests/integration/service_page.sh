#!/bin/sh
# Generated service pages without a terminal (--snapshot --service): the
# probes through the real Prometheus (/api/v1/series), the Loki test server
# (/loki/api/v1/series, its errors included) and kubectl against the
# Kubernetes API test server; what the page finds and shows for order at
# 02:30 of the seed incident (tests/fixtures/prom/README.md); the probes
# recorded and replayed; names that could break a selector refused.
. tests/lib.sh
. tests/prom.sh
. tests/servers/loki_env.sh
. tests/servers/kubeapi.sh

if ! command -v kubectl >/dev/null 2>&1; then
	not_ok "kubectl on PATH" "install kubectl (make deps installs kubernetes-client)"
	exit 0
fi
if ! prom_start; then
	not_ok "prometheus ready" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
loki_start --t0 1795658400000000000 --rate 0.2 --streams 3 || { not_ok "loki test server"; exit 0; }
kube_start
dash() {	# dash FILE LOKI_URL
	cat > "$1" <<JSON
{"title": "base", "range": "30m",
 "sources": {"prometheus": {"type": "prometheus", "url": "$PROM_URL"},
             "loki": {"type": "loki", "url": "$2"},
             "prod-eu1": {"type": "kubectl", "context": "prod-eu1"}},
 "slo_files": ["$SCRY_TOP/tests/fixtures/slo/sloth.yaml"],
 "panels": [{"type": "text", "title": "base notes", "options": {"content": "under the page"},
             "grid": {"x": 0, "y": 0, "w": 24, "h": 4}}]}
JSON
}
dash "$T_TMP/d.json" "$LOKI_URL"
snap() {	# snap OUT ARGS...: a 200x100 snapshot of the page
	out=$1
	shift
	"$SCRY_BIN" --snapshot --size 200x100 --color never "$@" > "$out" 2> "$out.err"
}
snap "$T_TMP/p" --at 2026-11-26T02:30:00Z --service order --record "$T_TMP/r.scry" "$T_TMP/d.json"
check "--snapshot --service exits 0" test $? -eq 0
contains "the page, not the dashboard" "$T_TMP/p" "service order"
lacks "the dashboard is under it" "$T_TMP/p" "under the page"
contains "found: Istio, by destination_service_name" "$T_TMP/p" "metrics: Istio (ms) (destination_service_name)"
contains "found: Loki streams by app" "$T_TMP/p" "logs: Loki label app (1 stream)"
contains "found: the pods by app" "$T_TMP/p" "pods: app=order (4)"
contains "found: the two order SLOs of the dashboard" "$T_TMP/p" "2 SLOs"
lacks "every probe answered" "$T_TMP/p" "Not answered"
contains "5xx ratio at 02:30 (270 of 450)" "$T_TMP/p" "last 60.0 %"
contains "P99 at 02:30" "$T_TMP/p" "last 8.40 s"
contains "P50 at 02:30" "$T_TMP/p" "last 375 ms"
contains "heatmap line at the latest column" "$T_TMP/p" "P99 8.40 s  ─ P50 375 ms  n 30/s"
if grep "frontend" "$T_TMP/p" | grep -q "30.0 req/s"; then ok "caller frontend at 30 req/s"; else
	not_ok "caller frontend at 30 req/s" "$(cat "$T_TMP/p")"; fi
if grep "payment" "$T_TMP/p" | grep -q "25.0 req/s"; then ok "callee payment at 25 req/s"; else
	not_ok "callee payment at 25 req/s"; fi
contains "order's log lines" "$T_TMP/p" "order-6b7d9c5f8-x2k4p  level=error"
contains "SLO panel of order" "$T_TMP/p" "SLI 96.286%"
contains "the page alert fires" "$T_TMP/p" "1h   130x  5m   600x  >14.4x FIRING"
# the series probe reached Prometheus with every selector
check "Loki's /series was asked" test "$(loki_stat series)" -ge 1

# the probes are recorded: a replay builds the same page from the recording
snap "$T_TMP/rp" --replay "$T_TMP/r.scry" --service order
check "replay --service exits 0" test $? -eq 0
contains "replay: the page from the recorded probes" "$T_TMP/rp" \
    "metrics: Istio (ms) (destination_service_name); logs: Loki label app (1 stream); pods: app=order (4); 2 SLOs"

# a probe that fails: the page is still built, and says which and why
loki_stop
LOKI_PORT=$(free_port)
loki_start --token s3cret-loki-token --t0 1795658400000000000 --rate 0.2
dash "$T_TMP/d2.json" "$LOKI_URL"
snap "$T_TMP/p2" --at 2026-11-26T02:30:00Z --service order "$T_TMP/d2.json"
contains "a failed probe is named with the server's error" "$T_TMP/p2" "Not answered: loki (HTTP 401: unauthorized)"
contains "the rest of the page is there" "$T_TMP/p2" "last 8.40 s"
contains "the log pane still assumes the app label" "$T_TMP/p2" "Loki label app (assumed"

# a service nothing knows: a useful page all the same
snap "$T_TMP/p3" --at 2026-11-26T02:30:00Z --service ghost "$T_TMP/d.json"
contains "unknown service: says so" "$T_TMP/p3" "No metrics for 'ghost'"
contains "unknown service: no pods either" "$T_TMP/p3" "pods: none found (app=ghost assumed)"

# names that would break out of a selector never reach a backend
"$SCRY_BIN" --snapshot --service 'x"} or vector(1) #' "$T_TMP/d.json" > "$T_TMP/o4" 2> "$T_TMP/e4"
check "a hostile --service name fails" test $? -eq 1
contains "... saying why" "$T_TMP/e4" "is not a service name"
