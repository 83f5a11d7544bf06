#!/bin/sh
# topology_replay: the topology's generated queries are ordinary store
# keys, so a recording replays them: a live snapshot (Prometheus over the
# fixture shifted so the incident is now) recorded with --record, then
# the replay of that recording draws the same topology and rebuilds the
# same store (every recorded digest matches).
. tests/lib.sh
. tests/prom.sh

now=$(date +%s)
shift_s=$(( (now - 60 - 1795660200) / 15 * 15 ))
PROM_GEN_ARGS="--shift $shift_s" PROM_NOCACHE=1
if ! prom_start; then
	not_ok "prometheus starts over the shifted fixture" "$(tail -5 "$PROM_LOG" 2>/dev/null)"
	exit 0
fi
cat > "$T_TMP/d.json" <<EOF
{"title": "mesh", "range": "30m",
 "sources": {"prometheus": {"type": "prometheus", "url": "$PROM_URL"}},
 "panels": [{"type": "topology", "title": "topology", "grid": {"x": 0, "y": 0, "w": 24, "h": 20}}]}
EOF
R=$T_TMP/t.scry
"$SCRY_BIN" --snapshot --size 160x30 --color never --utc --timeout 20s --record "$R" \
    "$T_TMP/d.json" > "$T_TMP/live.txt" 2> "$T_TMP/live.err"
contains "live: the incident's worst edge" "$T_TMP/live.txt" " 25.0/s 92% 4.4s "
"$SCRY_BIN" --check "$R" > "$T_TMP/check.txt" 2>&1
contains "the recording checks: digests match" "$T_TMP/check.txt" "digests match"
"$SCRY_BIN" --replay "$R" --snapshot --size 160x30 --color never --utc > "$T_TMP/replay.txt" 2>&1
contains "replay: the same edges" "$T_TMP/replay.txt" " 25.0/s 92% 4.4s "
# the status bar carries the live session's REC badge, and "live" is "at"
# in a replay: compare the rest
head -n 29 "$T_TMP/live.txt" | sed 's/^│live [0-9:]*/│TIME/' > "$T_TMP/live.body"
head -n 29 "$T_TMP/replay.txt" | sed 's/^│\(at\|live\) [0-9:]*/│TIME/' > "$T_TMP/replay.body"
if cmp -s "$T_TMP/live.body" "$T_TMP/replay.body"; then ok "replay draws the live topology"
else not_ok "replay draws the live topology" "$(diff "$T_TMP/live.body" "$T_TMP/replay.body" | head -20)"; fi
