#!/usr/bin/env python3
"""A Loki test server (Python 3 stdlib only) speaking the documented API.

Loki has no Debian package, so scry's tests talk to this.  It follows the
protocol notes in reference/apis.md §2 (Loki HEAD, source-verified):

  GET /loki/api/v1/query_range  streams (log queries) or matrix (metric
      queries); start inclusive, end EXCLUSIVE; limit across streams
      (default 100, > 5000 -> 400); direction forward|backward (default
      backward); times as ns (> 10 digits), seconds, float seconds or
      RFC3339; errors are text/plain with the right status (400 parse
      errors, 401 no org id, 429).
  GET /loki/api/v1/query        instant metric queries (vector); 400 for
      log queries, as current Loki.
  GET /loki/api/v1/labels, /loki/api/v1/label/NAME/values, /ready
  GET /loki/api/v1/series       match[] stream selectors (one or more) ->
                                the label sets of the matching streams;
                                400 "0 matcher groups supplied" without
                                match[], LogQL parse errors as for queries
  GET /loki/api/v1/tail         RFC 6455 websocket: handshake checks,
      server frames unmasked, client frames must be masked (else close
      1002), fragmentation (optional), ping every second, pong replies,
      close 1011 "reached tail max duration limit" after --tail-max
      seconds, dropped_entries, errors before the upgrade as HTTP text.

Log data is generated deterministically: line `seq` has timestamp
t0 + seq * period and a text that carries `seq=NNNNNNNN`, following the
seed incident (tests/fixtures/incident/STORY.md): order errors with trace
ids, frontend JSON lines, payment warnings; the canonical trace id
4bf92f3577b34da6a3ce929d0e0e4736 appears on three services.  A line exists
once its timestamp has passed, so a restarted server (same --t0 and
--rate) serves exactly the same lines.

With --story --clock START,SPEED,EPOCH the lines are the seed incident's
as the demo stack tells it (story.py: every service, the story's rates,
trace ids Tempo's --story serves) and "now" is the demo clock, so the
tail follows the same virtual time as scry (SCRY_DEMO_CLOCK).

Every line sent (by query_range or tail) is counted in a ledger; tests
compare what scry holds against it.  Disruptions are driven over HTTP:

  POST /ctl/close1011      close every tail with 1011
  POST /ctl/kill           drop every tail connection (no close frame: 1006)
  POST /ctl/halfopen?secs= stop sending and reading on every tail for secs
  POST /ctl/garbage        send a text frame that is not JSON
  POST /ctl/oversized?mb=  send one text frame of that many MiB
  POST /ctl/drop?n=        withhold the next n lines from tails and report
                           them in dropped_entries
  POST /ctl/slow?ms=       sleep ms before every tail frame (slow server)
  POST /ctl/fragment?on=   split tail messages into continuation frames
  POST /ctl/freeze         stop producing new lines (time stands still)
  POST /ctl/rate?lps=      change the line rate from now on
  POST /ctl/trickle?secs=&every=
                           every tail starts a frame and sends one byte of it
                           every `every` s (default 10) for secs (default 60)
                           s, then the rest (a slow proxy in the way)
  POST /ctl/refuse?code=&retry_after=&n=
                           answer the next n tail upgrades (and plain GETs of
                           /tail until an upgrade is accepted) with code
                           (429: Loki's "max concurrent tail requests", 503:
                           "no healthy ingesters"), with Retry-After when given
  GET  /ctl/stats          JSON: counters, generated range
  GET  /ctl/ledger         JSON: [[seq, times sent], ...]

--events FILE appends one JSON object per tail event (wall-clock "t",
"ev": upgrade / refused / open / end, "why" for an end: the disruption
or what the client did), so a test can time reconnects across server
restarts.
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import select
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CANON_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CANON_GROUP = 42
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_ENTRIES = 5000

STREAMS = [
    {"app": "order", "namespace": "shop", "pod": "order-6b7d9c5f8-x2k4p", "container": "order"},
    {"app": "frontend", "namespace": "shop", "pod": "frontend-7d4b9c8f6d-abcde", "container": "frontend"},
    {"app": "payment", "namespace": "shop", "pod": "payment-7c9f8d6b5-q8x7z", "container": "payment"},
]

HOSTILE = [
    "\x1b[2J\x1b[H", "\x1b]0;pwned title\x07", "\x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07",
    "\x1bP$q m\x1b\\", "\x1b[6n", "\x1b[21t", "\x1b[?1049l", "\x1b[31mRED\x1b[0m",
    "\x9b" + "31mC1CSI", "\u202eevil\u202c", "ERROR disk full\rOK   ", "abc\x08\x08\x08XYZ",
    "\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07", "\x1b_APC\x1b\\", "\x1b^PM\x1b\\",
    "\x1bXSOS\x1b\\", "bell\x07", "a" + "\u0301" * 40, "\ufeff\u200bzero width",
    "\x1b]2;never terminated", "\x1b[1000;1000H", "\x1b#8", "\x1bc", "\x1b[?1000h",
    "\x1b[>c", "\x1b[c", "\x1b]1337;File=name=x:AAAA\x07", "\x1b[5;7;8m", "\x90dcs8bit\x9c",
    "\x9d" + "0;c1osc\x07", "tab\tand\x0bvt\x0cff", "\x7fdel", "\U000E0041tag",
]
# and the whole corpus of tests/hostile/payloads.py, invalid UTF-8 as U+FFFD
# (what Loki's Go encoder sends for it)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile"))
import payloads  # noqa: E402
HOSTILE += [p.decode("utf-8", "replace") for p in payloads.PAYLOADS]


def log(*a):
    print("loki.py:", *a, file=sys.stderr, flush=True)


class Data:
    """Deterministic lines; piecewise-constant rate; the ledger."""

    def __init__(self, t0, rate, hostile, nstreams):
        self.lock = threading.Lock()
        self.segs = [(0, t0, int(1e9 / rate))]  # (first seq, its ts, period)
        self.hostile = hostile
        self.nstreams = nstreams
        self.frozen_at = None
        self.sent = {}
        self.drop_next = 0
        self.streams = STREAMS

    def now(self):
        return self.frozen_at if self.frozen_at is not None else time.time_ns()

    def ts(self, seq):
        s0, t0, per = self.segs[0]
        for s in self.segs:
            if s[0] <= seq:
                s0, t0, per = s
        return t0 + (seq - s0) * per

    def seq_at_or_after(self, t):
        """First seq whose ts >= t."""
        lo, hi = 0, 1
        while self.ts(hi) < t:
            hi *= 2
        while lo < hi:
            mid = (lo + hi) // 2
            if self.ts(mid) < t:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def last_seq(self):
        """Newest seq whose time has come (-1 if none)."""
        return self.seq_at_or_after(self.now() + 1) - 1

    def set_rate(self, lps):
        with self.lock:
            n = self.last_seq() + 1
            self.segs.append((n, max(self.now(), self.ts(n)), int(1e9 / lps)))

    def stream_of(self, seq):
        return seq % self.nstreams

    def labels(self, seq):
        s = dict(STREAMS[self.stream_of(seq) % len(STREAMS)])
        if self.stream_of(seq) >= len(STREAMS):
            s["pod"] = s["pod"] + "-%d" % self.stream_of(seq)
        return s

    def line(self, seq):
        g = seq // 3
        trace = CANON_TRACE if g == CANON_GROUP else hashlib.md5(b"t%d" % g).hexdigest()
        span = hashlib.md5(b"s%d" % seq).hexdigest()[:16]
        if seq < self.hostile:
            return "hostile seq=%08d %s end" % (seq, HOSTILE[seq % len(HOSTILE)])
        app = STREAMS[self.stream_of(seq) % len(STREAMS)]["app"]
        bad = g % 4 != 0
        if app == "order":
            if bad:
                return ('level=error msg="upstream connect error or disconnect/reset before headers. '
                        'reset reason: overflow" upstream=payment seq=%08d trace_id=%s span_id=%s'
                        % (seq, trace, span))
            return 'level=info msg="order placed" seq=%08d trace_id=%s span_id=%s' % (seq, trace, span)
        if app == "frontend":
            return json.dumps({"level": "error" if bad else "info",
                               "msg": "checkout failed" if bad else "checkout ok",
                               "seq": seq, "traceId": trace, "path": "/checkout"})
        return ('level=warn msg="TLS offload not configured; falling back" seq=%08d trace_id=%s'
                % (seq, trace))

    def note_sent(self, seqs):
        with self.lock:
            for s in seqs:
                self.sent[s] = self.sent.get(s, 0) + 1


class StoryData(Data):
    """--story: the seed incident's lines (story.py) on the demo clock;
    a line exists once the clock has passed its timestamp."""

    def __init__(self, clock):
        import story
        self.lock = threading.Lock()
        self.clock = clock
        self.logs = story.logs()
        self.streams = self.logs.streams
        self.segs = [(0, self.logs.ts[0], 0)]
        self.hostile = 0
        self.nstreams = len(self.streams)
        self.frozen_at = None
        self.sent = {}
        self.drop_next = 0

    def now(self):
        return self.frozen_at if self.frozen_at is not None else self.clock.now_ns()

    def ts(self, seq):
        ts = self.logs.ts
        return ts[seq] if seq < len(ts) else ts[-1] + (seq - len(ts) + 1) * 10**12

    def seq_at_or_after(self, t):
        return self.logs.first_at_or_after(t)

    def set_rate(self, lps):
        raise ValueError("the story's rates are fixed")

    def stream_of(self, seq):
        return self.logs.stream[seq]

    def labels(self, seq):
        return dict(self.streams[self.logs.stream[seq]])

    def line(self, seq):
        return self.logs.text[seq]


# ------------------------------------------------------------------ LogQL

class ParseError(Exception):
    pass


TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|`[^`]*`)|(?P<op>\|=|!=|\|~|!~|=~|=|\||\{|\}|,|\(|\)|\[|\])'
                   r'|(?P<dur>\d+(?:ms|s|m|h|d))|(?P<id>[A-Za-z_][A-Za-z0-9_]*))')


def tokenize(q):
    out, i = [], 0
    while i < len(q):
        if q[i].isspace():
            i += 1
            continue
        m = TOKEN.match(q, i)
        if not m or m.end() == i:
            raise ParseError("parse error at line 1, col %d: syntax error: unexpected %r" % (i + 1, q[i]))
        kind = m.lastgroup
        val = m.group(kind)
        out.append((kind, val, i + 1))
        i = m.end()
    return out


def unquote(s):
    if s.startswith("`"):
        return s[1:-1]
    return json.loads(s)


class Query:
    """{sel} (| stage)* ; or metric: [sum [by (l,..)]] (rate|count_over_time)(<log>[dur])."""

    def __init__(self, q):
        self.qlen = len(q)
        self.toks = tokenize(q)
        self.i = 0
        self.metric = None
        self.by = None
        self.sum = False
        self.range = None
        self.matchers = []
        self.filters = []
        self.parsers = []
        self.label_filters = []
        self.parse_top()
        if self.i != len(self.toks):
            self.err("unexpected %s" % self.toks[self.i][1])

    def err(self, msg):
        col = self.toks[self.i][2] if self.i < len(self.toks) else self.qlen + 1
        raise ParseError("parse error at line 1, col %d: syntax error: %s" % (col, msg))

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None, 0)

    def take(self, val=None):
        k, v, c = self.peek()
        if k is None or (val is not None and v != val):
            self.err("unexpected %s, expecting %s" % (v or "end of input", val or "token"))
        self.i += 1
        return v

    def parse_top(self):
        k, v, _ = self.peek()
        if k == "id" and v == "sum":
            self.take()
            self.sum = True
            if self.peek()[1] == "by":
                self.take()
                self.take("(")
                self.by = []
                while self.peek()[1] != ")":
                    self.by.append(self.take())
                    if self.peek()[1] == ",":
                        self.take()
                self.take(")")
            self.take("(")
            self.parse_metric()
            self.take(")")
        elif k == "id" and v in ("rate", "count_over_time"):
            self.parse_metric()
        else:
            self.parse_log()

    def parse_metric(self):
        self.metric = self.take()
        if self.metric not in ("rate", "count_over_time"):
            self.err("unexpected %s" % self.metric)
        self.take("(")
        self.parse_log()
        self.take("[")
        k, v, _ = self.peek()
        if k != "dur":
            self.err("unexpected %s, expecting duration" % v)
        self.take()
        self.range = parse_dur(v)
        self.take("]")
        self.take(")")

    def parse_log(self):
        self.take("{")
        while self.peek()[1] != "}":
            name = self.take()
            op = self.take()
            if op not in ("=", "!=", "=~", "!~"):
                self.err("unexpected %s" % op)
            k, v, _ = self.peek()
            if k != "str":
                self.err("unexpected %s, expecting string" % v)
            self.take()
            val = unquote(v)
            if op in ("=~", "!~"):
                try:
                    re.compile(val)
                except re.error as e:
                    raise ParseError("parse error : error parsing regexp: %s" % e)
            self.matchers.append((name, op, val))
            if self.peek()[1] == ",":
                self.take()
        self.take("}")
        if not self.matchers:
            raise ParseError("parse error : queries require at least one regexp or equality matcher "
                             "that does not have an empty-compatible value. For instance, app=~\".*\" "
                             "does not meet this requirement, but app=~\".+\" will")
        while self.peek()[1] in ("|=", "!=", "|~", "!~", "|"):
            op = self.take()
            if op == "|":
                k, v, _ = self.peek()
                if v in ("logfmt", "json"):
                    self.take()
                    self.parsers.append(v)
                    continue
                if k == "id":
                    name = self.take()
                    op2 = self.take()
                    k2, v2, _ = self.peek()
                    if k2 != "str":
                        self.err("unexpected %s, expecting string" % v2)
                    self.take()
                    self.label_filters.append((name, op2, unquote(v2)))
                    continue
                self.err("unexpected %s" % v)
            k, v, _ = self.peek()
            if k != "str":
                self.err("unexpected %s, expecting string" % v)
            self.take()
            val = unquote(v)
            if op in ("|~", "!~"):
                try:
                    val = re.compile(val)
                except re.error as e:
                    raise ParseError("parse error : error parsing regexp: %s" % e)
            self.filters.append((op, val))

    def stream_ok(self, labels):
        for name, op, val in self.matchers:
            have = labels.get(name, "")
            if op == "=" and have != val:
                return False
            if op == "!=" and have == val:
                return False
            if op == "=~" and not re.fullmatch(val, have):
                return False
            if op == "!~" and re.fullmatch(val, have):
                return False
        return True

    def line_ok(self, line, labels):
        for op, val in self.filters:
            if op == "|=" and val not in line:
                return False
            if op == "!=" and val in line:
                return False
            if op == "|~" and not val.search(line):
                return False
            if op == "!~" and val.search(line):
                return False
        if self.label_filters:
            fields = dict(labels)
            if "logfmt" in self.parsers:
                fields.update(dict(re.findall(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))', line) and
                                   [(k, a or b) for k, a, b in
                                    re.findall(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))', line)]))
            if "json" in self.parsers:
                try:
                    fields.update({k: str(v) for k, v in json.loads(line).items()})
                except (ValueError, AttributeError):
                    pass
            for name, op, val in self.label_filters:
                have = fields.get(name, "")
                if (op == "=" and have != val) or (op == "!=" and have == val):
                    return False
        return True


def parse_dur(s):
    m = re.fullmatch(r"(\d+)(ms|s|m|h|d)", s)
    if not m:
        raise ParseError("invalid duration %r" % s)
    return int(m.group(1)) * {"ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9,
                              "d": 86400 * 10**9}[m.group(2)]


def parse_time(s, default):
    if s is None or s == "":
        return default
    if re.fullmatch(r"\d+", s):
        return int(s) * (10**9 if len(s) <= 10 else 1)
    if re.fullmatch(r"\d+\.\d*", s):
        whole, frac = s.split(".")
        return int(whole) * 10**9 + int((frac + "000000000")[:9])
    try:
        d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
        return int(d.timestamp()) * 10**9 + d.microsecond * 1000
    except ValueError:
        raise ParseError('invalid parameter "time": cannot parse "%s" to a valid timestamp' % s)


def go_json(obj):
    """json like Go's encoder: < > & and U+2028/9 escaped."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# ------------------------------------------------------------------ server

class State:
    def __init__(self, args):
        now = time.time_ns()
        t0 = args.t0 if args.t0 else now - int(args.backlog * 1e9)
        if args.story:
            import story
            self.data = StoryData(story.Clock(args.clock))
        else:
            self.data = Data(t0, args.rate, args.hostile, args.streams)
        self.args = args
        self.tails = set()
        self.tails_lock = threading.Lock()
        self.counters = {"tails_opened": 0, "tails_refused": 0, "queries": 0, "violations": 0,
                         "pongs": 0, "pings_from_client": 0, "closes_from_client": 0}
        self.slow_ms = 0
        self.fragment = False
        self.refuse = None          # (code, retry_after or None, upgrades left)
        self.refusing = None        # the refusal plain GETs of /tail get
        self.events_lock = threading.Lock()

    def event(self, ev, **kw):
        if not self.args.events:
            return
        rec = dict(t=time.time(), ev=ev, **kw)
        with self.events_lock, open(self.args.events, "a") as f:
            f.write(json.dumps(rec) + "\n")


def entries_between(st, q, start, end, limit, backward):
    """(seq, ts) of matching lines with start <= ts < end, newest first if backward."""
    d = st.data
    last = d.last_seq()
    if last < 0:
        return []
    lo = d.seq_at_or_after(start)
    hi = min(d.seq_at_or_after(end) - 1, last)
    out = []
    rng = range(hi, lo - 1, -1) if backward else range(lo, hi + 1)
    check_line = bool(q.filters or q.label_filters)
    for seq in rng:
        labels = d.labels(seq)
        if not q.stream_ok(labels):
            continue
        if check_line and not q.line_ok(d.line(seq), labels):
            continue
        out.append(seq)
        if len(out) >= limit:
            break
    return out


def streams_json(st, seqs, backward):
    d = st.data
    groups = {}
    for seq in seqs:
        key = tuple(sorted(d.labels(seq).items()))
        groups.setdefault(key, []).append(seq)
    result = []
    for key, ss in groups.items():
        ss.sort(reverse=backward)
        result.append({"stream": dict(key), "values": [[str(d.ts(s)), d.line(s)] for s in ss]})
    return result


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "loki-test/1.0"

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, fmt, *a):
        if self.server.st.args.verbose:
            log(fmt % a)

    # -- helpers
    def text(self, code, body, headers=None):
        b = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(b)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(b)

    def json(self, obj, code=200):
        b = go_json(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def auth_error(self):
        a = self.server.st.args
        if a.tenant and self.headers.get("X-Scope-OrgID") != a.tenant:
            return (401, "no org id") if not self.headers.get("X-Scope-OrgID") else (401, "unknown tenant")
        if a.token and self.headers.get("Authorization") != "Bearer " + a.token:
            return (401, "unauthorized")
        return None

    def params(self):
        u = urllib.parse.urlsplit(self.path)
        return u.path, {k: v[-1] for k, v in urllib.parse.parse_qs(u.query, keep_blank_values=True).items()}

    # -- routes
    def do_POST(self):
        path, p = self.params()
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        if path.startswith("/ctl/"):
            return self.control(path[5:], p)
        self.text(404, "404 page not found\n")

    def do_GET(self):
        path, p = self.params()
        st = self.server.st
        if path.startswith("/ctl/"):
            return self.control(path[5:], p)
        if path == "/ready":
            return self.text(200, "ready\n")
        if path.startswith("/loki/api/v1/"):
            err = self.auth_error()
            if err:
                return self.text(*err)
        if path == "/loki/api/v1/query_range":
            return self.query_range(p)
        if path == "/loki/api/v1/query":
            return self.query(p)
        if path == "/loki/api/v1/labels":
            return self.json({"status": "success",
                              "data": sorted({k for s in st.data.streams for k in s})})
        m = re.fullmatch(r"/loki/api/v1/label/([^/]+)/values", path)
        if m:
            return self.json({"status": "success",
                              "data": sorted({s.get(m.group(1)) for s in st.data.streams
                                              if m.group(1) in s})})
        if path == "/loki/api/v1/series":
            return self.series()
        if path == "/loki/api/v1/tail":
            return self.tail(p)
        self.text(404, "404 page not found\n")

    def series(self):
        self.server.st.counters["series"] = self.server.st.counters.get("series", 0) + 1
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        groups = q.get("match[]", []) + q.get("match", [])
        if not groups:
            return self.text(400, "0 matcher groups supplied\n")
        found = []
        for g in groups:
            try:
                sel = Query(g)
            except ParseError as e:
                return self.text(400, str(e) + "\n")
            if sel.metric or sel.filters or sel.parsers or sel.label_filters:
                return self.text(400, "parse error : only stream selectors are allowed in match[]\n")
            for s in self.server.st.data.streams:
                if sel.stream_ok(s) and s not in found:
                    found.append(s)
        return self.json({"status": "success", "data": found})

    def query_range(self, p):
        st = self.server.st
        st.counters["queries"] += 1
        if st.args.slow_queries:
            time.sleep(st.args.slow_queries)
        try:
            q = Query(p.get("query", ""))
            now = st.data.now()
            end = parse_time(p.get("end"), now)
            start = parse_time(p.get("start"), end - 3600 * 10**9)
            if "since" in p:
                start = end - parse_dur(p["since"])
            if end <= start:
                raise ParseError("end timestamp must not be before or equal to start time")
            limit = int(p.get("limit", "100") or 100)
            if limit <= 0:
                raise ParseError("limit must be a positive value")
            if limit > MAX_ENTRIES:
                raise ParseError("max entries limit per query exceeded, limit > max_entries_limit_per_query "
                                 "(%d > %d)" % (limit, MAX_ENTRIES))
            direction = p.get("direction", "backward").lower()
            if direction not in ("forward", "backward"):
                raise ParseError("invalid direction")
        except (ParseError, ValueError) as e:
            return self.text(400, str(e))
        if q.metric:
            return self.matrix(q, start, end, p)
        seqs = entries_between(st, q, start, end, limit, direction == "backward")
        st.data.note_sent(seqs)
        self.json({"status": "success", "data": {"resultType": "streams",
                   "result": streams_json(st, seqs, direction == "backward"),
                   "stats": {"summary": {"execTime": 0.001, "totalEntriesReturned": len(seqs)}}}})

    def metric_points(self, q, ts_list):
        st = self.server.st
        d = st.data
        series = {}
        for t in ts_list:
            seqs = entries_between(st, q, t - q.range, t + 1, 10**9, False)
            counts = {}
            for s in seqs:
                labels = d.labels(s)
                key = tuple(sorted((k, v) for k, v in labels.items() if q.by is None or k in q.by))
                if q.sum and q.by is None:
                    key = ()
                counts[key] = counts.get(key, 0) + 1
            for key, c in counts.items():
                v = c / (q.range / 1e9) if q.metric == "rate" else c
                series.setdefault(key, []).append([t / 1e9, "%g" % v])
        return series

    def matrix(self, q, start, end, p):
        try:
            step = parse_dur(p["step"]) if re.fullmatch(r"\d+(ms|s|m|h|d)", p.get("step", "")) else \
                int(float(p.get("step") or max((end - start) // 250 // 10**9, 1)) * 1e9)
        except ValueError:
            return self.text(400, 'invalid parameter "step"')
        if (end - start) // step > 11000:
            return self.text(400, "exceeded maximum resolution of 11,000 points per time series. "
                                  "Try increasing the value of the step parameter")
        ts_list = list(range(start, end + 1, step))
        series = self.metric_points(q, ts_list)
        self.json({"status": "success", "data": {"resultType": "matrix", "result": [
            {"metric": dict(k), "values": v} for k, v in series.items()]}})

    def query(self, p):
        try:
            q = Query(p.get("query", ""))
            t = parse_time(p.get("time"), self.server.st.data.now())
        except ParseError as e:
            return self.text(400, str(e))
        if not q.metric:
            return self.text(400, "log queries are not supported as an instant query type, please change "
                                  "your query to a range query type")
        series = self.metric_points(q, [t])
        self.json({"status": "success", "data": {"resultType": "vector", "result": [
            {"metric": dict(k), "value": v[0]} for k, v in series.items()]}})

    # -- control
    def control(self, what, p):
        st = self.server.st
        if what == "stats":
            d = st.data
            with d.lock:
                sent = list(d.sent.items())
            return self.json({**st.counters, "last_seq": d.last_seq(), "tails": len(st.tails),
                              "t0": d.segs[0][1], "frozen": d.frozen_at is not None,
                              "sent_lines": len(sent), "sent_total": sum(c for _, c in sent),
                              "sent_min": min((s for s, _ in sent), default=-1),
                              "sent_max": max((s for s, _ in sent), default=-1)})
        if what == "ledger":
            with st.data.lock:
                items = sorted(st.data.sent.items())
            return self.json(items)
        if what == "line":
            seq = int(p.get("seq", "0"))
            return self.json({"seq": seq, "ts": str(st.data.ts(seq)), "line": st.data.line(seq),
                              "labels": st.data.labels(seq)})
        if what == "freeze":
            st.data.frozen_at = st.data.now()
            return self.json({"frozen_at": st.data.frozen_at, "last_seq": st.data.last_seq()})
        if what == "rate":
            try:
                st.data.set_rate(float(p.get("lps", "10")))
            except ValueError as e:
                return self.text(400, str(e))
            return self.json({"ok": True})
        if what == "slow":
            st.slow_ms = int(p.get("ms", "0"))
            return self.json({"ok": True})
        if what == "fragment":
            st.fragment = p.get("on", "1") == "1"
            return self.json({"ok": True})
        if what == "refuse":
            ra = p.get("retry_after")
            st.refuse = (int(p.get("code", "429")), ra, int(p.get("n", "1")))
            return self.json({"ok": True})
        if what == "drop":
            with st.data.lock:
                st.data.drop_next += int(p.get("n", "10"))
            return self.json({"ok": True})
        with st.tails_lock:
            tails = list(st.tails)
        for t in tails:
            t.disrupt(what, p)
        self.json({"ok": True, "tails": len(tails)})

    # -- websocket tail
    def tail(self, p):
        st = self.server.st
        try:
            q = Query(p.get("query", ""))
            delay = int(p.get("delay_for", "0") or 0)
            if delay > 5:
                raise ParseError("delay_for can't be greater than 5")
            limit = int(p.get("limit", "100") or 100)
            if limit > MAX_ENTRIES:
                raise ParseError("max entries limit per query exceeded, limit > max_entries_limit_per_query "
                                 "(%d > %d)" % (limit, MAX_ENTRIES))
            start = parse_time(p.get("start"), st.data.now() - 3600 * 10**9)
        except (ParseError, ValueError) as e:
            return self.text(400, str(e))
        key = self.headers.get("Sec-WebSocket-Key")
        upgrade = (self.headers.get("Upgrade", "").lower() == "websocket" and key and
                   "upgrade" in self.headers.get("Connection", "").lower() and
                   self.headers.get("Sec-WebSocket-Version") == "13")
        if upgrade:
            st.event("upgrade")
        refusal = self.refusal(st, upgrade)
        if refusal:
            code, ra = refusal
            st.event("refused", code=code, http=not upgrade)
            body = ("max concurrent tail requests limit exceeded" if code == 429 else
                    "too many unhealthy instances in the ring")
            return self.text(code, body, {"Retry-After": ra} if ra else None)
        t = Tail(st, self.connection, q, start, limit)
        with st.tails_lock:	# check and reserve atomically
            busy = st.args.max_tails and len(st.tails) >= st.args.max_tails
            if not busy and upgrade:
                st.tails.add(t)
        if busy:
            st.counters["tails_refused"] += 1
            return self.text(429, "max concurrent tail requests limit exceeded, count > limit (%d > %d)"
                             % (len(st.tails) + 1, st.args.max_tails), {"Retry-After": "1"})
        if not upgrade:
            return self.text(400, "Bad Request\n")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        st.counters["tails_opened"] += 1
        st.refusing = None
        st.event("open")
        try:
            t.run()
        finally:
            st.event("end", why=t.why)
            with st.tails_lock:
                st.tails.discard(t)
            self.close_connection = True


    def refusal(self, st, upgrade):
        """(code, retry_after) if /ctl/refuse says this request is refused."""
        with st.tails_lock:
            if upgrade and st.refuse and st.refuse[2] > 0:
                code, ra, n = st.refuse
                st.refuse = (code, ra, n - 1) if n > 1 else None
                st.refusing = (code, ra)
                return st.refusing
            if not upgrade:
                return st.refusing
            st.refusing = None
        return None


class Tail:
    def __init__(self, st, sock, q, start, limit):
        self.st, self.sock, self.q, self.start, self.limit = st, sock, q, start, limit
        self.lock = threading.Lock()
        self.dead = False
        self.halfopen_until = 0
        self.trickle = None         # (until, every)
        self.rxbuf = b""            # client bytes read while a frame was in flight
        self.why = "client closed"  # what ended the connection
        self.pending = []
        self.began = time.monotonic()

    def send_frame(self, opcode, payload, fin=True):
        n = len(payload)
        head = bytes([(0x80 if fin else 0) | opcode])
        if n < 126:
            head += bytes([n])
        elif n < 65536:
            head += bytes([126]) + struct.pack(">H", n)
        else:
            head += bytes([127]) + struct.pack(">Q", n)
        with self.lock:
            self.sock.sendall(head + payload)

    def send_text(self, s):
        b = s.encode("utf-8", "surrogatepass")
        if self.st.slow_ms:
            time.sleep(self.st.slow_ms / 1000)
        if self.st.fragment and len(b) > 8:
            parts = [b[:len(b) // 3], b[len(b) // 3:2 * len(b) // 3], b[2 * len(b) // 3:]]
            self.send_frame(0x1, parts[0], fin=False)
            self.send_frame(0x0, parts[1], fin=False)
            self.send_frame(0x0, parts[2], fin=True)
        else:
            self.send_frame(0x1, b)

    def close(self, code, reason):
        try:
            self.send_frame(0x8, struct.pack(">H", code) + reason.encode())
        except OSError:
            pass
        self.dead = True
        if self.why == "client closed":
            self.why = "close %d" % code

    def client_gone(self, timeout):
        """Wait up to timeout for the client to hang up (EOF or reset);
        True if it did.  What the client sends meanwhile is kept for
        read_client (unanswered: nothing can overtake a frame in flight)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                if not select.select([self.sock], [], [], max(left, 0))[0]:
                    return False
                d = self.sock.recv(65536)
            except OSError:
                return True
            if not d:
                return True
            self.rxbuf += d

    def run_trickle(self):
        """One frame, one byte every `every` seconds until `until`."""
        until, every = self.trickle
        self.trickle = None
        payload = b'{"streams":[]}'
        began = time.monotonic()
        with self.lock:
            self.sock.sendall(bytes([0x81, len(payload)]))
        for i, b in enumerate(payload):
            if time.monotonic() >= until:
                with self.lock:
                    self.sock.sendall(payload[i:])
                return
            with self.lock:
                self.sock.sendall(bytes([b]))
            if self.client_gone(every):
                self.why = "client closed during trickle after %.1f s" % (time.monotonic() - began)
                self.dead = True
                return

    def disrupt(self, what, p):
        try:
            if what == "close1011":
                self.close(1011, "reached tail max duration limit")
            elif what == "kill":
                self.why = "kill"
                self.dead = True
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.sock.close()
            elif what == "halfopen":
                self.halfopen_until = time.monotonic() + float(p.get("secs", "30"))
                self.halfopen_began = time.monotonic()
            elif what == "trickle":
                self.trickle = (time.monotonic() + float(p.get("secs", "60")),
                                float(p.get("every", "10")))
            elif what == "garbage":
                self.send_text("this is not json {{{")
            elif what == "binary":
                self.send_frame(0x2, b"\x00\x01\x02")
            elif what == "oversized":
                mb = float(p.get("mb", "20"))
                self.send_frame(0x1, b"x" * int(mb * 1024 * 1024))
        except OSError:
            self.dead = True

    def read_client(self):
        """Handle frames from the client (pong, ping, close); enforce masking."""
        sock = self.sock
        try:
            pending = len(self.rxbuf) or (sock.pending() if hasattr(sock, "pending") else 0)
            if not pending and not select.select([sock], [], [], 0.05)[0]:
                return
            h = self.recvn(2)
        except (OSError, ValueError):
            self.dead = True
            return
        if len(h) < 2:
            self.dead = True
            return
        opcode, masked, n = h[0] & 0x0F, h[1] & 0x80, h[1] & 0x7F
        if n == 126:
            n = struct.unpack(">H", self.recvn(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self.recvn(8))[0]
        mask = self.recvn(4) if masked else b""
        data = self.recvn(n)
        if not masked:
            self.st.counters["violations"] += 1
            self.close(1002, "client frames must be masked")
            return
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        if opcode == 0xA:
            self.st.counters["pongs"] += 1
        elif opcode == 0x9:
            self.st.counters["pings_from_client"] += 1
            self.send_frame(0xA, data)
        elif opcode == 0x8:
            self.st.counters["closes_from_client"] += 1
            self.why = "client close frame"
            self.close(struct.unpack(">H", data[:2])[0] if len(data) >= 2 else 1000, "")

    def recvn(self, n):
        b, self.rxbuf = self.rxbuf[:n], self.rxbuf[n:]
        while len(b) < n:
            c = self.sock.recv(n - len(b))
            if not c:
                raise OSError("eof")
            b += c
        return b

    def frames_for(self, seqs, dropped):
        d = self.st.data
        for i in range(0, max(len(seqs), 1), 100):
            chunk = seqs[i:i + 100]
            msg = {"streams": streams_json(self.st, chunk, False)}
            if dropped and i == 0:
                msg["dropped_entries"] = [{"labels": d.labels(s), "timestamp": str(d.ts(s))} for s in dropped]
            if chunk or (dropped and i == 0):
                self.send_text(go_json(msg))
                d.note_sent(chunk)

    def run(self):
        st, d = self.st, self.st.data
        # backfill like Loki: the newest `limit` lines since start (a BACKWARD
        # query), then everything newer as it comes
        last = d.last_seq()
        back = entries_between(st, self.q, self.start, d.ts(last) + 1, self.limit, True) if last >= 0 else []
        back.reverse()
        try:
            self.frames_for(back, [])
            next_ping = time.monotonic() + 1
            while not self.dead:
                now = time.monotonic()
                if now < self.halfopen_until:
                    if self.client_gone(0.05):	# peek only: nothing is read
                        self.why = "client closed during half-open after %.1f s" % (
                            time.monotonic() - self.halfopen_began)
                        break
                    continue
                if self.trickle:
                    self.run_trickle()
                    continue
                if now - self.began > st.args.tail_max:
                    self.close(1011, "reached tail max duration limit")
                    break
                self.read_client()
                if self.dead:
                    break
                if now >= next_ping:
                    self.send_frame(0x9, b"")
                    next_ping = now + 1
                newest = d.last_seq()
                if newest > last:
                    seqs, dropped = [], []
                    for s in range(last + 1, newest + 1):
                        if not self.q.stream_ok(d.labels(s)) or not self.q.line_ok(d.line(s), d.labels(s)):
                            continue
                        if d.ts(s) < self.start:
                            continue
                        with d.lock:
                            drop = d.drop_next > 0
                            if drop:
                                d.drop_next -= 1
                        (dropped if drop else seqs).append(s)
                    last = newest
                    self.frames_for(seqs, dropped)
                time.sleep(0.05)
        except OSError:
            pass
        finally:
            try:
                self.sock.close()
            except OSError:
                pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--rate", type=float, default=20.0, help="lines per second")
    ap.add_argument("--backlog", type=float, default=600, help="seconds of lines before start")
    ap.add_argument("--t0", type=int, default=0, help="timestamp (ns) of line 0 (restarts)")
    ap.add_argument("--streams", type=int, default=3)
    ap.add_argument("--hostile", type=int, default=0, help="the first N lines are hostile")
    ap.add_argument("--tail-max", type=float, default=3600, help="seconds before close 1011")
    ap.add_argument("--max-tails", type=int, default=0, help="429 beyond this many tails")
    ap.add_argument("--tenant", help="require this X-Scope-OrgID")
    ap.add_argument("--token", help="require Authorization: Bearer TOKEN")
    ap.add_argument("--slow-queries", type=float, default=0, help="seconds before answering queries")
    ap.add_argument("--tls", help="CERT:KEY to serve https/wss")
    ap.add_argument("--story", action="store_true",
                    help="serve the seed incident's lines (story.py) on --clock")
    ap.add_argument("--clock", help="START[,SPEED[,EPOCH]]: the demo clock (story mode)")
    ap.add_argument("--events", help="append tail events (JSON lines) to this file")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            if args.verbose:
                super().handle_error(request, client_address)

    srv = Server((args.host, args.port), Handler)
    srv.daemon_threads = True
    srv.st = State(args)
    if args.tls:
        cert, key = args.tls.split(":")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    log("listening on %s:%d (t0=%d)" % (args.host, args.port, srv.st.data.segs[0][1]))
    try:
        srv.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
