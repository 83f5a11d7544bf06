#!/bin/sh
# run.sh: build every libFuzzer target (tests/fuzz/fuzz_NAME.c) with clang,
# ASan and UBSan (-fno-sanitize-recover) and run each in turn, with
# -rss_limit_mb=512, a 1 s timeout per input and -print_final_stats=1.
#
#   FUZZ_SECONDS  time per target (default 60)
#   FUZZ_RUNS     executions per target (-runs=N); with it the run of a
#                 target ends at N executions or FUZZ_SECONDS, whichever
#                 comes first (FUZZ_SECONDS=0: no time limit)
#   FUZZ          extended regex: only targets whose name matches
#
# Corpora start from tests/fuzz/seeds/NAME and grow in
# build/fuzz/corpus/NAME (kept between runs); dictionaries are
# tests/fuzz/dict/NAME.dict.  Every crash, leak, timeout or out-of-memory
# input is copied to tests/fuzz/regress/NAME/ (`make test` replays it)
# and fails the run.  Per target it records executions, exec/s, coverage
# (libFuzzer's final cov: edges and ft: features), corpus size, wall time
# and findings in $BENCH_OUT/fuzz.tsv (default bench/out; a row per
# target, replaced when the target runs again) and writes the same as a
# markdown table to $BENCH_OUT/fuzz.md.
# Usage: FUZZ_SECONDS=600 FUZZ=pattern sh tests/fuzz/run.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
secs=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:-}
O=build/fuzz
out=${BENCH_OUT:-$top/bench/out}
tsv=$out/fuzz.tsv
mkdir -p "$out" "$O/corpus" "$O/logs"
# runs of this script side by side (one target each) share the build and
# the TSV: both are updated under one lock
lock=$top/$O/.lock
flock "$lock" make --no-print-directory -j2 O=$O CC=clang \
    OPT="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
    LDFLAGS="-fsanitize=address,undefined" fuzz-bins || exit 1

# stat KEY LOG: a number from libFuzzer's -print_final_stats block
final_stat() { grep -o "stat::$1: *[0-9]*" "$2" | grep -o '[0-9]*$' | tail -1; }
# last_status FIELD LOG: cov or ft of the last status line (DONE if there)
last_status() { grep -E '^#[0-9]+' "$2" | tail -1 | grep -oE "$1: [0-9]+" | grep -oE '[0-9]+'; }

header="target	date	seconds_limit	runs_limit	wall_s	executions	exec_per_s	cov	ft	corpus	findings	rc"
[ -f "$tsv" ] && head -1 "$tsv" | grep -q '^target	date' || echo "$header" >"$tsv"
found=0
for bin in $O/fuzz-bin/*; do
	name=$(basename "$bin")
	[ -n "${FUZZ:-}" ] && ! echo "$name" | grep -qE "$FUZZ" && continue
	corpus=$O/corpus/$name
	mkdir -p "$corpus"
	seeds=tests/fuzz/seeds/$name
	dict=""
	[ -f "tests/fuzz/dict/$name.dict" ] && dict="-dict=$top/tests/fuzz/dict/$name.dict"
	runopt=""
	[ -n "$runs" ] && runopt="-runs=$runs"
	log=$O/logs/$name.log
	rm -f "$O/logs/$name"-*
	echo "fuzz: $name (${runs:+$runs runs, }${secs}s limit)"
	t0=$(date +%s)
	# shellcheck disable=SC2086
	(cd "$O" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    "$top/$bin" -max_total_time="$secs" $runopt \
	    -rss_limit_mb=512 -timeout=1 -print_final_stats=1 $dict \
	    -artifact_prefix="$top/$O/logs/$name-" "$top/$corpus" \
	    $( [ -d "$top/$seeds" ] && echo "$top/$seeds" ) ) >"$log" 2>&1
	rc=$?
	wall=$(( $(date +%s) - t0 ))
	execs=$(final_stat number_of_executed_units "$log")
	eps=$(final_stat average_exec_per_sec "$log")
	cov=$(last_status cov "$log")
	ft=$(last_status ft "$log")
	ncorp=$(find "$corpus" -type f | wc -l)
	crashes=0
	for c in "$O/logs/$name"-*; do
		[ -f "$c" ] || continue
		mkdir -p "tests/fuzz/regress/$name"
		cp "$c" "tests/fuzz/regress/$name/" && rm -f "$c"
		crashes=$((crashes + 1))
	done
	if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
		found=$((found + 1))
		[ "$crashes" -eq 0 ] && crashes=1	# a failure without an input is a finding too
		echo "fuzz: $name FOUND A PROBLEM (rc=$rc); inputs in tests/fuzz/regress/$name/, log $log"
		grep -m1 -E 'ERROR: |runtime error|SUMMARY' "$log" | sed 's/^/fuzz:   /'
	fi
	echo "fuzz: $name: ${execs:-?} executions, ${eps:-?}/s, cov ${cov:-?}, ft ${ft:-?}, corpus $ncorp, ${wall}s, findings $crashes"
	row="$name	$(date -u +%Y-%m-%dT%H:%MZ)	$secs	${runs:--}	$wall	${execs:-0}	${eps:-0}	${cov:-0}	${ft:-0}	$ncorp	$crashes	$rc"
	flock "$lock" sh -c 'grep -v "^$1	" "$2" >"$2.$$"; echo "$3" >>"$2.$$"; mv "$2.$$" "$2"' \
	    sh "$name" "$tsv" "$row"
done

# the markdown table, from every row of the TSV (sorted by target)
{
	echo "| target | executions | exec/s | edges (cov) | features (ft) | corpus | wall s | limits | findings | date (UTC) |"
	echo "|---|---:|---:|---:|---:|---:|---:|---|---:|---|"
	tail -n +2 "$tsv" | sort | awk -F'\t' '{
		lim = ($4 == "-" ? "" : $4 " runs, ") $3 " s";
		printf "| %s | %d | %d | %d | %d | %d | %d | %s | %d | %s |\n",
		    $1, $6, $7, $8, $9, $10, $5, lim, $11, $2 }'
} >"$out/fuzz.md"
echo "fuzz: $tsv, $out/fuzz.md"
[ "$found" -eq 0 ]
