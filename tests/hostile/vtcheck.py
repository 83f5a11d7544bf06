#!/usr/bin/env python3
"""vtcheck: parse the raw bytes scry wrote to its terminal, report every
sequence its own drawing would never produce, and rebuild the screen.

ncurses draws with CSI cursor motion, erase, insert/delete, SGR, scroll
regions, a few DEC private modes (alternate screen, cursor, keypad,
autowrap), charset designation and ESC 7/8/M/=/>.  Anything else in the
stream came from data that escaped the sanitiser: OSC (titles, clipboard,
hyperlinks), DCS/APC/PM/SOS strings, terminal queries (DSR, DA, XTVERSION,
window reports), C0/C1 controls, BEL, bidi overrides, zero-width and tag
characters, invalid UTF-8.

The Screen class is a small VT emulator of exactly that drawing set (cell
widths from the C library's wcwidth, as ncurses measures them), so tests
can compare what the terminal shows, row by row and attribute by
attribute, with a run that had no hostile payloads.

Library: violations(data) -> [(offset, what)]; screens(data, cols, rows,
offsets) -> {offset: Screen}.
Command (TAP lines on stdout, the text on screen to OUT.text):
  vtcheck.py OUT [END] [--name NAME] [--size COLSxROWS]
             [--same BASE --rows SPEC] [--markers REGEX ... [--min N]]
             [--forbid TEXT ...]
END (or OUT.mark when END is "mark") stops the check before scry's exit
sequence.  --same compares the rows SPEC of the screen at END with the
screen of BASE at BASE.mark: SPEC is a comma list of row numbers
(negative: from the bottom) and /REGEX/ items (every row of BASE's screen
matching REGEX).  Each --markers counts the distinct REGEX matches over the
screens at every offset in OUT.marks and at END (which payloads were
really drawn; without --size, in the text of a snapshot) and fails below
--min.  OUT.text gets the bytes that are
not escape sequences, OUT.screen the screen at END.
"""
import argparse
import ctypes
import ctypes.util
import re
import sys

ESC = 0x1B
# CSI finals ncurses uses with TERM=xterm-256color (terminfo: cup hpa vpa
# cuu/cud/cuf/cub ech ich dch il dl indn rin el ed csr sgr rep cbt)
ALLOWED_CSI_FINALS = set(b"@ABCDGHJKLMPSTXZbdfmr")
# XTWINOPS 22/23: ncurses' smcup/rmcup push and pop the title stack
ALLOWED_CSI_EXACT = {b"22;0;0t", b"23;0;0t", b"4h", b"4l"}
ALLOWED_PRIVATE_MODES = {b"1", b"7", b"12", b"25", b"1000", b"1002", b"1003", b"1006",
                         b"1034", b"1049", b"2004"}
ALLOWED_ESC2 = set(b"78=>M")
INVISIBLE = set(range(0x80, 0xA0)) | {0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
                                      0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                      0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067,
                                      0x2068, 0x2069, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB}
CSI_RE = re.compile(rb"\x1b\[([\x30-\x3f]*)([\x20-\x2f]*)([\x40-\x7e])")


def _csi_violation(params, inter, final):
    seq = b"\x1b[" + params + inter + bytes([final])
    if inter:
        return "unexpected CSI %r" % seq
    if params + bytes([final]) in ALLOWED_CSI_EXACT:
        return None
    if params[:1] == b"?" and final in b"hl":
        bad = [m for m in params[1:].split(b";") if m not in ALLOWED_PRIVATE_MODES]
        return "private mode %r" % seq if bad else None
    if params[:1] in (b">", b"=", b"<", b"?"):
        return "unexpected CSI %r" % seq
    if final in b"nctqxp":
        return "terminal query %r" % seq
    if final not in ALLOWED_CSI_FINALS:
        return "unexpected CSI final %r" % seq
    if len(params) > 64:
        return "absurd CSI parameters %r" % seq[:40]
    return None


def _utf8_at(data, i):
    """(code point, length) of the UTF-8 sequence at i, or (None, 1)."""
    b = data[i]
    n = 2 if b >> 5 == 6 else 3 if b >> 4 == 14 else 4 if b >> 3 == 30 else 0
    if not n:
        return None, 1
    try:
        return ord(bytes(data[i:i + n]).decode("utf-8")), n
    except (UnicodeDecodeError, TypeError):
        return None, 1


def violations(data):
    """Every sequence or character scry's own drawing never produces."""
    out = []
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b == ESC:
            if i + 1 >= n:
                out.append((i, "lone ESC at end"))
                break
            c = data[i + 1]
            if c == ord("["):
                m = CSI_RE.match(data, i)
                if not m:
                    out.append((i, "unterminated CSI"))
                    break
                v = _csi_violation(m.group(1), m.group(2), m.group(3)[0])
                if v:
                    out.append((i, v))
                i = m.end()
                continue
            if c in b"]P_^X":
                out.append((i, "string sequence ESC %c (OSC/DCS/APC/PM/SOS)" % c))
            elif c in b"()" and i + 2 < n and data[i + 2] in b"0B":
                i += 3
                continue
            elif c not in ALLOWED_ESC2:
                out.append((i, "unexpected ESC %r" % bytes(data[i:i + 2])))
            i += 2
            continue
        if b == 0x07:
            out.append((i, "BEL"))
        elif (b < 0x20 and b not in (0x08, 0x0A, 0x0D)) or b == 0x7F:
            out.append((i, "C0 control 0x%02x" % b))
        elif b >= 0x80:
            cp, ln = _utf8_at(data, i)
            if cp is None:
                out.append((i, "invalid UTF-8 byte 0x%02x" % b))
            elif cp in INVISIBLE or 0xE0000 <= cp <= 0xE0FFF or 0xD800 <= cp <= 0xDFFF:
                out.append((i, "invisible/C1 code point U+%04X" % cp))
            i += ln
            continue
        i += 1
    return out


def plain(data):
    """The bytes that are not part of an escape sequence (text, CR, LF)."""
    data = CSI_RE.sub(b"", bytes(data))
    data = re.sub(rb"\x1b[()][0-9A-Za-z]|\x1b[^\[]", b"", data)
    return data.decode("utf-8", errors="replace")


def check(data, forbidden=()):
    v = violations(data)
    for f in forbidden:
        k = data.find(f)
        if k >= 0:
            v.append((k, "forbidden substring %r" % f[:40]))
    return v


# ---------------------------------------------------------------- screen

_libc = ctypes.CDLL(ctypes.util.find_library("c"))
_libc.setlocale.restype = ctypes.c_char_p
_libc.setlocale(0, b"C.UTF-8")          # LC_CTYPE
_libc.wcwidth.argtypes = [ctypes.c_uint32]
_WIDTH = {}


def wcwidth(cp):
    w = _WIDTH.get(cp)
    if w is None:
        w = _WIDTH[cp] = _libc.wcwidth(cp)
    return w


ACS = dict(zip("`afgijklmnopqrstuvwxyz{|}~", "◆▒°±␋┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·"))
BLANK = (" ", ())


class Screen:
    """The cells a terminal shows after the drawing sequences ncurses sends:
    rows of [text, sgr] cells; a wide glyph's second cell holds ""."""

    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.main = self._blank()
        self.alt = self._blank()
        self.cells = self.main
        self.x = self.y = 0
        self.top, self.bot = 0, rows - 1
        self.sgr = {}
        self.g0_acs = False
        self.wrap_pending = False
        self.autowrap = True
        self.insert = False
        self.saved = (0, 0, {}, False)
        self.last = " "

    def _blank(self, n=None):
        return [[BLANK] * self.cols for _ in range(self.rows if n is None else n)]

    def attrs(self):
        return tuple(sorted(self.sgr.items()))

    def row_text(self, y):
        return "".join(c[0] for c in self.cells[y])

    def text(self):
        return "\n".join(self.row_text(y).rstrip() for y in range(self.rows))

    def row(self, y):
        return list(self.cells[y])

    # -- drawing -------------------------------------------------------
    def put(self, ch):
        w = wcwidth(ord(ch))
        if w == 0:
            x = self.x - 1 if self.x > 0 and not self.wrap_pending else self.x
            if self.wrap_pending:
                x = self.cols - 1
            row = self.cells[self.y]
            if x >= 0 and row[x][0] == "" and x > 0:
                x -= 1
            if x >= 0:
                row[x] = (row[x][0] + ch, row[x][1])
            return
        if w < 0:
            w = 1
        if self.wrap_pending and self.autowrap:
            self.x = 0
            self.index()
        self.wrap_pending = False
        if self.x + w > self.cols:
            if not self.autowrap:
                self.x = self.cols - w
            else:
                self.x = 0
                self.index()
        row = self.cells[self.y]
        if self.insert:
            row[self.x:self.x] = [BLANK] * w
            del row[self.cols:]
        row[self.x] = (ch, self.attrs())
        if w == 2:
            row[self.x + 1] = ("", self.attrs())
        self.last = ch
        if self.x + w >= self.cols:
            self.x = self.cols - 1
            self.wrap_pending = True
        else:
            self.x += w

    def index(self):
        if self.y == self.bot:
            self.scroll_up(1)
        elif self.y < self.rows - 1:
            self.y += 1

    def scroll_up(self, n):
        region = self.cells[self.top:self.bot + 1]
        n = min(n, len(region))
        region = region[n:] + self._blank(n)
        self.cells[self.top:self.bot + 1] = region

    def scroll_down(self, n):
        region = self.cells[self.top:self.bot + 1]
        n = min(n, len(region))
        region = self._blank(n) + region[:len(region) - n]
        self.cells[self.top:self.bot + 1] = region

    def erase(self, y, x0, x1):
        cell = (" ", tuple(kv for kv in self.attrs() if kv[0] == "bg"))
        row = self.cells[y]
        for x in range(max(0, x0), min(self.cols, x1)):
            row[x] = cell

    def move(self, y, x):
        self.y = max(0, min(self.rows - 1, y))
        self.x = max(0, min(self.cols - 1, x))
        self.wrap_pending = False

    # -- sequences -----------------------------------------------------
    def sgr_apply(self, params):
        ps = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(ps):
            p = ps[i]
            if p == 0:
                self.sgr = {}
            elif p in (1, 2, 3, 4, 5, 7, 8, 9):
                self.sgr[str(p)] = 1
            elif p in (22, 23, 24, 25, 27, 28, 29):
                for k in {22: ("1", "2"), 23: ("3",), 24: ("4",), 25: ("5",),
                          27: ("7",), 28: ("8",), 29: ("9",)}[p]:
                    self.sgr.pop(k, None)
            elif 30 <= p <= 37 or 90 <= p <= 97:
                self.sgr["fg"] = p
            elif 40 <= p <= 47 or 100 <= p <= 107:
                self.sgr["bg"] = p
            elif p == 39:
                self.sgr.pop("fg", None)
            elif p == 49:
                self.sgr.pop("bg", None)
            elif p in (38, 48) and i + 1 < len(ps):
                key = "fg" if p == 38 else "bg"
                if ps[i + 1] == 5 and i + 2 < len(ps):
                    self.sgr[key] = (5, ps[i + 2])
                    i += 2
                elif ps[i + 1] == 2 and i + 4 < len(ps):
                    self.sgr[key] = tuple(ps[i + 1:i + 5])
                    i += 4
            i += 1

    def csi(self, params, final):
        p = params.decode()
        if p.startswith("?"):
            for mode in p[1:].split(";"):
                on = final == "h"
                if mode in ("1049", "1047", "47"):
                    self.cells = self.alt if on else self.main
                    if on:
                        self.alt[:] = self._blank()
                elif mode == "7":
                    self.autowrap = on
            return
        nums = [int(v) if v.isdigit() else 0 for v in p.split(";")] if p else []
        a = nums[0] if nums else 0
        n = a or 1
        if final in "Hf":
            self.move((a or 1) - 1, (nums[1] if len(nums) > 1 and nums[1] else 1) - 1)
        elif final == "A":
            self.move(self.y - n, self.x)
        elif final == "B":
            self.move(self.y + n, self.x)
        elif final == "C":
            self.move(self.y, self.x + n)
        elif final == "D":
            self.move(self.y, self.x - n)
        elif final == "G":
            self.move(self.y, n - 1)
        elif final == "d":
            self.move(n - 1, self.x)
        elif final == "Z":
            self.move(self.y, ((self.x - 1) // 8) * 8)
        elif final == "K":
            lo, hi = {0: (self.x, self.cols), 1: (0, self.x + 1), 2: (0, self.cols)}.get(a, (0, 0))
            self.erase(self.y, lo, hi)
        elif final == "J":
            if a == 0:
                self.erase(self.y, self.x, self.cols)
                for y in range(self.y + 1, self.rows):
                    self.erase(y, 0, self.cols)
            elif a == 1:
                self.erase(self.y, 0, self.x + 1)
                for y in range(0, self.y):
                    self.erase(y, 0, self.cols)
            else:
                for y in range(self.rows):
                    self.erase(y, 0, self.cols)
        elif final == "X":
            self.erase(self.y, self.x, self.x + n)
        elif final == "@":
            row = self.cells[self.y]
            row[self.x:self.x] = [BLANK] * n
            del row[self.cols:]
        elif final == "P":
            row = self.cells[self.y]
            del row[self.x:self.x + n]
            row.extend([BLANK] * (self.cols - len(row)))
        elif final in "LM" and self.top <= self.y <= self.bot:
            top = self.top
            self.top = self.y
            (self.scroll_down if final == "L" else self.scroll_up)(n)
            self.top = top
            self.x = 0
        elif final == "S":
            self.scroll_up(n)
        elif final == "T":
            self.scroll_down(n)
        elif final == "r":
            self.top = (a or 1) - 1
            self.bot = (nums[1] if len(nums) > 1 and nums[1] else self.rows) - 1
            self.move(0, 0)
        elif final == "m":
            self.sgr_apply(p)
        elif final == "b":
            for _ in range(min(n, self.cols * self.rows)):
                self.put(self.last)
        elif final in "hl" and p == "4":
            self.insert = final == "h"
        self.wrap_pending = self.wrap_pending and final in "m"

    def feed(self, data):
        i, n = 0, len(data)
        while i < n:
            b = data[i]
            if b == ESC and i + 1 < n:
                c = data[i + 1]
                if c == ord("["):
                    m = CSI_RE.match(data, i)
                    if not m:
                        return
                    self.csi(m.group(1) + m.group(2), chr(m.group(3)[0]))
                    i = m.end()
                    continue
                if c in b"()" and i + 2 < n:
                    if c == ord("("):
                        self.g0_acs = data[i + 2] == ord("0")
                    i += 3
                    continue
                if c == ord("7"):
                    self.saved = (self.y, self.x, dict(self.sgr), self.g0_acs)
                elif c == ord("8"):
                    y, x, sgr, acs = self.saved
                    self.move(y, x)
                    self.sgr, self.g0_acs = dict(sgr), acs
                elif c == ord("M"):
                    if self.y == self.top:
                        self.scroll_down(1)
                    else:
                        self.move(self.y - 1, self.x)
                elif c == ord("D"):
                    self.index()
                elif c == ord("E"):
                    self.x = 0
                    self.index()
                i += 2
                continue
            if b == 0x0D:
                self.move(self.y, 0)
            elif b == 0x0A:
                self.wrap_pending = False
                self.index()
            elif b == 0x08:
                self.move(self.y, self.x - 1)
            elif b == 0x09:
                self.move(self.y, min(self.cols - 1, (self.x // 8 + 1) * 8))
            elif b < 0x20 or b == 0x7F:
                pass
            elif b < 0x80:
                ch = chr(b)
                self.put(ACS.get(ch, ch) if self.g0_acs else ch)
            else:
                cp, ln = _utf8_at(data, i)
                self.put(chr(cp) if cp is not None else "\ufffd")
                i += ln
                continue
            i += 1


def screens(data, cols, rows, offsets):
    """The screen at each offset of data (sorted); {offset: text}, plus the
    Screen itself at the largest offset under key None."""
    sc = Screen(cols, rows)
    got = {}
    pos = 0
    for off in sorted(set(offsets)):
        sc.feed(data[pos:off])
        pos = off
        got[off] = sc.text()
    got[None] = sc
    return got


# ---------------------------------------------------------------- command

def _read_mark(path):
    try:
        return int(open(path + ".mark").read().strip() or 0)
    except (OSError, ValueError):
        return 0


def _marks(path):
    out = []
    try:
        for line in open(path + ".marks"):
            parts = line.split()
            if len(parts) == 2:
                out.append(int(parts[1]))
    except (OSError, ValueError):
        pass
    return out


def _rows(spec, base, nrows):
    rows = []
    for item in spec.split(","):
        item = item.strip()
        if item.startswith("/") and item.endswith("/") and len(item) > 1:
            rx = re.compile(item[1:-1])
            rows += [y for y in range(nrows) if rx.search(base.row_text(y))]
        elif item:
            v = int(item)
            rows.append(v if v >= 0 else nrows + v)
    return sorted(set(rows))


def _show(cell):
    return "%r%s" % (cell[0], "" if not cell[1] else " " + ",".join("%s=%s" % kv for kv in cell[1]))


def compare_rows(name, got, base, spec):
    rows = _rows(spec, base, base.rows)
    if not rows:
        print("not ok - %s: trusted rows found in the clean run (%s)" % (name, spec))
        return False
    bad = []
    for y in rows:
        a, b = got.row(y), base.row(y)
        if a != b:
            x = next(k for k in range(len(a)) if a[k] != b[k])
            bad.append("row %d col %d: %s, clean run %s" % (y, x, _show(a[x]), _show(b[x])))
            bad.append("  hostile: %s" % got.row_text(y).rstrip())
            bad.append("  clean:   %s" % base.row_text(y).rstrip())
    if bad:
        print("not ok - %s: trusted rows %s identical to the clean run" % (name, rows))
        for line in bad[:12]:
            print("# " + line)
        return False
    print("ok - %s: %d trusted rows identical to the clean run, attributes too" % (name, len(rows)))
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("end", nargs="?", default="0")
    ap.add_argument("--name", default="")
    ap.add_argument("--size", default="")
    ap.add_argument("--same")
    ap.add_argument("--rows", default="-1")
    ap.add_argument("--markers", action="append", default=[])
    ap.add_argument("--min", type=int, default=1)
    ap.add_argument("--forbid", action="append", default=[])
    a = ap.parse_args()
    name = a.name or "pty"
    data = open(a.out, "rb").read()
    end = _read_mark(a.out) if a.end == "mark" else int(a.end)
    if end > 0:
        data = data[:end]
    found = check(data, [f.encode() for f in a.forbid])
    if found:
        print("not ok - %s: the terminal received only scry's own drawing" % name)
        for off, what in found[:20]:
            print("# offset %d: %s" % (off, what))
        if len(found) > 20:
            print("# ... %d in all" % len(found))
    else:
        print("ok - %s: the terminal received only scry's own drawing (%d bytes, %d CSI)"
              % (name, len(data), len(CSI_RE.findall(data))))
    with open(a.out + ".text", "w") as f:
        f.write(plain(data))
    good = not found
    if a.size:
        cols, rows = (int(v) for v in a.size.split("x"))
        offs = [o for o in _marks(a.out) if o <= len(data)] + [len(data)]
        shots = screens(data, cols, rows, offs)
        with open(a.out + ".screen", "w") as f:
            f.write(shots[None].text() + "\n")
    else:   # a snapshot: its text is the screen
        offs, shots = [0], {0: plain(data)}
    if a.same and a.size:
        base = open(a.same, "rb").read()
        bend = _read_mark(a.same)
        base = base[:bend] if bend else base
        bsc = screens(base, cols, rows, [len(base)])[None]
        with open(a.same + ".screen", "w") as f:
            f.write(bsc.text() + "\n")
        good = compare_rows(name, shots[None], bsc, a.rows) and good
    for pattern in a.markers:
        rx = re.compile(pattern)
        seen = set()
        for off in offs:
            seen.update(rx.findall(shots[off]))
        with open(a.out + ".markers", "a") as f:
            f.write("".join(m + "\n" for m in sorted(seen)))
        res = "ok" if len(seen) >= a.min else "not ok"
        good = good and res == "ok"
        print("%s - %s: %d distinct payload markers %s drawn (>= %d)"
              % (res, name, len(seen), pattern, a.min))
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
