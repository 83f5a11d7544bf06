/* Unit tests: the canvas (clipping, views, wide glyphs, text, spans, boxes). */
#include <stdlib.h>

#include "core/buf.h"
#include "core/canvas.h"
#include "core/sanitize.h"
#include "tests/unit/t.h"

static char *
row(const struct canvas *cv, int y)
{
	return canvas_row_text(cv, y);
}

#define ROW_IS(cv, y, want) do { char *_r = row(cv, y); CHECK_STR(_r, want); free(_r); } while (0)

TEST(canvas_new_is_blank)
{
	struct canvas *cv = canvas_new(4, 2);
	CHECK_INT(cv->w, 4);
	CHECK_INT(cv->h, 2);
	for (int y = 0; y < 2; y++)
		for (int x = 0; x < 4; x++) {
			CHECK_INT(canvas_cell(cv, x, y)->ch, ' ');
			CHECK_INT(canvas_cell(cv, x, y)->role, ROLE_DEFAULT);
		}
	CHECK(canvas_cell(cv, 4, 0) == NULL);
	CHECK(canvas_cell(cv, 0, 2) == NULL);
	CHECK(canvas_cell(cv, -1, 0) == NULL);
	canvas_free(cv);
}

TEST(canvas_zero_size)
{
	struct canvas *cv = canvas_new(0, 0);
	struct buf b;

	CHECK(canvas_cell(cv, 0, 0) == NULL);
	canvas_str(cv, 0, 0, -1, "text", ROLE_TEXT, 0);
	canvas_box(cv, (struct rect){ 0, 0, 5, 5 }, ROLE_BORDER, 0, 0);
	buf_init(&b, 1024);
	canvas_to_text(cv, &b);
	CHECK_INT(b.len, 0);
	buf_free(&b);
	canvas_resize(cv, 1, 1);
	canvas_str(cv, 0, 0, -1, "text", ROLE_TEXT, 0);
	ROW_IS(cv, 0, "\xe2\x80\xa6");	/* one column: only the ellipsis */
	canvas_free(cv);
}

TEST(canvas_text_clips_to_view)
{
	struct canvas *cv = canvas_new(12, 3);
	struct canvas s = canvas_sub(cv, (struct rect){ 2, 1, 5, 1 });
	struct text_opts o = { .role = ROLE_TEXT };

	CHECK_INT(canvas_text(&s, 0, 0, -1, "abcdefghij", 10, &o, NULL), 5);
	ROW_IS(cv, 0, "");
	ROW_IS(cv, 1, "  abcde");
	ROW_IS(cv, 2, "");
	/* rows outside the view are refused */
	CHECK_INT(canvas_text(&s, 0, 1, -1, "zz", 2, &o, NULL), 0);
	CHECK_INT(canvas_text(&s, 0, -1, -1, "zz", 2, &o, NULL), 0);
	ROW_IS(cv, 2, "");
	canvas_free(cv);
}

TEST(canvas_sub_is_clipped_to_parent)
{
	struct canvas *cv = canvas_new(10, 5);
	struct canvas s = canvas_sub(cv, (struct rect){ -3, -2, 100, 100 });
	struct canvas t = canvas_sub(cv, (struct rect){ 8, 4, 5, 5 });
	struct canvas u = canvas_sub(cv, (struct rect){ 20, 20, 5, 5 });

	CHECK_INT(s.ox, 0);
	CHECK_INT(s.oy, 0);
	CHECK_INT(s.w, 10);
	CHECK_INT(s.h, 5);
	CHECK_INT(t.w, 2);
	CHECK_INT(t.h, 1);
	CHECK_INT(u.w, 0);
	CHECK_INT(u.h, 0);
	CHECK(canvas_cell(&u, 0, 0) == NULL);
	canvas_fill(&t, (struct rect){ 0, 0, 10, 10 }, '#', ROLE_TEXT, 0);
	ROW_IS(cv, 4, "        ##");
	ROW_IS(cv, 3, "");
	canvas_free(cv);
}

TEST(canvas_sub_of_sub_accumulates_origin)
{
	struct canvas *cv = canvas_new(10, 4);
	struct canvas a = canvas_sub(cv, (struct rect){ 2, 1, 6, 3 });
	struct canvas b = canvas_sub(&a, (struct rect){ 1, 1, 10, 10 });

	CHECK_INT(b.ox, 3);
	CHECK_INT(b.oy, 2);
	CHECK_INT(b.w, 5);
	CHECK_INT(b.h, 2);
	canvas_str(&b, 0, 0, -1, "xyzuvw", ROLE_TEXT, 0);
	ROW_IS(cv, 2, "   xyzu\xe2\x80\xa6");
	canvas_free(cv);
}

TEST(canvas_ellipsis_marks_cut_text)
{
	struct canvas *cv = canvas_new(10, 1);

	CHECK_INT(canvas_str(cv, 0, 0, 5, "abcdefgh", ROLE_TEXT, 0), 5);
	ROW_IS(cv, 0, "abcd\xe2\x80\xa6");
	canvas_clear(cv, ROLE_DEFAULT);
	/* exactly fitting text gets no ellipsis */
	canvas_str(cv, 0, 0, 5, "abcde", ROLE_TEXT, 0);
	ROW_IS(cv, 0, "abcde");
	canvas_free(cv);
}

TEST(canvas_wide_glyph_at_edge_becomes_space)
{
	struct canvas *cv = canvas_new(3, 2);
	struct text_opts o = { .role = ROLE_TEXT };

	/* "ab" + a CJK glyph that would need columns 2 and 3 */
	canvas_text(cv, 0, 0, -1, "ab\xe6\x97\xa5", 5, &o, NULL);
	ROW_IS(cv, 0, "ab");
	CHECK_INT(canvas_cell(cv, 2, 0)->ch, ' ');
	CHECK_INT(canvas_cell(cv, 2, 0)->flags, 0);
	/* a single trusted glyph too */
	canvas_put(cv, 2, 1, 0x65e5, ROLE_TEXT, 0);
	CHECK_INT(canvas_cell(cv, 2, 1)->ch, ' ');
	canvas_put(cv, 1, 1, 0x65e5, ROLE_TEXT, 0);
	CHECK_INT(canvas_cell(cv, 1, 1)->ch, 0x65e5);
	CHECK(canvas_cell(cv, 2, 1)->flags & CF_WIDE_TAIL);
	canvas_free(cv);
}

TEST(canvas_wide_glyph_with_ellipsis)
{
	struct canvas *cv = canvas_new(6, 1);

	/* 日本語 is 6 columns; in 5 the third glyph is cut: 日本… */
	canvas_str(cv, 0, 0, 5, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", ROLE_TEXT, 0);
	ROW_IS(cv, 0, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	canvas_free(cv);
}

TEST(canvas_overwriting_half_of_wide_glyph)
{
	struct canvas *cv = canvas_new(6, 1);

	canvas_put(cv, 1, 0, 0x65e5, ROLE_TEXT, 0);
	canvas_put(cv, 2, 0, 'x', ROLE_TEXT, 0);	/* over the tail */
	CHECK_INT(canvas_cell(cv, 1, 0)->ch, ' ');
	CHECK_INT(canvas_cell(cv, 2, 0)->ch, 'x');
	CHECK_INT(canvas_cell(cv, 2, 0)->flags, 0);
	canvas_put(cv, 3, 0, 0x65e5, ROLE_TEXT, 0);
	canvas_put(cv, 3, 0, 'y', ROLE_TEXT, 0);	/* over the lead */
	CHECK_INT(canvas_cell(cv, 4, 0)->ch, ' ');
	CHECK_INT(canvas_cell(cv, 4, 0)->flags, 0);
	ROW_IS(cv, 0, "  xy");
	canvas_free(cv);
}

TEST(canvas_view_edge_repairs_straddling_glyph)
{
	struct canvas *cv = canvas_new(8, 1);
	struct canvas s = canvas_sub(cv, (struct rect){ 4, 0, 4, 1 });

	/* the parent draws a wide glyph over columns 3-4; the view starts at 4 */
	canvas_put(cv, 3, 0, 0x65e5, ROLE_TEXT, 0);
	canvas_put(&s, 0, 0, 'x', ROLE_TEXT, 0);
	CHECK_INT(canvas_cell(cv, 3, 0)->ch, ' ');
	CHECK_INT(canvas_cell(cv, 4, 0)->ch, 'x');
	CHECK_INT(canvas_cell(cv, 4, 0)->flags, 0);
	/* and a fill of a view whose right edge cuts a glyph */
	canvas_put(cv, 1, 0, 0x65e5, ROLE_TEXT, 0);
	{
		struct canvas l = canvas_sub(cv, (struct rect){ 0, 0, 2, 1 });
		canvas_fill(&l, (struct rect){ 0, 0, 2, 1 }, '.', ROLE_TEXT, 0);
	}
	CHECK_INT(canvas_cell(cv, 2, 0)->ch, ' ');
	CHECK_INT(canvas_cell(cv, 2, 0)->flags, 0);
	canvas_free(cv);
}

TEST(canvas_escape_forms_get_escape_role)
{
	struct canvas *cv = canvas_new(10, 1);

	canvas_str(cv, 0, 0, -1, "a\x1b[2Jb", ROLE_TEXT, 0);
	ROW_IS(cv, 0, "a^[[2Jb");
	CHECK_INT(canvas_cell(cv, 0, 0)->role, ROLE_TEXT);
	CHECK_INT(canvas_cell(cv, 1, 0)->role, ROLE_ESCAPE);
	CHECK_INT(canvas_cell(cv, 2, 0)->role, ROLE_ESCAPE);
	CHECK_INT(canvas_cell(cv, 3, 0)->role, ROLE_TEXT);
	canvas_free(cv);
}

TEST(canvas_spans_restyle_byte_ranges)
{
	struct canvas *cv = canvas_new(20, 1);
	struct text_span sp[2] = { { 6, 11, ROLE_MATCH, 0 }, { 8, 9, ROLE_TRACELINK, CA_UNDERLINE } };
	struct text_opts o = { .role = ROLE_TEXT, .spans = sp, .nspans = 2 };

	canvas_text(cv, 0, 0, -1, "hello world", 11, &o, NULL);
	CHECK_INT(canvas_cell(cv, 5, 0)->role, ROLE_TEXT);
	CHECK_INT(canvas_cell(cv, 6, 0)->role, ROLE_MATCH);
	CHECK_INT(canvas_cell(cv, 7, 0)->role, ROLE_MATCH);
	CHECK_INT(canvas_cell(cv, 8, 0)->role, ROLE_TRACELINK);	/* the later span wins */
	CHECK_INT(canvas_cell(cv, 8, 0)->attr, CA_UNDERLINE);
	CHECK_INT(canvas_cell(cv, 10, 0)->role, ROLE_MATCH);
	CHECK_INT(canvas_cell(cv, 11, 0)->role, ROLE_DEFAULT);
	canvas_free(cv);
}

TEST(canvas_text_skip_scrolls_horizontally)
{
	struct canvas *cv = canvas_new(6, 2);
	struct text_opts o = { .role = ROLE_TEXT, .skip = 3 };

	canvas_text(cv, 0, 0, -1, "abcdefgh", 8, &o, NULL);
	ROW_IS(cv, 0, "defgh");
	/* a wide glyph cut by the scroll leaves a blank column */
	o.skip = 1;
	canvas_text(cv, 0, 1, -1, "\xe6\x97\xa5xy", 5, &o, NULL);
	ROW_IS(cv, 1, " xy");
	canvas_free(cv);
}

TEST(canvas_text_consumed_bytes)
{
	struct canvas *cv = canvas_new(4, 1);
	struct text_opts o = { .role = ROLE_TEXT };
	size_t used;

	canvas_text(cv, 0, 0, -1, "abcdef", 6, &o, &used);
	CHECK_INT(used, 4);
	canvas_text(cv, 0, 0, -1, "ab", 2, &o, &used);
	CHECK_INT(used, 2);
	canvas_free(cv);
}

TEST(canvas_combining_mark_joins_cell)
{
	struct canvas *cv = canvas_new(5, 1);

	canvas_str(cv, 0, 0, -1, "e\xcc\x81x", ROLE_TEXT, 0);
	CHECK_INT(canvas_cell(cv, 0, 0)->ch, 'e');
	CHECK_INT(canvas_cell(cv, 0, 0)->comb, 0x301);
	CHECK_INT(canvas_cell(cv, 1, 0)->ch, 'x');
	ROW_IS(cv, 0, "e\xcc\x81x");
	canvas_free(cv);
}

TEST(canvas_put_refuses_controls)
{
	struct canvas *cv = canvas_new(6, 1);

	canvas_put(cv, 0, 0, 0x1b, ROLE_TEXT, 0);
	canvas_put(cv, 1, 0, 0x9b, ROLE_TEXT, 0);
	canvas_put(cv, 2, 0, 0x202e, ROLE_TEXT, 0);
	canvas_put(cv, 3, 0, 0x200b, ROLE_TEXT, 0);
	canvas_put(cv, 4, 0, 0x301, ROLE_TEXT, 0);	/* zero width */
	canvas_put(cv, 5, 0, 0x2800 + 0xff, ROLE_TEXT, 0);
	ROW_IS(cv, 0, "?????\xe2\xa3\xbf");
	canvas_free(cv);
}

TEST(canvas_box_and_lines)
{
	struct canvas *cv = canvas_new(6, 4);

	canvas_box(cv, (struct rect){ 0, 0, 6, 3 }, ROLE_BORDER, 0, 1);
	ROW_IS(cv, 0, "+----+");
	ROW_IS(cv, 1, "|    |");
	ROW_IS(cv, 2, "+----+");
	canvas_box(cv, (struct rect){ 0, 3, 6, 1 }, ROLE_BORDER, 0, 1);
	ROW_IS(cv, 3, "------");
	canvas_clear(cv, ROLE_DEFAULT);
	canvas_box(cv, (struct rect){ 1, 0, 3, 2 }, ROLE_FOCUS, 0, 0);
	ROW_IS(cv, 0, " \xe2\x95\xad\xe2\x94\x80\xe2\x95\xae");
	ROW_IS(cv, 1, " \xe2\x95\xb0\xe2\x94\x80\xe2\x95\xaf");
	CHECK_INT(canvas_cell(cv, 1, 0)->role, ROLE_FOCUS);
	canvas_free(cv);
}

TEST(canvas_str_right_aligns)
{
	struct canvas *cv = canvas_new(10, 1);

	CHECK_INT(canvas_str_right(cv, 10, 0, "abc", ROLE_TEXT, 0), 7);
	ROW_IS(cv, 0, "       abc");
	canvas_free(cv);
}

TEST(canvas_restyle_changes_role)
{
	struct canvas *cv = canvas_new(5, 1);

	canvas_str(cv, 0, 0, -1, "abcde", ROLE_TEXT, 0);
	canvas_restyle(cv, (struct rect){ 1, 0, 2, 1 }, ROLE_SELECTION, CA_BOLD);
	CHECK_INT(canvas_cell(cv, 0, 0)->role, ROLE_TEXT);
	CHECK_INT(canvas_cell(cv, 1, 0)->role, ROLE_SELECTION);
	CHECK_INT(canvas_cell(cv, 2, 0)->attr, CA_BOLD);
	CHECK_INT(canvas_cell(cv, 3, 0)->role, ROLE_TEXT);
	canvas_restyle(cv, (struct rect){ 3, 0, 1, 1 }, -1, CA_REVERSE);
	CHECK_INT(canvas_cell(cv, 3, 0)->role, ROLE_TEXT);
	CHECK_INT(canvas_cell(cv, 3, 0)->attr, CA_REVERSE);
	canvas_free(cv);
}

TEST(canvas_dump_ascii)
{
	struct canvas *cv = canvas_new(8, 2);
	struct buf b;

	canvas_box(cv, (struct rect){ 0, 0, 4, 2 }, ROLE_BORDER, 0, 0);
	canvas_str(cv, 4, 0, 4, "\xe6\x97\xa5\xe2\x80\xa6x", ROLE_TEXT, 0);
	buf_init(&b, 4096);
	canvas_dump(cv, &b, 1);
	CHECK_STR(b.data, "+--+? .x\n+--+\n");
	buf_reset(&b);
	canvas_to_text(cv, &b);
	CHECK_STR(b.data, "\xe2\x95\xad\xe2\x94\x80\xe2\x94\x80\xe2\x95\xae\xe6\x97\xa5\xe2\x80\xa6x\n"
	    "\xe2\x95\xb0\xe2\x94\x80\xe2\x94\x80\xe2\x95\xaf\n");
	buf_free(&b);
	CHECK_INT(canvas_ascii(0x2588), '#');
	CHECK_INT(canvas_ascii(0x28ff), '.');
	CHECK_INT(canvas_ascii(0x25b8), '>');
	CHECK_INT(canvas_ascii('a'), 'a');
	CHECK_INT(canvas_ascii(0x65e5), '?');
	canvas_free(cv);
}

TEST(canvas_row_differs)
{
	struct canvas *a = canvas_new(4, 2), *b = canvas_new(4, 2);

	CHECK(!canvas_row_differs(a, b, 0));
	canvas_put(b, 3, 1, 'x', ROLE_TEXT, 0);
	CHECK(!canvas_row_differs(a, b, 0));
	CHECK(canvas_row_differs(a, b, 1));
	canvas_free(a);
	canvas_free(b);
}

static uint64_t rng = 88172645463325252ULL;
static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* Property: random text into random views never touches cells outside the
 * view, never leaves half a wide glyph, and never stores an unsafe code
 * point (robustness.md §5: rendered width of a row <= panel width). */
TEST(canvas_random_text_stays_inside)
{
	static const char *const pieces[] = { "a", "\xe6\x97\xa5", "\x1b", "\r", "\t", "\xff",
	    "\xe2\x80\xae", "e\xcc\x81", "\xc2\x9b", "\xcc\x81", "\xf0\x9f\x98\x80", " ", "\n" };
	struct canvas *cv = canvas_new(30, 6);

	for (int iter = 0; iter < 3000; iter++) {
		struct rect r = { (int)rnd(34) - 2, (int)rnd(8) - 1, (int)rnd(20), (int)rnd(4) };
		struct canvas s = canvas_sub(cv, r);
		char text[256];
		size_t n = 0;
		struct text_opts o = { .role = ROLE_TEXT, .ellipsis = (int)rnd(2), .skip = (int)rnd(3) };

		canvas_fill(cv, (struct rect){ 0, 0, 30, 6 }, '.', ROLE_DIM, 0);
		for (int k = (int)rnd(12); k > 0; k--) {
			const char *p = pieces[rnd(sizeof pieces / sizeof *pieces)];
			if (n + strlen(p) < sizeof text) {
				memcpy(text + n, p, strlen(p));
				n += strlen(p);
			}
		}
		canvas_text(&s, (int)rnd(6) - 1, (int)rnd(3), (int)rnd(12) - 1, text, n, &o, NULL);
		for (int y = 0; y < 6; y++)
			for (int x = 0; x < 30; x++) {
				const struct cell *c = canvas_cell(cv, x, y);
				int inside = x >= s.ox && x < s.ox + s.w && y >= s.oy && y < s.oy + s.h;
				if (!inside)
					CHECK(c->ch == '.' && c->role == ROLE_DIM);
				CHECK(c->ch >= 0x20 && !(c->ch >= 0x7f && c->ch < 0xa0) &&
				    !uc_is_invisible(c->ch));
				if (c->flags & CF_WIDE_TAIL)
					CHECK(x > 0 && uc_width(canvas_cell(cv, x - 1, y)->ch) == 2);
				else if (uc_width(c->ch) == 2)
					CHECK(x + 1 < 30 && (canvas_cell(cv, x + 1, y)->flags & CF_WIDE_TAIL));
			}
	}
	canvas_free(cv);
}
