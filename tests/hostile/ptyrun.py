#!/usr/bin/env python3
"""ptyrun: run a program on a pseudo-terminal, feed it keys and signals,
keep every byte it writes, and compare the terminal settings afterwards.

usage: ptyrun.py [--cols C --rows R | --size CxR] --out FILE [--pidfile F]
                 --keys SCRIPT -- CMD [ARGS...]

SCRIPT is a list of steps separated by spaces: "sleep:0.5", "key:Enter",
"keys:abc" (literal text), "settle:0.03" (wait for output after the last
key, then for that long a silence: the frame is complete), "mark"
(remember the output length; the byte offset of the last mark is written
to FILE.mark, and every mark as
"seconds bytes" to FILE.marks), "repeat:N:key:PgDn", "signal:TERM" (sent
to the program).
Key names: Enter Esc Tab Space PgUp PgDn Up Down Left Right Home End; any
other name is sent as written.
FILE.termios gets "same" or "changed" (the pty's termios after the exit
against before the start).  Exits with the program's status (128+N for a
signal, 124 if it had to be killed).
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

# arrows, Home and End as a terminal in keypad-transmit mode sends them
# (ncurses turns it on: smkx), the others as they always are
KEYS = {"Enter": b"\r", "Esc": b"\x1b", "Tab": b"\t", "PgUp": b"\x1b[5~", "PgDn": b"\x1b[6~",
        "Up": b"\x1bOA", "Down": b"\x1bOB", "Left": b"\x1bOD", "Right": b"\x1bOC",
        "Home": b"\x1bOH", "End": b"\x1bOF", "Space": b" "}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--size", default="")
    ap.add_argument("--out", required=True)
    ap.add_argument("--keys", default="")
    ap.add_argument("--pidfile")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    if a.size:
        a.cols, a.rows = (int(v) for v in a.size.split("x"))
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.setdefault("TERM", "xterm-256color")
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", a.rows, a.cols, 0, 0))
    before = termios.tcgetattr(fd)
    if a.pidfile:
        with open(a.pidfile, "w") as f:
            f.write(str(pid))
    out = bytearray()
    mark = 0
    marks = []
    began = time.monotonic()

    def pump(secs):
        end = time.monotonic() + secs
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return True
            r, _, _ = select.select([fd], [], [], min(left, 0.05))
            if r:
                try:
                    d = os.read(fd, 65536)
                except OSError:
                    return False
                if not d:
                    return False
                out.extend(d)

    sent = [0]      # output length when the last key was sent

    def send(b):
        sent[0] = len(out)
        os.write(fd, b)
        pump(0.02)

    def settle(quiet):
        """Wait for the program to answer (up to 1 s), then until it has
        been quiet for `quiet` seconds: the frame a key caused is drawn
        whole however loaded the machine is."""
        end = time.monotonic() + 1
        while len(out) == sent[0] and time.monotonic() < end:
            if not pump(0.01):
                return False
        while time.monotonic() < end + 1:
            n1 = len(out)
            if not pump(quiet):
                return False
            if len(out) == n1:
                return True
        return True

    alive = True
    for step in a.keys.split():
        if not alive:
            break
        kind, _, arg = step.partition(":")
        if kind == "sleep":
            alive = pump(float(arg))
        elif kind == "settle":
            alive = settle(float(arg or "0.03"))
        elif kind == "key":
            send(KEYS.get(arg, arg.encode()))
        elif kind == "keys":
            send(arg.encode())
        elif kind == "signal":
            os.kill(pid, getattr(signal, "SIG" + arg))
            pump(0.02)
        elif kind == "mark":
            mark = len(out)
            marks.append("%.3f %d" % (time.monotonic() - began, mark))
        elif kind == "repeat":
            n, _, rest = arg.partition(":")
            k2, _, a2 = rest.partition(":")
            for _ in range(int(n)):
                send(KEYS.get(a2, a2.encode()) if k2 == "key" else a2.encode())
    status = None
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        pump(0.1)
        p, st = os.waitpid(pid, os.WNOHANG)
        if p:
            status = os.waitstatus_to_exitcode(st)
            if status < 0:
                status = 128 - status
            break
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        status = 124
    try:
        pump(0.2)
    except OSError:
        pass
    try:
        after = termios.tcgetattr(fd)
    except termios.error:
        after = None
    with open(a.out, "wb") as f:
        f.write(out)
    with open(a.out + ".mark", "w") as f:
        f.write(str(mark))
    with open(a.out + ".marks", "w") as f:
        f.write("\n".join(marks) + "\n")
    with open(a.out + ".termios", "w") as f:
        f.write("same\n" if after == before else "changed\n")
    sys.exit(status)


if __name__ == "__main__":
    main()
