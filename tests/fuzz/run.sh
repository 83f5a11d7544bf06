#!/bin/sh
# run.sh: build every libFuzzer target with clang + ASan + UBSan and run
# each for FUZZ_SECONDS (default 60) with -rss_limit_mb=512 and a 1 s
# timeout per input.  Corpora start from tests/fuzz/seeds/NAME and grow in
# build/fuzz/corpus/NAME; dictionaries are tests/fuzz/NAME.dict.  Every
# crash input is copied to tests/fuzz/regress/NAME/ (replayed by make
# test) and fails the run.  Writes bench/out/fuzz.md with executions,
# coverage and findings per target.
# Usage: FUZZ_SECONDS=600 FUZZ=pattern sh tests/fuzz/run.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
secs=${FUZZ_SECONDS:-60}
O=build/fuzz
out=${BENCH_OUT:-$top/bench/out}
mkdir -p "$out" "$O/corpus" "$O/logs"
make --no-print-directory O=$O CC=clang \
    OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
    LDFLAGS="-fsanitize=address,undefined" fuzz-bins || exit 1
found=0
rows=""
for bin in $O/fuzz-bin/*; do
	name=$(basename "$bin")
	[ -n "${FUZZ:-}" ] && ! echo "$name" | grep -qE "$FUZZ" && continue
	corpus=$O/corpus/$name
	mkdir -p "$corpus" "tests/fuzz/regress/$name"
	seeds=tests/fuzz/seeds/$name
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	log=$O/logs/$name.log
	echo "fuzz: $name for ${secs}s"
	# shellcheck disable=SC2086
	(cd "$O" && ASAN_OPTIONS=detect_leaks=1 "$top/$bin" -max_total_time="$secs" \
	    -rss_limit_mb=512 -timeout=1 -print_final_stats=1 $dict \
	    -artifact_prefix="$top/$O/logs/$name-" "$top/$corpus" \
	    $( [ -d "$top/$seeds" ] && echo "$top/$seeds" ) ) >"$log" 2>&1
	rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
	ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
	ncorp=$(ls "$corpus" | wc -l)
	crashes=$(ls $O/logs/$name-* 2>/dev/null | wc -l)
	if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
		found=$((found + 1))
		for c in $O/logs/$name-*; do
			[ -f "$c" ] && cp "$c" "tests/fuzz/regress/$name/" && rm -f "$c"
		done
		echo "fuzz: $name FOUND A PROBLEM (rc=$rc); inputs copied to tests/fuzz/regress/$name/, log $log"
	fi
	rows="$rows| $name | ${execs:-?} | $(( ${execs:-0} / (secs > 0 ? secs : 1) )) | ${cov:-?} | ${ft:-?} | $ncorp | $crashes |
"
done
{
	echo "## Fuzzing (make fuzz)"
	echo
	echo "libFuzzer + ASan + UBSan (clang, -fno-sanitize-recover), ${secs} s per target,"
	echo "-rss_limit_mb=512, -timeout=1. Measured $(date -u +%Y-%m-%d). Reproduce:"
	echo "\`FUZZ_SECONDS=$secs make fuzz\`. Target per issue 8: >= 10 million executions per"
	echo "target with zero findings (run with a longer FUZZ_SECONDS for that)."
	echo
	echo "| target | executions | exec/s | edges (cov) | features | corpus | findings |"
	echo "|---|---|---|---|---|---|---|"
	printf "%s" "$rows"
} > "$out/fuzz.md"
echo "fuzz: report in $out/fuzz.md"
[ "$found" -eq 0 ]
