#!/bin/sh
# record_prometheus.sh: record then replay against the real Prometheus.
# A small OpenMetrics history of the seed incident (the Envoy pool filling
# to 103, 503s growing) is backfilled with promtool into a TSDB that the
# real Debian prometheus serves; `scry --snapshot --record` draws it live,
# then the replay of that recording must draw the same screen and rebuild
# the same store (every recorded digest matches).
# The scry half needs the Prometheus source (sources/prometheus.c); in a
# build without it those checks report SKIP (the fixture half still runs).
. tests/lib.sh
DASH=$SCRY_TOP/tests/fixtures/recording/prom.json

if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
	not_ok "prometheus and promtool are installed" "run make deps"
	exit 0
fi
now=$(date +%s)
python3 - "$now" >"$T_TMP/incident.om" <<'PY'
import sys
now = int(sys.argv[1])
end = now - now % 15 - 120          # two minutes ago, on a 15 s grid
start = end - 40 * 60
onset = end - 20 * 60               # the incident starts 20 minutes ago
print("# TYPE envoy_cluster_upstream_cx_active gauge")
for pod in ("order-6b7d9c5f8-x2k4p", "order-6b7d9c5f8-q8w2n"):
    for t in range(start, end + 1, 15):
        m = (t - onset) / 60.0
        total = 85 if m < 0 else min(103, 85 + 9 * m)
        v = total / 2 + (0.5 if pod.endswith("p") else -0.5)
        print('envoy_cluster_upstream_cx_active{cluster_name="outbound|8080||payment.shop.svc.cluster.local",pod="%s"} %.1f %d' % (pod, v, t))
print("# TYPE istio_requests_total counter")
for code, ok_rps, bad_rps in (("200", 25, 2), ("503", 0.01, 23)):
    c = 0.0
    for t in range(start, end + 1, 15):
        c += 15 * (ok_rps if t < onset else bad_rps)
        print('istio_requests_total{destination_service_name="payment",response_code="%s"} %.1f %d' % (code, c, t))
print("# EOF")
PY
promtool tsdb create-blocks-from openmetrics "$T_TMP/incident.om" "$T_TMP/tsdb" >"$T_TMP/promtool.out" 2>&1
check "promtool backfills the incident" test -d "$T_TMP/tsdb"
port=$(free_port)
cat >"$T_TMP/prom.yml" <<EOF2
global: { scrape_interval: 15s }
EOF2
bg prometheus --config.file="$T_TMP/prom.yml" --storage.tsdb.path="$T_TMP/tsdb" \
    --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=30d >"$T_TMP/prom.log" 2>&1
URL="http://127.0.0.1:$port"
if wait_http "$URL/-/ready" 30; then ok "prometheus is up"; else
	not_ok "prometheus is up" "$(tail -5 "$T_TMP/prom.log")"; exit 0; fi
curl -s "$URL/api/v1/query?query=sum(envoy_cluster_upstream_cx_active)&time=$((now - 130))" >"$T_TMP/q.json"
contains "prometheus serves the pool at its limit" "$T_TMP/q.json" '"103'

R=$T_TMP/live.scry
"$SCRY_BIN" --snapshot --size 120x40 --color never --utc --timeout 20s --record "$R" \
    -p "$URL" "$DASH" >"$T_TMP/live.txt" 2>"$T_TMP/live.err"
contains "live snapshot while recording" "$T_TMP/live.txt" "outbound|8080||payment.shop.svc"
"$SCRY_BIN" --check "$R" >"$T_TMP/rcheck" 2>&1
contains "the recording checks: digests match" "$T_TMP/rcheck" "digests match"
"$SCRY_BIN" --replay "$R" --snapshot --size 120x40 --color never --utc >"$T_TMP/replay.txt" 2>&1
# the status bar carries the live session's REC badge: compare the rest
head -n 39 "$T_TMP/live.txt" >"$T_TMP/live.body"
head -n 39 "$T_TMP/replay.txt" >"$T_TMP/replay.body"
check "replay snapshot at the recording's end equals the live one" \
    cmp "$T_TMP/live.body" "$T_TMP/replay.body"
"$SCRY_BIN" --replay "$R" --snapshot --size 120x40 --color never --utc --at now >"$T_TMP/at.txt" 2>&1
contains "replay snapshot --at a moment of the recording draws the same data" "$T_TMP/at.txt" \
    "outbound|8080||payment.shop.svc"
