/* lokiparse: a small JSON pull scanner specialised for Loki's shapes.
 * Invariants: the scanner never reads outside [p, end); nesting deeper
 * than DEPTH_MAX is an error; decoded strings are never longer than their
 * source (so text reserved at the raw length always suffices). */
#include "sources/lokiparse.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

#define DEPTH_MAX	256
#define LABEL_MAX	(1u << 20)
#define KEY_MAX		64

struct js {
	const char	*p, *end;
	char		*err;
	struct buf	 k, v;		/* scratch for label names and values */
};

static int
failat(struct js *j, const char *what, const char *base)
{
	if (!j->err)
		j->err = xasprintf("malformed response: %s at byte %zu", what, (size_t)(j->p - base));
	return -1;
}

static int
peek(struct js *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
	return j->p < j->end ? (unsigned char)*j->p : -1;
}

static int
lit(struct js *j, char c)
{
	if (peek(j) != (unsigned char)c)
		return -1;
	j->p++;
	return 0;
}

/* Find the raw extent of a string at j->p ('"' already checked). */
static int
str_raw(struct js *j, const char **s, size_t *n, int *esc)
{
	const char *q, *b, *from = j->p + 1;

	*esc = 0;
	for (;;) {
		if (from > j->end || !(q = memchr(from, '"', (size_t)(j->end - from))))
			return -1;
		if (!(b = memchr(from, '\\', (size_t)(q - from))))
			break;
		*esc = 1;
		from = b + 2;
	}
	*s = j->p + 1;
	*n = (size_t)(q - *s);
	j->p = q + 1;
	return 0;
}

static unsigned
hex4(const char *s)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)s[i];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
		else return 0x110000;
	}
	return v;
}

/* Decode JSON escapes of src[0..n) into dst (room for n bytes). */
static size_t
unescape(char *dst, const char *src, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		char c = src[i];
		if (c != '\\' || i + 1 >= n) {
			dst[o++] = c;
			i++;
			continue;
		}
		c = src[i + 1];
		i += 2;
		switch (c) {
		case 'n': dst[o++] = '\n'; break;
		case 't': dst[o++] = '\t'; break;
		case 'r': dst[o++] = '\r'; break;
		case 'b': dst[o++] = '\b'; break;
		case 'f': dst[o++] = '\f'; break;
		case 'u': {
			unsigned cp = i + 4 <= n ? hex4(src + i) : 0x110000;
			if (cp > 0xFFFF) {	/* bad escape: keep it visible */
				dst[o++] = '\\';
				dst[o++] = 'u';
				break;
			}
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n && src[i] == '\\' &&
			    src[i + 1] == 'u') {
				unsigned lo = hex4(src + i + 2);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 6;
				}
			}
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD;	/* unpaired surrogate */
			o += utf8_encode(cp, dst + o);
			break;
		}
		default:	/* \" \\ \/ and anything unknown: the character itself */
			dst[o++] = c;
		}
	}
	return o;
}

/* A string into a scratch buffer (NUL-terminated). */
static int
str_scratch(struct js *j, struct buf *b, const char *base)
{
	const char *s;
	size_t n;
	int esc;

	if (peek(j) != '"' || str_raw(j, &s, &n, &esc) < 0)
		return failat(j, "expected a string", base);
	if (n > LABEL_MAX)
		return failat(j, "string too long", base);
	buf_reset(b);
	if (buf_append(b, s, n) < 0)
		return failat(j, "string too long", base);
	if (esc) {
		b->len = unescape(b->data, s, n);
		b->data[b->len] = '\0';
	}
	return 0;
}

/* Skip any value (bounded nesting). */
static int
skip(struct js *j, const char *base)
{
	int depth = 0;

	do {
		int c = peek(j);
		if (c < 0)
			return failat(j, "truncated", base);
		if (c == '"') {
			const char *s;
			size_t n;
			int esc;
			if (str_raw(j, &s, &n, &esc) < 0)
				return failat(j, "unterminated string", base);
		} else if (c == '{' || c == '[') {
			if (++depth > DEPTH_MAX)
				return failat(j, "nested too deeply", base);
			j->p++;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return failat(j, "unbalanced", base);
			j->p++;
		} else if (c == ',' || c == ':') {
			if (!depth)
				return failat(j, "unexpected separator", base);
			j->p++;
		} else {
			const char *st = j->p;
			while (j->p < j->end && *j->p && !strchr(",:]} \t\r\n\"[{", *j->p))
				j->p++;
			if (j->p == st)
				j->p++;	/* a stray byte (NUL...): always make progress */
		}
	} while (depth > 0);
	return 0;
}

/* Object iteration: *first = 1 before the first call. 1: key in kbuf. */
static int
obj_next(struct js *j, int *first, char *key, size_t kcap, const char *base)
{
	const char *s;
	size_t n;
	int esc, c;

	if (*first) {
		if (lit(j, '{') < 0)
			return failat(j, "expected an object", base);
		*first = 0;
		if (peek(j) == '}') {
			j->p++;
			return 0;
		}
	} else {
		c = peek(j);
		if (c == '}') {
			j->p++;
			return 0;
		}
		if (c != ',')
			return failat(j, "expected , or }", base);
		j->p++;
	}
	if (peek(j) != '"' || str_raw(j, &s, &n, &esc) < 0)
		return failat(j, "expected a key", base);
	if (n >= kcap || esc)
		n = 0;		/* a key we do not know: matched as "" */
	memcpy(key, s, n);
	key[n] = '\0';
	if (lit(j, ':') < 0)
		return failat(j, "expected :", base);
	return 1;
}

static int
arr_next(struct js *j, int *first, const char *base)
{
	int c;

	if (*first) {
		if (lit(j, '[') < 0)
			return failat(j, "expected an array", base);
		*first = 0;
		if (peek(j) == ']') {
			j->p++;
			return 0;
		}
		return 1;
	}
	c = peek(j);
	if (c == ']') {
		j->p++;
		return 0;
	}
	if (c != ',')
		return failat(j, "expected , or ]", base);
	j->p++;
	return 1;
}

int
lokiparse_ns(const char *s, size_t len, tns *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 19)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > INT64_MAX)
		return -1;
	*out = (tns)v;
	return 0;
}

/* A timestamp: "ns" string, or a number of ns. */
static int
ts_value(struct js *j, tns *t, const char *base)
{
	const char *s;
	size_t n;
	int esc;

	if (peek(j) == '"') {
		if (str_raw(j, &s, &n, &esc) < 0 || esc || lokiparse_ns(s, n, t) < 0)
			return failat(j, "bad timestamp", base);
		return 0;
	}
	s = j->p;
	while (j->p < j->end && isdigit((unsigned char)*j->p))
		j->p++;
	if (lokiparse_ns(s, (size_t)(j->p - s), t) < 0)
		return failat(j, "bad timestamp", base);
	return 0;
}

/* A log line straight into the batch text. */
static int
line_value(struct js *j, struct ev_logs *e, tns t, uint32_t stream, const char *base)
{
	const char *s;
	size_t n, len;
	int esc;
	char *dst;
	uint32_t flags = 0;

	if (peek(j) != '"' || str_raw(j, &s, &n, &esc) < 0)
		return failat(j, "expected a log line", base);
	dst = ev_logs_text_reserve(e, n);
	len = esc ? unescape(dst, s, n) : (memcpy(dst, s, n), n);
	if (len > LOGS_LINE_MAX) {
		len = LOGS_LINE_MAX;
		while (len > 0 && ((unsigned char)dst[len] & 0xC0) == 0x80)
			len--;
		flags = LE_CUT;
	}
	xgrow(&e->e, &e->cap, e->n + 1, sizeof *e->e);
	e->e[e->n++] = (struct ev_logs_entry){ t, stream, (uint32_t)e->tlen, (uint32_t)len, flags };
	e->tlen += len;
	return 0;
}

static int
labels_value(struct js *j, struct labelset *ls, const char *base)
{
	int r;

	if (lit(j, '{') < 0)
		return failat(j, "expected labels", base);
	if (peek(j) == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		if (str_scratch(j, &j->k, base) < 0 || lit(j, ':') < 0)
			return failat(j, "bad label", base);
		if (peek(j) == '"') {
			if (str_scratch(j, &j->v, base) < 0)
				return -1;
			labels_setn(ls, j->k.data, j->k.len, j->v.data, j->v.len);
		} else if (skip(j, base) < 0)
			return -1;
		r = peek(j);
		j->p++;
		if (r == '}')
			return 0;
		if (r != ',')
			return failat(j, "expected , or }", base);
	}
}

/* Seconds with up to 9 decimals ("1764151260.123") as exact ns. */
static int
sec_value(struct js *j, tns *t, const char *base)
{
	const char *s;
	size_t n;
	int esc, frac = -1;
	int64_t whole = 0, f = 0;

	if (peek(j) == '"') {
		if (str_raw(j, &s, &n, &esc) < 0)
			return failat(j, "bad time", base);
	} else {
		s = j->p;
		while (j->p < j->end && (isdigit((unsigned char)*j->p) || *j->p == '.'))
			j->p++;
		n = (size_t)(j->p - s);
	}
	if (!n || n > 30)
		return failat(j, "bad time", base);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (!isdigit((unsigned char)s[i]))
			return failat(j, "bad time", base);
		if (frac < 0)
			whole = whole * 10 + (s[i] - '0');
		else if (frac < 9) {
			f = f * 10 + (s[i] - '0');
			frac++;
		}
		if (whole > 9000000000LL)
			return failat(j, "time out of range", base);
	}
	if (frac < 0)
		frac = 0;
	while (frac < 9) {
		f *= 10;
		frac++;
	}
	*t = whole * NS_PER_S + f;
	return 0;
}

static int
sample_value(struct js *j, struct ev_series_one *so, const char *base)
{
	int first = 1, k = 0;
	tns t = 0;
	double v = NAN;

	while (arr_next(j, &first, base) > 0) {
		if (k == 0 && sec_value(j, &t, base) < 0)
			return -1;
		if (k == 1) {
			if (str_scratch(j, &j->v, base) < 0)
				return -1;
			v = strtod(j->v.data, NULL);
		}
		if (k >= 2 && skip(j, base) < 0)
			return -1;
		k++;
	}
	if (j->err)
		return -1;
	if (k < 2)
		return failat(j, "sample needs [time, \"value\"]", base);
	ev_series_point(so, t, v);
	return 0;
}

/* One ["ns", "line"(, {...})] entry. */
static int
entry_value(struct js *j, struct ev_logs *e, uint32_t stream, const char *base)
{
	int first = 1, k = 0;
	tns t = 0;

	while (arr_next(j, &first, base) > 0) {
		if (k == 0 && ts_value(j, &t, base) < 0)
			return -1;
		if (k == 1 && line_value(j, e, t, stream, base) < 0)
			return -1;
		if (k >= 2 && skip(j, base) < 0)
			return -1;	/* structured metadata / parsed labels */
		k++;
	}
	if (j->err)
		return -1;
	if (k < 2)
		return failat(j, "entry needs [\"ns\", \"line\"]", base);
	return 0;
}

struct result_ctx {
	struct ev_logs		*logs;
	struct ev_series	**series;
	enum result_type	 rt;
};

/* One element of "result"/"streams": stream or metric, values or value. */
static int
stream_value(struct js *j, struct result_ctx *rc, const char *base)
{
	int first = 1, r, is_log = -1;
	char key[KEY_MAX];
	struct labelset ls;
	struct ev_series_one *so = NULL;
	size_t n0 = rc->logs ? rc->logs->n : 0;

	labels_init(&ls);
	while ((r = obj_next(j, &first, key, sizeof key, base)) > 0) {
		if (strcmp(key, "stream") == 0 || strcmp(key, "metric") == 0 ||
		    strcmp(key, "labels") == 0) {
			if (labels_value(j, &ls, base) < 0)
				goto bad;
		} else if (strcmp(key, "values") == 0 || strcmp(key, "value") == 0) {
			int f2 = 1, single = strcmp(key, "value") == 0;
			if (single) {
				if (!rc->series)
					goto notmetric;
				if (!so)
					so = ev_series_add(*rc->series);
				if (sample_value(j, so, base) < 0)
					goto bad;
				continue;
			}
			while ((r = arr_next(j, &f2, base)) > 0) {
				/* ["ns","line"] is a log entry, [sec,"value"] a sample */
				const char *save = j->p;
				int c;
				lit(j, '[');
				c = peek(j);
				j->p = save;
				if (is_log < 0)
					is_log = c == '"';
				if (is_log) {
					if (!rc->logs) {
						j->err = xstrdup("a log query cannot be drawn here (use a logs panel)");
						goto bad;
					}
					if (entry_value(j, rc->logs, UINT32_MAX, base) < 0)
						goto bad;
				} else {
					if (!rc->series)
						goto notmetric;
					if (!so)
						so = ev_series_add(*rc->series);
					if (sample_value(j, so, base) < 0)
						goto bad;
				}
			}
			if (r < 0)
				goto bad;
		} else if (skip(j, base) < 0)
			goto bad;
	}
	if (r < 0)
		goto bad;
	if (rc->logs && rc->logs->n > n0) {
		uint32_t sid = ev_logs_stream(rc->logs, &ls);
		for (size_t i = n0; i < rc->logs->n; i++)
			rc->logs->e[i].stream = sid;
	} else if (so) {
		labels_finish(&ls);
		labels_copy(&so->labels, &ls);
		labels_finish(&so->labels);
	}
	labels_free(&ls);
	return 0;
notmetric:
	if (!j->err)
		j->err = xstrdup("a metric query cannot be shown as log lines (use a graph or stat panel)");
bad:
	labels_free(&ls);
	if (rc->logs)
		rc->logs->n = n0;
	return -1;
}

static int
streams_array(struct js *j, struct result_ctx *rc, const char *base)
{
	int first = 1, r;

	while ((r = arr_next(j, &first, base)) > 0)
		if (stream_value(j, rc, base) < 0)
			return -1;
	return r;
}

static int
dropped_array(struct js *j, struct ev_logs *e, const char *base)
{
	int first = 1, r;
	uint64_t count = 0;
	tns lo = TNS_NONE, hi = TNS_NONE;

	while ((r = arr_next(j, &first, base)) > 0) {
		int f2 = 1, r2;
		char key[KEY_MAX];
		tns t = TNS_NONE;
		while ((r2 = obj_next(j, &f2, key, sizeof key, base)) > 0) {
			if (strcmp(key, "timestamp") == 0) {
				if (ts_value(j, &t, base) < 0)
					return -1;
			} else if (skip(j, base) < 0)
				return -1;
		}
		if (r2 < 0)
			return -1;
		count++;
		if (t != TNS_NONE) {
			if (lo == TNS_NONE || t < lo)
				lo = t;
			if (hi == TNS_NONE || t > hi)
				hi = t;
		}
	}
	if (r < 0)
		return -1;
	if (count)
		ev_logs_gap(e, lo != TNS_NONE ? lo : (e->n ? e->e[0].t : 0),
		    hi != TNS_NONE ? hi : lo, count, GAP_DROPPED);
	return 0;
}

static void
js_init(struct js *j, const char *s, size_t len)
{
	memset(j, 0, sizeof *j);
	j->p = s;
	j->end = s + len;
	buf_init(&j->k, LABEL_MAX + 1);
	buf_init(&j->v, LABEL_MAX + 1);
}

static int
js_done(struct js *j, int rc, char **err)
{
	buf_free(&j->k);
	buf_free(&j->v);
	if (rc < 0 || j->err) {
		*err = j->err ? j->err : xstrdup("malformed response");
		return -1;
	}
	return 0;
}

int
lokiparse_tail(const char *s, size_t len, struct ev_logs *e, char **err)
{
	struct js j;
	struct result_ctx rc = { e, NULL, RT_MATRIX };
	char key[KEY_MAX];
	int first = 1, r;
	size_t n0 = e->n, ng0 = e->ngaps;

	*err = NULL;
	js_init(&j, s, len);
	while ((r = obj_next(&j, &first, key, sizeof key, s)) > 0) {
		if (strcmp(key, "streams") == 0)
			r = streams_array(&j, &rc, s);
		else if (strcmp(key, "dropped_entries") == 0)
			r = dropped_array(&j, e, s);
		else
			r = skip(&j, s);
		if (r < 0)
			break;
	}
	if (r >= 0 && peek(&j) >= 0)
		r = failat(&j, "trailing bytes", s);
	if (r < 0 || j.err) {
		e->n = n0;	/* all or nothing */
		e->ngaps = ng0;
	}
	return js_done(&j, r, err);
}

static int
data_object(struct js *j, struct result_ctx *rc, const char **rtype, const char *base)
{
	int first = 1, r;
	char key[KEY_MAX];

	while ((r = obj_next(j, &first, key, sizeof key, base)) > 0) {
		if (strcmp(key, "resultType") == 0) {
			if (str_scratch(j, &j->v, base) < 0)
				return -1;
			if (strcmp(j->v.data, "streams") == 0) *rtype = "streams";
			else if (strcmp(j->v.data, "matrix") == 0) *rtype = "matrix", rc->rt = RT_MATRIX;
			else if (strcmp(j->v.data, "vector") == 0) *rtype = "vector", rc->rt = RT_VECTOR;
			else if (strcmp(j->v.data, "scalar") == 0) *rtype = "scalar", rc->rt = RT_SCALAR;
			else {
				j->err = xasprintf("unsupported result type '%.40s'", j->v.data);
				return -1;
			}
			if (rc->series && *rc->series)
				(*rc->series)->rt = rc->rt;
		} else if (strcmp(key, "result") == 0) {
			if (peek(j) == '[' && strcmp(*rtype, "scalar") != 0) {
				const char *save = j->p;
				int c;
				j->p++;
				c = peek(j);
				j->p = save;
				if (c != '[') {	/* array of objects, or empty */
					if (streams_array(j, rc, base) < 0)
						return -1;
					continue;
				}
			}
			if (!rc->series) {	/* a scalar [t, "v"] */
				j->err = xstrdup("a metric query cannot be shown as log lines");
				return -1;
			}
			if (sample_value(j, ev_series_add(*rc->series), base) < 0)
				return -1;
		} else if (skip(j, base) < 0)
			return -1;
	}
	return r;
}

int
lokiparse_query(const char *s, size_t len, struct ev_logs *logs, struct ev_series **series,
    const char **rtype, char **err)
{
	struct js j;
	struct result_ctx rc = { logs, series, RT_MATRIX };
	char key[KEY_MAX], *errmsg = NULL;
	int first = 1, r, status_err = 0;

	*err = NULL;
	*rtype = "";
	if (series && !*series)
		*series = ev_series_new(RT_MATRIX, 0, 0, 0);
	js_init(&j, s, len);
	while ((r = obj_next(&j, &first, key, sizeof key, s)) > 0) {
		if (strcmp(key, "status") == 0) {
			if ((r = str_scratch(&j, &j.v, s)) < 0)
				break;
			status_err = strcmp(j.v.data, "error") == 0;
		} else if (strcmp(key, "error") == 0 && peek(&j) == '"') {
			if ((r = str_scratch(&j, &j.v, s)) < 0)
				break;
			free(errmsg);
			errmsg = xstrndup(j.v.data, j.v.len);
		} else if (strcmp(key, "data") == 0)
			r = data_object(&j, &rc, rtype, s);
		else
			r = skip(&j, s);
		if (r < 0)
			break;
	}
	if (r >= 0 && !j.err && (status_err || errmsg)) {
		j.err = errmsg ? errmsg : xstrdup("the server reported an error");
		errmsg = NULL;
	}
	free(errmsg);
	return js_done(&j, r, err);
}
