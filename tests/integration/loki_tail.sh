#!/bin/sh
# History then live tail with no gap and no duplicate, across forced 1011
# closes, killed connections (1006), a half-open (dead) connection, a
# garbage frame, an oversized frame, fragmented frames, dropped entries,
# a slow server and a server restart — asserted against the test server's
# ledger of sequence-numbered lines.
. tests/lib.sh
. tests/servers/loki_env.sh

loki_start --rate 40 --backlog 40 --tail-max 6
T0=$(loki_stat t0)
dash=$T_TMP/tail.json
loki_dash "$dash" '"tail_idle_timeout": "2s", "tail_max_message": 1048576' \
    '[ { "type": "logs", "title": "shop", "query": "{namespace=\"shop\"}", "options": { "limit": 5000 },
         "grid": { "x": 0, "y": 0, "w": 24, "h": 20 } } ]'
dump=$T_TMP/dump.txt
tmux_start 120 30 "SCRY_LOG=$T_TMP/scry.log SCRY_LOGDUMP=$dump $SCRY_BIN $dash"

if screen_wait "seq=" 10; then ok "history shows"; else not_ok "history shows" "$(tmux_screen)"; fi
sleep 2
check "tail connected" test "$(loki_stat tails)" -ge 1

tail_up() {	# wait until scry has a tail open again
	n=0
	while [ "$(loki_stat tails 2>/dev/null || echo 0)" -lt 1 ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}
step() {	# step NAME CTL [QUERY] [SECONDS]
	tail_up
	loki_ctl "$2" "${3:-}" >/dev/null
	sleep "${4:-2}"
}
step kill kill
step close1011 close1011
step garbage garbage
step halfopen halfopen secs=6 4
step fragment fragment on=1
step oversized oversized mb=2
step drop drop n=25 3
loki_ctl fragment on=0 >/dev/null
opened=$(loki_stat tails_opened)
check "reconnected after each of 5 disruptions" test "$opened" -ge 6
# the server restarts on the same port with the same data
loki_stop
sleep 1.5
loki_start --rate 40 --backlog 40 --tail-max 6 --t0 "$T0"
sleep 4
step slow slow ms=400 3
loki_ctl slow ms=0 >/dev/null
sleep 1
loki_ctl freeze >/dev/null
sleep 3
last=$(loki_stat last_seq)
# follow mode: the newest line is the last one on screen
when=$(curl -s "$LOKI_URL/ctl/line?seq=$last" | python3 -c '
import json, sys, time
t = int(json.load(sys.stdin)["ts"])
print(time.strftime("%H:%M:%S", time.localtime(t // 10**9)) + ".%03d" % (t % 10**9 // 10**6))')
if screen_wait "$when" 8; then ok "follow mode shows the newest line"; else
	not_ok "follow mode shows the newest line" "want $when (seq $last)" "$(tmux_screen | tail -5 | tr '\n' '|')"; fi
tail_up
tmux_keys q
exit_wait 5 >/dev/null
python3 tests/servers/logdump_check.py "$dump" "$LOKI_URL" --from-seq 0
contains "one gap marker counts the dropped lines" "$dump" "kind=1 count=25"
contains "close 1011 resumed" "$T_TMP/scry.log" "closed (1011"
contains "the dead connection was detected" "$T_TMP/scry.log" "no frame and no pong"
contains "the garbage frame was reported" "$T_TMP/scry.log" "malformed tail frame"
contains "the oversized frame was refused" "$T_TMP/scry.log" "larger than 1 MiB"
check "reconnected to the restarted server" test "$(loki_stat tails_opened)" -ge 1
check "client frames were masked" test "$(loki_stat violations)" -eq 0
check "pings were answered" test "$(loki_stat pongs)" -ge 1
check "a close frame was sent at exit" test "$(loki_stat closes_from_client)" -ge 1
lacks "nothing on stderr from libwebsockets" "$T_TMP/exit" "lws"
