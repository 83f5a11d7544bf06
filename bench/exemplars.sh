#!/bin/sh
# exemplars: one frame of a P99 graph at 198x58 with 0, 1,000 and 20,000 exemplars.
set -u
set -- $("$BENCH_BIN/exemplars")
{
	echo "## Exemplars on a graph"
	echo
	echo "Drawing a P99 graph panel at 198x58 cells (1000 points) with its exemplar markers,"
	echo "the time cursor on one (selection and label), best of 100 frames.  20,000 is the"
	echo "store's cap per query; the target is that exemplars add little to a graph's frame."
	echo
	echo "| exemplars in the window | frame |"
	echo "|---:|---:|"
	echo "| 0 | $1 us |"
	echo "| 1,000 | $2 us |"
	echo "| 20,000 | $3 us |"
	echo
	echo "Reproduce: \`BENCH=exemplars make bench\`."
} > "$BENCH_OUT/exemplars.md"
