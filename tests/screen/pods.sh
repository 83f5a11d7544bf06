#!/bin/sh
# The pods pane in a real terminal (tmux): sort, filter, group by owner,
# pod detail, kubectl logs, events following the time cursor; 80x24 and
# 200x60, colour and NO_COLOR.
. tests/lib.sh
. tests/servers/kubeapi.sh

if ! command -v kubectl >/dev/null 2>&1; then
	not_ok "kubectl on PATH" "install kubectl (make deps installs kubernetes-client)"
	exit 0
fi
kube_start
cat > "$T_TMP/d.json" <<EOF
{"title": "kube", "refresh": "2s",
 "sources": {"prod-eu1": {"type": "kubectl", "context": "prod-eu1"}},
 "panels": [{"type": "pods", "title": "pods", "options": {"metrics": false}, "grid": {"x": 0, "y": 0, "w": 24, "h": 30}},
            {"type": "events", "title": "events", "grid": {"x": 0, "y": 30, "w": 24, "h": 10}}]}
EOF

row() {	# row N: the Nth data row of the zoomed pods pane (1-based)
	tmux_screen | sed -n "$(( $1 + 3 ))p"
}
expect_row() {	# expect_row NAME N TEXT
	if row "$2" | grep -q -- "$3"; then ok "$1"; else not_ok "$1" "row $2: $(row "$2")" "$(tmux_screen)"; fi
}
waitfor() {	# waitfor NAME TEXT [SECONDS]
	if screen_wait "$2" "${3:-8}"; then ok "$1"; else not_ok "$1" "$(tmux_screen)"; fi
}

tmux_start 120 40 "$SCRY_BIN $T_TMP/d.json"
waitfor "pods listed" "32 pods  8 failing" 20
tmux_keys Enter		# zoom the pods pane
waitfor "zoomed: the pane has the screen" "redis-1"
expect_row "default order: unhealthy first" 1 "inventory-7b8c9d6f5-ev1ct .*Evicted"

tmux_keys s
waitfor "s sorts by name" "sorted by name"
expect_row "by name: first row" 1 "cart-5f8d9b7c6-a1b2c"
check "by name: the header marks the column" sh -c "tmux -L '$T_TMUX' capture-pane -t t -p | grep -q 'NAME▾'"
tmux_keys S
sleep 0.3
expect_row "S reverses" 1 "search-6c5d4e3f2-r3ady"
tmux_keys S s s s
waitfor "sort by restarts" "sorted by restarts"
expect_row "by restarts: most restarts first" 1 "payment-7c9f8d6b5-j4k7l .* 7 (10m ago)"
tmux_keys s s s s s
waitfor "s comes back to health order" "sorted by health"

tmux_keys / p a y m e n t Enter
waitfor "filter by regex" "6 shown for /payment/"
check "filter: no other pods" sh -c "! tmux -L '$T_TMUX' capture-pane -t t -p | grep -q 'order-6b7d'"
tmux_keys F
waitfor "F clears the filter" "order-6b7d9c5f8-x2k4p"
tmux_keys / '(' Enter
waitfor "a bad regex is reported, not fatal" "filter:"

tmux_keys o
waitfor "o groups by owner" "Deployment/payment"
waitfor "group header: the deployment's rollout state" "desired 6  ready 4  updated 3  unavailable 2  ReplicaSetUpdated"
tmux_keys G
waitfor "group: StatefulSet" "StatefulSet/redis"
waitfor "group: DaemonSet" "DaemonSet/log-shipper"
waitfor "group: Job" "Job/db-migrate-29371020"
tmux_keys g Enter
waitfor "Enter on a group header collapses it" "▸ "
tmux_keys Enter o
sleep 0.3

tmux_keys g j j j j j j
sleep 0.2
expect_row "j moves the selection" 7 "payment-7c9f8d6b5-j4k7l"
tmux_keys Enter
waitfor "Enter opens the pod detail" "pod shop/payment-7c9f8d6b5-j4k7l"
waitfor "detail: conditions" "ContainersNotReady"
waitfor "detail: last termination with exit code" "Error, exit code 1"
waitfor "detail: waiting reason" "Waiting: CrashLoopBackOff"
waitfor "detail: recent events" "Back-off restarting failed container payment"
waitfor "detail: requests and limits" "cpu 500m / 1   memory 256Mi / 512Mi"
tmux_keys l
waitfor "l opens kubectl logs" "kubectl logs shop/payment-7c9f8d6b5-j4k7l -c payment"
waitfor "logs: story lines" "TLS offload not configured; falling back"
waitfor "logs: escapes made visible" "^[]0;pwned^G"
waitfor "logs: streamed (follow)" "still here"
tmux_keys / s t i l l Enter
waitfor "logs: regex filter" "match /still/"
tmux_keys p
waitfor "p: the previous container's log" "panic: tls setup failed"
tmux_keys Escape Escape
waitfor "Esc returns to the detail" "Events (newest first)"
tmux_keys Escape Escape
waitfor "Esc returns to the grid" "╭ events"

# events follow the cursor: move it back past the rollout
tmux_keys Tab
sleep 0.2
tmux_keys Enter
waitfor "events zoomed" "LAST   TYPE"
tmux_keys Enter
waitfor "Enter on an event sets the time cursor" "time cursor on"
waitfor "pods/events show the time they describe" "cursor"
tmux_keys q
if exit_wait 5 | grep -q "EXIT=0"; then ok "q quits cleanly (exit 0)"; else not_ok "q quits cleanly (exit 0)" "$(tmux_screen)"; fi

# sizes and colours
for size in 80x24 200x60; do
	cols=${size%x*} rows=${size#*x}
	NO_COLOR=1 "$SCRY_BIN" --snapshot --size "$size" --timeout 20s "$T_TMP/d.json" > "$T_TMP/s.txt" 2>&1
	check "snapshot $size: pods and events drawn" sh -c "grep -q 'payment-7c9f8d6b5-j4k7l' '$T_TMP/s.txt' && grep -q 'Warning' '$T_TMP/s.txt'"
	check "snapshot $size: fits the size" test "$(wc -L < "$T_TMP/s.txt")" -le "$cols"
	check "snapshot $size: all rows" test "$(wc -l < "$T_TMP/s.txt")" -eq "$rows"
	"$SCRY_BIN" --snapshot --color always --size "$size" --timeout 20s "$T_TMP/d.json" > "$T_TMP/c.txt" 2>&1
	check "snapshot $size: colour output colours failing rows" grep -q "$(printf '\033')\[0;1;38;5;[0-9]*mCrashLoopBackOff" "$T_TMP/c.txt"
done

# under make asan every scry above ran instrumented: no report anywhere
if grep -l -e "ERROR: AddressSanitizer" -e "runtime error:" -e "ERROR: LeakSanitizer" "$T_TMP"/*.txt >/dev/null 2>&1; then
	not_ok "no sanitizer report" "$(grep -l -e AddressSanitizer -e 'runtime error:' -e LeakSanitizer "$T_TMP"/*.txt)"
else
	ok "no sanitizer report"
fi
