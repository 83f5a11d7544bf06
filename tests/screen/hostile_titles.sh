#!/bin/sh
# T3 (robustness.md §6) for dashboard-supplied text: every hostile payload
# (tests/hostile/payloads.py) as a panel title, as text-panel content and
# as the dashboard title.  The raw bytes scry writes to the pty contain
# only its own drawing (vtcheck), every payload is drawn (its marker is
# seen on screen), and the rows the payloads are not in are identical,
# attributes too, to a run of the same dashboard with plain text: the
# status bar when titles and text are hostile, the panel borders when the
# dashboard title is.
. "$SCRY_TOP/tests/lib.sh"
[ -n "${KEEP:-}" ] && trap - EXIT
H=$SCRY_TOP/tests/hostile
python3 - "$T_TMP" <<'PY'
import os, sys
sys.path.insert(0, os.environ["SCRY_TOP"] + "/tests/hostile")
from payloads import PAYLOADS, json_string
out = sys.argv[1]

def dash(name, title, ptitle, content):
    panels = []
    for i in range(len(PAYLOADS)):
        panels.append(b'{"type":"text","title":' + ptitle(i) + b',"options":{"content":' +
                      content(i) + b'},"grid":{"x":%d,"y":%d,"w":6,"h":4}}' % ((i % 4) * 6, (i // 4) * 4))
    # a last row of plain panels: scrolled to the end, the dashboard's last
    # row is drawn without its inside
    panels += [b'{"type":"text","title":"end","grid":{"x":%d,"y":%d,"w":6,"h":4}}'
               % (k * 6, (len(PAYLOADS) + 3) // 4 * 4) for k in range(4)]
    doc = b'{"title":' + title + b',"panels":[' + b",\n".join(panels) + b']}'
    open(os.path.join(out, name), "wb").write(doc)

hostile = lambda tag: lambda i: json_string(b"%s%03d:" % (tag, i) + PAYLOADS[i])
plain = lambda tag: lambda i: json_string(b"%s%03d: plain text %d" % (tag, i, i))
dash("a.json", b'"hostile titles"', hostile(b"T"), hostile(b"C"))
dash("b.json", json_string(b"D000:" + PAYLOADS[1]), plain(b"T"), hostile(b"C"))
dash("clean.json", b'"hostile titles"', plain(b"T"), plain(b"C"))
PY
NPAY=$(python3 "$H/payloads.py" --count)
check "$NPAY payloads (>= 200)" test "$NPAY" -ge 200
for d in a b clean; do
	check "hostile dashboard $d passes --check" "$SCRY_BIN" --check "$T_TMP/$d.json"
done

# in a pty: page through all 69 rows of panels, a mark on each screen
# (a fixed window: the status bar reads the same in every run)
keys="sleep:1.0 mark"
for i in 1 2 3 4 5 6 7 8; do keys="$keys key:PgDn sleep:0.3 mark"; done
keys="$keys keys:q"
for d in a b clean; do
	python3 "$H/ptyrun.py" --size 160x50 --out "$T_TMP/$d.pty" --keys "$keys" -- \
	    "$SCRY_BIN" --max-fps 240 --at 2026-11-26T02:30:00Z --utc "$T_TMP/$d.json"
	rc=$?
	if [ "$rc" -eq 0 ] && grep -qx same "$T_TMP/$d.pty.termios"; then
		ok "$d: scry quits cleanly, termios restored"
	else
		not_ok "$d: scry quits cleanly, termios restored" "exit $rc, termios $(cat "$T_TMP/$d.pty.termios")"
	fi
done
python3 "$H/vtcheck.py" "$T_TMP/a.pty" mark --name "titles and text" --size 160x50 \
    --same "$T_TMP/clean.pty" --rows=-1 --markers 'T[0-9]{3}:' --markers 'C[0-9]{3}:' --min "$NPAY"
python3 "$H/vtcheck.py" "$T_TMP/b.pty" mark --name "dashboard title" --size 160x50 \
    --same "$T_TMP/clean.pty" --rows '/[╭╰]/' --markers 'D000:' --min 1

# a snapshot of everything at once: the escape forms, visibly
"$SCRY_BIN" --snapshot --size 160x280 --color never "$T_TMP/a.json" >"$T_TMP/snap" 2>&1
contains "ESC is shown as ^[ in a snapshot" "$T_TMP/snap" "^["
contains "bidi override shown as a placeholder" "$T_TMP/snap" "<U+202E>"
contains "invalid UTF-8 shown as \\xHH" "$T_TMP/snap" '\xFF'
contains "C1 CSI shown as a placeholder" "$T_TMP/snap" '<U+009B>'
"$SCRY_BIN" --snapshot --size 160x280 --color always "$T_TMP/a.json" >"$T_TMP/snap.ansi" 2>&1
python3 "$H/vtcheck.py" "$T_TMP/snap.ansi" --name "colour snapshot"

# what --check and --convert print (to the terminal, often): diagnostics
# quoting the file's own strings, and the converted JSON
python3 - "$T_TMP" <<'PY'
import os, sys
sys.path.insert(0, os.environ["SCRY_TOP"] + "/tests/hostile")
from payloads import PAYLOADS, json_string
out = sys.argv[1]
short = [p for p in PAYLOADS if len(p) < 2000]
panels = [b'{"type":' + json_string(b"K%03d:" % i + p) + b',"title":"x"}' for i, p in enumerate(short)]
open(os.path.join(out, "bad.json"), "wb").write(b'{"title":"bad","panels":[' + b",".join(panels) + b']}')
panels = [b'{"type":"graph","title":"x","query":"up","source":' + json_string(b"S%03d:" % i + p) + b'}'
          for i, p in enumerate(short)]
srcs = [json_string(b"N%03d:" % i + p) + b':{"type":' + json_string(b"T%03d:" % i + p) + b'}'
        for i, p in enumerate(short)]
open(os.path.join(out, "bad2.json"), "wb").write(
    b'{"title":"bad","sources":{' + b",".join(srcs) + b'},"panels":[' + b",".join(panels) + b']}')
gpanels = [b'{"type":"timeseries","title":' + json_string(b"G%03d:" % i + p) +
           b',"gridPos":{"x":0,"y":%d,"w":12,"h":8},"targets":[{"expr":' % (8 * i) +
           json_string(b"up" + p) + b',"legendFormat":' + json_string(p) + b'}]}' for i, p in enumerate(short)]
open(os.path.join(out, "grafana.json"), "wb").write(
    b'{"schemaVersion":39,"title":' + json_string(PAYLOADS[71]) + b',"panels":[' + b",".join(gpanels) + b']}')
PY
"$SCRY_BIN" --check "$T_TMP/bad.json" >"$T_TMP/diag.out" 2>&1
check "--check refuses the dashboard of hostile panel types" test $? -eq 1
python3 "$H/vtcheck.py" "$T_TMP/diag.out" --name "--check diagnostics" --min 200 --markers 'K[0-9]{3}:'
"$SCRY_BIN" --check "$T_TMP/bad2.json" >"$T_TMP/diag2.out" 2>&1
check "--check refuses the dashboard of hostile source names" test $? -eq 1
python3 "$H/vtcheck.py" "$T_TMP/diag2.out" --name "--check diagnostics" --min 200 --markers 'S[0-9]{3}:'
"$SCRY_BIN" --convert "$T_TMP/grafana.json" >"$T_TMP/conv.out" 2>"$T_TMP/conv.err"
check "--convert converts the Grafana dashboard of hostile titles" test $? -eq 0
python3 "$H/vtcheck.py" "$T_TMP/conv.out" --name "--convert output" --min 200 --markers 'G[0-9]{3}:'
python3 "$H/vtcheck.py" "$T_TMP/conv.err" --name "--convert messages"
check "the converted dashboard is valid JSON" python3 -m json.tool "$T_TMP/conv.out"
