# prom.sh: Debian's real Prometheus over the seed-incident fixture, for
# tests (sourced after tests/lib.sh).  Reusable by every issue that needs
# metrics (topology, SLO, demo):
#
#   . tests/lib.sh; . tests/prom.sh
#   prom_start [EXTRA PROMETHEUS FLAGS...] || { not_ok "prometheus" ...; exit 0; }
#   "$SCRY_BIN" -p "$PROM_URL" --snapshot --at 2026-11-26T02:30:00Z ...
#   prom_stop
#
# prom_start sets PROM_URL, PROM_PORT, PROM_PID, PROM_DATA and PROM_LOG.
# The TSDB is built once per fixture version with
#   tests/fixtures/prom/gen.py | promtool tsdb create-blocks-from openmetrics
# and cached under build/prom-fixture/<hash of gen.py>; every prom_start
# gets a fresh copy (Prometheus writes into its data directory), listens
# on 127.0.0.1 on a free port, keeps data for 100y (retention is relative
# to the newest block), evaluates tests/fixtures/prom/rules.yml every 1s
# and has no scrape targets.  Several servers may run at once.
# The process is killed at exit by lib.sh's cleanup.
PROM_FIXTURE=${SCRY_TOP}/tests/fixtures/prom

# PROM_SCRAPE: "HOST:PORT" of a scrape target for the next prom_start
# (empty: none), scraped every second as job "target" (for exemplars:
# tests/servers/exemplar_target.py with --enable-feature=exemplar-storage).
PROM_SCRAPE=${PROM_SCRAPE:-}

# PROM_GEN_ARGS: extra gen.py flags for the next prom_start (e.g.
# --legacy-istio); each combination is its own cached TSDB.  With
# PROM_NOCACHE set the TSDB is built in the test's own directory (for
# one-off arguments such as --shift: the incident at "now").
PROM_GEN_ARGS=${PROM_GEN_ARGS:-}

# prom_tsdb: print the path of the pristine TSDB, building it if needed.
prom_tsdb() {
	h=$( (cat "$PROM_FIXTURE/gen.py"; echo "$PROM_GEN_ARGS") | sha256sum | cut -c1-16)
	base=$SCRY_TOP/build/prom-fixture
	[ -n "${PROM_NOCACHE:-}" ] && base=$T_TMP/prom-fixture
	dir=$base/$h
	if [ ! -d "$dir/data" ]; then
		mkdir -p "$base"
		tmp=$(mktemp -d "$base/tmp.XXXXXX")
		# shellcheck disable=SC2086
		if ! python3 "$PROM_FIXTURE/gen.py" $PROM_GEN_ARGS > "$tmp/fixture.om" ||
		    ! promtool tsdb create-blocks-from openmetrics "$tmp/fixture.om" "$tmp/data" \
		    > "$tmp/promtool.log" 2>&1; then
			cat "$tmp/promtool.log" >&2
			rm -rf "$tmp"
			return 1
		fi
		rm -f "$tmp/fixture.om"
		mkdir -p "$dir"
		# another test may have won the race: keep the first
		mv "$tmp/data" "$dir/data" 2>/dev/null || true
		rm -rf "$tmp"
	fi
	echo "$dir/data"
}

PROM_N=0
prom_start() {
	tsdb=$(prom_tsdb) || return 1
	PROM_N=$((PROM_N + 1))
	PROM_DATA=$T_TMP/prom$PROM_N
	PROM_LOG=$T_TMP/prom$PROM_N.log
	cp -a "$tsdb" "$PROM_DATA"
	cat > "$PROM_DATA.yml" <<Y
global: {scrape_interval: 15s, evaluation_interval: 1s}
rule_files: ["$PROM_FIXTURE/rules.yml"]
scrape_configs: []
Y
	if [ -n "$PROM_SCRAPE" ]; then
		sed -i '$d' "$PROM_DATA.yml"
		cat >> "$PROM_DATA.yml" <<Y
scrape_configs:
  - {job_name: target, scrape_interval: 1s, scrape_timeout: 1s, static_configs: [{targets: ["$PROM_SCRAPE"]}]}
Y
	fi
	PROM_PORT=$(free_port)
	prometheus --config.file="$PROM_DATA.yml" --storage.tsdb.path="$PROM_DATA" \
	    --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$PROM_PORT" \
	    "$@" > "$PROM_LOG" 2>&1 &
	PROM_PID=$!
	T_PIDS="$T_PIDS $PROM_PID"
	PROM_URL=http://127.0.0.1:$PROM_PORT
	n=0
	until grep -q "Server is ready to receive web requests" "$PROM_LOG" 2>/dev/null; do
		n=$((n + 1))
		if [ $n -gt 400 ] || ! kill -0 "$PROM_PID" 2>/dev/null; then
			echo "# prometheus did not start:" >&2
			tail -5 "$PROM_LOG" >&2
			return 1
		fi
		sleep 0.05
	done
	return 0
}

prom_stop() {
	[ -n "${PROM_PID:-}" ] || return 0
	kill "$PROM_PID" 2>/dev/null
	wait "$PROM_PID" 2>/dev/null
	PROM_PID=
}
