#!/bin/sh
# docs.sh: the man pages lint clean and cover every option and command of
# --help; `make install` / `make uninstall` with PREFIX and DESTDIR put
# exactly the expected files in place, and the installed binary finds its
# themes and dashboards in the data directory.
. "$SCRY_TOP/tests/lib.sh"
cd "$SCRY_TOP" || exit 1

for m in man/scry.1 man/scry-dashboard.5; do
	mandoc -Tlint -W warning "$m" >"$T_TMP/lint" 2>&1
	if [ -s "$T_TMP/lint" ]; then not_ok "mandoc -Tlint -W warning $m" "$(head -10 "$T_TMP/lint")"
	else ok "mandoc -Tlint -W warning $m"; fi
done
check "make check-man" make --no-print-directory check-man

"$SCRY_BIN" --help >"$T_TMP/help"
for opt in $(sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}--\([a-z][a-z-]*\).*/\2/p' "$T_TMP/help" | sort -u); do
	if grep -q "^\.It .*Fl Fl $opt\( \|$\)" man/scry.1; then ok "man documents --$opt"
	else not_ok "man documents --$opt" "no '.It ... Fl Fl $opt' in man/scry.1"; fi
done
for cmd in $(sed -n 's/^  :\([a-z-]*\).*/\1/p' "$T_TMP/help"); do
	if grep -q "^\.It Ic :$cmd\( \|$\)" man/scry.1; then ok "man documents :$cmd"
	else not_ok "man documents :$cmd" "no '.It Ic :$cmd' in man/scry.1"; fi
done
for t in themes/*.theme; do
	n=$(basename "$t" .theme)
	grep -q "^\.It Cm $n\$" man/scry.1 && ok "man documents theme $n" || not_ok "man documents theme $n"
done
for k in title range refresh sources variables panels type url path_prefix basic_auth token_file \
    headers tenant tls proxy max_bytes timeout connect_timeout name values current multi include_all \
    all_value query queries legend unit decimals min max thresholds grid refresh options collapsed; do
	grep -q "Cm $k\( \|$\)" man/scry-dashboard.5 && ok "scry-dashboard(5) documents $k" ||
	    not_ok "scry-dashboard(5) documents $k"
done

# install into a private prefix (a separate build, so ./scry is untouched)
P=$T_TMP/prefix
D=$T_TMP/dest
make --no-print-directory -j2 O="$T_TMP/obj" OPT=-O0 BIN="$T_TMP/obj/scry" PREFIX="$P" \
    DESTDIR="$D" install >"$T_TMP/install" 2>&1
check "make install PREFIX DESTDIR" [ $? -eq 0 ]
R=$D$P
for f in bin/scry share/man/man1/scry.1 share/man/man5/scry-dashboard.5 \
    share/scry/dashboards/incident.json share/scry/themes/default.theme \
    share/scry/themes/light.theme share/scry/themes/high-contrast.theme \
    share/scry/themes/mono.theme share/scry/themes/terminal.theme; do
	check "installed $f" [ -f "$R/$f" ]
done
check "installed binary is executable" [ -x "$R/bin/scry" ]
check "installed data is not writable by others" [ -z "$(find "$R" -perm -o+w -type f)" ]
# the installed binary looks in PREFIX/share/scry: put the tree there for real
mkdir -p "$P"
cp -R "$R/." "$P/"
mv "$P/bin/scry" "$T_TMP/elsewhere-scry"	# not beside its data any more
env XDG_CONFIG_HOME="$T_TMP/empty" "$T_TMP/elsewhere-scry" --snapshot --size 80x10 --color never \
    --theme high-contrast incident >"$T_TMP/out" 2>&1
contains "installed binary finds themes and dashboards in PREFIX/share/scry" "$T_TMP/out" "P99 latency by destinat"
make --no-print-directory O="$T_TMP/obj" OPT=-O0 BIN="$T_TMP/obj/scry" PREFIX="$P" DESTDIR="$D" \
    uninstall >"$T_TMP/uninstall" 2>&1
check "make uninstall" [ $? -eq 0 ]
left=$(find "$D" -type f | sed "s|$D||")
check "uninstall removes every installed file" [ -z "$left" ]
