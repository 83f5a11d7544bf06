#!/usr/bin/env python3
"""A Jaeger query-service test server speaking the v1 JSON API (apis.md §3.3).

  GET /api/traces/<id>      {"data": [Trace], "total": 0, "limit": 0,
                             "offset": 0, "errors": null}
  GET /api/services         {"data": ["svc", ...], "total": n, ...}
  GET /api/services/<s>/operations
  GET /api/traces?service=&operation=&tags={json}&limit=&lookback=
                 &start=<µs>&end=<µs>&minDuration=&maxDuration=
Trace: lowercase hex ids (64-bit trace ids stay 16 digits), times and
durations in µs numbers, references CHILD_OF / FOLLOWS_FROM (roots have
none), typed tags, logs, the service in "processes" keyed by processID.
Errors use the envelope: 404 {"data": null, ..., "errors": [{"code": 404,
"msg": "trace not found"}]}, 400 "parameter 'service' is required", 500
for the failing id.
"""

import argparse
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import tracedata as td

ARGS = None
TYPES = {"int": "int64", "double": "float64", "bool": "bool", "string": "string"}
KIND = ["", "internal", "server", "client", "producer", "consumer"]


def tag(k, t, v):
    return {"key": k, "type": TYPES[t], "value": v}


def jaeger_id(tid):
    """Jaeger keeps 64-bit trace ids as 16 digits."""
    return tid[16:] if tid.startswith("0" * 16) else tid


def jtrace(t):
    procs, pid = {}, {}
    spans = []
    for s in t["spans"]:
        if s["service"] not in pid:
            p = "p%d" % (len(pid) + 1)
            pid[s["service"]] = p
            r = td.RESOURCES.get(s["service"], {"pod": s["service"] + "-0", "version": "0"})
            procs[p] = {"serviceName": s["service"],
                        "tags": [tag("hostname", "string", r["pod"]),
                                 tag("k8s.namespace.name", "string", "shop"),
                                 tag("k8s.pod.name", "string", r["pod"])]}
        tags = [tag(k, ty, v) for k, ty, v in s["attrs"]]
        if KIND[s["kind"]]:
            tags.append(tag("span.kind", "string", KIND[s["kind"]]))
        if s["status"] == 2:
            tags.append(tag("error", "bool", True))
            tags.append(tag("otel.status_code", "string", "ERROR"))
            if s["status_msg"]:
                tags.append(tag("otel.status_description", "string", s["status_msg"]))
        js = {"traceID": jaeger_id(t["trace_id"]), "spanID": s["span_id"],
              "operationName": s["name"], "startTime": s["start"] // 1000,
              "duration": (s["end"] - s["start"]) // 1000, "flags": 1,
              "processID": pid[s["service"]], "warnings": None}
        if s["parent_id"]:
            js["references"] = [{"refType": "FOLLOWS_FROM" if s["follows"] else "CHILD_OF",
                                 "traceID": jaeger_id(t["trace_id"]), "spanID": s["parent_id"]}]
        if tags:
            js["tags"] = tags
        if s["events"]:
            js["logs"] = [{"timestamp": et // 1000,
                           "fields": [tag("event", "string", n)] + [tag(k, ty, v) for k, ty, v in a]}
                          for et, n, a in s["events"]]
        spans.append(js)
    return {"traceID": jaeger_id(t["trace_id"]), "spans": spans, "processes": procs,
            "warnings": None}


def envelope(data, errors=None, total=0):
    return {"data": data, "total": total, "limit": 0, "offset": 0, "errors": errors}


def dur_us(s):
    m = re.fullmatch(r"([0-9.]+)(us|µs|ms|s|m|h)", s)
    if not m:
        raise ValueError("unable to parse param 'minDuration': time: invalid duration %s" % s)
    return float(m.group(1)) * {"us": 1, "µs": 1, "ms": 1e3, "s": 1e6, "m": 60e6, "h": 3600e6}[m.group(2)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def send(self, code, obj):
        # raw UTF-8; the surrogate escapes of tracedata's hostile payloads
        # go out as the invalid bytes they stand for, as a hostile server's would
        data = json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogateescape")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def err(self, code, msg):
        self.send(code, envelope(None, [{"code": code, "msg": msg}]))

    def do_GET(self):
        u = urlparse(self.path)
        qs = parse_qs(u.query)
        if ARGS.log:
            with open(ARGS.log, "a") as f:
                f.write("GET %s\n" % self.path)
        if u.path == "/api/services":
            names = sorted({s["service"] for t in td.SEARCHABLE for s in t["spans"]})
            return self.send(200, envelope(names, total=len(names)))
        m = re.fullmatch(r"/api/services/([^/]+)/operations", u.path)
        if m:
            ops = sorted({s["name"] for t in td.SEARCHABLE for s in t["spans"]
                          if s["service"] == m.group(1)})
            return self.send(200, envelope(ops, total=len(ops)))
        m = re.fullmatch(r"/api/traces/([^/]+)", u.path)
        if m:
            tid = td.norm_id(m.group(1))
            if tid is None:
                return self.err(400, "strconv.ParseUint: parsing %r: invalid syntax" % m.group(1)[:40])
            if tid == td.FAILS:
                return self.err(500, "failed to read from storage: connection refused")
            t = td.TRACES.get(tid)
            if t is None or tid == td.HUGE:
                return self.err(404, "trace not found")
            return self.send(200, envelope([jtrace(t)]))
        if u.path == "/api/traces":
            return self.search(qs)
        return self.err(404, "404 page not found")

    def search(self, qs):
        svc = qs.get("service", [""])[0]
        if not svc:
            return self.err(400, "parameter 'service' is required")
        try:
            mind = dur_us(qs["minDuration"][0]) if "minDuration" in qs else None
            maxd = dur_us(qs["maxDuration"][0]) if "maxDuration" in qs else None
            tags = json.loads(qs["tags"][0]) if "tags" in qs else {}
        except (ValueError, json.JSONDecodeError) as e:
            return self.err(400, str(e))
        op = qs.get("operation", [""])[0]
        limit = int(qs.get("limit", ["20"])[0])
        start = int(qs["start"][0]) * 1000 if "start" in qs else None
        end = int(qs["end"][0]) * 1000 if "end" in qs else None
        out = []
        for t in sorted(td.SEARCHABLE, key=lambda x: -td.bounds(x)[0]):
            lo, hi = td.bounds(t)
            if start is not None and end is not None and (hi < start or lo > end):
                continue
            if mind is not None and (hi - lo) / 1000 < mind or maxd is not None and (hi - lo) / 1000 > maxd:
                continue
            def ok(s):
                if s["service"] != svc or (op and s["name"] != op):
                    return False
                attrs = {k: str(v) for k, _, v in s["attrs"]}
                if s["status"] == 2:
                    attrs["error"] = "true"
                return all(attrs.get(k) == str(v) for k, v in tags.items())
            if any(ok(s) for s in t["spans"]):
                out.append(jtrace(t))
            if len(out) >= limit:
                break
        return self.send(200, envelope(out, total=len(out)))


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log")
    ARGS = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    srv.daemon_threads = True
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
