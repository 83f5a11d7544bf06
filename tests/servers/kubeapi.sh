# kubeapi.sh: start the test Kubernetes API server for shell tests (sourced
# after tests/lib.sh).  Sets KUBE_PORT, KUBE_URL, KUBECONFIG (a generated
# kubeconfig with contexts prod-eu1, jane-eu1 (RBAC-denied user), nowhere
# (a closed port)) and an isolated HOME so kubectl's discovery cache and
# config never touch the user's.
#
#   kube_start [kubeapi.py options]   start a server (killed at exit) and
#                                     write the kubeconfig for it
#   kube_server [options]             start another server (KUBE_PORT2)
#   kube_add_context NAME PORT        add a context for another server
#   kube_ctl PATH                     GET a /_test/ control URL
#   kube_requests PATTERN             count requests whose path matches

KUBE_FIXTURES=${SCRY_FIXTURES:-$SCRY_TOP/tests/fixtures}/incident/kube
KUBE_STORY_NOW=2026-11-26T02:32:00Z
KUBE_TOKEN=sre-s3cr3t-t0ken-do-not-leak-0123456789

kube_server() {
	KUBE_PORT2=$(free_port)
	bg python3 "$SCRY_TOP/tests/servers/kubeapi.py" --port "$KUBE_PORT2" \
	    --fixtures "$KUBE_FIXTURES" --now "$KUBE_STORY_NOW" --deny jane "$@"
	wait_http "http://127.0.0.1:$KUBE_PORT2/version" 10
}

kube_start() {
	kube_server "$@"
	KUBE_PORT=$KUBE_PORT2
	KUBE_URL=http://127.0.0.1:$KUBE_PORT
	KUBE_PID=$BG_PID
	export HOME="$T_TMP/home"
	mkdir -p "$HOME"
	export KUBECONFIG="$T_TMP/kubeconfig"
	dead=$(free_port)
	cat > "$KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: eu1
  cluster:
    server: $KUBE_URL
- name: gone
  cluster:
    server: http://127.0.0.1:$dead
contexts:
- name: prod-eu1
  context: {cluster: eu1, user: sre, namespace: shop}
- name: jane-eu1
  context: {cluster: eu1, user: jane, namespace: shop}
- name: nowhere
  context: {cluster: gone, user: sre, namespace: shop}
current-context: prod-eu1
users:
- name: sre
  user: {token: $KUBE_TOKEN}
- name: jane
  user: {token: jane-t0ken-9876543210, as: jane}
EOF
	chmod 600 "$KUBECONFIG"
}

# kube_add_context NAME PORT: another cluster (second server) in the kubeconfig.
kube_add_context() {
	python3 - "$KUBECONFIG" "$1" "$2" <<'EOF'
import sys
path, name, port = sys.argv[1:]
s = open(path).read()
s = s.replace("clusters:\n", "clusters:\n- name: %s\n  cluster:\n    server: http://127.0.0.1:%s\n" % (name, port), 1)
s = s.replace("contexts:\n", "contexts:\n- name: %s\n  context: {cluster: %s, user: sre, namespace: shop}\n" % (name, name), 1)
open(path, "w").write(s)
EOF
}

kube_ctl() {
	curl -sf "$KUBE_URL/_test/$1"
}

kube_requests() {
	kube_ctl requests | python3 -c '
import json, re, sys
pat = re.compile(sys.argv[1])
n = 0
for r in json.load(sys.stdin):
    q = "&".join("%s=%s" % kv for kv in sorted(r["query"].items()))
    if pat.search(r["path"] + "?" + q):
        n += 1
print(n)' "$1"
}

# kube_children: kubectl processes started for this test (by KUBECONFIG).
kube_children() {
	for p in $(pgrep kubectl); do
		if tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "KUBECONFIG=$KUBECONFIG"; then
			echo "$p $(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)"
		fi
	done
}
