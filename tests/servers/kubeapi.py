#!/usr/bin/env python3
"""kubeapi.py: a Kubernetes API server for tests (Python 3 stdlib only).

Plain HTTP on 127.0.0.1, enough of the API for the real kubectl to work
against it: /version, legacy discovery (/api, /apis, group versions incl.
metrics.k8s.io), pods (JSON, server-side Table rendering as kubectl's
printers do it, paging with limit/continue, label and field selectors,
?watch=1 streams of ADDED/MODIFIED/DELETED), pod logs (tailLines, follow,
previous, timestamps), events (both event shapes), deployments,
metrics.k8s.io pod metrics.  Errors are Kubernetes Status objects with
the real reasons (Forbidden 403, NotFound 404, Gone 410, Unauthorized 401).

Objects come from a fixture directory (tests/fixtures/incident/kube); with
--now TIME every timestamp is shifted so that real now reads as TIME.
With --story --clock START,SPEED,EPOCH (the demo stack) the objects are
the cluster as it was at the demo clock's now (kubestory.py derives every
moment of the seed incident from the fixture), and as that clock runs
watchers see the story happen: pods added, crash-looping, OOM-killed,
terminated by the rollback; events appearing and counting up.

Test controls (never part of the Kubernetes API), under /_test/:
  mode?set=ok|hang|garbage|nometrics|down  change behaviour at runtime;
                      hang and down also end every open watch
  apply?change=NAME   apply a scripted change set from changes.json
                      (watchers see MODIFIED/DELETED/ADDED at once)
  requests            JSON list of the requests seen so far
  gen?pods=N          replace the pods with N generated pods (bench)
  hostile[?clean=1][&extra=NAME]  pods and events named with the payloads of
                      tests/hostile/payloads.py (clean: plain text), plus a
                      pod called NAME

Usage: kubeapi.py --port P --fixtures DIR [--now 2026-11-26T02:32:00Z]
                  [--page N] [--token TOKEN=USER ...] [--deny USER ...]
                  [--server-version v1.30.2]
"""
import argparse
import base64
import copy
import datetime as dt
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TS_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def parse_ts(s):
    m = TS_RE.match(s or "")
    if not m:
        return None
    base = dt.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    frac = float(m.group(2)) if m.group(2) else 0.0
    return (base - EPOCH).total_seconds() + frac


def fmt_ts(secs, frac_digits=0):
    whole = int(secs // 1)
    t = EPOCH + dt.timedelta(seconds=whole)
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if frac_digits:
        s += ".%0*d" % (frac_digits, int(round((secs - whole) * 10 ** frac_digits)))
    return s + "Z"


def shift_times(obj, delta):
    """Shift every RFC3339 string in obj by delta seconds (in place)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, str):
                m = TS_RE.match(v)
                if m:
                    digits = len(m.group(2)) - 1 if m.group(2) else 0
                    obj[k] = fmt_ts(parse_ts(v) + delta, digits)
            else:
                shift_times(v, delta)
    elif isinstance(obj, list):
        for v in obj:
            shift_times(v, delta)


# ------------------------------------------------------------ printing

def human_duration(d):
    """k8s.io/apimachinery/pkg/util/duration.HumanDuration."""
    seconds = int(d)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return "%ds" % seconds
    minutes = int(d / 60)
    if minutes < 10:
        s = int(d) % 60
        return "%dm" % minutes if s == 0 else "%dm%ds" % (minutes, s)
    if minutes < 60 * 3:
        return "%dm" % minutes
    hours = int(d / 3600)
    if hours < 8:
        m = int(d / 60) % 60
        return "%dh" % hours if m == 0 else "%dh%dm" % (hours, m)
    if hours < 48:
        return "%dh" % hours
    if hours < 24 * 8:
        h = hours % 24
        return "%dd" % (hours // 24) if h == 0 else "%dd%dh" % (hours // 24, h)
    if hours < 24 * 365 * 2:
        return "%dd" % (hours // 24)
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return "%dy" % (hours // 24 // 365) if dy == 0 else "%dy%dd" % (hours // 24 // 365, dy)
    return "%dy" % (hours // 24 // 365)


def since(ts, now):
    t = parse_ts(ts) if ts else None
    if t is None:
        return "<unknown>"
    return human_duration(now - t)


def restartable(spec):
    return bool(spec) and spec.get("restartPolicy") == "Always"


def print_pod(pod, now):
    """The row cells kubectl's printPod (pkg/printers/internalversion) makes."""
    spec, st, md = pod.get("spec", {}), pod.get("status", {}), pod.get("metadata", {})
    restarts = 0
    ri_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart = None
    last_ri_restart = None
    phase = st.get("phase", "")
    reason = st.get("reason") or phase
    for c in st.get("conditions") or []:
        if c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    inits = {}
    for c in spec.get("initContainers") or []:
        inits[c.get("name")] = c
        if restartable(c):
            total += 1

    def later(a, b):
        tb = parse_ts(b) if b else None
        if tb is None:
            return a
        return tb if a is None or a < tb else a

    initializing = False
    ninit = len(spec.get("initContainers") or [])
    for i, c in enumerate(st.get("initContainerStatuses") or []):
        restarts += c.get("restartCount", 0)
        lt = (c.get("lastState") or {}).get("terminated")
        if lt:
            last_restart = later(last_restart, lt.get("finishedAt"))
        if restartable(inits.get(c.get("name"))):
            ri_restarts += c.get("restartCount", 0)
            if lt:
                last_ri_restart = later(last_ri_restart, lt.get("finishedAt"))
        state = c.get("state") or {}
        term, wait = state.get("terminated"), state.get("waiting")
        if term and term.get("exitCode", 0) == 0:
            continue
        if restartable(inits.get(c.get("name"))) and c.get("started"):
            if c.get("ready"):
                ready += 1
            continue
        if term:
            if not term.get("reason"):
                if term.get("signal"):
                    reason = "Init:Signal:%d" % term["signal"]
                else:
                    reason = "Init:ExitCode:%d" % term.get("exitCode", 0)
            else:
                reason = "Init:" + term["reason"]
        elif wait and wait.get("reason") and wait["reason"] != "PodInitializing":
            reason = "Init:" + wait["reason"]
        else:
            reason = "Init:%d/%d" % (i, ninit)
        initializing = True
        break
    initialized = any(c.get("type") == "Initialized" and c.get("status") == "True"
                      for c in st.get("conditions") or [])
    if not initializing or initialized:
        restarts = ri_restarts
        last_restart = last_ri_restart
        has_running = False
        for c in reversed(st.get("containerStatuses") or []):
            restarts += c.get("restartCount", 0)
            lt = (c.get("lastState") or {}).get("terminated")
            if lt:
                last_restart = later(last_restart, lt.get("finishedAt"))
            state = c.get("state") or {}
            term, wait = state.get("terminated"), state.get("waiting")
            if wait and wait.get("reason"):
                reason = wait["reason"]
            elif term and term.get("reason"):
                reason = term["reason"]
            elif term:
                if term.get("signal"):
                    reason = "Signal:%d" % term["signal"]
                else:
                    reason = "ExitCode:%d" % term.get("exitCode", 0)
            elif c.get("ready") and "running" in state:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            ready_cond = any(c.get("type") == "Ready" and c.get("status") == "True"
                             for c in st.get("conditions") or [])
            reason = "Running" if ready_cond else "NotReady"
    if md.get("deletionTimestamp") and st.get("reason") == "NodeLost":
        reason = "Unknown"
    elif md.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    rs = str(restarts)
    if restarts and last_restart is not None:
        rs = "%d (%s ago)" % (restarts, human_duration(now - last_restart))
    ip = ((st.get("podIPs") or [{}])[0]).get("ip") or "<none>"
    return [md.get("name", ""), "%d/%d" % (ready, total), reason, rs,
            since(md.get("creationTimestamp"), now), ip, spec.get("nodeName") or "<none>",
            st.get("nominatedNodeName") or "<none>", "<none>"]


POD_COLUMNS = [
    ("Name", "string", "name", 0), ("Ready", "string", "", 0), ("Status", "string", "", 0),
    ("Restarts", "string", "", 0), ("Age", "string", "", 0), ("IP", "string", "", 1),
    ("Node", "string", "", 1), ("Nominated Node", "string", "", 1),
    ("Readiness Gates", "string", "", 1)]


def partial(obj):
    md = copy.deepcopy(obj.get("metadata", {}))
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": md}


def pod_table(pods, now, rv, cont=None):
    t = {"kind": "Table", "apiVersion": "meta.k8s.io/v1",
         "metadata": {"resourceVersion": str(rv)},
         "columnDefinitions": [{"name": n, "type": ty, "format": f, "description": "",
                                "priority": p} for n, ty, f, p in POD_COLUMNS],
         "rows": [{"cells": print_pod(p, now), "object": partial(p)} for p in pods]}
    if cont:
        t["metadata"]["continue"] = cont
    return t


# ------------------------------------------------------------ state

RESOURCES = {
    # name: (group/version prefix, kind, list kind, namespaced, short names)
    "pods": ("/api/v1", "Pod", "PodList", True, ["po"]),
    "events": ("/api/v1", "Event", "EventList", True, ["ev"]),
    "deployments": ("/apis/apps/v1", "Deployment", "DeploymentList", True, ["deploy"]),
    "configmaps": ("/api/v1", "ConfigMap", "ConfigMapList", True, ["cm"]),
}


class State:
    def __init__(self, args):
        self.lock = threading.Condition()
        self.rv = 100
        self.mode = "ok"
        self.mode_gen = 0
        self.requests = []
        self.page = args.page
        self.version = args.server_version
        self.tokens = dict(t.split("=", 1) for t in args.token or [])
        self.deny = set(args.deny or [])
        self.delta = 0.0
        self.objs = {r: [] for r in RESOURCES}
        self.metrics = []
        self.changes = {}
        self.log = {}   # resource -> list of (rv, type, obj)
        self.story = None
        self.clock = None
        if args.story:
            import kubestory
            import story
            self.clock = story.Clock(args.clock)
            self.story = kubestory.KubeStory(args.fixtures)
        self.load(args.fixtures, args.now)

    def load(self, d, now):
        if now and not self.story:
            self.delta = float(int(time.time() - parse_ts(now)))
        for res, fn in (("pods", "pods.json"), ("events", "events.json"),
                        ("deployments", "deployments.json")):
            items = json.load(open(os.path.join(d, fn)))["items"]
            for o in items:
                shift_times(o, self.delta)
                self.rv += 1
                o["metadata"]["resourceVersion"] = str(self.rv)
            self.objs[res] = items
        self.metrics = json.load(open(os.path.join(d, "metrics.json")))["items"]
        for m in self.metrics:
            shift_times(m, self.delta)
        p = os.path.join(d, "changes.json")
        if os.path.exists(p):
            self.changes = json.load(open(p))
            shift_times(self.changes, self.delta)
        self.objs["configmaps"] = []
        for r in RESOURCES:
            self.log[r] = []
        if self.story:
            for res, items in self.story.state(self.story_now()).items():
                for o in items:
                    self.rv += 1
                    o["metadata"]["resourceVersion"] = str(self.rv)
                self.objs[res] = items

    def story_now(self):
        """The cluster's now: the demo clock in story mode."""
        return self.clock.now() if self.clock else time.time()

    def story_tick(self):
        """Story mode: bring the objects to the clock's now; watchers see
        every difference as ADDED, MODIFIED or DELETED."""
        want = self.story.state(self.story_now())
        with self.lock:
            for res, items in want.items():
                def key(o):
                    return (o["metadata"].get("namespace"), o["metadata"]["name"])

                def body(o):
                    o = copy.deepcopy(o)
                    o["metadata"].pop("resourceVersion", None)
                    return json.dumps(o, sort_keys=True)
                have = {key(o): body(o) for o in self.objs[res]}
                wanted = {key(o) for o in items}
                for o in items:
                    if key(o) not in have:
                        self.change(res, "ADDED", o)
                    elif have[key(o)] != body(o):
                        self.change(res, "MODIFIED", o)
                for o in [o for o in self.objs[res] if key(o) not in wanted]:
                    self.change(res, "DELETED", copy.deepcopy(o))

    def change(self, res, typ, obj):
        """Record one change (lock held) and wake the watchers."""
        self.rv += 1
        obj["metadata"]["resourceVersion"] = str(self.rv)
        items = self.objs[res]
        key = (obj["metadata"].get("namespace"), obj["metadata"]["name"])
        idx = [i for i, o in enumerate(items)
               if (o["metadata"].get("namespace"), o["metadata"]["name"]) == key]
        if typ == "DELETED":
            for i in reversed(idx):
                del items[i]
        elif idx:
            items[idx[0]] = obj
        else:
            items.append(obj)
        self.log[res].append((self.rv, typ, copy.deepcopy(obj)))
        self.lock.notify_all()

    def apply(self, name):
        steps = self.changes.get(name)
        if steps is None:
            return False
        with self.lock:
            for s in steps:
                res = s.get("kind", "pods")
                if s["type"] == "DELETED":
                    cur = [o for o in self.objs[res] if o["metadata"]["name"] == s["name"]]
                    if cur:
                        self.change(res, "DELETED", copy.deepcopy(cur[0]))
                else:
                    self.change(res, s["type"], copy.deepcopy(s["object"]))
        return True

    def hostile(self, clean, extra):
        """Pods and events whose texts are the payloads of
        tests/hostile/payloads.py, each behind a marker: pod names
        ("P017:" + payload 17), event reasons ("R017:"), messages
        ("G017:") and involved objects ("O017:"); clean: "plain text N"
        instead.  extra: one more pod of that exact name."""
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hostile"))
        import payloads
        with self.lock:
            pod0, ev0 = self.objs["pods"][0], self.objs["events"][0]
            pods, events = [], []
            for i, p in enumerate(payloads.PAYLOADS):
                txt = "plain text %d" % i if clean else p.decode("utf-8", "surrogateescape")
                self.rv += 1
                pd = copy.deepcopy(pod0)
                pd["metadata"].update(name="P%03d:%s" % (i, txt), uid="hostile-pod-%d" % i,
                                      resourceVersion=str(self.rv))
                pods.append(pd)
                ev = copy.deepcopy(ev0)
                ev["metadata"].update(name="hostile-ev-%d" % i, uid="hostile-ev-%d" % i,
                                      resourceVersion=str(self.rv))
                ev.update(message="G%03d:%s" % (i, txt), reason="R%03d:%s" % (i, txt),
                          type="Warning")
                ev["involvedObject"] = {"kind": "Pod", "name": "O%03d:%s" % (i, txt),
                                        "namespace": pod0["metadata"].get("namespace", "shop")}
                events.append(ev)
            if extra:
                pd = copy.deepcopy(pod0)
                pd["metadata"].update(name=extra, uid="hostile-pod-extra")
                pods.insert(0, pd)
            self.objs["pods"], self.objs["events"] = pods, events
            m0 = self.metrics[0]
            self.metrics = []
            for pd in pods:     # every pod has metrics: `kubectl top` answers
                m = copy.deepcopy(m0)
                m["metadata"].update(name=pd["metadata"]["name"],
                                     namespace=pd["metadata"].get("namespace", "shop"))
                self.metrics.append(m)

    def gen_pods(self, n):
        base = self.objs["pods"][0]
        with self.lock:
            pods = []
            for i in range(n):
                p = copy.deepcopy(base)
                p["metadata"]["name"] = "bench-%05d-%s" % (i, "x" * 5)
                p["metadata"]["uid"] = "bench-uid-%d" % i
                self.rv += 1
                p["metadata"]["resourceVersion"] = str(self.rv)
                pods.append(p)
            self.objs["pods"] = pods


STATE = None


# ------------------------------------------------------------ selectors

def get_path(obj, path):
    cur = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def match_labels(obj, sel):
    if not sel:
        return True
    labels = obj.get("metadata", {}).get("labels") or {}
    for term in sel.split(","):
        term = term.strip()
        if not term:
            continue
        m = re.match(r"^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$", term)
        if m:
            k, op, v = m.groups()
            if op == "!=":
                if labels.get(k) == v:
                    return False
            elif labels.get(k) != v:
                return False
        elif term.startswith("!"):
            if term[1:] in labels:
                return False
        elif term not in labels:
            return False
    return True


def match_fields(obj, sel):
    if not sel:
        return True
    for term in sel.split(","):
        m = re.match(r"^([^!=]+)(==|=|!=)(.*)$", term.strip())
        if not m:
            continue
        k, op, v = m.groups()
        got = get_path(obj, k)
        got = "" if got is None else str(got)
        if (op == "!=") == (got == v):
            return False
    return True


# ------------------------------------------------------------ handler

def status(code, reason, message, details=None):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "details": details or {}, "code": code}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kubeapi-test"

    def log_message(self, fmt, *a):
        if os.environ.get("KUBEAPI_VERBOSE"):
            sys.stderr.write("kubeapi: " + fmt % a + "\n")

    # -- plumbing
    def send_json(self, code, obj, ctype="application/json"):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_text(self, code, text, ctype="text/plain; charset=utf-8"):
        body = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def user(self):
        """Who is asking: an impersonated user (kubeconfig "as:"; kubectl
        sends no bearer token over plain HTTP), a known bearer token, or
        system:anonymous.  None: a token we do not know (401)."""
        imp = self.headers.get("Impersonate-User")
        if imp:
            return imp
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return STATE.tokens.get(auth[7:], None)
        return "system:anonymous"

    # -- dispatch
    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query, keep_blank_values=True))
        path = u.path.rstrip("/") or "/"
        if path.startswith("/_test/"):
            return self.control(path[7:], q)
        with STATE.lock:
            STATE.requests.append({"t": time.time(), "path": path, "query": q,
                                   "accept": self.headers.get("Accept", ""),
                                   "ua": self.headers.get("User-Agent", "")})
        if not self.wait_not_hung():
            return
        if STATE.mode == "down":
            self.close_connection = True
            self.wfile.write(b"")
            return
        if path == "/version":
            major, minor = STATE.version.lstrip("v").split(".")[:2]
            return self.send_json(200, {"major": major, "minor": minor,
                                        "gitVersion": STATE.version, "gitCommit": "0" * 40,
                                        "gitTreeState": "clean",
                                        "buildDate": "2026-06-11T20:20:40Z",
                                        "goVersion": "go1.22.4", "compiler": "gc",
                                        "platform": "linux/amd64"})
        if path == "/api" or path == "/apis" or path.startswith("/apis/") and path.count("/") == 3 \
                or path == "/api/v1":
            return self.discovery(path)
        if self.user() is None:
            return self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        m = re.match(r"^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$", path)
        if m:
            return self.pod_log(m.group(1), m.group(2), q)
        m = re.match(r"^/apis/metrics\.k8s\.io/v1beta1(?:/namespaces/([^/]+))?/pods(?:/([^/]+))?$", path)
        if m:
            return self.metrics(m.group(1), m.group(2))
        for res, (prefix, kind, lkind, _, _) in RESOURCES.items():
            m = re.match("^" + re.escape(prefix) + r"(?:/namespaces/([^/]+))?/" + res +
                         r"(?:/([^/]+))?$", path)
            if m:
                return self.resource(res, m.group(1), m.group(2), q)
        self.send_json(404, status(404, "NotFound", "the server could not find the requested resource"))

    def wait_not_hung(self):
        deadline = time.time() + 300
        while STATE.mode == "hang" and time.time() < deadline:
            time.sleep(0.05)
        return STATE.mode != "hang"

    def control(self, what, q):
        if what == "mode":
            with STATE.lock:
                STATE.mode = q.get("set", "ok")
                STATE.mode_gen += 1
                STATE.lock.notify_all()
            return self.send_text(200, "mode " + STATE.mode + "\n")
        if what == "apply":
            ok = STATE.apply(q.get("change", ""))
            return self.send_text(200 if ok else 404, ("applied" if ok else "no such change") + "\n")
        if what == "requests":
            with STATE.lock:
                return self.send_json(200, STATE.requests)
        if what == "ages":
            # configmaps "age-N" created N seconds ago: kubectl renders their
            # AGE column itself (this server sends no Table for them)
            now = int(time.time())
            with STATE.lock:
                STATE.objs["configmaps"] = [
                    {"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "age-%s" % n.strip(), "namespace": "shop",
                                  "uid": "cm-%s" % n.strip(), "resourceVersion": "1",
                                  "creationTimestamp": fmt_ts(now - int(n))}}
                    for n in q.get("secs", "").split(",") if n.strip()]
            return self.send_text(200, "ok\n")
        if what == "hostile":
            STATE.hostile(q.get("clean") == "1", q.get("extra", ""))
            return self.send_text(200, "ok\n")
        if what == "gen":
            STATE.gen_pods(int(q.get("pods", "10")))
            return self.send_text(200, "ok\n")
        self.send_text(404, "unknown control\n")

    def discovery(self, path):
        port = self.server.server_address[1]
        if path == "/api":
            return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"],
                                        "serverAddressByClientCIDRs": [
                                            {"clientCIDR": "0.0.0.0/0",
                                             "serverAddress": "127.0.0.1:%d" % port}]})
        groups = [("apps", "v1"), ("events.k8s.io", "v1")]
        if STATE.mode != "nometrics":
            groups.append(("metrics.k8s.io", "v1beta1"))
        if path == "/apis":
            return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
                {"name": g, "versions": [{"groupVersion": g + "/" + v, "version": v}],
                 "preferredVersion": {"groupVersion": g + "/" + v, "version": v}}
                for g, v in groups]})
        verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

        def r(name, kind, namespaced=True, short=None, v=verbs, singular=None):
            d = {"name": name, "singularName": singular if singular is not None else kind.lower(),
                 "namespaced": namespaced, "kind": kind, "verbs": v}
            if short:
                d["shortNames"] = short
            return d
        lists = {
            "/api/v1": ("v1", [r("pods", "Pod", short=["po"]),
                               r("pods/log", "Pod", v=["get"], singular=""),
                               r("events", "Event", short=["ev"]),
                               r("namespaces", "Namespace", False, ["ns"]),
                               r("nodes", "Node", False, ["no"]),
                               r("configmaps", "ConfigMap", short=["cm"])]),
            "/apis/apps/v1": ("apps/v1", [r("deployments", "Deployment", short=["deploy"]),
                                          r("replicasets", "ReplicaSet", short=["rs"]),
                                          r("statefulsets", "StatefulSet", short=["sts"]),
                                          r("daemonsets", "DaemonSet", short=["ds"])]),
            "/apis/events.k8s.io/v1": ("events.k8s.io/v1", [r("events", "Event", short=["ev"])]),
        }
        if STATE.mode != "nometrics":
            lists["/apis/metrics.k8s.io/v1beta1"] = ("metrics.k8s.io/v1beta1", [
                r("nodes", "NodeMetrics", False, v=["get", "list"], singular=""),
                r("pods", "PodMetrics", v=["get", "list"], singular="")])
        if path not in lists:
            return self.send_json(404, status(404, "NotFound", "the server could not find the requested resource"))
        gv, res = lists[path]
        self.send_json(200, {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                             "resources": res})

    def forbidden(self, verb, res, ns):
        user = self.user()
        if user not in STATE.deny:
            return False
        where = ' in the namespace "%s"' % ns if ns else " at the cluster scope"
        grp = "apps" if res == "deployments" else "metrics.k8s.io" if res == "podmetrics" else ""
        self.send_json(403, status(403, "Forbidden",
                                   '%s is forbidden: User "%s" cannot %s resource "%s" in API group "%s"%s'
                                   % (res, user, verb, res, grp, where), {"kind": res}))
        return True

    def resource(self, res, ns, name, q):
        watch = q.get("watch") in ("1", "true")
        if self.forbidden("watch" if watch else "get" if name else "list", res, ns):
            return
        if STATE.mode == "garbage":
            return self.send_text(200, '{"kind":"%sList","apiVersion":"v1","items":[{"metadata":'
                                  '{"name":"x\x01' % RESOURCES[res][1] + "\x00\xff" * 8,
                                  "application/json")
        if watch:
            return self.watch(res, ns, q)
        with STATE.lock:
            items = [o for o in STATE.objs[res]
                     if (ns is None or o["metadata"].get("namespace") == ns)
                     and (name is None or o["metadata"]["name"] == name)
                     and match_labels(o, q.get("labelSelector"))
                     and match_fields(o, q.get("fieldSelector"))]
            items = copy.deepcopy(items)
            rv = STATE.rv
        table = "as=Table" in self.headers.get("Accept", "")
        if name:
            if not items:
                return self.send_json(404, status(404, "NotFound", '%s "%s" not found' % (res, name),
                                                  {"name": name, "kind": res}))
            if table and res == "pods":
                return self.send_json(200, pod_table(items, STATE.story_now(), rv))
            return self.send_json(200, items[0])
        start = 0
        if q.get("continue"):
            try:
                start = int(base64.b64decode(q["continue"]).decode())
            except ValueError:
                return self.send_json(400, status(400, "BadRequest", "invalid continue token"))
        limit = int(q.get("limit") or 0)
        if STATE.page and (not limit or limit > STATE.page):
            limit = STATE.page
        cont = None
        if limit and start + limit < len(items):
            cont = base64.b64encode(str(start + limit).encode()).decode()
            items = items[start:start + limit]
        else:
            items = items[start:]
        if table and res == "pods":
            return self.send_json(200, pod_table(items, STATE.story_now(), rv, cont),
                                  "application/json")
        api = RESOURCES[res][0].split("/", 2)[-1] if res == "deployments" else "v1"
        md = {"resourceVersion": str(rv)}
        if cont:
            md["continue"] = cont
        self.send_json(200, {"kind": RESOURCES[res][2], "apiVersion": api, "metadata": md,
                             "items": items})

    def watch(self, res, ns, q):
        try:
            since_rv = int(q.get("resourceVersion") or 0)
        except ValueError:
            since_rv = 0
        timeout = float(q.get("timeoutSeconds") or 1800)
        table = "as=Table" in self.headers.get("Accept", "")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def emit(typ, obj):
            if ns is not None and obj["metadata"].get("namespace") != ns:
                return
            if not match_labels(obj, q.get("labelSelector")) or \
                    not match_fields(obj, q.get("fieldSelector")):
                return
            if table and res == "pods":
                obj = pod_table([obj], STATE.story_now(), obj["metadata"]["resourceVersion"])
            self.chunk(json.dumps({"type": typ, "object": obj}).encode() + b"\n")
        end = time.time() + timeout
        with STATE.lock:
            gen = STATE.mode_gen
            if since_rv == 0:
                pending = [("ADDED", copy.deepcopy(o)) for o in STATE.objs[res]]
                last = STATE.rv
            else:
                pending = [(t, copy.deepcopy(o)) for rv, t, o in STATE.log[res] if rv > since_rv]
                last = STATE.rv
        try:
            while True:
                for typ, obj in pending:
                    emit(typ, obj)
                pending = []
                with STATE.lock:
                    while STATE.rv == last and STATE.mode_gen == gen and time.time() < end:
                        STATE.lock.wait(0.5)
                    if STATE.mode_gen != gen and STATE.mode in ("hang", "down"):
                        break
                    if time.time() >= end:
                        break
                    gen = STATE.mode_gen
                    pending = [(t, copy.deepcopy(o)) for rv, t, o in STATE.log[res] if rv > last]
                    last = STATE.rv
            self.chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def pod_log(self, ns, name, q):
        if self.forbidden("get", "pods/log", ns):
            return
        with STATE.lock:
            pod = [p for p in STATE.objs["pods"] if p["metadata"]["name"] == name
                   and p["metadata"]["namespace"] == ns]
        if not pod:
            return self.send_json(404, status(404, "NotFound", 'pods "%s" not found' % name))
        container = q.get("container") or pod[0]["spec"]["containers"][0]["name"]
        lines = log_lines(pod[0], container, q.get("previous") in ("true", "1"))
        tail = int(q.get("tailLines") or -1)
        if tail >= 0:
            lines = lines[-tail:] if tail else []
        stamp = q.get("timestamps") in ("true", "1")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for t, line in lines:
                self.chunk(((fmt_ts(t, 9) + " " if stamp else "") + line + "\n").encode())
            if q.get("follow") in ("true", "1"):
                n = 0
                while STATE.mode == "ok" and n < 3600:
                    time.sleep(0.5)
                    n += 1
                    t, line = follow_line(pod[0], container, n)
                    self.chunk(((fmt_ts(t, 9) + " " if stamp else "") + line + "\n").encode())
            self.chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def metrics(self, ns, name):
        if STATE.mode == "nometrics":
            return self.send_json(404, status(404, "NotFound", "the server could not find the requested resource"))
        if self.forbidden("list", "pods", ns):
            return
        items = [m for m in STATE.metrics if (ns is None or m["metadata"]["namespace"] == ns)
                 and (name is None or m["metadata"]["name"] == name)]
        with STATE.lock:
            live = {(p["metadata"]["namespace"], p["metadata"]["name"]) for p in STATE.objs["pods"]}
        items = [m for m in items if (m["metadata"]["namespace"], m["metadata"]["name"]) in live]
        if name:
            if not items:
                return self.send_json(404, status(404, "NotFound", 'podmetrics.metrics.k8s.io "%s" not found' % name))
            return self.send_json(200, dict(items[0], kind="PodMetrics", apiVersion="metrics.k8s.io/v1beta1"))
        self.send_json(200, {"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1",
                             "metadata": {}, "items": [dict(m, kind="PodMetrics",
                                                            apiVersion="metrics.k8s.io/v1beta1")
                                                       for m in items]})


TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def log_lines(pod, container, previous):
    """The story's log lines for a container (STORY.md, Logs)."""
    name = pod["metadata"]["name"]
    app = pod["metadata"].get("labels", {}).get("app", "")
    now = STATE.story_now()
    out = []
    if container == "istio-proxy":
        for i in range(20):
            out.append((now - 600 + i * 30, '[2026-11-26T02:%02d:00.000Z] "POST /charge HTTP/1.1" 503 UO '
                        'upstream_reset_before_response_started{overflow} - "-" 0 81 0 - "10.244.1.51" '
                        '"order/3.1.4" "%s" "payment.shop.svc.cluster.local:8080"' % (20 + i % 12, TRACE)))
        return out
    if app == "payment" and "7c9f8d6b5" in name:
        if previous:
            return [(now - 640, 'level=info msg="starting payment" version=v2.8.0'),
                    (now - 639, 'level=warn msg="TLS offload not configured; falling back"'),
                    (now - 638, 'level=error msg="tls: failed to load key pair: open /etc/tls/tls.key: '
                                'no such file or directory"'),
                    (now - 637, "panic: tls setup failed")]
        for i in range(40):
            out.append((now - 400 + i * 10, 'level=warn msg="TLS offload not configured; falling back" '
                                            'pod=%s' % name))
        if not STATE.story:     # the demo tells a clean story
            out.append((now - 5, 'level=error msg="hostile \x1b]0;pwned\x07 bytes \x1b[2J here"'))
        return out
    if app == "order":
        for i in range(60):
            out.append((now - 300 + i * 5, 'level=error msg="upstream connect error or disconnect/reset '
                                           'before headers. reset reason: overflow" upstream=payment '
                                           'trace_id=%s' % TRACE))
        return out
    for i in range(10):
        out.append((now - 100 + i * 10, 'level=info msg="ok" app=%s i=%d' % (app, i)))
    return out


def follow_line(pod, container, n):
    app = pod["metadata"].get("labels", {}).get("app", "")
    return STATE.story_now(), 'level=info msg="still here" app=%s n=%d container=%s' % (app, n, container)


def main():
    global STATE
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--now")
    ap.add_argument("--page", type=int, default=0)
    ap.add_argument("--token", action="append")
    ap.add_argument("--deny", action="append")
    ap.add_argument("--server-version", default="v1.30.2")
    ap.add_argument("--story", action="store_true",
                    help="the cluster at the demo clock's now (kubestory.py)")
    ap.add_argument("--clock", help="START[,SPEED[,EPOCH]]: the demo clock (story mode)")
    args = ap.parse_args()
    STATE = State(args)
    if STATE.story:
        def ticker():
            while True:
                time.sleep(0.2)
                STATE.story_tick()
        threading.Thread(target=ticker, daemon=True).start()
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    main()
