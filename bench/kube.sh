#!/bin/sh
# kube.sh: the pods pane with 10,000 pods — parse, store, memory, frame
# times while scrolling (target < 5 ms per frame) — and, when kubectl is on
# PATH, the whole path through the real kubectl and the test API server.
set -u
out=${BENCH_OUT:-bench/out}/kube.md
bin=${BENCH_BIN:-build/obj/bench}/kube
KPODS=${KUBE_BENCH_PODS:-10000}
E2E=${KUBE_BENCH_E2E_PODS:-2000}	# through kubectl and the (slow) Python test server
{
	echo "## Kubernetes pods pane ($KPODS pods)"
	echo
	echo "| measure | value | target |"
	echo "|---|---|---|"
	"$bin" "$KPODS" tests/fixtures/incident/kube
	if command -v kubectl >/dev/null 2>&1; then
		. tests/lib.sh >/dev/null
		SCRY_TOP=$(pwd)
		. tests/servers/kubeapi.sh
		kube_start >/dev/null 2>&1
		kube_ctl "gen?pods=$E2E" >/dev/null
		t0=$(date +%s%N)
		kubectl get pods -o json > "$T_TMP/list.json" 2>/dev/null
		t1=$(date +%s%N)
		echo "| real kubectl: \`kubectl get pods -o json\` of $E2E pods (kubectl + the Python test server) | $(( (t1 - t0) / 1000000 )) ms | |"
		cat > "$T_TMP/b.json" <<EOT
{"title": "bench", "sources": {"k": {"type": "kubectl", "context": "prod-eu1", "timeout": "120s"}},
 "panels": [{"type": "pods", "options": {"metrics": false}, "grid": {"x": 0, "y": 0, "w": 24, "h": 60}}]}
EOT
		t0=$(date +%s%N)
		"${SCRY_BIN:-./scry}" --snapshot --size 200x60 --timeout 120s "$T_TMP/b.json" > "$T_TMP/s.txt" 2>&1
		t1=$(date +%s%N)
		echo "| real kubectl: scry --snapshot, first screen of $E2E pods (list + watch start, incl. the above) | $(( (t1 - t0) / 1000000 )) ms | |"
		grep -q "$E2E pods" "$T_TMP/s.txt" || echo "| (snapshot did not show $E2E pods) | | |"
	fi
	echo
	echo "Reproduce: \`make bench\` (or \`$bin $KPODS tests/fixtures/incident/kube\`)."
	echo "$(nproc) CPUs shared with other jobs; figures are single runs."
} > "$out"
cat "$out"
