#!/usr/bin/env python3
"""pty_harness: run a program in a pseudo-terminal and look at the raw bytes.

Python 3 standard library only.  The harness keeps its own copy of the
slave side open, so after the program exits it can still read the slave's
termios and compare it with what it was before (what `stty -g` shows), and
it records every byte the program wrote, so the final bytes can be checked
for the alternate screen being left, the cursor shown again and mouse
reporting turned off.  Window-size changes go through TIOCSWINSZ on the
master: the kernel sends SIGWINCH to the program as a real terminal would.

    p = Pty(["./scry", "board.json"], cols=100, rows=30, env={"TERM": "xterm-256color"})
    p.wait_for(b"? help")
    p.send(b"q")
    status = p.wait()          # shell-style: exit code, or 128 + signal
    p.termios_changed()        # [] when restored
    final_state(p.out)         # {"alt_screen": False, "cursor_visible": True, ...}
"""
import errno
import fcntl
import os
import re
import resource
import select
import signal
import struct
import termios
import time

__all__ = ["Pty", "final_state", "stty_g", "sequences", "private_modes", "colours", "text_of"]


def _winsize(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def stty_g(attrs):
    """A `stty -g`-like rendering of a tcgetattr() list."""
    iflag, oflag, cflag, lflag, ispeed, ospeed, cc = attrs
    ccs = ":".join("%x" % (c if isinstance(c, int) else ord(c)) for c in cc)
    return "%x:%x:%x:%x:%s" % (iflag, oflag, cflag, lflag, ccs)


class Pty:
    def __init__(self, argv, cols=80, rows=24, env=None, cwd=None, core=False):
        self.master, self.slave = os.openpty()
        _winsize(self.slave, cols, rows)
        # a known, sane starting point: what a login shell would leave
        attrs = termios.tcgetattr(self.slave)
        attrs[3] |= termios.ICANON | termios.ECHO | termios.ISIG | termios.IEXTEN
        attrs[0] |= termios.ICRNL
        attrs[1] |= termios.OPOST | termios.ONLCR
        termios.tcsetattr(self.slave, termios.TCSANOW, attrs)
        self.before = termios.tcgetattr(self.slave)
        self.out = bytearray()
        self.status = None
        self.cols, self.rows = cols, rows
        full_env = dict(os.environ)
        if env:
            for k, v in env.items():
                if v is None:
                    full_env.pop(k, None)
                else:
                    full_env[k] = v
        self.t_spawn = time.monotonic()
        pid = os.fork()
        if pid == 0:  # child
            try:
                os.close(self.master)
                os.login_tty(self.slave)
                if core:  # let a crash dump core unless the program forbids it
                    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY,) * 2)
                if cwd:
                    os.chdir(cwd)
                os.execvpe(argv[0], argv, full_env)
            finally:
                os._exit(127)
        self.pid = pid
        fl = fcntl.fcntl(self.master, fcntl.F_GETFL)
        fcntl.fcntl(self.master, fcntl.F_SETFL, fl | os.O_NONBLOCK)

    # ---- output ----------------------------------------------------------
    def pump(self, timeout=0.0):
        """Read what is available (waiting up to timeout); returns bytes read."""
        r, _, _ = select.select([self.master], [], [], timeout)
        got = 0
        while r:
            try:
                chunk = os.read(self.master, 65536)
            except OSError as e:
                if e.errno in (errno.EAGAIN, errno.EIO):
                    break
                raise
            if not chunk:
                break
            self.out += chunk
            got += len(chunk)
            r, _, _ = select.select([self.master], [], [], 0)
        return got

    def wait_for(self, needle, timeout=5.0, start=0):
        """Read until needle (bytes or compiled regex) appears at or after start."""
        deadline = time.monotonic() + timeout
        while True:
            if isinstance(needle, bytes):
                if self.out.find(needle, start) >= 0:
                    return True
            elif needle.search(self.out, start):
                return True
            left = deadline - time.monotonic()
            if left <= 0 or (self.status is not None and not self.pump(0)):
                return False
            self.pump(min(left, 0.05))
            self.poll()

    def quiet(self, seconds):
        """Read for `seconds`; returns the bytes that arrived."""
        start = len(self.out)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.pump(deadline - time.monotonic())
        return bytes(self.out[start:])

    # ---- input -----------------------------------------------------------
    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        os.write(self.master, data)

    def resize(self, cols, rows):
        _winsize(self.master, cols, rows)
        self.cols, self.rows = cols, rows

    def kill(self, sig):
        os.kill(self.pid, sig)

    # ---- process ---------------------------------------------------------
    def poll(self):
        if self.status is None:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.raw_status = st
                self.status = (128 + os.WTERMSIG(st)) if os.WIFSIGNALED(st) else os.WEXITSTATUS(st)
                self.core_dumped = os.WIFSIGNALED(st) and os.WCOREDUMP(st)
        return self.status

    def wait(self, timeout=5.0):
        """Exit status (shell style), or None if it is still running."""
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            self.pump(0.02)
        self.pump(0)
        return self.status

    def alive(self):
        return self.poll() is None

    def schedstat(self):
        """(ns on CPU, voluntary context switches) from /proc."""
        with open("/proc/%d/schedstat" % self.pid) as f:
            ns = int(f.read().split()[0])
        vol = 0
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("voluntary_ctxt_switches:"):
                    vol = int(line.split()[1])
        return ns, vol

    def close(self):
        if self.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.wait(2)
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass

    # ---- terminal state --------------------------------------------------
    def termios_changed(self):
        """Fields of the slave's termios that differ from before; [] if none."""
        now = termios.tcgetattr(self.slave)
        names = ["iflag", "oflag", "cflag", "lflag", "ispeed", "ospeed", "cc"]
        diff = []
        for i, n in enumerate(names):
            if now[i] != self.before[i]:
                diff.append(n)
        return diff

    def termios_text(self):
        return "before %s, after %s" % (stty_g(self.before), stty_g(termios.tcgetattr(self.slave)))


_SEQ = re.compile(rb"\x1b(\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\][^\x07\x1b]*(\x07|\x1b\\)?|"
                  rb"[PX^_][^\x1b]*(\x1b\\)?|[\x20-\x2f]*[\x30-\x7e])")


def sequences(data):
    """Every escape sequence in data, as bytes, in order."""
    return [m.group(0) for m in _SEQ.finditer(bytes(data))]


_MODE = re.compile(rb"\x1b\[\?([0-9;]+)([hl])")


def private_modes(data):
    """Final state of every DEC private mode set or reset in data
    ("\x1b[?1006;1000h" sets both 1006 and 1000)."""
    modes = {}
    for m in _MODE.finditer(bytes(data)):
        for n in m.group(1).split(b";"):
            if n:
                modes[int(n)] = m.group(2) == b"h"
    return modes


def final_state(data):
    """What the terminal looks like after data: modes left on or off."""
    m = private_modes(data)
    return {
        "alt_screen": m.get(1049, False) or m.get(47, False) or m.get(1047, False),
        "cursor_visible": m.get(25, True),
        "mouse": any(m.get(k, False) for k in (9, 1000, 1001, 1002, 1003, 1005, 1006, 1015)),
        "keypad_xmit": m.get(1, False),
        "bracketed_paste": m.get(2004, False),
        "focus_events": m.get(1004, False),
    }


_SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def colours(data):
    """The colour parameters of every SGR in data: ("8", n) for 30-37/40-47/
    90-97/100-107, ("256", n) for 38;5;n / 48;5;n.  39/49 (default) are not colours."""
    out = []
    for m in _SGR.finditer(bytes(data)):
        p = [int(x) if x else 0 for x in re.split(rb"[;:]", m.group(1))]
        i = 0
        while i < len(p):
            if p[i] in (38, 48) and i + 2 < len(p) and p[i + 1] == 5:
                out.append(("256", p[i + 2]))
                i += 3
                continue
            if p[i] in (38, 48) and i + 4 < len(p) and p[i + 1] == 2:
                out.append(("rgb", tuple(p[i + 2:i + 5])))
                i += 5
                continue
            if 30 <= p[i] <= 37 or 40 <= p[i] <= 47 or 90 <= p[i] <= 97 or 100 <= p[i] <= 107:
                out.append(("8", p[i]))
            i += 1
    return out


_NOT_TEXT = re.compile(rb"\x1b\[[0-9;]*[mX]|\x1b\([0AB]")


def text_of(data):
    """data with SGR and charset switches removed: runs of drawn text."""
    return _NOT_TEXT.sub(b"", bytes(data))
