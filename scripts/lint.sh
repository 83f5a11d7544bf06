#!/bin/sh
# lint.sh [cppcheck|clang-tidy|all] [FILE.c...]: static analysis of
# scry's own code.
#
# cppcheck (2.10) and clang-tidy (14) over core/ sources/ widgets/ tui/ and
# the tests' C (tests/unit, tests/tools, tests/fuzz).  Both must be clean:
# a finding is fixed, or suppressed in place with its reason
# (`// cppcheck-suppress ID` / `// NOLINT(check): why`); the clang-tidy
# check set and the reasons for what it leaves out are in .clang-tidy.
# Prints "ok - NAME" / "not ok - NAME" per tool (findings in between) and
# "N passed, N failed" last; exits non-zero on any finding.
# JOBS (default 2) files are analysed at once.  FILE.c arguments narrow
# the run to those files (the default is every file above).
set -u
what=${1:-all}
[ $# -gt 0 ] && shift
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
jobs=${JOBS:-2}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/scry-lint.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

PKGS="ncursesw libcurl libcjson libwebsockets libpcre2-8 libzstd yaml-0.1"
# the Makefile's preprocessor flags (minus the version strings' quoting)
defs="-D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED -DSCRY_VERSION=\"lint\" -DSCRY_DATADIR=\"/usr/share/scry\" -I."
# shellcheck disable=SC2086
pkgflags=$(pkg-config --cflags $PKGS)
if [ $# -gt 0 ]; then
	src=$*
else
	src=$(ls core/*.c sources/*.c widgets/*.c tui/*.c tests/unit/*.c tests/tools/*.c tests/fuzz/*.c)
fi
pass=0
fail=0

result() {	# result NAME STATUS LOG
	if [ "$2" -eq 0 ]; then
		echo "ok - $1"
		pass=$((pass + 1))
	else
		cat "$3"
		echo "not ok - $1"
		fail=$((fail + 1))
	fi
}

run_cppcheck() {
	# warning+portability: bugs and non-portable code; style/performance
	# are taste.  Headers of libraries are not analysed (missingIncludeSystem);
	# --library=posix knows the POSIX calls' contracts.  cppcheck 2.10 does
	# not know C11's _Noreturn (fatal() in core/xalloc.h), so it is spelt
	# as the GNU attribute it does know.
	# shellcheck disable=SC2086
	nice cppcheck -q -j "$jobs" --std=c11 --language=c --library=posix \
	    --enable=warning,portability --inline-suppr --error-exitcode=1 \
	    --suppress=missingIncludeSystem \
	    -D__GNUC__ -D_GNU_SOURCE -D__linux__ -D__x86_64__ -I. \
	    '-D_Noreturn=__attribute__((noreturn))' \
	    --template='{file}:{line}: {severity}: {message} [{id}]' \
	    $src >"$tmp/cppcheck.log" 2>&1
	rc=$?
	# any line is a finding (cppcheck exits 0 on some it classes as style)
	[ "$rc" -eq 0 ] && [ -s "$tmp/cppcheck.log" ] && rc=1
	result cppcheck "$rc" "$tmp/cppcheck.log"
}

run_clang_tidy() {
	# one clang-tidy per file, JOBS at a time; each writes its own log
	# shellcheck disable=SC2086
	printf '%s\n' $src | nice xargs -P "$jobs" -I{} sh -c '
		f=$1; shift
		log=$(printf "%s" "$f" | tr / _)
		clang-tidy --quiet "$f" -- -std=c11 -include scripts/lint/models.h "$@" >"'"$tmp"'/tidy.$log" 2>&1 ||
		    echo "$f" >>"'"$tmp"'/tidy.failed"' sh {} $defs $pkgflags -pthread
	rc=0
	if [ -s "$tmp/tidy.failed" ]; then
		rc=1
		: >"$tmp/tidy.log"
		sort "$tmp/tidy.failed" | while read -r f; do
			grep -v '^[0-9]* warnings\? \(and [0-9]* errors\? \)\?generated' \
			    "$tmp/tidy.$(printf '%s' "$f" | tr / _)"
		done >"$tmp/tidy.log"
	fi
	result clang-tidy "$rc" "$tmp/tidy.log"
}

case $what in
cppcheck) run_cppcheck ;;
clang-tidy) run_clang_tidy ;;
all) run_cppcheck; run_clang_tidy ;;
*) echo "usage: $0 [cppcheck|clang-tidy|all]" >&2; exit 2 ;;
esac
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
