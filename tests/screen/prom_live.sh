#!/bin/sh
# prom_live: live mode against a test server in a real terminal (tmux):
# a backend that stops answering leaves the last data on screen with a
# "stale Ns" badge and the error, while keys still answer at once; a slow
# query is never asked twice at the same time; Retry-After is honoured;
# a refused connection recovers by itself when the server comes up.
. tests/lib.sh

PORT=$(free_port)
bg python3 tests/servers/prom_misbehave.py "$PORT" --log "$T_TMP/server.log" > "$T_TMP/server.out" 2>&1
wait_http "http://127.0.0.1:$PORT/ok/api/v1/status/buildinfo" 10 || { not_ok "test server starts"; exit 0; }
B=http://127.0.0.1:$PORT
LATE=$(free_port)
cat > "$T_TMP/live.json" <<J
{
  "title": "live", "range": "5m", "refresh": "1s",
  "sources": {
    "flaky": { "type": "prometheus", "url": "$B/okthenhang", "timeout": "2s" },
    "hang": { "type": "prometheus", "url": "$B/hang", "timeout": "2s" },
    "busy": { "type": "prometheus", "url": "$B/busy" },
    "late": { "type": "prometheus", "url": "http://127.0.0.1:$LATE/ok" }
  },
  "panels": [
    { "type": "graph", "title": "flaky", "source": "flaky", "query": "up", "legend": "flaky",
      "grid": { "x": 0, "y": 0, "w": 12, "h": 10 } },
    { "type": "graph", "title": "hang", "source": "hang", "query": "up",
      "grid": { "x": 12, "y": 0, "w": 12, "h": 10 } },
    { "type": "graph", "title": "busy", "source": "busy", "query": "up",
      "grid": { "x": 0, "y": 10, "w": 12, "h": 10 } },
    { "type": "graph", "title": "late", "source": "late", "query": "up", "legend": "late",
      "grid": { "x": 12, "y": 10, "w": 12, "h": 10 } }
  ]
}
J
tmux_start 160 44 "LC_ALL=C.UTF-8 $SCRY_BIN $T_TMP/live.json"
if screen_wait "last 42" 5; then ok "first answer drawn"; else not_ok "first answer drawn" "$(tmux_screen)"; fi

# the next request hangs: after the 2 s timeout the panel is stale
if screen_wait "stale" 8; then ok "a backend that stops answering goes stale"; else
	not_ok "a backend that stops answering goes stale" "$(tmux_screen)"; fi
tmux_screen > "$T_TMP/stale.txt"
contains "stale panel keeps its last data" "$T_TMP/stale.txt" "last 42"
contains "stale panel says why" "$T_TMP/stale.txt" "! Operation timed out after"
if grep -E 'stale [0-9]+s' "$T_TMP/stale.txt" >/dev/null; then ok "stale badge has the age"; else
	not_ok "stale badge has the age" "$(cat "$T_TMP/stale.txt")"; fi

# keys answer while requests hang: the help overlay within one frame
t0=$(date +%s%N)
tmux_keys '?'
n=0
until tmux_screen | grep -qF "keys (j/k scroll"; do
	n=$((n + 1)); [ $n -gt 400 ] && break; sleep 0.005
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
# one frame at --max-fps 30 is 33 ms; tmux's own round trip is added
if [ $n -le 400 ] && [ "$ms" -lt 150 ]; then ok "keys answer while a request hangs (${ms} ms)"; else
	not_ok "keys answer while a request hangs" "${ms} ms" "$(tmux_screen)"; fi
tmux_keys Escape

# the late server comes up: the refused panel recovers by itself
python3 tests/servers/prom_misbehave.py "$LATE" --log "$T_TMP/late.log" > "$T_TMP/late.out" 2>&1 &
T_PIDS="$T_PIDS $!"
if screen_wait "━━ late" 10; then ok "refused connection recovers when the server comes up"; else
	not_ok "refused connection recovers when the server comes up" "$(tmux_screen)"; fi
sleep 4
tmux_keys q
rc=$(exit_wait 5)
if [ "$rc" = "EXIT=0" ]; then ok "q quits cleanly while a request hangs"; else
	not_ok "q quits cleanly while a request hangs" "got '$rc'" "$(tmux_screen | tail -20)"
fi

python3 - "$T_TMP/server.log" <<'PY'
import sys
reqs = {}
for line in open(sys.argv[1]):
    t, method, path, inflight = line.split()
    reqs.setdefault(path.split("?")[0], []).append((float(t), int(inflight.split("=")[1])))
hang = reqs.get("/hang/api/v1/query_range", [])
if hang and max(i for _, i in hang) == 1:
    print("ok - a hanging query is never asked twice at once (%d requests)" % len(hang))
else:
    print("not ok - a hanging query is never asked twice at once")
    print("# %s" % hang)
busy = [t for t, _ in reqs.get("/busy/api/v1/query_range", [])]
gaps = [b - a for a, b in zip(busy, busy[1:])]
if len(busy) >= 2 and min(gaps) >= 2.9:
    print("ok - Retry-After: 3 is honoured (gaps %s)" % ", ".join("%.1f" % g for g in gaps))
else:
    print("not ok - Retry-After: 3 is honoured")
    print("# request gaps %s" % gaps)
PY
