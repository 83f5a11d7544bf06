#!/bin/sh
# run.sh OBJDIR: run every test layer and print "N passed, N failed" last.
# Layers: unit (C), then tests/integration/*.sh and tests/screen/*.sh.
# Each layer prints TAP-style "ok - name" / "not ok - name" lines; this
# script counts them.  Set TESTS=pattern to run only matching scripts.
set -u
obj=${1:-build/obj}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export SCRY_BIN=${SCRY_BIN:-$top/scry}
case $SCRY_BIN in /*) ;; *) SCRY_BIN=$top/$SCRY_BIN ;; esac
export SCRY_TOP=$top
export SCRY_OBJ=$top/$obj
export SCRY_FIXTURES=$top/tests/fixtures
export SCRY_TOOLS=$top/$obj/tests/tools
export LC_ALL=C.UTF-8
unset NO_COLOR SCRY_PROMETHEUS_URL SCRY_LOKI_URL SCRY_TEMPO_URL SCRY_JAEGER_URL SCRY_THEME
log=$(mktemp -d "${TMPDIR:-/tmp}/scry-test.XXXXXX")
# the tests see the checkout's themes and dashboards, never the user's own
# configuration, and work for a binary anywhere (build/asan/scry)
export XDG_CONFIG_HOME=$log/config
mkdir -p "$XDG_CONFIG_HOME/scry"
ln -s "$top/themes" "$XDG_CONFIG_HOME/scry/themes"
ln -s "$top/dashboards" "$XDG_CONFIG_HOME/scry/dashboards"
pass=0
fail=0

run_layer() {
	name=$1
	shift
	out=$log/$(echo "$name" | tr '/ ' '__').out
	"$@" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited $rc without reporting a failure" >>"$out"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name reported no tests" >>"$out"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed)"
		grep -E '^(not ok|#)' "$out" | head -40 | sed 's/^/    /'
	else
		echo "ok   $name ($p passed)"
	fi
}

if [ -z "${TESTS:-}" ] || echo unit | grep -qE "${TESTS:-}"; then
	run_layer unit "$obj/tests/unit-runner"
fi
for t in tests/integration/*.sh tests/screen/*.sh; do
	[ -f "$t" ] || continue
	if [ -n "${TESTS:-}" ] && ! echo "$t" | grep -qE "$TESTS"; then
		continue
	fi
	run_layer "$t" sh "$t"
done
echo "logs: $log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
