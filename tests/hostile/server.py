#!/usr/bin/env python3
"""server.py: a hostile Prometheus and Loki for the T3 and T12 tests.

Every string a client could render (label values, legends, alert labels
and annotations, log lines, stream labels, error messages, warnings) is a
payload of tests/hostile/payloads.py, written into the JSON as a hostile
server would (controls JSON-escaped, invalid UTF-8 raw).  Each carries a
marker naming its field and payload, e.g. "L017:" + payload 17 for a log
line, so a test can count which payloads really reached the screen.

usage: server.py PORT [--clean] [--batch N] [--log FILE]

--clean serves the same answers with every payload replaced by a plain
"clean" text of the same marker (the run "without the payload" that trusted
rows are compared with).  The first path segment picks the behaviour:

  /prom/api/v1/...      query_range (matrix), query (vector), rules,
                        alerts, series, labels, label values, exemplars,
                        buildinfo; a selector b="N" in the query picks
                        payload batch N (--batch per batch, default 24)
  /promwarn/api/v1/...  the same with "warnings" and "infos" payloads
  /promerr/api/v1/...   422 {"status":"error","errorType":"execution",
                        "error": payload i} (i="N" in the query)
  /promtext/api/v1/...  500 text/plain, the body payload i (a proxy)
  /promhtml/api/v1/...  502 text/html with payload i in title and body
  /loki/loki/api/v1/... query_range (streams: labels and lines), series,
                        labels, label values; {b="N"} picks a batch
  /lokierr/loki/api/v1/...  400 text/plain "parse error : " + payload i
  /echo/...             401 (/echo500/: 500), a JSON error envelope that
                        echoes the request line, every header and the
                        body back in "error" (secrets tests)
Requests are logged to --log as "METHOD PATH?QUERY" lines, with the
Authorization, X-Api-Key and Cookie headers a client sent (the
credentials a thief would get).
Python 3 standard library only.
"""
import json
import os
import re
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import payloads  # noqa: E402

CLEAN = False
BATCH = 24
LOG = None
T0 = 1795659420             # 2026-11-26T02:17:00Z, the seed incident


def text(tag, i):
    """The marked payload (bytes) of field `tag`, payload i."""
    i %= len(payloads.PAYLOADS)
    body = b"clean text %d" % i if CLEAN else payloads.PAYLOADS[i]
    return b"%s%03d:" % (tag.encode(), i) + body


def js(tag, i):
    return payloads.json_string(text(tag, i))


def lit(s):
    return json.dumps(s).encode()


def obj(pairs):
    """A JSON object from (key, raw JSON value bytes) pairs."""
    return b"{" + b",".join(lit(k) + b":" + v for k, v in pairs) + b"}"


def arr(items):
    return b"[" + b",".join(items) + b"]"


def batch(q):
    """Payload indices a query asks for: b="N" -> batch N, else all."""
    m = re.search(r'\bb="?(\d+)', q or "")
    n = len(payloads.PAYLOADS)
    if not m:
        return list(range(n))
    k = int(m.group(1))
    return [i for i in range(k * BATCH, (k + 1) * BATCH) if i < n]


def index(q):
    m = re.search(r'\bi="?(\d+)', q or "")
    return int(m.group(1)) if m else 0


def ok(data, extra=b""):
    return b'{"status":"success","data":' + data + extra + b"}"


def metric(i, q=""):
    if q.startswith("ALERTS"):     # a window in the past: the ALERTS series
        return obj([("__name__", b'"ALERTS"'), ("alertname", js("A", i)),
                    ("alertstate", b'"firing"'), ("severity", b'"critical"'),
                    ("service", js("V", i)), ("idx", lit(str(i)))])
    return obj([("__name__", b'"hostile"'), ("job", js("J", i)), ("instance", js("I", i)),
                ("le", lit(str(i)))])


def prom(api, p):
    q = p.get("query", [""])[0]
    now = time.time()
    if api == "query_range":
        start = float(p.get("start", [now - 3600])[0])
        end = float(p.get("end", [now])[0])
        step = max(float(p.get("step", ["60"])[0]), (end - start) / 2000 or 1)
        series = []
        for i in batch(q):
            vals, t, k = [], start, 0
            while t <= end + 1e-9:
                vals.append(b'[%.3f,"%d"]' % (t, 10 + i + (k * 7 + i) % 13))
                t += step
                k += 1
            series.append(obj([("metric", metric(i, q)), ("values", arr(vals))]))
        return 200, ok(obj([("resultType", b'"matrix"'), ("result", arr(series))]))
    if api == "query":
        t = float(p.get("time", [now])[0])
        vec = [obj([("metric", metric(i, q)), ("value", b'[%.3f,"%d"]' % (t, 10 + i))])
               for i in batch(q)]
        return 200, ok(obj([("resultType", b'"vector"'), ("result", arr(vec))]))
    if api in ("rules", "alerts"):
        active = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now - 600))
        alerts = [obj([("labels", obj([("alertname", js("A", i)), ("severity", b'"critical"'),
                                       ("service", js("V", i)), ("idx", lit(str(i)))])),
                       ("annotations", obj([("summary", js("U", i)),
                                            ("description", js("D", i))])),
                       ("state", b'"firing"'), ("activeAt", lit(active)),
                       ("value", b'"1e+00"')]) for i in batch(q)]
        if api == "alerts":
            return 200, ok(obj([("alerts", arr(alerts))]))
        rules = [obj([("state", b'"firing"'), ("name", js("A", i)), ("query", js("Q", i)),
                      ("duration", b"0"), ("labels", obj([("severity", b'"critical"')])),
                      ("annotations", obj([("summary", js("U", i))])),
                      ("alerts", arr([alerts[k]])), ("health", b'"ok"'),
                      ("type", b'"alerting"')]) for k, i in enumerate(batch(q))]
        grp = obj([("name", js("G", 0)), ("file", js("F", 0)), ("rules", arr(rules))])
        return 200, ok(obj([("groups", arr([grp]))]))
    if api == "series":
        return 200, ok(arr([metric(i) for i in batch(q)]))
    if api == "labels":
        return 200, ok(arr([lit("job"), lit("instance")]))
    if api.startswith("label/") and api.endswith("/values"):
        return 200, ok(arr([js("W", i) for i in batch(q)]))
    if api == "query_exemplars":
        return 200, ok(b"[]")
    if api == "status/buildinfo":
        return 200, ok(obj([("version", js("B", 0))]))
    return 404, None


def loki_stream(i, t_ns):
    labels = obj([("namespace", b'"shop"'), ("app", js("S", i)), ("pod", js("P", i))])
    return obj([("stream", labels), ("values", arr([arr([lit(str(t_ns)), js("L", i)])]))])


def loki(api, p):
    q = p.get("query", p.get("match[]", [""]))[0]
    if api == "query_range":
        end = int(p.get("end", [str(int(time.time() * 1e9))])[0]) if "end" in p else \
            int(time.time() * 1e9)
        idx = batch(q)
        streams = [loki_stream(i, end - (len(idx) - k) * 1000000) for k, i in enumerate(idx)]
        data = obj([("resultType", b'"streams"'), ("result", arr(streams)),
                    ("stats", b'{"summary":{"execTime":0.001}}')])
        return 200, ok(data)
    if api == "series":
        return 200, ok(arr([obj([("namespace", b'"shop"'), ("app", js("S", i))])
                            for i in batch(q)]))
    if api == "labels":
        return 200, ok(arr([lit("namespace"), lit("app")]))
    if api.startswith("label/") and api.endswith("/values"):
        return 200, ok(arr([js("S", i) for i in batch(q)]))
    return 404, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, ctype, body, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def echo(self, code, body):
        lines = [self.requestline.encode("latin-1", "replace")]
        lines += [("%s: %s" % kv).encode("latin-1", "replace") for kv in self.headers.items()]
        msg = b" | ".join(lines) + b" | body: " + body
        env = b'{"status":"error","errorType":"unauthorized","error":' + \
            payloads.json_string(msg) + b"}"
        self.send(code, "application/json", env,
                  [("WWW-Authenticate", 'Basic realm="' + self.headers.get("Authorization", "")
                    .replace('"', "'") + '"')])

    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        p = urllib.parse.parse_qs(u.query)
        body = b""
        if self.command == "POST":
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            p.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
        if LOG:     # (the credentials a client sent: what a thief would get)
            creds = "".join(" %s=%s" % (h.lower(), self.headers[h])
                            for h in ("Authorization", "X-Api-Key", "Cookie", "Proxy-Authorization",
                                      "X-Auth-Token") if h in self.headers)
            with open(LOG, "a") as f:
                f.write("%s %s%s%s\n" % (self.command, u.path, "?" + u.query if u.query else "", creds))
        parts = u.path.split("/", 2)
        mode = parts[1] if len(parts) > 1 else ""
        rest = "/" + parts[2] if len(parts) > 2 else "/"
        if mode in ("echo", "echo500"):
            return self.echo(401 if mode == "echo" else 500, body)
        q = p.get("query", p.get("match[]", [""]))[0]
        i = index(q)
        if mode == "promerr" and rest.startswith("/api/v1/") and "buildinfo" not in rest:
            env = b'{"status":"error","errorType":"execution","error":' + js("E", i) + b"}"
            return self.send(422, "application/json", env)
        if mode == "promtext" and "buildinfo" not in rest:
            return self.send(500, "text/plain; charset=utf-8", text("T", i) + b"\n")
        if mode == "promhtml" and "buildinfo" not in rest:
            return self.send(502, "text/html", b"<html><head><title>" + text("H", i) +
                             b"</title></head><body><h1>" + text("H", i) + b"</h1></body></html>")
        if mode == "lokierr" and "query_range" in rest:
            return self.send(400, "text/plain; charset=utf-8", b"parse error : " + text("R", i))
        if mode in ("prom", "promwarn", "promerr", "promtext", "promhtml") and \
                rest.startswith("/api/v1/"):
            code, data = prom(rest[len("/api/v1/"):], p)
            if data is not None and mode == "promwarn" and code == 200:
                data = data[:-1] + b',"warnings":[' + js("X", i) + b'],"infos":[' + \
                    js("Y", i) + b"]}"
        elif mode in ("loki", "lokierr") and rest.startswith("/loki/api/v1/"):
            code, data = loki(rest[len("/loki/api/v1/"):], p)
        else:
            code, data = 404, None
        if data is None:
            return self.send(404, "text/plain; charset=utf-8", b"404 page not found\n")
        self.send(code, "application/json", data)

    do_GET = handle_any
    do_POST = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)   # a client hanging up is no error


def main():
    global CLEAN, BATCH, LOG
    port = int(sys.argv[1])
    CLEAN = "--clean" in sys.argv
    if "--batch" in sys.argv:
        BATCH = int(sys.argv[sys.argv.index("--batch") + 1])
    if "--log" in sys.argv:
        LOG = sys.argv[sys.argv.index("--log") + 1]
    srv = Server(("127.0.0.1", port), Handler)
    print("listening on 127.0.0.1:%d" % port, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
