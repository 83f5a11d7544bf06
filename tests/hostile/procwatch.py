#!/usr/bin/env python3
"""procwatch: sample the command lines of a process and all its
descendants while it runs (the secrets test greps them for canaries).

usage: procwatch.py PIDFILE OUT [--interval S] [--wait S]
Waits up to --wait seconds for PIDFILE, then every --interval seconds
reads /proc/*/stat to find the descendants of that pid and appends each
new "pid ppid comm<TAB>argv joined by spaces" line to OUT, until the pid
is gone.  OUT.limits gets /proc/PID/limits of the watched process, and
OUT.count the number of samples taken.
"""
import os
import sys
import time


def parents():
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
        except OSError:
            continue
        rest = s[s.rfind(")") + 2:].split()
        out[int(d)] = (int(rest[1]), s[s.find("(") + 1:s.rfind(")")])
    return out


def main():
    pidfile, out = sys.argv[1], sys.argv[2]
    interval = float(sys.argv[sys.argv.index("--interval") + 1]) if "--interval" in sys.argv else 0.1
    wait = float(sys.argv[sys.argv.index("--wait") + 1]) if "--wait" in sys.argv else 10
    end = time.time() + wait
    pid = None
    while time.time() < end and pid is None:
        try:
            pid = int(open(pidfile).read().strip())
        except (OSError, ValueError):
            time.sleep(0.02)
    if pid is None:
        sys.exit("procwatch: no pid in %s" % pidfile)
    try:
        with open("/proc/%d/limits" % pid) as f, open(out + ".limits", "w") as g:
            g.write(f.read())
    except OSError:
        pass
    seen, samples = set(), 0
    with open(out, "a") as f:
        while os.path.exists("/proc/%d" % pid):
            tree = parents()
            family = {pid}
            grew = True
            while grew:
                grew = False
                for p, (pp, _) in tree.items():
                    if pp in family and p not in family:
                        family.add(p)
                        grew = True
            for p in sorted(family):
                try:
                    with open("/proc/%d/cmdline" % p, "rb") as c:
                        argv = c.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
                except OSError:
                    continue
                line = "%d %d %s\t%s" % (p, tree.get(p, (0, "?"))[0], tree.get(p, (0, "?"))[1], argv)
                if line not in seen:
                    seen.add(line)
                    f.write(line + "\n")
                    f.flush()
            samples += 1
            time.sleep(interval)
    with open(out + ".count", "w") as g:
        g.write("%d\n" % samples)


if __name__ == "__main__":
    main()
