#!/bin/sh
# 10,000 hostile log lines full of escape sequences (CSI, OSC 0/8/52/1337,
# DCS, APC/PM/SOS, 8-bit C1, bidi, zero-width, \r overwrites, device
# queries): scry holds every one, draws them as visible escapes, and the
# raw bytes on the pseudo-terminal contain none of them.
. tests/lib.sh
. tests/servers/loki_env.sh

loki_start --rate 2000 --backlog 5.5 --hostile 10000
loki_dash "$T_TMP/h.json" '' \
    '[ { "type": "logs", "title": "hostile", "query": "{namespace=\"shop\"}", "options": { "limit": 5000 },
         "grid": { "x": 0, "y": 0, "w": 24, "h": 20 } } ]'
out=$T_TMP/pty.out
# zoom, wrap, go to the oldest line (page back), then page through all of
# it, open a detail view, search, and quit
keys="sleep:2 key:Enter key:W key:g sleep:0.8 key:g sleep:0.8 repeat:200:key:PgDn"
keys="$keys key:v sleep:0.2 key:Esc keys:/ keys:pwned key:Enter keys:n keys:n sleep:0.3 key:Esc"
keys="$keys key:Esc keys:d keys:& keys:OSC|title key:Enter sleep:0.5 mark keys:q"
env TERM=xterm-256color SCRY_LOGDUMP="$T_TMP/dump" python3 tests/hostile/ptyrun.py --cols 160 --rows 60 \
    --out "$out" --keys "$keys" -- "$SCRY_BIN" --max-fps 240 "$T_TMP/h.json"
rc=$?
check "scry exited cleanly" test "$rc" -eq 0
python3 tests/hostile/vtcheck.py "$out" "$(cat "$out.mark")"
held=$(grep -o 'hostile seq=[0-9]*' "$T_TMP/dump" | sort -u | wc -l)
check "all 10000 hostile lines were held" test "$held" -eq 10000
contains "OSC 52 drawn as visible text" "$out.text" "]52;c;ZXZpbCBjbGlwYm9hcmQ="
contains "ESC drawn as ^[" "$out.text" "^["
contains "C1 CSI drawn as a placeholder" "$out.text" "<U+009B>"
contains "bidi override drawn as a placeholder" "$out.text" "<U+202E>"
# the same lines in a snapshot: every payload visible as an escape form
at=$(curl -s "$LOKI_URL/ctl/line?seq=9999" | python3 -c 'import json,sys; t=int(json.load(sys.stdin)["ts"]); print("%d.%09d" % (t // 10**9, t % 10**9 + 1))')
"$SCRY_BIN" --snapshot --size 160x40 --color always --at "$at" "$T_TMP/h.json" >"$T_TMP/snap" 2>&1
python3 tests/hostile/vtcheck.py "$T_TMP/snap"
contains "snapshot shows the escapes" "$T_TMP/snap.text" "hostile seq="
