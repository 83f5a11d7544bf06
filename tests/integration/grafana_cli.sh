#!/bin/sh
# The command line of the Grafana import and the SLO files, with the real
# binary: --convert, --check of a Grafana file, --map-datasource, --slo.
. tests/lib.sh
svc=tests/fixtures/grafana/istio/istio-service-dashboard.json

"$SCRY_BIN" --convert "$svc" > "$T_TMP/svc.json" 2> "$T_TMP/err"
check "--convert exits 0" test $? -eq 0
check "--convert prints JSON" python3 -m json.tool "$T_TMP/svc.json"
contains "--convert summarises on stderr" "$T_TMP/err" "converted; see \"import\".\"report\""
contains "converted file has the report" "$T_TMP/svc.json" "28 panels converted, 0 unsupported"
python3 - "$T_TMP/svc.json" > "$T_TMP/count" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def n(ps): return sum(1 + n(p.get("panels", [])) for p in ps)
print(n(d["panels"]))
PY
contains "every panel converted (28, rows' panels nested)" "$T_TMP/count" "28"

"$SCRY_BIN" --convert "$T_TMP/svc.json" > "$T_TMP/out2" 2> "$T_TMP/err2"
check "--convert of a scry dashboard fails" test $? -eq 1
contains "... and says why" "$T_TMP/err2" "already a scry dashboard"
lacks "... and prints nothing" "$T_TMP/out2" "{"

"$SCRY_BIN" --convert "$svc" --map-datasource '$datasource=mimir' > "$T_TMP/m.json" 2>/dev/null
contains "--map-datasource names the source" "$T_TMP/m.json" '"mimir": {'
lacks "--map-datasource replaces the default" "$T_TMP/m.json" '"prometheus": {'
"$SCRY_BIN" --convert "$svc" --map-datasource 'nonsense' > /dev/null 2> "$T_TMP/e3"
check "bad --map-datasource is refused" test $? -eq 1
contains "... with the expected form" "$T_TMP/e3" "KEY=NAME"

"$SCRY_BIN" --convert tests/fixtures/grafana/loki/loki-logs.json --slo tests/fixtures/slo/openslo.yaml \
    > "$T_TMP/l.json" 2>/dev/null
contains "--slo adds slo panels to a converted dashboard" "$T_TMP/l.json" '"slo": "frontend-availability"'
contains "--slo records the file" "$T_TMP/l.json" '"slo_files"'

# every fixture dashboard converts to one --check accepts without an error
# or a warning: the converted options are the widgets' own
for f in $(find tests/fixtures/grafana -name '*.json' | sort); do
	"$SCRY_BIN" --check "$f" > "$T_TMP/c.out" 2> "$T_TMP/c.err"
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$T_TMP/c.err" ] && grep -q ": ok (" "$T_TMP/c.out" &&
	    ! grep -q "with warnings" "$T_TMP/c.out"; then
		ok "--check $f: no error, no warning"
	else
		not_ok "--check $f: no error, no warning" "exit $rc: $(head -5 "$T_TMP/c.err") $(cat "$T_TMP/c.out")"
	fi
done
# a broken Grafana file: the problem is reported where the converted text has it
cat > "$T_TMP/badmap.json" <<'JSON'
{"schemaVersion": 39, "title": "bad mapping", "panels": [
 {"id": 1, "type": "stat", "title": "S", "gridPos": {"x": 0, "y": 0, "w": 8, "h": 4},
  "targets": [{"refId": "A", "expr": "up"}],
  "fieldConfig": {"defaults": {"mappings": [{"type": "regex", "options": {"pattern": "(unclosed",
   "result": {"text": "x"}}}]}}}]}
JSON
"$SCRY_BIN" --check "$T_TMP/badmap.json" > "$T_TMP/c.out" 2> "$T_TMP/c.err"
check "--check of a Grafana file with a broken regex fails" test $? -eq 1
contains "--check reads a Grafana file through the converter" "$T_TMP/c.err" \
    "badmap.json (as converted by scry --convert)"
contains "... and names the option" "$T_TMP/c.err" "options.mappings[0].regex"

printf '{"schemaVersion": 39, "panels": [ {"type": "graph", ' > "$T_TMP/broken.json"
"$SCRY_BIN" --convert "$T_TMP/broken.json" > /dev/null 2> "$T_TMP/e4"
check "truncated JSON fails" test $? -eq 1
contains "... with file:line:column" "$T_TMP/e4" "broken.json:1:"

"$SCRY_BIN" --convert "$svc" --slo tests/fixtures/slo/bad-plugin.yaml > /dev/null 2> "$T_TMP/e5"
check "an unsupported SLO file fails" test $? -eq 1
contains "... naming what is unsupported" "$T_TMP/e5" "plugins need Sloth itself"
