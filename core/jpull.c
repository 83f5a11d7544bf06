/* jpull: in-place JSON pull parsing (see jpull.h for the contract). */
#include "core/jpull.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void
jp_init(struct jpull *j, const char *s, size_t len)
{
	memset(j, 0, sizeof *j);
	j->s = s ? s : "";
	j->len = s ? len : 0;
}

void
jp_free(struct jpull *j)
{
	free(j->kbuf);
	free(j->vbuf);
	j->kbuf = j->vbuf = NULL;
	j->kcap = j->vcap = 0;
}

int
jp_fail(struct jpull *j, const char *what)
{
	if (j->err)
		return -1;
	j->err = 1;
	if (j->off >= j->len)
		snprintf(j->msg, sizeof j->msg, "truncated JSON (%s at end of %zu bytes)", what, j->len);
	else
		snprintf(j->msg, sizeof j->msg, "malformed JSON: %s at byte %zu", what, j->off);
	return -1;
}

static void
ws(struct jpull *j)
{
	while (j->off < j->len) {
		char c = j->s[j->off];
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			break;
		j->off++;
	}
}

enum jtype
jp_peek(struct jpull *j)
{
	if (j->err)
		return JP_BAD;
	ws(j);
	if (j->off >= j->len)
		return JP_EOF;
	switch (j->s[j->off]) {
	case '{': return JP_OBJ;
	case '[': return JP_ARR;
	case '"': return JP_STR;
	case 't': case 'f': return JP_BOOL;
	case 'n': return JP_NULL;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return JP_NUM;
	}
	return JP_BAD;
}

static int
expect(struct jpull *j, char c, const char *what)
{
	ws(j);
	if (j->err || j->off >= j->len || j->s[j->off] != c)
		return jp_fail(j, what);
	j->off++;
	return 0;
}

static int
open_container(struct jpull *j, char c, const char *what)
{
	if (j->depth >= JP_DEPTH_MAX - 1)
		return jp_fail(j, "nesting too deep");
	if (expect(j, c, what) < 0)
		return -1;
	j->more[++j->depth] = 0;
	return 0;
}

int
jp_obj(struct jpull *j)
{
	return open_container(j, '{', "expected an object");
}

int
jp_arr(struct jpull *j)
{
	return open_container(j, '[', "expected an array");
}

/* Before an element/member: the closing bracket (0), or the separating
 * comma when not the first (1), or -1. */
static int
next_in(struct jpull *j, char close)
{
	if (j->err)
		return -1;
	ws(j);
	if (j->off >= j->len)
		return jp_fail(j, close == '}' ? "unterminated object" : "unterminated array");
	if (j->s[j->off] == close) {
		j->off++;
		j->depth--;
		return 0;
	}
	if (j->more[j->depth]) {
		if (j->s[j->off] != ',')
			return jp_fail(j, "expected ',' or a closing bracket");
		j->off++;
	}
	j->more[j->depth] = 1;
	return 1;
}

static void
put_utf8(char *d, size_t *n, uint32_t cp)
{
	if (cp < 0x80)
		d[(*n)++] = (char)cp;
	else if (cp < 0x800) {
		d[(*n)++] = (char)(0xc0 | cp >> 6);
		d[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		d[(*n)++] = (char)(0xe0 | cp >> 12);
		d[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		d[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		d[(*n)++] = (char)(0xf0 | cp >> 18);
		d[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		d[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		d[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int
hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Decode the escapes of s[a..b) into *buf. */
static int
unescape(struct jpull *j, size_t a, size_t b, char **buf, size_t *cap, size_t *outn)
{
	size_t n = 0;

	xgrow(buf, cap, b - a + 1, 1);	/* decoded is never longer */
	for (size_t i = a; i < b; i++) {
		char c = j->s[i];
		uint32_t cp, lo;
		if (c != '\\') {
			(*buf)[n++] = c;
			continue;
		}
		if (++i >= b)
			return jp_fail(j, "bad escape");
		switch (j->s[i]) {
		case '"': (*buf)[n++] = '"'; break;
		case '\\': (*buf)[n++] = '\\'; break;
		case '/': (*buf)[n++] = '/'; break;
		case 'b': (*buf)[n++] = '\b'; break;
		case 'f': (*buf)[n++] = '\f'; break;
		case 'n': (*buf)[n++] = '\n'; break;
		case 'r': (*buf)[n++] = '\r'; break;
		case 't': (*buf)[n++] = '\t'; break;
		case 'u':
			if (i + 4 >= b || hex4(j->s + i + 1, &cp) < 0)
				return jp_fail(j, "bad \\u escape");
			i += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < b && j->s[i + 1] == '\\' &&
			    j->s[i + 2] == 'u' && hex4(j->s + i + 3, &lo) == 0 &&
			    lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			} else if (cp >= 0xd800 && cp < 0xe000)
				cp = 0xfffd;	/* lone surrogate */
			put_utf8(*buf, &n, cp);
			break;
		default:
			return jp_fail(j, "bad escape");
		}
	}
	*outn = n;
	return 0;
}

static int
read_string(struct jpull *j, const char **s, size_t *n, char **buf, size_t *cap)
{
	size_t a, i;
	int esc = 0;

	if (expect(j, '"', "expected a string") < 0)
		return -1;
	a = i = j->off;
	for (;;) {
		const char *q;
		if (i >= j->len)
			return jp_fail(j, "unterminated string");
		/* fast scan to the next quote or backslash */
		q = memchr(j->s + i, '"', j->len - i);
		if (!q) {
			j->off = j->len;
			return jp_fail(j, "unterminated string");
		}
		if (!esc && memchr(j->s + i, '\\', (size_t)(q - (j->s + i))))
			esc = 1;
		if (esc) {
			/* the quote may itself be escaped: count backslashes before it */
			size_t k = (size_t)(q - j->s), bs = 0;
			while (k > a + bs && j->s[k - 1 - bs] == '\\')
				bs++;
			if (bs & 1) {
				i = (size_t)(q - j->s) + 1;
				continue;
			}
		}
		i = (size_t)(q - j->s);
		break;
	}
	j->off = i + 1;
	if (!esc) {
		*s = j->s + a;
		*n = i - a;
		return 0;
	}
	if (unescape(j, a, i, buf, cap, n) < 0)
		return -1;
	*s = *buf;
	return 0;
}

int
jp_key(struct jpull *j, const char **k, size_t *kn)
{
	int r = next_in(j, '}');

	if (r <= 0)
		return r;
	if (read_string(j, k, kn, &j->kbuf, &j->kcap) < 0 || expect(j, ':', "expected ':'") < 0)
		return -1;
	return 1;
}

int
jp_elem(struct jpull *j)
{
	return next_in(j, ']');
}

int
jp_str(struct jpull *j, const char **s, size_t *n)
{
	return read_string(j, s, n, &j->vbuf, &j->vcap);
}

int
jp_num_text(struct jpull *j, const char **s, size_t *n)
{
	size_t a, i;

	ws(j);
	if (j->err)
		return -1;
	a = i = j->off;
	if (i < j->len && j->s[i] == '-')
		i++;
	if (i >= j->len || j->s[i] < '0' || j->s[i] > '9')
		return jp_fail(j, "expected a number");
	while (i < j->len && ((j->s[i] >= '0' && j->s[i] <= '9') || j->s[i] == '.' ||
	    j->s[i] == 'e' || j->s[i] == 'E' || j->s[i] == '+' || j->s[i] == '-'))
		i++;
	if (i - a >= 64)
		return jp_fail(j, "number too long");
	j->off = i;
	*s = j->s + a;
	*n = i - a;
	return 0;
}

int
jp_num(struct jpull *j, double *v)
{
	char tmp[64], *end;
	const char *s;
	size_t n;

	if (jp_num_text(j, &s, &n) < 0)
		return -1;
	memcpy(tmp, s, n);	// NOLINT(clang-analyzer-core.CallAndMessage): jp_num_text() sets s and n or returns -1 (jp_fail); the analyzer does not follow jp_fail() here
	tmp[n] = '\0';
	*v = strtod(tmp, &end);
	if (*end) {
		j->off -= n;
		return jp_fail(j, "bad number");
	}
	return 0;
}

static int
literal(struct jpull *j, const char *w)
{
	size_t n = strlen(w);

	ws(j);
	if (j->len - j->off < n || memcmp(j->s + j->off, w, n) != 0)
		return jp_fail(j, "bad literal");
	j->off += n;
	return 0;
}

int
jp_bool(struct jpull *j, int *v)
{
	if (jp_peek(j) != JP_BOOL)
		return jp_fail(j, "expected true or false");
	*v = j->s[j->off] == 't';
	return literal(j, *v ? "true" : "false");
}

int
jp_skip(struct jpull *j)
{
	const char *s;
	size_t n;
	double d;
	int r;

	switch (jp_peek(j)) {
	case JP_OBJ:
		if (jp_obj(j) < 0)
			return -1;
		while ((r = jp_key(j, &s, &n)) == 1)
			if (jp_skip(j) < 0)
				return -1;
		return r;
	case JP_ARR:
		if (jp_arr(j) < 0)
			return -1;
		while ((r = jp_elem(j)) == 1)
			if (jp_skip(j) < 0)
				return -1;
		return r;
	case JP_STR:
		return jp_str(j, &s, &n);
	case JP_NUM:
		return jp_num(j, &d);
	case JP_BOOL:
		return jp_bool(j, &r);
	case JP_NULL:
		return literal(j, "null");
	case JP_EOF:
		return jp_fail(j, "expected a value");
	default:
		return jp_fail(j, "unexpected character");
	}
}

/* The index after the string whose opening quote is at i, or len: the
 * next quote not escaped by an odd run of backslashes (memchr runs at
 * memory speed; strings are most of a Prometheus answer's bytes). */
static size_t
raw_string_end(const char *s, size_t i, size_t len)
{
	size_t from = i + 1;

	while (from < len) {
		const char *q = memchr(s + from, '"', len - from);
		size_t k, bs = 0;

		if (!q)
			return len;
		k = (size_t)(q - s);
		while (k - bs > i + 1 && s[k - bs - 1] == '\\')
			bs++;
		if (bs % 2 == 0)
			return k + 1;
		from = k + 1;
	}
	return len;
}

/* the bytes a structure-only skip looks at */
enum { SK_OTHER, SK_QUOTE, SK_OPEN, SK_CLOSE };
static const unsigned char skip_class[256] = {
	['"'] = SK_QUOTE, ['{'] = SK_OPEN, ['['] = SK_OPEN, ['}'] = SK_CLOSE, [']'] = SK_CLOSE,
};

int
jp_skip_raw(struct jpull *j)
{
	char open[JP_DEPTH_MAX];
	int depth = 0;
	size_t i;

	if (jp_peek(j) != JP_OBJ && jp_peek(j) != JP_ARR)
		return jp_skip(j);
	for (i = j->off; i < j->len; i++) {
		unsigned char cls = skip_class[(unsigned char)j->s[i]];
		char c = j->s[i];

		if (cls == SK_OTHER)
			continue;
		if (cls == SK_QUOTE) {
			if ((i = raw_string_end(j->s, i, j->len)) >= j->len)
				break;
			i--;
		} else if (cls == SK_OPEN) {
			if (j->depth + depth >= JP_DEPTH_MAX - 1) {
				j->off = i;
				return jp_fail(j, "nesting too deep");
			}
			open[depth++] = c;
		} else {
			if (depth == 0 || open[--depth] != (c == '}' ? '{' : '[')) {
				j->off = i;
				return jp_fail(j, "mismatched bracket");
			}
			if (depth == 0) {
				j->off = i + 1;
				return 0;
			}
		}
	}
	j->off = j->len;
	return jp_fail(j, "unterminated value");
}

int
jp_end(struct jpull *j)
{
	if (j->err)
		return -1;
	ws(j);
	if (j->off != j->len)
		return jp_fail(j, "trailing data after the document");
	return 0;
}

int
jp_is(const char *k, size_t kn, const char *lit)
{
	return strlen(lit) == kn && memcmp(k, lit, kn) == 0;
}
