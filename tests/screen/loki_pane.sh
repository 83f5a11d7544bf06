#!/bin/sh
# The log pane on screen (tmux): follow and pause with the new-lines
# count, search, include/exclude filters toggled by number, level keys,
# dim mode, wrap, the detail view with JSON, the dropped-lines marker, the
# trace lens across every log panel and back, copying with OSC 52.
. tests/lib.sh
. tests/servers/loki_env.sh

loki_start --rate 5 --backlog 120
loki_dash "$T_TMP/pane.json" '' '[
  { "type": "logs", "title": "orders", "query": "{app=\"order\"}", "grid": { "x": 0, "y": 0, "w": 24, "h": 10 } },
  { "type": "logs", "title": "edge", "query": "{app=~\"frontend|payment\"}", "grid": { "x": 0, "y": 10, "w": 24, "h": 10 } } ]'
tmux_start 120 40 "env -u TMUX SCRY_LOG=$T_TMP/scry.log $SCRY_BIN $T_TMP/pane.json"
tmux -L "$T_TMUX" set-option -g set-clipboard on >/dev/null

expect() {	# expect NAME TEXT [SECONDS]
	if screen_wait "$2" "${3:-3}"; then ok "$1"; else
		not_ok "$1" "wanted: $2" "$(tmux_screen | tr '\n' '|')"; fi
}
absent() {	# absent NAME TEXT: not on screen now
	if tmux_screen | grep -qF -- "$2"; then
		not_ok "$1" "unwanted: $2" "$(tmux_screen | tr '\n' '|')"; else ok "$1"; fi
}
body() { tmux_screen | sed -n '2,37p'; }
esc() {	# a lone Esc (not the start of an Alt-key)
	tmux_keys Escape
	sleep 0.15
}

expect "both panes show lines" "checkout" 8
tmux_keys Enter
expect "zoomed: the orders pane fills the screen" "orders" 2
# follow: newer lines keep arriving at the bottom
a=$(body | grep -o 'seq=[0-9]*' | tail -1)
sleep 1.5
b=$(body | grep -o 'seq=[0-9]*' | tail -1)
check "follow mode shows new lines" test "$a" != "$b"
# pause freezes the view, keeps buffering and counts
tmux_keys p
expect "pause is shown" "paused"
first=$(body | head -1)
sleep 2
check "paused: the view does not move" test "$(body | head -1)" = "$first"
if tmux_screen | grep -qE 'paused . [1-9][0-9]* new lines'; then ok "paused: new lines counted"; else
	not_ok "paused: new lines counted" "$(tmux_screen | tail -3 | tr '\n' '|')"; fi
tmux_keys G
sleep 0.5
absent "G resumes following" "paused"
tmux_keys k k k
expect "scrolling up stops following and counts new lines" "G follows"
tmux_keys G
# the lens: Enter on a line with a trace id
tmux_keys G
sleep 0.3
tmux_keys Enter
expect "the trace lens opens" "trace lens" 3
expect "the lens shows the frontend line of the trace" "frontend-7d4b9c8f6d" 5
expect "and the payment line" "payment-7c9f8d6b5" 2
expect "the time cursor moved to the line" "cursor " 1
esc
expect "Esc returns to the zoomed pane" "orders" 2
absent "the lens is gone" "trace lens"
absent "Esc restores the cursor as it was (none)" "cursor "
# search
tmux_keys / info Enter
expect "search pattern shown" "/info"
tmux_keys / zzzz-nothing Enter
expect "a search without matches says so" "no older match for /zzzz-nothing"
esc
esc
esc
# the edge pane: filters, levels, dim, detail
tmux_keys j
tmux_keys Enter
expect "zoomed on edge" "edge" 2
tmux_keys '&'
expect "the include prompt" "& include" 2
tmux_keys checkout Enter
sleep 0.5
expect "filter bar shows the include filter" "1&checkout"
absent "include filter hides payment lines" "TLS offload"
tmux_keys 1
expect "toggling the filter off brings them back" "TLS offload" 2
tmux_keys 1
sleep 0.3
absent "and on again hides them" "TLS offload"
tmux_keys '!'
tmux_keys failed Enter
sleep 0.5
absent "exclude filter hides failures" "checkout failed"
expect "the rest stays" "checkout ok"
tmux_keys d
expect "dim mode shows hidden lines again" "TLS offload" 2
tmux_keys d X
sleep 0.3
tmux_keys e
sleep 0.5
absent "errors only: no warnings" " WRN "
absent "errors only: no info" " INF "
tmux_keys A
expect "all levels again" " WRN " 2
# a pathological pattern never freezes the screen: limits + frame budget
tmux_keys '&'
tmux_keys '^(.+)+=$' Enter
sleep 0.3
tmux_keys d
expect "limit hits are counted" "limit hit on" 5
expect "and marked on their lines" " LIM " 2
tmux_keys '?'
if screen_wait "keys (j/k scroll" 1; then ok "keys answered with a catastrophic filter"; else
	not_ok "keys answered with a catastrophic filter" "$(tmux_screen | tr '\n' '|')"; fi
esc
tmux_keys d X
sleep 0.3
# detail view of a JSON line
tmux_keys '&'
tmux_keys checkout Enter
sleep 0.4
tmux_keys v
expect "the detail view" "fields (JSON)" 2
expect "pretty-printed JSON" '"traceId":' 1
expect "stream labels listed" "stream labels" 1
esc
tmux_keys X
sleep 0.3
# wrap shows a whole long line
esc
tmux_keys k Enter
expect "back on orders" "orders"
absent "truncated without wrap" "reset reason: overflow"
tmux_keys W
expect "wrap shows the whole line" "reset reason: overflow" 2
tmux_keys W G
# dropped entries: a visible marker with the count
loki_ctl drop n=4 >/dev/null
expect "dropped lines are marked with their count" "the server dropped" 6
# y copies the selected line with OSC 52 (tmux keeps it as a buffer)
sleep 1
tmux_keys y
if screen_wait "copied the line" 2; then ok "copy confirmed"; else not_ok "copy confirmed" "$(tmux_screen | tail -3 | tr "\n" "|")"; fi
buf=$(tmux -L "$T_TMUX" show-buffer 2>/dev/null)
case $buf in
*seq=*) ok "the clipboard holds the line" ;;
*) not_ok "the clipboard holds the line" "buffer: $buf" ;;
esac
tmux_keys q
if exit_wait 5 | grep -q EXIT=0; then ok "exit status 0"; else not_ok "exit status 0"; fi
