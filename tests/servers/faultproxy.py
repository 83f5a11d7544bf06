#!/usr/bin/env python3
"""faultproxy.py: a TCP proxy in front of a backend that can go slow or
die on command (robustness.md §6 T8: slow and dead backends).  Python 3
standard library only.

Usage: faultproxy.py --port PORT --to HOST:PORT --ctl CTLPORT

Control (HTTP on 127.0.0.1:CTLPORT): POST /mode?m=MODE
  pass   forward both ways (the default)
  hang   connections stay open but no byte moves either way; new
         connections are accepted and then ignored (a stuck backend)
  dead   every connection is reset and new ones are refused (the
         listening socket is closed: a backend that died)
GET /stats: {"mode", "conns", "accepted"}.
"""
import argparse
import json
import select
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"mode": "pass", "accepted": 0}
CONNS = set()
LISTENER = {"sock": None}


def reset(s):
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    except OSError:
        pass


def relay(client, target):
    try:
        upstream = socket.create_connection(target, timeout=5)
    except OSError:
        reset(client)
        return
    pair = (client, upstream)
    with LOCK:
        CONNS.add(pair)
    try:
        while True:
            mode = STATE["mode"]
            if mode == "dead":
                break
            r, _, _ = select.select([client, upstream], [], [], 0.05)
            if mode == "hang" or not r:
                continue
            for s in r:
                data = s.recv(65536)
                if not data:
                    raise OSError("closed")
                (upstream if s is client else client).sendall(data)
    except (OSError, ValueError):
        pass
    finally:
        with LOCK:
            CONNS.discard(pair)
        for s in pair:
            reset(s) if STATE["mode"] == "dead" else s.close()


def listen(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    return s


def acceptor(port, target):
    while True:
        with LOCK:
            s = LISTENER["sock"]
        if s is None:
            threading.Event().wait(0.05)
            continue
        try:
            r, _, _ = select.select([s], [], [], 0.05)
            if not r:
                continue
            c, _ = s.accept()
        except (OSError, ValueError):
            continue
        STATE["accepted"] += 1
        threading.Thread(target=relay, args=(c, target), daemon=True).start()


class Ctl(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, obj):
        b = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_GET(self):
        with LOCK:
            n = len(CONNS)
        self.reply({"mode": STATE["mode"], "conns": n, "accepted": STATE["accepted"]})

    def do_POST(self):
        m = self.path.split("m=", 1)[1] if "m=" in self.path else "pass"
        if m not in ("pass", "hang", "dead"):
            self.send_error(400)
            return
        with LOCK:
            STATE["mode"] = m
            if m == "dead" and LISTENER["sock"] is not None:
                LISTENER["sock"].close()
                LISTENER["sock"] = None
            elif m != "dead" and LISTENER["sock"] is None:
                LISTENER["sock"] = listen(self.server.proxy_port)
        self.reply({"mode": m})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--to", required=True)
    ap.add_argument("--ctl", type=int, required=True)
    a = ap.parse_args()
    host, port = a.to.rsplit(":", 1)
    LISTENER["sock"] = listen(a.port)
    threading.Thread(target=acceptor, args=(a.port, (host, int(port))), daemon=True).start()
    srv = ThreadingHTTPServer(("127.0.0.1", a.ctl), Ctl)
    srv.proxy_port = a.port
    srv.daemon_threads = True
    srv.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
