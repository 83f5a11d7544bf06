/* rowfilter: bounded PCRE2 matching for row filters.
 * Invariant: re, md and mc are all set or all NULL. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "widgets/rowfilter.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define PATTERN_MAX	1024
#define MATCH_LIMIT	200000
#define DEPTH_LIMIT	2000
#define HEAP_LIMIT_KB	2048

void
rowfilter_free(struct rowfilter *f)
{
	pcre2_code_free(f->re);
	pcre2_match_data_free(f->md);
	pcre2_match_context_free(f->mc);
	free(f->pattern);
	memset(f, 0, sizeof *f);
}

static int
has_upper(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {	/* \S, \W ... are not letters */
			s++;
			continue;
		}
		if (*s >= 'A' && *s <= 'Z')
			return 1;
	}
	return 0;
}

int
rowfilter_set(struct rowfilter *f, const char *pattern, char **err)
{
	pcre2_compile_context *cc;
	pcre2_code *re;
	int ec;
	PCRE2_SIZE eo;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;

	if (!pattern || !*pattern) {
		rowfilter_free(f);
		return 0;
	}
	if (strlen(pattern) > PATTERN_MAX) {
		*err = xasprintf("filter: pattern longer than %d bytes", PATTERN_MAX);
		return -1;
	}
	if (!has_upper(pattern))
		opts |= PCRE2_CASELESS;
	cc = pcre2_compile_context_create(NULL);
	pcre2_set_max_pattern_length(cc, PATTERN_MAX);
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &ec, &eo, cc);
	pcre2_compile_context_free(cc);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		*err = xasprintf("filter: %s at offset %zu", (char *)msg, (size_t)eo);
		return -1;
	}
	rowfilter_free(f);
	f->re = re;
	f->md = pcre2_match_data_create_from_pattern(re, NULL);
	f->mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(f->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(f->mc, DEPTH_LIMIT);
	pcre2_set_heap_limit(f->mc, HEAP_LIMIT_KB);
	f->pattern = xstrdup(pattern);
	return 0;
}

int
rowfilter_active(const struct rowfilter *f)
{
	return f->re != NULL;
}

int
rowfilter_match(const struct rowfilter *f, const char *s, size_t n, size_t *start, size_t *end)
{
	int rc;

	if (!f->re) {
		if (start)
			*start = *end = 0;
		return 1;
	}
	rc = pcre2_match(f->re, (PCRE2_SPTR)s, n, 0, 0, f->md, f->mc);
	if (rc < 0)
		return 0;	/* no match, or a limit hit: treated as no match */
	if (start) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->md);
		*start = ov[0];
		*end = ov[1];
	}
	return 1;
}
