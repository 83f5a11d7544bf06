#!/bin/sh
# trace_tempo: the real scry binary against the Tempo test server
# (tests/servers/tempo.py): the waterfall of the story's failing request,
# v2 -> v1 fallback, the legacy span container, trimmed ids, not found /
# too large / server errors / a dead server / a 100 MB answer, malformed
# traces, hostile text, tenant and token, and the search table.
. tests/lib.sh

SRV=tests/servers/tempo.py
CANON=4bf92f3577b34da6a3ce929d0e0e4736

start_tempo() {	# start_tempo NAME ARGS...: sets PORT_<NAME>
	name=$1
	shift
	p=$(free_port)
	bg python3 $SRV --port "$p" --log "$T_TMP/$name.log" "$@"
	wait_http "http://127.0.0.1:$p/ready" || not_ok "tempo $name server starts"
	eval "PORT_$name=$p"
}

# dash FILE TYPE QUERY [SOURCE-EXTRA]: a one-panel dashboard
dash() {
	cat >"$1" <<EOF
{ "title": "t", "range": "3h",
  "sources": { "tempo": { "type": "tempo" ${4:-} } },
  "panels": [ { "type": "$2", "title": "p", "query": "$3",
                "grid": { "x": 0, "y": 0, "w": 24, "h": 20 } } ] }
EOF
}

BADRC=""
snap() {	# snap OUT URL DASH [SIZE]
	"$SCRY_BIN" --snapshot --size "${4:-120x24}" --timeout 20s --at 2026-11-26T03:00:00Z \
	    -t "$2" "$3" >"$1" 2>"$1.err" || BADRC="$BADRC $1"
}

start_tempo v2
start_tempo v1 --flavor v1
start_tempo legacy --flavor legacy
U2=http://127.0.0.1:$PORT_v2

# --- the canonical waterfall ---------------------------------------------
dash "$T_TMP/canon.json" trace "$CANON"
snap "$T_TMP/canon.out" "$U2" "$T_TMP/canon.json"
contains "tempo: root of the failing request" "$T_TMP/canon.out" "frontend POST /checkout  8.60s  7 spans"
contains "tempo: services and errors counted" "$T_TMP/canon.out" "5 services · 5 errors"
contains "tempo: order PlaceOrder 8.41s" "$T_TMP/canon.out" "order PlaceOrder"
check "tempo: three payment retries of ~2.8s" test "$(grep -c 'payment Charge .*2\.[78][0-9]s' "$T_TMP/canon.out")" -eq 3
check "tempo: retries are error spans on the critical path" \
    test "$(grep -c '│●!      payment Charge' "$T_TMP/canon.out")" -eq 3
contains "tempo: inventory Reserve 20ms" "$T_TMP/canon.out" "inventory Reserve"
check "tempo: inventory (beside the first retry) is off the critical path" \
    grep -q '│        inventory Reserve  *20ms' "$T_TMP/canon.out"
check "tempo: order is indented under frontend" grep -q '│●!  ▾ order PlaceOrder' "$T_TMP/canon.out"
check "tempo: time axis in seconds" grep -q '│0s .*│2s .*│4s .*│6s .*│8s' "$T_TMP/canon.out"
check "tempo: critical segments drawn as blocks" grep -q 'payment Charge .*█████' "$T_TMP/canon.out"
check "tempo: v2 path asked first" grep -q "GET /api/v2/traces/$CANON - -" "$T_TMP/v2.log"
lacks "tempo: no v1 request when v2 answers" "$T_TMP/v2.log" "GET /api/traces/$CANON"

# --- v1 server: fall back once, same picture ------------------------------
snap "$T_TMP/v1.out" "http://127.0.0.1:$PORT_v1" "$T_TMP/canon.json"
contains "tempo v1: fallback draws the trace" "$T_TMP/v1.out" "frontend POST /checkout  8.60s  7 spans"
check "tempo v1: asked v2, got 'page not found', then v1" sh -c \
    "grep -q 'GET /api/v2/traces/$CANON' '$T_TMP/v1.log' && grep -q 'GET /api/traces/$CANON' '$T_TMP/v1.log'"
snap "$T_TMP/legacy.out" "http://127.0.0.1:$PORT_legacy" "$T_TMP/canon.json"
contains "tempo legacy: instrumentationLibrarySpans read" "$T_TMP/legacy.out" "5 services · 5 errors"
check "tempo legacy: same rows" test "$(grep -c 'payment Charge' "$T_TMP/legacy.out")" -eq 3

# --- "api": "v1" forced: no v2 request --------------------------------------
: >"$T_TMP/v2.log"
dash "$T_TMP/forcev1.json" trace "$CANON" ', "api": "v1"'
snap "$T_TMP/forcev1.out" "$U2" "$T_TMP/forcev1.json"
contains "tempo api v1: trace drawn" "$T_TMP/forcev1.out" "7 spans"
lacks "tempo api v1: v2 never asked" "$T_TMP/v2.log" "/api/v2/"

# --- trimmed / short ids -----------------------------------------------------
dash "$T_TMP/short.json" trace "A3CE929D0E0E4736"
snap "$T_TMP/short.out" "$U2" "$T_TMP/short.json"
contains "tempo: a 16-digit id is padded and found" "$T_TMP/short.out" "frontend POST /checkout  172ms  5 spans"
check "tempo: padded id requested" grep -q "GET /api/v2/traces/0000000000000000a3ce929d0e0e4736" "$T_TMP/v2.log"

# --- errors ------------------------------------------------------------------
dash "$T_TMP/nf.json" trace "0123abcd"
snap "$T_TMP/nf.out" "$U2" "$T_TMP/nf.json"
contains "tempo 404: HTTP status shown" "$T_TMP/nf.out" "error (HTTP 404)"
contains "tempo 404: says not found" "$T_TMP/nf.out" "trace 000000000000000000000000"
contains "tempo 404: and why" "$T_TMP/nf.out" "not found: Tempo holds no trace"

dash "$T_TMP/big422.json" trace 42242242242242242242242242242422 ', "api": "v1"'
snap "$T_TMP/422.out" "$U2" "$T_TMP/big422.json"
contains "tempo 422: HTTP status shown" "$T_TMP/422.out" "error (HTTP 422)"
contains "tempo 422: too large, what to do" "$T_TMP/422.out" "is too large for Tempo to return"
dash "$T_TMP/big422v2.json" trace 42242242242242242242242242242422
snap "$T_TMP/partial.out" "$U2" "$T_TMP/big422v2.json"
contains "tempo v2 partial: trace drawn and marked" "$T_TMP/partial.out" "PARTIAL"
contains "tempo v2 partial: spans shown" "$T_TMP/partial.out" "payment Charge"

dash "$T_TMP/e500.json" trace 50050050050050050050050050050500
snap "$T_TMP/500.out" "$U2" "$T_TMP/e500.json"
contains "tempo 500: status" "$T_TMP/500.out" "error (HTTP 500)"
contains "tempo 500: backend message" "$T_TMP/500.out" "querier unavailable"

dash "$T_TMP/bad.json" trace "not-a-trace-id"
snap "$T_TMP/bad.out" "$U2" "$T_TMP/bad.json"
contains "tempo: a malformed id is refused before asking" "$T_TMP/bad.out" "not a trace id"

DEAD=$(free_port)
snap "$T_TMP/dead.out" "http://127.0.0.1:$DEAD" "$T_TMP/canon.json"
check "tempo dead server: connection error shown" grep -qiE "couldn't connect|connection refused|failed to connect" "$T_TMP/dead.out"

dash "$T_TMP/huge.json" trace deadbeefdeadbeefdeadbeef00000100
start=$(date +%s)
snap "$T_TMP/huge.out" "$U2" "$T_TMP/huge.json"
end=$(date +%s)
contains "tempo 100 MB answer: capped with a clear error" "$T_TMP/huge.out" "response larger than 32 MiB"
lacks "tempo 100 MB answer: not reported as an HTTP status" "$T_TMP/huge.out" "HTTP 200"
check "tempo 100 MB answer: aborted early (< 15 s)" test $((end - start)) -lt 15
dash "$T_TMP/hugecap.json" trace deadbeefdeadbeefdeadbeef00000100 ', "max_bytes": 4194304'
snap "$T_TMP/hugecap.out" "$U2" "$T_TMP/hugecap.json"
contains "tempo max_bytes honoured" "$T_TMP/hugecap.out" "response larger than 4 MiB"

# --- malformed traces --------------------------------------------------------
dash "$T_TMP/cycle.json" trace c0c0c0c0c0c0c0c0c0c0c0c0c0c0c001
snap "$T_TMP/cycle.out" "$U2" "$T_TMP/cycle.json"
contains "tempo cycle: marked in the header" "$T_TMP/cycle.out" "2 cycles cut"
check "tempo cycle: every span shown once" test "$(grep -cE '^│[●* ][!? ] *[▾▸]? *(frontend|cart) ' "$T_TMP/cycle.out")" -eq 6
check "tempo cycle: cut spans marked '?'" test "$(grep -cE '│.\?.*(loop-a|self-parent)' "$T_TMP/cycle.out")" -eq 2

dash "$T_TMP/orph.json" trace 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0002
snap "$T_TMP/orph.out" "$U2" "$T_TMP/orph.json"
contains "tempo orphan: counted" "$T_TMP/orph.out" "1 orphan"
check "tempo orphan: shown at the root level" grep -qE '│ ![▾ ] payment Refund' "$T_TMP/orph.out"
check "tempo orphan: keeps its child" grep -qE '^│      payment LedgerWrite' "$T_TMP/orph.out"

dash "$T_TMP/dup.json" trace d0d0d0d0d0d0d0d0d0d0d0d0d0d0d003
snap "$T_TMP/dup.out" "$U2" "$T_TMP/dup.json"
contains "tempo duplicate ids: counted" "$T_TMP/dup.out" "2 duplicate ids"
check "tempo duplicate ids: both copies shown" test "$(grep -c 'order ListOrders' "$T_TMP/dup.out")" -eq 2

dash "$T_TMP/out.json" trace e0e0e0e0e0e0e0e0e0e0e0e0e0e0e004
snap "$T_TMP/out.out" "$U2" "$T_TMP/out.json"
contains "tempo outside window: counted" "$T_TMP/out.out" "2 outside window"
check "tempo outside window: clipped with arrows" grep -qE 'epoch-zero .*◂' "$T_TMP/out.out"
check "tempo outside window: far future arrow" grep -qE 'far-future .*▸' "$T_TMP/out.out"
check "tempo negative duration: shown as sent" grep -qE 'negative +-10ms' "$T_TMP/out.out"
check "tempo outside window: axis stays on the real trace" grep -q '│0ms' "$T_TMP/out.out"

dash "$T_TMP/host.json" trace e5c0e5c0e5c0e5c0e5c0e5c0e5c0e005
"$SCRY_BIN" --snapshot --color always --size 120x12 -t "$U2" "$T_TMP/host.json" >"$T_TMP/host.ansi" 2>&1
snap "$T_TMP/host.out" "$U2" "$T_TMP/host.json"
contains "tempo hostile text: escapes made visible" "$T_TMP/host.out" "^["
check "tempo hostile text: no raw OSC/clear in colour output" sh -c \
    "! grep -aq \"\$(printf '\\033]0;')\" '$T_TMP/host.ansi' && ! grep -aq \"\$(printf '\\033\\[2J')\" '$T_TMP/host.ansi'"
contains "tempo hostile text: bidi override shown" "$T_TMP/host.out" "<U+202E>"

# --- tenant and token ----------------------------------------------------------
printf 's3cr3t-token\n' >"$T_TMP/token"
chmod 600 "$T_TMP/token"
start_tempo auth --tenant shop --token-file "$T_TMP/token"
dash "$T_TMP/auth.json" trace "$CANON" ', "tenant": "shop"'
SCRY_TEMPO_TOKEN_FILE="$T_TMP/token" snap "$T_TMP/auth.out" "http://127.0.0.1:$PORT_auth" "$T_TMP/auth.json"
contains "tempo tenant+token: trace drawn" "$T_TMP/auth.out" "7 spans"
check "tempo tenant header and bearer sent" grep -q "GET /api/v2/traces/$CANON shop bearer" "$T_TMP/auth.log"
lacks "tempo token never in the output" "$T_TMP/auth.out" "s3cr3t-token"
snap "$T_TMP/noauth.out" "http://127.0.0.1:$PORT_auth" "$T_TMP/auth.json"
contains "tempo without token: 401 shown" "$T_TMP/noauth.out" "error (HTTP 401)"

# --- search ------------------------------------------------------------------
cp tests/fixtures/trace/search.json "$T_TMP/search.json"
snap "$T_TMP/search.out" "$U2" "$T_TMP/search.json"
contains "tempo search: count" "$T_TMP/search.out" "6 traces · newest first"
check "tempo search: the canonical trace listed" grep -q '02:17:42 4bf92f3577b34da.*frontend .*POST /checkout .*8.60s .*7 .*5' "$T_TMP/search.out"
check "tempo search: TraceQL sent as q" grep -q 'GET /api/search?q=%7B%20resource.service.name%20%3D%20%22payment%22' "$T_TMP/v2.log"
check "tempo search: window sent in seconds" grep -q 'start=1795651200&end=1795662000' "$T_TMP/v2.log"

dash "$T_TMP/all.json" tracesearch ""
snap "$T_TMP/all.out" "$U2" "$T_TMP/all.json" 140x30
check "tempo search: trimmed 64-bit id shown as 16 digits" grep -q '│!\{0,1\} *[0-9:]* a3ce929d0e0e4736 ' "$T_TMP/all.out"
contains "tempo search: healthy traces listed" "$T_TMP/all.out" "172ms"

dash "$T_TMP/tags.json" tracesearch "service.name=payment minDuration=2s limit=3"
snap "$T_TMP/tags.out" "$U2" "$T_TMP/tags.json"
contains "tempo tag search: limit honoured" "$T_TMP/tags.out" "3 traces"
check "tempo tag search: tags and minDuration sent" grep -q 'GET /api/search?minDuration=2s&tags=service.name%3Dpayment&limit=3' "$T_TMP/v2.log"

dash "$T_TMP/badq.json" tracesearch "{ nonsense }"
snap "$T_TMP/badq.out" "$U2" "$T_TMP/badq.json"
contains "tempo bad TraceQL: HTTP 400" "$T_TMP/badq.out" "error (HTTP 400)"
contains "tempo bad TraceQL: parser message" "$T_TMP/badq.out" "invalid TraceQL query"

# --- --check knows the trace sources' options -----------------------------------
cat >"$T_TMP/chk.json" <<'EOF'
{ "title": "c", "sources": { "tempo": { "type": "tempo", "url": "http://x", "api": "v3",
  "trace_to_logs": { "labels": { "app": 5 }, "shift": "1m" },
  "trace_to_metrics": { "queries": [ { "title": "rate" } ] }, "bogus": 1 } },
  "panels": [ { "type": "trace", "grid": { "x": 0, "y": 0, "w": 24, "h": 4 } } ] }
EOF
"$SCRY_BIN" --check "$T_TMP/chk.json" >"$T_TMP/chk.out" 2>&1
rc=$?
check "check: bad trace source options fail" test $rc -eq 1
contains "check: api value" "$T_TMP/chk.out" 'api: expected "auto", "v1" or "v2"'
contains "check: label mapping type" "$T_TMP/chk.out" "labels.app: expected the name"
contains "check: metric query needs a query" "$T_TMP/chk.out" "trace_to_metrics.queries[0]"
contains "check: unknown key" "$T_TMP/chk.out" "bogus"
contains "check: trace panel needs a trace id" "$T_TMP/chk.out" "a trace panel needs"

# every snapshot exits 0 (under make asan: no sanitizer or leak report)
if [ -z "$BADRC" ]; then ok "every snapshot exited 0"; else
	not_ok "every snapshot exited 0" "failed:$BADRC" "$(for f in $BADRC; do head -c 1500 "$f.err"; done)"; fi
