#!/bin/sh
# exemplar_pivot: the whole path in tmux against real backends and the
# documented test servers: Debian's Prometheus (exemplar storage, scraping
# tests/servers/exemplar_target.py) over the seed-incident TSDB, the Tempo
# and Jaeger test servers, the Loki test server with the canonical trace's
# lines at 02:17:42.
#   graph spike -> exemplar (e, < >) -> Enter Enter -> waterfall -> span
#   -> l logs -> Esc Esc -> the zoomed graph, same cursor and window
# then a hostile exemplar, a log line -> waterfall above the lens (Tempo;
# then only Jaeger; then no trace source: the lens), L, and the sizes
# 80x24 without colour (ASCII) and 200x60.
. tests/lib.sh
. tests/prom.sh

CANON=4bf92f3577b34da6a3ce929d0e0e4736
TP=$(free_port)
bg python3 tests/servers/exemplar_target.py --port "$TP" --hostile
wait_http "http://127.0.0.1:$TP/ready" || not_ok "the exemplar target starts"
PROM_SCRAPE=127.0.0.1:$TP
if ! prom_start --enable-feature=exemplar-storage; then
	not_ok "prometheus starts with exemplar storage" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
TEMPO=$(free_port)
bg python3 tests/servers/tempo.py --port "$TEMPO"
JAEGER=$(free_port)
bg python3 tests/servers/jaeger.py --port "$JAEGER"
# one line every 2 s; line 126 (the canonical trace's order line) at 02:17:42
LOKI=$(free_port)
bg python3 tests/servers/loki.py --port "$LOKI" --rate 0.5 --backlog 0 \
    --t0 "$(( (1795659462 - 252) * 1000000000 ))" 2>>"$T_TMP/loki.log"
wait_http "http://127.0.0.1:$TEMPO/ready" || not_ok "tempo server starts"
wait_http "http://127.0.0.1:$JAEGER/api/services" || not_ok "jaeger server starts"
wait_http "http://127.0.0.1:$LOKI/ready" || not_ok "loki server starts"
# the first scrape comes ~5 s after Prometheus starts
n=0
until curl -s -G "$PROM_URL/api/v1/query_exemplars" --data-urlencode "query=istio_request_duration_milliseconds_bucket" \
    --data-urlencode start=2026-11-26T02:00:00Z --data-urlencode end=2026-11-26T03:00:00Z | grep -q "$CANON" ||
    [ $n -ge 80 ]; do
	n=$((n + 1))
	sleep 0.25
done

dash() {	# dash FILE TRACE_SOURCES_JSON
	cat >"$1" <<EOF
{ "title": "Exemplars", "range": "1h",
  "sources": { "prom": { "type": "prometheus", "url": "$PROM_URL" },
    "loki": { "type": "loki", "url": "http://127.0.0.1:$LOKI" }$2 },
  "panels": [
    { "type": "graph", "title": "P99 order", "unit": "ms", "legend": "order",
      "query": "histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\",destination_service_name=\"order\"}[\$__rate_interval])))",
      "grid": { "x": 0, "y": 0, "w": 12, "h": 12 } },
    { "type": "graph", "title": "P99 payment", "unit": "ms", "legend": "payment",
      "query": "histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\",destination_service_name=\"payment\"}[\$__rate_interval])))",
      "grid": { "x": 12, "y": 0, "w": 12, "h": 12 } },
    { "type": "logs", "title": "shop logs", "query": "{namespace=\"shop\"}",
      "grid": { "x": 0, "y": 12, "w": 24, "h": 10 } } ] }
EOF
}
dash "$T_TMP/tempo.json" ", \"tempo\": { \"type\": \"tempo\", \"url\": \"http://127.0.0.1:$TEMPO\" }"
dash "$T_TMP/jaeger.json" ", \"jaeger\": { \"type\": \"jaeger\", \"url\": \"http://127.0.0.1:$JAEGER\" }"
dash "$T_TMP/none.json" ""

step() {	# step NAME TEXT [SECONDS]: wait for TEXT on screen
	if screen_wait "$2" "${3:-5}"; then ok "$1"; else
		not_ok "$1" "expected '$2' on screen:" "$(tmux_screen)"; fi
}
gone() {	# gone NAME TEXT: TEXT must leave the screen
	n=0
	while tmux_screen | grep -qF -- "$2" && [ $n -lt 60 ]; do
		n=$((n + 1))
		sleep 0.05
	done
	if tmux_screen | grep -qF -- "$2"; then not_ok "$1" "still on screen: '$2'" "$(tmux_screen)"; else
		ok "$1"; fi
}
esc() {	# a lone Esc (not the start of an Alt-key)
	tmux_keys Escape
	sleep 0.15
}
quit() {
	tmux_keys q
	if exit_wait 5 | grep -q "EXIT=0"; then ok "$1"; else not_ok "$1" "$(tmux_screen)"; fi
	tmux_stop
}
STATUS() { tmux_screen | tail -1; }
# status_has A [B]: wait (messages show for 6 s) until the status bar has A and B
status_has() {
	n=0
	until STATUS | grep -qF -- "$1" && STATUS | grep -qF -- "${2:-$1}" || [ $n -ge 100 ]; do
		n=$((n + 1))
		sleep 0.1
	done
	STATUS | grep -qF -- "$1" && STATUS | grep -qF -- "${2:-$1}"
}

# --- graph spike -> exemplar -> waterfall -> span -> logs -> back ---------
tmux_start 120 40 "$SCRY_BIN --utc --at 2026-11-26T02:30:00Z $T_TMP/tempo.json"
step "the P99 graph draws the spike" "8.40 s" 10
step "exemplar markers on the graph" "◇" 10
tmux_keys e e e e e e
step "e walks the exemplars: the sixth healthy one (115 ms)" "115 ms"
tmux_keys e
step "... the seventh is the failing request" "$CANON · 8.41 s"
step "the cursor is on it" "cursor 02:17:50"
tmux_keys '>'
step "> moves the cursor onto the next failing request" "f52c007842eede31f0413c6c8440d5db · 8.41 s"
tmux_keys '<'
step "< comes back to the canonical one" "$CANON · 8.41 s"
tmux_keys Enter
step "Enter zooms the graph: the label says Enter opens it" "· 7/11 · Enter: open"
tmux_keys Enter
step "Enter opens the exemplar's trace" "trace $CANON"
step "the waterfall draws" "payment Charge"
step "the pivot is on the stack" "exemplar · Esc back"
tmux_keys j j
tmux_keys l
step "l on order PlaceOrder: the service's logs for the trace" "logs · order · trace $CANON" 8
step "the order line of the trace is there" "02:17:42.000 ERR order-6b7d9c5f8-x2k4p" 8
if status_has "cursor 02:17:42" "02:18:50Z, 2m8s window"; then ok "the logs have the span's window"; else
	not_ok "the logs have the span's window" "$(STATUS)"; fi
esc
step "Esc: back in the waterfall" "exemplar · Esc back"
gone "the logs are gone" "logs · order"
tmux_keys m
step "m: the RED graphs of order around the span" "RED · order around 02:17:42" 8
step "m: the rate from the real Prometheus (30 req/s)" "30.0 req/s" 8
step "m: the P99 graph has the exemplars, the span's own selected" "$CANON · 8.41 s" 8
esc
step "Esc: back in the waterfall again" "exemplar · Esc back"
esc
step "Esc: back in the zoomed graph" "Enter: open"
gone "no pivot left" "Esc back"
if status_has "2026-11-26 02:30:00Z, 1h window" "cursor 02:17:50"; then
	ok "the same window and cursor as before the pivot"; else
	not_ok "the same window and cursor as before the pivot" "$(STATUS)"; fi
if tmux_screen | grep -qF "$CANON · 8.41 s · 02:17:50 · 7/11"; then ok "the same exemplar selected"; else
	not_ok "the same exemplar selected" "$(tmux_screen)"; fi
esc
gone "Esc leaves the zoom" "Enter: open"
if status_has "cursor 02:17:50"; then ok "the cursor stays on the exemplar"; else
	not_ok "the cursor stays on the exemplar" "$(STATUS)"; fi

# --- a hostile exemplar label: visible escapes, refused as a trace id --------
tmux_keys l	# focus: P99 payment
tmux_keys e e e
step "the hostile exemplar's label is drawn with its escapes visible" "^[[31mnot-a-trace^[]0;owned^G"
tmux_keys Enter Enter
step "Enter on it: not a trace id" "not a trace id"
if tmux_pane '#{pane_title}' | grep -q owned; then not_ok "the terminal title is untouched" "$(tmux_pane '#{pane_title}')"; else
	ok "the terminal title is untouched"; fi
esc
esc	# and the cursor

# --- a log line with a trace id -> the waterfall above the lens (Tempo) -----
tmux_keys j Enter
step "the logs pane zoomed" "shop logs"
step "... its lines loaded" "seq=000" 10
tmux_keys / "$CANON" Enter
step "search finds the canonical trace's newest line" "seq=00000128"
tmux_keys Enter
step "Enter: the waterfall of the line's trace" "trace $CANON" 8
step "... drawn from Tempo" "order PlaceOrder" 8
step "... above the lens" "logs with trace $CANON"
step "the lens has the order line" "02:17:42.000 ERR order-6b7d9c5f8-x2k4p" 8
step "... the frontend line" "02:17:44.000 ERR frontend-"
step "... and the payment line" "02:17:46.000 WRN payment-"
if status_has "cursor 02:17:46"; then ok "the cursor is on the line"; else
	not_ok "the cursor is on the line" "$(STATUS)"; fi
step "the way back" "trace of the log line · Esc back"
tmux_keys Tab
step "Tab gives the keys to the lens" "Tab: waterfall"
tmux_keys Tab
step "Tab again to the waterfall" "Tab: logs"
tmux_keys j j l
step "l from a span of the split view" "logs · order · trace $CANON" 8
esc
step "Esc: the split view again" "logs with trace $CANON"
esc
gone "Esc: back to the pane" "logs with trace"
if STATUS | grep -qF "cursor "; then not_ok "the cursor is as it was (none)" "$(STATUS)"; else
	ok "the cursor is as it was (none)"; fi
tmux_keys L
step "L: the lens alone" "trace lens" 8
gone "no waterfall in the lens" "logs with trace"
esc
quit "q quits (Tempo)"

# --- only Jaeger configured ------------------------------------------------
tmux_start 120 40 "$SCRY_BIN --utc --at 2026-11-26T02:30:00Z $T_TMP/jaeger.json"
step "jaeger: dashboard up" "shop logs" 10
tmux_keys j j Enter
step "jaeger: the log lines loaded (searching before would find nothing)" "seq=000" 10
tmux_keys / "$CANON" Enter
step "jaeger: the line found" "seq=00000128" 8
tmux_keys Enter
step "jaeger: Enter opens the waterfall" "trace $CANON" 8
step "jaeger: drawn from Jaeger" "payment Charge" 8
step "jaeger: above the lens" "logs with trace $CANON"
esc
gone "jaeger: Esc back" "logs with trace"
esc	# the search
esc	# out of the zoom
gone "jaeger: out of the zoom" "/$CANON"
tmux_keys k k	# the order graph
tmux_keys e e e e e e e Enter Enter
step "jaeger: an exemplar opens its trace too" "exemplar · Esc back" 8
step "jaeger: ... the waterfall" "order PlaceOrder" 8
quit "q quits (Jaeger)"

# --- no trace source: the lens, and a clear message on an exemplar ----------
tmux_start 120 40 "$SCRY_BIN --utc --at 2026-11-26T02:30:00Z $T_TMP/none.json"
step "no trace source: markers still drawn" "◇" 10
tmux_keys e e e e e e e Enter Enter
step "Enter on an exemplar says what is missing" "no trace source: start scry with -t TEMPO_URL or --jaeger URL"
esc
esc
tmux_keys j j Enter
tmux_keys / "$CANON" Enter
step "no trace source: the line found" "seq=00000128" 8
tmux_keys Enter
step "Enter on the line opens the trace lens" "trace lens" 8
gone "... without a waterfall" "logs with trace"
quit "q quits (no trace source)"

# --- 80x24 without colour, ASCII glyphs; 200x60 ------------------------------
tmux_start 80 24 "NO_COLOR=1 $SCRY_BIN --utc --glyphs ascii --at 2026-11-26T02:30:00Z $T_TMP/tempo.json"
step "80x24: the graph draws" "P99 order" 10
n=0
until tmux_screen | sed -n '2,10p' | grep -q 'o' || [ $n -ge 60 ]; do n=$((n + 1)); sleep 0.1; done
if tmux_screen | grep -q '◇'; then not_ok "80x24 ascii: no diamonds" "$(tmux_screen)"; else
	ok "80x24 ascii: no diamonds"; fi
tmux_keys e e e e e e e
step "80x24: the label keeps the value" "8.41 s"
if tmux_screen | grep -q '@'; then ok "80x24 ascii: the selected marker is '@'"; else
	not_ok "80x24 ascii: the selected marker is '@'" "$(tmux_screen)"; fi
if tmux_screen | python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in sys.stdin))'; then
	ok "80x24: nothing drawn past the edge"; else not_ok "80x24: nothing drawn past the edge" "$(tmux_screen)"; fi
tmux_resize 200 60
step "200x60: the full label (ASCII separators)" "trace $CANON - 8.41 s - 02:17:50 - 7/11"
tmux_keys Enter Enter
step "200x60: the waterfall" "payment Charge" 8
esc
step "200x60: back on the zoomed graph" "Enter: open"
quit "q quits (sizes)"
prom_stop
