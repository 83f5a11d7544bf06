/* Unit tests: the PCRE2 wrapper (limits, UTF fast path, errors). */
#include <stdlib.h>
#include <string.h>

#include "core/regex.h"
#include "core/ts.h"
#include "tests/unit/t.h"

static int
m(struct rx *r, const char *s, int valid)
{
	return rx_match(r, s, strlen(s), 0, valid, 0, NULL, NULL);
}

TEST(regex_basic_match_and_range)
{
	char *err = NULL;
	struct rx *r = rx_compile("upstream (connect) error", 24, 0, &err);
	size_t a = 0, b = 0;

	CHECK(r != NULL);
	CHECK(rx_jit(r));
	CHECK_INT(rx_groups(r), 1);
	CHECK_INT(rx_match(r, "x upstream connect error y", 26, 0, 1, 1, &a, &b), RX_MATCH);
	CHECK_INT(a, 11);
	CHECK_INT(b, 18);
	CHECK_INT(m(r, "upstream reset", 1), RX_NOMATCH);
	rx_free(r);
}

TEST(regex_compile_error_has_offset)
{
	char *err = NULL;
	struct rx *r = rx_compile("a(b", 3, 0, &err);

	CHECK(r == NULL);
	CHECK_CONTAINS(err, "missing closing parenthesis");
	CHECK_CONTAINS(err, "at offset 3");
	free(err);
}

TEST(regex_never_backslash_c)
{
	char *err = NULL;
	struct rx *r = rx_compile("a\\Cb", 4, 0, &err);

	CHECK(r == NULL);
	CHECK_CONTAINS(err, "\\C");
	free(err);
}

TEST(regex_pattern_too_long)
{
	char *p = malloc(RX_PATTERN_MAX + 2), *err = NULL;

	memset(p, 'a', RX_PATTERN_MAX + 1);
	p[RX_PATTERN_MAX + 1] = 0;
	CHECK(rx_compile(p, RX_PATTERN_MAX + 1, 0, &err) == NULL);
	CHECK_CONTAINS(err, "longer than");
	free(err);
	free(p);
}

TEST(regex_smartcase)
{
	char *err = NULL;
	struct rx *lo = rx_compile("error", 5, RX_SMARTCASE, &err);
	struct rx *up = rx_compile("Error", 5, RX_SMARTCASE, &err);
	struct rx *esc = rx_compile("\\Serror", 7, RX_SMARTCASE, &err);

	CHECK_INT(m(lo, "LEVEL=ERROR", 1), RX_MATCH);
	CHECK_INT(m(up, "LEVEL=ERROR", 1), RX_NOMATCH);
	CHECK_INT(m(up, "an Error", 1), RX_MATCH);
	CHECK_INT(m(esc, "xERROR", 1), RX_MATCH);	/* \S is not an upper-case letter */
	rx_free(lo);
	rx_free(up);
	rx_free(esc);
}

TEST(regex_literal)
{
	char *err = NULL;
	struct rx *r = rx_compile("a.b(", 4, RX_LITERAL, &err);

	CHECK(r != NULL);
	CHECK_INT(m(r, "xa.b(y", 1), RX_MATCH);
	CHECK_INT(m(r, "xaxb(y", 1), RX_NOMATCH);
	rx_free(r);
}

TEST(regex_catastrophic_pattern_hits_limit_fast)
{
	char *err = NULL, subj[64];
	struct rx *r = rx_compile("^(a+)+$", 7, 0, &err);
	int64_t t0;

	memset(subj, 'a', 40);
	strcpy(subj + 40, "!");
	t0 = ts_mono_ms();
	CHECK_INT(m(r, subj, 1), RX_LIMIT);
	CHECK(ts_mono_ms() - t0 < 1000);	/* bounded, not seconds or hours */
	CHECK_INT(rx_limit_hits(r), 1);
	rx_free(r);
}

TEST(regex_pattern_cannot_raise_limit)
{
	char *err = NULL, subj[64];
	const char *p = "(*LIMIT_MATCH=100000000)^(a|aa)+$";
	struct rx *r = rx_compile(p, strlen(p), 0, &err);

	memset(subj, 'a', 50);
	strcpy(subj + 50, "b");
	CHECK(r != NULL);
	CHECK_INT(m(r, subj, 1), RX_LIMIT);
	rx_free(r);
}

TEST(regex_invalid_utf_subject_matches_bytewise)
{
	char *err = NULL;
	struct rx *r = rx_compile("x.y", 3, 0, &err);
	const char s[] = "ab x\xffy \x1b";

	CHECK_INT(rx_match(r, s, sizeof s - 1, 0, 0, 0, NULL, NULL), RX_MATCH);
	rx_free(r);
}

TEST(regex_utf_dot_matches_one_character)
{
	char *err = NULL;
	struct rx *r = rx_compile("^caf.$", 6, 0, &err);

	CHECK_INT(m(r, "caf\xc3\xa9", 1), RX_MATCH);	/* é is one character */
	rx_free(r);
}

TEST(regex_from_offset_finds_next)
{
	char *err = NULL;
	struct rx *r = rx_compile("ab", 2, 0, &err);
	size_t a, b;

	CHECK_INT(rx_match(r, "ab ab", 5, 1, 1, 0, &a, &b), RX_MATCH);
	CHECK_INT(a, 3);
	CHECK_INT(rx_match(r, "ab ab", 5, 4, 1, 0, &a, &b), RX_NOMATCH);
	rx_free(r);
}
