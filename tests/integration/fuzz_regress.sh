#!/bin/sh
# Replays every fuzz seed and every past finding (tests/fuzz/regress/) through
# each target's entry point with the build under test (normal or ASan): a
# parser that once crashed must never crash again.
. "$SCRY_TOP/tests/lib.sh"
bindir=$SCRY_OBJ/fuzz-replay
for src in "$SCRY_TOP"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c | sed 's/^fuzz_//')
	bin=$bindir/$name
	if [ ! -x "$bin" ]; then
		not_ok "fuzz replay $name" "missing $bin (make fuzz-replay)"
		continue
	fi
	files=$(find "$SCRY_TOP/tests/fuzz/seeds/$name" "$SCRY_TOP/tests/fuzz/regress/$name" -type f 2>/dev/null)
	if [ -z "$files" ]; then
		not_ok "fuzz replay $name" "no seeds in tests/fuzz/seeds/$name"
		continue
	fi
	n=$(echo "$files" | wc -l)
	if echo "$files" | xargs "$bin" >"$T_TMP/$name.out" 2>&1; then
		ok "fuzz replay $name ($n inputs)"
	else
		not_ok "fuzz replay $name" "$(tail -20 "$T_TMP/$name.out")"
	fi
done
