#!/bin/sh
# demo_stack.sh: the demo stack (demo/stack.sh) starts and tells the seed
# incident end to end: each server is asked what it says at 02:19 (the
# real Prometheus over the incident TSDB, the Loki, Tempo and Kubernetes
# test servers in story mode, the real kubectl), the live parts follow the
# demo clock (a Kubernetes watch sees the new payment pods at 02:20:00 of
# the story, not before), and scry on the same clock draws the story live
# and records it losslessly (the replay draws the same screen).
. tests/lib.sh
. demo/stack.sh

for c in prometheus promtool kubectl python3 curl; do
	command -v $c >/dev/null || { not_ok "$c is installed" "run make deps"; exit 0; }
done
# 02:19:00 of the story, 5 times as fast: the HPA's rescale (02:19:30)
# comes 6 s after the epoch, the new payment pods (02:20:00) 12 s after
if ! demo_start 2026-11-26T02:19:00Z 5; then
	not_ok "the demo stack starts" "$(tail -5 "$T_TMP"/*.log 2>/dev/null)"
	exit 0
fi
ok "the demo stack starts (Prometheus, Loki, Tempo, Kubernetes API)"
demo_wait_epoch
T=1795659540	# 02:19:00Z

# --- Kubernetes (story mode) through the real kubectl ---------------------
kubectl get pods -o json >"$T_TMP/pods.json" 2>"$T_TMP/kubectl.err"
python3 - "$T_TMP/pods.json" >"$T_TMP/pods.txt" <<'EOF'
import json, sys
for p in json.load(open(sys.argv[1]))["items"]:
    cs = {c["name"]: c for c in p["status"].get("containerStatuses") or []}
    c = cs.get("order") or cs.get("payment") or {}
    print(p["metadata"]["name"], c.get("restartCount", "-"),
          (c.get("lastState", {}).get("terminated") or {}).get("reason", "-"))
EOF
contains "kubectl: order-6b7d9c5f8-x2k4p was OOM-killed at 02:12 (1 restart)" "$T_TMP/pods.txt" \
    "order-6b7d9c5f8-x2k4p 1 OOMKilled"
lacks "kubectl: no new payment pods before 02:20" "$T_TMP/pods.txt" "payment-7c9f8d6b5"
kubectl get events -o json >"$T_TMP/events.json" 2>>"$T_TMP/kubectl.err"
contains "kubectl: the OOMKilling event is there" "$T_TMP/events.json" '"reason": "OOMKilling"'
lacks "kubectl: the HPA's rescale (02:19:30) is not, yet" "$T_TMP/events.json" 'SuccessfulRescale'
# a watch (started now) must see the story happen when the clock gets there
timeout 40 kubectl get pods --watch --output-watch-events -o json >"$T_TMP/watch.json" \
    2>>"$T_TMP/kubectl.err" &
wpid=$!
(	# when (on the demo clock) the new payment pod arrives
	n=0
	until grep -qE '"name": ?"payment-7c9f8d6b5-j4k7l"' "$T_TMP/watch.json" 2>/dev/null ||
	    [ $n -gt 400 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	demo_vnow >"$T_TMP/seen"
) &
spid=$!


# --- Prometheus: the real one over the incident TSDB ----------------------
pq() {	# pq NAME EXPR WANT: the instant value at 02:19:00 equals WANT (1e-9)
	curl -sf "$PROM_URL/api/v1/query" --data-urlencode "query=$2" --data-urlencode "time=$T" \
	    >"$T_TMP/pq.json"
	if python3 - "$T_TMP/pq.json" "$3" <<'EOF'; then ok "$1"; else not_ok "$1" "$(head -c 600 "$T_TMP/pq.json")"; fi
import json, sys
r = json.load(open(sys.argv[1]))["data"]["result"]
want = float(sys.argv[2])
got = float(r[0]["value"][1])
sys.exit(0 if len(r) == 1 and abs(got - want) <= 1e-9 * max(abs(want), 1) else 1)
EOF
}
pq "prometheus: order's P99 is 8.4 s at 02:19" \
    'histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_service_name="order"}[1m])))' 8400
pq "prometheus: 92 % of order -> payment calls fail at 02:19" \
    'sum(rate(istio_requests_total{reporter="source",source_workload="order",destination_service_name="payment",response_code=~"5.."}[1m])) / sum(rate(istio_requests_total{reporter="source",source_workload="order",destination_service_name="payment"}[1m]))' 0.92
pq "prometheus: the 503s carry response_flags UO" \
    'sum(rate(istio_requests_total{reporter="source",destination_service_name="payment",response_code="503",response_flags="UO"}[1m])) * 15' 345
pq "prometheus: the payment pool is at its limit of 103" 'sum(envoy_cluster_upstream_cx_active)' 103
T=1795659300	# 02:15:00Z, before the incident
pq "prometheus: order's P99 was 120 ms before" \
    'histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_service_name="order"}[1m])))' 120
pq "prometheus: the pool held ~85 connections before" 'sum(envoy_cluster_upstream_cx_active)' 85

# --- Loki (story mode) ----------------------------------------------------
lq() {	# lq QUERY START END LIMIT > file
	curl -sf -G "$LOKI_URL/loki/api/v1/query_range" --data-urlencode "query=$1" \
	    --data-urlencode "start=$2" --data-urlencode "end=$3" --data-urlencode "limit=$4"
}
lq '{app="istiod"}' 2026-11-26T02:18:00Z 2026-11-26T02:19:00Z 100 >"$T_TMP/istiod.json"
contains "loki: istiod cannot push payment's endpoints from 02:18" "$T_TMP/istiod.json" \
    'failed to push endpoint for payment-service: context deadline exceeded'
lq '{app="istiod"}' 2026-11-26T02:10:00Z 2026-11-26T02:17:59Z 100 >"$T_TMP/istiod0.json"
lacks "loki: ... and not before" "$T_TMP/istiod0.json" 'failed to push endpoint'
lq '{app="order"} |= "reset reason: overflow"' 2026-11-26T02:18:59Z 2026-11-26T02:19:00Z 1000 \
    >"$T_TMP/order.json"
python3 - "$T_TMP/order.json" >"$T_TMP/order.txt" <<'EOF'
import json, re, sys
r = json.load(open(sys.argv[1]))["data"]["result"]
lines = [v[1] for s in r for v in s["values"]]
ids = sorted({m.group(1) for l in lines for m in [re.search(r"trace_id=([0-9a-f]{32})", l)] if m})
print(len(lines), len(ids))
print(ids[0] if ids else "")
EOF
n=$(sed -n 1p "$T_TMP/order.txt" | cut -d' ' -f1)
if [ "$n" -ge 12 ] && [ "$n" -le 30 ]; then ok "loki: order logs ~20 overflow errors a second at 02:19 ($n)"; else
	not_ok "loki: order logs ~20 overflow errors a second at 02:19" "got $n lines"; fi
TID=$(sed -n 2p "$T_TMP/order.txt")
lq '{app="order"} |= "reset reason: overflow"' 2026-11-26T02:10:00Z 2026-11-26T02:17:00Z 100 \
    >"$T_TMP/order0.json"
lacks "loki: no overflow errors before 02:17" "$T_TMP/order0.json" 'overflow'
lq '{app="order"} |= "4bf92f3577b34da6a3ce929d0e0e4736"' 2026-11-26T02:17:00Z 2026-11-26T02:18:00Z 10 \
    >"$T_TMP/canon.json"
contains "loki: the canonical failing request's line (02:17:50)" "$T_TMP/canon.json" '"1795659470560000000"'
# a line exists once the demo clock has passed it
lq '{app="order"}' 2026-11-26T02:30:00Z 2026-11-26T02:40:00Z 10 >"$T_TMP/future.json"
contains "loki: nothing from the story's future" "$T_TMP/future.json" '"result":[]'

# --- Tempo (story mode): the traces of the lines' trace ids ---------------
curl -s "$TEMPO_URL/api/traces/$TID" >"$T_TMP/trace.json"
python3 - "$T_TMP/trace.json" >"$T_TMP/trace.txt" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))["batches"]
spans = [(bt["resource"]["attributes"][0]["value"]["stringValue"], s)
         for bt in b for ss in bt["scopeSpans"] for s in ss["spans"]]
charges = [s for svc, s in spans if s["name"] == "Charge"]
uo = [s for s in charges if s.get("status", {}).get("message") == "503 UO"]
root = [s for svc, s in spans if "parentSpanId" not in s][0]
print(len(charges), len(uo), (int(root["endTimeUnixNano"]) - int(root["startTimeUnixNano"])) / 1e9)
EOF
check "tempo: an order error line's trace id has a trace" test -s "$T_TMP/trace.txt"
contains "tempo: it shows the retry storm: three Charge calls, each 503 UO, 8.6 s in all" \
    "$T_TMP/trace.txt" "3 3 8.6"
curl -s "$TEMPO_URL/api/v2/traces/4bf92f3577b34da6a3ce929d0e0e4736" >"$T_TMP/canon_trace.json"
contains "tempo: the canonical trace is complete" "$T_TMP/canon_trace.json" '"status": "COMPLETE"'
code=$(curl -s -o /dev/null -w '%{http_code}' "$TEMPO_URL/api/traces/0123456789abcdef0123456789abcdef")
check "tempo: an id the story never logged is not found (404)" test "$code" = 404
FUTURE=$(python3 -c 'import sys; sys.path.insert(0, "tests/servers"); import story
print(story.logs().traces_between(1795660200 * story.S, 1795660260 * story.S, 1)[0])')
code=$(curl -s -o /dev/null -w '%{http_code}' "$TEMPO_URL/api/traces/$FUTURE")
check "tempo: a well-formed id from the story's future is not found yet" test "$code" = 404
curl -s -G "$TEMPO_URL/api/search" --data-urlencode 'q={ status = error && resource.service.name = "payment" }' \
    --data-urlencode start=1795659480 --data-urlencode end=1795659540 --data-urlencode limit=5 \
    >"$T_TMP/search.json"
contains "tempo: search finds failing traces of the minute before 02:19" "$T_TMP/search.json" \
    '"rootTraceName": "POST /checkout"'

# the watch saw the story happen when the clock got there
wait $spid
seen=$(cat "$T_TMP/seen")
kill $wpid 2>/dev/null
wait $wpid 2>/dev/null
grep -E '"name": ?"payment-7c9f8d6b5-j4k7l"' "$T_TMP/watch.json" | head -1 >"$T_TMP/added.json"
contains "kubectl watch: the new payment pod is ADDED" "$T_TMP/added.json" '"type":"ADDED"'
if awk -v s="$seen" 'BEGIN { exit !(s >= 1795659600 && s < 1795659630) }'; then
	ok "kubectl watch: ... when the demo clock reaches 02:20:00 ($seen)"; else
	not_ok "kubectl watch: ... when the demo clock reaches 02:20:00" "seen at $seen"; fi


# --- scry on the same clock: the story live --------------------------------
SCRY_DEMO_CLOCK=$DEMO_CLOCK "$SCRY_BIN" $DEMO_ARGS --snapshot --size 120x40 --color never --utc \
    --timeout 20s --record "$T_TMP/live.scry" "$DEMO_DASHBOARD" >"$T_TMP/live.txt" 2>"$T_TMP/live.err"
has_re() {	# has_re NAME FILE EXTENDED-REGEX
	if grep -qE -- "$3" "$2"; then ok "$1"; else not_ok "$1" "expected /$3/ in:" "$(cat "$2")"; fi
}
has_re "scry live: the P99 graph shows order at 8.40 s" "$T_TMP/live.txt" "━━ order +last 8.40 s"
has_re "scry live: payment 92 % 5xx" "$T_TMP/live.txt" "━━ payment +last 92.0 %"
contains "scry live: the pool at 103" "$T_TMP/live.txt" "103 100%"
contains "scry live: alerts from the ALERTS series at the demo clock" "$T_TMP/live.txt" "PaymentUpst"
contains "scry live: the new payment pods" "$T_TMP/live.txt" "payment-7c9f8d6b5-"
contains "scry live: overflow errors in the log pane" "$T_TMP/live.txt" 'level=error msg="upstrea'
lacks "scry live: no panel in error" "$T_TMP/live.txt" " error ─"
lacks "scry live: nothing stale" "$T_TMP/live.txt" "stale"

# record then replay: lossless (digests) and the same screen
"$SCRY_BIN" --check "$T_TMP/live.scry" >"$T_TMP/rcheck" 2>&1
if grep -qE ' ([0-9]+) of \1 digests match' "$T_TMP/rcheck"; then
	ok "record then replay of the live demo: every digest matches"; else
	not_ok "record then replay of the live demo: every digest matches" "$(cat "$T_TMP/rcheck")"; fi
"$SCRY_BIN" --replay "$T_TMP/live.scry" --snapshot --size 120x40 --color never --utc \
    >"$T_TMP/replay.txt" 2>&1
head -n 39 "$T_TMP/live.txt" >"$T_TMP/live.body"	# the status bar has the REC badge
head -n 39 "$T_TMP/replay.txt" >"$T_TMP/replay.body"
if cmp -s "$T_TMP/live.body" "$T_TMP/replay.body"; then
	ok "the replay draws the live screen (logs, pods, events, graphs, alerts)"; else
	not_ok "the replay draws the live screen (logs, pods, events, graphs, alerts)" \
	    "$(diff "$T_TMP/live.body" "$T_TMP/replay.body" | head -20)"; fi

# the trace pivot, live: a log line's trace id opens its waterfall (Tempo)
if command -v tmux >/dev/null; then
	tmux_start 120 40 "SCRY_DEMO_CLOCK=$DEMO_CLOCK TZ=UTC $SCRY_BIN --utc $DEMO_ARGS $DEMO_DASHBOARD"
	if screen_wait "ERR order-6b7d9c5f8" 15; then ok "scry live in a terminal: the log pane fills"; else
		not_ok "scry live in a terminal: the log pane fills" "$(tmux_screen | tail -8)"; fi
	for i in 1 2 3 4 5 6 7 8 9; do tmux_keys Tab; done
	tmux_keys Enter
	sleep 0.5
	tmux_keys / 'reset reason: overflow' Enter	# an order error line (a trace id)
	sleep 0.5
	tmux_keys Enter
	if screen_wait "frontend POST /checkout  8.60s" 10 && screen_wait "payment Charge" 2; then
		ok "scry live: Enter on a log line opens its trace: the retry storm"; else
		not_ok "scry live: Enter on a log line opens its trace: the retry storm" "$(tmux_screen | head -12)"; fi
	tmux_keys q
	exit_wait 5 >/dev/null
	tmux_stop
else
	not_ok "tmux is installed" "run make deps"
fi
