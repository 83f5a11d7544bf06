"""robustlib: what bench/robustness.py and bench/soak.py share (Python 3
standard library only): test servers started on free ports and stopped by
PID, scry in a pseudo-terminal (tests/screen/pty_harness.py), key
latency measured from the outside, /proc figures, tmux, Markdown.

Key latency: Ctrl-L is sent to the pty and the clock stops when the
repainted frame has come back complete from scry.  That is the whole path
a user feels: read, handle, draw, write.
"""
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "screen"))
from pty_harness import Pty, final_state  # noqa: E402,F401

BIN = os.environ.get("SCRY_BIN", os.path.join(TOP, "scry"))
SERVERS = os.path.join(TOP, "tests", "servers")
READY = b"q quit"
HELP = b"keys (j/k"
CLEAR = re.compile(rb"\x1b\[2J")
UTF8 = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color", "NO_COLOR": None,
        "SCRY_THEME": None, "SCRY_PROMETHEUS_URL": None, "SCRY_LOKI_URL": None}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def http(url, method="GET", timeout=10):
    req = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.read()


def http_json(url, method="GET"):
    return json.loads(http(url, method))


def wait_http(url, secs=15):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            http(url, timeout=2)
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Proc:
    """A background process of ours, stopped by its PID."""
    alive = []

    def __init__(self, argv, log=None, env=None, ready=None):
        self.argv = argv
        self.logf = open(log, "ab") if log else subprocess.DEVNULL
        e = dict(os.environ)
        e.update(env or {})
        self.p = subprocess.Popen(argv, stdout=self.logf, stderr=self.logf, env=e)
        self.pid = self.p.pid
        Proc.alive.append(self)
        if ready and not wait_http(ready):
            raise RuntimeError("%s did not become ready" % argv[:3])

    def stop(self, sig=signal.SIGTERM):
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        if self in Proc.alive:
            Proc.alive.remove(self)

    @classmethod
    def stop_all(cls):
        for p in list(cls.alive):
            p.stop()


def server(name, args, tmp, ready_path="/ready"):
    port = free_port()
    p = Proc(["python3", os.path.join(SERVERS, name), "--port", str(port)] + args,
             log=os.path.join(tmp, name + ".log"),
             ready="http://127.0.0.1:%d%s" % (port, ready_path) if ready_path else None)
    p.port = port
    p.url = "http://127.0.0.1:%d" % port
    return p


def scry(dash, tmp, cols=120, rows=40, env=None, args=()):
    e = dict(UTF8)
    e["SCRY_LOG"] = os.path.join(tmp, "scry.log")
    e.update(env or {})
    return Pty([BIN] + list(args) + [dash], cols=cols, rows=rows, env=e)


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
    return path


def trim(p, keep=1 << 20):
    """Forget old output (long runs); returns the new length."""
    if len(p.out) > 2 * keep:
        del p.out[:-keep]
    return len(p.out)


def key_latency(p, n=10, gap=(0.05, 0.3), rnd=random.Random(7), timeout=10.0):
    """n samples (seconds; timeout + 1 if no answer) of Ctrl-L -> the
    repainted frame complete (after the clear: the move to the last row,
    its text and ncurses' closing attribute reset).  Ctrl-L is the app's
    in every view and always repaints everything, so every press has an
    answer to wait for."""
    out = []
    for _ in range(n):
        mark = trim(p)
        t0 = time.monotonic()
        p.send(b"\x0c")
        got = p.wait_for(CLEAR, timeout, mark)
        start = p.out.find(b"\x1b[2J", mark)
        got = got and p.wait_for(frame_end(p.rows), timeout - (time.monotonic() - t0), start)
        out.append(time.monotonic() - t0 if got else timeout + 1)
        p.quiet(rnd.uniform(*gap))
    return out


def frame_end(rows):
    """The end of a full repaint: the last row drawn, then doupdate()'s
    final attribute reset (xterm-256color)."""
    return re.compile(rb"\x1b\[%d;\d+H.*?\x1b\[39;49m\x1b\(B\x1b\[m" % rows, re.S)


def keys_for(p, seconds, **kw):
    """Key latency samples for about `seconds`."""
    out = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        out += key_latency(p, 1, **kw)
    return out


def proc_status(pid, field):
    """A kB figure from /proc/PID/status (VmRSS, VmHWM) as MiB."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def cpu_s(pid):
    """utime + stime of pid in seconds (/proc/PID/stat)."""
    with open("/proc/%d/stat" % pid) as f:
        st = f.read().rsplit(")", 1)[1].split()
    return (int(st[11]) + int(st[12])) / os.sysconf("SC_CLK_TCK")


def nfds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def wakeups(pid):
    """Voluntary + involuntary context switches of every thread of pid."""
    n = 0
    for t in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/status" % (pid, t)) as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        n += int(line.split()[1])
        except OSError:
            pass
    return n


def pct(xs, q):
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, int(math.ceil(q / 100.0 * len(s))) - 1 if q > 0 else 0)]


def ms(x):
    return "%.0f ms" % (x * 1000) if x == x else "-"


def lat_summary(xs):
    """'p50 / p95 / max (n)' in ms."""
    if not xs:
        return "-"
    return "%.0f / %.0f / %.0f ms (%d)" % (pct(xs, 50) * 1000, pct(xs, 95) * 1000, max(xs) * 1000, len(xs))


def cv(xs):
    if len(xs) < 2:
        return float("nan")
    m = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
    return sd / m if m else float("nan")


def verdict(good):
    return "met" if good else "**MISSED**"


def load():
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def header(title, cmd, note=""):
    print("## %s" % title)
    print()
    print("Measured %s on %d CPUs (%s at the start)." %
          (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(), load()))
    print("Reproduce: `%s`." % cmd)
    if note:
        print()
        print(note)
    print()


def table(head, rows):
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
    print()


class Tmux:
    """A private tmux server running one command."""

    def __init__(self, cols, rows, cmd, tmp):
        self.sock = "scry-robust-%d-%d" % (os.getpid(), random.randrange(1 << 30))
        self.exitf = os.path.join(tmp, "tmux-exit-%s" % self.sock)
        self.run("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(cols), "-y", str(rows),
                 "%s; echo \"EXIT=$?\" > %s; sleep 600" % (cmd, self.exitf))
        self.run("set-option", "-g", "status", "off")

    def run(self, *a):
        return subprocess.run(["tmux", "-L", self.sock] + list(a), capture_output=True,
                              text=True).stdout

    def screen(self):
        return self.run("capture-pane", "-t", "t", "-p")

    def keys(self, *k):
        self.run("send-keys", "-t", "t", *k)

    def pane(self, fmt):
        return self.run("display-message", "-p", "-t", "t", fmt).strip()

    def child(self):
        out = subprocess.run(["pgrep", "-P", self.pane("#{pane_pid}")], capture_output=True,
                             text=True).stdout.split()
        return int(out[0]) if out else None

    def wait(self, text, secs=5.0):
        end = time.monotonic() + secs
        while time.monotonic() < end:
            if text in self.screen():
                return True
            time.sleep(0.05)
        return False

    def exit_status(self, secs=5.0):
        end = time.monotonic() + secs
        while time.monotonic() < end:
            try:
                with open(self.exitf) as f:
                    s = f.read().strip()
                if s:
                    return s
            except OSError:
                pass
            time.sleep(0.05)
        return None

    def key_latency(self, n=5):
        """'?' -> help on the tmux screen (includes tmux's own round trip)."""
        out = []
        for _ in range(n):
            t0 = time.monotonic()
            self.keys("?")
            got = self.wait("keys (j/k scroll", 5)
            out.append(time.monotonic() - t0 if got else 6.0)
            self.keys("?")
            time.sleep(0.15)
        return out

    def kill(self):
        self.run("kill-server")
        try:
            os.unlink(self.exitf)
        except OSError:
            pass


def tmpdir(name):
    base = os.environ.get("ROBUST_TMP") or None
    return tempfile.mkdtemp(prefix="scry-robust-%s." % name, dir=base)
