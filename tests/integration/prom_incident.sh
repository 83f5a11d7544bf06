#!/bin/sh
# prom_incident: the built-in incident dashboard against Debian's real
# Prometheus over the seed-incident fixture (tests/fixtures/prom/README.md
# has the arithmetic behind every expected number).
. tests/lib.sh
. tests/prom.sh

if ! prom_start; then
	not_ok "prometheus starts over the fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
ok "prometheus starts over the fixture"

snap() {	# snap AT OUT [ARGS...]
	at=$1 out=$2
	shift 2
	"$SCRY_BIN" -p "$PROM_URL" --snapshot --utc --color never --size 160x64 --at "$at" "$@" \
	    > "$out" 2> "$out.err"
}

# has NAME FILE REGEX: some line of FILE matches the extended regex
has() {
	if grep -qE -- "$3" "$2"; then ok "$1"; else
		not_ok "$1" "no line matches /$3/ in $2:" "$(cat "$2")"; fi
}

# --- during the incident (02:30): P99, error ratio, rates, pool, alerts
snap 2026-11-26T02:30:00Z "$T_TMP/i.txt"
has "P99 order 8.40 s (1000x: 5000 + 5000*4.25/6.25 ms)" "$T_TMP/i.txt" \
    'order\.shop\.svc\.cluster\.local +last 8\.40 s +max 8\.40 s'
has "P99 frontend 8.60 s" "$T_TMP/i.txt" 'frontend\.shop\.svc\.cluster\.local +last 8\.60 s'
has "P99 payment 4.38 s (2500 + 2500*11.25/15 ms)" "$T_TMP/i.txt" \
    'payment\.shop\.svc\.cluster\.local +last 4\.38 s'
has "P99 cart unchanged 40.0 ms" "$T_TMP/i.txt" 'cart\.shop\.svc\.cluster\.local +last 40\.0 ms'
has "P99 inventory unchanged 25.0 ms" "$T_TMP/i.txt" 'inventory\.shop\.svc\.cluster\.local +last 25\.0 ms'
has "5xx ratio payment 92.0 %" "$T_TMP/i.txt" 'payment\.shop\.svc\.cluster\.local +last 92\.0 % +max 92\.0 %'
has "5xx ratio order 60.0 %" "$T_TMP/i.txt" 'order\.shop\.svc\.cluster\.local +last 60\.0 %'
has "5xx ratio frontend 55.0 %" "$T_TMP/i.txt" 'frontend\.shop\.svc\.cluster\.local +last 55\.0 %'
has "P99 y axis in seconds" "$T_TMP/i.txt" '^│ *(10|7\.5|5\.0|2\.5) s '
has "5xx y axis in percent" "$T_TMP/i.txt" '│ *(100|75|50|25) % '
has "pool at its limit of 103" "$T_TMP/i.txt" 'payment\.shop\.… +last 103 +max 103|payment\.shop\.svc.* last 103'
has "alerts: three firing" "$T_TMP/i.txt" '3 firing, 0 pending'
has "alert PaymentUpstreamOverflow critical, 12m30s old" "$T_TMP/i.txt" \
    '● critical +PaymentUpstreamO… +12m30s'
has "alert OrderLatencyP99High warning, 12m old" "$T_TMP/i.txt" '● warning +OrderLatencyP99H… +12m '
lacks "Watchdog filtered out (severity none)" "$T_TMP/i.txt" "Watchdog"
has "status bar shows the fixed window" "$T_TMP/i.txt" '2026-11-26 02:30:00Z, 1h window'

# --- stats as text (no big digits in ASCII): worst P99, mesh ratio, rate
snap 2026-11-26T02:30:00Z "$T_TMP/a.txt" --glyphs ascii
has "stat worst P99 8.60 s" "$T_TMP/a.txt" '\| +8\.60 s +\|'
has "stat mesh 5xx 43.7 % (107 of 245 req/s)" "$T_TMP/a.txt" '\| +43\.7 % +\|'
has "stat mesh rate 245 req/s" "$T_TMP/a.txt" '\| +245 req/s +\|'
has "gauge pool 103 of 103" "$T_TMP/a.txt" '103 100%'

# --- before the incident (02:10): the healthy baseline
snap 2026-11-26T02:10:00Z "$T_TMP/h.txt"
has "healthy P99 frontend 180 ms" "$T_TMP/h.txt" 'frontend\.shop\.svc\.cluster\.local +last 180 ms'
has "healthy P99 order 120 ms" "$T_TMP/h.txt" 'order\.shop\.svc\.cluster\.local +last 120 ms'
has "healthy P99 payment 80.0 ms" "$T_TMP/h.txt" 'payment\.shop\.svc\.cluster\.local +last 80\.0 ms'
# (a narrow panel: names are cut with an ellipsis)
has "healthy rates: frontend 120 req/s" "$T_TMP/h.txt" '━━ frontend\.shop[^│]* +last 120 req/s'
has "healthy rates: order 30.0 req/s" "$T_TMP/h.txt" '━━ order\.shop[^│]* +last 30\.0 req/s'
has "healthy rates: payment 25.0 req/s" "$T_TMP/h.txt" '━━ payment\.shop[^│]* +last 25\.0 req/s'
has "healthy pool 85 connections" "$T_TMP/h.txt" 'last 85 +max 85'
has "no alerts before the incident" "$T_TMP/h.txt" 'no alerts active'
lacks "no errors on any panel" "$T_TMP/h.txt" "error"

# --- the moment it starts: an alert pending for 15s
snap 2026-11-26T02:17:45Z "$T_TMP/p.txt"
has "PaymentUpstreamOverflow pending 15s after 02:17:30" "$T_TMP/p.txt" '○ critical +PaymentUpstreamO… +15s'
has "one pending, none firing" "$T_TMP/p.txt" '0 firing, 1 pending'

# --- --range narrows the window every panel shows
snap 2026-11-26T02:30:00Z "$T_TMP/r.txt" --range 15m
has "--range 15m: the status bar says so" "$T_TMP/r.txt" '02:30:00Z, 15m window'
has "--range 15m: 5-minute ticks" "$T_TMP/r.txt" '02:20 +02:25'
has "--range 15m: same values" "$T_TMP/r.txt" 'order\.shop\.svc\.cluster\.local +last 8\.40 s'
has "--range 15m: the stat's delta starts at 02:15" "$T_TMP/r.txt" 'since 02:15'
