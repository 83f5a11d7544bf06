#!/usr/bin/env python3
"""prom_misbehave.py: a Prometheus HTTP API v1 server that misbehaves on purpose.

Usage: prom_misbehave.py PORT [--log FILE]

The first path segment picks the behaviour, so one server serves a
dashboard whose sources use different "url" prefixes:

  /ok/...          well-formed answers (query_range: one series
                   {job="demo"} = 42 at every step; query: 42 at `time`;
                   rules, alerts, labels, buildinfo), with the documented
                   400 bad_data errors for missing or bad parameters
  /html/...        502 text/html, as nginx in front of a dead backend
  /sso/...         200 text/html, a login page from an auth proxy
  /truncated/...   200 application/json cut in the middle
  /huge/...        200 application/json, chunked, 100 MB (a matrix that
                   keeps going) unless the client hangs up first
  /hang/...        accepts the request and never answers
  /okthenhang/...  answers /ok's way once per path, then hangs
  /busy/...        503 {"status":"error","errorType":"unavailable"} with
                   Retry-After: 3
  /partial/...     /ok's answers with "warnings" (a Thanos store down) and
                   "infos" (a PromQL annotation), as partial responses carry

Every request is logged (time, method, path, requests in flight) to
--log, one line each ("inflight=N": requests for the same path being
served, this one included), so tests can count retries and overlaps.
Python 3 standard library only.
"""
import json
import select
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
IN_FLIGHT = {}      # path without the query string -> requests being served
SEEN = set()
LOG = None


def log(method, path, inflight):
    with LOCK:
        line = "%.3f %s %s inflight=%d\n" % (time.time(), method, path, inflight)
        if LOG:
            with open(LOG, "a") as f:
                f.write(line)


def fmt_time(t):
    return float("%.3f" % t)


def bad_data(msg):
    return 400, {"status": "error", "errorType": "bad_data", "error": msg}


def parse_time(name, s):
    try:
        return float(s)
    except (TypeError, ValueError):
        raise ValueError('invalid parameter "%s": cannot parse "%s" to a valid timestamp' % (name, s))


def answer_ok(api, params):
    q = params.get("query", [""])[0]
    if api in ("query", "query_range") and not q:
        return bad_data('invalid parameter "query": 1:1: parse error: no expression found in input')
    try:
        if api == "query_range":
            start = parse_time("start", params.get("start", [None])[0])
            end = parse_time("end", params.get("end", [None])[0])
            step = float(params.get("step", ["0"])[0])
            if step <= 0:
                return bad_data("invalid parameter \"step\": zero or negative query resolution "
                                "step widths are not accepted. Try a positive integer")
            if end < start:
                return bad_data('invalid parameter "end": end timestamp must not be before start time')
            if (end - start) / step > 11000:
                return bad_data("exceeded maximum resolution of 11,000 points per timeseries. "
                                "Try decreasing the query resolution (?step=XX)")
            vals, t = [], start
            while t <= end + 1e-9:
                vals.append([fmt_time(t), "42"])
                t += step
            return 200, {"status": "success", "data": {"resultType": "matrix", "result": [
                {"metric": {"job": "demo"}, "values": vals}]}}
        if api == "query":
            t = parse_time("time", params.get("time", [str(time.time())])[0])
            return 200, {"status": "success", "data": {"resultType": "vector", "result": [
                {"metric": {"job": "demo"}, "value": [fmt_time(t), "42"]}]}}
    except ValueError as e:
        return bad_data(str(e))
    if api == "rules":
        return 200, {"status": "success", "data": {"groups": [{"name": "demo", "file": "demo.yml",
            "rules": [{"state": "firing", "name": "DemoDown", "query": "up == 0", "duration": 0,
                       "labels": {"severity": "critical"}, "annotations": {"summary": "demo"},
                       "alerts": [{"labels": {"alertname": "DemoDown", "severity": "critical"},
                                   "annotations": {"summary": "demo"}, "state": "firing",
                                   "activeAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z",
                                                             time.gmtime(time.time() - 300)),
                                   "value": "0e+00"}],
                       "health": "ok", "type": "alerting"}]}]}}
    if api == "alerts":
        return 200, {"status": "success", "data": {"alerts": []}}
    if api.startswith("label/") and api.endswith("/values"):
        return 200, {"status": "success", "data": ["demo", "other"]}
    if api == "labels":
        return 200, {"status": "success", "data": ["__name__", "job"]}
    if api == "status/buildinfo":
        return 200, {"status": "success", "data": {"version": "prom_misbehave"}}
    if api == "query_exemplars":
        return 200, {"status": "success", "data": []}
    return 404, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_json(self, code, obj, extra=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_text(self, code, ctype, text):
        body = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def params(self):
        u = urllib.parse.urlsplit(self.path)
        p = urllib.parse.parse_qs(u.query)
        if self.command == "POST":
            n = int(self.headers.get("Content-Length", "0"))
            p.update(urllib.parse.parse_qs(self.rfile.read(n).decode()))
        return u.path, p

    def hang(self):
        # hold the connection open without a byte of answer, until the
        # client gives up (then it no longer counts as in flight)
        deadline = time.time() + 120
        while time.time() < deadline:
            r, _, _ = select.select([self.connection], [], [], 0.1)
            if r:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        break
                except OSError:
                    break
        self.close_connection = True

    def huge(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        head = b'{"status":"success","data":{"resultType":"matrix","result":['
        series = b'{"metric":{"job":"huge","i":"%d"},"values":[' + b",".join(
            [b'[1700000000,"1"]'] * 2000) + b"]},"
        sent, i = 0, 0
        try:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(head), head))
            while sent < 100 * 1000 * 1000:
                chunk = series.replace(b"%d", str(i).encode())
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                i += 1
            tail = b'{"metric":{},"values":[]}]}}'
            self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(tail), tail))
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def handle_any(self):
        key = self.path.split("?")[0]
        with LOCK:
            IN_FLIGHT[key] = IN_FLIGHT.get(key, 0) + 1
            n = IN_FLIGHT[key]
        try:
            log(self.command, self.path, n)
            path, params = self.params()
            parts = path.split("/", 2)
            mode = parts[1] if len(parts) > 1 else ""
            rest = parts[2] if len(parts) > 2 else ""
            api = rest[len("api/v1/"):] if rest.startswith("api/v1/") else None
            self.dispatch(mode, api, params)
        finally:
            with LOCK:
                IN_FLIGHT[key] -= 1

    def dispatch(self, mode, api, params):
        if mode == "okthenhang":
            with LOCK:
                first = api not in SEEN
                SEEN.add(api)
            mode = "ok" if first or api == "status/buildinfo" else "hang"
        if mode == "hang":
            return self.hang()
        if mode == "html":
            return self.send_text(502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title>"
                                  "</head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                                  "<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n")
        if mode == "sso":
            return self.send_text(200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head>"
                                  "<title>Sign in - Example Corp SSO</title></head><body>login"
                                  "</body></html>")
        if mode == "busy":
            return self.send_json(503, {"status": "error", "errorType": "unavailable",
                                        "error": "too many concurrent queries"},
                                  {"Retry-After": "3"})
        if mode == "huge":
            return self.huge()
        if api is None:
            return self.send_text(404, "text/plain; charset=utf-8", "404 page not found\n")
        code, obj = answer_ok(api, params)
        if obj is None:
            return self.send_text(404, "text/plain; charset=utf-8", "404 page not found\n")
        if mode == "truncated" and code == 200:
            body = json.dumps(obj).encode()
            body = body[:len(body) // 2]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if mode == "partial" and code == 200:
            obj["warnings"] = ["receive 10.0.3.7:10901: store unavailable, partial response"]
            obj["infos"] = ["PromQL info: metric might not be a counter, name does not end in _total"]
        if mode in ("ok", "truncated", "partial"):
            return self.send_json(code, obj)
        return self.send_text(404, "text/plain; charset=utf-8", "404 page not found\n")

    do_GET = handle_any
    do_POST = handle_any


def main():
    global LOG
    port = int(sys.argv[1])
    if "--log" in sys.argv:
        LOG = sys.argv[sys.argv.index("--log") + 1]
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    print("listening on 127.0.0.1:%d" % port, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
