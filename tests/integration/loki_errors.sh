#!/bin/sh
# Errors are shown verbatim: bad LogQL (400, plain text), missing tenant
# (401 "no org id"), a wrong token (401), too many tails (429 before the
# upgrade); tenant and token travel on the websocket upgrade too; a log
# query in a graph panel says what is wrong; nothing reaches stderr.
. tests/lib.sh
. tests/servers/loki_env.sh

loki_start --rate 10 --backlog 30 --tenant team-a --max-tails 1
echo "s3cr3t-t0ken-value" >"$T_TMP/token"
chmod 600 "$T_TMP/token"

snap() {	# snap DASH OUT [ENV...]: a snapshot of DASH into OUT
	d=$1 o=$2
	shift 2
	env "$@" "$SCRY_BIN" --snapshot --size 120x20 --timeout 8s "$d" >"$o" 2>"$o.err"
}

# 1. a LogQL syntax error: the server's text on the panel
loki_dash "$T_TMP/bad.json" '"tenant": "team-a"' \
    '[ { "type": "logs", "title": "bad", "query": "{app=\"order\"", "grid": { "x": 0, "y": 0, "w": 24, "h": 10 } } ]'
snap "$T_TMP/bad.json" "$T_TMP/bad.out"
contains "400 bad LogQL shown verbatim" "$T_TMP/bad.out" "parse error at line 1, col 13: syntax error"
contains "with its status" "$T_TMP/bad.out" "HTTP 400"

# 2. no tenant: 401 no org id
loki_dash "$T_TMP/notenant.json" '' \
    '[ { "type": "logs", "title": "x", "query": "{app=\"order\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 10 } } ]'
snap "$T_TMP/notenant.json" "$T_TMP/notenant.out"
contains "401 no org id shown" "$T_TMP/notenant.out" "no org id"

# 3. tenant ok: lines
loki_dash "$T_TMP/ok.json" '"tenant": "team-a"' \
    '[ { "type": "logs", "title": "x", "query": "{app=\"order\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 10 } } ]'
snap "$T_TMP/ok.json" "$T_TMP/ok.out"
contains "with the tenant header the lines come" "$T_TMP/ok.out" "upstream connect error"
check "nothing on stderr" test ! -s "$T_TMP/ok.out.err"

# 4. a token from SCRY_LOKI_TOKEN_FILE, never on argv; wrong token: 401
loki_stop
loki_start --rate 10 --backlog 30 --token s3cr3t-t0ken-value --max-tails 1
loki_dash "$T_TMP/tok.json" '' \
    '[ { "type": "logs", "title": "x", "query": "{app=\"order\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 10 } } ]'
snap "$T_TMP/tok.json" "$T_TMP/notok.out"
contains "without the token: 401" "$T_TMP/notok.out" "unauthorized"
snap "$T_TMP/tok.json" "$T_TMP/tok.out" SCRY_LOKI_TOKEN_FILE="$T_TMP/token"
contains "with SCRY_LOKI_TOKEN_FILE the lines come" "$T_TMP/tok.out" "upstream connect error"
lacks "the token never shows" "$T_TMP/tok.out" "s3cr3t"

# 5. the tail carries the token and the tenant on the upgrade; a second
# tail is refused with 429 before the upgrade and the panel says so
loki_stop
loki_start --rate 10 --backlog 30 --tenant team-a --token s3cr3t-t0ken-value --max-tails 1
loki_dash "$T_TMP/two.json" '"tenant": "team-a", "token_file": "'"$T_TMP/token"'"' \
    '[ { "type": "logs", "title": "one", "query": "{app=\"order\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 10 } },
       { "type": "logs", "title": "two", "query": "{app=\"payment\"}", "grid": { "x": 0, "y": 10, "w": 24, "h": 10 } } ]'
tmux_start 120 30 "SCRY_LOG=$T_TMP/scry.log $SCRY_BIN $T_TMP/two.json 2>$T_TMP/tui.err"
if screen_wait "HTTP 429: max concurrent tail requests limit exceeded" 10; then
	ok "429 before the upgrade is fetched and shown verbatim"
else
	not_ok "429 before the upgrade is fetched and shown verbatim" "$(tmux_screen | tr '\n' '|')"
fi
check "one tail was accepted with tenant and token on the upgrade" test "$(loki_stat tails_opened)" -ge 1
check "a tail was refused" test "$(loki_stat tails_refused)" -ge 1
tmux_keys q
exit_wait 5 >/dev/null
check "nothing on stderr from the terminal run" test ! -s "$T_TMP/tui.err"
lacks "the token is not in scry's log" "$T_TMP/scry.log" "s3cr3t"

# 6. a log query where a graph wants series
loki_dash "$T_TMP/graph.json" '"tenant": "team-a", "token_file": "'"$T_TMP/token"'"' \
    '[ { "type": "graph", "title": "g", "source": "loki", "query": "{app=\"order\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 10 } } ]'
snap "$T_TMP/graph.json" "$T_TMP/graph.out"
contains "a log query in a graph panel is explained" "$T_TMP/graph.out" "log query cannot be drawn here"

# 7. a query without lines is not an error
loki_dash "$T_TMP/empty.json" '"tenant": "team-a", "token_file": "'"$T_TMP/token"'"' \
    '[ { "type": "logs", "title": "quiet", "query": "{app=\"nothing-here\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 10 } } ]'
snap "$T_TMP/empty.json" "$T_TMP/empty.out"
contains "an empty answer says so" "$T_TMP/empty.out" "no data in this window"
lacks "and is no error" "$T_TMP/empty.out" "error"
