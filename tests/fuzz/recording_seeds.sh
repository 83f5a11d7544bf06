#!/bin/sh
# recording_seeds.sh: (re)make the seeds of tests/fuzz/fuzz_recording.c
# with the real recorder (tests/tools/mkrec, built by make test): one
# small dashboard (a graph over 5 minutes; the generator adds alerts and
# statuses), recorded closed and compressed, closed and stored with a
# note (the target repairs checksums of stored frames, so mutations
# reach the records), and killed mid-recording (no index: read by scan).
# Each seed is the target's selector byte followed by the file.
# Usage: sh tests/fuzz/recording_seeds.sh [OBJDIR]   (default build/obj)
set -eu
obj=${1:-build/obj}
out=tests/fuzz/seeds/recording
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
cat >"$tmp/d.json" <<'J'
{ "title": "fuzz seed", "range": "5m",
  "sources": { "prometheus": { "type": "prometheus" } },
  "panels": [ { "type": "graph", "title": "active",
    "query": "sum by (cluster_name) (envoy_cluster_upstream_cx_active)" } ] }
J
"$obj/tests/tools/mkrec" "$tmp/zstd.scry" "$tmp/d.json" 2026-11-26T02:16:00Z 2026-11-26T02:17:00Z >/dev/null
"$obj/tests/tools/mkrec" "$tmp/stored.scry" "$tmp/d.json" 2026-11-26T02:16:00Z 2026-11-26T02:16:30Z \
    --note 2026-11-26T02:16:00Z "pool at its limit" --level -1 >/dev/null
"$obj/tests/tools/mkrec" "$tmp/killed.scry" "$tmp/d.json" 2026-11-26T02:16:00Z 2026-11-26T02:30:00Z \
    --level -1 --kill-at 2026-11-26T02:16:30Z >/dev/null 2>&1 || true
for f in zstd:0 stored:1 killed:1 stored_raw:0; do
	name=${f%%:*} sel=${f#*:}
	src=$tmp/${name%_raw}.scry
	printf "\\$(printf %o "$sel")" >"$out/$name"
	cat "$src" >>"$out/$name"
done
ls -l "$out"
