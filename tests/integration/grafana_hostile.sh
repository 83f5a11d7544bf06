#!/bin/sh
# Hostile and malformed Grafana dashboards: every shape of wrong type,
# missing key, huge number and nesting; --convert must answer (0, or 1 with
# a message), never crash (under make asan, never touch bad memory).
. tests/lib.sh
python3 - "$T_TMP" <<'PY'
import json, os, random, sys
out = sys.argv[1]
base = json.load(open("tests/fixtures/grafana/istio/istio-service-dashboard.json"))
weird = [None, True, 1e308, -1, "x", [], {}, [[]], {"a": {}}, "$datasource", "\u202e\u0000"]
docs = []
def mutate(o, rnd, depth=0):
    if isinstance(o, dict):
        for k in list(o):
            r = rnd.random()
            if r < 0.04: del o[k]
            elif r < 0.10: o[k] = rnd.choice(weird)
            else: mutate(o[k], rnd, depth + 1)
    elif isinstance(o, list):
        for i in range(len(o)):
            if rnd.random() < 0.06: o[i] = rnd.choice(weird)
            else: mutate(o[i], rnd, depth + 1)
for seed in range(40):
    d = json.loads(json.dumps(base)); mutate(d, random.Random(seed)); docs.append(d)
deep = {"schemaVersion": 39, "panels": []}
cur = deep["panels"]
for i in range(60):
    row = {"type": "row", "collapsed": True, "gridPos": {"x": 0, "y": i, "w": 24, "h": 1}, "panels": []}
    cur.append(row); cur = row["panels"]
docs += [
    deep,
    {"schemaVersion": 1, "rows": [{"panels": [{"type": "graph", "span": 1e300, "height": "x"}]}, 7, None]},
    {"dashboard": {"panels": [{"type": "heatmap", "gridPos": {"x": 99, "y": -5, "w": 0, "h": 1e9}}]}},
    {"schemaVersion": 39, "templating": {"list": [{"type": "custom", "name": "v", "query": ",,,\\,"},
      {"type": "query", "name": "q", "query": {"query": 5}}, {"type": "datasource"}, 3]}, "panels": []},
    {"schemaVersion": 39, "panels": [{"type": "stat", "fieldConfig": {"defaults": {"unit": "x" * 5000,
      "thresholds": {"mode": "percentage", "steps": [{"color": "#zz"}, {"value": "nan"}]}},
      "overrides": [{"matcher": {"id": "byRegexp", "options": "/(/"}, "properties": [{"id": "custom.hideFrom", "value": {"viz": True}}]}]},
      "targets": [{"expr": "up", "datasource": {"uid": "${"}}]}]},
]
for i, d in enumerate(docs):
    open(os.path.join(out, "h%02d.json" % i), "w").write(json.dumps(d))
PY
n=0
crashed=""
for f in "$T_TMP"/h*.json; do
	"$SCRY_BIN" --convert "$f" > "$T_TMP/out" 2> "$T_TMP/err"
	rc=$?
	n=$((n + 1))
	if [ "$rc" -gt 1 ]; then
		crashed="$crashed $(basename "$f"):rc=$rc:$(head -c 300 "$T_TMP/err")"
	elif [ "$rc" -eq 0 ] && ! python3 -m json.tool "$T_TMP/out" >/dev/null 2>&1; then
		crashed="$crashed $(basename "$f"):bad-json"
	elif [ "$rc" -eq 1 ] && [ ! -s "$T_TMP/err" ]; then
		crashed="$crashed $(basename "$f"):silent-failure"
	fi
done
if [ -z "$crashed" ]; then ok "$n hostile dashboards: converted or refused with a message"; else
	not_ok "$n hostile dashboards: converted or refused with a message" "$crashed"; fi
# and the converted ones open: --check answers for each
bad=""
for f in "$T_TMP"/h*.json; do
	"$SCRY_BIN" --check "$f" >/dev/null 2>&1
	rc=$?
	[ "$rc" -gt 1 ] && bad="$bad $(basename "$f"):$rc"
done
if [ -z "$bad" ]; then ok "--check answers for every hostile dashboard"; else
	not_ok "--check answers for every hostile dashboard" "$bad"; fi
