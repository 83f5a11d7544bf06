#!/bin/sh
# check.sh: scry --check on the corpus of broken dashboards, each compared
# byte for byte with its expected output (NAME.json -> NAME.err: the
# diagnostics with file:line:column, then the summary line).  Exit status
# 1 when the file has an error, 0 when it only has warnings.
# To regenerate after an intended change of a message:
#   cd tests/fixtures/dashboards/bad && for f in *.json; do
#     ../../../../scry --check $f > ${f%.json}.err 2>&1; done
# and review the diff.
. "$SCRY_TOP/tests/lib.sh"

cd "$SCRY_TOP/tests/fixtures/dashboards/bad" || exit 1
n=0
for f in *.json; do
	name=${f%.json}
	n=$((n + 1))
	"$SCRY_BIN" --check "$f" </dev/null >"$T_TMP/out" 2>&1
	rc=$?
	if grep -q ': ok (' "$name.err"; then want=0; else want=1; fi
	if [ "$rc" -ne "$want" ]; then
		not_ok "check $name: exit status" "got $rc, expected $want"
	elif ! cmp -s "$T_TMP/out" "$name.err"; then
		not_ok "check $name: output" "$(diff "$name.err" "$T_TMP/out" | head -20)"
	else
		ok "check $name"
	fi
done
[ "$n" -ge 30 ] && ok "check corpus has $n files" || not_ok "check corpus too small ($n)"

# every message of an error names file:line:column
cd "$SCRY_TOP" || exit 1
bad=$(grep -hv ': ok (\|: [0-9]* errors\?$\|NUL byte' tests/fixtures/dashboards/bad/*.err |
    grep -vc '^[a-z_]*\.json:[0-9][0-9]*:[0-9][0-9]*: ')
check "check messages carry file:line:column" [ "$bad" -eq 0 ]

# good dashboards pass
for f in tests/fixtures/dashboards/good/*.json tests/fixtures/dashboards/board.json; do
	check "check good $(basename "$f")" "$SCRY_BIN" --check "$f"
done

# a dashboard is found by name: config dir first, then beside the binary
mkdir -p "$T_TMP/cfg/scry/dashboards"
cp tests/fixtures/dashboards/board.json "$T_TMP/cfg/scry/dashboards/mine.json"
XDG_CONFIG_HOME=$T_TMP/cfg "$SCRY_BIN" --check mine >"$T_TMP/out" 2>&1
contains "check finds NAME in \$XDG_CONFIG_HOME/scry/dashboards" "$T_TMP/out" "mine: ok (7 panels"
XDG_CONFIG_HOME=$T_TMP/cfg "$SCRY_BIN" --check nosuch >"$T_TMP/out" 2>&1
rc=$?
check "check unknown name exits 1" [ "$rc" -eq 1 ]
contains "check unknown name says where it looked" "$T_TMP/out" "$T_TMP/cfg/scry/dashboards/nosuch.json"
XDG_CONFIG_HOME=$T_TMP/cfg "$SCRY_BIN" --snapshot --size 60x10 --color never mine >"$T_TMP/out" 2>&1
contains "snapshot opens a dashboard by name" "$T_TMP/out" "scry test board"
# a path is never looked up by name
(cd "$T_TMP/cfg/scry/dashboards" && "$SCRY_BIN" --check mine.json) >"$T_TMP/out" 2>&1
contains "check takes a path as a path" "$T_TMP/out" "mine.json: ok"
"$SCRY_BIN" --check /nonexistent/x.json >"$T_TMP/out" 2>&1
rc=$?
check "check missing file exits 1" [ "$rc" -eq 1 ]
contains "check missing file names it" "$T_TMP/out" "/nonexistent/x.json: cannot open: No such file or directory"
# no terminal is needed or touched
"$SCRY_BIN" --check tests/fixtures/dashboards/board.json </dev/null >"$T_TMP/out" 2>&1 &
pid=$!
wait $pid
check "check runs without a terminal" [ $? -eq 0 ]
lacks "check writes no escape sequences" "$T_TMP/out" "$(printf '\033')"
