#!/bin/sh
# run.sh OBJDIR: run every test layer and print "N passed, N failed" last.
# Layers: unit (C), then tests/integration/*.sh and tests/screen/*.sh.
# Each layer prints TAP-style "ok - name" / "not ok - name" lines; this
# script counts them.  Set TESTS=pattern to run only matching scripts;
# SCRY_UNIT_WRAP="valgrind ..." runs the unit runner under a wrapper
# (make valgrind).
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

# Under sanitizers (make asan sets ASAN_OPTIONS/UBSAN_OPTIONS) every
# report of every instrumented process -- scry in tmux or in the
# background, the tools, the unit runner -- goes to a file of its layer,
# and each file is a failure of that layer: a leak at exit or a UBSan
# report fails the run even where the test does not read stderr.
san_asan=${ASAN_OPTIONS:-}
san_ubsan=${UBSAN_OPTIONS:-}
san_layer() {	# san_layer DIR: route the reports of the next layer to DIR
	[ -n "$san_asan$san_ubsan" ] || return 0
	mkdir -p "$1"
	export ASAN_OPTIONS="${san_asan:+$san_asan:}log_path=$1/asan"
	export UBSAN_OPTIONS="${san_ubsan:+$san_ubsan:}log_path=$1/ubsan"
}
san_check() {	# san_check DIR OUT: one "not ok" per report file in DIR
	[ -d "$1" ] || return 0
	for r in "$1"/*; do
		[ -f "$r" ] || continue
		{
			echo "not ok - sanitizer report $(basename "$r")"
			grep -E 'ERROR|SUMMARY|runtime error|#[0-9]+ ' "$r" | head -20 | sed 's/^/# /'
		} >>"$2"
	done
}

run_layer() {
	name=$1
	shift
	out=$log/$(echo "$name" | tr '/ ' '__').out
	san_layer "$log/san/$(echo "$name" | tr '/ ' '__')"
	"$@" >"$out" 2>&1
	rc=$?
	san_check "$log/san/$(echo "$name" | tr '/ ' '__')" "$out"
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# what it said last (a crash, valgrind's errors) as detail
		tail -n 12 "$out" | sed 's/^/# /' >"$out.tail"
		echo "not ok - $name exited $rc without reporting a failure" >>"$out"
		cat "$out.tail" >>"$out"
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
	# shellcheck disable=SC2086
	run_layer unit ${SCRY_UNIT_WRAP:-} "$obj/tests/unit-runner"
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
