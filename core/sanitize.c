/* sanitize: strict UTF-8 decoding and visible escaping of untrusted text.
 * Invariant: san_next() never yields a glyph whose code point is a C0/C1
 * control, DEL, a bidi/zero-width format character or an unprintable code
 * point, except inside an escape form made only of printable ASCII. */
#include "core/sanitize.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "core/xalloc.h"

static locale_t utf8_locale;

int
uc_is_invisible(uint32_t cp)
{
	return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F ||
	    cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 ||
	    (cp >= 0x180B && cp <= 0x180F) ||
	    (cp >= 0x200B && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
	    cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
	    cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFFB) ||
	    (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) ||
	    (cp >= 0xE0000 && cp <= 0xE0FFF);
}

int
uc_width(uint32_t cp)
{
	locale_t old;
	int w;

	if (cp >= 0x20 && cp < 0x7f)
		return 1;
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return -1;
	if (!utf8_locale) {
		utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		if (!utf8_locale)
			utf8_locale = newlocale(LC_CTYPE_MASK, "C.utf8", (locale_t)0);
		if (!utf8_locale)
			return cp < 0x1100 ? 1 : -1;
	}
	old = uselocale(utf8_locale);
	w = wcwidth((wchar_t)cp);
	uselocale(old);
	return w;
}

size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n;

	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

void
san_init(struct san *sn, const char *s, size_t len, unsigned flags)
{
	memset(sn, 0, sizeof *sn);
	sn->s = (const unsigned char *)s;
	sn->len = s ? len : 0;
	sn->flags = flags;
}

static void
queue_ascii(struct san *sn, const char *txt, uint32_t src)
{
	sn->npend = sn->ipend = 0;
	for (; *txt && sn->npend < (int)(sizeof sn->pend / sizeof *sn->pend); txt++) {
		struct glyph *g = &sn->pend[sn->npend++];
		g->cp = (unsigned char)*txt;
		g->width = 1;
		g->kind = G_ESC;
		g->src = src;
	}
}

static void
queue_placeholder(struct san *sn, uint32_t cp, uint32_t src)
{
	char tmp[16];
	snprintf(tmp, sizeof tmp, "<U+%04X>", (unsigned)cp);
	queue_ascii(sn, tmp, src);
}

/* Length of a complete SGR sequence ESC [ [0-9;:]* m at p, or 0. */
static size_t
sgr_len(const unsigned char *p, size_t len)
{
	size_t i = 2;

	if (len < 3 || p[0] != 0x1b || p[1] != '[')
		return 0;
	while (i < len && i < 64 && ((p[i] >= '0' && p[i] <= '9') || p[i] == ';' || p[i] == ':'))
		i++;
	return (i < len && p[i] == 'm') ? i + 1 : 0;
}

static int
pop_pending(struct san *sn, struct glyph *g)
{
	if (sn->ipend >= sn->npend)
		return 0;
	*g = sn->pend[sn->ipend++];
	sn->col += g->width;
	return 1;
}

/* Handle a control byte (C0 or DEL) at the cursor; returns 1 if a glyph
 * was produced, 0 if the byte was consumed silently (SGR strip). */
static int
control(struct san *sn, unsigned char c, struct glyph *g)
{
	uint32_t src = (uint32_t)sn->pos;
	char tmp[3] = { '^', 0, 0 };

	if (c == 0x1b && (sn->flags & SAN_STRIP_SGR)) {
		size_t n = sgr_len(sn->s + sn->pos, sn->len - sn->pos);
		if (n) {
			sn->pos += n;
			return 0;
		}
	}
	sn->pos++;
	sn->ncomb = 0;
	if (c == '\t' && !(sn->flags & SAN_NO_TABS)) {
		int n = 8 - (sn->col % 8);
		sn->npend = sn->ipend = 0;
		for (int i = 0; i < n; i++)
			sn->pend[sn->npend++] = (struct glyph){ ' ', 1, G_TEXT, src };
		return pop_pending(sn, g);
	}
	if (c == '\n' && (sn->flags & SAN_BREAK_LF)) {
		*g = (struct glyph){ '\n', 0, G_BREAK, src };
		sn->col = 0;
		return 1;
	}
	tmp[1] = c == 0x7f ? '?' : (char)(c + 0x40);
	queue_ascii(sn, tmp, src);
	return pop_pending(sn, g);
}

int
san_next(struct san *sn, struct glyph *g)
{
	for (;;) {
		uint32_t cp, src;
		size_t n;
		int w;

		if (pop_pending(sn, g))
			return 1;
		if (sn->pos >= sn->len)
			return 0;
		src = (uint32_t)sn->pos;
		if (sn->s[sn->pos] < 0x20 || sn->s[sn->pos] == 0x7f) {
			if (control(sn, sn->s[sn->pos], g))
				return 1;
			continue;
		}
		n = utf8_decode(sn->s + sn->pos, sn->len - sn->pos, &cp);
		if (n == 0) {
			char tmp[8];
			snprintf(tmp, sizeof tmp, "\\x%02X", sn->s[sn->pos]);
			sn->pos++;
			sn->ncomb = 0;
			queue_ascii(sn, tmp, src);
			continue;
		}
		sn->pos += n;
		if ((cp >= 0x80 && cp < 0xa0) || uc_is_invisible(cp)) {
			sn->ncomb = 0;
			queue_placeholder(sn, cp, src);
			continue;
		}
		w = uc_width(cp);
		if (w < 0) {
			sn->ncomb = 0;
			queue_placeholder(sn, cp, src);
			continue;
		}
		if (w == 0) {
			if (sn->col == 0 || sn->ncomb >= SAN_MAX_COMBINING) {
				queue_placeholder(sn, cp, src);
				continue;
			}
			sn->ncomb++;
			*g = (struct glyph){ cp, 0, G_COMB, src };
			return 1;
		}
		sn->ncomb = 0;
		*g = (struct glyph){ cp, (uint8_t)w, G_TEXT, src };
		sn->col += w;
		return 1;
	}
}

size_t
san_fit(const char *s, size_t len, int maxw, unsigned flags, int *cols)
{
	struct san sn;
	struct glyph g;
	int col = 0;
	size_t fit = 0;

	san_init(&sn, s, len, flags);
	while (san_next(&sn, &g)) {
		if (g.kind == G_BREAK)
			break;
		if (col + g.width > maxw && fit > 0)
			break;
		col += g.width;
		/* the glyph ends where the next one starts: after any pending escape glyphs */
		fit = sn.ipend < sn.npend ? g.src : sn.pos;
		if (col >= maxw && sn.ipend >= sn.npend)
			break;
	}
	if (fit == 0 && len)
		fit = sn.pos ? sn.pos : 1;
	if (cols)
		*cols = col;
	return fit;
}

size_t
san_wrap(const char *s, size_t len, int maxw, unsigned flags)
{
	size_t fit = san_fit(s, len, maxw, flags, NULL);

	if (fit >= len || s[fit] == ' ')
		return fit;
	for (size_t i = fit; i > 0; i--)
		if (s[i - 1] == ' ')
			return i;
	return fit;
}

int
san_width(const char *s, size_t len, unsigned flags)
{
	struct san sn;
	struct glyph g;
	int w = 0;

	san_init(&sn, s, len, flags);
	while (san_next(&sn, &g))
		w += g.width;
	return w;
}

void
san_to_buf(struct buf *b, const char *s, size_t len, unsigned flags)
{
	struct san sn;
	struct glyph g;
	char enc[4];

	san_init(&sn, s, len, flags);
	while (san_next(&sn, &g)) {
		if (g.kind == G_BREAK) {
			buf_putc(b, '\n');
			continue;
		}
		buf_append(b, enc, utf8_encode(g.cp, enc));
	}
}

char *
san_dup(const char *s, size_t len, int maxcols)
{
	struct buf b;
	struct san sn;
	struct glyph g;
	char enc[4];
	int col = 0;

	buf_init(&b, 1 << 20);
	san_init(&sn, s, len, 0);
	while (san_next(&sn, &g)) {
		if (maxcols > 0 && col + g.width > maxcols - 1) {
			/* peek: is there anything left that needs room? */
			struct san copy = sn;
			struct glyph g2;
			int rest = g.width;
			while (rest + col <= maxcols && san_next(&copy, &g2))
				rest += g2.width;
			if (col + rest > maxcols) {
				buf_puts(&b, "\xe2\x80\xa6");
				break;
			}
		}
		buf_append(&b, enc, utf8_encode(g.cp, enc));
		col += g.width;
	}
	return buf_steal(&b, NULL);
}

size_t
utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	for (int k = 0; k < 3 && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; k++)
		n--;
	return n;
}
