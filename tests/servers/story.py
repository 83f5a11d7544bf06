"""story: the seed incident (tests/fixtures/incident/STORY.md) as the demo
stack tells it, shared by the Loki, Tempo and Kubernetes test servers in
"story" mode (--story --clock START,SPEED,EPOCH).

  Clock        the demo's virtual clock, the same text scry reads from
               SCRY_DEMO_CLOCK (core/vclock.h): it reads START at the real
               unix time EPOCH and runs SPEED times as fast; every process
               given the same triple agrees on the virtual now.
  log lines    deterministic lines of every service, 01:00Z to 04:00Z, at
               the story's rates: healthy traffic, from 02:17 order's
               "reset reason: overflow" errors (~20/s) and frontend's
               failed checkouts, istiod's "failed to push endpoint for
               payment-service: context deadline exceeded" from 02:18, the
               new payment pods' "TLS offload not configured" from 02:20,
               recovery from 02:41, healthy again from 02:47.
  trace ids    every request line carries the id of a trace Tempo can
               serve: the id says when the request started and whether it
               failed (story_id / parse_id), so the Tempo server rebuilds
               the trace from the id alone (tracedata.failing / healthy:
               the retry storm of three 2.8 s payment Charge calls ending
               in 503 UO).  The canonical 4bf92f3577b34da6a3ce929d0e0e4736
               (02:17:42Z) is on order's and frontend's lines.

Everything is a pure function of the story: a restarted server serves
exactly the same lines and traces.
"""

import bisect
import datetime
import hashlib
import json
import random
import time

import tracedata as td

S = 1_000_000_000
MS = 1_000_000
T0 = 1795654800              # 2026-11-26T01:00:00Z: the first generated line
INCIDENT = 1795659420        # 02:17:00
ISTIOD_FAIL = 1795659480     # 02:18:00
SATURATED = 1795659540       # 02:19:00
ROLLOUT = 1795659600         # 02:20:00 new payment pods
MITIGATION = 1795660860      # 02:41:00 rollback
RECOVERED = 1795661220       # 02:47:00
T_END = 1795665600           # 04:00:00
CANON = td.CANON
CANON_START = INCIDENT + 42  # 02:17:42

ORDER_PODS = ["order-6b7d9c5f8-b7n3m", "order-6b7d9c5f8-c9q2w", "order-6b7d9c5f8-f5r8t",
              "order-6b7d9c5f8-x2k4p"]
FRONTEND_PODS = ["frontend-6d9f7c8b4-h2x9k", "frontend-6d9f7c8b4-m4p7q",
                 "frontend-6d9f7c8b4-t8v2n"]
PAYMENT_OLD = ["payment-5d8c7b9f4-k8m2n", "payment-5d8c7b9f4-p3q7r", "payment-5d8c7b9f4-w6z4x"]
PAYMENT_CRASH = "payment-7c9f8d6b5-j4k7l"      # CrashLoopBackOff
PAYMENT_UNREADY = "payment-7c9f8d6b5-r2s5t"    # Running, readiness failing
CART_PODS = ["cart-5f8d9b7c6-a1b2c", "cart-5f8d9b7c6-d3e4f"]
INVENTORY_PODS = ["inventory-7b8c9d6f5-g1h2j", "inventory-7b8c9d6f5-k3l4m"]
ISTIOD = "istiod-7d8f9c6b5-q2w3e"


def crash_runs():
    """(start, exit) of each run of the crash-looping pod's container: it
    exits 8 s after starting; kubelet restarts it after a back-off of 10 s,
    20 s, 40 s, ... up to 5 minutes; the rollback ends it."""
    runs, start, backoff = [], ROLLOUT + 6, 10
    while start < MITIGATION:
        runs.append((start, min(start + 8, MITIGATION)))
        start += 8 + backoff
        backoff = min(backoff * 2, 300)
    return runs


# order-6b7d9c5f8-x2k4p is OOM-killed (exit 137) at these times and
# restarted 1 s, 20 s and 30 s later
OOMS = [1795659124, 1795659570, 1795660180]    # 02:12:04, 02:19:30, 02:29:40
OOM_RESTARTS = [1795659125, 1795659590, 1795660210]    # 02:12:05, 02:19:50, 02:30:10
OVERFLOW = ('level=error msg="upstream connect error or disconnect/reset before headers. '
            'reset reason: overflow" upstream=payment')


# ------------------------------------------------------------------ clock

def parse_time(s):
    """RFC3339 (Z or offset) or unix seconds -> float seconds."""
    try:
        return float(s)
    except ValueError:
        pass
    d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    return d.timestamp()


class Clock:
    """START[,SPEED[,EPOCH]] as in core/vclock.h; None/"" = the real clock."""

    def __init__(self, spec=None):
        self.on = bool(spec)
        self.start, self.speed, self.epoch = 0.0, 1.0, time.time()
        if not spec:
            return
        parts = spec.split(",")
        if len(parts) > 3:
            raise ValueError("clock %r: START[,SPEED[,EPOCH]]" % spec)
        self.start = parse_time(parts[0])
        if len(parts) > 1 and parts[1]:
            self.speed = float(parts[1])
            if not 1 <= self.speed <= 3600:
                raise ValueError("clock %r: speed from 1 to 3600" % spec)
        if len(parts) > 2 and parts[2]:
            self.epoch = float(parts[2])

    def now(self):
        """Virtual now, float seconds."""
        t = time.time()
        return self.start + (t - self.epoch) * self.speed if self.on else t

    def now_ns(self):
        return int(self.now() * S)

    def real_seconds(self, virtual):
        """Real seconds that `virtual` seconds of the clock take."""
        return virtual / self.speed


# --------------------------------------------------------------- trace ids

def story_id(start_ns, failed, n):
    """A trace id that says when its request started (unix seconds, ms) and
    whether it failed; the tail is a hash (of those and n mod 8, so requests
    starting in the same millisecond differ), so random ids do not parse."""
    sec, ms = divmod(start_ns // MS, 1000)
    head = "%08x%03x%s" % (sec, ms, "5" if failed else "2")
    return head + hashlib.sha256(("story/%s/%d" % (head, n % 8)).encode()).hexdigest()[:20]


def parse_id(tid):
    """(start ns, failed) of a story trace id, or None."""
    if tid == CANON:
        return CANON_START * S, True
    if len(tid) != 32 or tid[11] not in "25":
        return None
    try:
        sec, ms = int(tid[:8], 16), int(tid[8:11], 16)
    except ValueError:
        return None
    if not T0 - 60 <= sec <= T_END or ms > 999:
        return None
    return (sec * 1000 + ms) * MS, tid[11] == "5"


def trace_for(tid):
    """The trace of a story id (tracedata's model), or None."""
    p = parse_id(tid)
    if p is None:
        return None
    start, failed = p
    if tid != CANON and not any(_id_known(tid, start, failed, n) for n in range(8)):
        return None
    return td.failing(tid, start) if failed else td.healthy(tid, start)


def _id_known(tid, start, failed, n):
    return story_id(start, failed, n) == tid


# ------------------------------------------------------------------- lines

def _labels(app, pod, ns="shop", container=None):
    return {"app": app, "namespace": ns, "pod": pod, "container": container or app}


class Logs:
    """Every line of the story, sorted by time: ts (ns), stream index,
    text, trace id ("" if none).  streams: the label sets."""

    def __init__(self, t0=T0, t_end=T_END):
        self.streams = []
        self.stream_ix = {}
        rows = []
        rnd = random.Random(20261126)
        self._healthy(rows, rnd, t0, t_end)
        self._incident(rows, rnd)
        self._infra(rows, t0, t_end)
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        self.ts = [r[0] for r in rows]
        self.stream = [r[1] for r in rows]
        self.text = [r[2] for r in rows]
        self.trace = [r[3] for r in rows]

    def sid(self, labels):
        key = tuple(sorted(labels.items()))
        if key not in self.stream_ix:
            self.stream_ix[key] = len(self.streams)
            self.streams.append(labels)
        return self.stream_ix[key]

    def add(self, rows, t_ns, labels, text, trace=""):
        rows.append((int(t_ns), self.sid(labels), text, trace))

    def _poisson(self, rnd, a, b, rate):
        """Deterministic arrival times (ns) at `rate` per second in [a, b)."""
        t = a + rnd.expovariate(rate)
        while t < b:
            yield int(t * S)
            t += rnd.expovariate(rate)

    def _request(self, rows, rnd, t_ns, failed, n):
        """One checkout: the frontend line and the order line, one trace."""
        dur = 8.6 if failed else 0.172
        start = t_ns - int(dur * S)
        tid = story_id(start, failed, n)
        fe = _labels("frontend", FRONTEND_PODS[n % len(FRONTEND_PODS)])
        order = _labels("order", ORDER_PODS[(n // 3) % len(ORDER_PODS)])
        if failed:
            self.add(rows, start + int(8.56 * S), order,
                     "%s trace_id=%s span_id=%s" % (OVERFLOW, tid, td.hid(tid, "c")), tid)
            self.add(rows, t_ns, fe, json.dumps({"level": "error", "msg": "checkout failed",
                                                  "status": 503, "path": "/checkout",
                                                  "traceId": tid}), tid)
        else:
            self.add(rows, start + int(0.160 * S), order,
                     'level=info msg="order placed" order_id=ord-%s trace_id=%s span_id=%s'
                     % (tid[-6:], tid, td.hid(tid, "c")), tid)
            self.add(rows, t_ns, fe, json.dumps({"level": "info", "msg": "checkout ok",
                                                  "status": 200, "path": "/checkout",
                                                  "traceId": tid}), tid)

    def _healthy(self, rows, rnd, t0, t_end):
        """Healthy checkouts (2/s), payment, cart and inventory, all day;
        fewer succeed during the incident."""
        n = 0
        for t in self._poisson(rnd, t0, t_end, 2.0):
            sec = t / S
            if INCIDENT <= sec < MITIGATION and n % 5:
                n += 1
                continue        # most checkouts fail during the incident
            self._request(rows, rnd, t, False, n)
            if not (INCIDENT <= sec < MITIGATION):
                pod = PAYMENT_OLD[n % len(PAYMENT_OLD)]
                self.add(rows, t - 20 * MS, _labels("payment", pod),
                         'level=info msg="charge ok" amount_cents=%d trace_id=%s'
                         % (1000 + n % 9000, rows[-1][3]), rows[-1][3])
            n += 1
        for app, pods, msg in (("cart", CART_PODS, 'level=info msg="cart read" items=%d'),
                               ("inventory", INVENTORY_PODS,
                                'level=info msg="stock reserved" sku=SKU-%d')):
            for i, t in enumerate(self._poisson(rnd, t0, t_end, 0.25)):
                self.add(rows, t, _labels(app, pods[i % 2]), msg % (1 + i % 97))

    def _incident(self, rows, rnd):
        """The failing checkouts and order's overflow errors: full rate in
        the incident, falling to none over the recovery."""
        n = 1_000_000
        for rate, extra in ((8.0, False), (12.0, True)):
            for t in self._poisson(rnd, INCIDENT + 9, RECOVERED, rate):
                sec = t / S
                if sec >= MITIGATION and rnd.random() < (sec - MITIGATION) / (RECOVERED - MITIGATION):
                    continue
                if not extra:
                    self._request(rows, rnd, t, True, n)
                else:   # order's own retries and other callers: order lines only
                    start = t - int(8.56 * S)
                    tid = story_id(start, True, n)
                    pod = ORDER_PODS[n % len(ORDER_PODS)]
                    self.add(rows, t, _labels("order", pod),
                             "%s trace_id=%s span_id=%s" % (OVERFLOW, tid, td.hid(tid, "c")), tid)
                n += 1
        # the canonical failing request (tests, README): 02:17:42 for 8.6 s
        c0 = CANON_START * S
        self.add(rows, c0 + int(8.56 * S), _labels("order", "order-6b7d9c5f8-x2k4p"),
                 "%s trace_id=%s span_id=00f067aa0ba902b7" % (OVERFLOW, CANON), CANON)
        self.add(rows, c0 + int(8.6 * S), _labels("frontend", FRONTEND_PODS[0]),
                 json.dumps({"level": "error", "msg": "checkout failed", "status": 503,
                             "path": "/checkout", "traceId": CANON}), CANON)

    def _infra(self, rows, t0, t_end):
        """istiod and the new payment pods."""
        ist = _labels("istiod", ISTIOD, "istio-system", "discovery")
        for sec in range(t0, t_end, 30):
            if not ISTIOD_FAIL <= sec < MITIGATION:
                self.add(rows, sec * S + 417 * MS, ist, "%s\tinfo\tads\tPush debounce stable[%d] "
                         "3 for config ServiceEntry and Endpoints: 100.2ms since last change"
                         % (_rfc(sec + 0.417), sec // 30 % 10000))
        for sec in range(ISTIOD_FAIL, MITIGATION, 5):
            self.add(rows, sec * S + 112 * MS, ist, "%s\terror\tads\tfailed to push endpoint for "
                     "payment-service: context deadline exceeded" % _rfc(sec + 0.112))
        self.add(rows, MITIGATION * S + 250 * MS, ist, "%s\tinfo\tads\tPush debounce stable[0] 1 "
                 "for config Endpoints: payment-service recovered" % _rfc(MITIGATION + 0.25))
        crash = _labels("payment", PAYMENT_CRASH)
        for i, (a, b) in enumerate(crash_runs()):
            self.add(rows, a * S, crash, 'level=info msg="starting payment" version=v2.8.0 '
                     'attempt=%d' % (i + 1))
            self.add(rows, a * S + 400 * MS, crash,
                     'level=warn msg="TLS offload not configured; falling back"')
            self.add(rows, b * S - 200 * MS, crash,
                     'level=error msg="tls: failed to load key pair: open /etc/tls/tls.key: '
                     'no such file or directory"')
        unready = _labels("payment", PAYMENT_UNREADY)
        self.add(rows, (ROLLOUT + 8) * S, unready,
                 'level=info msg="starting payment" version=v2.8.0 attempt=1')
        for sec in range(ROLLOUT + 9, MITIGATION, 10):
            self.add(rows, sec * S + 300 * MS, unready,
                     'level=warn msg="TLS offload not configured; falling back" '
                     'readiness=failing upstream_tls=missing')

    # -- queries
    def first_at_or_after(self, t_ns):
        return bisect.bisect_left(self.ts, t_ns)

    def traces_between(self, a_ns, b_ns, limit):
        """Trace ids of request lines in [a, b), newest first, unique."""
        out, seen = [], set()
        i = bisect.bisect_left(self.ts, b_ns) - 1
        while i >= 0 and self.ts[i] >= a_ns and len(out) < limit:
            tid = self.trace[i]
            if tid and tid not in seen:
                seen.add(tid)
                out.append(tid)
            i -= 1
        return out


def _rfc(sec):
    d = datetime.datetime.fromtimestamp(sec, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%06dZ" % d.microsecond


_LOGS = None


def logs():
    global _LOGS
    if _LOGS is None:
        _LOGS = Logs()
    return _LOGS
