/* Unit tests: the store — series merge by window and gaps, resolutions,
 * caps and eviction, instant evaluations, status history as of T, the
 * event codec used by recordings. */
#include <stdio.h>
#include <stdlib.h>

#include "core/event.h"
#include "core/series.h"
#include "core/status.h"
#include "core/store.h"
#include "tests/unit/t.h"

#define S(x)	((tns)(x) * NS_PER_S)

/* A matrix answer for [a, b] step st: series "s=name" with the given
 * values at a, a+st, ... (NaN = no point there). */
static struct ev_series *
answer(tns a, tns b, tns st)
{
	return ev_series_new(RT_MATRIX, a, b, st);
}

static void
add(struct ev_series *e, const char *name, tns a, tns st, const double *v, size_t n)
{
	struct ev_series_one *s = ev_series_add(e);
	labels_set(&s->labels, "s", name);
	labels_finish(&s->labels);
	for (size_t i = 0; i < n; i++)
		ev_series_point(s, a + (tns)i * st, v[i]);
}

static const struct series *
find(const struct sslot *sl, const char *name)
{
	for (size_t i = 0; sl && i < sl->n; i++)
		if (strcmp(labels_get(&sl->s[i]->labels, "s"), name) == 0)
			return sl->s[i];
	return NULL;
}

static void
apply(struct seriesdb *db, const char *key, struct ev_series *e)
{
	seriesdb_apply(db, key, e);
	ev_series_free(e);
}

TEST(series_merge_by_window)
{
	struct series_limits lim = { 0, 0 };
	struct seriesdb *db = seriesdb_new(&lim);
	static const double one[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	static const double two[] = { 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160 };
	struct ev_series *e;
	const struct sslot *sl;
	const struct series *a, *b;

	/* first poll: [0, 100] */
	e = answer(S(0), S(100), S(10));
	add(e, "a", S(0), S(10), one, 11);
	add(e, "b", S(0), S(10), one, 11);
	apply(db, "k", e);
	/* second poll: [50, 150]; "b" is absent from the answer */
	e = answer(S(50), S(150), S(10));
	add(e, "a", S(50), S(10), two, 11);
	apply(db, "k", e);
	sl = seriesdb_get(db, "k", S(10));
	REQUIRE(sl != NULL);
	CHECK_INT(sl->n, 2);
	CHECK_INT(sl->cov_start, S(0));
	CHECK_INT(sl->cov_end, S(150));
	a = find(sl, "a");
	b = find(sl, "b");
	CHECK(a && b);
	if (!a || !b)
		return;
	/* a: the old points before the window, the new ones inside it, no duplicates */
	CHECK_INT(a->n, 16);
	for (size_t i = 1; i < a->n; i++)
		CHECK(a->t[i] > a->t[i - 1]);
	CHECK(a->t[4] == S(40) && a->v[4] == 5);
	CHECK(a->t[5] == S(50) && a->v[5] == 60);		/* replaced */
	CHECK(a->t[15] == S(150) && a->v[15] == 160);
	/* b: kept before the window, a gap inside it (never zeros) */
	CHECK_INT(b->n, 5);
	CHECK(b->t[4] == S(40));
	{
		double v;
		tns t;
		CHECK_INT(series_value_at(b, S(120), -1, &v, &t), 0);
		CHECK(t == S(40) && v == 5);			/* last real point */
		CHECK_INT(series_value_at(b, S(120), S(30), &v, &t), -1);	/* too old */
		CHECK_INT(series_value_at(a, S(55), S(30), &v, &t), 0);
		CHECK(t == S(50) && v == 60);
		CHECK_INT(series_value_at(a, S(-1), -1, &v, &t), -1);
	}
	seriesdb_free(db);
}

TEST(series_nan_and_unsorted_points)
{
	struct series_limits lim = { 0, 0 };
	struct seriesdb *db = seriesdb_new(&lim);
	struct ev_series *e = answer(S(0), S(40), S(10));
	struct ev_series_one *s = ev_series_add(e);
	const struct series *a;

	labels_set(&s->labels, "s", "a");
	labels_finish(&s->labels);
	ev_series_point(s, S(30), 3);
	ev_series_point(s, S(10), 1);
	ev_series_point(s, S(20), NAN);
	ev_series_point(s, S(10), 1.5);	/* duplicate time: the later value wins */
	ev_series_point(s, S(0), 0);
	apply(db, "k", e);
	a = find(seriesdb_get(db, "k", S(10)), "a");
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK_INT(a->n, 4);
	CHECK(a->t[0] == S(0) && a->t[1] == S(10) && a->t[2] == S(20) && a->t[3] == S(30));
	CHECK(a->v[1] == 1.5);
	CHECK(isnan(a->v[2]));			/* NaN stays NaN: a gap, not a zero */
	seriesdb_free(db);
}

TEST(series_resolutions_are_separate)
{
	struct series_limits lim = { 0, 0 };
	struct seriesdb *db = seriesdb_new(&lim);
	static const double v[] = { 1, 2 };
	struct ev_series *e;

	e = answer(S(0), S(60), S(60));
	add(e, "a", S(0), S(60), v, 2);
	apply(db, "k", e);
	e = answer(S(0), S(15), S(15));
	add(e, "a", S(0), S(15), v, 2);
	apply(db, "k", e);
	CHECK_INT(seriesdb_get(db, "k", S(60))->step, S(60));
	CHECK_INT(seriesdb_get(db, "k", S(15))->step, S(15));
	/* a step never fetched: the nearest one (replay at another size) */
	CHECK_INT(seriesdb_get(db, "k", S(30))->step, S(15));
	CHECK_INT(seriesdb_get(db, "k", S(45))->step, S(60));
	CHECK_INT(seriesdb_get(db, "k", S(3600))->step, S(60));
	CHECK(seriesdb_get(db, "k", 0) == NULL);	/* no instant slot */
	CHECK(seriesdb_get(db, "other", S(60)) == NULL);
	seriesdb_free(db);
}

TEST(series_point_cap_counts_drops)
{
	struct series_limits lim = { 100, 0 };
	struct seriesdb *db = seriesdb_new(&lim);
	double v[150];
	struct ev_series *e = answer(S(0), S(149), S(1));
	const struct series *a;

	for (int i = 0; i < 150; i++)
		v[i] = i;
	add(e, "a", S(0), S(1), v, 150);
	apply(db, "k", e);
	a = find(seriesdb_get(db, "k", S(1)), "a");
	CHECK(a && a->n == 100);
	CHECK(a && a->t[0] == S(50));		/* the oldest went */
	CHECK(a && a->dropped == 50);
	CHECK_INT(seriesdb_dropped(db), 50);
	seriesdb_free(db);
}

/* Many series in one answer (a hostile or careless query): each poll
 * finds every series it already holds (no duplicate), however many, and
 * the series missing from a later answer get a gap.  The store indexes
 * series by label hash; it was a linear search per series (1,000,000
 * series took hours, bench/ROBUSTNESS.md T7). */
TEST(series_many_in_one_answer)
{
	struct series_limits lim = { 0, 1u << 30 };
	struct seriesdb *db = seriesdb_new(&lim);
	enum { N = 20000 };
	char name[16];
	struct ev_series *e;
	const struct sslot *sl;
	size_t twice = 0, gaps = 0;

	for (int poll = 0; poll < 3; poll++) {
		e = answer(S(poll * 10), S(poll * 10 + 10), S(10));
		for (int i = 0; i < N; i++) {
			double v[2] = { i, poll };
			if (poll == 2 && i % 2)
				continue;	/* half the series are gone */
			snprintf(name, sizeof name, "s%d", i);
			add(e, name, S(poll * 10), S(10), v, 2);
		}
		apply(db, "k", e);
	}
	sl = seriesdb_get(db, "k", S(10));
	CHECK(sl != NULL);
	if (!sl)
		return;
	CHECK_INT(sl->n, N);
	for (size_t i = 0; i < sl->n; i++) {
		const struct series *s = sl->s[i];
		int k = (int)strtol(labels_get(&s->labels, "s") + 1, NULL, 10);
		twice += s->n != (k % 2 ? 2 : 4);	/* 0 10 20 30, or 0 10 and a gap */
		gaps += k % 2 && s->t[s->n - 1] != S(10);
	}
	CHECK_INT(twice, 0);
	CHECK_INT(gaps, 0);
	CHECK(find(sl, "s19999") && find(sl, "s0") && !find(sl, "s20000"));
	seriesdb_free(db);
}

TEST(series_byte_cap_evicts_least_recently_used)
{
	struct series_limits lim = { 0, 64 * 1024 };
	struct seriesdb *db = seriesdb_new(&lim);
	double v[1000];
	char key[16];

	for (int i = 0; i < 1000; i++)
		v[i] = i;
	for (int k = 0; k < 20; k++) {
		struct ev_series *e = answer(S(0), S(999), S(1));
		snprintf(key, sizeof key, "k%d", k);
		add(e, "a", S(0), S(1), v, 1000);
		apply(db, key, e);
		seriesdb_get(db, "k0", S(1));	/* keep k0 in use */
		CHECK(seriesdb_bytes(db) <= 64 * 1024);
	}
	CHECK(seriesdb_get(db, "k0", S(1)) != NULL);
	CHECK(seriesdb_get(db, "k19", S(1)) != NULL);
	CHECK(seriesdb_get(db, "k1", S(1)) == NULL);
	CHECK(seriesdb_dropped(db) > 0);
	seriesdb_free(db);
}

TEST(series_instant_evaluations)
{
	struct series_limits lim = { 0, 0 };
	struct seriesdb *db = seriesdb_new(&lim);
	static const double v[] = { 7 };
	const struct sslot *sl;

	for (int i = 1; i <= 3; i++) {
		struct ev_series *e = ev_series_new(RT_VECTOR, S(i * 100), S(i * 100), 0);
		add(e, "a", S(i * 100), 0, v, 1);
		apply(db, "k", e);
	}
	sl = seriesdb_get(db, "k", 0);
	CHECK(sl && sl->nevals == 3);
	CHECK(sl && sl->rt == RT_VECTOR);
	CHECK_INT(sslot_eval_at(sl, S(250)), S(200));
	CHECK_INT(sslot_eval_at(sl, S(300)), S(300));
	CHECK(sslot_eval_at(sl, S(50)) == TNS_NONE);
	seriesdb_free(db);
}

TEST(status_history_as_of)
{
	struct status_hist *h = status_hist_new(8);
	struct qview q;

	status_hist_add(h, S(10), status_new(QS_OK, NULL));
	status_hist_add(h, S(30), status_new(QS_OK, NULL));
	status_hist_add(h, S(20), status_new(QS_ERROR, "HTTP 503"));	/* out of order */
	status_hist_at(h, S(5), &q);
	CHECK_INT(q.state, QS_NONE);
	CHECK(q.last_ok == TNS_NONE);
	status_hist_at(h, S(25), &q);
	CHECK_INT(q.state, QS_ERROR);
	CHECK_INT(q.since, S(20));
	CHECK_INT(q.last_ok, S(10));
	CHECK_STR(q.last->error, "HTTP 503");
	status_hist_at(h, S(30), &q);
	CHECK_INT(q.state, QS_OK);
	CHECK_INT(q.last_ok, S(30));
	status_hist_at(NULL, S(30), &q);
	CHECK_INT(q.state, QS_NONE);
	status_hist_free(h);
}

TEST(status_history_bounded_keeps_last_ok)
{
	struct status_hist *h = status_hist_new(2);
	struct qview q;
	struct ev_status *s = status_new(QS_OK, NULL);

	s->dropped = 5;
	status_hist_add(h, S(1), s);
	status_hist_add(h, S(2), status_new(QS_ERROR, "a"));
	status_hist_add(h, S(3), status_new(QS_ERROR, "b"));	/* evicts the ok */
	status_hist_at(h, S(3), &q);
	CHECK_INT(q.state, QS_ERROR);
	CHECK_INT(q.last_ok, S(1));
	CHECK_INT(q.dropped, 5);
	status_hist_free(h);
}

TEST(status_messages_are_capped)
{
	char *big = malloc(100000);
	struct ev_status *s;

	memset(big, 'x', 99999);
	big[99999] = '\0';
	s = status_new(QS_ERROR, big);
	CHECK_INT(strlen(s->error), 16 * 1024);
	for (int i = 0; i < 100; i++)
		status_add_warning(s, "w");
	CHECK_INT(s->nwarn, 64);
	status_free(s);
	free(big);
}

TEST(store_apply_and_read)
{
	struct store *st = store_new(NULL);
	struct event_sink sink;
	struct qview q;
	uint64_t g0 = store_generation(st);
	static const double v[] = { 1, 2 };
	struct ev_series *e = answer(S(0), S(10), S(10));

	(void)sink;
	{
		struct event *ev = event_new(EV_STATUS, S(5), "k", status_new(QS_WAITING, NULL));
		store_apply(st, ev);	/* the store takes the payload; the caller frees the event */
		event_free(ev);
	}
	CHECK(store_generation(st) > g0);
	CHECK(!store_has_data(st, "k"));
	add(e, "a", S(0), S(10), v, 2);
	{
		struct event *ev = event_new(EV_SERIES, S(10), "k", e);
		store_apply(st, ev);
		event_free(ev);
	}
	CHECK(store_has_data(st, "k"));
	CHECK(store_series(st, "k", S(10)) != NULL);
	store_status(st, "k", S(6), &q);
	CHECK_INT(q.state, QS_WAITING);
	store_status(st, "nope", S(6), &q);
	CHECK_INT(q.state, QS_NONE);
	store_free(st);
}

TEST(event_codec_roundtrip)
{
	struct ev_series *e = answer(S(0), S(20), S(10));
	static const double v[] = { 1.5, NAN, -3 };
	struct event *ev, *back;
	struct buf b;
	struct rd r;
	char *err = NULL;
	struct ev_series *o;
	struct ev_status *s;

	add(e, "a", S(0), S(10), v, 3);
	ev = event_new(EV_SERIES, S(20), "src\x1frange\x1fup", e);
	buf_init(&b, 1 << 20);
	CHECK_INT(event_encode(ev, &b), 0);
	s = status_new(QS_ERROR, "boom");
	s->http = 503;
	status_add_warning(s, "partial");
	event_free(ev);
	ev = event_new(EV_STATUS, S(21), "k", s);
	CHECK_INT(event_encode(ev, &b), 0);
	event_free(ev);
	rd_init(&r, b.data, b.len);
	back = event_decode(&r, &err);
	CHECK(back && back->kind == EV_SERIES && back->t == S(20));
	if (back) {
		o = back->p;
		CHECK_STR(back->key, "src\x1frange\x1fup");
		CHECK(o->n == 1 && o->s[0].n == 3 && o->s[0].v[0] == 1.5 && isnan(o->s[0].v[1]));
		CHECK_STR(labels_get(&o->s[0].labels, "s"), "a");
		event_free(back);
	}
	back = event_decode(&r, &err);
	CHECK(back && back->kind == EV_STATUS);
	if (back) {
		s = back->p;
		CHECK(s->state == QS_ERROR && s->http == 503);
		CHECK_STR(s->error, "boom");
		CHECK_STR(s->warnings[0], "partial");
		event_free(back);
	}
	/* every truncation of the encoding is refused, never crashes */
	for (size_t cut = 0; cut < b.len; cut++) {
		rd_init(&r, b.data, cut);
		back = event_decode(&r, &err);
		if (back)
			event_free(back);
		free(err);
		err = NULL;
	}
	buf_free(&b);
}

TEST(qkey_roundtrip)
{
	char *k = qkey_make("prom", "range", "sum(up)");
	char buf[256];
	const char *s, *kind, *expr;

	CHECK_STR(k, "prom\x1frange\x1fsum(up)");
	CHECK_INT(qkey_split(k, buf, sizeof buf, &s, &kind, &expr), 0);
	CHECK_STR(s, "prom");
	CHECK_STR(kind, "range");
	CHECK_STR(expr, "sum(up)");
	free(k);
}
