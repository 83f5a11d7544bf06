"""tracedata: the traces the Tempo and Jaeger test servers serve.

One neutral model (ids in hex, times in ns) rendered by each server in
its own documented JSON.  The traces tell the seed incident
(tests/fixtures/incident/STORY.md): the canonical failing request
4bf92f3577b34da6a3ce929d0e0e4736 at 02:17:42Z is frontend POST /checkout
(8.6 s) -> order PlaceOrder (8.41 s) -> three payment Charge retries of
~2.8 s each ending in 503 UO, with inventory Reserve (20 ms) running
beside the first retry; healthy traces before 02:17, failing ones after.
Special ids serve malformed and hostile traces for robustness tests.
"""

import hashlib

S = 1_000_000_000
MS = 1_000_000
INCIDENT = 1795659420          # 2026-11-26T02:17:00Z
CANON = "4bf92f3577b34da6a3ce929d0e0e4736"

# ids of the special traces
CYCLE = "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c001"
ORPHANS = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0002"
DUPS = "d0d0d0d0d0d0d0d0d0d0d0d0d0d0d003"
OUTSIDE = "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e004"
HOSTILE = "e5c0e5c0e5c0e5c0e5c0e5c0e5c0e005"
HOSTILE_ALL = "e5c0e5c0e5c0e5c0e5c0e5c0e5c0e276"   # every payload of tests/hostile
HOSTILE_CLEAN = "e5c0e5c0e5c0e5c0e5c0e5c0e5c0e277"  # the same trace in plain text
BIG = "b16b16b16b16b16b16b16b16b16b5000"
HUGE = "deadbeefdeadbeefdeadbeef00000100"    # 100 MB answer
TOO_LARGE = "42242242242242242242242242242422"   # 422 (v1), partial (v2)
FAILS = "50050050050050050050050050050500"   # 500
SHORT = "0000000000000000a3ce929d0e0e4736"   # 64-bit id: search trims it
EMPTY = "00000000000000000000000000e0e0e0"   # a trace without spans

RESOURCES = {
    "frontend": {"pod": "frontend-7d4b9c6f5-m2x8q", "version": "2.14.0"},
    "cart": {"pod": "cart-5f6d7c8b9-k3j7w", "version": "1.9.2"},
    "order": {"pod": "order-6b7d9c5f8-x2k4p", "version": "3.2.1"},
    "payment": {"pod": "payment-7c9f8d6b5-q8x2n", "version": "4.0.0-rc1"},
    "inventory": {"pod": "inventory-6c5d4b3a2-p9r4t", "version": "1.4.7"},
}

OVERFLOW = ("upstream connect error or disconnect/reset before headers. "
            "reset reason: overflow")


def hid(*parts, n=16):
    """A deterministic hex id."""
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()[:n]


def span(sid, parent, svc, name, kind, start, end, status=0, msg="", attrs=(), events=(),
         follows=False):
    return {"span_id": sid, "parent_id": parent, "service": svc, "name": name,
            "kind": kind, "start": start, "end": end, "status": status,
            "status_msg": msg, "attrs": list(attrs), "events": list(events),
            "follows": follows}


def http_attrs(method, route, code, extra=()):
    return [("http.method", "string", method), ("http.route", "string", route),
            ("http.status_code", "int", code)] + list(extra)


def failing(tid, t0):
    """The incident's failing checkout, as described in STORY.md."""
    def at(sec):
        return t0 + int(round(sec * S))
    a, b, c, d = hid(tid, "a"), hid(tid, "b"), hid(tid, "c"), hid(tid, "d")
    if tid == CANON:
        a, c = "53995c3f42cd8ad8", "00f067aa0ba902b7"
    spans = [
        span(a, "", "frontend", "POST /checkout", 2, at(0), at(8.6), 2, "503 Service Unavailable",
             http_attrs("POST", "/checkout", 503)),
        span(b, a, "cart", "GetCart", 2, at(0.010), at(0.045), 0, "",
             [("rpc.system", "string", "grpc"), ("cart.items", "int", 3)]),
        span(c, a, "order", "PlaceOrder", 2, at(0.150), at(8.560), 2,
             "payment failed after 3 attempts",
             [("rpc.system", "string", "grpc"), ("order.id", "string", "ord-" + tid[:6])],
             [(at(3.000), "retry", [("attempt", "int", 2)]),
              (at(5.810), "retry", [("attempt", "int", 3)])]),
        span(d, c, "inventory", "Reserve", 2, at(0.190), at(0.210), 0, "",
             [("rpc.system", "string", "grpc"), ("inventory.sku", "string", "SKU-1187")]),
    ]
    for i, (s0, s1) in enumerate([(0.195, 2.995), (3.005, 5.805), (5.815, 8.545)]):
        spans.append(span(hid(tid, "e", i), c, "payment", "Charge", 2, at(s0), at(s1), 2,
                          "503 UO",
                          http_attrs("POST", "/v1/charge", 503,
                                     [("response_flags", "string", "UO"),
                                      ("upstream_cluster", "string",
                                       "outbound|8080||payment.shop.svc.cluster.local"),
                                      ("retry.attempt", "int", i + 1)]),
                          [(at(s1 - 0.001), "exception",
                            [("exception.type", "string", "UpstreamOverflow"),
                             ("exception.message", "string", OVERFLOW)])]))
    return {"trace_id": tid, "spans": spans}


def healthy(tid, t0):
    def at(sec):
        return t0 + int(round(sec * S))
    a, c = hid(tid, "a"), hid(tid, "c")
    return {"trace_id": tid, "spans": [
        span(a, "", "frontend", "POST /checkout", 2, at(0), at(0.172), 0, "",
             http_attrs("POST", "/checkout", 200)),
        span(hid(tid, "b"), a, "cart", "GetCart", 2, at(0.005), at(0.038)),
        span(c, a, "order", "PlaceOrder", 2, at(0.045), at(0.160)),
        span(hid(tid, "d"), c, "inventory", "Reserve", 2, at(0.050), at(0.071)),
        span(hid(tid, "e"), c, "payment", "Charge", 2, at(0.075), at(0.150), 0, "",
             http_attrs("POST", "/v1/charge", 200)),
    ]}


def cycle_trace():
    t0 = (INCIDENT + 120) * S
    return {"trace_id": CYCLE, "spans": [
        span("1000000000000001", "", "frontend", "GET /cart", 2, t0, t0 + 400 * MS),
        span("1000000000000002", "1000000000000004", "cart", "loop-a", 1, t0 + 10 * MS, t0 + 90 * MS),
        span("1000000000000003", "1000000000000002", "cart", "loop-b", 1, t0 + 20 * MS, t0 + 80 * MS),
        span("1000000000000004", "1000000000000003", "cart", "loop-c", 1, t0 + 30 * MS, t0 + 70 * MS),
        span("1000000000000005", "1000000000000005", "cart", "self-parent", 1, t0 + 100 * MS,
             t0 + 150 * MS),
        span("1000000000000006", "1000000000000001", "cart", "GetCart", 2, t0 + 200 * MS,
             t0 + 390 * MS),
    ]}


def orphan_trace():
    t0 = (INCIDENT + 130) * S
    return {"trace_id": ORPHANS, "spans": [
        span("2000000000000001", "", "frontend", "GET /product", 2, t0, t0 + 300 * MS),
        span("2000000000000002", "2000000000000001", "cart", "GetCart", 2, t0 + 10 * MS,
             t0 + 100 * MS),
        span("2000000000000003", "2999999999999999", "payment", "Refund", 2, t0 + 50 * MS,
             t0 + 250 * MS, 2, "lost parent"),
        span("2000000000000004", "2000000000000003", "payment", "LedgerWrite", 3, t0 + 60 * MS,
             t0 + 200 * MS),
    ]}


def dup_trace():
    t0 = (INCIDENT + 140) * S
    return {"trace_id": DUPS, "spans": [
        span("3000000000000001", "", "frontend", "GET /orders", 2, t0, t0 + 200 * MS),
        span("3000000000000002", "3000000000000001", "order", "ListOrders", 2, t0 + 10 * MS,
             t0 + 150 * MS),
        span("3000000000000002", "3000000000000001", "order", "ListOrders (copy)", 2, t0 + 12 * MS,
             t0 + 140 * MS),
        span("3000000000000003", "3000000000000002", "inventory", "Lookup", 2, t0 + 20 * MS,
             t0 + 60 * MS),
    ]}


def outside_trace():
    t0 = (INCIDENT + 150) * S
    return {"trace_id": OUTSIDE, "spans": [
        span("4000000000000001", "", "frontend", "GET /health", 2, t0, t0 + 100 * MS),
        span("4000000000000002", "4000000000000001", "cart", "epoch-zero", 1, 1000, 2000),
        span("4000000000000003", "4000000000000001", "cart", "far-future", 1,
             4102444800 * S, 4102444800 * S + MS),
        span("4000000000000004", "4000000000000001", "cart", "negative", 1, t0 + 50 * MS,
             t0 + 40 * MS),
        span("4000000000000005", "4000000000000001", "cart", "in-window", 1, t0 + 20 * MS,
             t0 + 60 * MS),
    ]}


def hostile_trace():
    t0 = (INCIDENT + 160) * S
    evil = "ok\x1b[31mRED\x1b]0;owned\x07\u202eevil"
    return {"trace_id": HOSTILE, "spans": [
        span("5000000000000001", "", "front\x1b[2Jend", "GET /" + evil, 2, t0, t0 + 50 * MS, 2,
             evil, [("note", "string", evil)]),
    ]}


def hostile_all_trace(clean=False):
    """Every payload of tests/hostile/payloads.py in a span of its own: the
    span name ("N017:" + payload 17), the service (every span its own,
    "V017:"...), an attribute value ("K017:"), the status message
    ("M017:") and an event's name ("E017:").  Invalid UTF-8 is kept as
    surrogate escapes, which tempo.py and jaeger.py send as the raw bytes.
    clean: the same trace with "plain text N" for each payload."""
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile"))
    import payloads
    t0 = (INCIDENT + 170) * S
    root = "7000000000000000"
    spans = [span(root, "", "frontend", "GET /hostile", 2, t0, t0 + 400 * MS)]
    for i, p in enumerate(payloads.PAYLOADS):
        txt = "plain text %d" % i if clean else p.decode("utf-8", "surrogateescape")
        at = t0 + (i + 1) * MS
        spans.append(span("%016x" % (0x7000000000000001 + i), root, "V%03d:%s" % (i, txt),
                          "N%03d:%s" % (i, txt), 1, at, at + MS, 2, "M%03d:%s" % (i, txt),
                          [("hostile.value", "string", "K%03d:%s" % (i, txt))],
                          [(at, "E%03d:%s" % (i, txt), [])]))
    return {"trace_id": HOSTILE_CLEAN if clean else HOSTILE_ALL, "spans": spans}


def big_trace(n=5000):
    """A 5,000-span trace: a 4-way fan-out tree whose children overlap
    (staggered starts, the later ones finish last, as parallel calls do),
    some errors, realistic attributes."""
    t0 = (INCIDENT + 200) * S
    svcs = ["frontend", "cart", "order", "payment", "inventory", "shipping", "email", "fraud"]
    spans, iv = [], {}
    for i in range(n):
        if i == 0:
            start, end, parent = t0, t0 + 3 * S, ""
        else:
            p = (i - 1) // 4
            ps, pe = iv[p]
            k = (i - 1) % 4
            start = ps + (pe - ps) * k // 10
            end = start + (pe - start) * (5 + k) // 10
            parent = "%016x" % (0x6000000000000000 + p)
        iv[i] = (start, end)
        err = i % 97 == 0 and i > 0
        spans.append(span("%016x" % (0x6000000000000000 + i), parent, svcs[i % len(svcs)],
                          "op-%d" % (i % 37), 2 if i % 2 else 3, start, end,
                          2 if err else 0, "",
                          http_attrs("GET", "/api/item/%d" % (i % 50), 500 if err else 200,
                                     [("peer.service", "string", svcs[(i + 1) % len(svcs)]),
                                      ("db.statement", "string",
                                       "SELECT * FROM items WHERE id = %d" % i)])))
    return {"trace_id": BIG, "spans": spans}


def short_trace():
    t = healthy(SHORT, (INCIDENT - 300) * S)
    t["trace_id"] = SHORT
    return t


def build():
    traces = {}
    traces[CANON] = failing(CANON, (INCIDENT + 42) * S)
    for k in range(6):  # healthy, 02:10 .. 02:16
        tid = hid("healthy", k, n=32)
        traces[tid] = healthy(tid, (INCIDENT - 420 + 60 * k) * S)
    for k in range(5):  # failing, after 02:18
        tid = hid("failing", k, n=32)
        traces[tid] = failing(tid, (INCIDENT + 70 + 180 * k) * S)
    for t in (cycle_trace(), orphan_trace(), dup_trace(), outside_trace(), hostile_trace(),
              hostile_all_trace(), hostile_all_trace(True), big_trace(), short_trace()):
        traces[t["trace_id"]] = t
    traces[EMPTY] = {"trace_id": EMPTY, "spans": []}
    too = failing(TOO_LARGE, (INCIDENT + 600) * S)
    traces[TOO_LARGE] = too
    return traces


TRACES = build()
SEARCHABLE = [t for t in TRACES.values()
              if t["spans"] and t["trace_id"] not in (BIG, HOSTILE, HOSTILE_ALL, HOSTILE_CLEAN,
                                                  TOO_LARGE)]


def norm_id(s):
    """Normalise a requested id: hex, up to 32 digits, left-padded."""
    s = s.strip().lower()
    if not s or len(s) > 32 or any(ch not in "0123456789abcdef" for ch in s):
        return None
    return s.rjust(32, "0")


def root_of(t):
    roots = [s for s in t["spans"] if not s["parent_id"]]
    return roots[0] if roots else t["spans"][0]


def bounds(t):
    return (min(s["start"] for s in t["spans"]), max(s["end"] for s in t["spans"]))


def by_service(t):
    out = {}
    for s in t["spans"]:
        out.setdefault(s["service"], []).append(s)
    return out
