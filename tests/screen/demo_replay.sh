#!/bin/sh
# demo_replay.sh: the bundled demo incident in a terminal (tmux).
#  - `make run` from a fresh clone, with no backend anywhere: it replays
#    dashboards/incident.scry; q quits cleanly;
#  - bare `scry` (nothing configured) replays it too and says so; with a
#    source it does not;
#  - the incident notebook on the bundled recording: a note attached to a
#    log line (the logs pane's selection), the trace waterfall opened from
#    that line, a note attached to a span of it, :w, :export notes (the
#    notes with what they are attached to, the recorded notes, alert
#    changes, Kubernetes warning events, rollouts, the worst figures).
. tests/lib.sh
REC=$SCRY_TOP/dashboards/incident.scry
NOENV="env -u SCRY_PROMETHEUS_URL -u SCRY_LOKI_URL -u SCRY_TEMPO_URL -u SCRY_JAEGER_URL"

expect() {	# expect NAME TEXT [SECONDS]
	if screen_wait "$2" "${3:-5}"; then ok "$1"; else
		not_ok "$1" "expected '$2' on screen:" "$(tmux_screen | tail -6)"; fi
}

# --- make run from a fresh clone ------------------------------------------
if git clone -q "$SCRY_TOP" "$T_TMP/clone" 2>"$T_TMP/clone.err"; then
	ok "a fresh clone of the repository"; else
	not_ok "a fresh clone of the repository" "$(cat "$T_TMP/clone.err")"; exit 0; fi
check "the clone has the bundled recording" test -s "$T_TMP/clone/dashboards/incident.scry"
# what make run runs after building; the binary under test stands in for
# the build, and the same command runs in the clone
make -s -C "$T_TMP/clone" -n run 2>/dev/null | tail -1 >"$T_TMP/run.cmd"
check "make run replays the bundled recording" test "$(cat "$T_TMP/run.cmd")" = \
    "./scry --replay dashboards/incident.scry"
cp "$SCRY_BIN" "$T_TMP/clone/scry"
mkdir -p "$T_TMP/empty"
tmux_start 120 40 "cd $T_TMP/clone && $NOENV XDG_CONFIG_HOME=$T_TMP/empty TZ=UTC $(cat "$T_TMP/run.cmd")"
expect "make run: the demo dashboard, no backend needed" "Demo: the payment overflow incident" 15
expect "make run: it plays the recording" "▶ 1x  01:4" 5
lacks_screen() { if tmux_screen | grep -qF -- "$2"; then not_ok "$1" "$(tmux_screen | grep -F -- "$2" | head -3)"; else ok "$1"; fi; }
lacks_screen "make run: no panel without data" "no data source"
sleep 2
tmux_keys q
if [ "$(exit_wait 10)" = "EXIT=0" ]; then ok "make run: q quits, exit status 0"; else
	not_ok "make run: q quits, exit status 0" "$(cat "$T_TMP/exit" 2>/dev/null)" "$(tmux_screen | tail -5)"; fi
tmux_stop

# --- bare scry -------------------------------------------------------------
tmux_start 120 40 "$NOENV TZ=UTC $SCRY_BIN"
expect "bare scry replays the bundled demo incident, and says why" \
    "no data source configured: replaying the bundled demo incident" 10
expect "... the demo dashboard" "Demo: the payment overflow incident" 10
tmux_keys q
exit_wait 5 >/dev/null
tmux_stop
tmux_start 120 40 "$NOENV TZ=UTC $SCRY_BIN -p http://127.0.0.1:9"
expect "scry with a source shows the built-in dashboard, live" "Incident overview" 10
lacks_screen "... and no replay" "replaying the bundled"
tmux_keys q
exit_wait 5 >/dev/null
tmux_stop

# --- the notebook on the bundled recording ---------------------------------
R=$T_TMP/incident.scry
cp "$REC" "$R"
chmod 600 "$R"
tmux_start 120 40 "TZ=UTC $SCRY_BIN --replay $R --utc"
expect "replay: the demo plays" "▶ 1x" 10
tmux_keys ' ' ':goto 02:19:00' Enter
expect "replay: paused at 02:19:00" "⏸ 1x  02:19:00Z"
# the logs pane is the tenth panel; zoom it and find the canonical request
for i in 1 2 3 4 5 6 7 8 9; do tmux_keys Tab; done
tmux_keys Enter
expect "the log pane, zoomed" "Logs: errors and warnings" 5
tmux_keys / 4bf92f35 Enter
sleep 0.5
tmux_keys a
expect "a on a selected log line attaches the note to it (and its trace)" "on trace 4bf92f35…, log line 02:17:50" 5
tmux_keys 'the canonical failing checkout' Enter
expect "the note is added" "added; :w saves it into the recording"
tmux_keys Enter
expect "Enter on the line opens its trace, recorded in the demo" "frontend POST /checkout  8.60s" 5
expect "... the retry storm: payment Charge, 503 UO" "payment Charge" 3
tmux_keys j j j j
tmux_keys a
expect "a in the waterfall attaches the note to the trace" "on trace 4bf92f35…, span payment Charge" 5
tmux_keys 'retry storm: three Charge calls end in 503 UO' Enter
expect "the second note is added" "added; :w saves it into the recording"
# Esc: out of the waterfall, the search, the zoom
tmux_keys Escape Escape Escape
expect "Esc goes back to the dashboard" "Pods: order and payment" 5
expect "the timeline counts the unsaved notes" "2 unsaved (:w)"
tmux_keys ':w' Enter
expect ":w saves them into the recording" "saved 2 notes into $R"
tmux_keys ":export notes $T_TMP/notes.md" Enter
expect ":export notes writes the notebook" "wrote the incident notes to $T_TMP/notes.md" 20
tmux_keys q
exit_wait 5 >/dev/null
tmux_stop

N=$T_TMP/notes.md
contains "notebook: the log-line note and its attachment" "$N" \
    '**Note** the canonical failing checkout (panel "Logs: errors and warnings'
contains "notebook: ... the line's trace id and time" "$N" \
    'attached: trace 4bf92f3577b34da6a3ce929d0e0e4736, log line 02:17:50.'
contains "notebook: the span note" "$N" \
    '**Note** retry storm: three Charge calls end in 503 UO'
contains "notebook: ... attached to the trace's span" "$N" \
    'attached: trace 4bf92f3577b34da6a3ce929d0e0e4736, span payment Charge (2.'
contains "notebook: the recorded notes of the demo" "$N" '**Note** order P99 left its 120 ms band'
contains "notebook: alert transitions" "$N" '**Alert firing** PaymentUpstreamOverflow'
contains "notebook: Kubernetes warning events" "$N" '**Warning** BackOff Pod/payment-7c9f8d6b5-j4k7l'
contains "notebook: ... the OOM kill" "$N" '**Warning** OOMKilling Pod/order-6b7d9c5f8-x2k4p'
contains "notebook: the rollout" "$N" '**Rollout** ScalingReplicaSet payment: Scaled up replica set payment-7c9f8d6b5 to 3'
contains "notebook: the rollback" "$N" 'Scaled down replica set payment-7c9f8d6b5 to 0 from 3'
contains "notebook: the autoscaler" "$N" '**Scaling** SuccessfulRescale payment: New size: 6'
contains "notebook: order's worst P99" "$N" '| order | 8.40 s |'
contains "notebook: payment's worst error ratio" "$N" '| 92.0 % |'
contains "notebook: a screen at each note" "$N" '### 2026-11-26 02:17:50Z'
"$SCRY_BIN" --check "$R" >"$T_TMP/rcheck" 2>&1
contains "the recording with the saved notes still checks" "$T_TMP/rcheck" ": ok ("
"$SCRY_BIN" --replay "$R" --snapshot --at 02:20:00 --utc --size 120x40 --color never >"$T_TMP/s" 2>&1
contains "the saved notes replay (marked on the graphs)" "$T_TMP/s" "◆"
contains "a replay snapshot's status bar names its moment" "$T_TMP/s" \
    "● replay at 2026-11-26 02:20:00Z, last 30m"
