#!/usr/bin/env python3
"""faultsrv.py: Prometheus- and Loki-shaped answers that hurt (robustness.md
§6 T7, T11), for bench/robustness.sh.  Python 3 standard library only.

Usage: faultsrv.py --port PORT [--events FILE] [--cap BYTES]

The first path segment picks the answer; the rest is the API path, so a
dashboard points each source at http://127.0.0.1:PORT/MODE:

  /ok/...        a small well-formed answer: one series {job="ok"} = 42
                 (query_range, query), Loki: three log lines; buildinfo,
                 labels and rules answer too
  /gb/...        200 with Content-Length 1 GiB: a JSON matrix that goes on
  /gzip/...      a 10 MB gzip body (Content-Encoding: gzip) that expands to
                 10 GB: a JSON answer padded with spaces
  /endless/...   a chunked JSON matrix that never ends
  /million/...   1,000,000 series of one point, labels {__name__, i} (70 MB)
  /series-N/...  the same with N series
                 at the query's end time (under a raised max_bytes it
                 must be parsed)
  /deep/...      10,000 nested arrays where the result should be
  /longline/...  Loki query_range: one stream with one 100 MB line
  /redos/...     Loki query_range: about 1 MB of lines that catastrophic
                 patterns choke on: 64 lines of 8 KiB ("aaa...a!", with
                 invalid UTF-8 in every fourth) and ~4,900 short lines
                 ("aaaa...a!" of 20-40 a's, "x"*30+"y", words and spaces)
  /slow/...      headers, then one byte of body every 10 s (?every=S)
  /hang/...      accepts the request and never answers

--events FILE appends one JSON object per big answer: {"t": start, "mode",
"cross": wall time when the decoded bytes written passed --cap (default
32 MiB), "end": when the connection ended, "sent": raw bytes written,
"decoded": decoded bytes written, "why": how it ended}.  The server's
send buffer is kept small (64 KiB) so "written" is close to "read by the
client"; end - cross is an upper bound of the client's abort latency.
"""
import argparse
import json
import socket
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOCK = threading.Lock()
T_BASE = 1700000000


def event(rec):
    if ARGS.events:
        with LOCK, open(ARGS.events, "a") as f:
            f.write(json.dumps(rec) + "\n")


class Meter:
    """Counts what a big answer wrote and notes when it passed the cap."""

    def __init__(self, mode):
        self.rec = {"t": time.time(), "mode": mode, "cross": None, "end": None,
                    "sent": 0, "decoded": 0, "why": "complete"}

    def wrote(self, raw, decoded):
        self.rec["sent"] += raw
        self.rec["decoded"] += decoded
        if self.rec["cross"] is None and self.rec["decoded"] > ARGS.cap:
            self.rec["cross"] = time.time()

    def done(self, why=None):
        self.rec["end"] = time.time()
        if why:
            self.rec["why"] = why
        event(self.rec)


def series_bytes(i, t=T_BASE):
    return b'{"metric":{"__name__":"up","i":"%d"},"values":[[%d,"1"]]}' % (i, t)


MATRIX_HEAD = b'{"status":"success","data":{"resultType":"matrix","result":['
MATRIX_TAIL = b']}}'


def redos_lines():
    """About 1 MB of lines that catastrophic patterns struggle with."""
    out = []
    for i in range(64):
        line = b"a" * 8191 + b"!"
        if i % 4 == 3:
            line = line[:4000] + b"\xff\xfe\xc3" + line[4003:]
        out.append(line)
    i = 0
    total = sum(len(x) for x in out)
    while total < 1000000 and len(out) < 5000:
        k = i % 5
        if k == 0:
            line = b"a" * (20 + i % 21) + b"!"
        elif k == 1:
            line = b"x" * 30 + b"y"
        elif k == 2:
            line = b"level=error msg=" + b"ab" * 20 + b" id=%d" % i
        elif k == 3:
            line = b" ".join([b"word"] * 40) + b"!"
        else:
            line = b"a" * 30 + b"b" * 30 + b"c!"
        out.append(line)
        total += len(line)
        i += 1
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)

    def head(self, code=200, ctype="application/json", length=None, extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()

    def body(self, obj):
        b = json.dumps(obj).encode()
        self.head(200, length=len(b))
        self.wfile.write(b)

    def chunk(self, b):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(b), b))

    def stream(self, mode, gen, chunked=True):
        """Write what gen yields (bytes, or (bytes, decoded size)) until it
        ends or the client hangs up."""
        m = Meter(mode)
        try:
            for b in gen:
                b, decoded = b if isinstance(b, tuple) else (b, len(b))
                if chunked:
                    self.chunk(b)
                    m.wrote(len(b), decoded)
                    continue
                for i in range(0, len(b), 65536):	# metered in send-buffer sizes
                    self.wfile.write(b[i:i + 65536])
                    m.wrote(min(65536, len(b) - i), min(65536, len(b) - i))
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            m.done()
        except OSError as e:
            m.done("client hung up (%s)" % type(e).__name__)
        self.close_connection = True

    # ---------------------------------------------------------- answers
    def ok(self, api, p):
        if api == "query_range" or api == "query":
            t = float(p.get("end", p.get("time", [time.time()]))[0]) if api == "query_range" else time.time()
            if api == "query_range":
                start, end = float(p["start"][0]), float(p["end"][0])
                step = float(p.get("step", ["15"])[0])
                vals, x = [], start
                while x <= end + 1e-9:
                    vals.append([x, "42"])
                    x += step
                res = [{"metric": {"job": "ok"}, "values": vals}]
                return self.body({"status": "success", "data": {"resultType": "matrix", "result": res}})
            return self.body({"status": "success", "data": {"resultType": "vector", "result": [
                {"metric": {"job": "ok"}, "value": [t, "42"]}]}})
        if api == "status/buildinfo":
            return self.body({"status": "success", "data": {"version": "faultsrv"}})
        if api in ("labels", "label/__name__/values", "label/job/values"):
            return self.body({"status": "success", "data": ["ok"]})
        if api in ("rules", "alerts"):
            return self.body({"status": "success", "data": {"groups": [], "alerts": []}})
        return self.body({"status": "success", "data": []})

    def gb(self):
        size = 1 << 30
        one = series_bytes(7) + b","
        block = one * (1048576 // len(one))

        def gen():
            left = size - len(MATRIX_HEAD)
            yield MATRIX_HEAD
            while left > 0:
                b = block[:left]
                left -= len(b)
                yield b
        self.head(length=size)
        self.stream("gb", gen(), chunked=False)

    def gzip(self):
        head = b'{"status":"success","data":{"resultType":"matrix","result":[' + b" " * 1000
        pad = b" " * 1048576
        z = zlib.compressobj(9, zlib.DEFLATED, 31)

        def gen():
            yield z.compress(head) + z.flush(zlib.Z_SYNC_FLUSH), len(head)
            for _ in range(10 * 1024):		# 10 GiB of spaces
                yield z.compress(pad) + z.flush(zlib.Z_SYNC_FLUSH), len(pad)
            yield z.compress(MATRIX_TAIL) + z.flush(), len(MATRIX_TAIL)
        self.head(extra={"Content-Encoding": "gzip"})
        self.stream("gzip", gen())

    def endless(self):
        def gen():
            yield MATRIX_HEAD + series_bytes(0)
            i = 1
            while True:
                yield b"".join(b"," + series_bytes(i + k) for k in range(1000))
                i += 1000
        self.head()
        self.stream("endless", gen())

    def million(self, p, n=1000000, mode="million"):
        t = int(float(p.get("end", p.get("time", [time.time()]))[0]))

        def gen():
            yield MATRIX_HEAD
            for i in range(0, n, 1000):
                yield b",".join(series_bytes(k, t) for k in range(i, min(i + 1000, n))) + \
                    (b"," if i + 1000 < n else b"")
            yield MATRIX_TAIL
        self.head()
        self.stream(mode, gen())

    def deep(self):
        b = MATRIX_HEAD[:-1] + b"[" * 10000 + b"]" * 10000 + b"}}"
        self.head(length=len(b))
        self.wfile.write(b)

    def loki_streams(self, mode, lines, step_ns=1000000):
        """A streams answer (raw bytes: lines may be invalid UTF-8)."""
        now = int(time.time() * 1e9) - 60 * 10**9
        parts = []
        for i, line in enumerate(lines):
            text = line.decode("utf-8", "surrogateescape")
            esc = json.dumps(text, ensure_ascii=False).encode("utf-8", "surrogateescape")
            parts.append(b'["%d",%s]' % (now + i * step_ns, esc))
        head = (b'{"status":"success","data":{"resultType":"streams","result":[{"stream":'
                b'{"app":"' + mode.encode() + b'","namespace":"shop"},"values":[')
        b = head + b",".join(parts) + b']}],"stats":{}}}'
        self.head(length=len(b))
        self.wfile.write(b)

    def longline(self):
        now = int(time.time() * 1e9) - 60 * 10**9
        head = (b'{"status":"success","data":{"resultType":"streams","result":[{"stream":'
                b'{"app":"longline"},"values":[["%d","' % now)
        tail = b'"]]}],"stats":{}}}'
        size = 100 * 1000 * 1000
        block = b"x" * 1048576

        def gen():
            yield head
            left = size
            while left > 0:
                b = block[:left]
                left -= len(b)
                yield b
            yield tail
        self.head(length=len(head) + size + len(tail))
        self.stream("longline", gen(), chunked=False)

    def slow(self, p):
        every = float(p.get("every", ["10"])[0])
        m = Meter("slow")
        self.head(length=1 << 20)
        try:
            for b in MATRIX_HEAD:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
                m.wrote(1, 1)
                time.sleep(every)
            m.done()
        except OSError as e:
            m.done("client hung up (%s)" % type(e).__name__)
        self.close_connection = True

    def hang(self):
        m = Meter("hang")
        try:
            while True:
                data = self.connection.recv(4096)
                if not data:
                    break
        except OSError:
            pass
        m.done("client hung up")
        self.close_connection = True

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        p = urllib.parse.parse_qs(u.query)
        if self.command == "POST":
            n = int(self.headers.get("Content-Length", "0"))
            p.update(urllib.parse.parse_qs(self.rfile.read(n).decode()))
        parts = u.path.split("/", 2)
        mode = parts[1] if len(parts) > 1 else ""
        rest = parts[2] if len(parts) > 2 else ""
        if rest.startswith("loki/api/v1/"):
            api = rest[len("loki/api/v1/"):]
            if api != "query_range":
                return self.body({"status": "success", "data": []})
            if mode == "redos":
                return self.loki_streams(mode, redos_lines())
            if mode == "longline":
                return self.longline()
            if mode == "ok":
                return self.loki_streams(mode, [b"ok line %d" % i for i in range(3)])
        api = rest[len("api/v1/"):] if rest.startswith("api/v1/") else rest
        if mode == "ok" or api in ("status/buildinfo",):
            return self.ok(api, p)
        handlers = {"gb": self.gb, "gzip": self.gzip, "endless": self.endless,
                    "million": lambda: self.million(p),
                    "deep": self.deep, "longline": self.longline, "slow": lambda: self.slow(p),
                    "hang": self.hang}
        if mode in handlers:
            return handlers[mode]()
        if mode.startswith("series-") and mode[7:].isdigit():
            return self.million(p, int(mode[7:]), mode)
        b = b"404 page not found\n"
        self.head(404, "text/plain; charset=utf-8", len(b))
        self.wfile.write(b)

    do_POST = do_GET


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--events")
    ap.add_argument("--cap", type=int, default=32 << 20)
    ARGS = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    srv.daemon_threads = True
    print("faultsrv: listening on 127.0.0.1:%d" % ARGS.port, file=sys.stderr, flush=True)
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
