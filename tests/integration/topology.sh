#!/bin/sh
# topology: the topology panel against Debian's real Prometheus over the
# seed-incident fixture (tests/fixtures/prom/README.md, "Topology" has the
# hand arithmetic): the snapshot at 02:30 (--snapshot --at) shows the
# mesh's six services and five edges with their rates, error ratios and
# P99s, order -> payment singled out as the worst edge; 02:10 is healthy;
# the same numbers through reporter="source", Tempo's service graph
# metrics and Istio's pre-1.5 seconds histogram; the namespace filter;
# the edge table at 80x24.
. tests/lib.sh
. tests/prom.sh

if ! prom_start; then
	not_ok "prometheus starts over the fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
ok "prometheus starts over the fixture"

dash() {	# dash FILE OPTIONS-JSON
	cat > "$1" <<EOF
{"title": "mesh", "range": "1h",
 "sources": {"prometheus": {"type": "prometheus", "url": "$PROM_URL"}},
 "panels": [{"type": "topology", "title": "topology", "options": $2,
             "grid": {"x": 0, "y": 0, "w": 24, "h": 20}}]}
EOF
}
snap() {	# snap AT OUT DASH [SIZE]
	"$SCRY_BIN" --snapshot --utc --color never --size "${4:-200x40}" --at "$1" "$3" \
	    > "$2" 2> "$2.err"
}
has() {		# has NAME FILE REGEX
	if grep -qE -- "$3" "$2"; then ok "$1"; else
		not_ok "$1" "no line matches /$3/ in $2:" "$(cat "$2" "$2.err")"; fi
}
# every edge of the incident with its label, in one snapshot
incident_edges() {	# incident_edges FILE WHAT
	has "$2: ingress -> frontend 120/s, 55 % (990/1800 503), P99 8.6 s" "$1" \
	    'istio-ingressgateway.* 120/s 55% 8\.6s .*frontend'
	has "$2: frontend -> order 30/s, 60 % (270/450), P99 8.4 s" "$1" ' 30\.0/s 60% 8\.4s .*order'
	has "$2: frontend -> cart 40/s, no errors, 40 ms" "$1" 'frontend.* 40\.0/s 0% 40ms .*cart'
	has "$2: order -> payment 25/s, 92 % (345/375 503 UO), P99 4.4 s" "$1" \
	    ' 25\.0/s 92% 4\.4s .*payment'
	has "$2: order -> inventory 30/s, no errors, 25 ms" "$1" ' 30\.0/s 0% 25ms .*inventory'
	has "$2: six services, five edges" "$1" '6 services 5 edges'
	has "$2: the worst edge heads the summary" "$1" '│worst edges'
	has "$2: order -> payment is the worst edge" "$1" '│◆ order → payment'
}

dash "$T_TMP/d.json" '{}'
snap 2026-11-26T02:30:00Z "$T_TMP/i.txt" "$T_TMP/d.json"
incident_edges "$T_TMP/i.txt" "incident"
has "incident: the snapshot time" "$T_TMP/i.txt" 'at 02:30:00  istio reporter=destination, 1m rate, P99'
has "incident: the worst edge's errors are 503 UO" "$T_TMP/i.txt" 'mostly 503 UO'
has "incident: drawn as boxes with arrows" "$T_TMP/i.txt" '━━▶┤ payment │'
lacks "incident: nothing failed" "$T_TMP/i.txt.err" "error"

snap 2026-11-26T02:10:00Z "$T_TMP/h.txt" "$T_TMP/d.json"
has "healthy: ingress -> frontend P99 180 ms" "$T_TMP/h.txt" ' 120/s 0% 180ms '
has "healthy: frontend -> order P99 120 ms" "$T_TMP/h.txt" ' 30\.0/s 0% 120ms '
has "healthy: order -> payment P99 80 ms" "$T_TMP/h.txt" ' 25\.0/s 0% 80ms '
has "healthy: every edge within its thresholds" "$T_TMP/h.txt" 'all within thresholds'
lacks "healthy: no worst edge" "$T_TMP/h.txt" "◆"

# after the mitigation and the recovery (02:47): healthy again
snap 2026-11-26T02:50:00Z "$T_TMP/r.txt" "$T_TMP/d.json"
has "recovered at 02:50: payment 80 ms again" "$T_TMP/r.txt" ' 25\.0/s 0% 80ms '

# the source proxies report the same counts in the fixture
dash "$T_TMP/s.json" '{"reporter": "source"}'
snap 2026-11-26T02:30:00Z "$T_TMP/s.txt" "$T_TMP/s.json"
incident_edges "$T_TMP/s.txt" "reporter=source"
has "reporter=source is named" "$T_TMP/s.txt" 'istio reporter=source'

# Tempo's service graph metrics (same tables in seconds)
dash "$T_TMP/t.json" '{"metrics": "tempo"}'
snap 2026-11-26T02:30:00Z "$T_TMP/t.txt" "$T_TMP/t.json"
incident_edges "$T_TMP/t.txt" "tempo"
has "tempo: named" "$T_TMP/t.txt" 'tempo service graph, 1m rate, P99'

# the namespace filter keeps edges with either end in the namespace
dash "$T_TMP/n.json" '{"namespace": "istio-system"}'
snap 2026-11-26T02:30:00Z "$T_TMP/n.txt" "$T_TMP/n.json"
has "namespace istio-system: the gateway's edge" "$T_TMP/n.txt" '2 services 1 edges'
has "namespace istio-system: ingress -> frontend" "$T_TMP/n.txt" ' 120/s 55% 8\.6s '
dash "$T_TMP/n2.json" '{"namespace": "shop", "window": "5m", "quantile": 0.5}'
snap 2026-11-26T02:30:00Z "$T_TMP/n2.txt" "$T_TMP/n2.json"
has "namespace shop: every edge (the gateway calls into shop)" "$T_TMP/n2.txt" '6 services 5 edges'
has "window and quantile options are named" "$T_TMP/n2.txt" '5m rate, P50'
# P50 of order -> payment in the incident: rank 187.5 of 375 falls in the
# bucket (0.5, 1 ms] holding 345: 0.5 + 0.5 * 187.5 / 345 = 0.772 ms
has "P50 order -> payment 0.77 ms" "$T_TMP/n2.txt" ' 25\.0/s 92% 0\.77ms '

# 80x24: four layers of boxes do not fit; the edges as a table, worst first
snap 2026-11-26T02:30:00Z "$T_TMP/e.txt" "$T_TMP/d.json" 80x24
has "80x24: the edge table" "$T_TMP/e.txt" 'SOURCE → DESTINATION +REQ/S +ERR +P99 CODE'
row2=$(sed -n 4p "$T_TMP/e.txt")
case $row2 in
*"◆ order → payment"*"25.0/s"*"92%"*"4.4s 503 UO"*) ok "80x24: the worst edge first, with 503 UO" ;;
*) not_ok "80x24: the worst edge first, with 503 UO" "$row2" ;;
esac

# pods come from a kubectl source: as they were at 02:30, which the
# source (listing now) cannot know; an unreachable one is said in the
# header without making the topology stale
if command -v kubectl >/dev/null 2>&1; then
	. tests/servers/kubeapi.sh
	kube_start
	for ctx in prod-eu1 nowhere; do
		cat > "$T_TMP/k$ctx.json" <<EOF
{"title": "mesh", "range": "1h",
 "sources": {"prometheus": {"type": "prometheus", "url": "$PROM_URL"},
             "cluster": {"type": "kubectl", "context": "$ctx", "timeout": "5s"}},
 "panels": [{"type": "topology", "title": "topology", "grid": {"x": 0, "y": 0, "w": 24, "h": 20}}]}
EOF
		snap 2026-11-26T02:30:00Z "$T_TMP/k$ctx.txt" "$T_TMP/k$ctx.json"
	done
	has "kubectl: no pods before the first list (honest about 02:30)" "$T_TMP/kprod-eu1.txt" \
	    '6 services 5 edges  pods: none before [0-9:]+'
	has "kubectl unreachable: said in the header" "$T_TMP/knowhere.txt" \
	    'pods: The connection to the server 127\.0\.0\.1:[0-9]+ was refused'
	lacks "kubectl unreachable: the topology is not stale" "$T_TMP/knowhere.txt" "stale"
	has "kubectl unreachable: the edges are drawn" "$T_TMP/knowhere.txt" ' 25\.0/s 92% 4\.4s '
else
	not_ok "kubectl on PATH" "make deps installs kubernetes-client"
fi
prom_stop

# Istio before 1.5: istio_request_duration_seconds, scaled to ms
PROM_GEN_ARGS=--legacy-istio
if ! prom_start; then
	not_ok "prometheus starts over the legacy fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
dash "$T_TMP/l.json" '{}'
snap 2026-11-26T02:30:00Z "$T_TMP/l.txt" "$T_TMP/l.json"
incident_edges "$T_TMP/l.txt" "legacy seconds histogram"
prom_stop
