/* tracesearch: search-result events, codec and a small keyed store.
 * Invariant: row strings are never NULL; the store holds at most
 * max_keys answers (the oldest key goes first). */
#include "core/tracesearch.h"

#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/xalloc.h"

#define DEC_STR_MAX	(64u * 1024)
#define DEC_ROWS_MAX	100000u

struct ev_tracesearch *
ev_tracesearch_new(void)
{
	return xcalloc(1, sizeof(struct ev_tracesearch));
}

struct tsrow *
ev_tracesearch_add(struct ev_tracesearch *e)
{
	struct tsrow *r;

	xgrow(&e->r, &e->cap, e->n + 1, sizeof *e->r);
	r = &e->r[e->n++];
	memset(r, 0, sizeof *r);
	r->trace_id = xstrdup("");
	r->root_service = xstrdup("");
	r->root_name = xstrdup("");
	r->services = xstrdup("");
	r->start = TNS_NONE;
	r->dur = -1;
	return r;
}

void
ev_tracesearch_free(void *p)
{
	struct ev_tracesearch *e = p;

	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		free(e->r[i].trace_id);
		free(e->r[i].root_service);
		free(e->r[i].root_name);
		free(e->r[i].services);
	}
	free(e->r);
	free(e);
}

static void
put_s(struct buf *b, const char *s)
{
	buf_put_str(b, s, strlen(s));
}

static int
ts_encode(const void *p, struct buf *b)
{
	const struct ev_tracesearch *e = p;

	buf_put_uvarint(b, e->dropped);
	buf_put_uvarint(b, e->inspected);
	buf_put_uvarint(b, e->n);
	for (size_t i = 0; i < e->n; i++) {
		const struct tsrow *r = &e->r[i];
		put_s(b, r->trace_id);
		put_s(b, r->root_service);
		put_s(b, r->root_name);
		buf_put_svarint(b, r->start);
		buf_put_svarint(b, r->dur);
		buf_put_uvarint(b, r->spans);
		buf_put_uvarint(b, r->errors);
		buf_put_uvarint(b, r->matched);
		put_s(b, r->services);
	}
	return b->overflow ? -1 : 0;
}

static void
get_s(struct rd *r, char **dst)
{
	const char *s;
	size_t n;

	if (rd_str(r, &s, &n, DEC_STR_MAX) < 0)
		return;
	free(*dst);
	*dst = xstrndup(s, n);
}

static uint32_t
get_u32(struct rd *r)
{
	uint64_t v;

	if (rd_uvarint(r, &v) < 0 || v > UINT32_MAX) {
		r->err = 1;
		return 0;
	}
	return (uint32_t)v;
}

static void *
ts_decode(struct rd *r, char **err)
{
	struct ev_tracesearch *e = ev_tracesearch_new();
	uint64_t n;

	rd_uvarint(r, &e->dropped);
	rd_uvarint(r, &e->inspected);
	if (rd_uvarint(r, &n) < 0 || n > DEC_ROWS_MAX || n > r->len - r->off)
		r->err = 1;
	for (uint64_t i = 0; i < n && !r->err; i++) {
		struct tsrow *row = ev_tracesearch_add(e);
		int64_t v;
		get_s(r, &row->trace_id);
		get_s(r, &row->root_service);
		get_s(r, &row->root_name);
		rd_svarint(r, &v);
		row->start = v;
		rd_svarint(r, &v);
		row->dur = v;
		row->spans = get_u32(r);
		row->errors = get_u32(r);
		row->matched = get_u32(r);
		get_s(r, &row->services);
	}
	if (r->err) {
		ev_tracesearch_free(e);
		*err = xstrdup("malformed trace search event");
		return NULL;
	}
	return e;
}

const struct ev_ops tracesearch_ev_ops = {
	.name = "tracesearch",
	.free = ev_tracesearch_free,
	.encode = ts_encode,
	.decode = ts_decode,
};

struct tsentry {
	char			*key;
	struct ev_tracesearch	*e;
};

struct tracesearch_store {
	struct tsentry	*e;
	size_t		 n, cap, max;
};

struct tracesearch_store *
tracesearch_store_new(size_t max_keys)
{
	struct tracesearch_store *s = xcalloc(1, sizeof *s);

	s->max = max_keys ? max_keys : 64;
	return s;
}

static void
drop(struct tracesearch_store *s, size_t i)
{
	free(s->e[i].key);
	ev_tracesearch_free(s->e[i].e);
	memmove(s->e + i, s->e + i + 1, (s->n - i - 1) * sizeof *s->e);
	s->n--;
}

void
tracesearch_store_free(struct tracesearch_store *s)
{
	if (!s)
		return;
	while (s->n)
		drop(s, s->n - 1);
	free(s->e);
	free(s);
}

void
tracesearch_store_put(struct tracesearch_store *s, const char *key, struct ev_tracesearch *e)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].key, key) == 0) {
			drop(s, i);
			break;
		}
	while (s->n && s->n >= s->max)
		drop(s, 0);
	xgrow(&s->e, &s->cap, s->n + 1, sizeof *s->e);
	s->e[s->n].key = xstrdup(key);
	s->e[s->n].e = e;
	s->n++;
}

const struct ev_tracesearch *
tracesearch_store_get(const struct tracesearch_store *s, const char *key)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (strcmp(s->e[i].key, key) == 0)
			return s->e[i].e;
	return NULL;
}

uint64_t
tracesearch_store_digest(const struct tracesearch_store *s)
{
	struct buf b;
	uint64_t sum = 0;

	buf_init(&b, 256u << 20);
	for (size_t i = 0; s && i < s->n; i++) {
		buf_reset(&b);
		tracesearch_ev_ops.encode(s->e[i].e, &b);
		sum += digest_bytes(digest_str(0, s->e[i].key), b.data ? b.data : "", b.len);
	}
	buf_free(&b);
	return sum;
}
