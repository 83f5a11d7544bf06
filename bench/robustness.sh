#!/bin/sh
# robustness.sh: the robustness figures of issue 8 / robustness.md §6 ->
# bench/ROBUSTNESS.md (make robustness; long, not in CI).
#
# Each section is `python3 bench/robustness.py NAME` (T6 tail under
# disruptions, T7 hostile answers, T11 ReDoS, slow/dead backends, T9
# resize storm, T10 terminal restoration) and writes a Markdown fragment
# to $ROBUST_OUT/NAME.md; bench/soak.sh (make soak) adds soak.md.  The
# report is every fragment present, so one section can be measured again
# alone and the rest kept:
#   ROBUST="t6 t9" make robustness      only those sections
#   ROBUST=report sh bench/robustness.sh   only the report (after make soak)
#   T6_N=50 T6_RATE=500 T7_SECONDS=15 T9_N=10000 T10_RUNS=20 ...
#                                       (see bench/robustness.py)
# Sections run one at a time under nice (ROBUST_NICE, default 5).  A
# section with no fragment yet (a fresh clone) is taken from the committed
# bench/ROBUSTNESS.md, so measuring one again keeps the others; "fuzz" and
# "ci" are written by hand there (bench/FUZZ.md, .ci/run).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
SCRY_TOP=$top
SCRY_BIN=${SCRY_BIN:-$top/scry}
export SCRY_TOP SCRY_BIN
ROBUST_OUT=${ROBUST_OUT:-$top/bench/out/robustness}
export ROBUST_OUT
mkdir -p "$ROBUST_OUT"
[ -x "$SCRY_BIN" ] || make --no-print-directory scry >/dev/null || exit 1
ALL="t6 t7 t11 slow t9 t10"
REPORT="$ALL soak fuzz ci"
heading() {	# heading SECTION: how its section in the report begins
	case $1 in
	t6) echo "## T6:" ;; t7) echo "## T7:" ;; t11) echo "## T11:" ;; t9) echo "## T9:" ;;
	t10) echo "## T10:" ;; slow) echo "## Slow and dead" ;; soak) echo "## T4/T5" ;;
	fuzz) echo "## Fuzzing" ;; ci) echo "## Sanitizers" ;;
	esac
}
for s in $REPORT; do
	[ -f "$ROBUST_OUT/$s.md" ] || [ ! -f bench/ROBUSTNESS.md ] && continue
	awk -v h="$(heading "$s")" 'index($0, h) == 1 { on = 1; print; next }
	    /^## / { on = 0 } on' bench/ROBUSTNESS.md >"$ROBUST_OUT/$s.md.new"
	if [ -s "$ROBUST_OUT/$s.md.new" ]; then mv "$ROBUST_OUT/$s.md.new" "$ROBUST_OUT/$s.md"
	else rm -f "$ROBUST_OUT/$s.md.new"; fi
done
rc=0
for s in ${ROBUST:-$ALL}; do
	[ "$s" = report ] && continue		# only put the report together
	case " $ALL " in *" $s "*) ;; *) echo "robustness: no section '$s' ($ALL)" >&2; rc=1; continue ;; esac
	echo "robustness: $s ($(cut -d' ' -f1-3 /proc/loadavg) load)" >&2
	start=$(date +%s)
	if nice -n "${ROBUST_NICE:-5}" python3 bench/robustness.py "$s" >"$ROBUST_OUT/$s.md.new"; then
		mv "$ROBUST_OUT/$s.md.new" "$ROBUST_OUT/$s.md"
	else
		echo "robustness: $s failed" >&2
		rc=1
	fi
	echo "robustness: $s took $(( $(date +%s) - start )) s" >&2
done
{
	echo "# scry robustness report"
	echo
	echo "The figures of issue 8 (robustness.md §6: T4-T11), measured by \`make robustness\`"
	echo "(bench/robustness.sh) and \`make soak\` (bench/soak.sh) on $(nproc) CPUs,"
	echo "$(uname -sr).  Each section has its date, the load when it started and the command"
	echo "that measures it again; **MISSED** marks a figure short of its target."
	echo "Escape injection (T3) and secrets (T12): bench/HOSTILE.md; the fuzzing"
	echo "campaign in detail: bench/FUZZ.md."
	echo
	for s in $REPORT; do
		[ -f "$ROBUST_OUT/$s.md" ] && sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$ROBUST_OUT/$s.md" && echo
	done
} >bench/ROBUSTNESS.md
echo "robustness: wrote bench/ROBUSTNESS.md" >&2
exit $rc
