#!/bin/sh
# T3 (robustness.md §6) for dashboard-supplied text: every hostile payload in
# dashboard and panel titles and text content is drawn visibly escaped; the
# raw bytes scry writes to the pty contain only its own drawing sequences.
. "$SCRY_TOP/tests/lib.sh"
H=$SCRY_TOP/tests/hostile
python3 - "$T_TMP/hostile.json" <<'PY'
import sys
sys.path.insert(0, __import__("os").environ["SCRY_TOP"] + "/tests/hostile")
from payloads import PAYLOADS, json_string
short = [p for p in PAYLOADS if len(p) < 400]
panels = []
for i in range(0, len(short), 6):
    chunk = short[i:i + 6]
    content = b"\\n".join(json_string(p)[1:-1] for p in chunk)
    panels.append(b'{"type":"text","title":' + json_string(chunk[0]) +
                  b',"options":{"content":"' + content + b'"},"grid":{"x":%d,"y":%d,"w":6,"h":4}}'
                  % ((len(panels) % 4) * 6, (len(panels) // 4) * 4))
doc = b'{"title":' + json_string(short[1]) + b',"panels":[' + b",".join(panels) + b']}'
open(sys.argv[1], "wb").write(doc)
PY
check "hostile dashboard passes --check" "$SCRY_BIN" --check "$T_TMP/hostile.json"
res=$(python3 "$H/ptyrun.py" --out "$T_TMP/raw" --size 160x50 --keys '1.0:\x1b[6~' \
    --keys '0.4:\x1b[6~' --keys '0.4:q' --timeout 5 -- "$SCRY_BIN" "$T_TMP/hostile.json")
case $res in
*"exit=0 termios=same"*) ok "scry quits cleanly after drawing hostile text ($res)" ;;
*) not_ok "scry quits cleanly after drawing hostile text" "$res" ;;
esac
if python3 "$H/vtcheck.py" "$T_TMP/raw" >"$T_TMP/vt" 2>&1; then
	ok "raw pty output holds only scry's own sequences"
else
	not_ok "raw pty output holds only scry's own sequences" "$(head -20 "$T_TMP/vt")"
fi
"$SCRY_BIN" --snapshot --size 160x200 --color never "$T_TMP/hostile.json" >"$T_TMP/snap" 2>&1
contains "ESC is shown as ^[ in a snapshot" "$T_TMP/snap" "^["
contains "bidi override shown as a placeholder" "$T_TMP/snap" "<U+202E>"
contains "invalid UTF-8 shown as \\xHH" "$T_TMP/snap" '\xFF'
