#!/usr/bin/env python3
"""Check raw terminal output for anything scry's own drawing never sends.

usage: vtcheck.py OUTPUT [END_OFFSET]

Parses the bytes as a VT stream (up to END_OFFSET, i.e. before the exit
sequence) and prints TAP lines.  Allowed: printable UTF-8 text, CR, LF,
BS, and the CSI sequences ncurses uses for drawing (cursor motion, erase,
scroll region, insert/delete, SGR, the alternate screen and cursor modes
at start).  Everything else fails: OSC/DCS/APC/PM/SOS strings, device
queries (DA, DSR, window reports), C1 controls, BEL, bidi overrides,
zero-width and tag characters — i.e. any trace of the hostile payloads.
"""
import re
import sys

ALLOWED_FINAL = set("mHKJABCDGdrXLMST@Pf")
ALLOWED_EXACT = {"22;0;0t", "23;0;0t"}  # ncurses' smcup/rmcup: save/restore the title stack
ALLOWED_PRIVATE = {"1049", "1", "25", "12", "7", "1034", "2004", "1000", "1002", "1006"}
BAD_CODEPOINTS = [(0x80, 0x9F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069),
                  (0xFEFF, 0xFEFF), (0xE0000, 0xE007F), (0x2028, 0x2029)]


def main():
    data = open(sys.argv[1], "rb").read()
    if len(sys.argv) > 2 and int(sys.argv[2]) > 0:
        data = data[:int(sys.argv[2])]
    problems = []
    i, n = 0, len(data)
    text = bytearray()
    csi = 0
    while i < n:
        b = data[i]
        if b == 0x1B:
            if i + 1 >= n:
                break
            c = data[i + 1]
            if c == ord("["):
                m = re.compile(rb"\x1b\[([\x30-\x3f]*)([\x20-\x2f]*)([\x40-\x7e])").match(data, i)
                if not m:
                    problems.append("unterminated CSI at %d" % i)
                    break
                params, inter, final = m.group(1).decode(), m.group(2), chr(m.group(3)[0])
                csi += 1
                if inter or final not in ALLOWED_FINAL:
                    if not inter and params + final in ALLOWED_EXACT:
                        pass
                    elif final in "hl" and params.startswith("?") and \
                            set(params[1:].split(";")) <= ALLOWED_PRIVATE:
                        pass
                    elif final in "hl" and params == "4":
                        pass  # insert mode (ich)
                    else:
                        problems.append("CSI %r%s%s at %d" % (params, inter.decode(), final, i))
                i = m.end()
                continue
            if c in b"]P_^X":
                problems.append("string sequence ESC %s at %d" % (chr(c), i))
            elif c in b"()":
                i += 3  # charset designation (ncurses: ESC ( B)
                continue
            elif c in b"=>78M":
                pass  # keypad modes, save/restore cursor, reverse index
            else:
                problems.append("ESC %r at %d" % (chr(c), i))
            i += 2
            continue
        if b == 0x07:
            problems.append("BEL at %d" % i)
        elif b < 0x20 and b not in (0x0A, 0x0D, 0x08, 0x09):
            problems.append("control 0x%02x at %d" % (b, i))
        else:
            text.append(b)
        i += 1
    s = text.decode("utf-8", errors="replace")
    for ch in set(s):
        cp = ord(ch)
        for lo, hi in BAD_CODEPOINTS:
            if lo <= cp <= hi:
                problems.append("code point U+%04X on screen" % cp)
    if problems:
        print("not ok - the terminal received only scry's own drawing")
        for p in problems[:20]:
            print("# " + p)
    else:
        print("ok - the terminal received only scry's own drawing (%d bytes, %d CSI)" % (len(data), csi))
    with open(sys.argv[1] + ".text", "w") as f:
        f.write(s)


if __name__ == "__main__":
    main()
