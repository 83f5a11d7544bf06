#!/usr/bin/env python3
"""Compare scry's log dump (SCRY_LOGDUMP) with the Loki test server's ledger.

usage: logdump_check.py DUMP LOKI_URL [--key-contains TEXT] [--from-seq N]

Prints TAP lines ("ok - ..." / "not ok - ...").  Checks, for the lines of
the keys selected:
  - no line is held twice (de-duplication across history, tail, fills);
  - the sequence numbers held are contiguous from the first to the last
    (no gap across reconnects, restarts, dropped entries);
  - the last line is the server's last line (after /ctl/freeze);
  - every line's text and nanosecond timestamp equal what the server
    generated for that sequence number;
  - the server really sent some lines more than once (so the test did
    exercise the de-duplication).
"""
import json
import re
import sys
import urllib.request

SEQ = re.compile(r'seq=(\d+)|"seq": ?(\d+)')


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def main():
    dump, base = sys.argv[1], sys.argv[2]
    key_has = None
    from_seq = None
    args = sys.argv[3:]
    while args:
        a = args.pop(0)
        if a == "--key-contains":
            key_has = args.pop(0)
        elif a == "--from-seq":
            from_seq = int(args.pop(0))
    held = {}
    gaps = []
    with open(dump, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 3)
            if len(parts) < 4 or (key_has and key_has not in parts[0]):
                continue
            if parts[2] == "GAP":
                gaps.append(parts[3])
                continue
            m = SEQ.search(parts[3])
            if not m:
                continue
            seq = int(m.group(1) or m.group(2))
            held.setdefault(seq, []).append((int(parts[1]), parts[3]))
    stats = get(base + "/ctl/stats")
    ledger = dict((s, c) for s, c in get(base + "/ctl/ledger"))
    dups = [s for s, v in held.items() if len(v) > 1]
    report("no line held twice", not dups, "held twice: %s" % dups[:10])
    if not held:
        report("lines held", False, "the dump has no lines")
        return
    lo, hi = min(held), max(held)
    if from_seq is not None:
        report("history reaches back to seq %d" % from_seq, lo <= from_seq, "first held %d" % lo)
    missing = [s for s in range(lo, hi + 1) if s not in held]
    report("contiguous from seq %d to %d" % (lo, hi), not missing,
           "%d missing, first: %s" % (len(missing), missing[:20]))
    report("last line is the server's last (%d)" % stats["last_seq"], hi == stats["last_seq"],
           "held up to %d" % hi)
    bad = []
    for seq in sorted(held)[:: max(1, len(held) // 40)]:
        want = get(base + "/ctl/line?seq=%d" % seq)
        ts, text = held[seq][0]
        if ts != int(want["ts"]) or text != want["line"]:
            bad.append((seq, ts, want["ts"], text[:60], want["line"][:60]))
    report("time and text equal what the server generated", not bad, "differ: %s" % bad[:3])
    resent = sum(1 for s, c in ledger.items() if c > 1 and lo <= s <= hi)
    report("the server sent %d lines more than once (de-duplication exercised)" % resent, resent > 0,
           "no line was sent twice: the test did not exercise de-duplication")
    print("# held %d lines, seq %d..%d, %d gap markers, tails opened %d" %
          (len(held), lo, hi, len(gaps), stats["tails_opened"]))
    for g in gaps[:5]:
        print("# gap: %s" % g)


def report(name, good, detail):
    if good:
        print("ok - " + name)
    else:
        print("not ok - " + name)
        print("# " + detail)


if __name__ == "__main__":
    main()
