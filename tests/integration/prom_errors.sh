#!/bin/sh
# prom_errors: what the real Prometheus says when things go wrong, shown
# on the panel verbatim: 400 bad_data (parse error), 422 execution
# (many-to-one), 503 timeout (the server-side timeout), and 401 from basic
# auth (--web.config.file with a bcrypt'd user); with the password read
# from a file the same panel shows data, and the password never appears
# in the output or the log.
. tests/lib.sh
. tests/prom.sh

if ! prom_start; then
	not_ok "prometheus starts over the fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi

cat > "$T_TMP/errors.json" <<J
{
  "title": "errors", "range": "1h",
  "sources": {
    "prom": { "type": "prometheus", "url": "$PROM_URL" },
    "slow": { "type": "prometheus", "url": "$PROM_URL", "query_timeout": "20ms" }
  },
  "panels": [
    { "type": "graph", "title": "parse", "source": "prom",
      "query": "sum(rate(istio_requests_total[5m])", "grid": { "x": 0, "y": 0, "w": 24, "h": 6 } },
    { "type": "graph", "title": "matching", "source": "prom",
      "query": "sum by (destination_service, response_code) (istio_requests_total) / on(destination_service) sum by (destination_service) (istio_requests_total)",
      "grid": { "x": 0, "y": 6, "w": 24, "h": 6 } },
    { "type": "stat", "title": "timeout", "source": "slow",
      "query": "max_over_time(sum(rate(istio_requests_total[1m]))[5h:250ms])",
      "grid": { "x": 0, "y": 12, "w": 24, "h": 6 } }
  ]
}
J
"$SCRY_BIN" --snapshot --color never --size 200x40 --at 2026-11-26T02:30:00Z "$T_TMP/errors.json" \
    > "$T_TMP/e.txt" 2>&1
contains "400 parse error shown with its HTTP status" "$T_TMP/e.txt" "error (HTTP 400)"
contains "400 parse error verbatim" "$T_TMP/e.txt" \
    'bad_data: 1:35: parse error: unclosed left parenthesis'
contains "422 shown with its HTTP status" "$T_TMP/e.txt" "error (HTTP 422)"
contains "422 execution error verbatim" "$T_TMP/e.txt" \
    "execution: multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
contains "503 timeout shown with its HTTP status" "$T_TMP/e.txt" "error (HTTP 503)"
contains "503 timeout verbatim" "$T_TMP/e.txt" "timeout: query timed out in expression evaluation"

# --- basic auth: a second server with a bcrypt'd user
prom_start --web.config.file="$SCRY_TOP/tests/fixtures/prom/web-basic-auth.yml" || {
	not_ok "prometheus with basic auth starts" "$(tail -5 "$PROM_LOG")"
	exit 0
}
AUTH_URL=$PROM_URL
printf 'incident-0217\n' > "$T_TMP/pw"
chmod 600 "$T_TMP/pw"
printf 'not-a-prometheus-token\n' > "$T_TMP/token"
chmod 600 "$T_TMP/token"
cat > "$T_TMP/auth.json" <<J
{
  "title": "auth", "range": "1h",
  "sources": {
    "anonymous": { "type": "prometheus", "url": "$AUTH_URL" },
    "bearer": { "type": "prometheus", "url": "$AUTH_URL", "token_file": "$T_TMP/token" },
    "sre": { "type": "prometheus", "url": "$AUTH_URL",
             "basic_auth": { "user": "sre", "password_file": "$T_TMP/pw" } }
  },
  "panels": [
    { "type": "graph", "title": "anonymous", "source": "anonymous", "query": "sum(envoy_cluster_upstream_cx_active)",
      "grid": { "x": 0, "y": 0, "w": 24, "h": 6 } },
    { "type": "graph", "title": "bearer", "source": "bearer", "query": "sum(envoy_cluster_upstream_cx_active)",
      "grid": { "x": 0, "y": 6, "w": 24, "h": 6 } },
    { "type": "graph", "title": "with password", "source": "sre", "query": "sum(envoy_cluster_upstream_cx_active)",
      "legend": "active", "grid": { "x": 0, "y": 12, "w": 24, "h": 8 } }
  ]
}
J
"$SCRY_BIN" --snapshot --color never --size 160x40 --at 2026-11-26T02:30:00Z --log "$T_TMP/scry.log" \
    --debug "$T_TMP/auth.json" > "$T_TMP/a.txt" 2>&1
if [ "$(grep -c 'error (HTTP 401)' "$T_TMP/a.txt")" = 2 ]; then
	ok "401 without credentials and with a bearer token"
else
	not_ok "401 without credentials and with a bearer token" "$(cat "$T_TMP/a.txt")"
fi
contains "401 body shown with a hint" "$T_TMP/a.txt" "Unauthorized (check the source's basic_auth"
contains "basic auth from a password file gets data" "$T_TMP/a.txt" "last 103"
lacks "the password is not in the output" "$T_TMP/a.txt" "incident-0217"
lacks "the password is not in the log" "$T_TMP/scry.log" "incident-0217"
lacks "the token is not in the log" "$T_TMP/scry.log" "not-a-prometheus-token"
