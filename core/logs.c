/* logs: EV_LOGS batches — building, ordering, and the recording codec.
 * Invariants: every entry's [off, off+len) lies inside text[0..tlen);
 * every entry's stream < nstreams; after ev_logs_sort() entries are in
 * non-decreasing time order with no exact duplicates. */
#include "core/logs.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct ev_logs *
ev_logs_new(enum logs_origin origin)
{
	struct ev_logs *e = xcalloc(1, sizeof *e);
	e->origin = origin;
	e->start = e->end = TNS_NONE;
	return e;
}

void
ev_logs_free(void *p)
{
	struct ev_logs *e = p;

	if (!e)
		return;
	for (uint32_t i = 0; i < e->nstreams; i++)
		labels_free(&e->streams[i]);
	free(e->streams);
	free(e->e);
	free(e->text);
	free(e->gaps);
	free(e);
}

uint32_t
ev_logs_stream(struct ev_logs *e, struct labelset *ls)
{
	size_t cap = e->capstreams;

	labels_finish(ls);
	for (uint32_t i = 0; i < e->nstreams; i++)
		if (e->streams[i].hash == ls->hash && labels_equal(&e->streams[i], ls)) {
			labels_free(ls);
			return i;
		}
	xgrow(&e->streams, &cap, (size_t)e->nstreams + 1, sizeof *e->streams);
	e->capstreams = (uint32_t)cap;
	e->streams[e->nstreams] = *ls;
	labels_init(ls);
	return e->nstreams++;
}

char *
ev_logs_text_reserve(struct ev_logs *e, size_t len)
{
	if (e->tlen + len + 1 > e->tcap) {
		size_t cap = e->tcap ? e->tcap : 4096;
		while (cap < e->tlen + len + 1)
			cap *= 2;
		e->text = xrealloc(e->text, cap);
		e->tcap = cap;
	}
	return e->text + e->tlen;
}

void
ev_logs_add(struct ev_logs *e, tns t, uint32_t stream, const char *s, size_t len)
{
	char *dst = ev_logs_text_reserve(e, len);

	memcpy(dst, s, len);
	xgrow(&e->e, &e->cap, e->n + 1, sizeof *e->e);
	e->e[e->n++] = (struct ev_logs_entry){ t, stream, (uint32_t)e->tlen, (uint32_t)len, 0 };
	e->tlen += len;
}

void
ev_logs_gap(struct ev_logs *e, tns t, tns until, uint64_t count, enum gap_kind kind)
{
	xgrow(&e->gaps, &e->capgaps, e->ngaps + 1, sizeof *e->gaps);
	e->gaps[e->ngaps++] = (struct ev_logs_gap){ t, until < t ? t : until, count, (uint32_t)kind };
}

/* ------------------------------------------------------------- ordering */

struct run {
	size_t	i, end;		/* next entry, one past the last */
};

static int
run_less(const struct ev_logs_entry *e, const struct run *a, size_t ia, const struct run *b, size_t ib)
{
	tns ta = e[a->i].t, tb = e[b->i].t;
	return ta < tb || (ta == tb && ia < ib);
}

static void
heap_down(const struct ev_logs_entry *e, struct run *r, size_t *idx, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && run_less(e, &r[idx[l]], idx[l], &r[idx[m]], idx[m]))
			m = l;
		if (l + 1 < n && run_less(e, &r[idx[l + 1]], idx[l + 1], &r[idx[m]], idx[m]))
			m = l + 1;
		if (m == i)
			return;
		size_t t = idx[i];
		idx[i] = idx[m];
		idx[m] = t;
		i = m;
	}
}

/* Split into maximal monotone runs, reversing the descending ones. */
static size_t
find_runs(struct ev_logs_entry *e, size_t n, struct run **out)
{
	struct run *r = NULL;
	size_t nr = 0, cap = 0, i = 0;

	while (i < n) {
		size_t j = i + 1;
		int dir = 0;
		while (j < n) {
			int d = e[j].t > e[j - 1].t ? 1 : e[j].t < e[j - 1].t ? -1 : 0;
			if (d && !dir)
				dir = d;
			else if (d && d != dir)
				break;
			j++;
		}
		if (dir < 0)
			for (size_t a = i, b = j - 1; a < b; a++, b--) {
				struct ev_logs_entry t = e[a];
				e[a] = e[b];
				e[b] = t;
			}
		xgrow(&r, &cap, nr + 1, sizeof *r);
		r[nr++] = (struct run){ i, j };
		i = j;
	}
	*out = r;
	return nr;
}

static int
same_entry(const struct ev_logs *e, const struct ev_logs_entry *a, const struct ev_logs_entry *b)
{
	return a->t == b->t && a->stream == b->stream && a->len == b->len &&
	    memcmp(e->text + a->off, e->text + b->off, a->len) == 0;
}

/* Drop exact duplicates among entries of equal time (sorted input). */
static size_t
dedup(struct ev_logs *e)
{
	size_t w = 0, dropped = 0;

	for (size_t i = 0; i < e->n; i++) {
		int dup = 0;
		for (size_t k = w; k > 0 && e->e[k - 1].t == e->e[i].t; k--)
			if (same_entry(e, &e->e[k - 1], &e->e[i])) {
				dup = 1;
				break;
			}
		if (dup)
			dropped++;
		else
			e->e[w++] = e->e[i];
	}
	e->n = w;
	return dropped;
}

size_t
ev_logs_sort(struct ev_logs *e)
{
	struct run *r;
	size_t nr, *heap, nh, o = 0;
	struct ev_logs_entry *out;

	if (e->n < 2)
		return 0;
	nr = find_runs(e->e, e->n, &r);
	if (nr > 1) {
		out = xmalloc(e->n * sizeof *out);
		heap = xmalloc(nr * sizeof *heap);
		for (size_t i = 0; i < nr; i++)
			heap[i] = i;
		nh = nr;
		for (size_t i = nh / 2 + 1; i-- > 0;)
			heap_down(e->e, r, heap, nh, i);
		while (nh) {
			struct run *top = &r[heap[0]];
			out[o++] = e->e[top->i++];
			if (top->i == top->end)
				heap[0] = heap[--nh];
			heap_down(e->e, r, heap, nh, 0);
		}
		free(e->e);
		e->e = out;
		e->cap = e->n;
		free(heap);
	}
	free(r);
	return dedup(e);
}

tns
ev_logs_newest(const struct ev_logs *e)
{
	tns m = TNS_NONE;
	for (size_t i = 0; i < e->n; i++)
		if (e->e[i].t > m)
			m = e->e[i].t;
	return m;
}

tns
ev_logs_oldest(const struct ev_logs *e)
{
	tns m = TNS_NONE;
	for (size_t i = 0; i < e->n; i++)
		if (m == TNS_NONE || e->e[i].t < m)
			m = e->e[i].t;
	return m;
}

/* ---------------------------------------------------------------- codec */

/* Time deltas in the codec wrap around (two's complement) instead of
 * overflowing: any pair of int64 times encodes, and a hostile delta
 * decodes to some time rather than undefined behaviour. */
static int64_t
wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t
wrap_sub(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

static int
logs_encode(const void *p, struct buf *b)
{
	const struct ev_logs *e = p;
	tns prev = 0;

	buf_put_uvarint(b, e->origin);
	buf_put_svarint(b, e->start);
	buf_put_svarint(b, e->end);
	buf_put_uvarint(b, (uint64_t)!!e->complete);
	buf_put_uvarint(b, e->nstreams);
	for (uint32_t i = 0; i < e->nstreams; i++)
		labels_encode(&e->streams[i], b);
	buf_put_uvarint(b, e->n);
	for (size_t i = 0; i < e->n; i++) {
		const struct ev_logs_entry *x = &e->e[i];
		buf_put_svarint(b, wrap_sub(x->t, prev));	/* sorted batches delta well */
		prev = x->t;
		buf_put_uvarint(b, (uint64_t)x->stream << 1 | (x->flags & LE_CUT ? 1 : 0));
		buf_put_str(b, e->text + x->off, x->len);
	}
	buf_put_uvarint(b, e->ngaps);
	for (size_t i = 0; i < e->ngaps; i++) {
		buf_put_svarint(b, e->gaps[i].t);
		buf_put_svarint(b, e->gaps[i].until - e->gaps[i].t);
		buf_put_uvarint(b, e->gaps[i].count);
		buf_put_uvarint(b, e->gaps[i].kind);
	}
	return b->overflow ? -1 : 0;
}

static void *
logs_fail(struct ev_logs *e, char **err, const char *what)
{
	ev_logs_free(e);
	*err = xasprintf("bad logs event: %s", what);
	return NULL;
}

static void *
logs_decode(struct rd *r, char **err)
{
	uint64_t origin, complete, ns, n, ng;
	int64_t start, end, t = 0;
	struct ev_logs *e;
	size_t cap;

	if (rd_uvarint(r, &origin) < 0 || rd_svarint(r, &start) < 0 || rd_svarint(r, &end) < 0 ||
	    rd_uvarint(r, &complete) < 0 || rd_uvarint(r, &ns) < 0) {
		*err = xstrdup("bad logs event: truncated header");
		return NULL;
	}
	if (origin < LO_TAIL || origin > LO_FILL || ns > LOGS_STREAMS_MAX) {
		*err = xstrdup("bad logs event: header out of range");
		return NULL;
	}
	e = ev_logs_new((enum logs_origin)origin);
	e->start = start;
	e->end = end;
	e->complete = complete != 0;
	for (uint64_t i = 0; i < ns; i++) {
		struct labelset ls;
		labels_init(&ls);
		if (labels_decode(&ls, r) < 0) {
			labels_free(&ls);
			return logs_fail(e, err, "labels");
		}
		labels_finish(&ls);
		cap = e->capstreams;
		xgrow(&e->streams, &cap, (size_t)e->nstreams + 1, sizeof *e->streams);
		e->capstreams = (uint32_t)cap;
		e->streams[e->nstreams++] = ls;
	}
	if (rd_uvarint(r, &n) < 0 || n > LOGS_BATCH_MAX)
		return logs_fail(e, err, "entry count");
	for (uint64_t i = 0; i < n; i++) {
		int64_t dt;
		uint64_t st;
		const char *s;
		size_t len;
		if (rd_svarint(r, &dt) < 0 || rd_uvarint(r, &st) < 0 ||
		    rd_str(r, &s, &len, LOGS_LINE_MAX) < 0)
			return logs_fail(e, err, "entry");
		if ((st >> 1) >= e->nstreams)
			return logs_fail(e, err, "stream index");
		t = wrap_add(t, dt);
		ev_logs_add(e, t, (uint32_t)(st >> 1), s, len);
		if (st & 1)
			e->e[e->n - 1].flags |= LE_CUT;
	}
	if (rd_uvarint(r, &ng) < 0 || ng > LOGS_BATCH_MAX)
		return logs_fail(e, err, "gap count");
	for (uint64_t i = 0; i < ng; i++) {
		int64_t gt, du;
		uint64_t cnt, kind;
		if (rd_svarint(r, &gt) < 0 || rd_svarint(r, &du) < 0 || rd_uvarint(r, &cnt) < 0 ||
		    rd_uvarint(r, &kind) < 0 || du < 0 || gt > INT64_MAX - du ||
		    kind < GAP_DROPPED || kind > GAP_UNLOADED)
			return logs_fail(e, err, "gap");
		ev_logs_gap(e, gt, gt + du, cnt, (enum gap_kind)kind);
	}
	return e;
}

const struct ev_ops logs_ev_ops = {
	.name = "logs",
	.free = ev_logs_free,
	.encode = logs_encode,
	.decode = logs_decode,
};
