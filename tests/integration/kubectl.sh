#!/bin/sh
# kubectl source: the real kubectl (whatever `kubectl` is on PATH: gcloud's
# dispatcher here, Debian's kubernetes-client elsewhere) against the test
# API server (tests/servers/kubeapi.py) serving the seed incident.
. tests/lib.sh
. tests/servers/kubeapi.sh

if ! command -v kubectl >/dev/null 2>&1; then
	not_ok "kubectl on PATH" "install kubectl (make deps installs kubernetes-client)"
	exit 0
fi
kube_start --page 7

# --- dashboards are checked without running kubectl --------------------------
cat > "$T_TMP/bad.json" <<'EOF'
{"title": "bad", "sources": {"k": {"type": "kubectl", "context": "--token=x", "timeout": "soon"}},
 "panels": [{"type": "pods", "options": {"sort": "bogus", "filter": "("}},
            {"type": "events", "options": {"warnings_only": "yes"}}]}
EOF
"$SCRY_BIN" --check "$T_TMP/bad.json" > "$T_TMP/check.txt" 2>&1
check "--check fails a bad kubectl dashboard" test $? -eq 1
contains "--check: option-like names refused" "$T_TMP/check.txt" "must be plain names (not starting with '-')"
contains "--check: unknown sort column" "$T_TMP/check.txt" "options.sort: unknown column 'bogus'"
contains "--check: bad filter regex" "$T_TMP/check.txt" "missing closing parenthesis"

dash() {	# dash FILE SOURCE-JSON PANELS-JSON
	cat > "$1" <<EOF
{"title": "kube", "refresh": "2s",
 "sources": $2,
 "panels": $3}
EOF
}
SRC='{"prod-eu1": {"type": "kubectl", "context": "prod-eu1", "timeout": "8s"}}'
dash "$T_TMP/pods.json" "$SRC" '[{"type": "pods", "options": {"metrics": false}, "grid": {"x": 0, "y": 0, "w": 24, "h": 40}}]'

squeeze() { sed 's/[│╭╮╰╯─]//g; s/  */ /g; s/^ //; s/ $//' "$@"; }

# --- the server renders kubectl's table as kubectl's printer does -----------
kubectl get pods -A --no-headers > "$T_TMP/kubectl-A.txt" 2> "$T_TMP/kubectl.err"
awk '{r=$5; for (i = 6; i < NF; i++) r = r " " $i; print $1 "|" $2 "|" $3 "|" $4 "|" r "|" $NF}' \
    "$T_TMP/kubectl-A.txt" | sort > "$T_TMP/got.txt"
grep -v '^#' "$KUBE_FIXTURES/pods-expect.txt" | sort > "$T_TMP/want.txt"
if diff "$T_TMP/want.txt" "$T_TMP/got.txt" > "$T_TMP/d.txt"; then
	ok "kubectl get pods (server-rendered columns) matches the hand-derived expectations"
else
	not_ok "kubectl get pods (server-rendered columns) matches the hand-derived expectations" "$(cat "$T_TMP/d.txt")"
fi
check "kubectl followed the server's list pages" test "$(kube_requests '^/api/v1/pods\?continue=')" -ge 4

# --- the pods pane shows kubectl's statuses and restart counts exactly ------
kubectl get pods --no-headers | squeeze | sort > "$T_TMP/kubectl.txt"
"$SCRY_BIN" --snapshot --size 86x45 --timeout 20s "$T_TMP/pods.json" > "$T_TMP/snap.txt" 2> "$T_TMP/snap.err"
sed -n '4,$p' "$T_TMP/snap.txt" | head -n "$(wc -l < "$T_TMP/kubectl.txt")" | squeeze | sort > "$T_TMP/scry.txt"
if [ -s "$T_TMP/kubectl.txt" ] && diff "$T_TMP/kubectl.txt" "$T_TMP/scry.txt" > "$T_TMP/d.txt"; then
	ok "pods pane rows equal kubectl get pods (NAME READY STATUS RESTARTS AGE) for all $(wc -l < "$T_TMP/kubectl.txt") pods"
else
	not_ok "pods pane rows equal kubectl get pods" "$(cat "$T_TMP/d.txt")" "$(cat "$T_TMP/snap.txt")"
fi
contains "summary counts the unhealthy pods" "$T_TMP/snap.txt" "32 pods  8 failing  7 not ready"
check "unhealthy pods come first" sh -c "sed -n 4p '$T_TMP/snap.txt' | grep -q Evicted"
check "OOMKilled shown with its restarts" grep -q "order-6b7d9c5f8-x2k4p *1/2 *OOMKilled *3 (12m ago)" "$T_TMP/snap.txt"
check "CrashLoopBackOff shown with its restarts" grep -q "payment-7c9f8d6b5-j4k7l *1/2 *CrashLoopBackOff *7 (10m ago)" "$T_TMP/snap.txt"

# --- every kubectl child is gone after scry exits -----------------------------
if [ -n "$(kube_children)" ]; then
	not_ok "no kubectl child outlives scry" "$(kube_children)"
else
	ok "no kubectl child outlives scry"
fi

# --- top: usage columns; a missing metrics API is a state, not an error -----
dash "$T_TMP/top.json" "$SRC" '[{"type": "pods", "grid": {"x": 0, "y": 0, "w": 24, "h": 40}}]'
"$SCRY_BIN" --snapshot --size 160x45 --timeout 20s "$T_TMP/top.json" > "$T_TMP/top.txt" 2>&1
check "top: payment r2s5t uses 1490m CPU and 550Mi memory" grep -q "payment-7c9f8d6b5-r2s5t.* 1490m .* 550Mi" "$T_TMP/top.txt"
kubectl top pods --no-headers > "$T_TMP/ktop.txt" 2>&1
check "top: the same numbers as kubectl top" grep -q "payment-7c9f8d6b5-r2s5t *1490m *550Mi" "$T_TMP/ktop.txt"
kube_ctl "mode?set=nometrics" >/dev/null
"$SCRY_BIN" --snapshot --size 160x45 --timeout 20s "$T_TMP/top.json" > "$T_TMP/nometrics.txt" 2>&1
kube_ctl "mode?set=ok" >/dev/null
contains "no metrics API: 'metrics unavailable'" "$T_TMP/nometrics.txt" "metrics unavailable"
lacks "no metrics API: not an error" "$T_TMP/nometrics.txt" "error"
contains "no metrics API: pods still listed" "$T_TMP/nometrics.txt" "payment-7c9f8d6b5-j4k7l"

# --- errors: each a clear panel state with kubectl's own words ---------------
errcase() {	# errcase NAME SOURCE-JSON TEXT [env...]
	name=$1 src=$2 text=$3
	shift 3
	dash "$T_TMP/err.json" "$src" '[{"type": "pods", "grid": {"x": 0, "y": 0, "w": 24, "h": 20}}]'
	env "$@" "$SCRY_BIN" --snapshot --size 200x22 --timeout 25s "$T_TMP/err.json" > "$T_TMP/err.txt" 2>&1
	contains "$name" "$T_TMP/err.txt" "$text"
}
errcase "RBAC 403: kubectl's Forbidden line" '{"k": {"type": "kubectl", "context": "jane-eu1"}}' \
    'cannot list resource "pods" in API group "" in the namespace "shop"'
contains "RBAC 403: shown as HTTP 403" "$T_TMP/err.txt" "error (HTTP 403)"
errcase "wrong context: kubectl's message" '{"k": {"type": "kubectl", "context": "nope"}}' \
    'context was not found for specified context: nope'
errcase "unreachable API server: kubectl's message" '{"k": {"type": "kubectl", "context": "nowhere"}}' \
    'was refused - did you specify the right host or port?'
lacks "unreachable API server: klog noise is not the message" "$T_TMP/err.txt" "memcache.go"
mkdir -p "$T_TMP/nokubectl"
ln -sf "$(command -v python3)" "$T_TMP/nokubectl/python3"
errcase "kubectl missing from PATH" '{"k": {"type": "kubectl"}}' 'kubectl: not found in PATH' \
    PATH="$T_TMP/nokubectl"
kube_ctl "mode?set=garbage" >/dev/null
errcase "garbage JSON: kubectl's decode error, not its empty List" '{"k": {"type": "kubectl", "context": "prod-eu1"}}' \
    "error: invalid character '\\x01' in string literal"
kube_ctl "mode?set=ok" >/dev/null
lacks "garbage JSON: not 'no pods'" "$T_TMP/err.txt" "no pods"

# --- secrets: the kubeconfig token never reaches the screen or the log -------
"$SCRY_BIN" --snapshot --size 120x30 --timeout 20s --log "$T_TMP/scry.log" "$T_TMP/pods.json" > "$T_TMP/s.txt" 2>&1
if grep -qF "$KUBE_TOKEN" "$T_TMP/s.txt" "$T_TMP/scry.log"; then
	not_ok "the kubeconfig token appears nowhere" "$(grep -F "$KUBE_TOKEN" "$T_TMP/s.txt" "$T_TMP/scry.log")"
else
	ok "the kubeconfig token appears nowhere"
fi
contains "the log names the kubectl source" "$T_TMP/scry.log" "kubectl source prod-eu1"

# --- command line: --context / -n / -A override the dashboard ----------------
dash "$T_TMP/cli.json" '{"k": {"type": "kubectl", "context": "nope", "namespace": "default"}}' \
    '[{"type": "pods", "options": {"metrics": false}, "grid": {"x": 0, "y": 0, "w": 24, "h": 40}}]'
"$SCRY_BIN" --snapshot --size 120x45 --timeout 20s --context prod-eu1 -A "$T_TMP/cli.json" > "$T_TMP/cli.txt" 2>&1
contains "--context and -A: all namespaces, with a NAMESPACE column" "$T_TMP/cli.txt" "istio-system istiod-7d8f9c6b5-q2w3e"
"$SCRY_BIN" --snapshot --size 120x45 --timeout 20s --context prod-eu1 -n istio-system "$T_TMP/cli.json" > "$T_TMP/cli2.txt" 2>&1
contains "-n: the namespace given" "$T_TMP/cli2.txt" "istiod-7d8f9c6b5-q2w3e"
lacks "-n: only that namespace" "$T_TMP/cli2.txt" "payment-"

"$SCRY_BIN" --snapshot --size 120x45 --timeout 20s --context prod-eu1 -n istio-system --request-timeout 7s \
    "$T_TMP/cli.json" > "$T_TMP/cli3.txt" 2>&1
check "--request-timeout reaches kubectl (it asks the server with timeout=7s)" \
    test "$(kube_requests '^/api/v1/namespaces/istio-system/pods\?limit=500&timeout=7s$')" -ge 1

# --- events: Warning first, both shapes, messages sanitised -----------------
dash "$T_TMP/ev.json" "$SRC" '[{"type": "events", "grid": {"x": 0, "y": 0, "w": 24, "h": 30}}]'
"$SCRY_BIN" --snapshot --size 200x32 --timeout 20s "$T_TMP/ev.json" > "$T_TMP/ev.txt" 2>&1
check "events: a Warning is first" sh -c "sed -n 4p '$T_TMP/ev.txt' | grep -q Warning"
check "events: the last Warning comes before the first Normal" sh -c \
    "awk '/ Warning /{w=NR} / Normal /{if(!n)n=NR} END{exit !(w<n)}' '$T_TMP/ev.txt'"
check "events: core/v1 count shown" grep -q "BackOff *Pod/payment-7c9f8d6b5-j4k7l *31" "$T_TMP/ev.txt"
check "events: events.k8s.io series count shown" grep -q "FailedScheduling *Pod/loadgen-5c6d7e8f9-q1w2e *9" "$T_TMP/ev.txt"
contains "events: escape sequences in messages are made visible" "$T_TMP/ev.txt" '^[]0;pwned^G'
contains "events: bidi override made visible" "$T_TMP/ev.txt" '<U+202E>'

# --- several contexts in one panel: a CONTEXT column -------------------------
kube_server
kube_add_context prod-us1 "$KUBE_PORT2"
dash "$T_TMP/multi.json" '{"eu1": {"type": "kubectl", "context": "prod-eu1"}, "us1": {"type": "kubectl", "context": "prod-us1"}}' \
    '[{"type": "pods", "queries": [{"query": "app=payment", "source": "eu1"}, {"query": "app=payment", "source": "us1"}], "options": {"metrics": false}, "grid": {"x": 0, "y": 0, "w": 24, "h": 40}}]'
"$SCRY_BIN" --snapshot --size 140x45 --timeout 20s "$T_TMP/multi.json" > "$T_TMP/multi.txt" 2>&1
contains "two contexts: CONTEXT column" "$T_TMP/multi.txt" "CONTEXT"
check "two contexts: the crash-looping pod from each" test "$(grep -c 'payment-7c9f8d6b5-j4k7l' "$T_TMP/multi.txt")" -eq 2
check "two contexts: rows name their context" sh -c "grep -q '^│eu1 ' '$T_TMP/multi.txt' && grep -q '^│us1 ' '$T_TMP/multi.txt'"
check "label selector: only payment pods" sh -c "! grep -q 'order-' '$T_TMP/multi.txt'"

# --- kubectl's own AGE (client-side HumanDuration) agrees with scry's ---------
secs=$(awk '/kubectl/ && !/^#/ {printf "%s%s", s, $1; s=","}' "$KUBE_FIXTURES/human-duration.txt")
kube_ctl "ages?secs=$secs" >/dev/null
kubectl get configmaps --no-headers > "$T_TMP/ages.txt" 2>&1
bad=$(awk 'NR==FNR { if ($0 !~ /^#/ && $3 == "kubectl") want["age-" $1] = $2; next }
    { if (want[$1] != $2) print $1 ": kubectl " $2 ", expected " want[$1]; seen++ }
    END { if (seen < 10) print "only " seen " rows" }' "$KUBE_FIXTURES/human-duration.txt" "$T_TMP/ages.txt")
if [ -z "$bad" ]; then ok "kubectl's client-side AGE agrees with the HumanDuration table"; else
	not_ok "kubectl's client-side AGE agrees with the HumanDuration table" "$bad"; fi

# under make asan every scry above ran instrumented: no report anywhere
if grep -l -e "ERROR: AddressSanitizer" -e "runtime error:" -e "ERROR: LeakSanitizer" "$T_TMP"/*.txt >/dev/null 2>&1; then
	not_ok "no sanitizer report" "$(grep -l -e AddressSanitizer -e 'runtime error:' -e LeakSanitizer "$T_TMP"/*.txt)"
else
	ok "no sanitizer report"
fi
