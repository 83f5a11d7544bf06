#!/bin/sh
# soak.sh: robustness.md §6 T4/T5 (make soak; not in CI).  The real
# Prometheus (tests/prom.sh, scraping tests/servers/exemplar_target.py
# every second for live series) behind 10 graph panels refreshed every
# 5 s, and tests/servers/loki.py at 2,000 lines/s behind a live logs
# panel, for SOAK_SECONDS (default 3600); scry's RSS, open fds, CPU share,
# errors and key latency every SOAK_SAMPLE seconds (default 60), growth
# per hour; then the idle cost (bench/soak.py idle).  Writes the section
# to $ROBUST_OUT/soak.md (bench/robustness.sh puts it in
# bench/ROBUSTNESS.md).  Heavy: run it alone, under nice.
#   SOAK_SECONDS=600 make soak      a short soak
#   SOAK_LOG_BUFFER=64M             scry's --log-buffer (the default 256M
#                                   fills in ~10 min at 2,000 lines/s)
#   SOAK_RATE=2000 IDLE_SECONDS=60
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
SCRY_TOP=$top
SCRY_BIN=${SCRY_BIN:-$top/scry}
export SCRY_TOP SCRY_BIN
. tests/lib.sh
. tests/prom.sh
ROBUST_OUT=${ROBUST_OUT:-$top/bench/out/robustness}
mkdir -p "$ROBUST_OUT"
[ -x "$SCRY_BIN" ] || make --no-print-directory scry >/dev/null || exit 1

tport=$(free_port)
bg python3 tests/servers/exemplar_target.py --port "$tport"
wait_http "http://127.0.0.1:$tport/ready" 10 || { echo "soak: scrape target did not start" >&2; exit 1; }
PROM_SCRAPE=127.0.0.1:$tport	# read by prom_start
prom_start || { echo "soak: prometheus did not start" >&2; exit 1; }
lport=$(free_port)
bg python3 tests/servers/loki.py --port "$lport" --rate "${SOAK_RATE:-2000}" --backlog 5 \
    2>>"$T_TMP/loki.log"
LOKI_PID=$BG_PID
wait_http "http://127.0.0.1:$lport/ready" 10 || { echo "soak: loki.py did not start" >&2; exit 1; }
# let Prometheus scrape a few times so rates have points
sleep 5
nice -n "${SOAK_NICE:-5}" python3 bench/soak.py --prom "$PROM_URL" --loki "http://127.0.0.1:$lport" \
    --prom-pid "$PROM_PID" --loki-pid "$LOKI_PID" --tmp "$T_TMP" >"$ROBUST_OUT/soak.md.new" &&
    mv "$ROBUST_OUT/soak.md.new" "$ROBUST_OUT/soak.md"
rc=$?
cat "$ROBUST_OUT/soak.md"
exit $rc
