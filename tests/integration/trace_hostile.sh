#!/bin/sh
# T3 (robustness.md §6) for traces: a trace of 277 spans from Tempo and
# from Jaeger (tests/servers/tempo.py and jaeger.py, trace
# e5c0...e276 of tracedata.py) where every payload of
# tests/hostile/payloads.py is a span name, a service name, an attribute
# value, a status message and an event name, invalid UTF-8 sent raw.
# Snapshots count the names in the waterfall; a pty run opens every span's
# details in both panels (attributes, status, events): only scry's own
# drawing reaches the terminal, and the status bar and panel borders are
# identical to the same run on the plain-text twin of the trace (e277).
. tests/lib.sh
[ -n "${KEEP:-}" ] && trap - EXIT
H=tests/hostile
NPAY=$(python3 $H/payloads.py --count)
AT="--at 2026-11-26T02:30:00Z --utc"
HOSTILE=e5c0e5c0e5c0e5c0e5c0e5c0e5c0e276
CLEAN=e5c0e5c0e5c0e5c0e5c0e5c0e5c0e277
tp=$(free_port)
bg python3 tests/servers/tempo.py --port "$tp"
jp=$(free_port)
bg python3 tests/servers/jaeger.py --port "$jp"
if wait_http "http://127.0.0.1:$tp/api/echo" 10 && wait_http "http://127.0.0.1:$jp/api/services" 10; then
	ok "the trace servers are up"
else
	not_ok "the trace servers are up"; exit 0
fi
urls="tempo=http://127.0.0.1:$tp jaeger=http://127.0.0.1:$jp"
# shellcheck disable=SC2086
python3 $H/dash.py trace "$T_TMP/all.json" $urls trace=$HOSTILE
"$SCRY_BIN" --snapshot --size 200x$((2 * NPAY + 20)) --color always $AT --record "$T_TMP/all.scry" \
    "$T_TMP/all.json" >"$T_TMP/all.ansi" 2>&1
check "the recording of the hostile traces checks" "$SCRY_BIN" --check "$T_TMP/all.scry"
"$SCRY_BIN" --replay "$T_TMP/all.scry" --snapshot --size 200x$((2 * NPAY + 20)) --color always \
    >"$T_TMP/replay.ansi" 2>&1
python3 $H/vtcheck.py "$T_TMP/replay.ansi" --name "replayed waterfall" --min "$NPAY" \
    --markers 'V[0-9]{3}:'
# (the three 70,000-byte service names leave no room for the span name)
python3 $H/vtcheck.py "$T_TMP/all.ansi" --name "waterfall snapshot" --min "$NPAY" \
    --markers 'V[0-9]{3}:'
python3 $H/vtcheck.py "$T_TMP/all.ansi" --name "waterfall snapshot" --min $((NPAY - 10)) \
    --markers 'N[0-9]{3}:' | grep -v "own drawing"

# the pty, for each source: zoom (z), open the details, walk every span
walk() {	# walk PAUSE
	k="sleep:1.5 mark keys:z sleep:0.3 key:Enter"
	for i in $(seq 0 "$NPAY"); do k="$k keys:j $1"; done
	echo "$k key:Esc key:Esc sleep:0.3 mark keys:q"
}
for s in tempo jaeger; do
	for v in hostile clean; do
		id=$HOSTILE keys=$(walk "settle:0.03 mark")
		[ $v = clean ] && id=$CLEAN keys=$(walk "")
		# shellcheck disable=SC2086
		python3 $H/dash.py trace "$T_TMP/$s-$v.json" $urls trace=$id h=40 sources=$s \
		    title="hostile traces"
		python3 $H/ptyrun.py --size 160x50 --out "$T_TMP/$s-$v.pty" --keys "$keys" -- \
		    "$SCRY_BIN" --max-fps 240 $AT "$T_TMP/$s-$v.json"
		rc=$?
		if [ $rc -eq 0 ] && grep -qx same "$T_TMP/$s-$v.pty.termios"; then
			ok "$s $v pty run: exit 0, termios restored"
		else
			not_ok "$s $v pty run: exit 0, termios restored" "exit $rc"
		fi
	done
	# the details of the spans named with the 70,000-byte payloads and the
	# combining floods (1,000 marks: 8,000 columns of placeholders) fill the
	# view: their later fields need J to scroll to, the walk does not
	python3 $H/vtcheck.py "$T_TMP/$s-hostile.pty" mark --name "$s pty" --size 160x50 \
	    --same "$T_TMP/$s-clean.pty" --rows='-1,/[╭╰]/' --min $((NPAY - 7)) \
	    --markers 'K[0-9]{3}:' --markers 'M[0-9]{3}:' --markers 'E[0-9]{3}:'
done
