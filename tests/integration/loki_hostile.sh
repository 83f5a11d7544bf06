#!/bin/sh
# T3 (robustness.md §6) for Loki.
# 1. Tail: 10,000 hostile log lines (tests/servers/loki.py --hostile: its
#    own 33 and the 276 of tests/hostile/payloads.py, over the websocket
#    tail): scry holds every one, draws them as visible escapes, and the
#    raw bytes on the pseudo-terminal contain none of them.
# 2. History (tests/hostile/server.py): every payload as a log line, as
#    the pod and app stream labels and as a 400 error body; snapshots
#    count each field's payloads; a pty run pages through every line and
#    opens every line's details (all its labels): only scry's drawing, and
#    the status bar and panel borders identical to a --clean run.
. tests/lib.sh
[ -n "${KEEP:-}" ] && trap - EXIT
. tests/servers/loki_env.sh

loki_start --rate 2000 --backlog 5.5 --hostile 10000
loki_dash "$T_TMP/h.json" '' \
    '[ { "type": "logs", "title": "hostile", "query": "{namespace=\"shop\"}", "options": { "limit": 5000 },
         "grid": { "x": 0, "y": 0, "w": 24, "h": 20 } } ]'
out=$T_TMP/pty.out
# zoom, wrap, go to the oldest line (page back), then page through all of
# it, open a detail view, search, and quit
keys="sleep:2 key:Enter key:W key:g sleep:0.8 key:g sleep:0.8 repeat:200:key:PgDn"
keys="$keys key:v sleep:0.2 key:Esc keys:/ keys:pwned key:Enter keys:n keys:n sleep:0.3 key:Esc"
keys="$keys key:Esc keys:d keys:& keys:OSC|title key:Enter sleep:0.5 mark keys:q"
env TERM=xterm-256color SCRY_LOGDUMP="$T_TMP/dump" python3 tests/hostile/ptyrun.py --cols 160 --rows 60 \
    --out "$out" --keys "$keys" -- "$SCRY_BIN" --max-fps 240 "$T_TMP/h.json"
rc=$?
check "scry exited cleanly" test "$rc" -eq 0
python3 tests/hostile/vtcheck.py "$out" "$(cat "$out.mark")"
held=$(grep -o 'hostile seq=[0-9]*' "$T_TMP/dump" | sort -u | wc -l)
check "all 10000 hostile lines were held" test "$held" -eq 10000
contains "OSC 52 drawn as visible text" "$out.text" "]52;c;ZXZpbCBjbGlwYm9hcmQ="
contains "ESC drawn as ^[" "$out.text" "^["
contains "C1 CSI drawn as a placeholder" "$out.text" "<U+009B>"
contains "bidi override drawn as a placeholder" "$out.text" "<U+202E>"
# the same lines in a snapshot: every payload visible as an escape form
at=$(curl -s "$LOKI_URL/ctl/line?seq=9999" | python3 -c 'import json,sys; t=int(json.load(sys.stdin)["ts"]); print("%d.%09d" % (t // 10**9, t % 10**9 + 1))')
"$SCRY_BIN" --snapshot --size 160x40 --color always --at "$at" "$T_TMP/h.json" >"$T_TMP/snap" 2>&1
python3 tests/hostile/vtcheck.py "$T_TMP/snap"
contains "snapshot shows the escapes" "$T_TMP/snap.text" "hostile seq="

# --- 2. history, labels and errors ---------------------------------------
H=tests/hostile
NPAY=$(python3 $H/payloads.py --count)
AT="--at 2026-11-26T02:30:00Z --utc"
port=$(free_port)
bg python3 $H/server.py "$port"
cport=$(free_port)
bg python3 $H/server.py "$cport" --clean
if wait_http "http://127.0.0.1:$port/loki/loki/api/v1/labels" 10 && \
    wait_http "http://127.0.0.1:$cport/loki/loki/api/v1/labels" 10; then
	ok "the hostile servers are up"
else
	not_ok "the hostile servers are up"; exit 0
fi
python3 $H/dash.py loki "$T_TMP/lines.json" url="http://127.0.0.1:$port"
"$SCRY_BIN" --snapshot --size 200x$((2 * NPAY + 12)) --color always $AT --record "$T_TMP/lines.scry" \
    "$T_TMP/lines.json" >"$T_TMP/lines.ansi" 2>&1
python3 $H/vtcheck.py "$T_TMP/lines.ansi" --name "history snapshot" --min "$NPAY" \
    --markers 'L[0-9]{3}:' --markers 'P[0-9]{3}:' --markers 'S[0-9]{3}:'
# the recording of it: it checks, and its replay draws the same payloads
check "the recording of the hostile lines checks" "$SCRY_BIN" --check "$T_TMP/lines.scry"
"$SCRY_BIN" --replay "$T_TMP/lines.scry" --snapshot --size 200x$((2 * NPAY + 12)) --color always \
    >"$T_TMP/replay.ansi" 2>&1
python3 $H/vtcheck.py "$T_TMP/replay.ansi" --name "replayed snapshot" --min "$NPAY" \
    --markers 'L[0-9]{3}:' --markers 'P[0-9]{3}:' --markers 'S[0-9]{3}:'
python3 $H/dash.py loki-errors "$T_TMP/errors.json" url="http://127.0.0.1:$port"
"$SCRY_BIN" --snapshot --timeout 30s --size 400x$((NPAY / 8 * 6 + 12)) --color always $AT \
    "$T_TMP/errors.json" >"$T_TMP/errors.ansi" 2>&1
python3 $H/vtcheck.py "$T_TMP/errors.ansi" --name "400 bodies snapshot" --min "$NPAY" \
    --markers 'R[0-9]{3}:'

# the pty: zoom "by pod", page through every line (time, pod label, line),
# then every line's details (all labels), zoom "by app" (app label)
walk() {	# walk PAUSE: the key script
	k="sleep:1.5 mark key:Enter key:g sleep:0.3 mark"
	for i in $(seq 1 $((NPAY / 40 + 1))); do k="$k key:PgDn $1"; done
	k="$k key:g sleep:0.3"
	for i in $(seq 1 "$NPAY"); do k="$k keys:v $1 keys:v keys:j"; done
	echo "$k key:Esc key:Tab key:Enter sleep:0.3 mark key:Esc sleep:0.3 mark keys:q"
}
for v in hostile clean; do
	p=$port keys=$(walk "settle:0.03 mark")
	[ $v = clean ] && p=$cport keys=$(walk "")
	python3 $H/dash.py loki "$T_TMP/$v.json" url="http://127.0.0.1:$p" title="hostile loki"
	python3 $H/ptyrun.py --size 160x50 --out "$T_TMP/$v.pty" --keys "$keys" -- \
	    "$SCRY_BIN" --max-fps 240 $AT "$T_TMP/$v.json"
	rc=$?
	if [ $rc -eq 0 ] && grep -qx same "$T_TMP/$v.pty.termios"; then
		ok "$v pty run: exit 0, termios restored"
	else
		not_ok "$v pty run: exit 0, termios restored" "exit $rc"
	fi
done
python3 $H/vtcheck.py "$T_TMP/hostile.pty" mark --name "history pty" --size 160x50 \
    --same "$T_TMP/clean.pty" --rows='-1,/[╭╰]/' --min "$NPAY" \
    --markers 'L[0-9]{3}:' --markers 'P[0-9]{3}:' --markers 'S[0-9]{3}:'
