#!/bin/sh
# prom_gaps: missing data stays missing.  The fixture has order's metrics
# unscraped 03:00-03:10 (no samples: rate() absent) and cart idle
# 03:30-03:40 (flat counters: rate 0, histogram_quantile NaN).  Both must
# be blank columns in the graph between the clock labels around them,
# with the line drawn on both sides; the stat says "—", never 0.
. tests/lib.sh
. tests/prom.sh

if ! prom_start; then
	not_ok "prometheus starts over the fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi

snap() {	# snap AT OUT [ARGS]
	at=$1 out=$2
	shift 2
	"$SCRY_BIN" -p "$PROM_URL" --snapshot --utc --color never --size 120x40 --at "$at" "$@" \
	    tests/fixtures/prom/gaps.json > "$out" 2>&1
}

# gap FILE PANEL FROM TO: in PANEL's plot, the columns between the x-axis
# labels FROM and TO (10 minutes apart) have no dots, except the first
# minute after FROM (rate()'s 1m window still holds two samples there),
# and there are dots before FROM and after TO.
gap() {
	python3 - "$@" <<'PY'
import sys
f, panel, a, b = sys.argv[1:5]
lines = open(f, encoding="utf-8").read().splitlines()
top = next(i for i, l in enumerate(lines) if l.startswith("\u256d") and " %s " % panel in l)
axis = next(i for i in range(top + 1, len(lines)) if a in lines[i] and b in lines[i])
xa, xb = lines[axis].index(a) + 2, lines[axis].index(b) + 2
def dots(col):
    return any(0x2800 < ord(lines[r][col]) <= 0x28ff for r in range(top + 1, axis)
               if col < len(lines[r]))
minute = -(-(xb - xa) // 10) + 1     # columns per minute, rounded up, +1
inside = [c for c in range(xa + minute, xb - 1) if dots(c)]
before = [c for c in range(xa - 12, xa - 1) if dots(c)]
after = [c for c in range(xb + 2, xb + 12) if dots(c)]
name = "%s: no line between %s and %s, a line on both sides" % (panel, a, b)
if inside or not before or not after:
    print("not ok - " + name)
    print("# columns %d..%d; dots inside at %s; before %s; after %s" % (xa, xb, inside, before, after))
    for r in range(top, axis + 1):
        print("# " + lines[r])
else:
    print("ok - " + name)
PY
}

snap 2026-11-26T03:20:00Z "$T_TMP/scrape.txt"
gap "$T_TMP/scrape.txt" "order P99" 03:00 03:10
contains "order: the last value before the gap in the legend" "$T_TMP/scrape.txt" "last 120 ms"

snap 2026-11-26T03:50:00Z "$T_TMP/idle.txt"
gap "$T_TMP/idle.txt" "cart P99" 03:30 03:40

snap 2026-11-26T03:35:00Z "$T_TMP/now.txt" --glyphs ascii
if grep -E '^\| +— +\|' "$T_TMP/now.txt" >/dev/null; then
	ok "cart P99 during no traffic is — (NaN), not 0"
else
	not_ok "cart P99 during no traffic is — (NaN), not 0" "$(cat "$T_TMP/now.txt")"
fi
lacks "no 0 s value for the idle service" "$T_TMP/now.txt" "| 0 s |"
contains "order recovered after its scrape gap" "$T_TMP/now.txt" "30.0 req/s"
