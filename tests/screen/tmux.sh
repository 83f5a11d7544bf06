#!/bin/sh
# tmux.sh: the real binary in a tmux pane: what the user sees.
# The screen is compared with `scry --snapshot` of the same size: both
# draw the same canvas, so a correct frame is byte-identical text.
. "$SCRY_TOP/tests/lib.sh"

B=$SCRY_TOP/tests/fixtures/dashboards/board.json
U="LANG=C.UTF-8 LC_ALL=C.UTF-8"
run() {	# run COLS ROWS ENV... : scry on the test board in a fresh server
	c=$1 r=$2
	shift 2
	tmux_stop
	tmux_start "$c" "$r" "env $U TERM=tmux-256color $* $SCRY_BIN $B"
	screen_wait "q quit" 5
}
settle() { sleep 0.25; }
same_as_snapshot() {	# same_as_snapshot NAME COLSxROWS
	settle
	tmux_screen > "$T_TMP/screen"
	env $U "$SCRY_BIN" --snapshot --size "$2" --color never "$B" > "$T_TMP/snap"
	if cmp -s "$T_TMP/screen" "$T_TMP/snap"; then ok "$1"; else
		not_ok "$1" "$(diff "$T_TMP/snap" "$T_TMP/screen" | head -30)"; fi
}
quits() {	# quits NAME KEYS...
	name=$1
	shift
	tmux_keys "$@"
	st=$(exit_wait 5)
	if [ "$st" = "EXIT=0" ]; then ok "$name"; else not_ok "$name" "got '$st'" "$(tmux_screen)"; fi
}

# --- startup, focus, zoom, help, command line -----------------------------
run 120 40
same_as_snapshot "tmux: first frame equals the snapshot at 120x40" 120x40
tmux_keys l z
settle
tmux_screen > "$T_TMP/s"
if head -1 "$T_TMP/s" | grep -q "P99 latency" && ! grep -q "Request rate" "$T_TMP/s"; then
	ok "tmux: l then z zooms the panel to the right"; else
	not_ok "tmux: l then z zooms the panel to the right" "$(cat "$T_TMP/s")"; fi
tmux_keys Escape
same_as_snapshot "tmux: Esc leaves the zoom" 120x40
tmux_keys j Enter
settle
# focus was on P99 latency (top right); below it is Errors
tmux_screen | head -1 | grep -q "Errors" && ok "tmux: j then Enter zooms the panel below" ||
    not_ok "tmux: j then Enter zooms the panel below" "$(tmux_screen)"
tmux_keys Enter
tmux_keys '?'
screen_wait "keys (j/k scroll" 3 && ok "tmux: ? opens the help" || not_ok "tmux: ? opens the help" "$(tmux_screen)"
tmux_screen > "$T_TMP/s"
contains "tmux: help lists the keys" "$T_TMP/s" "zoom the focused panel to full screen"
tmux_keys Escape
tmux_keys ':' 'range 15m' Enter
screen_wait "live, last 15m" 3 && ok "tmux: :range 15m" || not_ok "tmux: :range 15m" "$(tmux_screen)"
tmux_keys '/' 'timeout' Enter
screen_wait "this panel has nothing to search" 3 && ok "tmux: / searches the focused panel" ||
    not_ok "tmux: / searches the focused panel" "$(tmux_screen)"
tmux_keys r
screen_wait "refreshing" 3 && ok "tmux: r refreshes" || not_ok "tmux: r refreshes" "$(tmux_screen)"
tmux_screen_e > "$T_TMP/before"
tmux_keys ':' 'theme light' Enter
screen_wait "theme light" 3
tmux_screen_e > "$T_TMP/after"
if ! cmp -s "$T_TMP/before" "$T_TMP/after" && grep -q "38;5;25m" "$T_TMP/after"; then
	ok "tmux: :theme light recolours the screen"; else
	not_ok "tmux: :theme light recolours the screen" "$(head -3 "$T_TMP/after")"; fi
quits "tmux: :q quits" ':' q Enter
check "tmux: alternate screen off after :q" [ "$(tmux_pane '#{alternate_on}')" = 0 ]
check "tmux: cursor visible after :q" [ "$(tmux_pane '#{cursor_flag}')" = 1 ]

# --- resize storm ---------------------------------------------------------
run 100 30
i=0
seed=7
while [ $i -lt 150 ]; do
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
	c=$(( seed % 220 + 1 ))
	r=$(( (seed / 256) % 70 + 1 ))
	case $i in 10) c=1 r=1 ;; 20) c=1 r=40 ;; 30) c=200 r=1 ;; 40) c=2 r=2 ;; esac
	tmux_resize "$c" "$r"
	i=$((i + 1))
done
tmux_resize 100 30
screen_wait "q quit" 5
same_as_snapshot "tmux: after a resize storm the frame equals the snapshot" 100x30
tmux_resize 15 4
screen_wait "small" 3 && ok "tmux: terminal too small says so" || not_ok "tmux: terminal too small says so" "$(tmux_screen)"
tmux_screen > "$T_TMP/s"
contains "tmux: too small still says how to quit" "$T_TMP/s" "q to quit"
tmux_resize 1 1
settle
quits "tmux: q quits at 1x1" q

# --- terminals and locales -------------------------------------------------
for t in vt100 linux screen xterm; do
	tmux_stop
	tmux_start 100 30 "env $U TERM=$t $SCRY_BIN $B"
	screen_wait "q quit" 5 && ok "tmux: TERM=$t starts" || not_ok "tmux: TERM=$t starts" "$(tmux_screen)"
	quits "tmux: TERM=$t quits" q
done
tmux_stop
tmux_start 100 30 "env LANG=C LC_ALL=C TERM=tmux-256color $SCRY_BIN $B"
screen_wait "q quit" 5
tmux_screen > "$T_TMP/s"
contains "tmux: LANG=C draws ASCII boxes" "$T_TMP/s" "+ Request rate by service"
lacks "tmux: LANG=C sends no box-drawing characters" "$T_TMP/s" "$(printf '\342\224\200')"
quits "tmux: LANG=C quits" q
run 100 30 NO_COLOR=1
tmux_screen_e > "$T_TMP/s"
lacks "tmux: NO_COLOR draws no 256 colours" "$T_TMP/s" "38;5;"
quits "tmux: NO_COLOR quits" q

# --- GNU screen inside tmux --------------------------------------------------
tmux_stop
tmux_start 100 30 "env $U SCREENRC=/dev/null SYSSCREENRC=/dev/null screen -q $SCRY_BIN $B"
screen_wait "q quit" 8 && ok "screen(1): starts inside GNU screen" || not_ok "screen(1): starts inside GNU screen" "$(tmux_screen)"
tmux_screen > "$T_TMP/s"
contains "screen(1): panels are drawn" "$T_TMP/s" "no data source"
tmux_keys '?'
screen_wait "keys (j/k scroll" 3 && ok "screen(1): help overlay" || not_ok "screen(1): help overlay" "$(tmux_screen)"
tmux_keys Escape
quits "screen(1): q quits" q

# --- signals restore the real terminal ---------------------------------------
for sig in TERM HUP INT QUIT; do
	run 100 30
	pid=$(tmux_child)
	[ -n "$pid" ] && kill -s "$sig" "$pid"
	st=$(exit_wait 5)
	case $sig in TERM) want=143 ;; HUP) want=129 ;; INT) want=130 ;; QUIT) want=131 ;; esac
	check "tmux: SIG$sig exits $want" [ "$st" = "EXIT=$want" ]
	check "tmux: SIG$sig leaves the alternate screen" [ "$(tmux_pane '#{alternate_on}')" = 0 ]
	check "tmux: SIG$sig shows the cursor" [ "$(tmux_pane '#{cursor_flag}')" = 1 ]
	check "tmux: SIG$sig turns keypad mode off" [ "$(tmux_pane '#{keypad_flag}')" = 0 ]
done
tmux_stop
