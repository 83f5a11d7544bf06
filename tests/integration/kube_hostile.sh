#!/bin/sh
# T3 (robustness.md §6) for Kubernetes, through the real kubectl and the
# test API server (tests/servers/kubeapi.py /_test/hostile): every payload
# of tests/hostile/payloads.py as a pod name, an event's reason, message
# and involved object.  Snapshots count every field; a pty run pages
# through the zoomed pods and events panes: only scry's own drawing, and
# the status bar and panel borders identical to the same run on plain
# names.
# And argument injection: a pod named "--server=http://<thief>" must not
# become a kubectl flag when its logs are opened (kubectl would send the
# user's token to that server).
. tests/lib.sh
[ -n "${KEEP:-}" ] && trap - EXIT
. tests/servers/kubeapi.sh
H=tests/hostile
NPAY=$(python3 $H/payloads.py --count)
kube_start
tport=$(free_port)
bg python3 $H/server.py "$tport" --log "$T_TMP/thief.log"
if wait_http "$KUBE_URL/version" 10 && wait_http "http://127.0.0.1:$tport/prom/api/v1/labels" 10; then
	ok "the API server and the thief are up"
else
	not_ok "the API server and the thief are up"; exit 0
fi
evil="--server=http://127.0.0.1:$tport"
kube_ctl "hostile?extra=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$evil")" >/dev/null
python3 $H/dash.py kube "$T_TMP/all.json" h=$((NPAY + 8))
"$SCRY_BIN" --snapshot --timeout 30s --size 200x$((2 * NPAY + 20)) --color always \
    --record "$T_TMP/all.scry" "$T_TMP/all.json" >"$T_TMP/all.ansi" 2>&1
python3 $H/vtcheck.py "$T_TMP/all.ansi" --name "pods and events snapshot" --min "$NPAY" \
    --markers 'P[0-9]{3}:' --markers 'R[0-9]{3}:' --markers 'G[0-9]{3}:' --markers 'O[0-9]{3}:'
check "the recording of the hostile cluster checks" "$SCRY_BIN" --check "$T_TMP/all.scry"
"$SCRY_BIN" --replay "$T_TMP/all.scry" --snapshot --size 200x$((2 * NPAY + 20)) --color always \
    >"$T_TMP/replay.ansi" 2>&1
python3 $H/vtcheck.py "$T_TMP/replay.ansi" --name "replayed snapshot" --min "$NPAY" \
    --markers 'P[0-9]{3}:' --markers 'G[0-9]{3}:'

# the pty: pods zoomed and paged through, the first pod's logs (the one
# named like a flag), then the events zoomed and paged through
walk() {	# walk PAUSE
	k="sleep:3 mark keys:z sleep:0.3 mark"
	for i in $(seq 1 $((NPAY / 10 + 1))); do k="$k key:PgDn $1"; done
	k="$k keys:g sleep:0.2 keys:l sleep:2 mark key:Esc sleep:0.3 key:Esc key:Tab keys:z sleep:0.3"
	for i in $(seq 1 $((NPAY / 10 + 1))); do k="$k key:PgDn $1"; done
	echo "$k key:Esc sleep:0.5 mark keys:q"
}
for v in hostile clean; do
	keys=$(walk "settle:0.03 mark")
	if [ $v = clean ]; then
		kube_ctl "hostile?clean=1&extra=plain-pod" >/dev/null
		keys=$(walk "")
	fi
	python3 $H/dash.py kube "$T_TMP/$v.json" h=24 title="hostile kube"
	python3 $H/ptyrun.py --size 160x50 --out "$T_TMP/$v.pty" --keys "$keys" -- \
	    "$SCRY_BIN" --max-fps 240 "$T_TMP/$v.json"
	rc=$?
	if [ $rc -eq 0 ] && grep -qx same "$T_TMP/$v.pty.termios"; then
		ok "$v pty run: exit 0, termios restored"
	else
		not_ok "$v pty run: exit 0, termios restored" "exit $rc"
	fi
done
python3 $H/vtcheck.py "$T_TMP/hostile.pty" mark --name "kube pty" --size 160x50 \
    --same "$T_TMP/clean.pty" --rows='-1,/[╭╰]/' --min "$NPAY" \
    --markers 'P[0-9]{3}:' --markers 'G[0-9]{3}:'
python3 $H/vtcheck.py "$T_TMP/hostile.pty" mark --name "kube pty" --size 160x50 --min 1 \
    --markers 'not a pod name|expected NAMESPACE/POD' | grep -v "own drawing"
touch "$T_TMP/thief.log"
lacks "a pod named like a flag did not send the token elsewhere" "$T_TMP/thief.log" "$KUBE_TOKEN"
lacks "the thief got no request at all" "$T_TMP/thief.log" "/api/v1/namespaces"
