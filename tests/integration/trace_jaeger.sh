#!/bin/sh
# trace_jaeger: the real scry binary against the Jaeger test server
# (tests/servers/jaeger.py): the story's failing request from µs times,
# processes and references; not found, server errors, a dead server;
# service search, tag search, and a search without a service.
. tests/lib.sh

CANON=4bf92f3577b34da6a3ce929d0e0e4736
P=$(free_port)
bg python3 tests/servers/jaeger.py --port "$P" --log "$T_TMP/j.log"
wait_http "http://127.0.0.1:$P/api/services" || not_ok "jaeger server starts"
U=http://127.0.0.1:$P

dash() {	# dash FILE TYPE QUERY
	cat >"$1" <<EOF
{ "title": "t", "range": "3h",
  "sources": { "jaeger": { "type": "jaeger" } },
  "panels": [ { "type": "$2", "title": "p", "query": "$3",
                "grid": { "x": 0, "y": 0, "w": 24, "h": 20 } } ] }
EOF
}
BADRC=""
snap() {
	"$SCRY_BIN" --snapshot --size "${4:-120x24}" --timeout 20s --at 2026-11-26T03:00:00Z \
	    --jaeger "$2" "$3" >"$1" 2>"$1.err" || BADRC="$BADRC $1"
}

dash "$T_TMP/canon.json" trace "$CANON"
snap "$T_TMP/canon.out" "$U" "$T_TMP/canon.json"
contains "jaeger: root of the failing request" "$T_TMP/canon.out" "frontend POST /checkout  8.60s  7 spans"
contains "jaeger: services from processes, errors from tags" "$T_TMP/canon.out" "5 services · 5 errors"
check "jaeger: three payment retries on the critical path" \
    test "$(grep -c '│●!      payment Charge  *2\.[78][0-9]s' "$T_TMP/canon.out")" -eq 3
check "jaeger: inventory off the critical path" grep -q '│        inventory Reserve  *20ms' "$T_TMP/canon.out"
check "jaeger: trace asked by id" grep -q "GET /api/traces/$CANON" "$T_TMP/j.log"

dash "$T_TMP/short.json" trace "a3ce929d0e0e4736"
snap "$T_TMP/short.out" "$U" "$T_TMP/short.json"
contains "jaeger: a 64-bit trace id works" "$T_TMP/short.out" "5 spans"

dash "$T_TMP/nf.json" trace "0123abcd"
snap "$T_TMP/nf.out" "$U" "$T_TMP/nf.json"
contains "jaeger 404: status" "$T_TMP/nf.out" "error (HTTP 404)"
contains "jaeger 404: envelope message" "$T_TMP/nf.out" "server: trace not found"

dash "$T_TMP/e500.json" trace 50050050050050050050050050050500
snap "$T_TMP/500.out" "$U" "$T_TMP/e500.json"
contains "jaeger 500: envelope message" "$T_TMP/500.out" "HTTP 500: failed to read from storage"

snap "$T_TMP/dead.out" "http://127.0.0.1:$(free_port)" "$T_TMP/canon.json"
check "jaeger dead server: connection error" grep -qiE "couldn't connect|connection refused|failed to connect" "$T_TMP/dead.out"

dash "$T_TMP/cyc.json" trace c0c0c0c0c0c0c0c0c0c0c0c0c0c0c001
snap "$T_TMP/cyc.out" "$U" "$T_TMP/cyc.json"
contains "jaeger cycle: repaired and marked" "$T_TMP/cyc.out" "2 cycles cut"

dash "$T_TMP/s.json" tracesearch "service=payment minDuration=2s"
snap "$T_TMP/s.out" "$U" "$T_TMP/s.json"
contains "jaeger search: slow payment traces" "$T_TMP/s.out" "6 traces"
check "jaeger search: canonical row" grep -q '02:17:42 4bf92f3577b34da.*frontend .*POST /checkout .*8.60s .*7 .*5' "$T_TMP/s.out"
check "jaeger search: service, duration and window (µs) sent" \
    grep -q 'GET /api/traces?service=payment&minDuration=2s&limit=20&start=1795651200000000&end=1795662000000000' "$T_TMP/j.log"

dash "$T_TMP/word.json" tracesearch "inventory"
snap "$T_TMP/word.out" "$U" "$T_TMP/word.json"
contains "jaeger search: a bare word is the service" "$T_TMP/word.out" "traces · newest first"

dash "$T_TMP/tag.json" tracesearch "service=payment http.status_code=503 limit=2"
snap "$T_TMP/tag.out" "$U" "$T_TMP/tag.json"
contains "jaeger tag search: results limited" "$T_TMP/tag.out" "2 traces"
check "jaeger tag search: tags as JSON" grep -q 'tags=%7B%22http.status_code%22%3A%22503%22%7D' "$T_TMP/j.log"

dash "$T_TMP/nosvc.json" tracesearch "minDuration=2s"
snap "$T_TMP/nosvc.out" "$U" "$T_TMP/nosvc.json"
contains "jaeger search without a service: says so" "$T_TMP/nosvc.out" "Jaeger searches need a service"
contains "jaeger search without a service: lists them" "$T_TMP/nosvc.out" "services: cart, frontend, inventory"
check "jaeger search without a service: asked /api/services" grep -q 'GET /api/services$' "$T_TMP/j.log"

# every snapshot exits 0 (under make asan: no sanitizer or leak report)
if [ -z "$BADRC" ]; then ok "every snapshot exited 0"; else
	not_ok "every snapshot exited 0" "failed:$BADRC" "$(for f in $BADRC; do head -c 1500 "$f.err"; done)"; fi
