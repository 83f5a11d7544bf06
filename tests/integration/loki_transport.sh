#!/bin/sh
# Transport: metric LogQL as a graph, wss with a CA file, TLS verification
# off (badge), proxies from scry's own resolver for both libcurl and the
# websocket (http_proxy + no_proxy honoured, lws' own reading overridden),
# and a slow server that never freezes the screen.
. tests/lib.sh
. tests/servers/loki_env.sh

# --- metric LogQL: matrices drawn by a graph panel
loki_start --rate 10 --backlog 300
loki_dash "$T_TMP/metric.json" '' \
    '[ { "type": "graph", "title": "lines per app", "source": "loki", "legend": "{{app}}",
         "query": "sum by (app) (count_over_time({namespace=\"shop\"}[1m]))",
         "grid": { "x": 0, "y": 0, "w": 24, "h": 14 } } ]'
"$SCRY_BIN" --snapshot --size 100x16 --range 5m "$T_TMP/metric.json" >"$T_TMP/metric.out" 2>&1
contains "metric LogQL draws series" "$T_TMP/metric.out" "payment"
lacks "no error on the metric panel" "$T_TMP/metric.out" "error"
loki_stop

# --- wss with a CA file, and without one but insecure (badge)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=loki.test" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$T_TMP/key.pem" -out "$T_TMP/cert.pem" \
    >/dev/null 2>&1
LOKI_PORT=$(free_port)
bg python3 "$LOKI_PY" --port "$LOKI_PORT" --rate 10 --backlog 30 --tls "$T_TMP/cert.pem:$T_TMP/key.pem" \
    2>>"$T_TMP/loki-server.log"
LOKI_PID=$BG_PID
LOKI_URL=https://127.0.0.1:$LOKI_PORT
n=0
while ! curl -skf -o /dev/null "$LOKI_URL/ready" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
loki_dash "$T_TMP/tls.json" '"tls": { "ca_file": "'"$T_TMP/cert.pem"'" }, "tail_idle_timeout": "3s"' \
    '[ { "type": "logs", "title": "tls", "query": "{app=\"payment\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 12 } } ]'
tmux_start 120 20 "SCRY_LOG=$T_TMP/tls.log $SCRY_BIN $T_TMP/tls.json"
if screen_wait "TLS offload" 10; then ok "history over https with ca_file"; else
	not_ok "history over https with ca_file" "$(tmux_screen | tr '\n' '|')"; fi
opened=$(curl -sk "$LOKI_URL/ctl/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tails_opened"])')
sleep 2
opened=$(curl -sk "$LOKI_URL/ctl/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tails_opened"])')
check "the tail runs over wss with the CA file" test "$opened" -ge 1
lacks "no TLS error" "$T_TMP/tls.log" "SSL"
tmux_keys q
exit_wait 5 >/dev/null
tmux_stop
loki_dash "$T_TMP/insecure.json" '"tls": { "insecure": true }' \
    '[ { "type": "logs", "title": "tls", "query": "{app=\"payment\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 12 } } ]'
"$SCRY_BIN" --snapshot --size 100x14 "$T_TMP/insecure.json" >"$T_TMP/insecure.out" 2>&1
contains "insecure TLS works" "$T_TMP/insecure.out" "TLS offload"
contains "and the panel says INSECURE" "$T_TMP/insecure.out" "INSECURE"
loki_dash "$T_TMP/verify.json" '' \
    '[ { "type": "logs", "title": "tls", "query": "{app=\"payment\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 12 } } ]'
"$SCRY_BIN" --snapshot --size 100x14 "$T_TMP/verify.json" >"$T_TMP/verify.out" 2>&1
contains "an untrusted certificate is refused" "$T_TMP/verify.out" "certificate"
loki_stop

# --- proxies: one resolver for curl and the websocket
loki_start --rate 10 --backlog 30
PPORT=$(free_port)
bg python3 tests/servers/proxy.py --port "$PPORT" --count "$T_TMP/proxied"
sleep 0.3
loki_dash "$T_TMP/proxy.json" '' \
    '[ { "type": "logs", "title": "p", "query": "{app=\"order\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 12 } } ]'
# a proxy for everything: history and tail both go through it
tmux_start 120 20 "http_proxy=http://127.0.0.1:$PPORT no_proxy= NO_PROXY= $SCRY_BIN $T_TMP/proxy.json"
screen_wait "upstream connect error" 10
sleep 2
contains "history went through http_proxy" "$T_TMP/proxied" "GET http://127.0.0.1:$LOKI_PORT/loki/api/v1/query_range"
contains "the tail went through http_proxy too" "$T_TMP/proxied" "CONNECT 127.0.0.1:$LOKI_PORT"
tmux_keys q
exit_wait 5 >/dev/null
tmux_stop
# no_proxy exempts the host for both (lws alone would still use http_proxy)
: >"$T_TMP/proxied"
before=$(loki_stat tails_opened)
tmux_start 120 20 "http_proxy=http://127.0.0.1:$PPORT no_proxy=127.0.0.1 $SCRY_BIN $T_TMP/proxy.json"
screen_wait "upstream connect error" 10
sleep 2
check "no_proxy: direct tail" test "$(loki_stat tails_opened)" -gt "$before"
check "no_proxy: nothing went through the proxy" test ! -s "$T_TMP/proxied"
tmux_keys q
exit_wait 5 >/dev/null
tmux_stop
loki_stop

# --- a slow server: waiting shown, keys still answered at once
loki_start --rate 10 --backlog 30 --slow-queries 4
tmux_start 120 20 "$SCRY_BIN $T_TMP/proxy.json"
if screen_wait "waiting for data" 3; then ok "a slow query shows waiting"; else
	not_ok "a slow query shows waiting" "$(tmux_screen | tr '\n' '|')"; fi
tmux_keys '?'
if screen_wait "keys (j/k scroll" 1; then ok "keys answered while the query runs"; else
	not_ok "keys answered while the query runs" "$(tmux_screen | tr '\n' '|')"; fi
tmux_keys Escape
if screen_wait "upstream connect error" 8; then ok "the lines come when the server answers"; else
	not_ok "the lines come when the server answers" "$(tmux_screen | tr '\n' '|')"; fi
