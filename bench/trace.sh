#!/bin/sh
# trace.sh: the waterfall benchmarks (bench/trace.c) -> $BENCH_OUT/trace.md
set -u
"$BENCH_BIN/trace" >"$BENCH_OUT/trace.md"
