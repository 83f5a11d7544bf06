#!/bin/sh
# prom_legacy: the incident dashboard on Istio before 1.5, whose latency
# histogram is istio_request_duration_seconds_bucket (no _milliseconds):
# the P99 panels fall back to it and scale to ms, so the numbers are the
# same as on a current mesh (fixture: gen.py --legacy-istio).
. tests/lib.sh
PROM_GEN_ARGS=--legacy-istio
. tests/prom.sh

if ! prom_start; then
	not_ok "prometheus starts over the legacy fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
if curl -s "$PROM_URL/api/v1/label/__name__/values" | grep -q istio_request_duration_milliseconds; then
	not_ok "the legacy fixture has no _milliseconds histogram"
else
	ok "the legacy fixture has no _milliseconds histogram"
fi
"$SCRY_BIN" -p "$PROM_URL" --snapshot --utc --color never --size 160x64 \
    --at 2026-11-26T02:30:00Z > "$T_TMP/i.txt" 2>&1
has() {
	if grep -qE -- "$3" "$2"; then ok "$1"; else not_ok "$1" "no line matches /$3/:" "$(cat "$2")"; fi
}
has "fallback: order P99 8.40 s from the seconds histogram" "$T_TMP/i.txt" \
    'order\.shop\.svc\.cluster\.local +last 8\.40 s'
has "fallback: cart P99 40.0 ms (seconds scaled to ms)" "$T_TMP/i.txt" \
    'cart\.shop\.svc\.cluster\.local +last 40\.0 ms'
"$SCRY_BIN" -p "$PROM_URL" --snapshot --utc --color never --size 160x64 --glyphs ascii \
    --at 2026-11-26T02:10:00Z > "$T_TMP/h.txt" 2>&1
has "fallback: worst P99 stat 180 ms before the incident" "$T_TMP/h.txt" '\| +180 ms +\|'
