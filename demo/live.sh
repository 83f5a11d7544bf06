#!/bin/sh
# live.sh [START [SPEED]]: the demo stack (demo/stack.sh), then scry live
# against it on this terminal (dashboards/demo.json): Prometheus graphs and
# stats, alerts, Loki logs with a live tail, pods and events from the real
# kubectl, traces from Tempo (t on a log line opens its waterfall).
#
# The clock starts at START (default 2026-11-26T02:12:00Z, five minutes
# before the incident) and runs SPEED times as fast (default 10: the
# incident begins half a minute after start-up).  `make demo-live` runs it
# (DEMO_START= and DEMO_SPEED= change both).  Quitting scry stops the
# stack.  SCRY_BIN picks the binary (default ./scry).
set -u
cd "$(dirname "$0")/.." || exit 1
SCRY_TOP=$(pwd)
SCRY_BIN=${SCRY_BIN:-$SCRY_TOP/scry}
export SCRY_TOP SCRY_BIN
. tests/lib.sh
. demo/stack.sh
start=${1:-2026-11-26T02:12:00Z}
speed=${2:-10}
echo "demo: starting Prometheus, Loki, Tempo and the Kubernetes API on 127.0.0.1 ..."
demo_start "$start" "$speed" || exit 1
cat <<MSG
demo: Prometheus $PROM_URL
      Loki       $LOKI_URL
      Tempo      $TEMPO_URL
      kubectl    context $DEMO_CONTEXT, kubeconfig $KUBECONFIG
      clock      $start at ${speed}x (SCRY_DEMO_CLOCK=$DEMO_CLOCK)
MSG
demo_wait_epoch
SCRY_DEMO_CLOCK=$DEMO_CLOCK "$SCRY_BIN" $DEMO_ARGS "$DEMO_DASHBOARD"
rc=$?
demo_stop
exit $rc
