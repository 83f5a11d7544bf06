# loki_env.sh: start and drive tests/servers/loki.py from shell tests
# (sourced after tests/lib.sh).
LOKI_PY=${SCRY_TOP:-.}/tests/servers/loki.py

# loki_start [ARGS...]: start a server on a free port (LOKI_PORT, LOKI_URL,
# LOKI_PID); extra arguments go to loki.py.  Waits until it is ready.
loki_start() {
	LOKI_PORT=${LOKI_PORT:-$(free_port)}
	bg python3 "$LOKI_PY" --port "$LOKI_PORT" "$@" 2>>"$T_TMP/loki-server.log"
	LOKI_PID=$BG_PID
	LOKI_URL=http://127.0.0.1:$LOKI_PORT
	wait_http "$LOKI_URL/ready" 10
}

# loki_stop: stop the server started last (by its PID).
loki_stop() {
	kill "$LOKI_PID" 2>/dev/null
	wait "$LOKI_PID" 2>/dev/null
}

# loki_ctl WHAT [QUERY]: a disruption or control request; prints the JSON.
loki_ctl() {
	curl -s -X POST "$LOKI_URL/ctl/$1${2:+?$2}"
}

# loki_stat FIELD: one number from /ctl/stats.
loki_stat() {
	curl -s "$LOKI_URL/ctl/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"
}

# loki_dash FILE SOURCE_EXTRA PANELS_JSON: write a dashboard with a loki
# source (SOURCE_EXTRA: extra JSON members, may be empty).
loki_dash() {
	cat >"$1" <<EOD
{ "title": "loki test", "range": "15m", "refresh": "2s",
  "sources": { "loki": { "type": "loki", "url": "$LOKI_URL"${2:+, $2} } },
  "panels": $3 }
EOD
}

# tmux_stop: end the private tmux server of this script and wait for it.
tmux_stop() {
	[ -n "${T_TMUX:-}" ] || return 0
	tmux -L "$T_TMUX" kill-server 2>/dev/null
	n=0
	while tmux -L "$T_TMUX" has-session 2>/dev/null && [ $n -lt 50 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	rm -f "$T_TMP/exit"
}
