#!/bin/sh
# svcpage: building a service page from its probes' answers.
set -u
"$BENCH_BIN/svcpage" > "$BENCH_OUT/svcpage.tsv" || exit 1
{
	echo "## Service page build"
	echo
	echo "From the series probe's answer (label sets as stored) to the page on screen's"
	echo "dashboard: parse the texts, find the convention, build and parse the page"
	echo "(best of 20; target: well under one frame, 33 ms, for 10,000 series, the most"
	echo "one answer keeps)."
	echo
	echo "| series in the answer | time |"
	echo "|---:|---:|"
	while IFS="$(printf '\t')" read -r n us; do
		echo "| $n | $us us |"
	done < "$BENCH_OUT/svcpage.tsv"
	echo
	echo "Reproduce: \`BENCH=svcpage make bench\`."
} > "$BENCH_OUT/svcpage.md"
