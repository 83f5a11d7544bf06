#!/bin/sh
# Generated service pages in a real terminal (tmux): `:service order` and
# `scry --service order` against the real Prometheus with the seed-incident
# fixture, the Loki and Kubernetes API test servers (tests/servers/), at
# 80x24, 120x40 and 200x60, colour and NO_COLOR; the probing state of a
# hanging source (the UI keeps answering), Esc back to exactly the view
# under the page, pages from pages.  Values are the fixture's hand values
# (tests/fixtures/prom/README.md): frontend -> order 30 req/s, 60 % 5xx,
# P99 8.40 s, P50 375 ms at 02:30; order calls payment (25 req/s) and
# inventory (30 req/s).
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
# Loki lines from 02:00 on the fixture's day (one every 5 s), so the page's
# log pane has order's lines at 02:30
loki_start --t0 1795658400000000000 --rate 0.2 --streams 3 || { not_ok "loki test server"; exit 0; }
kube_start
cat > "$T_TMP/d.json" <<JSON
{"title": "base", "range": "30m",
 "sources": {"prometheus": {"type": "prometheus", "url": "$PROM_URL"},
             "loki": {"type": "loki", "url": "$LOKI_URL"},
             "prod-eu1": {"type": "kubectl", "context": "prod-eu1"}},
 "slo_files": ["$SCRY_TOP/tests/fixtures/slo/sloth.yaml"],
 "panels": [{"type": "text", "title": "base notes", "options": {"content": "the view under the page"},
             "grid": {"x": 0, "y": 0, "w": 24, "h": 4}}]}
JSON
AT=2026-11-26T02:30:00Z
waitfor() {	# waitfor NAME TEXT [SECONDS]
	if screen_wait "$2" "${3:-10}"; then ok "$1"; else not_ok "$1" "$(tmux_screen)"; fi
}
esc() {	# Escape alone (followed at once by a key it would read as Alt-key)
	tmux_keys Escape
	sleep 0.3
}
fresh() {	# fresh COLS ROWS CMD: a new tmux with scry in it
	tmux_stop
	tmux_start "$@"
}

# --- :service from a dashboard, 120x40, colour
fresh 120 40 "$SCRY_BIN --at $AT $T_TMP/d.json"
waitfor "base dashboard shown" "the view under the page"
tmux_keys ":service order" Enter
waitfor ":service order: the page" "About this page" 15
waitfor "status bar names the page and Esc" "service order"
check "the status bar offers Esc back" sh -c "tmux -L '$T_TMUX' capture-pane -t t -p | tail -1 | grep -q 'Esc back'"
waitfor "request rate by status code" "Request rate by status"
waitfor "the latency heatmap" "Latency distribution"
waitfor "inbound callers: frontend" "Inbound: callers"
if screen_wait_re "frontend +shop +30.0 req/s" 10; then ok "inbound: frontend (shop) at 30 req/s"
else not_ok "inbound: frontend (shop) at 30 req/s" "$(tmux_screen)"; fi
# the topology around order: its caller and both callees, worst edge first
if screen_wait_re "◆ order → payment +25.0/s +92%" 10; then ok "topology around order: order -> payment worst"
else not_ok "topology around order: order -> payment worst" "$(tmux_screen)"; fi
if tmux_screen | grep -q "cart"; then not_ok "cart (not order's neighbour) left out" "$(tmux_screen)"
else ok "cart (not order's neighbour) left out"; fi
if tmux_screen | grep "payment" | grep -q "25.0 req/s"; then ok "outbound: payment at 25 req/s"; else
	not_ok "outbound: payment at 25 req/s" "$(tmux_screen)"; fi
if tmux_screen | grep "inventory" | grep -q "30.0 req/s"; then ok "outbound: inventory at 30 req/s"; else
	not_ok "outbound: inventory at 30 req/s" "$(tmux_screen)"; fi
waitfor "order's log lines (Loki, by its app label)" "order-6b7d9c5f8-x2k4p" 8
waitfor "SLO panel: 1h burn" "1h   130x"
# the focus starts on the first graph: zoom each to read its legend
tmux_keys Enter
waitfor "zoomed rate: the 5xx codes" "504"
if tmux_screen | grep "503" | grep -q "last 6.00 req/s"; then ok "503 at 6 req/s"; else
	not_ok "503 at 6 req/s" "$(tmux_screen)"; fi
esc
tmux_keys l Enter
waitfor "error ratio at 02:30 (60 %)" "last 60.0 %"
esc
tmux_keys l Enter
waitfor "P99 at 02:30 (8.40 s)" "last 8.40 s"
waitfor "P50 at 02:30 (375 ms)" "last 375 ms"
esc
tmux_keys k k Enter	# the row header, then the page's first panel
waitfor "what the page was built from" "metrics: Istio (ms) (destination_service_name)"
waitfor "logs found by label" "Loki label app (1 stream)"
waitfor "pods found by label" "pods: app=order (4)"
waitfor "the order SLOs" "2 SLOs"
tmux_keys Escape
# Esc: back to exactly the dashboard
tmux_keys Escape
waitfor "Esc returns to the dashboard" "the view under the page"
if tmux_screen | grep -q "About this page"; then not_ok "the page is gone" "$(tmux_screen)"; else ok "the page is gone"; fi
tmux_keys q
if exit_wait 5 | grep -q "EXIT=0"; then ok "q exits 0"; else not_ok "q exits 0" "$(tmux_screen)"; fi

# --- 200x60: the topology around order drawn as a graph, the caller on the
# left, both callees on the right, order selected
fresh 200 60 "$SCRY_BIN --at $AT --service order $T_TMP/d.json"
# (boxed nodes when the panel is tall enough, bare names otherwise)
for e in "frontend ?├━ 30.0/s 60% 8.4s ━+▶┤ ?order" "├━ 25.0/s 92% 4.4s ━+▶┤ ?payment" \
    "order ?├─ 30.0/s 0% 25ms ─+▶┤ ?inventory"; do
	if screen_wait_re "$e" 15; then ok "200x60 graph: $e"; else not_ok "200x60 graph: $e" "$(tmux_screen)"; fi
done
waitfor "200x60: 4 services, 3 edges" "4 services 3 edges"
tmux_keys q
exit_wait 5 >/dev/null

# --- live: the pods and events of the service (the Kubernetes test server is now)
fresh 200 60 "$SCRY_BIN --service order $T_TMP/d.json"
waitfor "--service opens the page at once" "About this page" 15
tmux_keys J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J
waitfor "the order pods, live" "order-6b7d9c5f8-x2k4p" 15
if tmux_screen | grep -q "cart-5f8d9b7c6"; then not_ok "only order's pods" "$(tmux_screen)"; else
	ok "only order's pods"; fi
tmux_keys Escape
waitfor "Esc from --service shows the dashboard under it" "the view under the page"
tmux_keys q
exit_wait 5 >/dev/null

# --- pages from pages, at 80x24 without colour
fresh 80 24 "env NO_COLOR=1 $SCRY_BIN --at $AT --service order $T_TMP/d.json"
waitfor "80x24 NO_COLOR: the page" "service order" 15
check "80x24 NO_COLOR: no colour sequences" sh -c "! tmux -L '$T_TMUX' capture-pane -t t -p -e | grep -q '38;5;'"
tmux_keys ":service payment" Enter
waitfor "a page from the page" "service payment" 15
waitfor "payment's page found its metrics" "Error ratio" 10
tmux_keys Escape
waitfor "Esc: back to order's page" "service order" 5
tmux_keys Escape
waitfor "Esc: back to the dashboard" "the view under the page" 5
tmux_keys ':service a"b' Enter
waitfor "a name with a quote is refused" "is not a service name" 5
tmux_keys q
exit_wait 5 >/dev/null

# --- a source that never answers: the probing view, the UI still answers
port=$(free_port)
bg python3 tests/servers/prom_misbehave.py "$port"
wait_http "http://127.0.0.1:$port/ok/api/v1/status/buildinfo" 10
cat > "$T_TMP/hang.json" <<JSON
{"title": "hanging", "sources": {"prometheus": {"type": "prometheus", "url": "http://127.0.0.1:$port/hang"}},
 "panels": [{"type": "text", "title": "hang notes", "options": {"content": "under the probing view"},
             "grid": {"x": 0, "y": 0, "w": 24, "h": 4}}]}
JSON
fresh 120 40 "$SCRY_BIN $T_TMP/hang.json"
waitfor "hanging source: dashboard" "under the probing view"
tmux_keys ":service order" Enter
waitfor "probing view" "Probing the sources for service order" 5
waitfor "it says what it waits for" "/api/v1/series (16 selectors): waiting" 5
tmux_keys "?"
waitfor "keys still work while probing (help)" "keys (j/k scroll" 5
esc
esc
waitfor "Esc cancels the probing" "under the probing view" 5
tmux_keys ":service order" Enter
waitfor "probing again" "Probing the sources" 5
# the probes give up after 10 s and the page says what did not answer
waitfor "after the probe deadline the page appears" "Not answered: prometheus" 15
tmux_keys q
if exit_wait 5 | grep -q "EXIT=0"; then ok "q exits 0 with a request hanging"; else
	not_ok "q exits 0 with a request hanging" "$(tmux_screen)"; fi
tmux_stop
