#!/bin/sh
# A Grafana dashboard opened directly in the terminal, at 80x24 and 200x60,
# with and without colour: rows and panels laid out, collapsed rows, the
# import report and back.
. tests/lib.sh
dash=tests/fixtures/grafana/istio/pilot-dashboard.gen.json

for size in 80x24 200x60; do
	for nc in "" 1; do
		cols=${size%x*}
		rows=${size#*x}
		tag="$size${nc:+ NO_COLOR}"
		tmux_start "$cols" "$rows" "env ${nc:+NO_COLOR=1} $SCRY_BIN $dash"
		if screen_wait "Deployed Versions" 5; then ok "$tag: rows drawn"; else
			not_ok "$tag: rows drawn" "$(tmux_screen)"; fi
		# the line under the row header is the frame of its panels, not the header
		# over an earlier panel's border
		if screen_wait "Resource Usage" 2 &&
		    tmux_screen | grep -A1 "Resource Usage" | tail -1 | grep -q "^╭ Mem"; then
			ok "$tag: panels of the expanded row under it"
		else not_ok "$tag: panels of the expanded row under it" "$(tmux_screen)"; fi
		tmux_keys ":import-report" Enter
		if screen_wait "17 panels converted, 0 unsupported" 3; then ok "$tag: :import-report"; else
			not_ok "$tag: :import-report" "$(tmux_screen)"; fi
		if tmux_screen | grep -q "Spectral"; then ok "$tag: report lists approximations"; else
			not_ok "$tag: report lists approximations" "$(tmux_screen)"; fi
		tmux_keys Escape
		if screen_wait "Deployed Versions" 3 && ! tmux_screen | grep -q "import report"; then
			ok "$tag: Esc returns to the dashboard"
		else not_ok "$tag: Esc returns to the dashboard" "$(tmux_screen)"; fi
		tmux_keys q
		if exit_wait 5 | grep -q "EXIT=0"; then ok "$tag: q exits 0"; else not_ok "$tag: q exits 0"; fi
		tmux -L "$T_TMUX" kill-server 2>/dev/null
		while tmux -L "$T_TMUX" ls >/dev/null 2>&1; do sleep 0.05; done
		rm -f "$T_TMP/exit"
	done
done

# a collapsed row shows its hint
tmux_start 120 40 "$SCRY_BIN tests/fixtures/grafana/istio/legacy/pilot-dashboard.json"
if screen_wait "collapsed, Enter expands" 5; then ok "collapsed rows marked"; else
	not_ok "collapsed rows marked" "$(tmux_screen)"; fi
tmux_keys q
exit_wait 5 >/dev/null

# The Istio service dashboard over the real Prometheus (seed incident at
# 02:30): the service chosen with the variable picker, then order's success
# rate (180 of 450 = 40 %) and P99 (8.40 s, tests/fixtures/prom/README.md)
. tests/prom.sh
if prom_start; then
	tmux_stop
	tmux_start 120 40 "$SCRY_BIN -p $PROM_URL --at 2026-11-26T02:30:00Z tests/fixtures/grafana/istio/istio-service-dashboard.json"
	if screen_wait "Client Success Rate" 10; then ok "Istio service dashboard over Prometheus"; else
		not_ok "Istio service dashboard over Prometheus" "$(tmux_screen)"; fi
	# the file's choice (details.default) is not offered: the first one offered is taken
	if screen_wait ".shop.svc.cluster.local" 10 && ! tmux_screen | grep -q "details.default"; then
		ok "a service the fixture has replaces the file's choice"
	else not_ok "a service the fixture has replaces the file's choice" "$(tmux_screen)"; fi
	tmux_keys v
	if screen_wait "order.shop.svc.cluster.local" 5; then ok "the picker offers the fixture's services"; else
		not_ok "the picker offers the fixture's services" "$(tmux_screen)"; fi
	tmux_keys o r d e r Enter
	if screen_wait "SERVICE: order.shop.svc.cluster.local" 5; then ok "order chosen in the picker"; else
		not_ok "order chosen in the picker" "$(tmux_screen)"; fi
	if screen_wait "40.0 %" 10; then ok "order's success rate: 40 %"; else
		not_ok "order's success rate: 40 %" "$(tmux_screen)"; fi
	if screen_wait "30.0 ops/s" 5; then ok "order's request volume: 30 req/s"; else
		not_ok "order's request volume: 30 req/s" "$(tmux_screen)"; fi
	# zoom the client request duration panel (the third after the text panel)
	for k in Tab Tab Tab Enter; do
		tmux_keys $k
		sleep 0.2
	done
	if screen_wait "last 8.40 s" 10; then ok "order's P99: 8.40 s"; else
		not_ok "order's P99: 8.40 s" "$(tmux_screen)"; fi
	if tmux_screen | grep "P99" | grep -q "last 8.40 s"; then ok "... on the P99 line"; else
		not_ok "... on the P99 line" "$(tmux_screen)"; fi
	tmux_keys q
	exit_wait 5 >/dev/null
	tmux_stop
else
	not_ok "prometheus ready" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
fi
