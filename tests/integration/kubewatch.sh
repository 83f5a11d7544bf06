#!/bin/sh
# kubectl source over time, in a terminal: one long-lived watch streams
# changes (no re-list every refresh), a hanging API server is cut off by
# the deadline (the panel goes stale with kubectl's words, keys still
# answer, no child is left behind), and the source recovers.
. tests/lib.sh
. tests/servers/kubeapi.sh

if ! command -v kubectl >/dev/null 2>&1; then
	not_ok "kubectl on PATH" "install kubectl (make deps installs kubernetes-client)"
	exit 0
fi
kube_start
cat > "$T_TMP/watch.json" <<EOF
{"title": "kube", "refresh": "1s",
 "sources": {"prod-eu1": {"type": "kubectl", "context": "prod-eu1", "timeout": "3s", "top_interval": "4s"}},
 "panels": [{"type": "pods", "grid": {"x": 0, "y": 0, "w": 24, "h": 40}}]}
EOF

# screen_re REGEX [SECONDS]: wait until a line of the pane matches REGEX.
screen_re() {
	n=0
	while ! tmux_screen | grep -q -- "$1"; do
		n=$((n + 1))
		[ $n -gt $(( ${2:-5} * 10 )) ] && return 1
		sleep 0.1
	done
}

t_start=$(date +%s)
tmux_start 120 42 "$SCRY_BIN $T_TMP/watch.json"
if screen_re "payment-7c9f8d6b5-v9w3x" 20; then ok "pods listed"; else
	not_ok "pods listed" "$(tmux_screen)"; fi
sleep 1
lists=$(kube_requests '^/api/v1/namespaces/shop/pods\?limit=500$')
watches=$(kube_requests '^/api/v1/namespaces/shop/pods\?.*watch=true')
check "one watch is open" test "$watches" -eq 1

# --- a pod changes state mid-test: it shows up without a re-list -------------
before=$(date +%s)
sleep 1
kube_ctl "apply?change=rollback" >/dev/null
if screen_re "payment-7c9f8d6b5-r2s5t *1/2 *CrashLoopBackOff *1 (" 10; then
	ok "MODIFIED from the watch: r2s5t now CrashLoopBackOff with 1 restart"; else
	not_ok "MODIFIED from the watch: r2s5t now CrashLoopBackOff with 1 restart" "$(tmux_screen)"; fi
n=0
while tmux_screen | grep -q "payment-7c9f8d6b5-v9w3x" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
if tmux_screen | grep -q "payment-7c9f8d6b5-v9w3x"; then
	not_ok "DELETED from the watch: v9w3x is gone" "$(tmux_screen)"; else
	ok "DELETED from the watch: v9w3x is gone"; fi
# --- the time cursor shows the pods as they were before the change ----------
tmux_keys : g o t o ' ' $before Enter
if screen_re "payment-7c9f8d6b5-v9w3x *0/2 *Init:0/1" 5 && screen_re "payment-7c9f8d6b5-r2s5t *1/2 *Running" 2 &&
    screen_re "as of " 1; then
	ok "cursor before the rollback: the deleted pod and the old status are back"; else
	not_ok "cursor before the rollback: the deleted pod and the old status are back" "$(tmux_screen)"; fi
tmux_keys 0
if screen_re "payment-7c9f8d6b5-r2s5t *1/2 *CrashLoopBackOff" 5 && ! tmux_screen | grep -q "v9w3x"; then
	ok "cursor cleared: live again"; else
	not_ok "cursor cleared: live again" "$(tmux_screen)"; fi
sleep 3	# three refresh intervals
check "no re-list while the watch runs (refresh 1s)" test "$(kube_requests '^/api/v1/namespaces/shop/pods\?limit=500$')" -eq "$lists"
check "still the one watch" test "$(kube_requests '^/api/v1/namespaces/shop/pods\?.*watch=true')" -eq "$watches"
check "the pane says it is live, not stale" sh -c "! tmux -L '$T_TMUX' capture-pane -t t -p | grep -q stale"

# --- the API server hangs: the deadline kills kubectl, data stays, stale ------
kube_ctl "mode?set=hang" >/dev/null
if screen_re "did not finish within 3s (killed)" 20; then
	ok "hanging server: kubectl killed at the deadline, the panel says so"; else
	not_ok "hanging server: kubectl killed at the deadline, the panel says so" "$(tmux_screen)"; fi
check "hanging server: the badge says stale" sh -c "tmux -L '$T_TMUX' capture-pane -t t -p | grep -q 'stale [0-9]'"
check "hanging server: the last data stays on screen" sh -c "tmux -L '$T_TMUX' capture-pane -t t -p | grep -q 'payment-7c9f8d6b5-j4k7l'"
tmux_keys s
if screen_wait "sorted by name" 3; then ok "hanging server: keys still answer"; else
	not_ok "hanging server: keys still answer" "$(tmux_screen)"; fi
scry_pid=$(pgrep -f "^$SCRY_BIN $T_TMP/watch.json" | head -1)
zombies=$(ps -o stat= --ppid "$scry_pid" 2>/dev/null | grep -c Z)
check "hanging server: no zombie children" test "$zombies" -eq 0
check "hanging server: at most the list and the watch alive" test "$(ps -o pid= --ppid "$scry_pid" | wc -l)" -le 2

# --- it recovers on its own ------------------------------------------------
kube_ctl "mode?set=ok" >/dev/null
n=0
while tmux_screen | grep -q "did not finish" && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
if tmux_screen | grep -q "did not finish"; then
	not_ok "recovers when the server answers again" "$(tmux_screen)"; else
	ok "recovers when the server answers again"; fi

tmux_keys q
if exit_wait 5 | grep -q "EXIT=0"; then ok "quits cleanly"; else not_ok "quits cleanly" "$(tmux_screen)"; fi
elapsed=$(( $(date +%s) - t_start ))
tops=$(kube_requests '^/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods')
check "top polled on its own interval (4s), not every refresh (1s): $tops calls in ${elapsed}s" \
    sh -c "[ $tops -ge 2 ] && [ $tops -le $(( elapsed / 4 + 2 )) ]"
sleep 0.3
if [ -n "$(kube_children)" ]; then
	not_ok "every kubectl child ended with scry" "$(kube_children)"; else
	ok "every kubectl child ended with scry"; fi
