#!/usr/bin/env python3
"""A tiny HTTP proxy for tests (stdlib only): CONNECT tunnels and
absolute-URI requests, counting what went through it.

usage: proxy.py --port P --count FILE
Each request appends one line to FILE: "CONNECT host:port" or "GET url".
"""
import argparse
import socket
import threading


def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def handle(c, count, lock):
    try:
        head = b""
        while b"\r\n\r\n" not in head:
            d = c.recv(4096)
            if not d:
                return
            head += d
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, target, _ = line.split(" ", 2)
        with lock, open(count, "a") as f:
            f.write("%s %s\n" % (method, target))
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            up = socket.create_connection((host, int(port)), timeout=10)
            c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            rest = head.split(b"\r\n\r\n", 1)[1]
            if rest:
                up.sendall(rest)
        else:
            assert target.startswith("http://")
            hostport, path = (target[7:].split("/", 1) + [""])[:2]
            host, port = (hostport.rsplit(":", 1) + ["80"])[:2]
            up = socket.create_connection((host, int(port)), timeout=10)
            up.sendall(head.replace(target.encode(), b"/" + path.encode(), 1))
        threading.Thread(target=pipe, args=(up, c), daemon=True).start()
        pipe(c, up)
    except (OSError, ValueError, AssertionError):
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", required=True)
    a = ap.parse_args()
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", a.port))
    s.listen(64)
    lock = threading.Lock()
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c, a.count, lock), daemon=True).start()


if __name__ == "__main__":
    main()
