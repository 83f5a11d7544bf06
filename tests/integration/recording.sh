#!/bin/sh
# recording.sh: recordings with the real binary — --check, damaged files
# (truncated, bit flips, wrong version, oversized, not a recording), a
# recorder killed mid-write, and no secret in a recording.
. tests/lib.sh
MKREC=$SCRY_TOOLS/mkrec
DUMP=$SCRY_TOOLS/recdump
DASH=$SCRY_TOP/tests/fixtures/dashboards/replay_incident.json	# graph panels the generator answers
R=$T_TMP/inc.scry

"$MKREC" "$R" "$DASH" 2026-11-26T02:00:00Z 2026-11-26T02:50:00Z \
    --note 2026-11-26T02:17:42Z "order P99 jumps to 8.4s" >"$T_TMP/mk.out" 2>&1
check "mkrec writes a recording" test -s "$R"

"$SCRY_BIN" --check "$R" >"$T_TMP/check.out" 2>&1
echo "rc=$?" >>"$T_TMP/check.out"
contains "check: a good recording is ok" "$T_TMP/check.out" "ok (2026-11-26T02:00:00Z to"
contains "check: every digest matches" "$T_TMP/check.out" "101 of 101 digests match"
contains "check: exit 0" "$T_TMP/check.out" "rc=0"

perm=$(stat -c %a "$R")
[ "$perm" = 600 ] && ok "recording is mode 0600" || not_ok "recording is mode 0600" "mode $perm"

# replay snapshot at a time, twice: deterministic
"$SCRY_BIN" --replay "$R" --snapshot --at 02:30 --utc --size 120x40 --color never >"$T_TMP/s1" 2>&1
"$SCRY_BIN" --replay "$R" --snapshot --at 02:30 --utc --size 120x40 --color never >"$T_TMP/s2" 2>&1
check "snapshot --at is deterministic" cmp "$T_TMP/s1" "$T_TMP/s2"
contains "snapshot shows the recorded P99" "$T_TMP/s1" "order.shop.svc.cluster.local"
contains "snapshot shows the note marker" "$T_TMP/s1" "◆"
"$SCRY_BIN" --replay "$R" --snapshot --at 05:00 --utc >"$T_TMP/out" 2>&1
echo "rc=$?" >>"$T_TMP/out"
contains "--at outside the recording is refused" "$T_TMP/out" "is outside the recording"
contains "--at outside: exit 1" "$T_TMP/out" "rc=1"

# truncated: replays up to the last complete chunk
size=$(stat -c %s "$R")
head -c $((size / 2)) "$R" >"$T_TMP/half.scry"
"$SCRY_BIN" --check "$T_TMP/half.scry" >"$T_TMP/out" 2>&1
echo "rc=$?" >>"$T_TMP/out"
contains "truncated: check names the byte" "$T_TMP/out" "recording is truncated"
contains "truncated: check fails" "$T_TMP/out" "rc=1"
"$SCRY_BIN" --replay "$T_TMP/half.scry" --snapshot --utc --size 100x30 --color never >"$T_TMP/out" 2>"$T_TMP/err"
echo "rc=$?" >>"$T_TMP/out"
contains "truncated: still replays" "$T_TMP/out" "P99 latency"
contains "truncated: replay exits 0" "$T_TMP/out" "rc=0"
contains "truncated: replay warns on stderr" "$T_TMP/err" "truncated"
head -c 40 "$R" >"$T_TMP/tiny.scry"
"$SCRY_BIN" --replay "$T_TMP/tiny.scry" --snapshot >"$T_TMP/out" 2>&1
echo "rc=$?" >>"$T_TMP/out"
contains "cut inside the header: clear error" "$T_TMP/out" "byte 16: recording header"
contains "cut inside the header: exit 1" "$T_TMP/out" "rc=1"

# bit flips in the middle
python3 - "$R" "$T_TMP/flip.scry" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
for off in (len(d) // 3, len(d) // 2, 2 * len(d) // 3):
    d[off] ^= 0x20
open(sys.argv[2], 'wb').write(bytes(d))
PY
"$SCRY_BIN" --check "$T_TMP/flip.scry" >"$T_TMP/out" 2>&1
echo "rc=$?" >>"$T_TMP/out"
contains "bit flips: corrupt chunk named" "$T_TMP/out" "corrupt chunk skipped"
contains "bit flips: check fails" "$T_TMP/out" "rc=1"
timeout 20 "$SCRY_BIN" --replay "$T_TMP/flip.scry" --snapshot --utc --color never >"$T_TMP/out" 2>&1
echo "rc=$?" >>"$T_TMP/out"
contains "bit flips: the rest replays" "$T_TMP/out" "rc=0"

# wrong version (a correct preamble checksum: only the version is wrong)
python3 - "$R" "$T_TMP/v9.scry" <<'PY'
import sys, zlib, struct
d = bytearray(open(sys.argv[1], 'rb').read())
d[8:12] = struct.pack('<I', 9)
d[12:16] = struct.pack('<I', zlib.crc32(bytes(d[0:12])))
open(sys.argv[2], 'wb').write(bytes(d))
PY
"$SCRY_BIN" --replay "$T_TMP/v9.scry" --snapshot >"$T_TMP/out" 2>&1
echo "rc=$?" >>"$T_TMP/out"
contains "wrong version: clear error" "$T_TMP/out" "byte 8: recording format version 9 is not supported"
contains "wrong version: exit 1" "$T_TMP/out" "rc=1"

# oversized (sparse: no disk used)
truncate -s 5G "$T_TMP/big.scry"
"$SCRY_BIN" --replay "$T_TMP/big.scry" --snapshot >"$T_TMP/out" 2>&1
echo "rc=$?" >>"$T_TMP/out"
contains "oversized: refused before reading" "$T_TMP/out" "recording is larger than"
contains "oversized: exit 1" "$T_TMP/out" "rc=1"
rm -f "$T_TMP/big.scry"

printf '{"title": "not a recording"}' >"$T_TMP/dash.scry"
"$SCRY_BIN" --replay "$T_TMP/dash.scry" --snapshot >"$T_TMP/out" 2>&1
contains "not a recording: clear error" "$T_TMP/out" "not a scry recording"

# a recorder killed mid-write
"$MKREC" "$T_TMP/crash.scry" "$DASH" 2026-11-26T02:00:00Z 2026-11-26T02:50:00Z \
    --kill-at 2026-11-26T02:30:00Z >/dev/null 2>&1
check "killed recorder left a file" test -s "$T_TMP/crash.scry"
"$SCRY_BIN" --check "$T_TMP/crash.scry" >"$T_TMP/out" 2>&1
contains "killed recorder: check says so" "$T_TMP/out" "not closed cleanly"
contains "killed recorder: what is there matches" "$T_TMP/out" "digests match"
"$SCRY_BIN" --replay "$T_TMP/crash.scry" --snapshot --utc --color never >"$T_TMP/out" 2>/dev/null
echo "rc=$?" >>"$T_TMP/out"
contains "killed recorder: replays up to the last chunk" "$T_TMP/out" "order.shop.svc.cluster.local"
contains "killed recorder: replay exits 0" "$T_TMP/out" "rc=0"

# no secret survives in a recording: tests/integration/secrets.sh (T12)
# records a dashboard full of canaries (token and password files, headers,
# URL userinfo and query parameters, a command-line URL, the environment,
# a kubeconfig) against servers that echo them back, and greps the file,
# its decompressed frames and everything else scry writes.
