#!/bin/sh
# T3 (robustness.md §6) for Prometheus data: every payload of
# tests/hostile/payloads.py as label values (table columns, legends with
# and without a template, bar names), alert names, labels, annotations and
# rule expressions (live: /api/v1/rules; a window in the past: the ALERTS
# series), and as the server's error messages (the 422 error envelope, a
# text/plain 500, an HTML 502, warnings).  tests/hostile/server.py serves
# them (a real Prometheus refuses invalid UTF-8 in labels).
#  - snapshots in colour: only scry's own sequences, every payload's
#    marker on screen (counted per field);
#  - a pty run (live) walking the table and every alert's details: the raw
#    bytes hold only scry's drawing, the status bar and the panel borders
#    are identical, attributes too, to the same run against --clean;
#  - the run's recording replayed in a pty: the same, from the file.
. tests/lib.sh
[ -n "${KEEP:-}" ] && trap - EXIT
H=tests/hostile
NPAY=$(python3 $H/payloads.py --count)
AT="--at 2026-11-26T02:30:00Z --utc"

port=$(free_port)
bg python3 $H/server.py "$port"
cport=$(free_port)
bg python3 $H/server.py "$cport" --clean
URL=http://127.0.0.1:$port
if wait_http "$URL/prom/api/v1/status/buildinfo" 10 && \
    wait_http "http://127.0.0.1:$cport/prom/api/v1/status/buildinfo" 10; then
	ok "the hostile servers are up"
else
	not_ok "the hostile servers are up"; exit 0
fi

# snap NAME SIZE DASHBOARD [scry options]: a colour snapshot, vtchecked
snap() {
	name=$1 size=$2 dash=$3
	shift 3
	"$SCRY_BIN" --snapshot --timeout 30s --size "$size" --color always "$@" "$dash" \
	    >"$T_TMP/$name.ansi" 2>"$T_TMP/$name.err"
	check "$name: snapshot exits 0" test $? -eq 0
}
# markers NAME MIN TAG...: each field's markers counted in the snapshot NAME
markers() {
	name=$1 min=$2
	shift 2
	args=""
	for t in "$@"; do args="$args --markers ${t}[0-9]{3}:"; done
	# shellcheck disable=SC2086
	python3 $H/vtcheck.py "$T_TMP/$name.ansi" --name "$name" --min "$min" $args
}

python3 $H/dash.py prom-table "$T_TMP/table.json" url="$URL"
snap table 200x$((NPAY + 10)) "$T_TMP/table.json" $AT
markers table "$NPAY" I J
python3 $H/dash.py prom-legends "$T_TMP/legends.json" url="$URL"
snap legends 400x640 "$T_TMP/legends.json" $AT
# (a legend too long for its buffer is cut and ends in "...": the job
# label after a 70,000-byte instance is drawn by the templated legends,
# which put it first)
markers legends "$NPAY" I J
python3 $H/dash.py prom-alerts "$T_TMP/alerts.json" url="$URL"
snap alerts-past 400x340 "$T_TMP/alerts.json" $AT
snap alerts-live 400x340 "$T_TMP/alerts.json"
# (the three 70,000-byte alert names leave no room for the labels after them)
markers alerts-past "$NPAY" A
markers alerts-past $((NPAY - 3)) V
markers alerts-live "$NPAY" A
for e in promerr:E promtext:T promhtml:H promwarn:X; do
	python3 $H/dash.py prom-errors "$T_TMP/${e%:*}.json" url="$URL" errors="${e%:*}"
	snap "${e%:*}" 400x$((NPAY / 8 * 6 + 12)) "$T_TMP/${e%:*}.json" $AT
	markers "${e%:*}" "$NPAY" "${e#*:}"
done

# the pty: live, every table row and every alert's details walked (J),
# a mark on each frame; the clean run gets the same keys without the
# pauses (only its final screen is compared)
walk() {	# walk PAUSE: the key script
	k="sleep:2.5 mark key:Tab key:Enter sleep:0.3"
	for i in $(seq 1 "$NPAY"); do k="$k keys:J $1"; done
	k="$k key:Esc key:Tab key:Enter sleep:0.3"
	for i in $(seq 1 "$NPAY"); do k="$k keys:J $1"; done
	echo "$k key:Esc sleep:0.5 mark keys:q"
}
for v in hostile clean; do
	p=$port keys=$(walk "settle:0.03 mark")
	[ $v = clean ] && p=$cport keys=$(walk "")
	python3 $H/dash.py prom-pty "$T_TMP/$v.json" url="http://127.0.0.1:$p" title="hostile prom"
	python3 $H/ptyrun.py --size 160x50 --out "$T_TMP/$v.pty" --keys "$keys" -- \
	    "$SCRY_BIN" --max-fps 240 --record "$T_TMP/$v.scry" "$T_TMP/$v.json"
	rc=$?
	if [ $rc -eq 0 ] && grep -qx same "$T_TMP/$v.pty.termios"; then
		ok "$v pty run: exit 0, termios restored"
	else
		not_ok "$v pty run: exit 0, termios restored" "exit $rc"
	fi
done
python3 $H/vtcheck.py "$T_TMP/hostile.pty" mark --name "live pty" --size 160x50 \
    --same "$T_TMP/clean.pty" --rows='-1,/[╭╰]/' \
    --markers 'I[0-9]{3}:' --markers 'A[0-9]{3}:' --markers 'U[0-9]{3}:' \
    --markers 'D[0-9]{3}:' --markers 'Q[0-9]{3}:' --min "$NPAY"
contains "live pty: the warning is shown" "$T_TMP/hostile.pty.screen" "warning: X009:"
contains "live pty: an error envelope's message is shown" "$T_TMP/hostile.pty.screen" "execution: E046:^[[2L"

# the recording holds the payloads; replayed, they are drawn the same way
# (a tall terminal: the zoomed table and alert list show every row at
# once; the details of the first 40 alerts)
check "the recording checks" "$SCRY_BIN" --check "$T_TMP/hostile.scry"
"$SCRY_BIN" --check "$T_TMP/hostile.scry" >"$T_TMP/reccheck.out" 2>&1
python3 $H/vtcheck.py "$T_TMP/reccheck.out" --name "--check of the recording"
"$SCRY_TOOLS/recdump" "$T_TMP/hostile.scry" >"$T_TMP/dump" 2>/dev/null
check "the recording holds the payloads" grep -q 'U100:' "$T_TMP/dump"
keys="sleep:1.5 mark key:Tab key:Enter sleep:0.5 mark key:Esc key:Tab key:Enter sleep:0.5 mark"
for i in $(seq 1 40); do keys="$keys keys:J settle:0.03 mark"; done
python3 $H/ptyrun.py --size 200x300 --out "$T_TMP/replay.pty" --keys "$keys key:Esc mark keys:q" -- \
    "$SCRY_BIN" --max-fps 240 --replay "$T_TMP/hostile.scry"
check "replay pty run: exit 0" test $? -eq 0
python3 $H/vtcheck.py "$T_TMP/replay.pty" mark --name "replay pty" --size 200x300 \
    --markers 'I[0-9]{3}:' --markers 'A[0-9]{3}:' --min "$NPAY"
python3 $H/vtcheck.py "$T_TMP/replay.pty" mark --name "replay pty" --size 200x300 \
    --markers 'U[0-9]{3}:' --min 40 | grep -v "own drawing"

# dashboard variables: every label value as a choice in the picker (v),
# paged through; one of them chosen (typed into its filter), so the status
# bar shows it
cat >"$T_TMP/vars.json" <<EOD
{"title": "hostile vars", "range": "1h",
 "sources": {"prom": {"type": "prometheus", "url": "$URL/prom"}},
 "variables": [{"name": "job", "query": "label_values(job)", "source": "prom", "multi": true}],
 "panels": [{"type": "graph", "title": "by job", "source": "prom",
             "query": "hostile{job=~\"\$job\",b=\"0\"}", "grid": {"x": 0, "y": 0, "w": 24, "h": 10}}]}
EOD
keys="sleep:2 keys:v sleep:0.3 mark"
for i in $(seq 1 $((NPAY / 10 + 2))); do keys="$keys key:PgDn settle:0.03 mark"; done
keys="$keys key:Esc keys:v sleep:0.3 keys:W001 key:Enter sleep:0.5 mark keys:q"
python3 $H/ptyrun.py --size 160x60 --out "$T_TMP/vars.pty" --keys "$keys" -- \
    "$SCRY_BIN" --max-fps 240 "$T_TMP/vars.json"
check "variables pty run: exit 0" test $? -eq 0
python3 $H/vtcheck.py "$T_TMP/vars.pty" mark --name "variables pty" --size 160x60 \
    --markers 'W[0-9]{3}:' --min "$NPAY"
check "the chosen hostile value is in the status bar, escaped" \
    sh -c "tail -1 '$T_TMP/vars.pty.screen' | grep -qF 'W001:^[[1;1A'"
