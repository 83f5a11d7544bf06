#!/bin/sh
# heatmap: one frame of a 30-bucket, 1000-step latency heatmap at 200x60.
set -u
us=$("$BENCH_BIN/heatmap")
{
	echo "## Heatmap frame"
	echo
	echo "Drawing a 30-bucket x 1000-step latency heatmap panel at 198x58 cells (grid from the"
	echo "store, de-accumulation, P50/P99, axes), best of 200 frames (target: a few ms, within"
	echo "the 2 ms/frame budget of a 6-panel dashboard only when it is the one panel that changed)."
	echo
	echo "| frame | time |"
	echo "|---|---:|"
	echo "| heatmap 198x58, 30 buckets x 1000 steps | $us us |"
	echo
	echo "Reproduce: \`BENCH=heatmap make bench\`."
} > "$BENCH_OUT/heatmap.md"
