/* series: series events, their codec, and the series part of the store.
 * Invariants: within a series, t[] is strictly increasing; a slot's
 * `bytes` equals the sum of its series' accounted sizes; the database's
 * total never exceeds max_bytes after an apply returns. */
#include "core/series.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/hmap.h"
#include "core/xalloc.h"

#define SERIES_MAX_DECODE	1000000
#define POINTS_MAX_DECODE	50000000
#define TEXT_MAX		(1 << 20)

struct ev_series *
ev_series_new(enum result_type rt, tns start, tns end, tns step)
{
	struct ev_series *e = xcalloc(1, sizeof *e);
	e->rt = rt;
	e->start = start;
	e->end = end;
	e->step = step;
	return e;
}

struct ev_series_one *
ev_series_add(struct ev_series *e)
{
	struct ev_series_one *s;

	if ((e->n & (e->n - 1)) == 0)	/* grow at powers of two (ev_series_add only) */
		e->s = xreallocarray(e->s, e->n ? 2 * e->n : 1, sizeof *e->s);
	s = &e->s[e->n++];
	memset(s, 0, sizeof *s);
	labels_init(&s->labels);
	return s;
}

void
ev_series_point(struct ev_series_one *s, tns t, double v)
{
	if ((s->n & (s->n - 1)) == 0) {	/* grow at powers of two */
		size_t cap = s->n ? s->n * 2 : 4;
		s->t = xreallocarray(s->t, cap, sizeof *s->t);
		s->v = xreallocarray(s->v, cap, sizeof *s->v);
	}
	s->t[s->n] = t;
	s->v[s->n] = v;
	s->n++;
}

void
ev_series_free(void *p)
{
	struct ev_series *e = p;

	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		labels_free(&e->s[i].labels);
		free(e->s[i].t);
		free(e->s[i].v);
		free(e->s[i].text);
	}
	free(e->s);
	free(e);
}

static int
series_encode(const void *p, struct buf *b)
{
	const struct ev_series *e = p;

	buf_put_uvarint(b, (uint64_t)e->rt);
	buf_put_svarint(b, e->start);
	buf_put_svarint(b, e->end);
	buf_put_svarint(b, e->step);
	buf_put_uvarint(b, e->n);
	for (size_t i = 0; i < e->n; i++) {
		const struct ev_series_one *s = &e->s[i];
		tns prev = e->start;
		labels_encode(&s->labels, b);
		buf_put_str(b, s->text ? s->text : "", s->text ? strlen(s->text) : 0);
		buf_put_uvarint(b, s->n);
		for (size_t k = 0; k < s->n; k++) {
			/* deltas compress well; unsigned arithmetic wraps, never overflows */
			buf_put_svarint(b, (int64_t)((uint64_t)s->t[k] - (uint64_t)prev));
			prev = s->t[k];
			buf_put_f64(b, s->v[k]);
		}
	}
	return b->overflow ? -1 : 0;
}

static void *
series_decode(struct rd *r, char **err)
{
	uint64_t rt, n, np;
	int64_t start, end, step;
	struct ev_series *e;

	if (rd_uvarint(r, &rt) < 0 || rt > RT_STRING || rd_svarint(r, &start) < 0 ||
	    rd_svarint(r, &end) < 0 || rd_svarint(r, &step) < 0 || rd_uvarint(r, &n) < 0 ||
	    n > SERIES_MAX_DECODE || n > r->len - r->off) {
		*err = xstrdup("malformed series event header");
		return NULL;
	}
	e = ev_series_new((enum result_type)rt, start, end, step);
	for (uint64_t i = 0; i < n; i++) {
		struct ev_series_one *s = ev_series_add(e);
		const char *txt;
		size_t tl;
		tns prev = start;

		if (labels_decode(&s->labels, r) < 0 || rd_str(r, &txt, &tl, TEXT_MAX) < 0 ||
		    rd_uvarint(r, &np) < 0 || np > POINTS_MAX_DECODE || np > (r->len - r->off) / 9)
			goto bad;
		if (tl)
			s->text = xstrndup(txt, tl);
		for (uint64_t k = 0; k < np; k++) {
			int64_t d;
			double v;
			if (rd_svarint(r, &d) < 0 || rd_f64(r, &v) < 0)
				goto bad;
			prev = (tns)((uint64_t)prev + (uint64_t)d);
			ev_series_point(s, prev, v);
		}
	}
	return e;
bad:
	ev_series_free(e);
	*err = xstrdup("malformed series event");
	return NULL;
}

const struct ev_ops series_ev_ops = {
	.name = "series",
	.free = ev_series_free,
	.encode = series_encode,
	.decode = series_decode,
};

/* ---------------------------------------------------------------- store */

struct slotlist {
	struct sslot	**v;
	size_t		  n;
};

struct seriesdb {
	struct series_limits	 lim;
	struct hmap		 keys;		/* key -> struct slotlist */
	size_t			 bytes;
	uint64_t		 dropped;	/* points/slots evicted */
	int64_t			 clock;		/* use counter for LRU */
};

static size_t
series_bytes(const struct series *s)
{
	return sizeof *s + labels_bytes(&s->labels) + s->cap * (sizeof *s->t + sizeof *s->v) +
	    (s->text ? strlen(s->text) : 0);
}

static void
series_free(struct series *s)
{
	labels_free(&s->labels);
	free(s->t);
	free(s->v);
	free(s->text);
	free(s);
}

static void
slot_free(struct sslot *sl)
{
	for (size_t i = 0; i < sl->n; i++)
		series_free(sl->s[i]);
	free(sl->s);
	free(sl->idx);
	free(sl->evals);
	free(sl->key);
	free(sl);
}

static void
slotlist_free(void *p)
{
	struct slotlist *l = p;
	for (size_t i = 0; i < l->n; i++)
		slot_free(l->v[i]);
	free(l->v);
	free(l);
}

struct seriesdb *
seriesdb_new(const struct series_limits *lim)
{
	struct seriesdb *db = xcalloc(1, sizeof *db);
	db->lim = *lim;
	if (!db->lim.max_points)
		db->lim.max_points = 30000;
	if (!db->lim.max_bytes)
		db->lim.max_bytes = 256u << 20;
	hmap_init(&db->keys);
	return db;
}

void
seriesdb_free(struct seriesdb *db)
{
	if (!db)
		return;
	hmap_free(&db->keys, slotlist_free);
	free(db);
}

static struct sslot *
slot_for(struct seriesdb *db, const char *key, tns step, enum result_type rt)
{
	struct slotlist *l = hmap_get(&db->keys, key);
	struct sslot *sl;

	if (!l) {
		l = xcalloc(1, sizeof *l);
		hmap_put(&db->keys, key, l);
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i]->step == step)
			return l->v[i];
	sl = xcalloc(1, sizeof *sl);
	sl->key = xstrdup(key);
	sl->step = step;
	sl->rt = rt;
	sl->cov_start = sl->cov_end = TNS_NONE;
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = sl;
	return sl;
}

size_t
series_lower_bound(const struct series *s, tns at)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->t[mid] < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
series_value_at(const struct series *s, tns at, tns maxage, double *v, tns *t)
{
	size_t i = series_lower_bound(s, at);

	if (i < s->n && s->t[i] == at)
		i++;
	if (i == 0)
		return -1;
	i--;
	if (maxage >= 0 && at - s->t[i] > maxage)
		return -1;
	*v = s->v[i];
	if (t)
		*t = s->t[i];
	return 0;
}

/* Replace the points of s inside [a, b] by the n new ones (sorted). */
static void
splice(struct series *s, tns a, tns b, const tns *nt, const double *nv, size_t n)
{
	size_t i = series_lower_bound(s, a), j = series_lower_bound(s, b);
	size_t keep_tail, need;

	if (j < s->n && s->t[j] == b)
		j++;
	keep_tail = s->n - j;
	need = i + n + keep_tail;
	if (need > s->cap) {
		size_t cap = s->cap ? s->cap : 16;
		while (cap < need)
			cap *= 2;
		s->t = xreallocarray(s->t, cap, sizeof *s->t);
		s->v = xreallocarray(s->v, cap, sizeof *s->v);
		s->cap = cap;
	}
	if (keep_tail) {	/* (an empty series has no arrays: no arithmetic on NULL) */
		memmove(s->t + i + n, s->t + j, keep_tail * sizeof *s->t);
		memmove(s->v + i + n, s->v + j, keep_tail * sizeof *s->v);
	}
	if (n) {
		memcpy(s->t + i, nt, n * sizeof *nt);
		memcpy(s->v + i, nv, n * sizeof *nv);
	}
	s->n = need;
}

static void
cap_points(struct seriesdb *db, struct series *s)
{
	if (s->n <= db->lim.max_points)
		return;
	size_t drop = s->n - db->lim.max_points;
	memmove(s->t, s->t + drop, (s->n - drop) * sizeof *s->t);
	memmove(s->v, s->v + drop, (s->n - drop) * sizeof *s->v);
	s->n -= drop;
	s->dropped += drop;
	db->dropped += drop;
}

/* The slot's series by label set: open addressing on the labels' hash,
 * so an answer of n series applies in O(n), not O(n^2) (a hostile or
 * careless query may return a million series). */
static void
index_put(struct sslot *sl, size_t i)
{
	size_t mask = sl->idxcap - 1, h = (size_t)sl->s[i]->labels.hash & mask;

	while (sl->idx[h])
		h = (h + 1) & mask;
	sl->idx[h] = i + 1;
}

static void
index_grow(struct sslot *sl)
{
	if (sl->idxcap > 2 * (sl->n + 1))
		return;
	free(sl->idx);
	sl->idxcap = sl->idxcap ? sl->idxcap * 2 : 16;
	while (sl->idxcap <= 2 * (sl->n + 1))
		sl->idxcap *= 2;
	sl->idx = xcalloc(sl->idxcap, sizeof *sl->idx);
	for (size_t i = 0; i < sl->n; i++)
		index_put(sl, i);
}

/* Index of the series with labels ls, or sl->n if there is none. */
static size_t
find_series(const struct sslot *sl, const struct labelset *ls)
{
	size_t mask = sl->idxcap - 1, h;

	if (!sl->idxcap)
		return sl->n;
	for (h = (size_t)ls->hash & mask; sl->idx[h]; h = (h + 1) & mask) {
		const struct series *s = sl->s[sl->idx[h] - 1];
		if (s->labels.hash == ls->hash && labels_equal(&s->labels, ls))
			return sl->idx[h] - 1;
	}
	return sl->n;
}

/* Points of one incoming series must be sorted and unique. */
static void
normalise(struct ev_series_one *in)
{
	size_t w = 0;
	for (size_t i = 0; i < in->n; i++) {
		if (w && in->t[i] <= in->t[w - 1]) {
			if (in->t[i] == in->t[w - 1]) {
				in->v[w - 1] = in->v[i];
				continue;
			}
			/* out of order: insertion step (rare; answers are sorted) */
			size_t k = w;
			while (k > 0 && in->t[k - 1] > in->t[i])
				k--;
			if (k > 0 && in->t[k - 1] == in->t[i]) {
				in->v[k - 1] = in->v[i];	/* the later value wins */
				continue;
			}
			tns t = in->t[i];
			double v = in->v[i];
			memmove(in->t + k + 1, in->t + k, (w - k) * sizeof *in->t);
			memmove(in->v + k + 1, in->v + k, (w - k) * sizeof *in->v);
			in->t[k] = t;
			in->v[k] = v;
			w++;
			continue;
		}
		in->t[w] = in->t[i];
		in->v[w] = in->v[i];
		w++;
	}
	in->n = w;
}

static void
add_eval(struct sslot *sl, tns t)
{
	size_t i = sl->nevals;
	while (i > 0 && sl->evals[i - 1] > t)
		i--;
	if (i > 0 && sl->evals[i - 1] == t)
		return;
	if (sl->nevals == 4096) {	/* bounded: forget the oldest evaluation */
		memmove(sl->evals, sl->evals + 1, (sl->nevals - 1) * sizeof *sl->evals);
		sl->nevals--;
		if (i > 0)
			i--;
	}
	xgrow(&sl->evals, &sl->capevals, sl->nevals + 1, sizeof *sl->evals);
	memmove(sl->evals + i + 1, sl->evals + i, (sl->nevals - i) * sizeof *sl->evals);
	sl->evals[i] = t;
	sl->nevals++;
}

static void
recount(struct sslot *sl)
{
	sl->bytes = sizeof *sl + sl->capevals * sizeof(tns) + sl->cap * sizeof *sl->s +
	    sl->idxcap * sizeof *sl->idx;
	for (size_t i = 0; i < sl->n; i++)
		sl->bytes += series_bytes(sl->s[i]);
}

static void evict(struct seriesdb *db, const struct sslot *keep);

void
seriesdb_apply(struct seriesdb *db, const char *key, struct ev_series *e)
{
	tns step = e->rt == RT_MATRIX ? (e->step > 0 ? e->step : 1) : 0;
	struct sslot *sl = slot_for(db, key, step, e->rt);
	size_t before = sl->bytes;
	char *seen = xcalloc(sl->n + e->n + 1, 1);

	for (size_t i = 0; i < e->n; i++) {
		struct ev_series_one *in = &e->s[i];
		struct series *s;
		size_t k;

		normalise(in);
		if (!in->labels.hash)
			labels_finish(&in->labels);
		if ((k = find_series(sl, &in->labels)) == sl->n) {
			s = xcalloc(1, sizeof *s);
			s->labels = in->labels;
			labels_init(&in->labels);
			index_grow(sl);
			xgrow(&sl->s, &sl->cap, sl->n + 1, sizeof *sl->s);
			sl->s[sl->n++] = s;
			index_put(sl, k);
		}
		s = sl->s[k];
		seen[k] = 1;
		if (in->text) {
			free(s->text);
			s->text = in->text;
			in->text = NULL;
		}
		splice(s, e->start, e->end, in->t, in->v, in->n);
		cap_points(db, s);
	}
	for (size_t k = 0; k < sl->n; k++)	/* absent from the answer: a gap */
		if (!seen[k])
			splice(sl->s[k], e->start, e->end, NULL, NULL, 0);
	free(seen);
	if (step == 0)
		add_eval(sl, e->end);
	if (sl->cov_start == TNS_NONE || e->start < sl->cov_start)
		sl->cov_start = e->start;
	if (sl->cov_end == TNS_NONE || e->end > sl->cov_end)
		sl->cov_end = e->end;
	recount(sl);
	db->bytes += sl->bytes - before;
	sl->gen++;
	sl->last_use = ++db->clock;
	if (db->bytes > db->lim.max_bytes)
		evict(db, sl);
}

/* Drop least recently used slots (never `keep`) until under the limit. */
static void
evict(struct seriesdb *db, const struct sslot *keep)
{
	while (db->bytes > db->lim.max_bytes) {
		struct slotlist *best_l = NULL;
		size_t best_i = 0, it = 0;
		int64_t best = INT64_MAX;
		const char *k;
		void *v;

		while (hmap_next(&db->keys, &it, &k, &v)) {
			struct slotlist *l = v;
			for (size_t i = 0; i < l->n; i++)
				if (l->v[i] != keep && l->v[i]->last_use < best) {
					best = l->v[i]->last_use;
					best_l = l;
					best_i = i;
				}
		}
		if (!best_l)
			return;
		struct sslot *sl = best_l->v[best_i];
		for (size_t i = 0; i < sl->n; i++)
			db->dropped += sl->s[i]->n;
		db->bytes -= sl->bytes;
		slot_free(sl);
		best_l->v[best_i] = best_l->v[--best_l->n];
	}
}

const struct sslot *
seriesdb_get(struct seriesdb *db, const char *key, tns step)
{
	struct slotlist *l = hmap_get(&db->keys, key);
	struct sslot *best = NULL;
	double bestd = INFINITY;

	if (!l)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		struct sslot *sl = l->v[i];
		double d;
		if ((step == 0) != (sl->step == 0))
			continue;
		if (sl->step == step) {
			best = sl;
			break;
		}
		d = fabs(log((double)sl->step / (double)step));
		/* on a tie the finer resolution: it resamples better */
		if (d < bestd || (d == bestd && best && sl->step < best->step)) {
			bestd = d;
			best = sl;
		}
	}
	if (best)
		best->last_use = ++db->clock;
	return best;
}

uint64_t
seriesdb_dropped(const struct seriesdb *db)
{
	return db->dropped;
}

size_t
seriesdb_bytes(const struct seriesdb *db)
{
	return db->bytes;
}

tns
sslot_eval_at(const struct sslot *sl, tns at)
{
	size_t lo = 0, hi = sl->nevals;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sl->evals[mid] <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? sl->evals[lo - 1] : TNS_NONE;
}

/* ---------------------------------------------------------------- digest */

static uint64_t
slot_digest(const struct sslot *sl, tns at)
{
	uint64_t h = digest_str(0, sl->key), sum = 0;
	int any = sl->nevals && sl->evals[0] <= at;

	for (size_t i = 0; i < sl->n && !any; i++)
		any = sl->s[i]->n && sl->s[i]->t[0] <= at;
	if (!any)
		return 0;	/* nothing as of `at` */
	h = digest_u64(h, (uint64_t)sl->step);
	h = digest_u64(h, (uint64_t)sl->rt);
	for (size_t i = 0; i < sl->nevals && sl->evals[i] <= at; i++)
		h = digest_u64(h, (uint64_t)sl->evals[i]);
	for (size_t i = 0; i < sl->n; i++) {
		const struct series *s = sl->s[i];
		uint64_t d = digest_u64(0, s->labels.hash);
		d = digest_str(d, s->text);
		for (size_t k = 0; k < s->n && s->t[k] <= at; k++) {
			d = digest_u64(d, (uint64_t)s->t[k]);
			d = digest_f64(d, s->v[k]);
		}
		sum += d;	/* series order inside a slot does not matter */
	}
	return digest_u64(h, sum);
}

uint64_t
seriesdb_digest(const struct seriesdb *db, tns at)
{
	size_t it = 0;
	const char *k;
	void *v;
	uint64_t sum = 0;

	while (hmap_next(&db->keys, &it, &k, &v)) {
		const struct slotlist *l = v;
		for (size_t i = 0; i < l->n; i++)
			sum += slot_digest(l->v[i], at);
	}
	return sum;
}
