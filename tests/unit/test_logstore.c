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
