"""Hostile text payloads (robustness.md §1, §6 T3) for injection tests.

Every test server can `import payloads` (add tests/hostile to sys.path) and
inject PAYLOADS into any field scry renders: log lines, stream labels, metric
label values and legends, alert annotations, pod names, event messages, span
names and attributes, error messages, dashboard titles.  Each payload is bytes;
`as_text(p)` gives a str that survives JSON (invalid UTF-8 bytes become
lone surrogates escaped by json.dumps only where possible — use
`json_bytes(obj)` to emit raw bytes inside JSON strings).

Run `python3 payloads.py --count` to print how many there are (>= 200).
"""
import sys

ESC = b"\x1b"
BEL = b"\x07"
ST = ESC + b"\\"


def _csi():
    out = []
    for final in b"ABCDEFGHJKSTfhlmnrsu@PXLM":
        out.append(ESC + b"[" + b"2" + bytes([final]))
        out.append(ESC + b"[" + b"1;1" + bytes([final]))
    out += [
        ESC + b"[2J" + ESC + b"[H",            # erase + home
        ESC + b"[31;1mRED" + ESC + b"[0m",     # SGR
        ESC + b"[38;2;255;0;0mtruecolor" + ESC + b"[m",
        ESC + b"[?1049h", ESC + b"[?1049l",    # alternate screen
        ESC + b"[?25l",                        # hide cursor
        ESC + b"[?1000h" + ESC + b"[?1006h",   # mouse reporting on
        ESC + b"[?2004h",                      # bracketed paste
        ESC + b"[6n", ESC + b"[c", ESC + b"[>c", ESC + b"[>0q",  # queries
        ESC + b"[21t", ESC + b"[18t", ESC + b"[14t",           # window reports
        ESC + b"[8;1;1t",                      # resize window
        ESC + b"[1;999r",                      # scroll region
        ESC + b"[999C" + b"X",
        ESC + b"[" + b"9" * 300 + b"m",        # absurd parameter
        ESC + b"[",                            # unterminated CSI
    ]
    return out


def _osc():
    out = []
    for term in (BEL, ST, b""):
        out += [
            ESC + b"]0;pwned title" + term,
            ESC + b"]2;pwned title" + term,
            ESC + b"]7;file:///etc" + term,
            ESC + b"]8;;https://evil.example/" + term + b"click" + ESC + b"]8;;" + term,
            ESC + b"]50;?" + term,
            ESC + b"]52;c;cm0gLXJmIH4=" + term,      # clipboard write
            ESC + b"]52;c;?" + term,                 # clipboard read
            ESC + b"]1337;File=inline=1:AAAA" + term,
            ESC + b"]1337;RemoteHost=x@y" + term,
            ESC + b"]4;1;rgb:ff/00/00" + term,
            ESC + b"]10;?" + term,
            ESC + b"]11;?" + term,
            ESC + b"]777;notify;title;body" + term,
        ]
    return out


def _strings():
    out = []
    for intro in (b"P", b"X", b"^", b"_"):
        out += [ESC + intro + b"payload" + ST, ESC + intro + b"unterminated"]
    out += [
        ESC + b"P$qm" + ST, ESC + b"P$q\"p" + ST, ESC + b"P+q544e" + ST,  # DECRQSS, XTGETTCAP
        ESC + b"Pq#0;2;0;0;0#0~~@@vv" + ST,                              # sixel
        ESC + b"c", ESC + b"7", ESC + b"8", ESC + b"D", ESC + b"M",
        ESC + b"E", ESC + b"H", ESC + b"Z", ESC + b"#8", ESC + b"(0",
        ESC + b")0", ESC + b"=", ESC + b">", ESC + b"%G", ESC + b"n",
    ]
    return out


def _c1():
    out = []
    for cp in range(0x80, 0xA0):
        out.append(chr(cp).encode("utf-8") + b"x")    # C1 as UTF-8
        out.append(bytes([cp]) + b"x")                # raw 8-bit C1 (invalid UTF-8)
    out += ["\u009b2J".encode(), "\u009d0;title\u009c".encode(), "\u0090qdcs\u009c".encode()]
    return out


def _c0():
    out = [bytes([c]) + b"tail" for c in range(0, 0x20) if c != 0x09]
    out += [
        b"\x7fDEL",
        b"ERROR disk full\rOK             ",
        b"HEALTHY\b\b\b\b\b\b\bDEGRADED",
        b"line one\nline two\nline three",
        b"\r\n" * 5 + b"status: HEALTHY",
        b"tab\tseparated\tvalues\t\t\tend",
        BEL * 10,
    ]
    return out


def _unicode():
    return [
        "abc\u202edcba".encode(), "\u202a\u202b\u202c\u202d\u202e".encode(),
        "\u2066isolate\u2069\u2067x\u2069\u2068y\u2069".encode(),
        "zero\u200bwidth\u200c\u200d\u200e\u200f".encode(), "\ufeffbom".encode(),
        "\u2028line\u2029para".encode(), "\u061carabic mark".encode(),
        "\u2060\u2061\u2062\u2063\u2064".encode(), "\ufff9\ufffa\ufffb".encode(),
        "tag\U000e0041\U000e007f".encode(), "e" .encode() + "\u0301" .encode() * 1000,
        "Z" + "\u0336" * 200 + "\u0489" * 50, "日本語テキスト全角".encode(),
        "😀👍🏽👨‍👩‍👧".encode(), "\ufe0f\ufe0e".encode(), "\u00ad soft hyphen".encode(),
        "\u115f\u1160 hangul fillers".encode(), "\u3164".encode(),
    ]


def _invalid_utf8():
    return [
        b"\xff\xfe\xfd", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf0\x80\x80\xaf",     # overlong
        b"\xed\xa0\x80", b"\xed\xbf\xbf",                                   # surrogates
        b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80",                           # > U+10FFFF
        b"\xe2\x82", b"\xf0\x9f\x98", b"\xc3",                              # truncated
        b"\x80\x81\x82", b"abc\xffdef\xfeghi",
        bytes(range(0x80, 0x100)),
    ]


def _long():
    return [b"A" * 70000, (ESC + b"[31m") * 5000, b"x" + b"\xcc\x81" * 5000]


PAYLOADS = []
for _group in (_csi(), _osc(), _strings(), _c1(), _c0(), _unicode(), _invalid_utf8(), _long()):
    PAYLOADS += [p if isinstance(p, bytes) else p.encode("utf-8") for p in _group]

# Raw byte sequences that must never reach the terminal from data (the
# visible text of a payload may; its ESC, C1 or bidi bytes may not).
# vtcheck.violations() checks these classes generically.
FORBIDDEN_OUTPUT = [
    ESC + b"]", ESC + b"P", ESC + b"_", ESC + b"^", ESC + b"X",
    "\u009b".encode(), "\u009d".encode(), "\u202e".encode(), "\u2066".encode(),
    "\u200b".encode(), "\ufeff".encode(),
]


def as_text(p):
    """A str for JSON payloads: invalid bytes become U+FFFD-free escapes by
    decoding with surrogateescape (json.dumps then emits \\udcXX, which a
    tolerant parser may reject — servers that need raw invalid bytes should
    write them directly)."""
    return p.decode("utf-8", "surrogateescape")


def json_string(p):
    """Raw bytes of a JSON string literal containing p: control characters
    escaped as JSON requires (\\u001b etc.), other bytes (including invalid
    UTF-8) passed through raw, as a hostile server would send them."""
    out = bytearray(b'"')
    for c in p:
        if c == 0x22:
            out += b'\\"'
        elif c == 0x5C:
            out += b"\\\\"
        elif c < 0x20:
            out += b"\\u%04x" % c
        else:
            out.append(c)
    out += b'"'
    return bytes(out)


if __name__ == "__main__":
    if "--count" in sys.argv:
        print(len(PAYLOADS))
    else:
        for p in PAYLOADS:
            sys.stdout.write(repr(p)[:120] + "\n")
