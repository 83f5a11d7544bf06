#!/bin/sh
# topology in a real terminal (tmux), live: Debian's Prometheus over the
# seed-incident fixture shifted so the incident is happening now, the Loki
# test server, the real kubectl against the test API server.  One key from
# "this edge is red" to "these are its pods and its errors": f on the
# payment node filters the graph (destination service), the log pane (app
# label) and the pods pane (owner/app) to payment; Esc brings everything
# back.  s freezes the snapshot and a later one marks what changed;
# :export topology writes text (exact hand-computed numbers) and DOT that
# Graphviz's dot accepts; the cursor moves the snapshot; 80x24 falls back
# to the edge table and, zoomed, pans the graph.
. tests/lib.sh
. tests/prom.sh
. tests/servers/loki_env.sh
. tests/servers/kubeapi.sh

if ! command -v kubectl >/dev/null 2>&1 || ! command -v dot >/dev/null 2>&1; then
	not_ok "kubectl and dot on PATH" "make deps installs kubernetes-client and graphviz"
	exit 0
fi
# the fixture's 02:30:00 one minute ago, on its 15 s grid
now=$(date +%s)
shift_s=$(( (now - 60 - 1795660200) / 15 * 15 ))
PROM_GEN_ARGS="--shift $shift_s" PROM_NOCACHE=1
if ! prom_start; then
	not_ok "prometheus starts over the shifted fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
loki_start --rate 20 --backlog 600
kube_start

cat > "$T_TMP/m.json" <<EOF
{"title": "mesh", "range": "30m", "refresh": "5s",
 "sources": {"prometheus": {"type": "prometheus", "url": "$PROM_URL"},
             "loki": {"type": "loki", "url": "$LOKI_URL"},
             "cluster": {"type": "kubectl", "context": "prod-eu1"}},
 "panels": [
  {"type": "topology", "title": "topology", "grid": {"x": 0, "y": 0, "w": 24, "h": 16}},
  {"type": "graph", "title": "P99 by destination service",
   "query": "histogram_quantile(0.99, sum by (le, destination_service) (rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\"}[1m])))",
   "legend": "{{destination_service}}", "unit": "ms", "grid": {"x": 0, "y": 16, "w": 12, "h": 9}},
  {"type": "logs", "title": "logs", "query": "{namespace=\"shop\"}", "grid": {"x": 12, "y": 16, "w": 12, "h": 9}},
  {"type": "pods", "title": "pods", "source": "cluster", "options": {"metrics": false},
   "grid": {"x": 0, "y": 25, "w": 24, "h": 11}}]}
EOF

expect() {	# expect NAME TEXT [SECONDS]
	if screen_wait "$2" "${3:-8}"; then ok "$1"; else not_ok "$1" "expected '$2':" "$(tmux_screen)"; fi
}
absent() {	# absent NAME TEXT: not on the screen (after the frame settles)
	sleep 0.5
	if tmux_screen | grep -qF -- "$2"; then not_ok "$1" "unexpected '$2':" "$(tmux_screen)"; else ok "$1"; fi
}

tmux_start 200 60 "LC_ALL=C.UTF-8 $SCRY_BIN --utc $T_TMP/m.json"
expect "live topology of the incident" " 25.0/s 92% 4.4s " 20
expect "the worst edge in the summary" "◆ order → payment"
expect "graph: every destination service" "order.shop.svc.cluster.local" 15
expect "logs: order's errors" "upstream connect error" 15
expect "pods: every pod" "order-6b7d9c5f8-x2k4p" 20

# select payment (J walks the nodes in reading order), then f
i=0
while [ $i -lt 8 ] && ! tmux_screen | grep -q "selected payment"; do
	tmux_keys J
	sleep 0.2
	i=$((i + 1))
done
expect "J selects the payment node" "selected payment"
expect "the selection shows its pods" "pods 3/6 ready, 7 restarts"
tmux_keys f
expect "f focuses payment" "focus payment: graphs, logs and pods show only it"
expect "graph: payment's series" "payment.shop.svc.cluster.local"
absent "graph: no other destination" "order.shop.svc.cluster.local"
expect "logs: payment's warnings" "TLS offload not configured"
expect "logs: the bar names the focus" "focus payment"
absent "logs: no order lines" "upstream connect error"
expect "pods: payment's pods" "payment-7c9f8d6b5-j4k7l"
expect "pods: the summary names the focus" "of payment (focus)"
absent "pods: no order pods" "order-6b7d9c5f8-x2k4p"
expect "status bar: the focus (once the message is gone)" "focus shop/payment (Esc)" 10
tmux_keys Escape
expect "Esc: every destination again" "order.shop.svc.cluster.local"
expect "Esc: order's log lines again" "upstream connect error"
expect "Esc: every pod again" "order-6b7d9c5f8-x2k4p"
absent "Esc: the focus is gone" "focus shop/payment"

# exports of the live snapshot (the incident): exact numbers, valid DOT
tmux_keys : "export topology $T_TMP/topo.txt" Enter
expect ":export topology FILE.txt" "wrote the topology (6 services, 5 edges) to $T_TMP/topo.txt as text"
tmux_keys : "export topology $T_TMP/topo.dot" Enter
expect ":export topology FILE.dot" "as Graphviz DOT"
contains "text: order -> payment 25 req/s, 92 %, P99 4375 ms, 503 UO, worst" "$T_TMP/topo.txt" \
    "shop/order                               shop/payment                                 25.000   92.00%  4375.0 ms 503 UO       error  -  WORST"
contains "text: ingress -> frontend 120 req/s, 55 %, 8600 ms" "$T_TMP/topo.txt" \
    "istio-system/istio-ingressgateway        shop/frontend                               120.000   55.00%  8600.0 ms 503"
contains "text: frontend -> order 30 req/s, 60 %, 8400 ms, 504" "$T_TMP/topo.txt" \
    "shop/frontend                            shop/order                                   30.000   60.00%  8400.0 ms 504"
contains "text: payment's pods" "$T_TMP/topo.txt" "shop/payment                                 25.000   92.00% 3/6                 7 error"
if dot -Tsvg "$T_TMP/topo.dot" > "$T_TMP/topo.svg" 2> "$T_TMP/dot.err"; then
	ok "Graphviz dot renders the export"
else
	not_ok "Graphviz dot renders the export" "$(cat "$T_TMP/dot.err")"
fi
contains "the SVG has the worst edge's label" "$T_TMP/topo.svg" "92.0% errors (503 UO)"

# freeze now, then look 20 minutes back (before the incident): compare
tmux_keys s
expect "s freezes" "froze the topology of"
tmux_keys : "goto now-20m" Enter
expect "the snapshot follows the cursor" " 25.0/s 0% 80ms " 15
expect "changed edges are marked (better than frozen)" "▼ 120/s 0% 180ms"
expect "the summary counts them" "3 edges changed"
tmux_keys s
expect "s again ends the comparison" "comparison off"
tmux_keys Escape
expect "Esc: the cursor goes, live again" " 25.0/s 92% 4.4s " 15
tmux_keys q
exit_wait 5 >/dev/null
tmux_stop

# 80x24: the topology panel is small: the edge table; zoomed: the graph, panned
tmux_start 80 24 "LC_ALL=C.UTF-8 $SCRY_BIN --utc $T_TMP/m.json"
expect "80x24: the edge table" "◆ order → payment" 20
tmux_keys Enter
expect "80x24 zoomed: the graph with a pan hint" "H L PgUp PgDn pan" 10
before=$(tmux_screen)
tmux_keys L
sleep 0.5
if [ "$before" != "$(tmux_screen)" ]; then ok "L pans the graph"; else not_ok "L pans the graph" "$before"; fi
tmux_keys v v
expect "v v: the edge table in the zoomed panel" "SOURCE → DESTINATION"
tmux_keys q
exit_wait 5 >/dev/null
tmux_stop
