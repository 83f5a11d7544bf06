/* Unit tests: the sanitiser (robustness.md §1.4 payload classes). */
#include <stdlib.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "tests/unit/t.h"

static char *
san(const char *s, size_t n, unsigned flags)
{
	struct buf b;
	buf_init(&b, 1 << 20);
	san_to_buf(&b, s, n, flags);
	return buf_steal(&b, NULL);
}

#define SAN_IS(in, want) do { char *_o = san(in, sizeof(in) - 1, 0); CHECK_STR(_o, want); free(_o); } while (0)

TEST(sanitize_plain_ascii) { SAN_IS("GET /cart 500", "GET /cart 500"); }
TEST(sanitize_csi_becomes_caret) { SAN_IS("\x1b[31mred\x1b[0m", "^[[31mred^[[0m"); }
TEST(sanitize_cr_bs_lf) { SAN_IS("ERROR\rOK\b\n", "ERROR^MOK^H^J"); }
TEST(sanitize_osc52) { SAN_IS("\x1b]52;c;ZXZpbA==\x07", "^[]52;c;ZXZpbA==^G"); }
TEST(sanitize_del) { SAN_IS("a\x7f" "b", "a^?b"); }
TEST(sanitize_c1_csi) { SAN_IS("x\xc2\x9b" "2J", "x<U+009B>2J"); }
TEST(sanitize_invalid_utf8) { SAN_IS("a\xff\xfe" "b", "a\\xFF\\xFEb"); }
TEST(sanitize_overlong) { SAN_IS("\xc0\xaf", "\\xC0\\xAF"); }
TEST(sanitize_surrogate) { SAN_IS("\xed\xa0\x80", "\\xED\\xA0\\x80"); }
TEST(sanitize_truncated) { SAN_IS("ok\xe2\x82", "ok\\xE2\\x82"); }
TEST(sanitize_bidi_override) { SAN_IS("abc\xe2\x80\xae" "def", "abc<U+202E>def"); }
TEST(sanitize_zero_width) { SAN_IS("a\xe2\x80\x8b" "b\xef\xbb\xbf", "a<U+200B>b<U+FEFF>"); }
TEST(sanitize_isolate) { SAN_IS("\xe2\x81\xa6x\xe2\x81\xa9", "<U+2066>x<U+2069>"); }
TEST(sanitize_tab_expands) { SAN_IS("a\tb", "a       b"); }
TEST(sanitize_keeps_cjk_and_accents) { SAN_IS("日本 café", "日本 café"); }

TEST(sanitize_strip_sgr_option)
{
	char *o = san("\x1b[1;31mERR\x1b[0m \x1b[2J", 19, SAN_STRIP_SGR);
	CHECK_STR(o, "ERR ^[[2J");
	free(o);
}

TEST(sanitize_combining_capped)
{
	/* e + 3 combining acute accents: the first attaches, the rest are visible */
	char *o = san("e\xcc\x81\xcc\x81\xcc\x81", 7, 0);
	CHECK_STR(o, "e\xcc\x81<U+0301><U+0301>");
	free(o);
}

TEST(sanitize_width)
{
	CHECK_INT(san_width("abc", 3, 0), 3);
	CHECK_INT(san_width("日本", 6, 0), 4);
	CHECK_INT(san_width("\x1b", 1, 0), 2);
	CHECK_INT(san_width("\xe2\x80\xae", 3, 0), 8);
}

TEST(sanitize_output_has_no_controls)
{
	unsigned char in[512];
	for (int i = 0; i < 512; i++)
		in[i] = (unsigned char)(i * 7 + 3);
	char *o = san((const char *)in, sizeof in, 0);
	for (const unsigned char *p = (const unsigned char *)o; *p; p++)
		CHECK(*p >= 0x20 && *p != 0x7f);
	CHECK(utf8_valid(o, strlen(o)));
	CHECK(!strstr(o, "\xc2\x9b"));
	free(o);
}

TEST(sanitize_fit_and_wrap)
{
	int cols;
	CHECK_INT(san_fit("hello world", 11, 5, 0, &cols), 5);
	CHECK_INT(cols, 5);
	CHECK_INT(san_wrap("hello world", 11, 8, 0), 6);
	CHECK_INT(san_fit("日本語", 9, 3, 0, &cols), 3);
	CHECK_INT(san_fit("\x1b[", 2, 1, 0, NULL), 1);
}

/* ---- robustness.md §1.4 classes and §6 T3 payloads -------------------- */

/* What no sanitised output may contain: raw C0/DEL, C1 (raw or encoded),
 * bidi/zero-width/format characters, or invalid UTF-8. */
static void
check_harmless(const char *o, const char *what)
{
	const unsigned char *p = (const unsigned char *)o;
	size_t n = strlen(o);

	if (!utf8_valid(o, n))
		t_fail(__FILE__, __LINE__, "%s: output is not valid UTF-8", what);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, n - i, &cp);
		if (!k)
			break;
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || uc_is_invisible(cp) || uc_width(cp) < 0)
			t_fail(__FILE__, __LINE__, "%s: unsafe U+%04X at byte %zu of \"%s\"", what,
			    (unsigned)cp, i, o);
		i += k;
	}
}

struct payload {
	const char	*name;
	const char	*in;
	size_t		 len;	/* 0: strlen */
	const char	*want;	/* NULL: only the harmless check */
};

#define P(n, i, w)	{ n, i, sizeof(i) - 1, w }

static const struct payload t3[] = {
	/* CSI: cursor motion, erase, scroll region, insert/delete */
	P("csi-erase-display", "\x1b[2J\x1b[H", "^[[2J^[[H"),
	P("csi-cursor-up", "ok\x1b[1A\x1b[2KFAKE", "ok^[[1A^[[2KFAKE"),
	P("csi-cursor-position", "\x1b[999;1H", "^[[999;1H"),
	P("csi-scroll-region", "\x1b[1;3r", "^[[1;3r"),
	P("csi-insert-lines", "\x1b[5L\x1b[3P", "^[[5L^[[3P"),
	P("csi-sgr-hide", "\x1b[8mhidden\x1b[0m", "^[[8mhidden^[[0m"),
	P("csi-private-mode", "\x1b[?1049h\x1b[?25l\x1b[?1000h", "^[[?1049h^[[?25l^[[?1000h"),
	/* overwrite tricks (kubectl CVE-2021-25743) */
	P("cr-overwrite", "ERROR disk full\rOK   ", "ERROR disk full^MOK   "),
	P("crlf", "line1\r\nline2", "line1^M^Jline2"),
	P("backspace-overwrite", "FAIL\b\b\b\bPASS", "FAIL^H^H^H^HPASS"),
	P("vertical-tab-formfeed", "a\vb\fc", "a^Kb^Lc"),
	/* OSC: titles, cwd, hyperlinks, fonts, clipboard, iTerm2 */
	P("osc0-title", "\x1b]0;pwned\x07", "^[]0;pwned^G"),
	P("osc2-title-st", "\x1b]2;pwned\x1b\\", "^[]2;pwned^[\\"),
	P("osc7-cwd", "\x1b]7;file://host/etc\x07", "^[]7;file://host/etc^G"),
	P("osc8-hyperlink", "\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\",
	    "^[]8;;http://evil/^[\\click^[]8;;^[\\"),
	P("osc50-font", "\x1b]50;?\x07", "^[]50;?^G"),
	P("osc52-clipboard-write", "\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07", "^[]52;c;Y3VybCBldmlsIHwgc2g=^G"),
	P("osc52-clipboard-read", "\x1b]52;c;?\x07", "^[]52;c;?^G"),
	P("osc1337-iterm", "\x1b]1337;File=inline=1:AAAA\x07", "^[]1337;File=inline=1:AAAA^G"),
	P("osc-unterminated", "\x1b]52;c;AAAA", "^[]52;c;AAAA"),
	P("osc-unterminated-then-text", "\x1b]0;x trusted row", "^[]0;x trusted row"),
	/* DCS incl. DECRQSS, APC, PM, SOS */
	P("dcs-decrqss", "\x1bP$q\"p\x1b\\", "^[P$q\"p^[\\"),
	P("dcs-sixel", "\x1bPq#0;2;0;0;0#0~~\x1b\\", "^[Pq#0;2;0;0;0#0~~^[\\"),
	P("apc", "\x1b_Gf=100;AAAA\x1b\\", "^[_Gf=100;AAAA^[\\"),
	P("pm", "\x1b^privacy\x1b\\", "^[^privacy^[\\"),
	P("sos", "\x1bXstring\x1b\\", "^[Xstring^[\\"),
	/* terminal queries whose replies would arrive as input */
	P("query-xtversion", "\x1b[>0q", "^[[>0q"),
	P("query-da1", "\x1b[c", "^[[c"),
	P("query-da2", "\x1b[>c", "^[[>c"),
	P("query-title-report", "\x1b[21t", "^[[21t"),
	P("query-window-size", "\x1b[14t\x1b[18t", "^[[14t^[[18t"),
	P("query-decrqm", "\x1b[?2026$p", "^[[?2026$p"),
	P("query-enq", "\x05", "^E"),
	/* 8-bit C1: raw bytes are invalid UTF-8, encoded ones are C1 */
	P("c1-raw-csi", "\x9b" "2J", "\\x9B2J"),
	P("c1-raw-osc", "\x9d" "0;t\x9c", "\\x9D0;t\\x9C"),
	P("c1-utf8-csi", "\xc2\x9b" "2J", "<U+009B>2J"),
	P("c1-utf8-osc", "\xc2\x9d" "0;t\xc2\x9c", "<U+009D>0;t<U+009C>"),
	P("c1-utf8-dcs", "\xc2\x90" "q", "<U+0090>q"),
	P("c1-utf8-nel", "a\xc2\x85" "b", "a<U+0085>b"),
	/* bidi overrides and isolates (Trojan Source) */
	P("bidi-rlo", "access\xe2\x80\xae" "nimda", "access<U+202E>nimda"),
	P("bidi-lre-rle-pdf-lro", "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
	    "<U+202A><U+202B><U+202C><U+202D>"),
	P("bidi-isolates", "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9",
	    "<U+2066><U+2067><U+2068><U+2069>"),
	P("bidi-marks", "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "<U+200E><U+200F><U+061C>"),
	/* zero-width and other invisible format characters */
	P("zwsp-zwnj-zwj", "a\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d" "b", "a<U+200B><U+200C><U+200D>b"),
	P("word-joiner", "x\xe2\x81\xa0y", "x<U+2060>y"),
	P("bom", "\xef\xbb\xbfid", "<U+FEFF>id"),
	P("line-paragraph-separator", "a\xe2\x80\xa8" "b\xe2\x80\xa9", "a<U+2028>b<U+2029>"),
	P("interlinear-annotation", "\xef\xbf\xb9\xef\xbf\xba\xef\xbf\xbb", "<U+FFF9><U+FFFA><U+FFFB>"),
	P("tag-characters", "flag\xf3\xa0\x80\x81\xf3\xa0\x81\x81", "flag<U+E0001><U+E0041>"),
	P("soft-hyphen", "pay\xc2\xadpal", "pay<U+00AD>pal"),
	/* controls */
	P("nul", "a\0b", "a^@b"),
	P("bel", "ding\a", "ding^G"),
	P("del", "x\x7fy", "x^?y"),
	P("unit-separator", "k\x1fv", "k^_v"),
	/* invalid UTF-8 (Kuhn's UTF-8-test.txt classes) */
	P("lone-continuation", "\x80\xbf", "\\x80\\xBF"),
	P("overlong-slash-2", "\xc0\xaf", "\\xC0\\xAF"),
	P("overlong-slash-3", "\xe0\x80\xaf", "\\xE0\\x80\\xAF"),
	P("overlong-slash-4", "\xf0\x80\x80\xaf", "\\xF0\\x80\\x80\\xAF"),
	P("overlong-nul", "\xc0\x80", "\\xC0\\x80"),
	P("above-max", "\xf4\x90\x80\x80", "\\xF4\\x90\\x80\\x80"),
	P("five-byte", "\xf8\x88\x80\x80\x80", "\\xF8\\x88\\x80\\x80\\x80"),
	P("surrogate-pair-cesu", "\xed\xa0\xbd\xed\xb8\x80", "\\xED\\xA0\\xBD\\xED\\xB8\\x80"),
	P("noncharacter-fffe", "\xef\xbf\xbe", NULL),
	P("truncated-then-ascii", "\xe2\x82" "A", "\\xE2\\x82A"),
	P("fe-ff", "\xfe\xff", "\\xFE\\xFF"),
};

TEST(sanitize_t3_payloads)
{
	for (size_t i = 0; i < sizeof t3 / sizeof *t3; i++) {
		const struct payload *p = &t3[i];
		char *o = san(p->in, p->len, 0);
		check_harmless(o, p->name);
		if (p->want && strcmp(o, p->want) != 0)
			t_fail(__FILE__, __LINE__, "%s: got \"%s\", expected \"%s\"", p->name, o, p->want);
		free(o);
	}
}

TEST(sanitize_t3_payloads_keep_width_bounded)
{
	/* every payload drawn into 20 columns stays in 20 columns */
	for (size_t i = 0; i < sizeof t3 / sizeof *t3; i++) {
		int cols;
		size_t fit = san_fit(t3[i].in, t3[i].len, 20, 0, &cols);
		CHECK(cols <= 20);
		CHECK(fit > 0 && fit <= t3[i].len);
	}
}

TEST(sanitize_every_c0_is_caret)
{
	for (int c = 0; c < 0x20; c++) {
		char in[2] = { (char)c, 0 }, want[3] = { '^', (char)(c + 0x40), 0 };
		char *o = san(in, 1, SAN_NO_TABS);
		CHECK_STR(o, want);
		free(o);
	}
}

TEST(sanitize_every_c1_is_placeholder)
{
	for (unsigned c = 0x80; c < 0xa0; c++) {
		char in[3] = { (char)(0xc0 | (c >> 6)), (char)(0x80 | (c & 0x3f)), 0 }, want[16];
		char *o = san(in, 2, 0);
		snprintf(want, sizeof want, "<U+%04X>", c);
		CHECK_STR(o, want);
		free(o);
	}
}

TEST(sanitize_every_high_byte_alone)
{
	/* every byte 0x80..0xFF on its own is invalid UTF-8: shown, not dropped */
	for (unsigned c = 0x80; c <= 0xff; c++) {
		char in[2] = { (char)c, 0 }, want[8];
		char *o = san(in, 1, 0);
		snprintf(want, sizeof want, "\\x%02X", c);
		CHECK_STR(o, want);
		free(o);
	}
}

TEST(sanitize_thousand_combining_marks)
{
	/* "a" + 1000 x U+0301: one attaches, 999 become visible placeholders */
	char *in = malloc(1 + 2000), *o;
	in[0] = 'a';
	for (int i = 0; i < 1000; i++)
		memcpy(in + 1 + 2 * i, "\xcc\x81", 2);
	o = san(in, 2001, 0);
	check_harmless(o, "combining");
	CHECK(strncmp(o, "a\xcc\x81<U+0301>", 11) == 0);
	CHECK_INT(strlen(o), 3 + 999 * 8);
	CHECK_INT(san_width(in, 2001, 0), 1 + 999 * 8);
	free(o);
	free(in);
}

TEST(sanitize_combining_at_start_is_visible)
{
	SAN_IS("\xcc\x81x", "<U+0301>x");
	/* after a tab the mark sits on the last expanded space: harmless */
	SAN_IS("\t\xcc\x81", "        \xcc\x81");
}

TEST(sanitize_sgr_strip_only_complete_sgr)
{
	static const struct { const char *in, *want; } c[] = {
		{ "\x1b[31mred", "red" },
		{ "\x1b[38;5;196mx\x1b[0m", "x" },
		{ "\x1b[38:2:1:2:3mx", "x" },
		{ "\x1b[mx", "x" },
		{ "\x1b[31", "^[[31" },		/* incomplete */
		{ "\x1b[31;1H", "^[[31;1H" },	/* not SGR */
		{ "\x1b[?25l", "^[[?25l" },
		{ "\x1b]0;t\x07", "^[]0;t^G" },
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		char *o = san(c[i].in, strlen(c[i].in), SAN_STRIP_SGR);
		CHECK_STR(o, c[i].want);
		free(o);
	}
}

TEST(sanitize_break_lf_option)
{
	struct san sn;
	struct glyph g;
	int breaks = 0, text = 0;

	san_init(&sn, "a\nb\r\n", 5, SAN_BREAK_LF);
	while (san_next(&sn, &g)) {
		if (g.kind == G_BREAK)
			breaks++;
		else
			text++;
	}
	CHECK_INT(breaks, 2);
	CHECK_INT(text, 4);	/* a, b, ^, M */
}

TEST(sanitize_tab_stops_and_no_tabs)
{
	SAN_IS("ab\tc", "ab      c");
	SAN_IS("abcdefgh\tx", "abcdefgh        x");
	{
		char *o = san("a\tb", 3, SAN_NO_TABS);
		CHECK_STR(o, "a^Ib");
		free(o);
	}
}

TEST(sanitize_glyph_sources_point_into_input)
{
	struct san sn;
	struct glyph g;
	uint32_t want[] = { 0, 1, 1, 2, 5 };	/* a, ^ and [ of ESC, 日, b */
	size_t i = 0;

	san_init(&sn, "a\x1b\xe6\x97\xa5" "b", 6, 0);
	while (san_next(&sn, &g) && i < 5) {
		CHECK_INT(g.src, want[i]);
		i++;
	}
	CHECK_INT(i, 5);
}

TEST(sanitize_dup_limits_columns)
{
	char *o = san_dup("hello world", 11, 8);
	CHECK_STR(o, "hello w\xe2\x80\xa6");
	free(o);
	o = san_dup("hello", 5, 5);
	CHECK_STR(o, "hello");
	free(o);
	o = san_dup("a\x1b" "b", 3, 0);
	CHECK_STR(o, "a^[b");
	free(o);
}

TEST(sanitize_utf8_codec_roundtrip)
{
	static const uint32_t cps[] = { 0, 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd,
	    0x10000, 0x10ffff };
	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
		char enc[4];
		uint32_t back = 0xffffffff;
		size_t n = utf8_encode(cps[i], enc);
		CHECK_INT(utf8_decode((const unsigned char *)enc, n, &back), n);
		CHECK_INT(back, cps[i]);
		/* every truncation of a multi-byte sequence is refused */
		for (size_t k = 1; k < n; k++)
			CHECK_INT(utf8_decode((const unsigned char *)enc, k, &back), 0);
	}
	CHECK(utf8_valid("caf\xc3\xa9", 5));
	CHECK(!utf8_valid("caf\xc3", 4));
	CHECK(!utf8_valid("\xed\xa0\x80", 3));
}

TEST(sanitize_width_of_wide_and_escapes)
{
	CHECK_INT(uc_width('a'), 1);
	CHECK_INT(uc_width(0x65e5), 2);
	CHECK_INT(uc_width(0x1f600), 2);
	CHECK_INT(uc_width(0x301), 0);
	CHECK_INT(uc_width(0x2801), 1);
	CHECK_INT(uc_width(0x1b), -1);
	CHECK_INT(uc_width(0x9b), -1);
	CHECK(uc_is_invisible(0x202e));
	CHECK(uc_is_invisible(0xfeff));
	CHECK(!uc_is_invisible('a'));
	CHECK(!uc_is_invisible(0x65e5));
}
