/* fuzz target: the sanitiser and the canvas text writer.
 * Invariants checked: sanitised output is valid UTF-8 with no C0, DEL or
 * C1 code points and no invisible format characters; canvas cells never
 * hold them either; drawing never writes outside the view. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/canvas.h"
#include "core/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_text(const char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;

	if (!utf8_valid(s, n))
		abort();
	while (i < n) {
		size_t k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (!k)
			abort();
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || uc_is_invisible(cp)) {
			if (cp != '\n')
				abort();
		}
		i += k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned flags = size ? data[0] & 7 : 0;
	const char *s = (const char *)data + (size ? 1 : 0);
	size_t n = size ? size - 1 : 0;
	struct buf b;
	struct canvas *cv;
	struct text_span spans[2] = { { 0, n / 2, ROLE_MATCH, 0 }, { n / 3, n, ROLE_TRACELINK, 0 } };
	struct text_opts o = { .role = ROLE_TEXT, .san = flags & ~SAN_BREAK_LF, .ellipsis = 1,
	    .spans = spans, .nspans = 2, .skip = size ? data[0] >> 4 : 0 };

	buf_init(&b, 64u << 20);
	san_to_buf(&b, s, n, flags);
	check_text(b.data ? b.data : "", b.len);
	buf_free(&b);

	cv = canvas_new(23, 3);
	for (int y = 0; y < 3; y++) {
		struct canvas sub = canvas_sub(cv, (struct rect){ y, y, 23 - 2 * y, 1 });
		size_t used = 0;
		canvas_text(&sub, 0, 0, -1, s, n, &o, &used);
		if (used > n)
			abort();
	}
	for (int y = 0; y < cv->h; y++)
		for (int x = 0; x < cv->w; x++) {
			uint32_t ch = canvas_cell(cv, x, y)->ch;
			if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) || uc_is_invisible(ch))
				abort();
		}
	(void)san_width(s, n, flags);
	(void)san_wrap(s, n, 7, flags);
	canvas_free(cv);
	return 0;
}
