"""ptyrun: run a command in a pseudo-terminal, feed it keys, record every
byte it writes, and check the terminal settings afterwards.

python3 ptyrun.py --out FILE [--size 120x40] [--keys 'WAIT:KEYS' ...]
                  [--timeout S] -- COMMAND ARGS...
Each --keys is "seconds:text" (text may use \\e, \\r, \\x..); after the last,
the program must exit within --timeout.  Prints "exit=N termios=same|changed".
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


def unescape(s):
    return s.encode().decode("unicode_escape").encode("latin-1")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", default="120x40")
    ap.add_argument("--keys", action="append", default=[])
    ap.add_argument("--signal", default=None, help="seconds:SIGNAME sent instead of/after keys")
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    cols, rows = (int(x) for x in a.size.split("x"))
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.setdefault("TERM", "xterm-256color")
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    before = termios.tcgetattr(fd)
    plan = []
    for k in a.keys:
        w, _, text = k.partition(":")
        plan.append((float(w), unescape(text)))
    if a.signal:
        w, _, name = a.signal.partition(":")
        plan.append((float(w), getattr(signal, name)))
    start = time.monotonic()
    out = bytearray()
    status = None
    after = None
    deadline = start + sum(p[0] for p in plan) + a.timeout
    t_next = start + (plan[0][0] if plan else 0)
    while True:
        now = time.monotonic()
        if plan and now >= t_next:
            _, what = plan.pop(0)
            if isinstance(what, bytes):
                os.write(fd, what)
            else:
                os.kill(pid, what)
            t_next = now + (plan[0][0] if plan else 0)
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if data:
                out += data
        if after is None:
            try:
                after = termios.tcgetattr(fd)
            except termios.error:
                pass
        wp, st = os.waitpid(pid, os.WNOHANG)
        if wp:
            try:
                after = termios.tcgetattr(fd)
            except termios.error:
                pass
            # drain what is left
            while True:
                r, _, _ = select.select([fd], [], [], 0.05)
                if not r:
                    break
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                out += data
            status = st
            break
        if now > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            status = None
            break
    with open(a.out, "wb") as f:
        f.write(out)
    if status is None:
        code = "timeout"
    elif os.WIFSIGNALED(status):
        code = str(128 + os.WTERMSIG(status))
    else:
        code = str(os.WEXITSTATUS(status))
    same = "same" if after is not None and after == before else "changed"
    print("exit=%s termios=%s bytes=%d" % (code, same, len(out)))


if __name__ == "__main__":
    main()
