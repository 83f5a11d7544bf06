#!/bin/sh
# pty.sh: the pseudo-terminal tests (tests/screen/pty_tests.py, driving the
# real binary through tests/screen/pty_harness.py).  PTY_ONLY=name runs one.
. "$SCRY_TOP/tests/lib.sh"
python3 "$SCRY_TOP/tests/screen/pty_tests.py" ${PTY_ONLY:-}
