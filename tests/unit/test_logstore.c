/* Unit tests: EV_LOGS batches, their codec, and the log store
 * (ordering, de-duplication, eviction, flags, seq walks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/logline.h"
#include "core/logs.h"
#include "core/logstore.h"
#include "core/store.h"
#include "tests/unit/t.h"

#define KEY	"loki\x1flogs\x1f{app=\"order\"}"

static uint32_t
stream(struct ev_logs *e, const char *pod)
{
	struct labelset ls;
	labels_init(&ls);
	labels_set(&ls, "app", "order");
	labels_set(&ls, "pod", pod);
	return ev_logs_stream(e, &ls);
}

static void
add(struct ev_logs *e, uint32_t s, tns t, const char *line)
{
	ev_logs_add(e, t, s, line, strlen(line));
}

/* The held lines in time order as "t:line|t:line|..." */
static char *
dump(const struct logbuf *b)
{
	static char out[65536];
	size_t o = 0;

	out[0] = 0;
	for (size_t p = 0; b && p < logbuf_len(b) && o < sizeof out - 200; p++) {
		const char *text;
		const struct lrec *r = logbuf_get(b, logbuf_seq(b, p), &text);
		if (LREC_FLAGS(r) & LR_GAP)
			o += (size_t)snprintf(out + o, sizeof out - o, "%lld:GAP%llu|", (long long)r->t,
			    (unsigned long long)logbuf_gap(b, r->stream)->count);
		else
			o += (size_t)snprintf(out + o, sizeof out - o, "%lld:%.*s|", (long long)r->t,
			    (int)LREC_LEN(r), text);
	}
	return out;
}

TEST(logs_sort_merges_backward_streams)
{
	struct ev_logs *e = ev_logs_new(LO_HISTORY);
	uint32_t a = stream(e, "a"), b = stream(e, "b");

	/* query_range backward: each stream newest first, streams not interleaved */
	add(e, a, 50, "a50"); add(e, a, 30, "a30"); add(e, a, 10, "a10");
	add(e, b, 40, "b40"); add(e, b, 20, "b20"); add(e, b, 20, "b20");	/* exact dup */
	CHECK_INT(ev_logs_sort(e), 1);
	CHECK_INT(e->n, 5);
	for (size_t i = 1; i < e->n; i++)
		CHECK(e->e[i - 1].t <= e->e[i].t);
	CHECK_INT(e->e[0].t, 10);
	CHECK_INT(e->e[4].t, 50);
	CHECK_INT(ev_logs_newest(e), 50);
	CHECK_INT(ev_logs_oldest(e), 10);
	ev_logs_free(e);
}

TEST(logs_stream_dedup_within_batch)
{
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	CHECK_INT(stream(e, "a"), 0);
	CHECK_INT(stream(e, "b"), 1);
	CHECK_INT(stream(e, "a"), 0);
	CHECK_INT(e->nstreams, 2);
	ev_logs_free(e);
}

TEST(logs_codec_roundtrip)
{
	struct ev_logs *e = ev_logs_new(LO_HISTORY);
	uint32_t a = stream(e, "a");
	struct event *ev, *back;
	struct buf b;
	struct rd r;
	char *err = NULL;
	struct ev_logs *d;

	e->start = 100;
	e->end = 200;
	e->complete = 1;
	add(e, a, 150, "level=error msg=\"\x1b[31mx\"");
	add(e, a, 160, "second");
	e->e[1].flags |= LE_CUT;
	ev_logs_gap(e, 155, 158, 37, GAP_DROPPED);
	ev = event_new(EV_LOGS, 1, KEY, e);
	buf_init(&b, 1 << 20);
	CHECK_INT(event_encode(ev, &b), 0);
	rd_init(&r, b.data, b.len);
	back = event_decode(&r, &err);
	REQUIRE(back != NULL);
	d = back->p;
	CHECK_INT(d->origin, LO_HISTORY);
	CHECK_INT(d->start, 100);
	CHECK_INT(d->complete, 1);
	CHECK_INT(d->n, 2);
	CHECK_INT(d->e[1].t, 160);
	CHECK(d->e[1].flags & LE_CUT);
	CHECK(d->e[0].len == strlen("level=error msg=\"\x1b[31mx\"") &&
	    memcmp(d->text + d->e[0].off, "level=error", 11) == 0);
	CHECK_STR(labels_get(&d->streams[0], "pod"), "a");
	CHECK_INT(d->ngaps, 1);
	CHECK_INT(d->gaps[0].count, 37);
	CHECK_INT(d->gaps[0].until, 158);
	/* every truncation point of the encoding fails cleanly */
	for (size_t cut = 0; cut < b.len; cut++) {
		struct event *x;
		rd_init(&r, b.data, cut);
		err = NULL;
		x = event_decode(&r, &err);
		CHECK(x == NULL);
		free(err);
	}
	event_free(ev);
	event_free(back);
	buf_free(&b);
}

TEST(logstore_append_merge_dedup)
{
	struct logstore *ls = logstore_new(0);
	struct ev_logs *e = ev_logs_new(LO_HISTORY);
	uint32_t a = stream(e, "a");
	const struct logbuf *b;

	add(e, a, 30, "x30"); add(e, a, 20, "x20"); add(e, a, 10, "x10");
	CHECK_INT(logstore_apply(ls, KEY, e), 3);
	ev_logs_free(e);
	b = logstore_get(ls, KEY);
	CHECK_STR(dump(b), "10:x10|20:x20|30:x30|");

	/* a tail frame that repeats the boundary line (resume from last ts) */
	e = ev_logs_new(LO_TAIL);
	a = stream(e, "a");
	add(e, a, 30, "x30"); add(e, a, 40, "x40");
	CHECK_INT(logstore_apply(ls, KEY, e), 1);
	ev_logs_free(e);
	CHECK_STR(dump(b), "10:x10|20:x20|30:x30|40:x40|");

	/* same ns, same text, other stream: a different line */
	e = ev_logs_new(LO_TAIL);
	add(e, stream(e, "b"), 30, "x30");
	add(e, stream(e, "a"), 30, "x30b");	/* same stream and ns, other text */
	CHECK_INT(logstore_apply(ls, KEY, e), 2);
	ev_logs_free(e);
	CHECK_INT(logbuf_len(b), 6);

	/* a gap fill in the middle, overlapping both sides */
	e = ev_logs_new(LO_FILL);
	a = stream(e, "a");
	add(e, a, 20, "x20"); add(e, a, 25, "x25"); add(e, a, 35, "x35"); add(e, a, 40, "x40");
	CHECK_INT(logstore_apply(ls, KEY, e), 2);
	ev_logs_free(e);
	CHECK_INT(logbuf_len(b), 8);
	for (size_t p = 1; p < logbuf_len(b); p++)
		CHECK(logbuf_time(b, p - 1) <= logbuf_time(b, p));

	/* an older history page goes in front */
	e = ev_logs_new(LO_HISTORY);
	a = stream(e, "a");
	add(e, a, 5, "x05"); add(e, a, 1, "x01");
	CHECK_INT(logstore_apply(ls, KEY, e), 2);
	ev_logs_free(e);
	CHECK_INT(logbuf_time(b, 0), 1);
	CHECK_INT(logbuf_time(b, 1), 5);
	CHECK_INT(logbuf_len(b), 10);
	CHECK_INT(logbuf_find(b, 40, logbuf_seq(b, 9)), 9);
	CHECK_INT(logbuf_lower_bound(b, 26), 5);
	logstore_free(ls);
}

TEST(logstore_flags_level_and_cut)
{
	struct logstore *ls = logstore_new(0);
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	uint32_t a = stream(e, "a");
	char *big = malloc(LOGS_LINE_MAX + 100);
	const struct logbuf *b;
	const struct lrec *r;
	const char *text;

	memset(big, 'x', LOGS_LINE_MAX + 100);
	memcpy(big + LOGS_LINE_MAX - 1, "\xc3\xa9", 2);	/* é straddles the cut */
	add(e, a, 1, "level=error msg=boom");
	add(e, a, 2, "bad \xff utf");
	ev_logs_add(e, 3, a, big, LOGS_LINE_MAX + 100);
	logstore_apply(ls, KEY, e);
	ev_logs_free(e);
	b = logstore_get(ls, KEY);
	r = logbuf_get(b, logbuf_seq(b, 0), &text);
	CHECK_INT(LREC_LEVEL(r), LV_ERROR);
	CHECK(!(LREC_FLAGS(r) & LR_BADUTF));
	r = logbuf_get(b, logbuf_seq(b, 1), &text);
	CHECK(LREC_FLAGS(r) & LR_BADUTF);
	r = logbuf_get(b, logbuf_seq(b, 2), &text);
	CHECK(LREC_FLAGS(r) & LR_CUT);
	CHECK_INT(LREC_LEN(r), LOGS_LINE_MAX - 1);	/* cut before the split character */
	CHECK(!(LREC_FLAGS(r) & LR_BADUTF));
	free(big);
	logstore_free(ls);
}

TEST(logstore_gap_markers)
{
	struct logstore *ls = logstore_new(0);
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	uint32_t a = stream(e, "a");

	add(e, a, 10, "before");
	add(e, a, 30, "after");
	ev_logs_gap(e, 20, 25, 37, GAP_DROPPED);
	logstore_apply(ls, KEY, e);
	ev_logs_free(e);
	CHECK_STR(dump(logstore_get(ls, KEY)), "10:before|20:GAP37|30:after|");
	logstore_free(ls);
}

TEST(logstore_evicts_oldest_by_bytes_and_counts)
{
	struct logstore *ls = logstore_new(2u << 20);
	const struct logbuf *b;
	char line[300];
	tns t = 1000;
	size_t total = 0;

	for (int batch = 0; batch < 200; batch++) {
		struct ev_logs *e = ev_logs_new(LO_TAIL);
		uint32_t a = stream(e, "a");
		for (int i = 0; i < 100; i++, t++) {
			snprintf(line, sizeof line, "level=info seq=%08lld %0250d", (long long)t, 0);
			add(e, a, t, line);
			total++;
		}
		logstore_apply(ls, KEY, e);
		ev_logs_free(e);
		CHECK(logstore_bytes(ls) <= logstore_max(ls));
	}
	b = logstore_get(ls, KEY);
	CHECK(logbuf_evicted(b) > 0);
	CHECK_INT(logbuf_evicted(b) + logbuf_len(b), total);
	/* what is left is the newest lines, contiguous */
	CHECK_INT(logbuf_time(b, logbuf_len(b) - 1), t - 1);
	CHECK_INT(logbuf_time(b, 0), t - (tns)logbuf_len(b));
	CHECK_INT(logbuf_evicted_until(b), logbuf_time(b, 0) - 1);
	/* memory per retained line close to the raw bytes */
	CHECK(logstore_bytes(ls) < logbuf_raw_bytes(b) * 12 / 10);
	logstore_free(ls);
}

TEST(logstore_walk_by_seq_skips_evicted)
{
	struct logstore *ls = logstore_new(1u << 20);
	const struct logbuf *b;
	char line[300];
	uint64_t seq, n = 0, prev = 0;
	const char *text;

	for (int batch = 0; batch < 60; batch++) {
		struct ev_logs *e = ev_logs_new(LO_TAIL);
		uint32_t a = stream(e, "a");
		for (int i = 0; i < 100; i++) {
			snprintf(line, sizeof line, "%0280d", batch * 100 + i);
			add(e, a, batch * 100 + i, line);
		}
		logstore_apply(ls, KEY, e);
		ev_logs_free(e);
	}
	b = logstore_get(ls, KEY);
	CHECK(logbuf_min_seq(b) > 0);
	seq = 0;
	while (logbuf_walk(b, &seq, &text)) {
		CHECK(n == 0 || seq > prev);
		prev = seq;
		n++;
		seq++;
	}
	CHECK_INT(n, logbuf_len(b));
	CHECK(logbuf_get(b, 0, NULL) == NULL);	/* evicted */
	logstore_free(ls);
}

TEST(store_dispatches_logs)
{
	struct store *st = store_new(NULL);
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	struct event *ev;

	add(e, stream(e, "a"), 5, "hello");
	ev = event_new(EV_LOGS, 5, KEY, e);
	CHECK(!store_has_data(st, KEY));
	store_apply(st, ev);
	event_free(ev);
	CHECK(store_has_data(st, KEY));
	CHECK_INT(logbuf_len(store_logs(st, KEY)), 1);
	CHECK(store_logs(st, "nope") == NULL);
	store_free(st);
}

/* ------------------------------------------------ journal and views */

#define KEY2	"loki\x1flogs\x1f{app=\"payment\"}"
#define NBATCH	60

/* Batch i of a deterministic mix: tail frames moving forward, history
 * pages reaching back (overlapping what is held), fills into the middle,
 * exact duplicates, dropped-line gaps that grow, empty pages, streams
 * that appear later, and a second key that starts late. */
static struct ev_logs *
mixed_batch(int i, const char **key)
{
	static const enum logs_origin origins[] = { LO_TAIL, LO_TAIL, LO_HISTORY, LO_TAIL, LO_FILL };
	enum logs_origin o = origins[i % 5];
	struct ev_logs *e = ev_logs_new(o);
	uint32_t s[3];
	char line[64], pod[16];
	uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15ULL + 1;

	*key = i >= 20 && i % 3 == 0 ? KEY2 : KEY;
	for (int k = 0; k < 3; k++) {
		snprintf(pod, sizeof pod, "p%d", k + (i > 30 ? i / 10 : 0));
		s[k] = stream(e, pod);
	}
	if (i % 11 == 7)	/* an empty history page: only the window */
		goto window;
	for (int n = 0; n < 8; n++) {
		tns t;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if (o == LO_TAIL)
			t = 1000 + (tns)i * 100 + (tns)(x % 100);
		else if (o == LO_HISTORY)
			t = 1000 - (tns)i * 50 + (tns)(x % 400);
		else
			t = 1000 + (tns)(x % ((uint64_t)i * 100 + 1));
		snprintf(line, sizeof line, "%s line %llu", n % 3 ? "info" : "error",
		    (unsigned long long)(x % 7));	/* few texts: duplicates happen */
		add(e, s[x % 3], t, line);
	}
	if (i % 4 == 1)	/* a burst of dropped lines, reported again bigger */
		ev_logs_gap(e, 1000 + (tns)(i / 8) * 800, 1000 + (tns)(i / 8) * 800 + 50,
		    (uint64_t)i, GAP_DROPPED);
window:
	if (o == LO_HISTORY) {
		e->start = 1000 - (tns)i * 60;
		e->end = 1000 + (tns)i * 10;
		e->complete = i % 2;
	}
	return e;
}

/* Everything a reader can see of two buffers is the same. */
static void
same_buf(const struct logbuf *v, const struct logbuf *r, int at)
{
	uint64_t sv = 0, sr = 0;
	const struct lrec *a, *b;
	const char *ta, *tb;

	if (!v || !r) {
		if (!!v != !!r)
			t_fail(__FILE__, __LINE__, "at %d: view %p, reference %p", at, (void *)v, (void *)r);
		return;
	}
	CHECK_INT(logbuf_len(v), logbuf_len(r));
	CHECK_INT(logbuf_next_seq(v), logbuf_next_seq(r));
	CHECK_INT(logbuf_min_seq(v), logbuf_min_seq(r));
	CHECK_INT(logbuf_loaded_from(v), logbuf_loaded_from(r));
	CHECK_INT(logbuf_raw_bytes(v), logbuf_raw_bytes(r));
	CHECK_INT(logbuf_evicted(v), logbuf_evicted(r));
	CHECK_STR(dump(v), dump(r));
	for (size_t p = 0; p < logbuf_len(v) && p < logbuf_len(r); p++) {
		CHECK_INT(logbuf_seq(v, p), logbuf_seq(r, p));
		CHECK_INT(logbuf_lower_bound(v, logbuf_time(v, p)), logbuf_lower_bound(r, logbuf_time(r, p)));
	}
	for (uint32_t id = 0; id < 64; id++) {
		const struct labelset *x = logbuf_stream(v, id), *y = logbuf_stream(r, id);
		const struct log_gap *g = logbuf_gap(v, id), *h = logbuf_gap(r, id);
		CHECK(!x == !y && (!x || labels_equal(x, y)));
		CHECK(!g == !h && (!g || (g->t == h->t && g->until == h->until && g->count == h->count &&
		    g->kind == h->kind)));
	}
	while ((a = logbuf_walk(v, &sv, &ta)), (b = logbuf_walk(r, &sr, &tb)), a || b) {
		CHECK(a && b && sv == sr && a->t == b->t && a->lf == b->lf && a->stream == b->stream &&
		    memcmp(ta, tb, LREC_LEN(a)) == 0);
		if (!a || !b)
			break;
		sv++, sr++;
	}
}

/* The store after batches [0, upto) applied plainly. */
static struct logstore *
reference(int upto)
{
	struct logstore *ls = logstore_new(0);
	for (int i = 0; i < upto; i++) {
		const char *key;
		struct ev_logs *e = mixed_batch(i, &key);
		logstore_apply(ls, key, e);
		ev_logs_free(e);
	}
	return ls;
}

TEST(logstore_views_show_any_past_moment_exactly)
{
	struct logstore *ls = logstore_new(0), *ref;
	static const int order[] = { NBATCH, 0, 37, 5, 59, 21, 22, 1, 44, 10, 60, 30 };

	CHECK_INT(logstore_journal(ls), 0);
	for (int i = 0; i < NBATCH; i++) {	/* batch i at stamp 10 * (i + 1) */
		const char *key;
		struct ev_logs *e = mixed_batch(i, &key);
		logstore_stamp(ls, 10 * (tns)(i + 1));
		logstore_apply(ls, key, e);
		ev_logs_free(e);
	}
	/* back and forth, on stamps and between them */
	for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
		int n = order[k];
		for (int off = 0; off < 2; off++) {
			CHECK_INT(logstore_show(ls, 10 * (tns)n + off * 5), 0);
			ref = reference(n);
			same_buf(logstore_get(ls, KEY), logstore_get(ref, KEY), n);
			same_buf(logstore_get(ls, KEY2), logstore_get(ref, KEY2), n);
			logstore_free(ref);
		}
	}
	logstore_free(ls);
}

TEST(logstore_views_follow_later_applies_and_refuse_eviction)
{
	struct logstore *ls = logstore_new(0), *ref;
	const struct logbuf *v;
	uint64_t gen;
	char line[300];

	CHECK_INT(logstore_journal(ls), 0);
	for (int i = 0; i < 30; i++) {
		const char *key;
		struct ev_logs *e = mixed_batch(i, &key);
		logstore_stamp(ls, 10 * (tns)(i + 1));
		logstore_apply(ls, key, e);
		ev_logs_free(e);
	}
	CHECK_INT(logstore_show(ls, 150), 0);
	v = logstore_get(ls, KEY);
	gen = logbuf_gen(v);
	CHECK_INT(logstore_show(ls, 155), 0);	/* nothing new by then: same view */
	CHECK(logstore_get(ls, KEY) == v && logbuf_gen(v) == gen);
	for (int i = 30; i < NBATCH; i++) {	/* later applies: the view stays at 150 */
		const char *key;
		struct ev_logs *e = mixed_batch(i, &key);
		logstore_stamp(ls, 10 * (tns)(i + 1));
		logstore_apply(ls, key, e);
		ev_logs_free(e);
	}
	ref = reference(15);
	same_buf(logstore_get(ls, KEY), logstore_get(ref, KEY), 15);
	same_buf(logstore_get(ls, KEY2), logstore_get(ref, KEY2), 15);
	logstore_free(ref);
	CHECK_INT(logstore_show(ls, 10 * NBATCH), 0);
	CHECK(logbuf_gen(logstore_get(ls, KEY)) > gen);
	ref = reference(NBATCH);
	same_buf(logstore_get(ls, KEY), logstore_get(ref, KEY), NBATCH);
	logstore_free(ref);
	logstore_free(ls);

	/* a journal is for an empty store; no journal, no views */
	ls = logstore_new(0);
	CHECK_INT(logstore_show(ls, 0), -1);
	{
		const char *key;
		struct ev_logs *e = mixed_batch(0, &key);
		logstore_apply(ls, key, e);
		ev_logs_free(e);
	}
	CHECK_INT(logstore_journal(ls), -1);
	logstore_free(ls);

	/* views need every line: once something is evicted they are off */
	ls = logstore_new(1u << 20);
	CHECK_INT(logstore_journal(ls), 0);
	CHECK_INT(logstore_show(ls, 0), 0);
	for (int batch = 0; batch < 60; batch++) {
		struct ev_logs *e = ev_logs_new(LO_TAIL);
		uint32_t a = stream(e, "a");
		for (int i = 0; i < 100; i++) {
			snprintf(line, sizeof line, "%0280d", batch * 100 + i);
			add(e, a, batch * 100 + i, line);
		}
		logstore_stamp(ls, batch);
		logstore_apply(ls, KEY, e);
		ev_logs_free(e);
	}
	CHECK(logstore_evicted(ls) > 0);
	CHECK_INT(logstore_show(ls, 10), -1);
	v = logstore_get(ls, KEY);	/* the buffer itself again, as it is */
	CHECK(v && logbuf_evicted(v) > 0 && logbuf_time(v, logbuf_len(v) - 1) == 5999);
	logstore_free(ls);
}
