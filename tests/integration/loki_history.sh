#!/bin/sh
# History: pages of `limit` lines, older pages loaded on demand when the
# user goes past the oldest line (no gap, no duplicate at page edges),
# "every line since" once the server has nothing older, a fixed window in
# the past (--at) without a tail, local time vs UTC, custom trace-id
# extractors from the dashboard and their errors in --check.
. tests/lib.sh
. tests/servers/loki_env.sh

loki_start --rate 4 --backlog 100
loki_dash "$T_TMP/h.json" '"tail": false' \
    '[ { "type": "logs", "title": "all", "query": "{namespace=\"shop\"}", "options": { "limit": 60 },
         "grid": { "x": 0, "y": 0, "w": 24, "h": 20 } } ]'
loki_ctl freeze >/dev/null
last=$(loki_stat last_seq)
tmux_start 120 30 "TZ=Asia/Tokyo SCRY_LOGDUMP=$T_TMP/dump $SCRY_BIN $T_TMP/h.json"
screen_wait "seq" 8
tmux_keys Enter
sleep 0.3
for i in 1 2 3 4 5 6 7 8; do
	tmux_keys g
	sleep 0.6
done
if screen_wait "every line since" 5; then ok "when nothing older exists the pane says so"; else
	not_ok "when nothing older exists the pane says so" "$(tmux_screen | head -3 | tr '\n' '|')"; fi
# local time (Tokyo) by default, UTC with u
first=$(curl -s "$LOKI_URL/ctl/line?seq=0" | python3 -c '
import json, sys, time
t = int(json.load(sys.stdin)["ts"]) // 10**9
print(time.strftime("%H:%M:%S", time.gmtime(t + 9 * 3600)), time.strftime("%H:%M:%S", time.gmtime(t)))')
tokyo=${first% *}
utc=${first#* }
if screen_wait "$tokyo" 2; then ok "local time shown"; else not_ok "local time shown" "want $tokyo" "$(tmux_screen | head -4 | tr '\n' '|')"; fi
tmux_keys u
if screen_wait "$utc" 2; then ok "u shows UTC"; else not_ok "u shows UTC" "want $utc" "$(tmux_screen | head -4 | tr '\n' '|')"; fi
tmux_keys q
exit_wait 5 >/dev/null
python3 tests/servers/logdump_check.py "$T_TMP/dump" "$LOKI_URL" --from-seq 0 | grep -v 'more than once'
check "no tail was opened (tail: false)" test "$(loki_stat tails_opened)" -eq 0
check "pages were fetched on demand" test "$(loki_stat queries)" -ge 6

# --at: a window in the past shows the lines up to then
at=$(curl -s "$LOKI_URL/ctl/line?seq=200" | python3 -c 'import json,sys; t=int(json.load(sys.stdin)["ts"]) + 10**6; print("%d.%09d" % (t // 10**9, t % 10**9))')
"$SCRY_BIN" --snapshot --size 120x12 --at "$at" "$T_TMP/h.json" >"$T_TMP/at.out" 2>&1
if grep -q 'seq=00000200\|"seq": 200,' "$T_TMP/at.out" && ! grep -q 'seq=00000201\|"seq": 201,' "$T_TMP/at.out"; then
	ok "--at shows the lines up to that time, none after"
else
	not_ok "--at shows the lines up to that time, none after" "$(cat "$T_TMP/at.out" | tr '\n' '|')"
fi

# trace-id extractors from the dashboard; --check reports bad ones
cat >"$T_TMP/x.json" <<EOF
{ "title": "x", "sources": { "loki": { "type": "loki", "url": "$LOKI_URL" } },
  "trace_ids": [ { "name": "span", "regex": "span_id=([0-9a-f]{16})" } ],
  "panels": [ { "type": "logs", "title": "o", "query": "{app=\"order\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 10 } } ] }
EOF
tmux_stop
tmux_start 120 30 "$SCRY_BIN $T_TMP/x.json"
screen_wait "seq" 8
tmux_keys Enter
sleep 0.3
tmux_keys Enter
if screen_wait "trace lens" 3; then ok "a custom extractor finds its id"; else not_ok "a custom extractor finds its id" "$(tmux_screen | tr '\n' '|')"; fi
span=$(tmux_screen | head -1 | grep -o 'trace [0-9a-f]*' | cut -d' ' -f2)
check "the id is the span id of the line (16 hex)" test "${#span}" -eq 16
cat >"$T_TMP/bad.json" <<EOF
{ "title": "x", "sources": { "loki": { "type": "loki", "url": "$LOKI_URL" } },
  "trace_ids": [ "default", "trace=[0-9]+", "req=(" ],
  "panels": [ ] }
EOF
"$SCRY_BIN" --check "$T_TMP/bad.json" >"$T_TMP/check.out" 2>&1
contains "--check: an extractor without a group" "$T_TMP/check.out" "trace_ids[1]: needs a capture group"
contains "--check: a pattern that does not compile, with the offset" "$T_TMP/check.out" "trace_ids[2]: missing closing parenthesis at offset 5"
