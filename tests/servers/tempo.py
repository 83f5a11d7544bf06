#!/usr/bin/env python3
"""A Tempo test server speaking the documented HTTP API (apis.md §3.1, §3.2).

  GET /ready, /api/echo
  GET /api/traces/<id>[?start=&end=]   v1: {"batches": [...]}, gogo jsonpb:
        ids base64 of the raw bytes, uint64 times as strings, enum names,
        zero values omitted (no parentSpanId on roots, "status": {} unset)
  GET /api/v2/traces/<id>              {"trace": {"resourceSpans": [...]},
        "status": "COMPLETE"|"PARTIAL", "message": ...}
  GET /api/search?q=|tags=&minDuration=&maxDuration=&limit=&start=&end=
        {"traces": [...], "metrics": {...}}; ids hex with leading zeros trimmed
Errors are plain text as Tempo sends them: 404 "trace not found", 422 for a
trace over the size limit (v1; v2 returns it PARTIAL), 400 for a bad id or
TraceQL, 500 for the failing id; a route it does not have answers Go's
"404 page not found".

Flavours (--flavor): v2 (default: both paths, scopeSpans), v1 (no /api/v2,
scopeSpans), legacy (no /api/v2, instrumentationLibrarySpans: Tempo < 2.0).
--tenant T requires X-Scope-OrgID: T (401 "no org id" otherwise);
--token-file F requires Authorization: Bearer <contents>.
Every request is logged to --log FILE as "METHOD PATH ORGID AUTH".
--story --clock START,SPEED,EPOCH (the demo stack): also every trace whose
id the seed incident's log lines carry (story.py rebuilds it from the id),
and search over them instead of the fixed set; "now" (a search without
start/end) is the demo clock.
"""

import argparse
import base64
import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import tracedata as td

KINDS = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
         "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"]
CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]
ARGS = None
CLOCK = None


def b64(hexid):
    return base64.b64encode(bytes.fromhex(hexid)).decode()


def anyvalue(typ, v):
    if typ == "int":
        return {"intValue": str(v)}          # int64 -> string in jsonpb
    if typ == "double":
        return {"doubleValue": v}
    if typ == "bool":
        return {"boolValue": v}
    return {"stringValue": v}


def kvs(attrs):
    return [{"key": k, "value": anyvalue(t, v)} for k, t, v in attrs]


def otlp_span(s, tid):
    out = {"traceId": b64(tid), "spanId": b64(s["span_id"]), "name": s["name"],
           "kind": KINDS[s["kind"]], "startTimeUnixNano": str(s["start"]),
           "endTimeUnixNano": str(s["end"])}
    if s["parent_id"]:
        out["parentSpanId"] = b64(s["parent_id"])
    if s["attrs"]:
        out["attributes"] = kvs(s["attrs"])
    if s["events"]:
        out["events"] = [{"timeUnixNano": str(t), "name": n, "attributes": kvs(a)}
                         for t, n, a in s["events"]]
    st = {}
    if s["status"]:
        st["code"] = CODES[s["status"]]
    if s["status_msg"]:
        st["message"] = s["status_msg"]
    out["status"] = st
    return out


def resource(svc):
    r = td.RESOURCES.get(svc, {"pod": svc + "-0", "version": "0"})
    return {"attributes": kvs([("service.name", "string", svc),
                               ("service.namespace", "string", "shop"),
                               ("service.version", "string", r["version"]),
                               ("k8s.namespace.name", "string", "shop"),
                               ("k8s.pod.name", "string", r["pod"])])}


def batches(t, legacy):
    out = []
    for svc, spans in td.by_service(t).items():
        inner = {"spans": [otlp_span(s, t["trace_id"]) for s in spans]}
        scope = {"name": "io.opentelemetry.grpc", "version": "1.32.0"}
        if legacy:
            inner["instrumentationLibrary"] = scope
            out.append({"resource": resource(svc), "instrumentationLibrarySpans": [inner]})
        else:
            inner["scope"] = scope
            out.append({"resource": resource(svc), "scopeSpans": [inner]})
    return out


def dur_ns(s):
    m = re.fullmatch(r"\s*([0-9.]+)\s*(ns|us|µs|ms|s|m|h)\s*", s)
    if not m:
        raise ValueError(s)
    mult = {"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9}
    return int(float(m.group(1)) * mult[m.group(2)])


class TraceQLError(Exception):
    pass


COND = re.compile(r'\s*([A-Za-z_.][A-Za-z0-9_.]*)\s*(=~|!=|>=|<=|=|>|<)\s*'
                  r'("(?:[^"\\]|\\.)*"|[A-Za-z0-9_.]+)\s*$')


def parse_traceql(q):
    """A small TraceQL subset: { cond && cond ... } with attribute, name,
    status, kind and duration conditions."""
    m = re.fullmatch(r"\s*\{(.*)\}\s*", q, re.S)
    if not m:
        raise TraceQLError("parse error at line 1, col 1: syntax error: unexpected IDENTIFIER")
    conds = []
    body = m.group(1).strip()
    if not body:
        return conds
    for part in body.split("&&"):
        c = COND.fullmatch(part)
        if not c:
            raise TraceQLError("parse error at line 1, col %d: syntax error: unexpected %s"
                               % (q.find(part.strip()) + 1, part.strip()[:20] or "}"))
        lhs, op, rhs = c.groups()
        if rhs.startswith('"'):
            rhs = json.loads(rhs)
        conds.append((lhs, op, rhs))
    return conds


def span_value(s, lhs):
    if lhs == "duration":
        return s["end"] - s["start"]
    if lhs == "name":
        return s["name"]
    if lhs == "status":
        return ["unset", "ok", "error"][s["status"]]
    if lhs == "kind":
        return ["unspecified", "internal", "server", "client", "producer", "consumer"][s["kind"]]
    key = lhs
    for pre in ("resource.", "span.", "."):
        if key.startswith(pre):
            key = key[len(pre):]
            break
    if key == "service.name":
        return s["service"]
    for k, _, v in s["attrs"]:
        if k == key:
            return v
    return None


def cond_ok(s, lhs, op, rhs):
    v = span_value(s, lhs)
    if v is None:
        return op == "!="
    if lhs == "duration":
        rhs = dur_ns(rhs)
    elif isinstance(v, int) and not isinstance(rhs, int):
        try:
            rhs = int(rhs)
        except ValueError:
            return False
    if op == "=":
        return v == rhs or str(v) == str(rhs)
    if op == "!=":
        return str(v) != str(rhs)
    if op == "=~":
        return re.fullmatch(str(rhs), str(v)) is not None
    try:
        return {">": v > rhs, "<": v < rhs, ">=": v >= rhs, "<=": v <= rhs}[op]
    except TypeError:
        return False


def logfmt(s):
    out = []
    for m in re.finditer(r'([^\s=]+)=("(?:[^"\\]|\\.)*"|\S+)', s):
        v = m.group(2)
        out.append((m.group(1), json.loads(v) if v.startswith('"') else v))
    return out


def search(qs):
    conds, tags = [], []
    if "q" in qs:
        conds = parse_traceql(qs["q"][0])
    if "tags" in qs:
        tags = logfmt(qs["tags"][0])
    mind = dur_ns(qs["minDuration"][0]) if "minDuration" in qs else None
    maxd = dur_ns(qs["maxDuration"][0]) if "maxDuration" in qs else None
    limit = int(qs.get("limit", ["20"])[0])
    start = int(qs["start"][0]) * td.S if "start" in qs else None
    end = int(qs["end"][0]) * td.S if "end" in qs else None
    found = []
    for t in searchable(start, end, limit):
        lo, hi = td.bounds(t)
        if start is not None and end is not None and (hi < start or lo > end):
            continue
        if mind is not None and hi - lo < mind or maxd is not None and hi - lo > maxd:
            continue
        matched = [s for s in t["spans"]
                   if all(cond_ok(s, *c) for c in conds) and
                   all(str(span_value(s, k)) == v for k, v in tags)]
        if (conds or tags) and not matched:
            continue
        found.append((t, matched or t["spans"][:1]))
    found.sort(key=lambda x: -td.bounds(x[0])[0])
    out = []
    for t, matched in found[:limit]:
        lo, hi = td.bounds(t)
        root = td.root_of(t)
        stats = {}
        for s in t["spans"]:
            st = stats.setdefault(s["service"], {"spanCount": 0})
            st["spanCount"] += 1
            if s["status"] == 2:
                st["errorCount"] = st.get("errorCount", 0) + 1
        row = {"traceID": t["trace_id"].lstrip("0") or "0",    # Tempo trims leading zeros
               "rootServiceName": root["service"], "rootTraceName": root["name"],
               "startTimeUnixNano": str(lo),
               "spanSets": [{"spans": [{"spanID": s["span_id"], "name": s["name"],
                                        "startTimeUnixNano": str(s["start"]),
                                        "durationNanos": str(s["end"] - s["start"])}
                                       for s in matched[:3]],
                             "matched": len(matched)}],
               "serviceStats": stats}
        if (hi - lo) // td.MS:
            row["durationMs"] = (hi - lo) // td.MS      # omitted when 0
        out.append(row)
    return {"traces": out, "metrics": {"inspectedTraces": len(found),
                                       "inspectedBytes": str(123456), "totalBlocks": 1}}


STORY_SEARCH = 500      # story traces inspected per search (newest first)


def searchable(start, end, limit):
    """The traces a search looks at: the fixed set, or (--story) the
    newest story traces in [start, end] (default: the hour before now)."""
    if not ARGS.story:
        return td.SEARCHABLE
    import story
    now = CLOCK.now_ns()
    a = start if start is not None else now - 3600 * td.S
    b = min(end if end is not None else now, now)
    ids = story.logs().traces_between(a, b + 1, max(STORY_SEARCH, limit))
    return [story.trace_for(t) for t in ids]


def lookup(tid):
    t = td.TRACES.get(tid)
    if t is None and ARGS.story:
        import story
        t = story.trace_for(tid)
        # a trace exists once its request has ended on the demo clock
        if t is not None and td.bounds(t)[1] > CLOCK.now_ns():
            t = None
    return t


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def send(self, code, body, ctype="text/plain; charset=utf-8"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def json(self, obj):
        # raw UTF-8; the surrogate escapes of tracedata's hostile payloads
        # go out as the invalid bytes they stand for, as a hostile server's would
        self.send(200, json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogateescape"),
                  "application/json")

    def authorised(self):
        if ARGS.tenant and self.headers.get("X-Scope-OrgID") != ARGS.tenant:
            self.send(401, "no org id\n")
            return False
        if ARGS.token and self.headers.get("Authorization") != "Bearer " + ARGS.token:
            self.send(401, "unauthorized\n")
            return False
        return True

    def do_GET(self):
        u = urlparse(self.path)
        if ARGS.log:
            with open(ARGS.log, "a") as f:
                f.write("GET %s %s %s\n" % (self.path, self.headers.get("X-Scope-OrgID", "-"),
                                            "bearer" if self.headers.get("Authorization") else "-"))
        if u.path == "/ready":
            return self.send(200, "ready\n")
        if u.path == "/api/echo":
            return self.send(200, "echo")
        if not self.authorised():
            return
        m = re.fullmatch(r"/api/(v2/)?traces/([^/]+)", u.path)
        if m:
            if m.group(1) and ARGS.flavor != "v2":
                return self.send(404, "404 page not found\n")
            return self.trace(m.group(2), bool(m.group(1)))
        if u.path == "/api/search":
            try:
                return self.json(search(parse_qs(u.query)))
            except TraceQLError as e:
                return self.send(400, "invalid TraceQL query: %s\n" % e)
            except (ValueError, KeyError) as e:
                return self.send(400, "invalid search request: %s\n" % e)
        return self.send(404, "404 page not found\n")

    def trace(self, raw, v2):
        tid = td.norm_id(raw)
        if tid is None:
            return self.send(400, "invalid trace id: %s\n" % raw[:64])
        if ARGS.delay:
            time.sleep(ARGS.delay)
        if tid == td.FAILS:
            return self.send(500, "rpc error: code = Unavailable desc = querier unavailable\n")
        if tid == td.HUGE:
            return self.huge()
        t = lookup(tid)
        if t is None:
            return self.send(404, "trace not found\n")
        legacy = ARGS.flavor == "legacy"
        if tid == td.TOO_LARGE and not v2:
            return self.send(422, "trace exceeds max size (max bytes: 5000000, trace size: 7340032)\n")
        b = batches(t, legacy)
        if not v2:
            return self.json({"batches": b} if b else {})
        out = {"trace": {"resourceSpans": b} if b else {}}
        if tid == td.TOO_LARGE:
            out["status"] = "PARTIAL"
            out["message"] = ("Trace exceeds maximum size of 5000000 bytes, a partial trace "
                              "is returned")
        else:
            out["status"] = "COMPLETE"
        return self.json(out)

    def huge(self):
        """100 MB of valid-looking batches: the client must cut it off."""
        total = 100 << 20
        chunk = json.dumps(batches(td.TRACES[td.CANON], False)[0]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        head, tail = b'{"batches":[' + chunk, b"]}"
        try:
            self.wfile.write(head)
            sent = len(head)
            while sent + len(chunk) + 1 + len(tail) < total:
                self.wfile.write(b"," + chunk)
                sent += len(chunk) + 1
            self.wfile.write(b" " * (total - sent - len(tail)) + tail)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--flavor", choices=["v2", "v1", "legacy"], default="v2")
    ap.add_argument("--tenant")
    ap.add_argument("--token-file")
    ap.add_argument("--log")
    ap.add_argument("--delay", type=float, default=0)
    ap.add_argument("--story", action="store_true",
                    help="serve the seed incident's traces (story.py) on --clock")
    ap.add_argument("--clock", help="START[,SPEED[,EPOCH]]: the demo clock (story mode)")
    ARGS = ap.parse_args()
    global CLOCK
    import story
    CLOCK = story.Clock(ARGS.clock)
    ARGS.token = open(ARGS.token_file).read().strip() if ARGS.token_file else None
    srv = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    srv.daemon_threads = True
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
