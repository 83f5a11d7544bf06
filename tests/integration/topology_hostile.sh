#!/bin/sh
# topology_hostile: every hostile payload (tests/hostile/payloads.py) as a
# service name, served by tests/servers/prom_mesh.py (real Prometheus
# refuses invalid UTF-8 in labels): the names stay visible escapes in the
# graph, the edge table, the summary, the status bar (focus) and both
# export files; the terminal receives only scry's own drawing (vtcheck).
. tests/lib.sh

port=$(free_port)
bg python3 tests/servers/prom_mesh.py "$port"
URL=http://127.0.0.1:$port
if wait_http "$URL/api/v1/status/buildinfo" 10; then ok "the hostile mesh server is up"; else
	not_ok "the hostile mesh server is up"; exit 0; fi
cat > "$T_TMP/h.json" <<EOF
{"title": "hostile mesh", "range": "1h", "refresh": "5s",
 "sources": {"prometheus": {"type": "prometheus", "url": "$URL"}},
 "panels": [{"type": "topology", "title": "topology", "grid": {"x": 0, "y": 0, "w": 24, "h": 20}},
            {"type": "topology", "title": "edges", "options": {"view": "table"},
             "grid": {"x": 0, "y": 20, "w": 24, "h": 14}},
            {"type": "graph", "title": "p99", "query": "histogram_quantile(0.99, x)",
             "grid": {"x": 0, "y": 34, "w": 24, "h": 6}}]}
EOF

# snapshots in colour: the graph, the table and the payloads' escape forms
"$SCRY_BIN" --snapshot --color always --size 160x60 "$T_TMP/h.json" > "$T_TMP/snap" 2> "$T_TMP/snap.err"
python3 tests/hostile/vtcheck.py "$T_TMP/snap"
contains "snapshot: all services counted" "$T_TMP/snap.text" \
    "$(python3 -c 'import sys; sys.path.insert(0, "tests/hostile"); import payloads; print(len(payloads.PAYLOADS) + 2)') services"
# (the slowest edges first: prom_mesh gives the escape sequences the highest P99s)
contains "snapshot: graph: ESC drawn as ^[ in a box" "$T_TMP/snap.text" "▶┤^[[2G├"
contains "snapshot: table: ESC drawn as ^[" "$T_TMP/snap.text" "^[[2A → db"
contains "snapshot: table: the code column escaped too" "$T_TMP/snap.text" "503 ^[[1;1S"

# in a pty: zoom (the graph), walk and pan, the table, focus a hostile
# service (status bar), export both forms, quit
out=$T_TMP/pty.out
keys="sleep:1.5 key:Enter sleep:0.5 repeat:12:key:J key:L key:PgDn key:j key:l sleep:0.3"
keys="$keys keys:v keys:v sleep:0.3 repeat:20:key:j keys:f sleep:0.3 key:Esc sleep:0.2"
keys="$keys keys::export key:Space keys:topology key:Space keys:$T_TMP/t.txt key:Enter sleep:0.3"
keys="$keys keys::export key:Space keys:topology key:Space keys:$T_TMP/t.dot key:Enter sleep:0.3"
keys="$keys keys:c sleep:0.3 mark keys:q"
env TERM=xterm-256color python3 tests/hostile/ptyrun.py --cols 160 --rows 50 --out "$out" \
    --keys "$keys" -- "$SCRY_BIN" --max-fps 240 "$T_TMP/h.json"
check "scry exited cleanly" test $? -eq 0
python3 tests/hostile/vtcheck.py "$out" "$(cat "$out.mark")"
contains "pty: the focus names an escaped service" "$out.text" "focus "
contains "pty: the zoomed table shows OSC 52 as text" "$out.text" "^[]52;c;cm0gLXJmIH4=^G → db"
check "text export written" test -s "$T_TMP/t.txt"
check "DOT export written" test -s "$T_TMP/t.dot"
for f in "$T_TMP/t.txt" "$T_TMP/t.dot"; do
	if python3 - "$f" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
bad = [b for b in (b"\x1b", b"\x07", b"\x9b", "\u202e".encode(), "\u200b".encode()) if b in data]
try:
    data.decode("utf-8")
except UnicodeDecodeError as e:
    bad.append(b"invalid UTF-8 at %d" % e.start)
sys.exit(1 if bad else 0)
EOF
	then ok "$(basename "$f"): no raw control, bidi or invalid bytes"; else
		not_ok "$(basename "$f"): no raw control, bidi or invalid bytes"; fi
done
contains "text export: escaped names" "$T_TMP/t.txt" 'shop/\x80\x81\x82'
if command -v dot >/dev/null 2>&1; then
	if dot -Tsvg "$T_TMP/t.dot" > "$T_TMP/t.svg" 2> "$T_TMP/dot.err"; then
		ok "Graphviz dot accepts the hostile DOT export"
	else
		not_ok "Graphviz dot accepts the hostile DOT export" "$(head -5 "$T_TMP/dot.err")"
	fi
fi
