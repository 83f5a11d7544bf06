#!/usr/bin/env python3
"""pty_tests: the real scry binary in a pseudo-terminal (see pty_harness.py).

Startup, quitting (q, :q, Ctrl-C), restoration after every termination
and crash signal (termios, alternate screen, cursor, mouse; exit status
128+n; no core dump), terminal kinds (vt100, linux, unknown $TERM,
LANG=C, NO_COLOR, --color never), escape injection (robustness.md §6 T3),
idle (no bytes, no wake-ups), redraws without clear(), a resize storm,
the mouse.  Prints TAP-style "ok - NAME" / "not ok - NAME" lines.
"""
import os
import random
import re
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_harness import Pty, colours, final_state, private_modes, sequences, text_of  # noqa: E402

BIN = os.environ.get("SCRY_BIN", "./scry")
TOP = os.environ.get("SCRY_TOP", ".")
BOARD = os.path.join(TOP, "tests/fixtures/dashboards/board.json")
HOSTILE = os.path.join(TOP, "tests/fixtures/dashboards/hostile.json")
READY = b"q quit"          # the end of the status line: the frame is complete
UTF8 = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color", "NO_COLOR": None,
        "SCRY_THEME": None}
failures = 0


def ok(name):
    print("ok - " + name, flush=True)


def not_ok(name, *detail):
    global failures
    failures += 1
    print("not ok - " + name, flush=True)
    for d in detail:
        for line in str(d).splitlines()[:40]:
            print("# " + line, flush=True)


def check(name, cond, *detail):
    if cond:
        ok(name)
    else:
        not_ok(name, *detail)
    return cond


def spawn(args=(), env=None, cols=100, rows=30, dash=BOARD, **kw):
    e = dict(UTF8)
    e.update(env or {})
    argv = [BIN] + list(args) + ([dash] if dash else [])
    return Pty(argv, cols=cols, rows=rows, env=e, **kw)


def tail(p, n=300):
    return repr(bytes(p.out[-n:]))


def restored(name, p, want_status):
    """The common checks after the program ended."""
    st = p.wait(5)
    fs = final_state(p.out)
    check(name + ": exit status %d" % want_status, st == want_status, "got %r" % st)
    check(name + ": termios restored", p.termios_changed() == [], p.termios_text())
    check(name + ": alternate screen left, cursor shown, no mouse mode",
          not fs["alt_screen"] and fs["cursor_visible"] and not fs["mouse"] and not fs["keypad_xmit"],
          fs, tail(p))


def test_startup():
    p = spawn()
    got = p.wait_for(READY, 5)
    check("startup: first frame", got, tail(p))
    fs = final_state(p.out)
    check("startup: alternate screen on, cursor hidden", fs["alt_screen"] and not fs["cursor_visible"], fs)
    check("startup: panels drawn", b"Request rate by service" in p.out and b"no data source" in p.out)
    check("startup: no mouse reporting by default", not final_state(p.out)["mouse"])
    p.send(b"q")
    restored("quit with q", p, 0)
    p.close()


def test_quit_command():
    p = spawn()
    p.wait_for(READY)
    p.send(b":q\r")
    restored("quit with :q", p, 0)
    p.close()
    p = spawn()
    p.wait_for(READY)
    p.send(b":quit\r")
    restored("quit with :quit", p, 0)
    p.close()


def test_ctrl_c():
    # cbreak mode keeps ISIG: Ctrl-C is SIGINT, which restores and re-raises
    p = spawn()
    p.wait_for(READY)
    p.send(b"\x03")
    restored("quit with Ctrl-C", p, 128 + signal.SIGINT)
    p.close()


def test_signals():
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT,
                signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGFPE):
        with tempfile.TemporaryDirectory() as d:
            p = spawn(cwd=d, core=True)
            p.wait_for(READY)
            p.kill(sig)
            restored("signal %s" % sig.name, p, 128 + sig)
            check("signal %s: no core dump" % sig.name,
                  not getattr(p, "core_dumped", False) and not [f for f in os.listdir(d) if f.startswith("core")],
                  os.listdir(d))
            p.close()


def test_signal_before_first_frame():
    # a signal that arrives while scry is still starting is not lost
    p = spawn()
    p.kill(signal.SIGTERM)
    restored("SIGTERM during start-up", p, 128 + signal.SIGTERM)
    p.close()


def kinds(out):
    return set(k for k, _ in colours(out))


def test_terminal_kinds():
    cases = [
        ("TERM=xterm-256color", {}, [], "256"),
        ("TERM=screen", {"TERM": "screen"}, [], "8"),
        ("TERM=linux", {"TERM": "linux"}, [], "8"),
        ("TERM=vt100", {"TERM": "vt100"}, [], "mono"),
        ("NO_COLOR", {"NO_COLOR": "1"}, [], "mono"),
        ("--color never", {}, ["--color", "never"], "mono"),
        ("unknown TERM falls back", {"TERM": "no-such-terminal-xyz"}, [], "256"),
        ("TERM unset", {"TERM": None}, [], "8"),
    ]
    for name, env, args, want in cases:
        p = spawn(args=args, env=env)
        got = p.wait_for(READY, 5)
        check(name + ": starts", got, tail(p))
        k = kinds(p.out)
        if want == "256":
            check(name + ": 256 colours", "256" in k, k)
        elif want == "8":
            check(name + ": 8 colours only", k == {"8"}, k)
        else:
            check(name + ": no colour at all", not k, colours(p.out)[:5])
        p.send(b"q")
        restored(name, p, 0)
        p.close()


def test_dumb_terminal():
    p = spawn(env={"TERM": "dumb"})
    st = p.wait(5)
    check("TERM=dumb: refused with status 1", st == 1, tail(p))
    check("TERM=dumb: says why", b"cannot move the cursor" in p.out, tail(p))
    check("TERM=dumb: the terminal is untouched", b"\x1b" not in p.out and p.termios_changed() == [],
          tail(p))
    p.close()


def test_lang_c():
    p = spawn(env={"LANG": "C", "LC_ALL": "C"})
    got = p.wait_for(READY, 5)
    check("LANG=C: starts", got, tail(p))
    high = [b for b in bytes(p.out) if b >= 0x80]
    check("LANG=C: only ASCII reaches the terminal", not high, "%d bytes >= 0x80" % len(high))
    check("LANG=C: ASCII boxes", b"+-" in p.out and b"|" in p.out)
    p.send(b"q")
    restored("LANG=C", p, 0)
    p.close()


# what ncurses emits for our own drawing (xterm-256color and friends)
ALLOWED = [
    re.compile(rb"\x1b\[[0-9;]*[mHGXJKdrABCDL@PMSTbf]$"),
    re.compile(rb"\x1b\[4[hl]$"),
    re.compile(rb"\x1b\[\?(1049|25|12|1|1000|1002|1003|1006|7)[hl]$"),
    re.compile(rb"\x1b\[\?(1006;1000|1000;1006)[hl]$"),
    re.compile(rb"\x1b\[(22|23);0;0t$"),
    re.compile(rb"\x1b[()][0AB]$"),
    re.compile(rb"\x1b[=>78M]$"),
]
BAD_CP = re.compile("[\u0080-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
                    "\U000e0000-\U000e007f]")


def test_escape_injection():
    p = spawn(dash=HOSTILE, cols=110, rows=45)
    got = p.wait_for(READY, 5)
    check("T3: hostile dashboard starts", got, tail(p))
    p.send(b"\t")
    p.quiet(0.2)
    p.send(b"q")
    p.wait(5)
    out = bytes(p.out)
    bad = [s for s in sequences(out) if not any(a.match(s) for a in ALLOWED)]
    check("T3: only sequences ncurses generates reach the terminal", not bad, bad[:10])
    check("T3: no OSC, DCS, APC, PM or SOS", not re.search(rb"\x1b[\]P_^X]", out))
    ctl = sorted(set(b for b in out if b < 0x20 and b not in (0x1b, 0x0d, 0x0a, 0x08, 0x09)))
    check("T3: no stray control bytes (BEL, ENQ, ...)", not ctl, ctl)
    try:
        text = out.decode("utf-8")
        valid = True
    except UnicodeDecodeError as e:
        text, valid = "", False
        detail = str(e)
    check("T3: output is valid UTF-8", valid, detail if not valid else "")
    found = BAD_CP.findall(text)
    check("T3: no C1, bidi or zero-width code points", not found, [hex(ord(c)) for c in found[:10]])
    shown = text_of(out)
    for visible in (b"^[]52;c;Y3Vy", b"^[P$q", b"<U+202E>", b"\\x9B2J", b"^[]0;title-inject^G",
                    b"ERROR disk full^MOK", b"ops ^[]2;owned^G board"):
        check("T3: hostile bytes shown as %s" % visible.decode(), visible in shown)
    restored("T3 hostile dashboard", p, 0)
    p.close()


def test_idle():
    p = spawn()
    p.wait_for(READY)
    p.quiet(0.5)
    ns0, vol0 = p.schedstat()
    idle = p.quiet(3)
    ns1, vol1 = p.schedstat()
    check("idle: no bytes for 3 s", len(idle) == 0, repr(idle[:200]))
    check("idle: no wake-ups for 3 s", vol1 == vol0, "%d voluntary context switches" % (vol1 - vol0))
    check("idle: no CPU for 3 s", ns1 - ns0 < 2000000, "%d ns" % (ns1 - ns0))
    p.send(b"q")
    p.wait()
    p.close()


def test_redraw_is_minimal():
    p = spawn(cols=120, rows=40)
    p.wait_for(READY)
    p.quiet(0.3)
    start = len(p.out)
    p.send(b"\x0c")            # Ctrl-L: the user asks for a full repaint
    p.quiet(0.4)
    full = bytes(p.out[start:])
    check("redraw: Ctrl-L repaints everything", b"\x1b[2J" in full and READY in full, repr(full[:100]))
    start = len(p.out)
    p.send(b"\t")              # focus moves: two panel frames change colour
    p.quiet(0.4)
    moved = bytes(p.out[start:])
    check("redraw: a focus change sends less than half a full repaint",
          0 < len(moved) < len(full) / 2, "%d bytes, full repaint %d" % (len(moved), len(full)))
    check("redraw: never clears the screen", b"\x1b[2J" not in moved and b"\x1b[J" not in moved)
    p.send(b"q")
    p.wait()
    p.close()


def test_resize_storm():
    rnd = random.Random(2)
    p = spawn(cols=100, rows=30)
    p.wait_for(READY)
    sizes = [(1, 1), (0, 0), (1, 80), (300, 1), (2, 2), (500, 200)]
    sizes += [(rnd.randint(1, 250), rnd.randint(1, 90)) for _ in range(400)]
    for i, (c, r) in enumerate(sizes):
        p.resize(c, r)
        if i % 7 == 0:
            time.sleep(0.002)
        p.pump(0)
    p.resize(90, 28)
    start = len(p.out)
    p.quiet(0.6)
    check("resize storm: still running", p.alive(), tail(p))
    check("resize storm: redraws at the last size", p.wait_for(READY, 3, start), tail(p))
    p.resize(1, 1)
    p.quiet(0.3)
    p.send(b"q")               # q works at 1x1
    restored("resize storm then q at 1x1", p, 0)
    p.close()


def test_too_small():
    p = spawn(cols=12, rows=4)
    got = p.wait_for(b"small", 5)
    check("too small: says so", got, tail(p))
    p.send(b"\x03")
    restored("too small: Ctrl-C", p, 128 + signal.SIGINT)
    p.close()


def test_mouse():
    p = spawn(args=["--mouse"])
    p.wait_for(READY)
    check("mouse: --mouse turns reporting on", private_modes(p.out).get(1000), private_modes(p.out))
    start = len(p.out)
    # an SGR mouse press on the P99 panel (column 60, row 5) moves the focus
    p.send(b"\x1b[<0;60;5M\x1b[<0;60;5m")
    p.quiet(0.4)
    check("mouse: a press redraws (focus moved)", len(p.out) > start)
    p.send(b"q")
    restored("mouse", p, 0)
    p.close()
    for sig in (signal.SIGTERM, signal.SIGSEGV):
        p = spawn(args=["--mouse"])
        p.wait_for(READY)
        p.kill(sig)
        restored("mouse: %s turns reporting off" % sig.name, p, 128 + sig)
        p.close()


def test_theme_env():
    p = spawn(env={"SCRY_THEME": "mono"})
    p.wait_for(READY)
    check("SCRY_THEME=mono: no colour", not kinds(p.out), colours(p.out)[:5])
    p.send(b"q")
    p.wait()
    p.close()
    p = spawn(args=["--theme", "terminal"])
    p.wait_for(READY)
    check("--theme terminal: only the 16 colours",
          kinds(p.out) <= {"8", "256"} and all(n < 16 for k, n in colours(p.out) if k == "256"),
          colours(p.out)[:8])
    p.send(b"q")
    p.wait()
    p.close()
    # every theme degrades: 8 colours on TERM=screen, none with NO_COLOR
    for theme in ("default", "light", "high-contrast", "mono", "terminal"):
        for env, want in (({"TERM": "screen"}, {"8"}), ({"NO_COLOR": "1"}, set())):
            p = spawn(args=["--theme", theme], env=env)
            p.wait_for(READY)
            k = kinds(p.out)
            ok_ = k == want or (theme == "mono" and not k)
            check("--theme %s with %s: %s" % (theme, list(env)[0] + "=" + list(env.values())[0],
                                               "8 colours" if want else "no colour"), ok_, k)
            p.send(b"q")
            p.wait()
            p.close()
    p = spawn(args=["--theme", "nosuch"])
    st = p.wait(5)
    check("--theme nosuch: refused with status 1", st == 1, tail(p))
    check("--theme nosuch: says where it looked", b"theme 'nosuch' not found" in p.out, tail(p))
    check("--theme nosuch: the terminal is untouched", b"\x1b[?1049h" not in p.out)
    p.close()


def main():
    tests = [test_startup, test_quit_command, test_ctrl_c, test_signals, test_signal_before_first_frame,
             test_terminal_kinds, test_dumb_terminal, test_lang_c, test_escape_injection, test_idle, test_redraw_is_minimal,
             test_resize_storm, test_too_small, test_mouse, test_theme_env]
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    for t in tests:
        if only in t.__name__:
            try:
                t()
            except Exception as e:  # a harness error is a failure, not a skip
                not_ok(t.__name__ + ": raised", repr(e))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
