#!/bin/sh
# prom_values: exact numbers of the seed incident through scry, compared
# with the hand-computed values (tests/fixtures/prom/README.md) with a
# relative tolerance of 1e-9: histogram_quantile's float noise
# (8399.999999999996) is shown with 12 decimals and must be within it.
. tests/lib.sh
. tests/prom.sh

if ! prom_start; then
	not_ok "prometheus starts over the fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi

values() {	# values AT OUT
	"$SCRY_BIN" -p "$PROM_URL" --snapshot --utc --color never --size 140x42 --at "$1" \
	    tests/fixtures/prom/values.json > "$2" 2>&1
}

# expect FILE PANEL ROW VALUE...: the row's value columns, within 1e-9
expect() {
	python3 - "$@" <<'PY'
import re, sys
f, panel, row = sys.argv[1:4]
want = [float(x) for x in sys.argv[4:]]
text = open(f, encoding="utf-8").read().splitlines()
inpanel, got, header = False, None, False
for line in text:
    if line.startswith("\u256d"):
        inpanel = (" %s " % panel) in line
        header = inpanel
        continue
    if inpanel:
        cells = line.strip("\u2502").split()
        if header:          # the column header row
            header = False
            continue
        if cells and (cells[0] == row or row == ""):
            got = [float(x) for x in (cells if row == "" else cells[1:]) if re.match(r"^-?[0-9.]+(e[-+]?[0-9]+)?$", x)]
            break
name = "%s %s = %s" % (panel, row, " ".join(sys.argv[4:]))
if got is None or len(got) != len(want) or any(
        abs(g - w) > 1e-9 * max(abs(g), abs(w), 1e-300) for g, w in zip(got, want)):
    print("not ok - %s" % name)
    print("# got %s" % got)
else:
    print("ok - %s (got %s)" % (name, " ".join("%.17g" % g for g in got)))
PY
}

values 2026-11-26T02:30:00Z "$T_TMP/i.txt"
# P99 in ms: lo + (hi - lo) * (0.99 * total - below) / in_bucket, per 15 s step
expect "$T_TMP/i.txt" "p99 ms" frontend 8600	# 5000 + 5000 * (1782 - 1746) / 50
expect "$T_TMP/i.txt" "p99 ms" order 8400	# 5000 + 5000 * (445.5 - 441.25) / 6.25
expect "$T_TMP/i.txt" "p99 ms" payment 4375	# 2500 + 2500 * (371.25 - 360) / 15
expect "$T_TMP/i.txt" "p99 ms" cart 40		# 25 + 25 * (594 - 588) / 10
expect "$T_TMP/i.txt" "p99 ms" inventory 25	# 10 + 15 * (445.5 - 400) / 45.5
expect "$T_TMP/i.txt" "5xx ratio" frontend 0.55	# 990 / 1800
expect "$T_TMP/i.txt" "5xx ratio" order 0.6	# (90 + 180) / 450
expect "$T_TMP/i.txt" "5xx ratio" payment 0.92	# 345 / 375
expect "$T_TMP/i.txt" rps frontend 120
expect "$T_TMP/i.txt" rps cart 40
expect "$T_TMP/i.txt" rps payment 25
expect "$T_TMP/i.txt" "http p99 s" order 8.4
expect "$T_TMP/i.txt" "http p99 s" cart 0.04
# active, limit, rejected requests/s (345 per 15 s over 4 pods)
expect "$T_TMP/i.txt" envoy "" 103 103 23	# (a row without labels)

values 2026-11-26T02:10:00Z "$T_TMP/h.txt"
expect "$T_TMP/h.txt" "p99 ms" frontend 180	# 100 + 150 * (1782 - 1766) / 30
expect "$T_TMP/h.txt" "p99 ms" order 120	# 100 + 150 * (445.5 - 445) / 3.75
expect "$T_TMP/h.txt" "p99 ms" payment 80	# 50 + 50 * (371.25 - 367.5) / 6.25
expect "$T_TMP/h.txt" "http p99 s" order 0.12
expect "$T_TMP/h.txt" envoy "" 85 103 0
# healthy: no 5xx at all, so the ratio is 0 for every service
expect "$T_TMP/h.txt" "5xx ratio" order 0
