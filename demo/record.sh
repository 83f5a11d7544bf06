#!/bin/sh
# record.sh OUT [FROM [TO [SPEED]]]: record the demo incident into OUT.
#
# Starts the demo stack (demo/stack.sh) on a virtual clock that reads FROM
# (default 2026-11-26T01:47:00Z) and runs SPEED times as fast (default
# 30), runs `scry --record` on dashboards/demo.json at 120x40 in a private
# tmux server until the clock reads TO (default 2026-11-26T02:47:00Z:
# the hour of STORY.md in two minutes), opening on the way the waterfalls
# of a few traces whose ids the log lines carry (the canonical
# 4bf92f3577b34da6a3ce929d0e0e4736 among them: a recording holds what scry
# fetched, so these are the traces a replay can open) and adding the notes
# an SRE would have made (:note), then quits, checks
# the recording with `scry --check` and moves it to OUT.
#
# `make demo-recording` runs it for dashboards/incident.scry (the bundled
# recording `make run` replays).  SCRY_BIN picks the binary (default
# ./scry).  Needs prometheus, promtool, kubectl, tmux and python3.
set -u
cd "$(dirname "$0")/.." || exit 1
SCRY_TOP=$(pwd)
SCRY_BIN=${SCRY_BIN:-$SCRY_TOP/scry}
export SCRY_TOP SCRY_BIN
out=${1:?usage: demo/record.sh OUT [FROM [TO [SPEED]]]}
from=${2:-2026-11-26T01:47:00Z}
to=${3:-2026-11-26T02:47:00Z}
speed=${4:-30}
. tests/lib.sh
. demo/stack.sh

case $out in /*) ;; *) out=$SCRY_TOP/$out ;; esac
new=$out.new.$$
sock=scry-demo-rec-$$
T_TMUX=$sock	# lib.sh's clean-up ends this tmux server

demo_start "$from" "$speed" || exit 1
to_s=$(python3 -c "import sys; sys.path.insert(0, 'tests/servers'); import story; print(int(story.parse_time('$to')))")
# traces to open: (story time to open it at, id): the canonical one, then
# the newest failing (or healthy) request before each moment
python3 - "$from" "$to" >"$T_TMP/traces" <<'EOF'
import sys
sys.path.insert(0, "tests/servers")
import story
a, b = (story.parse_time(x) for x in sys.argv[1:3])
L = story.logs()
S = story.S
moments = [story.INCIDENT - 300, story.CANON_START + 20, story.SATURATED + 150,
           story.ROLLOUT + 600, story.MITIGATION - 120, story.RECOVERED - 60]
for m in moments:
    if not a + 30 <= m < b:
        continue
    if m == story.CANON_START + 20:
        print(m, story.CANON)
        continue
    ids = L.traces_between((m - 60) * S, (m - 10) * S, 1)
    if ids:
        print(m, ids[0])
EOF
# notes an SRE would have made (the notebook: timeline markers, m / M)
cat >"$T_TMP/notes" <<'NOTES'
1795659468 order P99 left its 120 ms band: 8.4 s; order and frontend answer 5xx
1795659548 payment pool at its limit (103 of 103): 92% of order -> payment calls fail, 503 UO (Envoy overflow)
1795659650 HPA scaled payment to 6: the new pods (payment-7c9f8d6b5) have no TLS offload, CrashLoopBackOff / not ready
1795660868 rolled payment back to payment-5d8c7b9f4
1795661190 recovered: P99 and 5xx back to baseline, pool back to ~85
NOTES
echo "demo: recording $from to $to at ${speed}x into $out (clock $DEMO_CLOCK)"
demo_wait_epoch
tmux -L "$sock" -f /dev/null new-session -d -s rec -x 120 -y 40 \
    "cd '$SCRY_TOP' && TZ=UTC SCRY_DEMO_CLOCK='$DEMO_CLOCK' KUBECONFIG='$KUBECONFIG' \
KUBECACHEDIR='$KUBECACHEDIR' '$SCRY_BIN' --utc --record '$new' $DEMO_ARGS '$DEMO_DASHBOARD' \
2>'$T_TMP/scry.err'; echo \$? >'$T_TMP/scry.rc'"
keys() { tmux -L "$sock" send-keys -t rec "$@"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

while :; do
	now=$(demo_vnow)
	if [ ! -f "$T_TMP/scry.rc" ] && ge "$now" "$to_s"; then
		keys q
		break
	fi
	if [ -f "$T_TMP/scry.rc" ]; then
		echo "demo: scry ended early (exit $(cat "$T_TMP/scry.rc")):" >&2
		cat "$T_TMP/scry.err" >&2
		exit 1
	fi
	while read -r at text; do
		if ge "$now" "$at" && ge "$to_s" "$at" && ! grep -qxF "$at" "$T_TMP/noted" 2>/dev/null; then
			echo "$at" >>"$T_TMP/noted"
			keys ":note $text" Enter
		fi
	done <"$T_TMP/notes"
	while read -r at id; do
		if ge "$now" "$at" && ! grep -q "$id" "$T_TMP/opened" 2>/dev/null; then
			echo "$id" >>"$T_TMP/opened"
			keys ":trace $id" Enter
			sleep 0.5
			keys Escape
		fi
	done <"$T_TMP/traces"
	sleep 0.2
done
n=0
while [ ! -f "$T_TMP/scry.rc" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
if [ "$(cat "$T_TMP/scry.rc" 2>/dev/null)" != 0 ]; then
	echo "demo: scry failed:" >&2
	cat "$T_TMP/scry.err" >&2
	rm -f "$new"
	exit 1
fi
if ! "$SCRY_BIN" --check "$new"; then
	rm -f "$new"
	exit 1
fi
chmod 644 "$new"
mv "$new" "$out"
ls -l "$out"
