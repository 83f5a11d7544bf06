#!/bin/sh
# SLO queries and heatmap buckets and quantiles against the real Prometheus
# (Debian's prometheus + promtool) over the seed-incident fixture
# (tests/prom.sh; tests/fixtures/prom/README.md: frontend -> order at
# 30 req/s, 60 % 5xx (90 503 + 180 504 of 450 per 15 s) from 02:17 to
# 02:41, half that until 02:47; 300 of 450 at most 1 s in the incident).
# 1. every query scry's slo panels send for tests/fixtures/slo/sloth.yaml is
#    valid PromQL and returns the hand-computed error ratio;
# 2. the heatmap's cells (de-accumulated bucket rates) and quantile lines
#    from bucket rates equal the hand values, and its quantiles equal
#    Prometheus' own histogram_quantile at every step.
. tests/lib.sh
. tests/prom.sh
# the tool of the build under test (build/asan under make asan)
tool=$(dirname "$SCRY_BIN")/tests/tools/slotool
[ -x "$tool" ] || tool=$SCRY_TOP/build/obj/tests/tools/slotool

if ! prom_start; then
	not_ok "prometheus ready" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
ok "prometheus ready"
url=$PROM_URL

# value of an instant query at a unix time
instant() {
	curl -s -G "$url/api/v1/query" --data-urlencode "query=$1" --data-urlencode "time=$2" |
	    python3 -c 'import json,sys
d=json.load(sys.stdin)
if d.get("status")!="success": print("ERROR", d.get("error")); sys.exit(0)
r=d["data"]["result"]; print(r[0]["value"][1] if r else "EMPTY")'
}

near() {	# near NAME GOT WANT
	if python3 -c "import sys; g=float(sys.argv[1]); w=float(sys.argv[2]); sys.exit(0 if abs(g-w) <= 1e-9*max(abs(g),abs(w)) or abs(g-w) < 1e-12 else 1)" "$2" "$3" 2>/dev/null; then
		ok "$1"
	else
		not_ok "$1" "got $2, expected $3"
	fi
}

"$tool" queries tests/fixtures/slo/sloth.yaml > "$T_TMP/q.tsv"
check "slotool lists the slo panels' queries" test -s "$T_TMP/q.tsv"
T1=1795660200	# 02:30:00Z, 13 min into the incident
T2=1795662000	# 03:00:00Z, 13 min after the recovery
# Hand values, per 15 s step (the data starts at 23:00 with every counter at 0,
# so windows reaching before it cover 23:00 to the evaluation time):
#  availability (5xx of 450): incident 270, recovery (02:41-02:47) 135
#   T1: 5m 5400/9000; 30m 52 steps 14040/54000; 1h 14040/108000; 2h /216000;
#       6h.. 14040/378000 (840 steps since 23:00)
#   T2: 5m 0; 30m 44*270 + 24*135 = 15120/54000; 1h 96*270 + 3240 = 29160/108000;
#       2h 29160/216000; 6h.. 29160/432000
#  latency-raw (over 1 s of 450): incident 150, recovery 75
#   T1: 5m 3000/9000; 30m 7800/54000; 1h 7800/108000; 2h /216000; 6h.. 7800/378000
#   T2: 5m 0; 30m 44*150 + 24*75 = 8400/54000; 1h 16200/108000; 2h /216000; 6h.. 16200/432000
want() {	# want SLO TIME REF
	case "$1:$2:$3" in
	*availability:$T1:w:5m) echo 0.6 ;;
	*availability:$T1:w:30m) echo 0.26 ;;
	*availability:$T1:w:1h) echo 0.13 ;;
	*availability:$T1:w:2h) echo 0.065 ;;
	*availability:$T1:*) echo 0.037142857142857144 ;;
	*availability:$T2:w:5m) echo 0 ;;
	*availability:$T2:w:30m) echo 0.28 ;;
	*availability:$T2:w:1h) echo 0.27 ;;
	*availability:$T2:w:2h) echo 0.135 ;;
	*availability:$T2:*) echo 0.0675 ;;
	*latency-raw:$T1:w:5m) echo 0.3333333333333333 ;;
	*latency-raw:$T1:w:30m) echo 0.14444444444444443 ;;
	*latency-raw:$T1:w:1h) echo 0.07222222222222222 ;;
	*latency-raw:$T1:w:2h) echo 0.03611111111111111 ;;
	*latency-raw:$T1:*) echo 0.020634920634920634 ;;
	*latency-raw:$T2:w:5m) echo 0 ;;
	*latency-raw:$T2:w:30m) echo 0.15555555555555556 ;;
	*latency-raw:$T2:w:1h) echo 0.15 ;;
	*latency-raw:$T2:w:2h) echo 0.075 ;;
	*latency-raw:$T2:*) echo 0.0375 ;;
	*) echo "no hand value for $1 $3" ;;
	esac
}
n=0
for t in $T1 $T2; do
	while IFS="$(printf '\t')" read -r slo ref expr; do
		got=$(instant "$expr" "$t")
		near "$slo $ref at $t" "$got" "$(want "$slo" "$t" "$ref")"
		n=$((n + 1))
	done < "$T_TMP/q.tsv"
done
check "every generated query was evaluated" test "$n" -ge 30

# burn rates and budget from the ratios Prometheus returned (objective 99.9 %)
"$tool" burn tests/fixtures/slo/sloth.yaml order-requests-availability 0.13 > "$T_TMP/burn"
near "1h burn rate at T1 (0.13 / 0.001)" "$(awk '$1=="burn"{print $2; exit}' "$T_TMP/burn")" 130
near "budget left after 0.13 over the period" "$(awk '$1=="remaining"{print $2}' "$T_TMP/burn")" -129

# the heatmap: cells and quantile lines from the bucket rates, against the
# hand de-accumulation and against histogram_quantile
buckets='sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_service_name="order"}[1m]))'
curl -s -G "$url/api/v1/query_range" --data-urlencode "query=$buckets" \
    --data-urlencode start=1795659000 --data-urlencode end=1795659900 --data-urlencode step=60 \
    > "$T_TMP/buckets.json"
"$tool" buckets < "$T_TMP/buckets.json" > "$T_TMP/cells"
cell() {	# cell TIME LE -> the heatmap's count for that bucket
	awk -v t="$1" -v le="$2" '$1==t && $2==le {print $3}' "$T_TMP/cells"
}
# per 15 s: healthy 10:100 25:300 50:420 100:445 250:448.75 500:450;
# incident 50:100 100:150 250:200 500:250 1000:300 2500:380 5000:441.25
# 10000:447.5 30000:450 -> the bucket's share / 15 s
for spec in "1795659300 10 100" "1795659300 25 200" "1795659300 50 120" "1795659300 100 25" \
    "1795659300 250 3.75" "1795659300 500 1.25" "1795659300 1000 0" "1795659300 5 0" \
    "1795659600 50 100" "1795659600 100 50" "1795659600 1000 50" "1795659600 2500 80" \
    "1795659600 5000 61.25" "1795659600 10000 6.25" "1795659600 30000 2.5" \
    "1795659600 60000 0" "1795659600 25 0"; do
	set -- $spec
	near "heatmap cell at $1, le $2: $3 per 15 s" "$(cell "$1" "$2")" \
	    "$(python3 -c "print($3 / 15)")"
done
check "heatmap has the 16 buckets of the histogram" \
    test "$(awk '$1==1795659600' "$T_TMP/cells" | wc -l)" -eq 16
for q in 0.5 0.99; do
	"$tool" quantile $q < "$T_TMP/buckets.json" > "$T_TMP/ours.$q"
	curl -s -G "$url/api/v1/query_range" --data-urlencode "query=histogram_quantile($q, $buckets)" \
	    --data-urlencode start=1795659000 --data-urlencode end=1795659900 --data-urlencode step=60 |
	    python3 -c 'import json,sys
for p in json.load(sys.stdin)["data"]["result"][0]["values"]: print("%d\t%s" % (p[0], p[1]))' \
	    > "$T_TMP/prom.$q"
	if python3 - "$T_TMP/ours.$q" "$T_TMP/prom.$q" <<'PY'
import sys
ours = dict(l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l)
prom = dict(l.split("\t") for l in open(sys.argv[2]).read().split("\n") if l)
assert len(prom) == 16 and set(ours) == set(prom), (len(prom), sorted(set(ours) ^ set(prom)))
for t in prom:
    a, b = float(ours[t]), float(prom[t])
    assert abs(a - b) <= 1e-9 * max(abs(a), abs(b)), (t, a, b)
PY
	then ok "heatmap P$q equals histogram_quantile at all 16 steps"
	else not_ok "heatmap P$q equals histogram_quantile at all 16 steps" "$(paste "$T_TMP/ours.$q" "$T_TMP/prom.$q" | head -20)"
	fi
done
# hand values: healthy P99 = 100 + 150 * (445.5 - 445) / 3.75, P50 = 10 + 15 * 125 / 200;
# incident P99 = 5000 + 5000 * (445.5 - 441.25) / 6.25, P50 = 250 + 250 * 25 / 50
near "healthy P99 at 02:15" "$(awk '$1==1795659300{print $2}' "$T_TMP/ours.0.99")" 120
near "healthy P50 at 02:15" "$(awk '$1==1795659300{print $2}' "$T_TMP/ours.0.5")" 19.375
near "incident P99 at 02:20" "$(awk '$1==1795659600{print $2}' "$T_TMP/ours.0.99")" 8400
near "incident P50 at 02:20" "$(awk '$1==1795659600{print $2}' "$T_TMP/ours.0.5")" 375
