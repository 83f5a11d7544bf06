#!/bin/sh
# topology.sh: the service topology at scale — layered layout of 200
# services / 1,000 edges (target < 50 ms per layout), the model from an
# Istio answer of 3,000 series, frames of the panel at 200x60.
set -u
out=${BENCH_OUT:-bench/out}/topology.md
bin=${BENCH_BIN:-build/obj/bench}/topology
N=${TOPO_BENCH_SERVICES:-200}
M=${TOPO_BENCH_EDGES:-1000}
{
	echo "## Service topology ($N services, $M edges)"
	echo
	echo "| measure | value | target |"
	echo "|---|---|---|"
	"$bin" "$N" "$M"
	echo
	echo "Reproduce: \`make bench\` (or \`$bin $N $M\`).  Medians of 9 (layout) and"
	echo "25 (cached frames) runs; $(nproc) CPUs shared with other jobs."
} > "$out"
cat "$out"
