/* exemplars: events, codec and a bounded per-key store sorted by time. */
#include "core/exemplars.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define EX_MAX_DECODE	1000000

struct ev_exemplars *
ev_exemplars_new(tns start, tns end)
{
	struct ev_exemplars *e = xcalloc(1, sizeof *e);
	e->start = start;
	e->end = end;
	return e;
}

struct exemplar *
ev_exemplars_add(struct ev_exemplars *e)
{
	struct exemplar *x;

	e->e = xreallocarray(e->e, e->n + 1, sizeof *e->e);
	x = &e->e[e->n++];
	memset(x, 0, sizeof *x);
	return x;
}

static void
ex_clear(struct exemplar *x)
{
	labels_free(&x->series);
	labels_free(&x->labels);
}

void
ev_exemplars_free(void *p)
{
	struct ev_exemplars *e = p;

	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		ex_clear(&e->e[i]);
	free(e->e);
	free(e);
}

const char *
exemplar_trace_id(const struct exemplar *x)
{
	static const char *const names[] = { "trace_id", "traceID", "traceId", "TraceID", "trace.id" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *v = labels_get(&x->labels, names[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}

static int
ex_encode(const void *p, struct buf *b)
{
	const struct ev_exemplars *e = p;

	buf_put_svarint(b, e->start);
	buf_put_svarint(b, e->end);
	buf_put_uvarint(b, e->n);
	for (size_t i = 0; i < e->n; i++) {
		labels_encode(&e->e[i].series, b);
		labels_encode(&e->e[i].labels, b);
		buf_put_f64(b, e->e[i].value);
		buf_put_svarint(b, e->e[i].t);
	}
	return b->overflow ? -1 : 0;
}

static void *
ex_decode(struct rd *r, char **err)
{
	int64_t start, end, t;
	uint64_t n;
	struct ev_exemplars *e;

	if (rd_svarint(r, &start) < 0 || rd_svarint(r, &end) < 0 || rd_uvarint(r, &n) < 0 ||
	    n > EX_MAX_DECODE || n > r->len - r->off) {
		*err = xstrdup("malformed exemplars event");
		return NULL;
	}
	e = ev_exemplars_new(start, end);
	for (uint64_t i = 0; i < n; i++) {
		struct exemplar *x = ev_exemplars_add(e);
		if (labels_decode(&x->series, r) < 0 || labels_decode(&x->labels, r) < 0 ||
		    rd_f64(r, &x->value) < 0 || rd_svarint(r, &t) < 0) {
			ev_exemplars_free(e);
			*err = xstrdup("malformed exemplar");
			return NULL;
		}
		x->t = t;
	}
	return e;
}

const struct ev_ops exemplars_ev_ops = {
	.name = "exemplars",
	.free = ev_exemplars_free,
	.encode = ex_encode,
	.decode = ex_decode,
};

struct exemplar_store {
	struct exemplar	*e;
	size_t		 n, cap, max;
};

struct exemplar_store *
exemplar_store_new(size_t cap)
{
	struct exemplar_store *s = xcalloc(1, sizeof *s);
	s->max = cap ? cap : 20000;
	return s;
}

void
exemplar_store_free(struct exemplar_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		ex_clear(&s->e[i]);
	free(s->e);
	free(s);
}

static int
ex_cmp(const void *a, const void *b)
{
	tns x = ((const struct exemplar *)a)->t, y = ((const struct exemplar *)b)->t;
	return x < y ? -1 : x > y;
}

void
exemplar_store_apply(struct exemplar_store *s, struct ev_exemplars *e)
{
	size_t w = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (s->e[i].t >= e->start && s->e[i].t <= e->end)
			ex_clear(&s->e[i]);
		else
			s->e[w++] = s->e[i];
	}
	s->n = w;
	if (e->n) {	/* an empty answer has no array (memcpy from NULL is undefined) */
		xgrow(&s->e, &s->cap, s->n + e->n, sizeof *s->e);
		memcpy(s->e + s->n, e->e, e->n * sizeof *e->e);
		s->n += e->n;
	}
	free(e->e);
	e->e = NULL;
	e->n = 0;
	if (s->n > 1)
		qsort(s->e, s->n, sizeof *s->e, ex_cmp);
	if (s->n > s->max) {
		size_t drop = s->n - s->max;
		for (size_t i = 0; i < drop; i++)
			ex_clear(&s->e[i]);
		memmove(s->e, s->e + drop, (s->n - drop) * sizeof *s->e);
		s->n -= drop;
	}
}

const struct exemplar *
exemplar_store_all(const struct exemplar_store *s, size_t *n)
{
	*n = s ? s->n : 0;
	return s ? s->e : NULL;
}
