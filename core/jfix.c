/* jfix: unpaired surrogate escapes become \ufffd.  Invariant: the output
 * has exactly the input's length, and only the four hex digits of an
 * unpaired \uD800-\uDFFF escape change; every other byte is the input's.
 * A backslash always starts an escape of two bytes or of six (\uXXXX):
 * outside strings JSON has no backslash, so the text stays as invalid as
 * it was. */
#include "core/jfix.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static int
hex4(const char *s, size_t n, size_t i, unsigned *cp)
{
	unsigned v = 0;

	if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u')
		return -1;
	for (size_t k = i + 2; k < i + 6; k++) {
		char c = s[k];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*cp = v;
	return 0;
}

/* The index after the escape at i; *bad when it is an unpaired surrogate. */
static size_t
escape_end(const char *s, size_t n, size_t i, int *bad)
{
	unsigned cp, lo;

	*bad = 0;
	if (hex4(s, n, i, &cp) < 0)
		return i + 2;
	if (cp >= 0xd800 && cp < 0xdc00 && hex4(s, n, i + 6, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000)
		return i + 12;
	*bad = cp >= 0xd800 && cp < 0xe000;
	return i + 6;
}

char *
jfix_surrogates(const char *s, size_t n)
{
	char *out = NULL;
	const char *p;
	size_t i = 0;
	int bad;

	while (i < n && (p = memchr(s + i, '\\', n - i))) {
		size_t at = (size_t)(p - s), end = escape_end(s, n, at, &bad);
		if (bad) {
			if (!out) {
				out = xmalloc(n + 1);
				memcpy(out, s, n);
				out[n] = '\0';
			}
			memcpy(out + at + 2, "fffd", 4);
		}
		i = end;
	}
	return out;
}

cJSON *
jfix_parse(const char *s, size_t n)
{
	char *fixed = jfix_surrogates(s, n);
	cJSON *root = cJSON_ParseWithLength(fixed ? fixed : s, n);

	free(fixed);
	return root;
}
