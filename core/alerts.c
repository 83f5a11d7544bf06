/* alerts: alert snapshot events, codec and bounded history.
 * Invariant: history is sorted by time and holds at most cap snapshots;
 * an identical consecutive snapshot is not stored twice. */
#include "core/alerts.h"

#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"

#define ALERTS_MAX_DECODE	100000

struct ev_alerts *
ev_alerts_new(void)
{
	return xcalloc(1, sizeof(struct ev_alerts));
}

char *
alert_strndup(const char *s, size_t n)
{
	return xstrndup(s, utf8_cut(s, n, ALERT_STR_MAX));
}

struct alert *
ev_alerts_add(struct ev_alerts *e)
{
	struct alert *a;

	e->a = xreallocarray(e->a, e->n + 1, sizeof *e->a);
	a = &e->a[e->n++];
	memset(a, 0, sizeof *a);
	a->active_at = TNS_NONE;
	return a;
}

void
ev_alerts_free(void *p)
{
	struct ev_alerts *e = p;

	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		labels_free(&e->a[i].labels);
		labels_free(&e->a[i].annotations);
		free(e->a[i].state);
		free(e->a[i].expr);
	}
	free(e->a);
	free(e);
}

static void
put_opt(struct buf *b, const char *s)
{
	buf_put_str(b, s ? s : "", s ? strlen(s) : 0);
}

static int
alerts_encode(const void *p, struct buf *b)
{
	const struct ev_alerts *e = p;

	buf_put_uvarint(b, e->n);
	for (size_t i = 0; i < e->n; i++) {
		const struct alert *a = &e->a[i];
		labels_encode(&a->labels, b);
		labels_encode(&a->annotations, b);
		put_opt(b, a->state);
		buf_put_svarint(b, a->active_at);
		buf_put_f64(b, a->value);
		put_opt(b, a->expr);
	}
	return b->overflow ? -1 : 0;
}

static char *
get_opt(struct rd *r)
{
	const char *s;
	size_t n;
	if (rd_str(r, &s, &n, ALERT_STR_MAX) < 0)
		return NULL;
	return n ? xstrndup(s, n) : NULL;
}

static void *
alerts_decode(struct rd *r, char **err)
{
	struct ev_alerts *e = ev_alerts_new();
	uint64_t n;

	if (rd_uvarint(r, &n) < 0 || n > ALERTS_MAX_DECODE || n > r->len - r->off)
		goto bad;
	for (uint64_t i = 0; i < n; i++) {
		struct alert *a = ev_alerts_add(e);
		int64_t at;
		if (labels_decode(&a->labels, r) < 0 || labels_decode(&a->annotations, r) < 0)
			goto bad;
		a->state = get_opt(r);
		if (rd_svarint(r, &at) < 0 || rd_f64(r, &a->value) < 0)
			goto bad;
		a->active_at = at;
		a->expr = get_opt(r);
		if (r->err)
			goto bad;
	}
	return e;
bad:
	ev_alerts_free(e);
	*err = xstrdup("malformed alerts event");
	return NULL;
}

const struct ev_ops alerts_ev_ops = {
	.name = "alerts",
	.free = ev_alerts_free,
	.encode = alerts_encode,
	.decode = alerts_decode,
};

struct alerts_hist {
	tns			 *t;
	struct ev_alerts	**e;
	size_t			  n, cap;
};

struct alerts_hist *
alerts_hist_new(size_t cap)
{
	struct alerts_hist *h = xcalloc(1, sizeof *h);
	h->cap = cap ? cap : 1024;
	h->t = xcalloc(h->cap, sizeof *h->t);
	h->e = xcalloc(h->cap, sizeof *h->e);
	return h;
}

void
alerts_hist_free(struct alerts_hist *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		ev_alerts_free(h->e[i]);
	free(h->t);
	free(h->e);
	free(h);
}

static int
same_alerts(const struct ev_alerts *a, const struct ev_alerts *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		if (!labels_equal(&a->a[i].labels, &b->a[i].labels) ||
		    a->a[i].active_at != b->a[i].active_at ||
		    strcmp(a->a[i].state ? a->a[i].state : "", b->a[i].state ? b->a[i].state : ""))
			return 0;
	}
	return 1;
}

void
alerts_hist_add(struct alerts_hist *h, tns t, struct ev_alerts *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!e->a[i].labels.hash)
			labels_finish(&e->a[i].labels);
	if (h->n && h->t[h->n - 1] <= t && same_alerts(h->e[h->n - 1], e)) {
		ev_alerts_free(e);
		return;
	}
	if (h->n == h->cap) {
		ev_alerts_free(h->e[0]);
		memmove(h->t, h->t + 1, (h->n - 1) * sizeof *h->t);
		memmove(h->e, h->e + 1, (h->n - 1) * sizeof *h->e);
		h->n--;
	}
	for (i = h->n; i > 0 && h->t[i - 1] > t; i--)
		;
	memmove(h->t + i + 1, h->t + i, (h->n - i) * sizeof *h->t);
	memmove(h->e + i + 1, h->e + i, (h->n - i) * sizeof *h->e);
	h->t[i] = t;
	h->e[i] = e;
	h->n++;
}

const struct ev_alerts *
alerts_hist_at(const struct alerts_hist *h, tns at, tns *when)
{
	size_t lo = 0, hi = h ? h->n : 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (h->t[mid] <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	if (when)
		*when = h->t[lo - 1];
	return h->e[lo - 1];
}

const struct ev_alerts *
alerts_hist_nth(const struct alerts_hist *h, size_t i, tns *when)
{
	if (!h || i >= h->n)
		return NULL;
	if (when)
		*when = h->t[i];
	return h->e[i];
}
