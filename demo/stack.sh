# stack.sh: the demo stack — the seed incident (tests/fixtures/incident/
# STORY.md) served end to end on 127.0.0.1 (sourced after tests/lib.sh,
# which provides free_port, bg, wait_http, T_TMP and the clean-up of
# every process started here):
#
#   Prometheus   Debian's real prometheus over the generated incident TSDB
#                (tests/prom.sh: tests/fixtures/prom/gen.py, promtool)
#   Loki         tests/servers/loki.py --story   (log lines, live tail)
#   Kubernetes   tests/servers/kubeapi.py --story (the real kubectl talks
#                to it: pods, events, deployments, watches)
#   Tempo        tests/servers/tempo.py --story  (the traces of the lines'
#                trace ids)
#
# The story lies in the past (2026-11-26 02:17Z), so every process runs on
# one virtual clock, "START,SPEED,EPOCH" (core/vclock.h): it reads START at
# the real unix time EPOCH and runs SPEED times as fast.  The servers get
# it as --clock, scry as SCRY_DEMO_CLOCK; Prometheus needs none (it answers
# for any time).  Live parts — Loki's tail, Kubernetes watches — follow it.
#
#   demo_start START SPEED   start everything; sets DEMO_CLOCK, DEMO_EPOCH,
#                            PROM_URL, LOKI_URL, TEMPO_URL, KUBECONFIG,
#                            KUBECACHEDIR, DEMO_ARGS (scry's source flags)
#   demo_wait_epoch          sleep until the clock reads START
#   demo_vnow                print the clock's now (unix seconds)
#   demo_stop                stop the servers (exit does it too)
DEMO_TOP=${SCRY_TOP:-$(pwd)}
DEMO_SERVERS=$DEMO_TOP/tests/servers
DEMO_DASHBOARD=$DEMO_TOP/dashboards/demo.json
DEMO_CONTEXT=prod-eu1
# a token kubectl would send over TLS; the recording must never hold it
DEMO_KUBE_TOKEN=demo-sre-t0ken-never-in-a-recording-5f2c

. "$DEMO_TOP/tests/prom.sh"

# demo_start START SPEED: START as RFC3339 (the story's day), SPEED 1..3600.
demo_start() {
	DEMO_START=$1
	DEMO_SPEED=${2:-1}
	start_s=$(python3 -c "import sys; sys.path.insert(0, '$DEMO_SERVERS'); import story; print(int(story.parse_time('$DEMO_START')))") ||
	    { echo "demo: '$DEMO_START' is not a time" >&2; return 1; }
	# the clock reads START a few seconds from now, when everything is up
	DEMO_EPOCH=$(python3 -c 'import time; print("%.3f" % (time.time() + 6))')
	DEMO_CLOCK="$start_s,$DEMO_SPEED,$DEMO_EPOCH"
	prom_start || return 1
	LOKI_PORT=$(free_port)
	bg python3 "$DEMO_SERVERS/loki.py" --port "$LOKI_PORT" --story --clock "$DEMO_CLOCK" \
	    >"$T_TMP/loki.log" 2>&1
	LOKI_PID=$BG_PID
	TEMPO_PORT=$(free_port)
	bg python3 "$DEMO_SERVERS/tempo.py" --port "$TEMPO_PORT" --story --clock "$DEMO_CLOCK" \
	    >"$T_TMP/tempo.log" 2>&1
	TEMPO_PID=$BG_PID
	KUBE_PORT=$(free_port)
	bg python3 "$DEMO_SERVERS/kubeapi.py" --port "$KUBE_PORT" --story --clock "$DEMO_CLOCK" \
	    --fixtures "$DEMO_TOP/tests/fixtures/incident/kube" >"$T_TMP/kubeapi.log" 2>&1
	KUBE_PID=$BG_PID
	LOKI_URL=http://127.0.0.1:$LOKI_PORT
	TEMPO_URL=http://127.0.0.1:$TEMPO_PORT
	KUBE_URL=http://127.0.0.1:$KUBE_PORT
	KUBECONFIG=$T_TMP/kubeconfig
	KUBECACHEDIR=$T_TMP/kubecache
	export KUBECONFIG KUBECACHEDIR
	cat >"$KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: eu1
  cluster:
    server: $KUBE_URL
contexts:
- name: $DEMO_CONTEXT
  context: {cluster: eu1, user: sre, namespace: shop}
current-context: $DEMO_CONTEXT
users:
- name: sre
  user: {token: $DEMO_KUBE_TOKEN}
EOF
	chmod 600 "$KUBECONFIG"
	for u in "$LOKI_URL/ready" "$TEMPO_URL/ready" "$KUBE_URL/version"; do
		if ! wait_http "$u" 20; then
			echo "demo: $u did not answer" >&2
			tail -5 "$T_TMP"/loki.log "$T_TMP"/tempo.log "$T_TMP"/kubeapi.log >&2
			return 1
		fi
	done
	DEMO_ARGS="-p $PROM_URL -l $LOKI_URL -t $TEMPO_URL --kubeconfig $KUBECONFIG"
	return 0
}

demo_wait_epoch() {
	python3 -c "import time; time.sleep(max(0.0, $DEMO_EPOCH - time.time()))"
}

demo_vnow() {
	python3 -c "import time; print('%.3f' % (${DEMO_CLOCK%%,*} + (time.time() - $DEMO_EPOCH) * $DEMO_SPEED))"
}

demo_stop() {
	prom_stop
	for p in ${LOKI_PID:-} ${TEMPO_PID:-} ${KUBE_PID:-}; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	LOKI_PID= TEMPO_PID= KUBE_PID=
}
