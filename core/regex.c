/* regex: PCRE2 compiled with limits, JIT, validated-UTF fast path.
 * Invariants: r->code is a UTF program compiled with the limits of the
 * header; r->bytes (byte-mode twin for invalid subjects) is compiled on
 * first need; one match block and one JIT stack per pattern. */
#include "core/regex.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/xalloc.h"

#define JIT_STACK_MAX	(512 * 1024)
#define PARENS_MAX	64

struct rx {
	char			*pat;
	size_t			 len;
	uint32_t		 copts;
	pcre2_code		*code;		/* UTF */
	pcre2_code		*bytes;		/* non-UTF twin, lazily */
	int			 bytes_failed;
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;
	pcre2_jit_stack		*jstack;
	int			 jit;
	uint64_t		 limit_hits;
};

static int
has_upper(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\') {
			i++;	/* \S \W \D \B ... are not literal upper case */
			continue;
		}
		if (isupper((unsigned char)p[i]))
			return 1;
	}
	return 0;
}

static pcre2_code *
compile(const char *pat, size_t len, uint32_t opts, char **err)
{
	pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
	pcre2_code *code;
	int ec;
	PCRE2_SIZE off;

	if (!cc)
		fatal("out of memory (pcre2)");
	pcre2_set_max_pattern_length(cc, RX_PATTERN_MAX);
	pcre2_set_parens_nest_limit(cc, PARENS_MAX);
	code = pcre2_compile((PCRE2_SPTR)pat, len, opts, &ec, &off, cc);
	pcre2_compile_context_free(cc);
	if (!code && err) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(ec, msg, sizeof msg) < 0)
			strcpy((char *)msg, "invalid pattern");
		*err = xasprintf("%s at offset %zu", (char *)msg, (size_t)off);
	}
	return code;
}

struct rx *
rx_compile(const char *pat, size_t len, unsigned flags, char **err)
{
	struct rx *r;
	uint32_t opts = PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C | PCRE2_DOLLAR_ENDONLY;
	pcre2_code *code;

	*err = NULL;
	if (len > RX_PATTERN_MAX) {
		*err = xasprintf("pattern longer than %d bytes", RX_PATTERN_MAX);
		return NULL;
	}
	if ((flags & RX_CASELESS) || ((flags & RX_SMARTCASE) && !has_upper(pat, len)))
		opts |= PCRE2_CASELESS;
	if (flags & RX_LITERAL)	/* LITERAL allows only a few other options */
		opts = (opts & (PCRE2_UTF | PCRE2_CASELESS)) | PCRE2_LITERAL;
	if (!(code = compile(pat, len, opts, err)))
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->pat = xstrndup(pat, len);
	r->len = len;
	r->copts = opts;
	r->code = code;
	r->md = pcre2_match_data_create_from_pattern(code, NULL);
	r->mctx = pcre2_match_context_create(NULL);
	if (!r->md || !r->mctx)
		fatal("out of memory (pcre2)");
	pcre2_set_match_limit(r->mctx, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, RX_DEPTH_LIMIT);
	pcre2_set_heap_limit(r->mctx, RX_HEAP_LIMIT_KIB);
	if (pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0) {
		r->jit = 1;
		r->jstack = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
		if (r->jstack)
			pcre2_jit_stack_assign(r->mctx, NULL, r->jstack);
	}
	return r;
}

void
rx_free(struct rx *r)
{
	if (!r)
		return;
	pcre2_code_free(r->code);
	pcre2_code_free(r->bytes);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	pcre2_jit_stack_free(r->jstack);
	free(r->pat);
	free(r);
}

/* The byte-mode program for subjects that are not valid UTF-8. */
static pcre2_code *
bytes_code(struct rx *r)
{
	pcre2_match_data *md;

	if (r->bytes || r->bytes_failed)
		return r->bytes;
	r->bytes = compile(r->pat, r->len, r->copts & ~(uint32_t)PCRE2_UTF, NULL);
	if (!r->bytes) {
		r->bytes_failed = 1;	/* e.g. \x{100}: cannot match raw bytes */
		return NULL;
	}
	if (r->jit)
		pcre2_jit_compile(r->bytes, PCRE2_JIT_COMPLETE);
	/* the shared match block must hold the twin's groups too (same pattern) */
	md = pcre2_match_data_create_from_pattern(r->bytes, NULL);
	if (md && pcre2_get_ovector_count(md) > pcre2_get_ovector_count(r->md)) {
		pcre2_match_data_free(r->md);
		r->md = md;
	} else
		pcre2_match_data_free(md);
	return r->bytes;
}

int
rx_match(struct rx *r, const char *s, size_t len, size_t from, int valid_utf, int group,
    size_t *ms, size_t *me)
{
	pcre2_code *code = r->code;
	uint32_t mopts = 0;
	PCRE2_SIZE *ov;
	int rc;

	if (from > len)
		return RX_NOMATCH;
	if (valid_utf)
		mopts |= PCRE2_NO_UTF_CHECK;
	else if (!(code = bytes_code(r)))
		return RX_NOMATCH;
	rc = pcre2_match(code, (PCRE2_SPTR)s, len, from, mopts, r->md, r->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return RX_NOMATCH;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		r->limit_hits++;
		return RX_LIMIT;
	}
	if (rc < 0)
		return RX_ERROR;
	ov = pcre2_get_ovector_pointer(r->md);
	if (group < 0 || group >= rc || ov[2 * group] == PCRE2_UNSET)
		group = 0;
	if (ms)
		*ms = ov[2 * group];
	if (me)
		*me = ov[2 * group + 1];
	return RX_MATCH;
}

int
rx_groups(const struct rx *r)
{
	uint32_t n = 0;
	pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &n);
	return (int)n;
}

uint64_t
rx_limit_hits(const struct rx *r)
{
	return r->limit_hits;
}

const char *
rx_pattern(const struct rx *r)
{
	return r->pat;
}

int
rx_jit(const struct rx *r)
{
	return r->jit;
}
