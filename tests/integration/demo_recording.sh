#!/bin/sh
# demo_recording.sh: the bundled recording (dashboards/incident.scry).
#  - it passes `scry --check` (every digest the recorder took matches);
#  - replayed at several moments it shows the story's figures (P99 8.4 s
#    for order, 92 % on the payment edge, the pool at 103; baseline
#    before 02:17; the crash-looping pods; recovery after the rollback);
#  - README.md opens with exactly what its snapshot command prints;
#  - no secret of the demo stack is in it;
#  - a fresh recording of the demo (demo/record.sh, six minutes of the
#    story) is lossless (`--check`: digests match) and tells the same
#    story: the same panels and the same figures at the same moment;
#  - record-then-replay of the live demo: a `--snapshot --record` of the
#    live stack and the replay of that recording draw the same screen.
. tests/lib.sh
REC=$SCRY_TOP/dashboards/incident.scry
RECDUMP=$SCRY_TOOLS/recdump

snap() {	# snap FILE AT OUT: the replay's screen at AT (UTC), 120x40
	"$SCRY_BIN" --replay "$1" --snapshot --at "$2" --utc --size 120x40 --color never >"$3" 2>"$3.err"
}
has_re() {	# has_re NAME FILE EXTENDED-REGEX
	if grep -qE -- "$3" "$2"; then ok "$1"; else not_ok "$1" "expected /$3/ in:" "$(cat "$2")"; fi
}

check "the bundled recording is in the repository" test -s "$REC"
size=$(wc -c <"$REC")
if [ "$size" -lt 8000000 ]; then ok "it is a few MB ($size bytes)"; else
	not_ok "it is a few MB" "$size bytes"; fi
"$SCRY_BIN" --check "$REC" >"$T_TMP/check" 2>&1
contains "scry --check: the recording is sound" "$T_TMP/check" ": ok (2026-11-26T01:47"
has_re "scry --check: every digest matches" "$T_TMP/check" " ([0-9]+) of \1 digests match"

snap "$REC" 02:12:00 "$T_TMP/s0212"
has_re "02:12, healthy: order's P99 is 120 ms" "$T_TMP/s0212" "━━ order +last 120 ms"
has_re "02:12, healthy: payment answers without errors" "$T_TMP/s0212" "━━ payment +last 0 %"
has_re "02:12, healthy: the pool holds 85 connections" "$T_TMP/s0212" "outbound\|8080\|\|payment\.shop\.s[^ ]*… +85"
lacks "02:12: no new payment pods yet" "$T_TMP/s0212" "payment-7c9f8d6b5"

snap "$REC" 02:19:30 "$T_TMP/s0219"
has_re "02:19:30: order's P99 is 8.4 s" "$T_TMP/s0219" "━━ order +last 8.40 s"
has_re "02:19:30: 92 % of payment's calls fail" "$T_TMP/s0219" "━━ payment +last 92.0 %"
contains "02:19:30: the pool is at its limit, 103" "$T_TMP/s0219" "█ 103 100%"
contains "02:19:30: the overflow errors are in the log pane" "$T_TMP/s0219" 'level=error msg="upstrea'
contains "02:19:30: PaymentUpstreamOverflow fires" "$T_TMP/s0219" "● critical PaymentUpst"

snap "$REC" 02:30:00 "$T_TMP/s0230"
contains "02:30: a new payment pod crash-loops" "$T_TMP/s0230" "payment-7c9f8d6b5-j4k7l 1/2   CrashLoopBackOff"
contains "02:30: another is not ready" "$T_TMP/s0230" "payment-7c9f8d6b5-r2s5t 1/2   Running"
contains "02:30: order-6b7d9c5f8-x2k4p was OOM-killed" "$T_TMP/s0230" "order-6b7d9c5f8-x2k4p   1/2   OOMKilled"
contains "02:30: three alerts fire" "$T_TMP/s0230" "3 firing"
contains "02:30: notes are marked on the graphs' time axes" "$T_TMP/s0230" "◆"

snap "$REC" 02:45:00 "$T_TMP/s0245"
lacks "02:45: the rollback removed the new payment pods" "$T_TMP/s0245" "payment-7c9f8d6b5"
has_re "02:45: recovering: the pool is below its limit" "$T_TMP/s0245" "outbound\|8080\|\|payment\.shop\.s[^ ]*… +(8[5-9]|9[0-9])│"

# README.md opens with this very screen
cmd='scry --replay dashboards/incident.scry --snapshot --at 02:30:00 --utc --size 120x40 --color never'
contains "README names the snapshot command" "$SCRY_TOP/README.md" "\`$cmd\`"
(cd "$SCRY_TOP" && "$SCRY_BIN" ${cmd#scry }) >"$T_TMP/readme_want" 2>&1
awk '/^```$/ { if (inb) exit; inb = 1; next } inb' "$SCRY_TOP/README.md" >"$T_TMP/readme_got"
if cmp -s "$T_TMP/readme_want" "$T_TMP/readme_got"; then ok "README's first screen is what that command prints"; else
	not_ok "README's first screen is what that command prints" \
	    "$(diff "$T_TMP/readme_want" "$T_TMP/readme_got" | head -20)"; fi

# nothing of the stack's secrets: the kubeconfig token of demo/stack.sh
"$RECDUMP" "$REC" >"$T_TMP/dump" 2>&1
token=$(sed -n 's/^DEMO_KUBE_TOKEN=//p' "$SCRY_TOP/demo/stack.sh")
check "the demo kubeconfig has a token to look for" test -n "$token"
lacks "the bundled recording holds no kubeconfig token" "$T_TMP/dump" "$token"
contains "... while it does hold the kubectl source's data" "$T_TMP/dump" "payment-7c9f8d6b5-j4k7l"

# a fresh recording of the demo: 02:16 to 02:22:40 of the story at 20x
for c in prometheus promtool kubectl tmux; do
	command -v $c >/dev/null || { not_ok "$c is installed" "run make deps"; exit 0; }
done
FRESH=$T_TMP/fresh.scry
if SCRY_BIN=$SCRY_BIN sh "$SCRY_TOP/demo/record.sh" "$FRESH" 2026-11-26T02:16:00Z 2026-11-26T02:22:40Z 20 \
    >"$T_TMP/record.out" 2>&1; then ok "demo/record.sh records a fresh piece of the story"; else
	not_ok "demo/record.sh records a fresh piece of the story" "$(tail -20 "$T_TMP/record.out")"; fi
has_re "the fresh recording is lossless: every digest matches" "$T_TMP/record.out" \
    ": ok \(2026-11-26T02:1[5-9].* ([0-9]+) of \1 digests match"	# a loaded machine starts late
"$RECDUMP" "$FRESH" >"$T_TMP/fdump" 2>&1
lacks "the fresh recording holds no kubeconfig token" "$T_TMP/fdump" "$token"
contains "the fresh recording holds the canonical trace it opened" "$T_TMP/fdump" \
    "4bf92f3577b34da6a3ce929d0e0e4736"
# at a moment no watch change is near (the crash-looping container exited
# at 02:21:48 and restarts at 02:23:08): the same story means every panel
# (titles), the stats, the graphs' legends (last and worst values), the
# pool, the alerts and the pods as they were.  (Not the plots: their
# change markers are what each recording saw happen, and the fresh one
# started at 02:16; nor the notes' diamonds, added by the recording's
# driver on its own timing.)
snap "$FRESH" 02:22:20 "$T_TMP/f0220"
snap "$REC" 02:22:20 "$T_TMP/b0220"
figures() {	# the screen minus the log pane and the event ages
	python3 - "$1" <<'PY'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
out = [r for r in rows if "\u256d" in r]            # every panel's title
out += rows[0:7]                                    # the stats
out += [r[0:40] if i > 16 else r for i, r in enumerate(rows) if "\u2501\u2501" in r]
out += [r[40:80] for r in rows[17:27]]              # the alerts
out += [r[70:120] for r in rows[27:39]]             # the pods
print("\n".join(out))
PY
}
figures "$T_TMP/b0220" >"$T_TMP/bfig"
figures "$T_TMP/f0220" >"$T_TMP/ffig"
contains "the bundled recording shows the figures at 02:22:20" "$T_TMP/bfig" "last 8.40 s"
if cmp -s "$T_TMP/bfig" "$T_TMP/ffig"; then ok "a fresh recording tells the same story: same panels, same figures"; else
	not_ok "a fresh recording tells the same story: same panels, same figures" \
	    "$(diff "$T_TMP/bfig" "$T_TMP/ffig" | head -20)"; fi
