#!/bin/sh
# prom_misbehave: answers no Prometheus should give, from a test server
# (tests/servers/prom_misbehave.py): a proxy's HTML error page, an SSO
# login page with 200, truncated JSON, a 100 MB answer (aborted at the
# 32 MiB cap), a server that never answers (the source's timeout), a
# 503 with Retry-After, a refused connection.  Every panel says what
# happened; the healthy panel next to them still shows its data.
. tests/lib.sh

PORT=$(free_port)
bg python3 tests/servers/prom_misbehave.py "$PORT" --log "$T_TMP/server.log" > "$T_TMP/server.out" 2>&1
wait_http "http://127.0.0.1:$PORT/ok/api/v1/status/buildinfo" 10 || {
	not_ok "test server starts"
	exit 0
}
REFUSED=$(free_port)
B=http://127.0.0.1:$PORT
# a query over 2 KiB: sent as a POST form
LONG="sum(up{instance=~\\\"$(python3 -c 'print("|".join("10.0.%d.%d:8080" % (i // 250, i % 250) for i in range(160)))')\\\"})"
cat > "$T_TMP/bad.json" <<J
{
  "title": "misbehaving", "range": "15m",
  "sources": {
    "ok": { "type": "prometheus", "url": "$B/ok" },
    "html": { "type": "prometheus", "url": "$B/html" },
    "sso": { "type": "prometheus", "url": "$B/sso" },
    "truncated": { "type": "prometheus", "url": "$B/truncated" },
    "huge": { "type": "prometheus", "url": "$B/huge" },
    "hang": { "type": "prometheus", "url": "$B/hang", "timeout": "2s" },
    "busy": { "type": "prometheus", "url": "$B/busy" },
    "refused": { "type": "prometheus", "url": "http://127.0.0.1:$REFUSED" },
    "small": { "type": "prometheus", "url": "$B/ok", "max_bytes": 1024 },
    "partial": { "type": "prometheus", "url": "$B/partial" }
  },
  "panels": [
    { "type": "graph", "title": "ok", "source": "ok", "query": "up", "legend": "healthy" },
    { "type": "graph", "title": "html", "source": "html", "query": "up" },
    { "type": "graph", "title": "sso", "source": "sso", "query": "up" },
    { "type": "graph", "title": "truncated", "source": "truncated", "query": "up" },
    { "type": "graph", "title": "huge", "source": "huge", "query": "up" },
    { "type": "graph", "title": "hang", "source": "hang", "query": "up" },
    { "type": "graph", "title": "busy", "source": "busy", "query": "up" },
    { "type": "graph", "title": "refused", "source": "refused", "query": "up" },
    { "type": "graph", "title": "small cap", "source": "small", "query": "up" },
    { "type": "graph", "title": "long", "source": "ok", "query": "$LONG", "legend": "long query" },
    { "type": "graph", "title": "partial", "source": "partial", "query": "up", "legend": "partial" }
  ]
}
J
start=$(date +%s)
"$SCRY_BIN" --snapshot --color never --size 200x60 --timeout 20s "$T_TMP/bad.json" > "$T_TMP/s.txt" 2>&1
took=$(( $(date +%s) - start ))
panel() {	# the lines of one panel's box, by title
	# boxes sit side by side: keep the columns of this one
	python3 - "$1" "$T_TMP/s.txt" > "$T_TMP/p.txt" <<'PY'
import sys
title, f = sys.argv[1], sys.argv[2]
lines = open(f, encoding="utf-8").read().splitlines()
for i, l in enumerate(lines):
    k = l.find("\u256d " + title + " ")
    if k >= 0:
        end = l.find("\u256e", k)
        for m in lines[i:]:
            print(m[k:end + 1])
            if m[k] == "\u2570":
                break
        break
PY
}
inpanel() {	# inpanel NAME TITLE TEXT
	panel "$2"
	if grep -qF -- "$3" "$T_TMP/p.txt"; then ok "$1"; else
		not_ok "$1" "expected '$3' in panel $2:" "$(cat "$T_TMP/p.txt")"; fi
}
inpanel "healthy panel keeps working beside the broken ones" ok "last 42  max 42"
inpanel "HTML error page: its title" html "502 Bad Gateway"
inpanel "HTML error page: the HTTP status" html "error (HTTP 502)"
inpanel "SSO page with 200: says it is not JSON" sso "expected JSON, got text/html; charset=utf-8: Sign in - Example Corp SSO"
inpanel "truncated JSON" truncated "truncated JSON"
inpanel "100 MB answer aborted at the 32 MiB cap" huge "response larger than 32 MiB: aborted"
inpanel "an answer over a 1 KiB max_bytes is refused too" "small cap" "response larger than"
inpanel "no answer: the source timeout fires" hang "Operation timed out after 20"
inpanel "503 with the server's error" busy "unavailable: too many concurrent queries"
inpanel "503 with its HTTP status" busy "error (HTTP 503)"
inpanel "connection refused" refused "Couldn't connect to server"
if [ "$took" -lt 10 ]; then
	ok "snapshot ends when every panel has answered or failed (${took}s)"
else
	not_ok "snapshot ends when every panel has answered or failed" "took ${took}s"
fi
huge_reqs=$(grep -c "GET /huge/api/v1/query_range" "$T_TMP/server.log")
check "the huge answer was asked once" test "$huge_reqs" = 1
inpanel "a 2 KiB query works" long "last 42  max 42"
inpanel "partial answer: the data" partial "last 42  max 42"
inpanel "partial answer: the warning on the panel" partial \
    "warning: receive 10.0.3.7:10901: store unavailable, partial response (+1 more)"
inpanel "partial answer: a badge counts warnings and infos" partial "2 warnings"
check "a query over 2 KiB goes as a POST form" grep -q "POST /ok/api/v1/query_range" "$T_TMP/server.log"
python3 - "$T_TMP/server.log" <<'PY'
import sys, urllib.parse
bad, n = [], 0
for line in open(sys.argv[1]):
    t, method, path, _ = line.split()
    if method != "GET" or "/api/v1/query_range?" not in path:
        continue
    q = urllib.parse.parse_qs(path.split("?", 1)[1])
    start, end, step = (float(q[k][0]) for k in ("start", "end", "step"))
    n += 1
    if (start * 1000) % (step * 1000) or (end * 1000) % (step * 1000) or not 1 <= step <= 86400:
        bad.append((start, end, step))
if n and not bad:
    print("ok - start and end are multiples of the step (%d range queries)" % n)
else:
    print("not ok - start and end are multiples of the step")
    print("# %s" % bad)
PY
