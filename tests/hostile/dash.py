#!/usr/bin/env python3
"""dash.py: the dashboards the hostile tests open (tests/hostile/server.py
and the trace and kube test servers feed them).

usage: dash.py KIND OUT [key=value ...]
KIND:
  prom-table    one tall table of every series (label values I, J)
  prom-legends  a graph per payload batch, legends without and with a
                template, and a bar panel per batch (series names)
  prom-alerts   one alerts panel per payload (filter idx="N"): name,
                labels and, live, annotations
  prom-errors   a stat panel per payload answered with an error
                (errors=promerr: the 422 error envelope, promtext: a
                text/plain 500, promhtml: an HTML 502, promwarn: warnings)
  prom-pty      the screen the pty test walks: graph, table, alerts,
                errors, warnings
  loki          logs panels of every stream: lines, pod and app labels
  loki-errors   a logs panel per payload answered 400 with it
  trace         the trace ID from Tempo and from Jaeger (tempo=URL
                jaeger=URL trace=ID [h=panel height] [sources=tempo,jaeger])
  kube          pods and events panels (a kubectl source)
keys: url=BASE (server.py's root), n=payload count, batch=size, and the
ones a kind names.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import payloads  # noqa: E402

N = len(payloads.PAYLOADS)


def grid(x, y, w, h):
    return {"x": x, "y": y, "w": w, "h": h}


def tiles(panels, w, h):
    """Lay panels out left to right, top to bottom, w x h grid units each."""
    per = 24 // w
    for k, p in enumerate(panels):
        p["grid"] = grid((k % per) * w, (k // per) * h, w, h)
    return panels


def prom_sources(url):
    return {name: {"type": "prometheus", "url": url + "/" + name}
            for name in ("prom", "promerr", "promtext", "promhtml", "promwarn")}


def build(kind, a):
    url = a.get("url", "")
    n = int(a.get("n", N))
    batches = (n + int(a.get("batch", 24)) - 1) // int(a.get("batch", 24))
    src = prom_sources(url)
    if kind == "prom-table":
        panels = [{"type": "table", "title": "every series", "source": "prom",
                   "query": "hostile", "grid": grid(0, 0, 24, n + 6)}]
    elif kind == "prom-legends":
        panels = [{"type": "graph", "title": "batch %d" % b, "source": "prom",
                   "query": 'hostile{b="%d"}' % b} for b in range(batches)]
        panels += [{"type": "graph", "title": "templated %d" % b, "source": "prom",
                    "query": 'hostile{b="%d"}' % b, "legend": "{{job}} {{instance}}"}
                   for b in range(batches)]
        panels += [{"type": "bar", "title": "bar %d" % b, "source": "prom",
                    "query": 'hostile{b="%d"}' % b} for b in range(batches)]
        panels = tiles(panels, 6, 70)
    elif kind == "prom-alerts":
        panels = tiles([{"type": "alerts", "title": "alert %d" % i, "source": "prom",
                         "options": {"filter": '{idx="%d"}' % i}} for i in range(n)], 4, 7)
    elif kind == "prom-errors":
        which = a.get("errors", "promerr")
        panels = tiles([{"type": "stat", "title": "%s %d" % (which, i), "source": which,
                         "query": 'x{b="99",i="%d"}' % i} for i in range(n)], 3, 6)
    elif kind == "prom-pty":
        panels = [
            {"type": "graph", "title": "legend", "source": "prom", "query": 'hostile{b="0"}',
             "grid": grid(0, 0, 12, 12)},
            {"type": "table", "title": "table", "source": "prom", "query": "hostile",
             "grid": grid(12, 0, 12, 12)},
            {"type": "alerts", "title": "alerts", "source": "prom", "grid": grid(0, 12, 12, 14)},
            {"type": "graph", "title": "warnings", "source": "promwarn",
             "query": 'hostile{b="1",i="9"}', "grid": grid(12, 12, 12, 14)}]
        panels += tiles([{"type": "stat", "title": "%s %d" % (s, i), "source": s,
                          "query": 'x{i="%d"}' % i}
                         for i in range(0, n, 23) for s in ("promerr", "promtext", "promhtml")],
                        4, 4)
        for p in panels[4:]:
            p["grid"]["y"] += 26
    elif kind == "loki":
        src = {"loki": {"type": "loki", "url": url + "/loki"}}
        panels = [{"type": "logs", "title": "by %s" % lab, "source": "loki",
                   "query": '{namespace="shop"}', "options": {"label": lab, "limit": 5000},
                   "grid": grid(0, k * (n + 4), 24, n + 4)}
                  for k, lab in enumerate(("pod", "app"))]
    elif kind == "loki-errors":
        src = {"loki": {"type": "loki", "url": url + "/lokierr"}}
        panels = tiles([{"type": "logs", "title": "error %d" % i, "source": "loki",
                         "query": '{i="%d"}' % i} for i in range(n)], 3, 6)
    elif kind == "trace":
        src = {"tempo": {"type": "tempo", "url": a.get("tempo")},
               "jaeger": {"type": "jaeger", "url": a.get("jaeger")}}
        h = int(a.get("h", n + 8))
        which = a.get("sources", "tempo,jaeger").split(",")
        src = {k: v for k, v in src.items() if k in which}
        panels = [{"type": "trace", "title": "%s trace" % w, "source": w,
                   "query": a["trace"], "grid": grid(0, k * h, 24, h)}
                  for k, w in enumerate(which)]
    elif kind == "kube":
        src = {"cluster": {"type": "kubectl", "context": "prod-eu1", "namespace": "shop"}}
        h = int(a.get("h", n + 6))
        panels = [{"type": "pods", "title": "pods", "source": "cluster", "grid": grid(0, 0, 24, h)},
                  {"type": "events", "title": "events", "source": "cluster",
                   "options": {"warnings_only": False}, "grid": grid(0, h, 24, h)}]
    else:
        sys.exit("dash.py: unknown kind " + kind)
    return {"title": a.get("title", "hostile " + kind), "range": a.get("range", "1h"),
            "sources": src, "panels": panels}


def main():
    kind, out = sys.argv[1], sys.argv[2]
    a = dict(kv.split("=", 1) for kv in sys.argv[3:])
    with open(out, "w") as f:
        json.dump(build(kind, a), f, indent=1)


if __name__ == "__main__":
    main()
