#!/bin/sh
# faults: small versions of the robustness figures (bench/robustness.sh
# has the full ones, make robustness).
#  - hostile answers in one snapshot (tests/servers/faultsrv.py): a gzip
#    bomb and an endless stream are cut at the 32 MiB cap within 1 s of
#    crossing it, 10,000-deep nesting is refused, and an answer of
#    200,000 series is applied (it took minutes when the store searched
#    its series linearly);
#  - the Loki tail across a trickling frame (1 byte a second), a 429 with
#    Retry-After and a 503 (tests/servers/loki.py): no line lost or held
#    twice, the trickle dropped after tail_idle_timeout, Retry-After
#    honoured.
. tests/lib.sh
. tests/servers/loki_env.sh

# --- hostile answers --------------------------------------------------------
FP=$(free_port)
bg python3 tests/servers/faultsrv.py --port "$FP" --events "$T_TMP/fault-events.jsonl" 2>/dev/null
wait_http "http://127.0.0.1:$FP/ok/api/v1/status/buildinfo" 10 || { not_ok "faultsrv starts"; exit 0; }
B=http://127.0.0.1:$FP
cat > "$T_TMP/hostile.json" <<J
{ "title": "faults", "range": "15m",
  "sources": { "gzip": { "type": "prometheus", "url": "$B/gzip" },
               "endless": { "type": "prometheus", "url": "$B/endless" },
               "deep": { "type": "prometheus", "url": "$B/deep" },
               "many": { "type": "prometheus", "url": "$B/series-200000" } },
  "panels": [
    { "type": "graph", "title": "gzip", "source": "gzip", "query": "up" },
    { "type": "graph", "title": "endless", "source": "endless", "query": "up" },
    { "type": "graph", "title": "deep", "source": "deep", "query": "up" },
    { "type": "stat", "title": "many", "source": "many", "query": "up", "options": { "reduce": "last" } } ] }
J
start=$(date +%s)
"$SCRY_BIN" --snapshot --color never --size 160x40 --timeout 60s "$T_TMP/hostile.json" > "$T_TMP/h.txt" 2>&1
took=$(( $(date +%s) - start ))
if [ "$took" -le 25 ]; then ok "hostile answers: the snapshot is done in ${took}s"; else
	not_ok "hostile answers: the snapshot is done within 25 s" "took ${took}s" "$(cat "$T_TMP/h.txt")"; fi
check "a gzip bomb and an endless stream stop at the 32 MiB cap" \
    test "$(grep -o 'response larger than 32 MiB' "$T_TMP/h.txt" | wc -l)" -eq 2
contains "10,000-deep nesting is refused" "$T_TMP/h.txt" "malformed JSON"
contains "200,000 series are applied and drawn" "$T_TMP/h.txt" 'up{i="0"}' 
python3 - "$T_TMP/fault-events.jsonl" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
for mode in ("gzip", "endless"):
    e = [x for x in ev if x["mode"] == mode]
    lat = [x["end"] - x["cross"] for x in e if x["cross"] and x["end"]]
    if e and lat and max(lat) <= 1.0:
        print("ok - %s: cut %.0f ms after crossing the cap (server's clock)" % (mode, max(lat) * 1000))
    else:
        print("not ok - %s: cut within 1 s of crossing the cap" % mode)
        print("# %s" % e)
many = [x for x in ev if x["mode"] == "series-200000"]
if many and many[0]["why"] == "complete":
    print("ok - the 200,000-series answer was read to its end (%d bytes)" % many[0]["sent"])
else:
    print("not ok - the 200,000-series answer was read to its end")
    print("# %s" % many)
PY

# --- the tail: trickle, 429 with Retry-After, 503 ------------------------------
loki_start --rate 50 --backlog 10 --events "$T_TMP/tail-events.jsonl"
dash=$T_TMP/tail.json
loki_dash "$dash" '"tail_idle_timeout": "2s"' \
    '[ { "type": "logs", "title": "shop", "query": "{namespace=\"shop\"}", "options": { "limit": 5000 },
         "grid": { "x": 0, "y": 0, "w": 24, "h": 20 } } ]'
dump=$T_TMP/dump.txt
tmux_start 120 30 "SCRY_LOG=$T_TMP/scry.log SCRY_LOGDUMP=$dump $SCRY_BIN $dash"
screen_wait "seq=" 10 || not_ok "history shows" "$(tmux_screen)"
tail_up() {
	n=0
	while [ "$(loki_stat tails 2>/dev/null || echo 0)" -lt 1 ] && [ $n -lt 150 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}
tail_up
sleep 1
loki_ctl trickle "secs=20&every=1" >/dev/null
sleep 5
tail_up
sleep 1
loki_ctl refuse "code=429&retry_after=3&n=1" >/dev/null
loki_ctl kill >/dev/null
sleep 6
tail_up
sleep 1
loki_ctl refuse "code=503&n=1" >/dev/null
loki_ctl kill >/dev/null
sleep 4
tail_up
loki_ctl freeze >/dev/null
sleep 3
tmux_keys q
exit_wait 5 >/dev/null
python3 tests/servers/logdump_check.py "$dump" "$LOKI_URL" --from-seq 0
python3 - "$T_TMP/tail-events.jsonl" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
tr = [e for e in ev if e["ev"] == "end" and "trickle" in e.get("why", "")]
if tr:
    print("ok - the trickling connection was dropped (%s)" % tr[0]["why"])
else:
    print("not ok - the trickling connection was dropped")
    print("# %s" % [e for e in ev if e["ev"] == "end"])
ref = [e for e in ev if e["ev"] == "refused" and e["code"] == 429 and not e["http"]]
ups = [e["t"] for e in ev if e["ev"] == "upgrade"]
nxt = [u for u in ups if ref and u > ref[0]["t"] + 0.01]
if ref and nxt and 3.0 <= nxt[0] - ref[0]["t"] <= 3.3 + 0.2:
    print("ok - Retry-After: 3 honoured (next upgrade after %.2f s)" % (nxt[0] - ref[0]["t"]))
else:
    print("not ok - Retry-After: 3 honoured")
    print("# refused %s, upgrades %s" % (ref, ups))
r503 = [e for e in ev if e["ev"] == "refused" and e["code"] == 503]
opened = [e for e in ev if e["ev"] == "open" and r503 and e["t"] > r503[-1]["t"]]
if r503 and opened:
    print("ok - a 503 on the upgrade is retried (open again after %.2f s)" % (opened[0]["t"] - r503[-1]["t"]))
else:
    print("not ok - a 503 on the upgrade is retried")
    print("# %s" % ev[-10:])
PY
contains "the 429 is shown with the server's words" "$T_TMP/scry.log" "HTTP 429: max concurrent tail requests"
contains "the 503 is shown with the server's words" "$T_TMP/scry.log" "HTTP 503: too many unhealthy instances"
