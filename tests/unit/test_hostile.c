/* Unit tests: hostile text on the paths that leave scry other than
 * through the canvas (robustness.md §6 T3): diagnostics printed by
 * --check and --convert, and what the escapes found by the hostile tests
 * were fixed with. */
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "tests/unit/t.h"

/* No byte a terminal would act on: C0 but LF, DEL, C1 (raw or UTF-8),
 * bidi controls; and the text is valid UTF-8. */
static int
terminal_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return 0;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)
			return 0;
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
			return 0;
		if (*p >= 0x80 && !(*p >= 0xc2 && *p <= 0xf4))
			if ((*p & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

TEST(hostile_diag_message_sanitised)
{
	struct diag d;

	diag_init(&d);
	diag_add(&d, DIAG_ERROR, "dash.json", 3, 7, "unknown panel type '%s'",
	    "gr\x1b]0;pwned\x07" "aph\xe2\x80\xae\xc2\x9b" "2J\xff");
	CHECK_INT(d.n, 1);
	CHECK(terminal_safe(d.e[0].msg));
	CHECK_STR(d.e[0].msg, "dash.json:3:7: unknown panel type "
	    "'gr^[]0;pwned^Gaph<U+202E><U+009B>2J\\xFF'");
	diag_free(&d);
}

TEST(hostile_diag_file_name_and_warning)
{
	struct diag d;

	diag_init(&d);
	diag_add(&d, DIAG_WARN, "evil\x1b[2J.json", 0, 0, "source '%s' unused", "a\rb");
	CHECK_STR(d.e[0].msg, "evil^[[2J.json: warning: source 'a^Mb' unused");
	CHECK(terminal_safe(d.e[0].msg));
	diag_free(&d);
}
