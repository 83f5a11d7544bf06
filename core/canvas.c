/* canvas: cell grid, clipped views, sanitised text, boxes, text dumps.
 * Invariants: a view never addresses cells outside itself; a wide glyph
 * always occupies two cells of the same view (lead + CF_WIDE_TAIL) or is
 * replaced by a space; no cell ever holds a control or invisible code
 * point. */
#include "core/canvas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

static const struct cell blank = { ' ', 0, ROLE_DEFAULT, 0, 0, 0 };

struct canvas *
canvas_new(int w, int h)
{
	struct canvas *cv = xcalloc(1, sizeof *cv);
	cv->owner = 1;
	canvas_resize(cv, w, h);
	return cv;
}

void
canvas_free(struct canvas *cv)
{
	if (!cv)
		return;
	if (cv->owner)
		free(cv->cells);
	free(cv);
}

void
canvas_resize(struct canvas *cv, int w, int h)
{
	size_t n;

	if (!cv->owner)
		return;	/* a view cannot change its parent's size */
	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	n = (size_t)w * (size_t)h;
	free(cv->cells);
	cv->cells = xmalloc((n ? n : 1) * sizeof *cv->cells);
	cv->stride = w;
	cv->ox = cv->oy = 0;
	cv->w = w;
	cv->h = h;
	for (size_t i = 0; i < n; i++)
		cv->cells[i] = blank;
}

struct canvas
canvas_sub(const struct canvas *cv, struct rect r)
{
	struct canvas s = *cv;

	s.owner = 0;
	if (r.x < 0) {
		r.w += r.x;
		r.x = 0;
	}
	if (r.y < 0) {
		r.h += r.y;
		r.y = 0;
	}
	if (r.x > cv->w)
		r.x = cv->w;
	if (r.y > cv->h)
		r.y = cv->h;
	if (r.w > cv->w - r.x)
		r.w = cv->w - r.x;
	if (r.h > cv->h - r.y)
		r.h = cv->h - r.y;
	s.ox = cv->ox + r.x;
	s.oy = cv->oy + r.y;
	s.w = r.w > 0 ? r.w : 0;
	s.h = r.h > 0 ? r.h : 0;
	return s;
}

struct cell *
canvas_cell(const struct canvas *cv, int x, int y)
{
	if (x < 0 || y < 0 || x >= cv->w || y >= cv->h)
		return NULL;
	return &cv->cells[(size_t)(cv->oy + y) * (size_t)cv->stride + (size_t)(cv->ox + x)];
}

/* Writing over half of a wide glyph blanks its other half.  The other
 * half may lie just outside this view (a glyph drawn by the parent across
 * the view's edge), so neighbours are looked up in the root row. */
static void
unpair(struct canvas *cv, int x, int y)
{
	struct cell *c = canvas_cell(cv, x, y), *row, *o;
	int rx = cv->ox + x;

	if (!c)
		return;
	row = c - rx;
	if (c->flags & CF_WIDE_TAIL) {
		if (rx > 0) {
			o = &row[rx - 1];
			o->ch = ' ';
			o->comb = 0;
		}
		c->flags = 0;
		c->ch = ' ';
	} else if (rx + 1 < cv->stride && (row[rx + 1].flags & CF_WIDE_TAIL)) {
		o = &row[rx + 1];
		o->ch = ' ';
		o->comb = 0;
		o->flags = 0;
	}
}

static void
set_cell(struct canvas *cv, int x, int y, uint32_t ch, uint32_t comb, int width,
    uint8_t role, uint8_t attr)
{
	struct cell *c = canvas_cell(cv, x, y), *t;

	if (!c)
		return;
	unpair(cv, x, y);
	if (width == 2) {
		t = canvas_cell(cv, x + 1, y);
		if (!t) {
			ch = ' ';	/* would straddle the edge */
			comb = 0;
		} else {
			unpair(cv, x + 1, y);
			*t = (struct cell){ ' ', 0, role, attr, CF_WIDE_TAIL, 0 };
		}
	}
	*c = (struct cell){ ch, comb, role, attr, 0, 0 };
}

void
canvas_fill(struct canvas *cv, struct rect r, uint32_t ch, enum role role, uint8_t attr)
{
	struct canvas s = canvas_sub(cv, r);

	if (s.w <= 0)
		return;
	for (int y = 0; y < s.h; y++) {
		/* glyphs cut by the edges lose their outside half first */
		unpair(&s, 0, y);
		unpair(&s, s.w - 1, y);
		for (int x = 0; x < s.w; x++)
			*canvas_cell(&s, x, y) = (struct cell){ ch, 0, (uint8_t)role, attr, 0, 0 };
	}
}

void
canvas_clear(struct canvas *cv, enum role role)
{
	canvas_fill(cv, (struct rect){ 0, 0, cv->w, cv->h }, ' ', role, 0);
}

void
canvas_put(struct canvas *cv, int x, int y, uint32_t ch, enum role role, uint8_t attr)
{
	int w = uc_width(ch);

	if (w < 1 || uc_is_invisible(ch) || (ch >= 0x80 && ch < 0xa0)) {
		ch = '?';
		w = 1;
	}
	set_cell(cv, x, y, ch, 0, w, (uint8_t)role, attr);
}

void
canvas_restyle(struct canvas *cv, struct rect r, int role, uint8_t attr_or)
{
	struct canvas s = canvas_sub(cv, r);
	for (int y = 0; y < s.h; y++)
		for (int x = 0; x < s.w; x++) {
			struct cell *c = canvas_cell(&s, x, y);
			if (role >= 0)
				c->role = (uint8_t)role;
			c->attr |= attr_or;
		}
}

/* Style for the glyph at byte offset src: the last span covering it wins. */
static void
span_style(const struct text_opts *o, uint32_t src, uint8_t *role, uint8_t *attr)
{
	for (size_t i = 0; i < o->nspans; i++) {
		if (o->spans[i].start > src)
			break;
		if (src < o->spans[i].end) {
			*role = o->spans[i].role;
			*attr = o->spans[i].attr;
		}
	}
}

int
canvas_text(struct canvas *cv, int x, int y, int maxw, const char *s, size_t len,
    const struct text_opts *o, size_t *consumed)
{
	struct san sn;
	struct glyph g;
	int col = 0, skip = o->skip, drawn = 0;
	int limit = maxw < 0 || maxw > cv->w - x ? cv->w - x : maxw;
	size_t last_src = 0;

	if (consumed)
		*consumed = 0;
	if (y < 0 || y >= cv->h || limit <= 0 || !s)
		return 0;
	san_init(&sn, s, len, o->san);
	while (san_next(&sn, &g)) {
		uint8_t role = (uint8_t)o->role, attr = o->attr;

		if (g.kind == G_BREAK)
			break;
		if (g.kind == G_COMB) {
			struct cell *c = col > 0 && skip == 0 ? canvas_cell(cv, x + col - 1, y) : NULL;
			if (c && c->flags & CF_WIDE_TAIL)
				c = canvas_cell(cv, x + col - 2, y);
			if (c && !c->comb)
				c->comb = g.cp;
			continue;
		}
		if (skip > 0) {
			skip -= g.width;
			if (skip < 0) {	/* a wide glyph cut by the scroll */
				col += -skip;
				skip = 0;
			}
			continue;
		}
		if (col + g.width > limit) {
			if (o->ellipsis && limit > 0) {
				int ex = limit - 1;
				if (ex > 0 && canvas_cell(cv, x + ex, y) &&
				    canvas_cell(cv, x + ex, y)->flags & CF_WIDE_TAIL)
					ex--;
				set_cell(cv, x + ex, y, 0x2026, 0, 1, (uint8_t)o->role, o->attr);
				for (int k = ex + 1; k < limit; k++)
					set_cell(cv, x + k, y, ' ', 0, 1, (uint8_t)o->role, o->attr);
			} else if (col < limit)
				set_cell(cv, x + col, y, ' ', 0, 1, (uint8_t)o->role, o->attr);
			if (consumed)
				*consumed = g.src;
			return limit;
		}
		if (g.kind == G_ESC)
			role = ROLE_ESCAPE, attr = 0;
		else if (o->nspans)
			span_style(o, g.src, &role, &attr);
		set_cell(cv, x + col, y, g.cp, 0, g.width, role, attr);
		col += g.width;
		drawn = col;
		last_src = sn.pos;
	}
	if (consumed)
		*consumed = sn.pos > last_src ? sn.pos : last_src;
	return drawn;
}

int
canvas_str(struct canvas *cv, int x, int y, int maxw, const char *s, enum role role, uint8_t attr)
{
	struct text_opts o = { .role = role, .attr = attr, .ellipsis = 1 };
	return canvas_text(cv, x, y, maxw, s, strlen(s), &o, NULL);
}

int
canvas_printf(struct canvas *cv, int x, int y, int maxw, enum role role, uint8_t attr,
    const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return canvas_str(cv, x, y, maxw, tmp, role, attr);
}

int
canvas_str_right(struct canvas *cv, int xr, int y, const char *s, enum role role, uint8_t attr)
{
	int w = san_width(s, strlen(s), 0), x = xr - w;
	if (x < 0)
		x = 0;
	canvas_str(cv, x, y, xr - x, s, role, attr);
	return x;
}

void
canvas_hline(struct canvas *cv, int x, int y, int w, uint32_t ch, enum role role, uint8_t attr)
{
	for (int i = 0; i < w; i++)
		canvas_put(cv, x + i, y, ch, role, attr);
}

void
canvas_vline(struct canvas *cv, int x, int y, int h, uint32_t ch, enum role role, uint8_t attr)
{
	for (int i = 0; i < h; i++)
		canvas_put(cv, x, y + i, ch, role, attr);
}

void
canvas_box(struct canvas *cv, struct rect r, enum role role, uint8_t attr, int ascii)
{
	uint32_t h = ascii ? '-' : 0x2500, v = ascii ? '|' : 0x2502;
	uint32_t tl = ascii ? '+' : 0x256d, tr = ascii ? '+' : 0x256e;
	uint32_t bl = ascii ? '+' : 0x2570, br = ascii ? '+' : 0x256f;

	if (r.w <= 0 || r.h <= 0)
		return;
	if (r.w == 1 || r.h == 1) {
		canvas_fill(cv, r, r.h == 1 ? h : v, role, attr);
		return;
	}
	canvas_hline(cv, r.x + 1, r.y, r.w - 2, h, role, attr);
	canvas_hline(cv, r.x + 1, r.y + r.h - 1, r.w - 2, h, role, attr);
	canvas_vline(cv, r.x, r.y + 1, r.h - 2, v, role, attr);
	canvas_vline(cv, r.x + r.w - 1, r.y + 1, r.h - 2, v, role, attr);
	canvas_put(cv, r.x, r.y, tl, role, attr);
	canvas_put(cv, r.x + r.w - 1, r.y, tr, role, attr);
	canvas_put(cv, r.x, r.y + r.h - 1, bl, role, attr);
	canvas_put(cv, r.x + r.w - 1, r.y + r.h - 1, br, role, attr);
}

uint32_t
canvas_ascii(uint32_t cp)
{
	if (cp < 0x80)
		return cp;
	if (cp >= 0x2500 && cp <= 0x257f) {	/* box drawing */
		if (cp == 0x2500 || cp == 0x2501 || cp == 0x2504 || cp == 0x2505 ||
		    cp == 0x2508 || cp == 0x2509 || cp == 0x254c || cp == 0x254d)
			return '-';
		if (cp == 0x2502 || cp == 0x2503 || cp == 0x2506 || cp == 0x2507 ||
		    cp == 0x250a || cp == 0x250b || cp == 0x254e || cp == 0x254f)
			return '|';
		return '+';
	}
	if (cp >= 0x2580 && cp <= 0x259f)	/* blocks */
		return '#';
	if (cp >= 0x2800 && cp <= 0x28ff)	/* braille */
		return cp == 0x2800 ? ' ' : '.';
	switch (cp) {
	case 0x2026: case 0x00b7: case 0x2022:
		return '.';
	case 0x2013: case 0x2014: case 0x2212:
		return '-';
	case 0x25cf: case 0x25c6: case 0x2605:
		return '*';
	case 0x25b8: case 0x25b6: case 0x2192: case 0x203a:
		return '>';
	case 0x25be: case 0x25bc: case 0x2193:
		return 'v';
	case 0x25b4: case 0x25b2: case 0x2191:
		return '^';
	case 0x25c2: case 0x25c0: case 0x2190: case 0x2039:
		return '<';
	case 0x23f8:
		return '|';
	case 0x00a0:
		return ' ';
	}
	return '?';
}

static void
row_to_buf(const struct canvas *cv, int y, struct buf *b, int ascii)
{
	size_t keep = b->len;
	char enc[8];

	for (int x = 0; x < cv->w; x++) {
		const struct cell *c = canvas_cell(cv, x, y);
		if (c->flags & CF_WIDE_TAIL) {
			if (ascii)	/* the lead became one column */
				buf_putc(b, ' ');
			continue;
		}
		if (ascii)
			buf_putc(b, (int)canvas_ascii(c->ch));
		else {
			buf_append(b, enc, utf8_encode(c->ch, enc));
			if (c->comb)
				buf_append(b, enc, utf8_encode(c->comb, enc));
		}
		if (c->ch != ' ')
			keep = b->len;
	}
	b->len = keep;
	if (b->data)
		b->data[b->len] = '\0';
}

void
canvas_dump(const struct canvas *cv, struct buf *b, int ascii)
{
	for (int y = 0; y < cv->h; y++) {
		row_to_buf(cv, y, b, ascii);
		buf_putc(b, '\n');
	}
}

void
canvas_to_text(const struct canvas *cv, struct buf *b)
{
	canvas_dump(cv, b, 0);
}

char *
canvas_row_text(const struct canvas *cv, int y)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	if (y >= 0 && y < cv->h)
		row_to_buf(cv, y, &b, 0);
	return buf_steal(&b, NULL);
}

int
canvas_row_differs(const struct canvas *a, const struct canvas *b, int y)
{
	if (a->w != b->w || y >= a->h || y >= b->h)
		return 1;
	return memcmp(canvas_cell(a, 0, y), canvas_cell(b, 0, y), (size_t)a->w * sizeof(struct cell)) != 0;
}
