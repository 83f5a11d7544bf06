"""vtcheck: parse the raw bytes a program wrote to its terminal and report
every sequence that scry's own drawing would never produce.

ncurses draws with CSI cursor motion, erase, SGR, scroll regions, DEC
private modes (alternate screen, cursor visibility, keypad), charset
designation and a few ESC-x controls.  Anything else in the stream came
from data that escaped the sanitiser: OSC (titles, clipboard, hyperlinks),
DCS/APC/PM/SOS strings, terminal queries (DSR, DA, XTVERSION, window
reports), C1 controls, bidi overrides and zero-width characters.

Usage as a library: violations(data: bytes) -> list of (offset, str).
As a command: python3 vtcheck.py FILE [FORBIDDEN-SUBSTRING ...]
exits 1 and prints each violation when there are any.
"""
import sys

ESC = 0x1B
ALLOWED_CSI_FINALS = set(b"@ABCDEFGHIJKLMPSTXZ`abdefghilmrs")
QUERY_CSI = {b"n", b"c", b"t", b"q", b"x", b"p"}
ALLOWED_PRIVATE_MODES = {b"1", b"7", b"12", b"25", b"47", b"1000", b"1002", b"1003",
                         b"1004", b"1005", b"1006", b"1015", b"1047", b"1048", b"1049", b"2004"}
ALLOWED_ESC2 = set(b"78=>MDEcNO")
INVISIBLE = set(range(0x80, 0xA0)) | {0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
            0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2061,
            0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF,
            0xFFF9, 0xFFFA, 0xFFFB}


def _csi(data, i, out):
    start = i
    i += 2
    params = bytearray()
    while i < len(data) and 0x30 <= data[i] <= 0x3F:
        params.append(data[i])
        i += 1
    inter = bytearray()
    while i < len(data) and 0x20 <= data[i] <= 0x2F:
        inter.append(data[i])
        i += 1
    if i >= len(data):
        out.append((start, "unterminated CSI"))
        return i
    final = data[i]
    seq = bytes(data[start:i + 1])
    if params[:1] in (b"?",) and final in (ord("h"), ord("l")):
        for mode in bytes(params[1:]).split(b";"):
            if mode not in ALLOWED_PRIVATE_MODES:
                out.append((start, "private mode %r" % seq))
    elif params[:1] in (b">", b"=", b"<") or inter:
        out.append((start, "unexpected CSI %r" % seq))
    elif final == ord("t") and params.split(b";")[0] in (b"22", b"23"):
        pass    # ncurses' smcup/rmcup push/pop the title stack (XTWINOPS 22/23)
    elif bytes([final]) in QUERY_CSI:
        out.append((start, "terminal query %r" % seq))
    elif final not in ALLOWED_CSI_FINALS:
        out.append((start, "unexpected CSI final %r" % seq))
    elif len(params) > 64:
        out.append((start, "absurd CSI parameters %r" % seq[:40]))
    return i + 1


def violations(data):
    out = []
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b == ESC:
            if i + 1 >= n:
                out.append((i, "lone ESC at end"))
                break
            nxt = data[i + 1]
            if nxt == ord("["):
                i = _csi(data, i, out)
                continue
            if nxt in (ord("]"), ord("P"), ord("_"), ord("^"), ord("X")):
                out.append((i, "string sequence ESC %c (OSC/DCS/APC/PM/SOS)" % nxt))
                i += 2
                continue
            if nxt in (ord("("), ord(")"), ord("*"), ord("+")) and i + 2 < n:
                i += 3
                continue
            if nxt in ALLOWED_ESC2:
                i += 2
                continue
            out.append((i, "unexpected ESC %r" % bytes(data[i:i + 2])))
            i += 2
            continue
        if b < 0x20 and b not in (0x08, 0x09, 0x0A, 0x0D, 0x0E, 0x0F, 0x07):
            out.append((i, "C0 control 0x%02x" % b))
            i += 1
            continue
        if b >= 0x80:
            # decode one UTF-8 code point
            length = 2 if b >> 5 == 6 else 3 if b >> 4 == 14 else 4 if b >> 3 == 30 else 0
            chunk = bytes(data[i:i + length]) if length else b""
            try:
                cp = ord(chunk.decode("utf-8")) if length else None
            except (UnicodeDecodeError, TypeError):
                cp = None
            if cp is None:
                out.append((i, "invalid UTF-8 byte 0x%02x" % b))
                i += 1
                continue
            if cp in INVISIBLE or 0xE0000 <= cp <= 0xE0FFF:
                out.append((i, "invisible/C1 code point U+%04X" % cp))
            i += length
            continue
        i += 1
    return out


def check(data, forbidden=()):
    v = violations(data)
    for f in forbidden:
        k = data.find(f)
        if k >= 0:
            v.append((k, "forbidden substring %r" % f[:40]))
    return v


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: vtcheck.py FILE [FORBIDDEN ...]")
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    found = check(raw, [a.encode() for a in sys.argv[2:]])
    for off, what in found[:50]:
        print("offset %d: %s" % (off, what))
    sys.exit(1 if found else 0)
