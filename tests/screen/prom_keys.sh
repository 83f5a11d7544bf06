#!/bin/sh
# prom_keys: time navigation and panel keys change what the graphs show,
# in a real terminal (tmux) against the real Prometheus over the fixture:
# the cursor (< >) moves every legend to the values at that time, - + zoom
# through the ladder, [ ] pan, 0 goes live; graph J/t/A select and hide a
# series; alerts J/o open the alert's expression as a graph, Esc returns;
# v chooses a variable value and the panels follow.
. tests/lib.sh
. tests/prom.sh

if ! prom_start; then
	not_ok "prometheus starts over the fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
expect() {	# expect NAME TEXT [SECONDS]
	if screen_wait "$2" "${3:-5}"; then ok "$1"; else not_ok "$1" "expected '$2':" "$(tmux_screen)"; fi
}
expect_re() {	# expect_re NAME REGEX
	n=0
	while ! tmux_screen | grep -qE -- "$2"; do
		n=$((n + 1))
		if [ $n -gt 100 ]; then not_ok "$1" "expected /$2/:" "$(tmux_screen)"; return; fi
		sleep 0.05
	done
	ok "$1"
}

tmux_start 160 64 "LC_ALL=C.UTF-8 $SCRY_BIN -p $PROM_URL --at 2026-11-26T02:30:00Z --utc"
expect "incident data drawn" "last 8.40 s" 10

# the cursor: the first < puts it at the window end, 25 steps of range/100
# (36 s) back is 02:15:00, before the incident
i=0
while [ $i -lt 26 ]; do tmux_keys '<'; i=$((i + 1)); done
expect "status bar shows the cursor time" "cursor 02:15:00"
expect_re "legend shows order's P99 at the cursor: 120 ms" 'order\.shop\.svc\.cluster\.local +120 ms'
expect_re "legend shows payment's 5xx ratio at the cursor: 0 %" 'payment\.shop\.svc\.cluster\.local +0 %'
tmux_keys '>' '>' '>' '>' '>' '>' '>' '>' '>' '>'
expect_re "cursor forward into the incident: order 8.40 s" 'order\.shop\.svc\.cluster\.local +8\.40 s'
tmux_keys Escape
expect_re "Esc clears the cursor: legends show last/max again" 'order\.shop\.svc\.cluster\.local +last 8\.40 s'

# zoom and pan
tmux_keys '-'
expect "- zooms out to 3h" "02:30:00Z, 3h window"
expect "the x axis follows (23:30 is in a 3h window)" "23:30"
tmux_keys '+' '+'
expect "+ zooms in to 15m" "02:30:00Z, 15m window"
expect_re "15m window: ticks every 5 minutes" '02:20 +02:25'
tmux_keys '['
expect "[ pans back half a window" "02:22:30Z, 15m window"
tmux_keys '[' '['
expect "[ [ pans back before the incident" "02:07:30Z, 15m window"
expect_re "before the incident the order P99 is 120 ms again" 'order\.shop\.svc\.cluster\.local +last 120 ms'
expect "before the incident no alert is active" "no alerts active"
tmux_keys ']' ']' ']'
expect "] pans forward" "02:30:00Z, 15m window"
tmux_keys '-' '-'

# a graph series: select, hide, show all
i=0
while [ $i -lt 4 ]; do tmux_keys Tab; i=$((i + 1)); done
# the legend is worst first: frontend (waiting on order) leads, then order
if tmux_screen | awk '/━━ frontend\.shop\.svc\.cluster\.local +last [0-9.]+ s / { f = NR }
    /━━ order\.shop\.svc\.cluster\.local +last 8\.40 s / { o = NR } END { exit !(f && o && f < o) }'; then
	ok "the P99 legend is worst first: frontend (waiting on order), then order"
else
	not_ok "the P99 legend is worst first: frontend (waiting on order), then order" "$(tmux_screen)"
fi
tmux_keys J t
expect_re "J selects the first series, t hides it" 'frontend\.shop\.svc\.cluster\.local +hidden'
tmux_keys A
expect_re "A shows every series again" 'frontend\.shop\.svc\.cluster\.local +last [0-9.]+ s'

# alerts: select the first, open its expression, come back
i=0
while [ $i -lt 4 ]; do tmux_keys Tab; i=$((i + 1)); done
tmux_keys J o
expect "o opens the alert's expression as a graph" "PaymentUpstreamOverflow: sum by (destination_service)"
expect "the comparison became a threshold; the ratio is drawn" "last 0.92"
tmux_keys Escape
expect "Esc returns to the dashboard" "Worst P99"

tmux_keys '0'
expect "0 goes live" "live, last 3h"
expect "live: no fixture data now, and the panels say so" "no data in this window" 20
expect "live alerts come from the rules: one pending" "0 firing, 1 pending" 20
tmux_keys q
rc=$(exit_wait 5)
if [ "$rc" = "EXIT=0" ]; then ok "q quits cleanly (exit 0, no sanitizer report)"; else
	not_ok "q quits cleanly (exit 0, no sanitizer report)" "got '$rc'" "$(tmux_screen | tail -20)"
fi

# variables: the picker on the http dashboard (same tmux server, new pane
# process: restarting a server under the same name races its shutdown)
rm -f "$T_TMP/exit"
tmux -L "$T_TMUX" respawn-pane -k -t t "LC_ALL=C.UTF-8 $SCRY_BIN -p $PROM_URL \
    --at 2026-11-26T02:30:00Z --utc dashboards/http.json; echo EXIT=\$? > $T_TMP/exit; sleep 60"
expect "http dashboard starts with every service" "service=All" 10
expect "the variable's title expands" "P99 (All)"
tmux_keys v
expect "v opens the picker with the label values" "[ ] order"
tmux_keys Down Down Enter
expect "choosing order says so" '$service = order'
expect "and the panel titles" "P99 (order)"
expect_re "and the panels: only order's routes" '━━ order /orders'
if tmux_screen | grep -qF "━━ cart /cart"; then not_ok "cart left the graphs" "$(tmux_screen)"; else
	ok "cart left the graphs"; fi
tmux_keys q
rc=$(exit_wait 5)
if [ "$rc" = "EXIT=0" ]; then ok "q quits the http dashboard cleanly"; else
	not_ok "q quits the http dashboard cleanly" "got '$rc'" "$(tmux_screen | tail -20)"
fi
