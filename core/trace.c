/* trace: the span model, id helpers, the EV_TRACE codec and the bounded
 * trace store.  Invariants: every string of an ev_trace lives in its
 * arena and is NUL-terminated (never NULL once a span is added); every
 * span's res index is < nres; the store never holds more than its
 * limits (the oldest trace is evicted first and counted). */
#include "core/trace.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/xalloc.h"

#define DEC_STR_MAX	(1u << 20)	/* one decoded string */
#define DEC_SPANS_MAX	2000000u
#define DEC_ATTR_MAX	100000u

struct ev_trace *
ev_trace_new(const char *trace_id)
{
	struct ev_trace *t = xcalloc(1, sizeof *t);

	arena_init(&t->ar);
	t->trace_id = arena_strdup(&t->ar, trace_id ? trace_id : "");
	t->message = "";
	ev_trace_add_res(t, "");	/* resource 0: "unknown" */
	return t;
}

void
ev_trace_free(void *p)
{
	struct ev_trace *t = p;

	if (!t)
		return;
	arena_free(&t->ar);
	free(t->s);
	free(t->res);
	free(t);
}

struct span *
ev_trace_add_span(struct ev_trace *t)
{
	struct span *s;

	xgrow(&t->s, &t->cap, t->n + 1, sizeof *t->s);
	s = &t->s[t->n++];
	memset(s, 0, sizeof *s);
	s->span_id = s->parent_id = s->name = s->status_msg = "";
	return s;
}

uint32_t
ev_trace_add_res(struct ev_trace *t, const char *service)
{
	struct trace_res *r;

	xgrow(&t->res, &t->capres, t->nres + 1, sizeof *t->res);
	r = &t->res[t->nres];
	memset(r, 0, sizeof *r);
	r->service = arena_strdup(&t->ar, service ? service : "");
	return (uint32_t)t->nres++;
}

const char *
trace_span_service(const struct ev_trace *t, const struct span *s)
{
	if (s->res < t->nres)
		return t->res[s->res].service;
	return "";
}

size_t
ev_trace_bytes(const struct ev_trace *t)
{
	return sizeof *t + arena_bytes(&t->ar) + t->cap * sizeof *t->s +
	    t->capres * sizeof *t->res;
}

/* ------------------------------------------------------------------ ids */

int
trace_id_normalize(const char *in, char out[TRACE_ID_HEX + 1])
{
	size_t n;

	while (isspace((unsigned char)*in))
		in++;
	n = strlen(in);
	while (n && isspace((unsigned char)in[n - 1]))
		n--;
	if (n == 0 || n > TRACE_ID_HEX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)in[i]))
			return -1;
	memset(out, '0', TRACE_ID_HEX - n);
	for (size_t i = 0; i < n; i++)
		out[TRACE_ID_HEX - n + i] = (char)tolower((unsigned char)in[i]);
	out[TRACE_ID_HEX] = '\0';
	return 0;
}

void
trace_hex(const unsigned char *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

int
trace_b64_decode(const char *in, size_t len, unsigned char *out, size_t max)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;

	while (len && in[len - 1] == '=')
		len--;
	if (len % 4 == 1)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int v = b64val((unsigned char)in[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= max)
				return -1;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return (int)n;
}

void
trace_fmt_dur(char *dst, size_t n, tns d)
{
	const char *sign = "";

	if (d < 0) {
		sign = "-";
		d = d == INT64_MIN ? INT64_MAX : -d;
	}
	if (d < NS_PER_US)
		snprintf(dst, n, "%s%lldns", sign, (long long)d);
	else if (d < NS_PER_MS)
		snprintf(dst, n, "%s%.3gus", sign, (double)d / NS_PER_US);
	else if (d < NS_PER_S)
		snprintf(dst, n, "%s%.3gms", sign, (double)d / NS_PER_MS);
	else if (d < 60 * NS_PER_S)
		snprintf(dst, n, "%s%.2fs", sign, (double)d / NS_PER_S);
	else if (d < 3600 * NS_PER_S)
		snprintf(dst, n, "%s%lldm%02llds", sign, (long long)(d / (60 * NS_PER_S)),
		    (long long)(d / NS_PER_S % 60));
	else
		snprintf(dst, n, "%s%lldh%02lldm", sign, (long long)(d / (3600 * NS_PER_S)),
		    (long long)(d / (60 * NS_PER_S) % 60));
}

/* ---------------------------------------------------------------- codec */

static void
put_s(struct buf *b, const char *s)
{
	buf_put_str(b, s ? s : "", s ? strlen(s) : 0);
}

static void
put_attrs(struct buf *b, const struct span_attr *a, uint32_t n)
{
	buf_put_uvarint(b, n);
	for (uint32_t i = 0; i < n; i++) {
		put_s(b, a[i].key);
		put_s(b, a[i].val);
		buf_put_uvarint(b, a[i].type);
	}
}

static void
put_span(struct buf *b, const struct span *s)
{
	put_s(b, s->span_id);
	put_s(b, s->parent_id);
	put_s(b, s->name);
	put_s(b, s->status_msg);
	buf_put_svarint(b, s->start);
	buf_put_svarint(b, s->dur);
	buf_put_uvarint(b, s->res);
	buf_put_uvarint(b, s->kind);
	buf_put_uvarint(b, s->status);
	buf_put_uvarint(b, s->follows);
	put_attrs(b, s->attr, s->nattr);
	buf_put_uvarint(b, s->nev);
	for (uint32_t i = 0; i < s->nev; i++) {
		buf_put_svarint(b, s->ev[i].t);
		put_s(b, s->ev[i].name);
		put_attrs(b, s->ev[i].attr, s->ev[i].nattr);
	}
}

static int
trace_encode(const void *p, struct buf *b)
{
	const struct ev_trace *t = p;

	put_s(b, t->trace_id);
	buf_put_uvarint(b, (uint64_t)t->partial);
	put_s(b, t->message);
	buf_put_uvarint(b, t->dropped);
	buf_put_uvarint(b, t->nres);
	for (size_t i = 0; i < t->nres; i++) {
		put_s(b, t->res[i].service);
		put_attrs(b, t->res[i].attr, t->res[i].nattr);
	}
	buf_put_uvarint(b, t->n);
	for (size_t i = 0; i < t->n; i++)
		put_span(b, &t->s[i]);
	return b->overflow ? -1 : 0;
}

static const char *
get_s(struct rd *r, struct arena *ar)
{
	const char *s;
	size_t n;

	if (rd_str(r, &s, &n, DEC_STR_MAX) < 0)
		return "";
	return arena_strndup(ar, s, n);
}

static uint64_t
get_u(struct rd *r, uint64_t max)
{
	uint64_t v;

	if (rd_uvarint(r, &v) < 0 || v > max) {
		r->err = 1;
		return 0;
	}
	return v;
}

static struct span_attr *
get_attrs(struct rd *r, struct arena *ar, uint32_t *n)
{
	uint64_t k = get_u(r, DEC_ATTR_MAX);
	struct span_attr *a;

	*n = 0;
	/* every attribute takes at least 3 bytes */
	if (r->err || k > (r->len - r->off) / 3) {
		r->err = 1;
		return NULL;
	}
	a = k ? arena_array(ar, (size_t)k, sizeof *a) : NULL;
	for (uint64_t i = 0; i < k && !r->err; i++) {
		a[i].key = get_s(r, ar);
		a[i].val = get_s(r, ar);
		a[i].type = (uint8_t)get_u(r, AT_KVLIST);
	}
	*n = (uint32_t)k;
	return a;
}

static void
get_span(struct rd *r, struct ev_trace *t, struct span *s)
{
	int64_t v;
	uint64_t nev;

	s->span_id = get_s(r, &t->ar);
	s->parent_id = get_s(r, &t->ar);
	s->name = get_s(r, &t->ar);
	s->status_msg = get_s(r, &t->ar);
	rd_svarint(r, &v);
	s->start = v;
	rd_svarint(r, &v);
	s->dur = v;
	s->res = (uint32_t)get_u(r, t->nres ? t->nres - 1 : 0);
	s->kind = (uint8_t)get_u(r, SK_CONSUMER);
	s->status = (uint8_t)get_u(r, SS_ERROR);
	s->follows = (uint8_t)get_u(r, 1);
	s->attr = get_attrs(r, &t->ar, &s->nattr);
	nev = get_u(r, DEC_ATTR_MAX);
	if (r->err || nev > (r->len - r->off) / 3) {
		r->err = 1;
		return;
	}
	s->ev = nev ? arena_array(&t->ar, (size_t)nev, sizeof *s->ev) : NULL;
	for (uint64_t i = 0; i < nev && !r->err; i++) {
		rd_svarint(r, &v);
		s->ev[i].t = v;
		s->ev[i].name = get_s(r, &t->ar);
		s->ev[i].attr = get_attrs(r, &t->ar, &s->ev[i].nattr);
	}
	s->nev = (uint32_t)nev;
}

static void *
trace_decode(struct rd *r, char **err)
{
	struct ev_trace *t = xcalloc(1, sizeof *t);
	uint64_t nres, n;

	arena_init(&t->ar);
	t->trace_id = get_s(r, &t->ar);
	t->partial = (int)get_u(r, 1);
	t->message = get_s(r, &t->ar);
	t->dropped = get_u(r, UINT64_MAX);
	nres = get_u(r, DEC_SPANS_MAX);
	if (!r->err && (nres == 0 || nres > r->len - r->off))
		r->err = 1;
	for (uint64_t i = 0; i < nres && !r->err; i++) {
		uint32_t k = ev_trace_add_res(t, "");
		t->res[k].service = get_s(r, &t->ar);
		t->res[k].attr = get_attrs(r, &t->ar, &t->res[k].nattr);
	}
	n = get_u(r, DEC_SPANS_MAX);
	if (!r->err && n > (r->len - r->off) / 10)	/* a span takes >= 10 bytes */
		r->err = 1;
	for (uint64_t i = 0; i < n && !r->err; i++)
		get_span(r, t, ev_trace_add_span(t));
	if (r->err) {
		ev_trace_free(t);
		*err = xstrdup("malformed trace event");
		return NULL;
	}
	return t;
}

const struct ev_ops trace_ev_ops = {
	.name = "trace",
	.free = ev_trace_free,
	.encode = trace_encode,
	.decode = trace_decode,
};

/* ---------------------------------------------------------------- store */

struct tentry {
	char		*key;
	struct ev_trace	*t;
	uint64_t	 seq;
};

struct trace_store {
	struct tentry	*e;		/* oldest first */
	size_t		 n, cap;
	size_t		 max_traces, max_spans, spans;
	uint64_t	 seq, dropped;
};

struct trace_store *
trace_store_new(size_t max_traces, size_t max_spans)
{
	struct trace_store *s = xcalloc(1, sizeof *s);

	s->max_traces = max_traces ? max_traces : 64;
	s->max_spans = max_spans ? max_spans : 200000;
	return s;
}

static void
evict(struct trace_store *s, size_t i)
{
	s->spans -= s->e[i].t->n;
	ev_trace_free(s->e[i].t);
	free(s->e[i].key);
	memmove(s->e + i, s->e + i + 1, (s->n - i - 1) * sizeof *s->e);
	s->n--;
}

void
trace_store_free(struct trace_store *s)
{
	if (!s)
		return;
	while (s->n)
		evict(s, s->n - 1);
	free(s->e);
	free(s);
}

void
trace_store_put(struct trace_store *s, const char *key, struct ev_trace *t)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].key, key) == 0) {
			evict(s, i);
			break;
		}
	/* make room: a single trace larger than the limit is still kept alone */
	while (s->n && (s->n + 1 > s->max_traces || s->spans + t->n > s->max_spans)) {
		s->dropped += s->e[0].t->n;
		evict(s, 0);
	}
	xgrow(&s->e, &s->cap, s->n + 1, sizeof *s->e);
	s->e[s->n].key = xstrdup(key);
	s->e[s->n].t = t;
	s->e[s->n].seq = ++s->seq;
	s->n++;
	s->spans += t->n;
}

const struct ev_trace *
trace_store_get(const struct trace_store *s, const char *key, uint64_t *seq)
{
	for (size_t i = s ? s->n : 0; i > 0; i--)
		if (strcmp(s->e[i - 1].key, key) == 0) {
			if (seq)
				*seq = s->e[i - 1].seq;
			return s->e[i - 1].t;
		}
	if (seq)
		*seq = 0;
	return NULL;
}

const struct ev_trace *
trace_store_find(const struct trace_store *s, const char *trace_id)
{
	for (size_t i = s ? s->n : 0; i > 0; i--)
		if (strcmp(s->e[i - 1].t->trace_id, trace_id) == 0)
			return s->e[i - 1].t;
	return NULL;
}

uint64_t
trace_store_dropped(const struct trace_store *s)
{
	return s ? s->dropped : 0;
}

uint64_t
trace_store_digest(const struct trace_store *s)
{
	struct buf b;
	uint64_t sum = 0;

	buf_init(&b, 256u << 20);
	for (size_t i = 0; s && i < s->n; i++) {
		buf_reset(&b);
		trace_ev_ops.encode(s->e[i].t, &b);
		sum += digest_bytes(digest_str(0, s->e[i].key), b.data ? b.data : "", b.len);
	}
	buf_free(&b);
	return sum;
}
