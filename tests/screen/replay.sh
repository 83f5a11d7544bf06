#!/bin/sh
# replay.sh: the real binary in tmux replaying a recording — the timeline,
# play/pause, speeds, stepping, jumps, :goto, marks, adding a note with `a`,
# saving it with :w, :export notes; and a live recording killed with -9.
. tests/lib.sh
MKREC=$SCRY_TOOLS/mkrec
DASH=$SCRY_TOP/tests/fixtures/dashboards/replay_incident.json	# graph panels the generator answers
R=$T_TMP/inc.scry
"$MKREC" "$R" "$DASH" 2026-11-26T02:00:00Z 2026-11-26T02:50:00Z \
    --note 2026-11-26T02:17:42Z "order P99 jumps" >/dev/null 2>&1 || not_ok "mkrec" "failed"

# screen_line TEXT: the pane's line containing TEXT (first), for messages
line() { tmux_screen | grep -F -- "$1" | head -1; }
# restart: a fresh private tmux server for the next session
restart() {
	tmux -L "$T_TMUX" kill-server 2>/dev/null
	n=0
	while tmux -L "$T_TMUX" ls >/dev/null 2>&1 && [ $n -lt 50 ]; do sleep 0.05; n=$((n + 1)); done
	rm -f "$T_TMP/exit"
}
expect() {	# expect NAME TEXT [SECONDS]
	if screen_wait "$2" "${3:-5}"; then ok "$1"; else
		not_ok "$1" "expected '$2' on screen:" "$(tmux_screen | tail -4)"; fi
}

tmux_start 120 40 "TZ=UTC $SCRY_BIN --replay $R --utc"
expect "replay starts playing at the start" "▶ 1x  02:00:0"
expect "timeline shows elapsed and total" "/50:03"
expect "status bar says replay" "replay, last 1h"
tmux_keys ' '
expect "space pauses" "⏸ 1x"
tmux_keys '}' '}' '}'
expect "} speeds up to 8x" "⏸ 8x"
tmux_keys '}' '}' '}'
expect "speed stops at 60x" "⏸ 60x"
tmux_keys '{'
expect "{ slows down" "⏸ 16x"
tmux_keys ':goto 02:18' Enter
expect ":goto moves the replay clock" "⏸ 16x  02:18:00Z"
tmux_keys '.'
expect ". steps 10 s forward" "02:18:10Z"
tmux_keys ',' ','
expect ", steps 10 s back" "02:17:50Z"
tmux_keys ')'
expect ") jumps 1 min forward" "02:18:50Z"
tmux_keys '('
expect "( jumps 1 min back" "02:17:50Z"
tmux_keys 'm'
expect "m jumps to the next alert change" "02:18:00 pending: EnvoyUpstreamOverflow (payment)"
tmux_keys 'M'
expect "M jumps back to the note" "02:17:42 note: order P99 jumps"
tmux_keys ':goto 09:99' Enter
expect ":goto rejects nonsense" "is not a time"
tmux_keys ':goto 04:00' Enter
expect ":goto refuses times outside the recording" "is outside the recording"
tmux_keys End
expect "End goes to the end" "50:03/50:03"
tmux_keys Home
expect "Home goes to the start" "0:00/50:03"
tmux_keys ':goto 02:25' Enter
expect "back to 02:25" "02:25:00Z"

# a note at the time cursor, attached to the focused panel
tmux_keys '<' '<'
tmux_keys a
expect "a opens the note prompt on the focused panel" "on P99 latency by destination service (Tab)"
tmux_keys Tab
expect "Tab makes the note dashboard-wide" "dashboard-wide (Tab)"
tmux_keys Tab
tmux_keys 'pool saturated at 103' Enter
expect "the note is added" "added; :w saves it into the recording"
expect "the timeline counts the unsaved note" "1 unsaved (:w)"
tmux_keys ':w' Enter
expect ":w saves into the recording" "saved 1 note into $R"
tmux_keys ":export notes $T_TMP/notes.md" Enter
expect ":export notes writes the notebook" "wrote the incident notes to $T_TMP/notes.md" 15
tmux_keys q
exit_wait 5 >/dev/null
contains "notebook: the new note" "$T_TMP/notes.md" "**Note** pool saturated at 103 (panel \"P99 latency by destination service\")"
contains "notebook: the recorded note" "$T_TMP/notes.md" "**Note** order P99 jumps"
contains "notebook: alert transitions" "$T_TMP/notes.md" "**Alert firing** HighLatencyP99 (order)"
contains "notebook: resolutions" "$T_TMP/notes.md" "**Alert resolved** EnvoyUpstreamOverflow (payment)"
contains "notebook: worst P99 of order" "$T_TMP/notes.md" "| order | 8."
contains "notebook: a screen per note" "$T_TMP/notes.md" "### 2026-11-26 02:17:42Z"
contains "notebook: the screen itself" "$T_TMP/notes.md" "Upstream connections active (Envoy pool)"
"$SCRY_BIN" --check "$R" >"$T_TMP/check" 2>&1
contains "the saved recording still checks" "$T_TMP/check" "ok (2026-11-26T02:00:00Z"
restart

# the saved note is there when the recording is opened again
tmux_start 120 40 "TZ=UTC $SCRY_BIN --replay $R --utc --at 02:24"
expect "reopened at --at, paused" "⏸ 1x  02:24:00Z"
tmux_keys 'm'
expect "the saved note is a mark" "02:24:24 note: pool saturated at 103"
tmux_keys q
exit_wait 5 >/dev/null
restart

# small terminal: the timeline still fits
tmux_start 80 24 "TZ=UTC NO_COLOR=1 $SCRY_BIN --replay $R --utc --at 02:30"
expect "80x24: timeline" "⏸ 1x  02:30:00Z"
expect "80x24: position" "30:00/50:03"
tmux_keys q
exit_wait 5 >/dev/null
restart

# a live recording killed with -9 keeps what was flushed (:w flushes)
L=$T_TMP/live.scry
tmux_start 100 30 "$SCRY_BIN --record $L $DASH"
expect "live recording shows the REC badge" "REC "
tmux_keys ':note before the crash' Enter
expect "live note recorded" "recorded"
tmux_keys ':w' Enter
expect ":w during a recording flushes" "notes are recorded as you add them"
sleep 0.5
pid=$(pgrep -f "^$SCRY_BIN --record $L" | head -1)
[ -n "$pid" ] && kill -9 "$pid"
sleep 0.3
"$SCRY_BIN" --check "$L" >"$T_TMP/out" 2>&1
contains "killed live recording: readable, says so" "$T_TMP/out" "not closed cleanly"
contains "killed live recording: the note survived" "$T_TMP/out" "1 chunks, 1 events"
