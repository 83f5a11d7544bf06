#!/usr/bin/env python3
"""prom_mesh.py: a Prometheus HTTP API v1 server answering the topology
panel's instant queries (reference/apis.md 1.3, 5.3) with a mesh whose
service names are the hostile payloads (tests/hostile/payloads.py).

Usage: prom_mesh.py PORT [--services N] [--plain N]

With --plain N the names are plain instead ("web-3", "api-12", ...): N
services in three namespaces (edge, shop, data) calling down tiers, a
few calling back up (cycles), for layout and readability checks of
larger meshes.

Real Prometheus refuses label values that are not valid UTF-8, so this
stands in for a misbehaving or compromised backend: label values carry
raw escape sequences, C1 controls, bidi overrides and invalid UTF-8, as
a hostile server would send them (JSON string escapes for controls, raw
bytes for the rest).

  GET|POST /api/v1/query   query containing "istio_requests_total":
                           "gateway" calls every payload service (200s),
                           every payload service calls "db" (every third
                           with 503s); "histogram_quantile": a P99 per
                           edge, the highest for the first payloads (the
                           escape sequences head the worst-first lists);
                           anything else: an empty vector.  The
                           documented 400 bad_data for a missing query.
  GET /api/v1/status/buildinfo
Python 3 standard library only.
"""
import os
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile"))
import payloads  # noqa: E402

NAMES = []


def metric(pairs):
    parts = [b'"%s":%s' % (k.encode(), payloads.json_string(v if isinstance(v, bytes) else v.encode()))
             for k, v in pairs]
    return b"{" + b",".join(parts) + b"}"


def sample(labels, t, v):
    return b'{"metric":%s,"value":[%.3f,"%s"]}' % (metric(labels), t, v.encode())


NS = {}
CALLS = []


def edge(src, dst, extra):
    return [("source_workload", src), ("source_workload_namespace", NS.get(src, "shop")),
            ("destination_service_name", dst), ("destination_service_namespace", NS.get(dst, "shop"))] + extra


def plain_mesh(n):
    """Tiered services (gateway, web, api, svc, db) and their calls."""
    tiers = [("gw", "edge", max(1, n // 15)), ("web", "edge", max(1, n // 6)),
             ("api", "shop", max(1, n // 3)), ("svc", "shop", max(1, n // 4))]
    tiers.append(("db", "data", max(1, n - sum(t[2] for t in tiers))))
    names = [["%s-%d" % (p, i) for i in range(k)] for p, _, k in tiers]
    for (p, ns, k), group in zip(tiers, names):
        for name in group:
            NS[name] = ns
    calls, x = [], 7
    for t in range(len(tiers) - 1):
        for i, name in enumerate(names[t]):
            for j in range(2 if t else 3):
                x = (x * 1103515245 + 12345) % (1 << 31)
                dst = names[t + 1][(i * 3 + j + x % 5) % len(names[t + 1])]
                calls.append((name, dst))
            if t == 2 and i % 9 == 0:           # a call back up: a cycle
                calls.append((name, names[1][i % len(names[1])]))
    return [n.encode() for g in names for n in g], sorted(set(calls))


def answer(query, t):
    out = []
    if CALLS:
        for i, (a, b) in enumerate(CALLS):
            if "istio_requests_total" in query:
                out.append(sample(edge(a, b, [("response_code", "200")]), t, "%d" % (5 + i % 40)))
                if i % 11 == 0:
                    out.append(sample(edge(a, b, [("response_code", "503")]), t, "2"))
            elif "histogram_quantile" in query:
                out.append(sample(edge(a, b, []), t, "%d" % (15 + (i * 37) % 400)))
        return (b'{"status":"success","data":{"resultType":"vector","result":[' + b",".join(out) + b"]}}")
    if "istio_requests_total" in query:
        for i, name in enumerate(NAMES):
            out.append(sample(edge("gateway", name, [("response_code", "200")]), t, "10"))
            out.append(sample(edge(name, "db", [("response_code", "200")]), t, "5"))
            if i % 3 == 0:
                out.append(sample(edge(name, "db", [("response_code", "503"), ("response_flags", name)]),
                                  t, "5"))
    elif "histogram_quantile" in query:
        for i, name in enumerate(NAMES):
            out.append(sample(edge("gateway", name, []), t, "%d" % (20 + i)))
            out.append(sample(edge(name, "db", []), t, "%d" % (900 + 50 * (len(NAMES) - i))))
    return (b'{"status":"success","data":{"resultType":"vector","result":[' + b",".join(out) + b"]}}")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        if self.command == "POST":
            n = int(self.headers.get("Content-Length") or 0)
            q.update(urllib.parse.parse_qs(self.rfile.read(n).decode("utf-8", "replace")))
        if u.path == "/api/v1/status/buildinfo":
            return self.send(200, b'{"status":"success","data":{"version":"prom_mesh"}}')
        if u.path != "/api/v1/query":
            return self.send(404, b'{"status":"error","errorType":"not_found","error":"not found"}')
        query = q.get("query", [""])[0]
        if not query:
            return self.send(400, b'{"status":"error","errorType":"bad_data","error":"invalid '
                             b'parameter \\"query\\": 1:1: parse error: no expression found in input"}')
        t = float(q.get("time", [str(time.time())])[0])
        return self.send(200, answer(query, t))

    do_GET = handle_any
    do_POST = handle_any


def main():
    global NAMES
    port = int(sys.argv[1])
    n = int(sys.argv[sys.argv.index("--services") + 1]) if "--services" in sys.argv else len(payloads.PAYLOADS)
    NAMES = payloads.PAYLOADS[:n]
    if "--plain" in sys.argv:
        global CALLS
        NAMES, CALLS = plain_mesh(int(sys.argv[sys.argv.index("--plain") + 1]))
        CALLS = [(a, b) for a, b in CALLS]
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    print("listening on 127.0.0.1:%d" % port, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
