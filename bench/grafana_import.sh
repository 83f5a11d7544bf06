#!/bin/sh
# grafana_import: time to open (convert + parse) the Grafana fixtures,
# median of 21 runs of `scry --convert` (process start included).
set -u
out=$BENCH_OUT/grafana_import.md
{
	echo "## Grafana import"
	echo
	echo "\`scry --convert FILE\`, median of 21 runs, process start included (target: well under the"
	echo "100 ms a person notices when opening a dashboard)."
	echo
	echo "| dashboard | bytes | panels | median ms |"
	echo "|---|---:|---:|---:|"
	for f in tests/fixtures/grafana/rfmoz/node-exporter-full.json \
	    tests/fixtures/grafana/istio/istio-service-dashboard.json \
	    tests/fixtures/grafana/loki/loki-logs.json; do
		ms=$(for i in $(seq 21); do
			a=$(date +%s%N)
			"$SCRY_BIN" --convert "$f" >/dev/null 2>&1
			b=$(date +%s%N)
			echo $(( (b - a) / 1000 ))
		done | sort -n | sed -n 11p)
		panels=$(grep -o '"gridPos"' "$f" | wc -l)
		printf '| %s | %s | %s | %s.%s |\n' "$(basename "$f")" "$(wc -c < "$f")" "$panels" \
		    $((ms / 1000)) $(((ms % 1000) / 100))
	done
	echo
	echo "Reproduce: \`BENCH=grafana_import make bench\`."
} > "$out"
