#!/usr/bin/env python3
"""robustness.py SECTION: measure one part of robustness.md §6 and print
it as a Markdown section (bench/robustness.sh collects them into
bench/ROBUSTNESS.md).  Sections:

  t6     Loki tail under scripted disruptions against the server's ledger
  t7     huge and hostile answers: abort at the cap, peak RSS, key latency
  t11    ReDoS: catastrophic filters over 1 MB of lines
  slow   slow and dead backends for every source type
  t9     resize storm (pty and tmux)
  t10    terminal restoration after signals; terminal kinds

Python 3 standard library only; servers from tests/servers/, scry in a
pty through tests/screen/pty_harness.py (see bench/robustlib.py).
Environment: SCRY_BIN, T6_N (disruptions, default 50), T6_RATE (500).
"""
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import robustlib as R  # noqa: E402

CMD = "ROBUST=%s make robustness"


# ---------------------------------------------------------------- T6

def t6():
    n = int(os.environ.get("T6_N", "50"))
    rate = float(os.environ.get("T6_RATE", "500"))
    rnd = random.Random(6)
    tmp = R.tmpdir("t6")
    events = os.path.join(tmp, "events.jsonl")
    dump = os.path.join(tmp, "dump.txt")
    slog = os.path.join(tmp, "scry.log")
    largs = ["--rate", str(rate), "--backlog", "5", "--events", events]
    srv = R.server("loki.py", largs, tmp)
    # restarts use the same port and t0: the same lines
    port = srv.port
    t0 = R.http_json(srv.url + "/ctl/stats")["t0"]
    dash = R.write_json(os.path.join(tmp, "d.json"), {
        "title": "t6", "range": "15m", "refresh": "5s",
        "sources": {"loki": {"type": "loki", "url": srv.url}},
        "panels": [{"type": "logs", "title": "shop", "query": '{namespace="shop"}',
                    "options": {"limit": 5000}, "grid": {"x": 0, "y": 0, "w": 24, "h": 20}}]})
    p = R.scry(dash, tmp, env={"SCRY_LOGDUMP": dump, "SCRY_LOG": slog})
    p.wait_for(R.READY, 10)

    def ev():
        out = []
        try:
            with open(events) as f:
                for line in f:
                    out.append(json.loads(line))
        except OSError:
            pass
        return out

    def wait_open(after, secs=120, keys=None):
        """Wait for a tail to be opened after wall time `after`, pumping
        the pty (and sampling key latency into `keys`)."""
        end = time.monotonic() + secs
        while time.monotonic() < end:
            for e in ev():
                if e["ev"] == "open" and e["t"] > after:
                    return e["t"]
            if keys is not None:
                keys += R.key_latency(p, 1)
            else:
                p.quiet(0.1)
            R.trim(p)
        return None

    kinds = ["proc", "close1011", "rst", "halfopen", "trickle", "429", "503"]
    plan = [kinds[i % len(kinds)] for i in range(n)]
    rnd.shuffle(plan)
    wait_open(0, 20)
    p.quiet(2)
    rows = []
    keys = []
    for kind in plan:
        R.trim(p)
        p.quiet(rnd.uniform(1.0, 2.5))
        t = time.time()
        extra = {}
        if kind == "proc":
            srv.stop(signal.SIGKILL)
            down = rnd.uniform(0.5, 4.0)
            p.quiet(down)
            srv = R.Proc(["python3", os.path.join(R.SERVERS, "loki.py"), "--port", str(port),
                          "--t0", str(t0)] + largs, log=os.path.join(tmp, "loki.py.log"),
                         ready="http://127.0.0.1:%d/ready" % port)
            srv.url = "http://127.0.0.1:%d" % port
            extra["down"] = down
            extra["up"] = time.time()
        elif kind in ("429", "503"):
            ra = rnd.choice([2, 3, 4, 5]) if kind == "429" else None
            q = "code=%s&n=1" % kind + ("&retry_after=%d" % ra if ra else "")
            R.http(srv.url + "/ctl/refuse?" + q, "POST")
            R.http(srv.url + "/ctl/kill", "POST")
            extra["ra"] = ra
        elif kind == "halfopen":
            R.http(srv.url + "/ctl/halfopen?secs=40", "POST")
        elif kind == "trickle":
            R.http(srv.url + "/ctl/trickle?secs=150&every=10", "POST")
        else:
            R.http(srv.url + "/ctl/" + ("kill" if kind == "rst" else kind), "POST")
        opened = wait_open(t, 180, keys)
        rows.append(dict(kind=kind, t=t, opened=opened, **extra))
    R.http(srv.url + "/ctl/freeze", "POST")
    p.quiet(6)
    p.send(b"q")
    st = p.wait(10)
    p.close()
    stats = R.http_json(srv.url + "/ctl/stats")
    srv.stop()
    t6_report(n, rate, rows, ev(), dump, slog, stats, st, keys)
    shutil.rmtree(tmp, ignore_errors=True)


SEQ = re.compile(r'seq=(\d+)|"seq": ?(\d+)')


def held_lines(dump):
    held = {}
    with open(dump, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 3)
            if len(parts) < 4 or parts[2] == "GAP":
                continue
            m = SEQ.search(parts[3])
            if m:
                s = int(m.group(1) or m.group(2))
                held[s] = held.get(s, 0) + 1
    return held


def first_retries(slog):
    """scry's chosen delay for the first retry after an open tail failed
    ("tail: closed (...)": lines were flowing, so the failure count had
    been reset); later retries of a series are 1.6 times longer."""
    out = []
    pat = re.compile(r"warn .*tail: closed \(.*retrying in ([0-9.]+)s")
    with open(slog) as f:
        for line in f:
            m = pat.search(line)
            if m:
                out.append(float(m.group(1)))
    return out


def t6_report(n, rate, rows, events, dump, slog, stats, status, keys):
    held = held_lines(dump)
    last = stats["last_seq"]
    lo = min(held) if held else 0
    lost = [s for s in range(lo, last + 1) if s not in held]
    dups = [s for s, c in held.items() if c > 1]
    ups = [e["t"] for e in events if e["ev"] == "upgrade"]
    ends = [e for e in events if e["ev"] == "end"]
    refused = [e for e in events if e["ev"] == "refused" and not e.get("http")]
    per = {}
    ra_checks = []
    for r in rows:
        k = r["kind"]
        d = per.setdefault(k, {"n": 0, "recovered": 0, "detect": [], "retry": []})
        d["n"] += 1
        if r["opened"]:
            d["recovered"] += 1
        # the server-side end of the disrupted connection
        end = next((e for e in ends if e["t"] >= r["t"] - 0.05), None)
        if k == "proc":
            first = next((u for u in ups if u >= r["up"]), None)
            if first:
                d["retry"].append(first - r["up"])
            continue
        if end:
            d["detect"].append(end["t"] - r["t"])
            nxt = next((u for u in ups if u > end["t"]), None)
            if nxt:
                d["retry"].append(nxt - end["t"])
        if k in ("429", "503"):
            ref = next((e for e in refused if e["t"] >= r["t"]), None)
            if ref:
                nxt = next((u for u in ups if u > ref["t"] + 0.01), None)
                if nxt:
                    d.setdefault("after_refusal", []).append(nxt - ref["t"])
                    if r.get("ra"):
                        ra_checks.append((r["ra"], nxt - ref["t"]))
    firsts = first_retries(slog)
    R.header("T6: Loki tail under %d scripted disruptions at %g lines/s" % (n, rate), CMD % "t6",
             "scry follows `{namespace=\"shop\"}` from tests/servers/loki.py (sequence-numbered "
             "lines, a ledger, an event log of every upgrade, refusal, open and end with wall-clock "
             "times) in a pty, default tail settings (`tail_idle_timeout` 15 s).  Disruptions in "
             "random order: the server process killed (SIGKILL) and restarted 0.5-4 s later on the "
             "same port with the same lines; close 1011; RST (SO_LINGER 0); half-open (the server "
             "stops reading and writing for 40 s); trickle (one byte of a frame every 10 s); 429 "
             "with Retry-After 2-5 s and 503 without (the next upgrade refused, then the connection "
             "reset).  Lines held come from `SCRY_LOGDUMP` at exit, after the server froze.")
    R.table(["figure", "measured", "target", ""], [
        ["lines generated (seq %d..%d) / held" % (lo, last), "%d / %d" % (last - lo + 1, len(held)), "", ""],
        ["lost lines (generated, not held)", len(lost), "0", R.verdict(not lost)],
        ["duplicated lines (held twice)", len(dups), "0", R.verdict(not dups)],
        ["disruptions recovered (tail open again)", "%d / %d" % (sum(d["recovered"] for d in per.values()),
                                                             len(rows)), "all", R.verdict(all(r["opened"] for r in rows))],
        ["first retry after a failure, scry's chosen delay (p50 / max, n)",
         "%.2f / %.2f s (%d)" % (R.pct(firsts, 50), max(firsts or [0]), len(firsts)),
         "<= 1.2 s", R.verdict(firsts and max(firsts) <= 1.2)],
        ["jitter: coefficient of variation of those first retries", "%.3f" % R.cv(firsts),
         ">= 0.15", R.verdict(R.cv(firsts) >= 0.15)],
        ["Retry-After honoured: refusal -> next upgrade / Retry-After",
         ", ".join("%.2f/%d" % (d, ra) for ra, d in ra_checks) or "-", "within +10 %",
         R.verdict(ra_checks and all(ra <= d <= ra * 1.1 + 0.05 for ra, d in ra_checks))],
        ["key latency during the disruptions (p50 / p95 / max, n)", R.lat_summary(keys), "<= 100 ms",
         R.verdict(keys and R.pct(keys, 95) <= 0.1)],
        ["exit status after q", status, "0", R.verdict(status == 0)],
    ])
    out = []
    for k in ["proc", "close1011", "rst", "halfopen", "trickle", "429", "503"]:
        d = per.get(k)
        if not d:
            continue
        det = d["detect"]
        out.append([k, d["n"], "%d" % d["recovered"],
                    "%.1f s" % (sum(det) / len(det)) if det and k in ("halfopen", "trickle") else "-",
                    "%.2f / %.2f s" % (R.pct(d["retry"], 50), max(d["retry"])) if d["retry"] else "-",
                    "%.2f / %.2f s" % (R.pct(d["after_refusal"], 50), max(d["after_refusal"]))
                    if d.get("after_refusal") else "-"])
    print("Per disruption kind (server-side times; \"detected\" is when scry dropped the stalled "
          "connection, \"reconnect\" from the end of the old connection, or from the restart, to "
          "the next upgrade request):")
    print()
    R.table(["kind", "n", "recovered", "detected after", "reconnect p50 / max", "refusal -> retry p50 / max"], out)
    if lost:
        print("First lost: %s" % lost[:20])
        print()
    if dups:
        print("First duplicated: %s" % dups[:20])
        print()


# ---------------------------------------------------------------- T7

T7_CASES = [
    # name, faultsrv mode or None, source type, extra source options, needle
    ("baseline: the same dashboard, both panels healthy", "ok", "prometheus", {}, None),
    ("1 GB JSON (Content-Length: 1 GiB)", "gb", "prometheus", {}, b"response larger than"),
    ("10 MB gzip expanding to 10 GB", "gzip", "prometheus", {}, b"response larger than"),
    ("endless chunked stream", "endless", "prometheus", {}, b"response larger than"),
    ("1,000,000 series (70 MB), default cap", "million", "prometheus", {}, b"response larger than"),
    ("1,000,000 series (70 MB), max_bytes 128 MiB: the first 10,000 kept (max_series)",
     "million", "prometheus", {"max_bytes": 128 << 20}, b"1 warning"),
    ("1,000,000 series (70 MB), max_bytes 128 MiB, max_series 0: all parsed", "million",
     "prometheus", {"max_bytes": 128 << 20, "max_series": 0}, None),
    ("10,000-deep nesting", "deep", "prometheus", {}, b"malformed JSON"),
    ("100 MB single log line (Loki query_range)", "longline", "loki", {"tail": False},
     b"response larger than"),
    ("100 MB single log line (one tail frame)", "tailframe", "loki", {}, None),
]


def t7_dash(tmp, srv, mode, typ, opts, loki):
    if mode == "tailframe":
        hostile = {"type": "loki", "url": loki.url}
    else:
        hostile = dict({"type": typ, "url": "%s/%s" % (srv.url, mode)}, **opts)
    panel = ({"type": "logs", "title": "hostile", "source": "hostile", "query": '{app="x"}'}
             if typ == "loki" else {"type": "graph", "title": "hostile", "source": "hostile", "query": "up"})
    panel["grid"] = {"x": 0, "y": 0, "w": 12, "h": 20}
    return R.write_json(os.path.join(tmp, "d-%s.json" % mode), {
        "title": "t7", "range": "15m", "refresh": "2s",
        "sources": {"hostile": hostile, "ok": {"type": "prometheus", "url": srv.url + "/ok"}},
        "panels": [panel, {"type": "graph", "title": "healthy", "source": "ok", "query": "up",
                           "legend": "healthy", "grid": {"x": 12, "y": 0, "w": 12, "h": 20}}]})


def t7_events(path, since):
    out = []
    try:
        with open(path) as f:
            for line in f:
                e = json.loads(line)
                if e["t"] >= since:
                    out.append(e)
    except OSError:
        pass
    return out


def t7():
    secs = float(os.environ.get("T7_SECONDS", "15"))
    tmp = R.tmpdir("t7")
    events = os.path.join(tmp, "events.jsonl")
    lev = os.path.join(tmp, "loki-events.jsonl")
    srv = R.server("faultsrv.py", ["--events", events], tmp, "/ok/api/v1/status/buildinfo")
    loki = R.server("loki.py", ["--rate", "5", "--backlog", "5", "--events", lev], tmp)
    rows = []
    base = None
    for name, mode, typ, opts, needle in T7_CASES:
        dash = t7_dash(tmp, srv, mode, typ, opts, loki)
        t_start = time.time()
        p = R.scry(dash, tmp)
        t_spawn = time.monotonic()
        p.wait_for(R.READY, 10)
        if mode == "tailframe":
            p.quiet(2)
            t_start = time.time()
            R.http(loki.url + "/ctl/oversized?mb=100", "POST")
        keys, shown = [], None
        end = time.monotonic() + secs
        while time.monotonic() < end:
            keys += R.key_latency(p, 1, gap=(0.02, 0.1))
            if needle and shown is None and p.out.find(needle) >= 0:
                shown = time.monotonic() - t_spawn
            R.trim(p, 8 << 20)
        hwm = R.proc_status(p.pid, "VmHWM")
        rss = R.proc_status(p.pid, "VmRSS")
        healthy = b"healthy" in p.out
        p.send(b"q")
        st = p.wait(10)
        p.close()
        ev = t7_events(events, t_start) if mode != "tailframe" else []
        aborts = [e["end"] - e["cross"] for e in ev
                  if e["cross"] and e["end"] and e["mode"] == mode and e["why"] != "complete"]
        if mode == "tailframe":
            lv = t7_events(lev, t_start)
            endt = next((e["t"] for e in lv if e["ev"] == "end"), None)
            up = next((e["t"] for e in lv if e["ev"] == "open" and endt and e["t"] > endt), None)
            transfers = "closed after %s, reconnected %s later" % (
                "%.2f s" % (endt - t_start) if endt else "-", "%.2f s" % (up - endt) if up and endt else "-")
        else:
            transfers = "%d, %s" % (len([e for e in ev if e["mode"] == mode]),
                                    "abort p50/max %s / %s after the cap" % (R.ms(R.pct(aborts, 50)),
                                                                          R.ms(max(aborts)))
                                    if aborts else "none aborted")
        if base is None:
            base = hwm
        rows.append([name, transfers, "%.2f s" % shown if shown else "-",
                     "%.0f MiB (+%.0f)" % (hwm, hwm - base), "%.0f MiB" % rss,
                     R.lat_summary(keys), "yes" if healthy else "NO", st,
                     R.verdict(st == 0 and max(keys) <= 0.1 and (not aborts or max(aborts) <= 1.0)
                               and hwm - base <= 13 * (opts.get("max_bytes", 32 << 20) >> 20))])
    srv.stop()
    loki.stop()
    R.header("T7: huge and hostile answers", CMD % "t7",
             "Each case is its own scry run (120x40 pty, a fresh process so its peak RSS is its "
             "own) on a dashboard with the hostile panel beside a healthy graph, refresh 2 s, for "
             "%g s after the first frame, while keys are sampled back to back.  Answers from "
             "tests/servers/faultsrv.py (Prometheus API unless said); the tail frame from "
             "tests/servers/loki.py `/ctl/oversized?mb=100` (scry's `tail_max_message` is 16 MiB).  "
             "\"abort after the cap\": the server's clock from writing the byte that took the "
             "decoded total past 32 MiB (64 KiB send buffer) to the client's hang-up - an upper "
             "bound.  Transfers repeat with the source's backoff.  Targets (robustness.md T7): "
             "abort <= 1 s after the cap, peak RSS <= baseline + 13 x cap, keys <= 100 ms "
             "(the issue) throughout." % secs)
    R.table(["answer", "transfers", "error on screen after", "peak RSS (VmHWM)", "RSS at the end",
             "key latency p50 / p95 / max (n)", "healthy panel drawn", "exit", ""], rows)
    shutil.rmtree(tmp, ignore_errors=True)

# ---------------------------------------------------------------- T11

REDOS = [
    r"^(a+)+$", r"^(a|aa)+$", r"^(a|a?)+$", r"^(a*)*$", r"(a+)+b", r"(a|a)+b", r"^(\w+\s?)*$",
    r"^([a-zA-Z]+)*$", r"^(([a-z])+.)+[A-Z]([a-z])+$", r"(x+x+)+y!", r"(.*a){12}z", r"(.*){1,32000}[bc]z",
    r"(*LIMIT_MATCH=1000000000)^(a+)+$", r"(*LIMIT_DEPTH=1000000)(a|aa)+$",
    r"(*LIMIT_HEAP=1000000)^(a*)*$", r"^(?:a|a)*$", r"^(a?){30}a{30}$", r"(a?){25}a{25}",
    r"^(a+?)+$", r"((a+)+)+$", r"(ab|a)*c", r"^(a|b|ab)*$", r"^(word\s?)+$", r"^(\w+\s*)+$",
    r"(\s*\w+)*!x", r"^(x+)+$", r"(x|x)+z", r"(x*)*z", r"^([ax]+)*$", r"^(a+b?)+$", r"^(a|ab|b)*c$",
    r"(a{1,20}){1,20}!x", r"(?:a+)+(?:b+)+d", r"^(a+)+(b+)+c$", r"(a*)*(b*)*d", r"(.*?a){30}z",
    r"(.*a){20}z", r"^(([a-z])+.)+$", r"((ab)*)*x", r"((a|b)+)+z", r"^(?=(a+))+\1!x", r"(a+)\1+x",
    r"^(a+)+\1$", r"\C+", r"^(a(?1)?)+$", r"((((((((((a*)*)*)*)*)*)*)*)*)*)*b", r"^((a+)|(a+))+$",
    r"^(\p{L}+)+$", r"^(\X+)+$", r"(?i)^(A+)+$",
]


def t11():
    tmp = R.tmpdir("t11")
    srv = R.server("faultsrv.py", [], tmp, "/ok/api/v1/status/buildinfo")
    dash = R.write_json(os.path.join(tmp, "d.json"), {
        "title": "t11", "range": "15m",
        "sources": {"l": {"type": "loki", "url": srv.url + "/redos", "tail": False}},
        "panels": [{"type": "logs", "title": "bait", "source": "l", "query": '{app="redos"}',
                    "options": {"limit": 5000}, "grid": {"x": 0, "y": 0, "w": 24, "h": 20}}]})
    p = R.scry(dash, tmp)
    p.wait_for(R.READY, 10)
    p.wait_for(b"xxxxxxxx", 10)
    p.quiet(1)
    allkeys, rows = [], []
    limited = re.compile(rb"limit hit on (\d+) lines")
    t_all = time.monotonic()
    for pat in REDOS:
        mark = R.trim(p, 8 << 20)
        t0 = time.monotonic()
        p.send(b"&" + pat.encode() + b"\r")
        keys = R.keys_for(p, 1.5, gap=(0.01, 0.05))
        allkeys += keys
        out = bytes(p.out[mark:])
        hits = limited.findall(out)
        err = re.search(rb"[^\x1b]{0,80}(at offset \d+|pattern longer than \d+ bytes)", out)
        if hits:
            outcome = "limit hit on %s lines" % hits[-1].decode()
        elif err:
            outcome = "refused: " + re.sub(r"^.*\[[0-9;]*m", "", err.group(0).decode("utf-8", "replace")).strip()
        else:
            outcome = "no limit hit"
        rows.append(["`%s`" % pat.replace("|", "\\|"),
                     outcome, R.ms(max(keys))])
        p.send(b"x")        # remove the newest filter (nothing happens if it was refused)
        p.quiet(0.3)
    total = time.monotonic() - t_all
    alive = p.alive()
    hwm = R.proc_status(p.pid, "VmHWM") if alive else float("nan")
    p.send(b"q")
    st = p.wait(10)
    p.close()
    srv.stop()
    lim = sum(1 for r in rows if r[1].startswith("limit"))
    ref = sum(1 for r in rows if r[1].startswith("refused"))
    R.header("T11: ReDoS - %d catastrophic filters over 1 MB of lines" % len(REDOS), CMD % "t11",
             "One scry run (120x40 pty): a logs panel holding the 4,964 lines (1.0 MB) of "
             "tests/servers/faultsrv.py `/redos`: 64 lines of 8 KiB (`aaa...a!`, invalid UTF-8 in "
             "every fourth) and short lines of a's, x's, `abab`, words.  Each pattern is typed as "
             "an include filter (`&PATTERN` Enter), keys are sampled back to back for 1.5 s while "
             "it filters, then `x` removes it.  scry's limits (core/regex.h): 100,000 match steps, "
             "depth 10,000, 8 MiB heap, 4 KiB pattern; JIT.")
    R.table(["figure", "measured", "target", ""], [
        ["patterns tried / hit a limit on some line / refused at compile", "%d / %d / %d" % (len(REDOS), lim, ref), "", ""],
        ["key latency while filtering (p50 / p95 / max, n)", R.lat_summary(allkeys), "<= 100 ms",
         R.verdict(allkeys and max(allkeys) <= 0.1)],
        ["wall time for all %d patterns (incl. 1.8 s of sampling each)" % len(REDOS), "%.0f s" % total, "", ""],
        ["peak RSS", "%.0f MiB" % hwm, "", ""],
        ["still running after all patterns; exit status after q", "%s; %s" % ("yes" if alive else "NO", st),
         "yes; 0", R.verdict(alive and st == 0)],
    ])
    print("Per pattern: the filter bar's count of lines marked `LIM` when sampling stopped (filtering "
          "goes on in the background, 6 ms per frame, newest lines first), and the slowest key meanwhile:")
    print()
    R.table(["pattern", "outcome", "max key latency"], rows)
    shutil.rmtree(tmp, ignore_errors=True)

# ---------------------------------------------------------------- slow / dead

SLOW_SOURCES = [
    # title, source type, server, server args, ready path, panel type, query
    ("prometheus", "prometheus", "faultsrv.py", [], "/ok/api/v1/status/buildinfo", "graph", "up"),
    ("loki", "loki", "loki.py", ["--rate", "5", "--backlog", "600"], "/ready", "logs", '{namespace="shop"}'),
    ("kubectl", "kubectl", "kubeapi.py", None, "/version", "pods", ""),
    ("tempo", "tempo", "tempo.py", [], "/ready", "tracesearch", ""),
    ("jaeger", "jaeger", "jaeger.py", [], "/api/services", "tracesearch", "service=payment"),
]


def panel_text(screen, title):
    """The lines of the panel box whose title is `title` (boxes side by side)."""
    lines = screen.splitlines()
    for i, l in enumerate(lines):
        k = l.find("\u256d " + title + " ")
        if k >= 0:
            end = l.find("\u256e", k)
            out = []
            for m in lines[i:]:
                out.append(m[k:end + 1])
                if m[k:k + 1] == "\u2570":
                    break
            return "\n".join(out)
    return ""


def kubeconfig(path, url):
    with open(path, "w") as f:
        f.write("""apiVersion: v1
kind: Config
clusters:
- name: eu1
  cluster: {server: %s}
contexts:
- name: prod-eu1
  context: {cluster: eu1, user: sre, namespace: shop}
current-context: prod-eu1
users:
- name: sre
  user: {token: sre-s3cr3t-t0ken-do-not-leak-0123456789}
""" % url)
    os.chmod(path, 0o600)


def slow():
    hang_s = float(os.environ.get("SLOW_HANG", "40"))
    dead_s = float(os.environ.get("SLOW_DEAD", "15"))
    tmp = R.tmpdir("slow")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    srcs, panels, proxies = {}, [], {}
    for i, (title, typ, server, args, ready, ptype, query) in enumerate(SLOW_SOURCES):
        if server == "kubeapi.py":
            args = ["--fixtures", os.path.join(R.TOP, "tests/fixtures/incident/kube"),
                    "--now", "2026-11-26T02:32:00Z"]
        srv = R.server(server, args, tmp, ready)
        pport, cport = R.free_port(), R.free_port()
        R.Proc(["python3", os.path.join(R.SERVERS, "faultproxy.py"), "--port", str(pport),
                "--to", "127.0.0.1:%d" % srv.port, "--ctl", str(cport)],
               log=os.path.join(tmp, "proxy.log"), ready="http://127.0.0.1:%d/" % cport)
        proxies[title] = "http://127.0.0.1:%d" % cport
        url = "http://127.0.0.1:%d" % pport
        if typ == "prometheus":
            url += "/ok"
        if typ == "kubectl":
            kc = os.path.join(tmp, "kubeconfig")
            kubeconfig(kc, url)
            srcs[title] = {"type": "kubectl", "context": "prod-eu1", "kubeconfig": kc,
                           "request_timeout": "4s", "timeout": "5s"}
        else:
            srcs[title] = {"type": typ, "url": url}
        panels.append({"type": ptype, "title": title, "source": title, "query": query,
                       "grid": {"x": (i % 2) * 12, "y": (i // 2) * 10, "w": 12, "h": 10}})
    dash = R.write_json(os.path.join(tmp, "d.json"), {
        "title": "slow", "range": "24h", "refresh": "5s", "sources": srcs, "panels": panels})
    tm = R.Tmux(200, 60, "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color HOME=%s SCRY_LOG=%s %s %s" %
                (home, os.path.join(tmp, "scry.log"), R.BIN, dash), tmp)
    # a second scry on the same dashboard, in a pty, for key latency
    p = R.scry(dash, tmp, cols=200, rows=60, env={"HOME": home, "SCRY_LOG": os.path.join(tmp, "scry2.log")})
    p.quiet(8)
    rows = []
    stale_re = re.compile(r"stale (\d+)s")

    def others_fresh(skip):
        scr = tm.screen()
        return [t for t, *_ in SLOW_SOURCES if t != skip and stale_re.search(panel_text(scr, t))]

    for title, *_ in SLOW_SOURCES:
        R.http(proxies[title] + "/mode?m=hang", "POST")
        t0 = time.monotonic()
        stale_at, keys, ages, bad_others = None, [], [], set()
        while time.monotonic() - t0 < hang_s:
            keys += R.key_latency(p, 1, gap=(0.05, 0.15))
            txt = panel_text(tm.screen(), title)
            m = stale_re.search(txt)
            if m and stale_at is None:
                stale_at = time.monotonic() - t0
            if m:
                ages.append(int(m.group(1)))
            bad_others |= set(others_fresh(title))
        R.http(proxies[title] + "/mode?m=dead", "POST")
        t1 = time.monotonic()
        while time.monotonic() - t1 < dead_s:
            keys += R.key_latency(p, 1, gap=(0.05, 0.15))
            m = stale_re.search(panel_text(tm.screen(), title))
            if m:
                ages.append(int(m.group(1)))
            bad_others |= set(others_fresh(title))
        dead_txt = panel_text(tm.screen(), title)
        R.http(proxies[title] + "/mode?m=pass", "POST")
        t2 = time.monotonic()
        back = None
        while time.monotonic() - t2 < 30:
            if not stale_re.search(panel_text(tm.screen(), title)):
                back = time.monotonic() - t2
                break
            p.quiet(0.2)
        err_line = [l.strip("│ ") for l in dead_txt.splitlines() if "!" in l or "error" in l.lower()]
        rows.append([title, "%.1f s" % stale_at if stale_at is not None else "never",
                     "yes" if ages and max(ages) > min(ages) else "no",
                     (err_line[-1][:70] if err_line else "-").replace("|", "\\|"),
                     "%.1f s" % back if back is not None else "not within 30 s",
                     ", ".join(sorted(bad_others)) or "none", R.lat_summary(keys),
                     R.verdict(stale_at is not None and back is not None and not bad_others
                               and max(keys) <= 0.1)])
        p.quiet(3)
    tm.keys("q")
    st = tm.exit_status(10)
    tm.kill()
    p.send(b"q")
    st2 = p.wait(10)
    p.close()
    R.Proc.stop_all()
    R.header("Slow and dead backends, every source type (T8)", CMD % "slow",
             "One scry in a private tmux (200x60), a panel per source type, each source reached "
             "through tests/servers/faultproxy.py (a TCP proxy that can freeze or die), refresh 5 s, "
             "kubectl `request_timeout` 4s / `timeout` 5s.  In turn each backend hangs for %g s "
             "(connections open, no byte moves; new ones accepted and ignored), then dies for %g s "
             "(connections reset, new ones refused), then comes back.  The screen is read from "
             "tmux; keys are sampled from a second scry on the same dashboard in a pty (Ctrl-L "
             "to the repainted frame), which sees the same faults; \"other panels stale\" lists "
             "any other panel that showed a stale badge meanwhile.  Exit status at the end: "
             "tmux %s, pty %s." % (hang_s, dead_s, st, st2))
    R.table(["source", "stale badge after", "age counts up", "error shown while dead",
             "recovered after", "other panels stale", "key latency p50 / p95 / max (n)", ""], rows)
    shutil.rmtree(tmp, ignore_errors=True)

# ---------------------------------------------------------------- T9

BOARD = os.path.join(R.TOP, "tests/fixtures/dashboards/board.json")
SPECIAL = [(0, 0), (1, 1), (1, 80), (80, 1), (24, 1), (1, 24), (0, 30), (100, 0), (500, 200), (2, 2)]


def storm_sizes(rnd, n, lo=0):
    sizes = [(rnd.randint(lo, 500), rnd.randint(lo, 200)) for _ in range(n)]
    for sz in SPECIAL * 20:
        sizes[rnd.randrange(n)] = (max(sz[0], lo), max(sz[1], lo))
    return sizes


def t9_pty(seed, n, secs):
    rnd = random.Random(seed)
    tmp = R.tmpdir("t9")
    p = R.scry(BOARD, tmp, cols=100, rows=30)
    p.wait_for(R.READY, 5)
    sizes = storm_sizes(rnd, n)
    t0 = time.monotonic()
    for i, (c, r) in enumerate(sizes):
        p.resize(c, r)
        p.pump(0)
        R.trim(p, 4 << 20)
        lag = t0 + (i + 1) * secs / n - time.monotonic()
        if lag > 0:
            time.sleep(lag)
    took = time.monotonic() - t0
    mark = R.trim(p, 4 << 20)
    p.resize(100, 30)
    t_last = time.monotonic()
    got = p.wait_for(R.frame_end(30), 5, mark)
    final = time.monotonic() - t_last if got else None
    alive = p.alive()
    p.resize(1, 1)
    p.quiet(0.3)
    p.send(b"q")
    st = p.wait(5)
    fs = R.final_state(p.out)
    restored = p.termios_changed() == [] and not fs["alt_screen"] and fs["cursor_visible"]
    p.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return took, alive, final, st, restored


def t9_tmux(seed, n, secs):
    rnd = random.Random(seed)
    tmp = R.tmpdir("t9t")
    env = "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color"
    tm = R.Tmux(100, 30, "%s %s %s" % (env, R.BIN, BOARD), tmp)
    tm.wait("q quit", 5)
    ctl = subprocess.Popen(["tmux", "-L", tm.sock, "-C", "attach", "-t", "t"], stdin=subprocess.PIPE,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sizes = storm_sizes(rnd, n, lo=1)      # tmux refuses 0
    t0 = time.monotonic()
    for i, (c, r) in enumerate(sizes):
        ctl.stdin.write(b"resize-window -t t -x %d -y %d\n" % (c, r))
        if i % 50 == 0:
            ctl.stdin.flush()
        lag = t0 + (i + 1) * secs / n - time.monotonic()
        if lag > 0:
            time.sleep(lag)
    ctl.stdin.write(b"resize-window -t t -x 100 -y 30\n")
    ctl.stdin.flush()
    took = time.monotonic() - t0
    t_last = time.monotonic()
    snap = subprocess.run([R.BIN, "--snapshot", "--size", "100x30", "--color", "never", BOARD],
                          capture_output=True, text=True,
                          env=dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")).stdout
    same, final = False, None
    while time.monotonic() - t_last < 5:
        if tm.screen() == snap:
            same, final = True, time.monotonic() - t_last
            break
        time.sleep(0.01)
    alive = tm.child() is not None
    ctl.stdin.write(b"resize-window -t t -x 1 -y 1\n")
    ctl.stdin.flush()
    time.sleep(0.3)
    tm.keys("q")
    st = tm.exit_status(5)
    ctl.stdin.close()
    ctl.wait(5)
    tm.kill()
    shutil.rmtree(tmp, ignore_errors=True)
    return took, alive, final, same, st


def t9():
    n = int(os.environ.get("T9_N", "10000"))
    secs = float(os.environ.get("T9_SECONDS", "10"))
    runs = int(os.environ.get("T9_RUNS", "3"))
    rows = []
    for k in range(runs):
        took, alive, final, st, restored = t9_pty(90 + k, n, secs)
        rows.append(["pty run %d" % (k + 1), "%d in %.1f s" % (n, took), "yes" if alive else "**NO**",
                     R.ms(final) if final is not None else "not drawn", "-", "%s%s" % (
                         st, ", terminal restored" if restored else ", **not restored**"),
                     R.verdict(alive and final is not None and final <= 0.1 and st == 0 and restored)])
    for k in range(runs):
        took, alive, final, same, st = t9_tmux(190 + k, n, secs)
        rows.append(["tmux 3.3a run %d" % (k + 1), "%d in %.1f s" % (n, took), "yes" if alive else "**NO**",
                     R.ms(final) if final is not None else "-", "yes" if same else "**NO**", st,
                     R.verdict(alive and same and st == "EXIT=0")])
    R.header("T9: resize storm", CMD % "t9",
             "scry on tests/fixtures/dashboards/board.json.  pty: %d TIOCSWINSZ (each a SIGWINCH) "
             "in %g s, sizes random in 0..500 x 0..200 with 0x0, 1x1, 1x80, 80x1, 24x1, 1x24, 0x30, "
             "100x0, 500x200 and 2x2 mixed in (200 of them), then 100x30: \"final frame\" is the time "
             "from the last resize to a complete repaint at 100x30; then 1x1 and `q`.  tmux: the "
             "same through a control-mode client (`resize-window`, 1..500 x 1..200: tmux refuses "
             "0), then 100x30: the pane must equal `scry --snapshot --size 100x30` exactly, timed "
             "from the last resize; then 1x1 and `q`.  Target: no crash, correct final frame <= "
             "100 ms after the last resize (tmux's own redraw is included in its figure), `q` works "
             "at 1x1." % (n, secs))
    R.table(["run", "resizes", "still running", "final frame after", "equals the snapshot",
             "exit after q at 1x1", ""], rows)


# ---------------------------------------------------------------- T10

SIGS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGSEGV, signal.SIGABRT]


def t10_pty(sig, env, runs):
    ok, bad = 0, []
    for _ in range(runs):
        tmp = R.tmpdir("t10")
        p = R.Pty([R.BIN, BOARD], cols=100, rows=30, env=dict(R.UTF8, **env), cwd=tmp, core=True)
        if not p.wait_for(R.READY, 5):
            bad.append("no first frame")
            p.close()
            continue
        p.kill(sig)
        st = p.wait(5)
        fs = R.final_state(p.out)
        why = []
        if st != 128 + sig:
            why.append("status %s" % st)
        if p.termios_changed():
            why.append("termios " + ",".join(p.termios_changed()))
        if fs["alt_screen"] or not fs["cursor_visible"] or fs["mouse"] or fs["keypad_xmit"]:
            why.append("modes %s" % fs)
        if getattr(p, "core_dumped", False) or any(f.startswith("core") for f in os.listdir(tmp)):
            why.append("core dumped")
        p.close()
        shutil.rmtree(tmp, ignore_errors=True)
        if why:
            bad.append("; ".join(why))
        else:
            ok += 1
    return ok, bad


def shell_run(tmp):
    """The command a multiplexer runs: stty before and after, scry's $?."""
    return ("stty -g > %s/before; env LANG=C.UTF-8 LC_ALL=C.UTF-8 %s %s; echo $? > %s/rc; "
            "stty -g > %s/after; sleep 2" % (tmp, R.BIN, BOARD, tmp, tmp))


def scry_under(tmp, secs=5):
    """PID of the scry started by shell_run(tmp) (found by its exe and the
    directory in its parent shell's command line)."""
    end = time.monotonic() + secs
    while time.monotonic() < end:
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                if os.readlink("/proc/%s/exe" % d) != os.path.realpath(R.BIN):
                    continue
                with open("/proc/%s/stat" % d) as f:
                    ppid = f.read().rsplit(")", 1)[1].split()[1]
                with open("/proc/%s/cmdline" % ppid) as f:
                    if tmp in f.read():
                        return int(d)
            except OSError:
                pass
        time.sleep(0.1)
    return None


def shell_result(tmp, sig, why):
    end = time.monotonic() + 5
    while not os.path.exists(os.path.join(tmp, "after")) and time.monotonic() < end:
        time.sleep(0.05)
    time.sleep(0.1)
    try:
        with open(os.path.join(tmp, "rc")) as f:
            rc = f.read().strip()
        with open(os.path.join(tmp, "before")) as a, open(os.path.join(tmp, "after")) as b:
            same = a.read() == b.read()
    except OSError:
        rc, same = "?", False
    if rc != str(128 + sig):
        why.append("status %s" % rc)
    if not same:
        why.append("stty -g differs")


def t10_tmux(sig, runs):
    ok, bad = 0, []
    for _ in range(runs):
        tmp = R.tmpdir("t10t")
        tm = R.Tmux(100, 30, "env TERM=tmux-256color sh -c '%s'" % shell_run(tmp), tmp)
        tm.wait("q quit", 5)
        pid = scry_under(tmp)
        why = []
        if pid:
            os.kill(pid, sig)
        else:
            why.append("scry not found")
        shell_result(tmp, sig, why)
        if tm.pane("#{alternate_on}") != "0":
            why.append("alternate screen on")
        if tm.pane("#{cursor_flag}") != "1":
            why.append("cursor hidden")
        if tm.pane("#{mouse_any_flag}") not in ("0", ""):
            why.append("mouse on")
        tm.kill()
        shutil.rmtree(tmp, ignore_errors=True)
        if why:
            bad.append("; ".join(why))
        else:
            ok += 1
    return ok, bad


def t10_screen(sig, runs):
    """GNU screen: termios and exit status (screen keeps no queryable modes)."""
    ok, bad = 0, []
    for k in range(runs):
        tmp = R.tmpdir("t10s")
        os.chmod(tmp, 0o700)
        name = "scry-robust-%d-%d" % (os.getpid(), k)
        scr = subprocess.Popen(["screen", "-D", "-m", "-S", name, "-T", "screen", "sh", "-c", shell_run(tmp)],
                               env=dict(os.environ, SCREENDIR=tmp, LANG="C.UTF-8"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pid = scry_under(tmp)
        why = []
        if pid:
            time.sleep(0.5)
            os.kill(pid, sig)
        else:
            why.append("scry not found")
        shell_result(tmp, sig, why)
        try:
            scr.wait(10)
        except subprocess.TimeoutExpired:
            scr.kill()
            scr.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        if why:
            bad.append("; ".join(why))
        else:
            ok += 1
    return ok, bad


def t10():
    runs = int(os.environ.get("T10_RUNS", "20"))
    kruns = int(os.environ.get("T10_KIND_RUNS", "3"))
    rows = []
    total = [0, 0]

    def row(where, sig, n, res):
        ok, bad = res
        total[0] += ok
        total[1] += n
        rows.append([where, sig.name, "%d / %d" % (ok, n), "; ".join(sorted(set(bad)))[:120] or "-",
                     R.verdict(ok == n)])
    for sig in SIGS:
        row("pty, TERM=xterm-256color", sig, runs, t10_pty(sig, {}, runs))
    for name, env in (("TERM=linux", {"TERM": "linux"}), ("TERM=vt100", {"TERM": "vt100"}),
                      ("TERM=screen", {"TERM": "screen"}), ("LANG=C", {"LANG": "C", "LC_ALL": "C"})):
        for sig in SIGS:
            row("pty, " + name, sig, kruns, t10_pty(sig, env, kruns))
    for sig in SIGS:
        row("inside tmux 3.3a", sig, kruns, t10_tmux(sig, kruns))
    if shutil.which("screen"):
        for sig in SIGS:
            row("inside GNU screen", sig, kruns, t10_screen(sig, kruns))
    # SIGKILL cannot be caught: what is left behind
    tmp = R.tmpdir("t10k")
    p = R.Pty([R.BIN, BOARD], cols=100, rows=30, env=dict(R.UTF8), cwd=tmp)
    p.wait_for(R.READY, 5)
    p.kill(signal.SIGKILL)
    st = p.wait(5)
    fs = R.final_state(p.out)
    changed = p.termios_changed()
    kill_note = ("SIGKILL (cannot be caught; for the record): status %s, termios %s, alternate "
                 "screen %s, cursor %s - `reset` or `stty sane` is the user's remedy, as for any "
                 "curses program." % (st, "changed (%s)" % ",".join(changed) if changed else "unchanged",
                                      "left on" if fs["alt_screen"] else "off",
                                      "hidden" if not fs["cursor_visible"] else "visible"))
    p.close()
    shutil.rmtree(tmp, ignore_errors=True)
    R.header("T10: terminal restoration after signals; terminal kinds", CMD % "t10",
             "Each run starts scry on board.json, waits for the first frame and sends the signal "
             "from outside (SIGSEGV and SIGABRT \"injected\" with kill).  pty: the harness keeps the "
             "slave open and compares its termios before and after, replays every byte scry wrote "
             "for the final modes (alternate screen 1049, cursor 25, mouse, keypad), the exit status "
             "must be 128+n and no core file may appear (RLIMIT_CORE unlimited, scry turns cores "
             "off).  tmux: `stty -g` in the pane before and after, the pane's `alternate_on`, "
             "`cursor_flag`, `mouse_any_flag`, the shell's `$?`.  GNU screen: `stty -g` and `$?` "
             "(screen offers no query for its modes).")
    R.table(["where", "signal", "restored (all checks)", "failures", ""], rows)
    print("Total: %d / %d runs restored (%s)." % (total[0], total[1], "100 %" if total[0] == total[1]
                                                  else "%.1f %%" % (100.0 * total[0] / total[1])))
    print()
    print(kill_note)
    print()


# ---------------------------------------------------------------- main

SECTIONS = {"t6": t6, "t7": t7, "t11": t11, "slow": slow, "t9": t9, "t10": t10}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SECTIONS:
        print("usage: robustness.py %s" % "|".join(SECTIONS), file=sys.stderr)
        return 2
    try:
        SECTIONS[sys.argv[1]]()
    finally:
        R.Proc.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
