#!/usr/bin/env python3
"""A scrape target exposing OpenMetrics exemplars, for the real Prometheus
run with --enable-feature=exemplar-storage (Python 3 stdlib only).

  GET /metrics   Content-Type: application/openmetrics-text; version=1.0.0
  GET /ready     "ready"

It exposes istio_request_duration_milliseconds (a histogram, the Istio
labels of tests/fixtures/prom) for the frontend -> order and
order -> payment edges.  Bucket lines carry exemplars

  ..._bucket{...,le="10000.0"} 12 # {trace_id="4bf92f35..."} 8410.0 1795659470.56

whose trace ids are the traces tests/servers/tempo.py and jaeger.py serve
(tests/servers/tracedata.py): the exemplar of a trace is its order
PlaceOrder span (order edge) or its first payment Charge span (payment
edge), value = the span's duration in ms, timestamp = the span's end.
A series holds one exemplar per scrape (Prometheus keeps only exemplars
newer than the last one of a series), so every exemplar of a bucket gets
a series of its own: label pod="<edge>-<k>" for the k-th exemplar of that
bucket, and the first scrape delivers all of them (repeats are dropped as
duplicates).  GET /ctl/plan lists them as JSON ([[trace_id, value, ts,
le, edge], ...]) so tests can wait for and compare what
/api/v1/query_exemplars answers.

--hostile adds one payment exemplar whose trace_id is not a trace id and
carries escape sequences (what a terminal must never see raw).
Counters grow by each scrape, as a histogram's do.
"""

import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracedata as td  # noqa: E402

LE = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000]
EDGES = {
    "order": {"source_workload": "frontend", "destination": "order"},
    "payment": {"source_workload": "order", "destination": "payment"},
}
HOSTILE_ID = "\x1b[31mnot-a-trace\x1b]0;owned\x07\u202e"


def edge_labels(edge):
    e = EDGES[edge]
    d = e["destination"]
    return [("reporter", "destination"), ("source_workload", e["source_workload"]),
            ("source_workload_namespace", "shop"),
            ("destination_service", "%s.shop.svc.cluster.local" % d),
            ("destination_service_name", d), ("destination_service_namespace", "shop"),
            ("destination_workload", d), ("response_flags", "-")]


def le_text(le):
    return "+Inf" if le is None else repr(float(le))


def bucket_of(ms):
    for le in LE:
        if ms <= le:
            return le
    return None


def plan(hostile):
    """[(trace_id, value_ms, ts_seconds, le, edge)] from the trace data."""
    out = []
    ids = [td.CANON] + [td.hid("healthy", k, n=32) for k in range(6)] + \
        [td.hid("failing", k, n=32) for k in range(5)]
    for tid in ids:
        spans = td.TRACES[tid]["spans"]
        order = [s for s in spans if s["service"] == "order" and s["name"] == "PlaceOrder"]
        pay = sorted((s for s in spans if s["service"] == "payment" and s["name"] == "Charge"),
                     key=lambda s: s["start"])
        for edge, s in (("order", order[0] if order else None), ("payment", pay[0] if pay else None)):
            if not s:
                continue
            ms = (s["end"] - s["start"]) / td.MS
            out.append((tid, ms, s["end"] / td.S, bucket_of(ms), edge))
    if hostile:
        t = (td.INCIDENT + 300) * td.S
        out.append((HOSTILE_ID, 4200.0, t / td.S, 5000, "payment"))
    out.sort(key=lambda e: e[2])
    return out


class Target:
    def __init__(self, hostile):
        self.plan = plan(hostile)
        self.lock = threading.Lock()
        self.scrapes = 0
        self.groups = {}
        for e in self.plan:
            self.groups.setdefault((e[4], e[3]), []).append(e)
        self.pods = max(len(g) for g in self.groups.values())

    def body(self):
        with self.lock:
            n = self.scrapes
            self.scrapes += 1
        lines = ["# HELP istio_request_duration_milliseconds Request duration.",
                 "# TYPE istio_request_duration_milliseconds histogram",
                 "# UNIT istio_request_duration_milliseconds milliseconds"]
        for edge in EDGES:
            for k in range(self.pods):
                lines += self.series(edge, k, n)
        lines.append("# EOF")
        return ("\n".join(lines) + "\n").encode()

    def series(self, edge, k, n):
        base = ",".join('%s="%s"' % kv for kv in edge_labels(edge) + [("pod", "%s-%d" % (edge, k))])
        out, cum = [], 0
        for le in LE + [None]:
            cum += n + 1
            line = 'istio_request_duration_milliseconds_bucket{%s,le="%s"} %d' % (
                base, le_text(le), cum)
            g = self.groups.get((edge, le), [])
            if k < len(g):
                tid = g[k][0].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                line += ' # {trace_id="%s"} %s %.3f' % (tid, repr(float(g[k][1])), g[k][2])
            out.append(line)
        out.append("istio_request_duration_milliseconds_count{%s} %d" % (base, cum))
        out.append("istio_request_duration_milliseconds_sum{%s} %d" % (base, cum * 100))
        return out


TARGET = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def send(self, code, body, ctype):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/metrics":
            self.send(200, TARGET.body(),
                      "application/openmetrics-text; version=1.0.0; charset=utf-8")
        elif path == "/ready":
            self.send(200, b"ready\n", "text/plain; charset=utf-8")
        elif path == "/ctl/plan":
            body = json.dumps([[e[0], e[1], e[2], le_text(e[3]), e[4]] for e in TARGET.plan])
            self.send(200, body.encode(), "application/json")
        elif path == "/ctl/scrapes":
            self.send(200, b"%d\n" % TARGET.scrapes, "text/plain; charset=utf-8")
        else:
            self.send(404, b"404 page not found\n", "text/plain; charset=utf-8")


def main():
    global TARGET
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--hostile", action="store_true")
    a = ap.parse_args()
    TARGET = Target(a.hostile)
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    main()
