/* Unit tests: braille / block / ASCII plotting and sparkline glyphs. */
#include <stdlib.h>

#include "core/braille.h"
#include "tests/unit/t.h"

static uint32_t
glyph_at(struct plot *p, int cx, int cy)
{
	struct canvas *cv = canvas_new(p->w, p->h);
	uint32_t g;

	plot_blit(p, cv, 0, 0);
	g = canvas_cell(cv, cx, cy)->ch;
	canvas_free(cv);
	return g;
}

TEST(braille_dot_bits)
{
	/* apis.md §9.2: (col,row) -> bit */
	static const struct { int x, y; uint32_t cp; } dots[] = {
		{ 0, 0, 0x2801 }, { 0, 1, 0x2802 }, { 0, 2, 0x2804 }, { 0, 3, 0x2840 },
		{ 1, 0, 0x2808 }, { 1, 1, 0x2810 }, { 1, 2, 0x2820 }, { 1, 3, 0x2880 },
	};
	for (size_t i = 0; i < sizeof dots / sizeof *dots; i++) {
		struct plot p;
		plot_init(&p, 1, 1, GS_BRAILLE);
		plot_dot(&p, dots[i].x, dots[i].y, ROLE_SERIES1);
		CHECK_INT(glyph_at(&p, 0, 0), dots[i].cp);
		plot_free(&p);
	}
}

TEST(braille_full_cell_and_resolution)
{
	struct plot p;

	plot_init(&p, 3, 2, GS_BRAILLE);
	CHECK_INT(plot_dots_w(&p), 6);
	CHECK_INT(plot_dots_h(&p), 8);
	for (int x = 2; x < 4; x++)
		for (int y = 4; y < 8; y++)
			plot_dot(&p, x, y, ROLE_SERIES2);
	CHECK_INT(glyph_at(&p, 1, 1), 0x28ff);
	CHECK_INT(glyph_at(&p, 0, 0), ' ');
	CHECK_INT(glyph_at(&p, 2, 1), ' ');
	plot_free(&p);
}

TEST(braille_out_of_range_dots_ignored)
{
	struct plot p;

	plot_init(&p, 2, 1, GS_BRAILLE);
	plot_dot(&p, -1, 0, ROLE_SERIES1);
	plot_dot(&p, 4, 0, ROLE_SERIES1);
	plot_dot(&p, 0, 4, ROLE_SERIES1);
	plot_dot(&p, 0, -1, ROLE_SERIES1);
	for (int i = 0; i < 2; i++)
		CHECK_INT(p.bits[i], 0);
	plot_free(&p);
}

TEST(braille_lines)
{
	struct plot p;
	int set = 0;

	plot_init(&p, 4, 1, GS_BRAILLE);
	plot_line(&p, 0, 0, 7, 0, ROLE_SERIES1);	/* top row of dots, all 4 cells */
	for (int i = 0; i < 4; i++)
		CHECK_INT(p.bits[i], 0x01 | 0x08);
	plot_clear(&p);
	plot_line(&p, 0, 3, 7, 0, ROLE_SERIES1);	/* diagonal, every column once */
	for (int i = 0; i < 4; i++)
		for (int b = 0; b < 8; b++)
			set += (p.bits[i] >> b) & 1;
	CHECK_INT(set, 8);
	CHECK_INT(p.bits[0] & 0x40, 0x40);		/* starts bottom-left */
	CHECK_INT(p.bits[3] & 0x08, 0x08);		/* ends top-right */
	plot_clear(&p);
	/* clipped: a line from far outside only sets what is inside */
	plot_line(&p, -100, 2, 100, 2, ROLE_SERIES1);
	for (int i = 0; i < 4; i++)
		CHECK_INT(p.bits[i], 0x04 | 0x20);
	plot_clear(&p);
	/* absurd coordinates are refused, not looped over */
	plot_line(&p, -2000000000, 0, 2000000000, 0, ROLE_SERIES1);
	for (int i = 0; i < 4; i++)
		CHECK_INT(p.bits[i], 0);
	plot_free(&p);
}

TEST(braille_last_writer_owns_cell)
{
	struct plot p;
	struct canvas *cv = canvas_new(1, 1);

	plot_init(&p, 1, 1, GS_BRAILLE);
	plot_dot(&p, 0, 0, ROLE_SERIES1);
	plot_dot(&p, 1, 3, ROLE_SERIES3);
	plot_blit(&p, cv, 0, 0);
	CHECK_INT(canvas_cell(cv, 0, 0)->ch, 0x2881);
	CHECK_INT(canvas_cell(cv, 0, 0)->role, ROLE_SERIES3);
	plot_free(&p);
	canvas_free(cv);
}

TEST(block_and_ascii_fallbacks)
{
	struct plot b, a;

	plot_init(&b, 3, 1, GS_BLOCK);
	plot_init(&a, 3, 1, GS_ASCII);
	CHECK_INT(plot_dots_w(&b), 3);
	CHECK_INT(plot_dots_h(&b), 2);
	plot_dot(&b, 0, 0, ROLE_SERIES1);
	plot_dot(&b, 1, 1, ROLE_SERIES1);
	plot_dot(&b, 2, 0, ROLE_SERIES1);
	plot_dot(&b, 2, 1, ROLE_SERIES1);
	CHECK_INT(glyph_at(&b, 0, 0), 0x2580);	/* upper half */
	CHECK_INT(glyph_at(&b, 1, 0), 0x2584);	/* lower half */
	CHECK_INT(glyph_at(&b, 2, 0), 0x2588);	/* full */
	plot_dot(&a, 0, 0, ROLE_SERIES1);
	plot_dot(&a, 1, 1, ROLE_SERIES1);
	plot_dot(&a, 2, 0, ROLE_SERIES1);
	plot_dot(&a, 2, 1, ROLE_SERIES1);
	CHECK_INT(glyph_at(&a, 0, 0), '\'');
	CHECK_INT(glyph_at(&a, 1, 0), '.');
	CHECK_INT(glyph_at(&a, 2, 0), ':');
	plot_free(&b);
	plot_free(&a);
}

TEST(plot_blit_offsets_and_clips)
{
	struct plot p;
	struct canvas *cv = canvas_new(3, 2);

	plot_init(&p, 2, 1, GS_BRAILLE);
	plot_dot(&p, 0, 0, ROLE_SERIES1);
	plot_dot(&p, 3, 0, ROLE_SERIES1);
	plot_blit(&p, cv, 2, 1);	/* the second cell falls off the canvas */
	CHECK_INT(canvas_cell(cv, 2, 1)->ch, 0x2801);
	CHECK_INT(canvas_cell(cv, 0, 0)->ch, ' ');
	plot_free(&p);
	canvas_free(cv);
}

TEST(plot_zero_size)
{
	struct plot p;

	plot_init(&p, 0, -3, GS_BRAILLE);
	CHECK_INT(plot_dots_w(&p), 0);
	CHECK_INT(plot_dots_h(&p), 0);
	plot_dot(&p, 0, 0, ROLE_SERIES1);
	plot_line(&p, 0, 0, 10, 10, ROLE_SERIES1);
	plot_free(&p);
}

TEST(spark_glyphs)
{
	CHECK_INT(spark_glyph(0, GS_BRAILLE), ' ');
	CHECK_INT(spark_glyph(-3, GS_BLOCK), ' ');
	CHECK_INT(spark_glyph(1, GS_BLOCK), 0x2581);
	CHECK_INT(spark_glyph(4, GS_BRAILLE), 0x2584);
	CHECK_INT(spark_glyph(8, GS_BLOCK), 0x2588);
	CHECK_INT(spark_glyph(99, GS_BLOCK), 0x2588);
	CHECK_INT(spark_glyph(1, GS_ASCII), '_');
	CHECK_INT(spark_glyph(8, GS_ASCII), '@');
	for (int l = 1; l <= 8; l++)
		CHECK(spark_glyph(l, GS_ASCII) < 0x80 && spark_glyph(l, GS_ASCII) > 0x20);
}
