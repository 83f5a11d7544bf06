#!/bin/sh
# snapshot.sh: `scry --snapshot` of the test board (no backend needed) at
# 80x24, 120x40 and 200x60, in colour and mono, byte for byte against the
# golden files in tests/fixtures/snapshots/, plus --at, LANG=C and the
# hostile dashboard.  The output must not depend on anything but the
# arguments: it is run twice and under another time zone.
#
# To regenerate the golden files after an intended change of the screen:
#   SCRY_UPDATE_GOLDEN=1 make test TESTS=snapshot
# then review `git diff tests/fixtures/snapshots` before committing.
. "$SCRY_TOP/tests/lib.sh"

G=$SCRY_TOP/tests/fixtures/snapshots
D=$SCRY_TOP/tests/fixtures/dashboards
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
unset NO_COLOR SCRY_THEME

golden() {	# golden NAME ARGS...: compare the snapshot with $G/NAME
	name=$1
	shift
	"$SCRY_BIN" --snapshot "$@" </dev/null >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	if [ "${SCRY_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$T_TMP/out" "$G/$name"
		echo "# updated $name"
	fi
	if [ "$rc" -ne 0 ]; then
		not_ok "snapshot $name: exit $rc" "$(cat "$T_TMP/err")"
	elif ! cmp -s "$T_TMP/out" "$G/$name"; then
		not_ok "snapshot $name" "$(diff "$G/$name" "$T_TMP/out" | head -20)"
	else
		ok "snapshot $name"
	fi
}

for size in 80x24 120x40 200x60; do
	golden "board-$size.txt" --size "$size" --color never "$D/board.json"
	golden "board-$size.ansi" --size "$size" --color always "$D/board.json"
done
golden "board-at.txt" --size 100x30 --color never --utc --at 2024-01-01T02:17:00Z "$D/board.json"
golden "board-light.ansi" --size 80x24 --color always --theme light "$D/board.json"
golden "hostile-110x45.txt" --size 110x45 --color never "$D/hostile.json"
LANG=C LC_ALL=C golden "board-ascii.txt" --size 80x24 --color never "$D/board.json"

# the shape of the output
"$SCRY_BIN" --snapshot --size 80x24 --color never "$D/board.json" >"$T_TMP/a"
check "snapshot: 24 lines at 80x24" [ "$(wc -l <"$T_TMP/a")" -eq 24 ]
check "snapshot: no line wider than 80 columns" \
    [ "$(python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$T_TMP/a")" -le 80 ]
lacks "snapshot: mono has no escape sequences" "$T_TMP/a" "$(printf '\033')"
"$SCRY_BIN" --snapshot --size 80x24 --color always "$D/board.json" >"$T_TMP/c"
contains "snapshot: colour uses 256-colour SGR" "$T_TMP/c" "$(printf '\033[0;1;38;5;81m')"
check "snapshot: every colour line ends with a reset" \
    [ "$(grep -vc "$(printf '\033')\[0m\$" "$T_TMP/c")" -eq 0 ]
# deterministic: again, in another time zone, gives the same bytes
TZ=Asia/Tokyo "$SCRY_BIN" --snapshot --size 80x24 --color never "$D/board.json" >"$T_TMP/b"
check "snapshot: deterministic" cmp "$T_TMP/a" "$T_TMP/b"
TZ=Asia/Tokyo "$SCRY_BIN" --snapshot --size 100x30 --color never --utc --at 2024-01-01T02:17:00Z \
    "$D/board.json" >"$T_TMP/b"
check "snapshot: --utc --at is independent of TZ" cmp "$G/board-at.txt" "$T_TMP/b"
# NO_COLOR and a non-terminal stdout mean mono by default
NO_COLOR=1 "$SCRY_BIN" --snapshot --size 80x24 "$D/board.json" >"$T_TMP/n"
check "snapshot: NO_COLOR gives mono" cmp "$G/board-80x24.txt" "$T_TMP/n"
"$SCRY_BIN" --snapshot --size 80x24 "$D/board.json" >"$T_TMP/n"
check "snapshot: a file gets mono by default" cmp "$G/board-80x24.txt" "$T_TMP/n"
# the default size is 120x40
"$SCRY_BIN" --snapshot --color never "$D/board.json" >"$T_TMP/n"
check "snapshot: default size 120x40" cmp "$G/board-120x40.txt" "$T_TMP/n"
# bad arguments
"$SCRY_BIN" --snapshot --size 80by24 "$D/board.json" >"$T_TMP/n" 2>&1
check "snapshot: --size 80by24 is refused" [ $? -eq 1 ]
contains "snapshot: --size error says what is expected" "$T_TMP/n" "COLSxROWS"
"$SCRY_BIN" --snapshot --at yesterday "$D/board.json" >"$T_TMP/n" 2>&1
check "snapshot: --at yesterday is refused" [ $? -eq 1 ]
"$SCRY_BIN" --snapshot --color sometimes "$D/board.json" >"$T_TMP/n" 2>&1
check "snapshot: --color sometimes is refused" [ $? -eq 1 ]
# a tiny snapshot is the "too small" screen, not a crash
"$SCRY_BIN" --snapshot --size 1x1 --color never "$D/board.json" >"$T_TMP/n"
check "snapshot: 1x1 works" [ $? -eq 0 ]
