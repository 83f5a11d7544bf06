/* Unit tests: filter masks (incremental, toggles without re-reading,
 * background backfill, limits) and the merged multi-key timeline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/logline.h"
#include "core/logs.h"
#include "core/logstore.h"
#include "widgets/logfilter.h"
#include "widgets/logview.h"
#include "tests/unit/t.h"

static void
put(struct logstore *ls, const char *key, const char *app, tns t0, int n, const char *pre,
    const char *post)
{
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	struct labelset l;
	uint32_t s;
	char line[200];

	labels_init(&l);
	labels_set(&l, "app", app);
	s = ev_logs_stream(e, &l);
	for (int i = 0; i < n; i++) {
		snprintf(line, sizeof line, "%s%d%s", pre, (int)(t0 + i), post);
		ev_logs_add(e, t0 + i, s, line, strlen(line));
	}
	logstore_apply(ls, key, e);
	ev_logs_free(e);
}

static int
shown_count(struct lfset *fs, const struct logbuf *b)
{
	int n = 0;
	for (size_t p = 0; p < logbuf_len(b); p++)
		n += lfset_pass(fs, 0, logbuf_seq(b, p), NULL, NULL) == 1;
	return n;
}

TEST(logfilter_include_exclude_toggle)
{
	struct logstore *ls = logstore_new(0);
	struct lfset fs;
	const struct logbuf *b;
	int64_t budget = 1000000;
	char *err = NULL;

	put(ls, "k", "a", 0, 100, "level=info n=", "");
	put(ls, "k", "a", 100, 100, "level=error upstream n=", "");
	b = logstore_get(ls, "k");
	lfset_init(&fs);
	lfset_bind(&fs, 0, "k");
	CHECK_INT(lfset_add(&fs, "upstream", 0, &err), 0);
	CHECK_INT(lfset_update(&fs, 0, b, &budget), 0);
	CHECK_INT(shown_count(&fs, b), 100);
	CHECK_INT(lfset_add(&fs, "n=15[0-9]", 1, &err), 1);	/* exclude 150..159 */
	budget = 1000000;
	lfset_update(&fs, 0, b, &budget);
	CHECK_INT(shown_count(&fs, b), 90);
	/* toggling changes the verdict without computing anything */
	lfset_toggle(&fs, 0);
	CHECK_INT(shown_count(&fs, b), 190);
	lfset_toggle(&fs, 1);
	CHECK_INT(shown_count(&fs, b), 200);
	lfset_toggle(&fs, 0);
	CHECK_INT(shown_count(&fs, b), 100);
	CHECK_INT(lfset_count(&fs), 2);
	lfset_remove(&fs, lfset_newest(&fs));
	CHECK_INT(lfset_count(&fs), 1);
	CHECK_INT(lfset_add(&fs, "(", 0, &err), -1);
	CHECK_CONTAINS(err, "offset");
	free(err);
	lfset_free(&fs);
	logstore_free(ls);
}

TEST(logfilter_new_lines_only_and_backfill)
{
	struct logstore *ls = logstore_new(0);
	struct lfset fs;
	const struct logbuf *b;
	int64_t budget = 1000000;
	char *err = NULL;

	put(ls, "k", "a", 0, 5000, "line ", " foo");
	b = logstore_get(ls, "k");
	lfset_init(&fs);
	lfset_bind(&fs, 0, "k");
	lfset_add(&fs, "foo", 0, &err);
	while (lfset_update(&fs, 0, b, &budget))
		budget = 1000000;
	CHECK(lfset_progress(&fs, 0, b) >= 1.0);
	/* new lines: computed up to the newest; older bits stay valid */
	put(ls, "k", "a", 5000, 10, "line ", " bar");
	CHECK_INT(lfset_pass(&fs, 0, logbuf_seq(b, 5005), NULL, NULL), -1);	/* not yet */
	budget = 1000000;
	lfset_update(&fs, 0, b, &budget);
	CHECK_INT(lfset_pass(&fs, 0, logbuf_seq(b, 5005), NULL, NULL), 0);
	CHECK_INT(lfset_pass(&fs, 0, logbuf_seq(b, 10), NULL, NULL), 1);
	/* a pattern added later is filled in for the old lines, newest first,
	 * within the budget */
	lfset_search(&fs, "line 1", &err);
	budget = 1;	/* almost nothing */
	CHECK_INT(lfset_update(&fs, 0, b, &budget), 1);
	CHECK(lfset_progress(&fs, 0, b) < 1.0);
	while (budget = 1000000, lfset_update(&fs, 0, b, &budget))
		;
	{
		int hit;
		lfset_pass(&fs, 0, logbuf_seq(b, 1), &hit, NULL);
		CHECK_INT(hit, 1);
		lfset_pass(&fs, 0, logbuf_seq(b, 2), &hit, NULL);
		CHECK_INT(hit, 0);
	}
	lfset_free(&fs);
	logstore_free(ls);
}

static int
known_count(struct lfset *fs, const struct logbuf *b)
{
	int n = 0;
	for (size_t p = 0; p < logbuf_len(b); p++)
		n += lfset_pass(fs, 0, logbuf_seq(b, p), NULL, NULL) != -1;
	return n;
}

/* A line costs up to ~0.5 ms when a pattern runs into its match limit:
 * out of budget, an update stops within a few lines (it went on for 256
 * new lines, or a 4096-line backfill chunk, which froze the screen for
 * seconds under a catastrophic filter: bench/ROBUSTNESS.md T11). */
TEST(logfilter_yields_within_a_few_lines)
{
	struct logstore *ls = logstore_new(0);
	struct lfset fs;
	const struct logbuf *b;
	int64_t budget = 0;
	char *err = NULL;
	int k0, k1;

	put(ls, "k", "a", 0, 1000, "aaaaaaaaaaaaaaaaaaaaaaaaa", "!");
	b = logstore_get(ls, "k");
	lfset_init(&fs);
	lfset_bind(&fs, 0, "k");
	CHECK(lfset_add(&fs, "^(a|aa)+$", 0, &err) >= 0);
	CHECK_INT(lfset_update(&fs, 0, b, &budget), 1);
	k0 = known_count(&fs, b);
	CHECK(k0 > 0 && k0 <= 32);
	/* a second pattern over the same lines: the backfill, newest first */
	CHECK(lfset_add(&fs, "^(a+)+$", 0, &err) >= 0);
	while (budget = 1000000000, lfset_update(&fs, 0, b, &budget))
		;
	CHECK_INT(known_count(&fs, b), 1000);
	CHECK(lfset_add(&fs, "^(a*)*$", 0, &err) >= 0);
	budget = 0;
	CHECK_INT(lfset_update(&fs, 0, b, &budget), 1);
	k1 = known_count(&fs, b);
	CHECK(k1 > 0 && k1 <= 32);
	lfset_free(&fs);
	logstore_free(ls);
}

TEST(logfilter_limit_hit_is_per_line)
{
	struct logstore *ls = logstore_new(0);
	struct lfset fs;
	const struct logbuf *b;
	int64_t budget = 10000000;
	char *err = NULL;
	int limit;

	put(ls, "k", "a", 0, 1, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa! ", "");
	put(ls, "k", "a", 1, 1, "fine ", "");
	b = logstore_get(ls, "k");
	lfset_init(&fs);
	lfset_bind(&fs, 0, "k");
	CHECK(lfset_add(&fs, "^(a|aa)+$", 0, &err) >= 0);
	lfset_update(&fs, 0, b, &budget);
	lfset_pass(&fs, 0, logbuf_seq(b, 0), NULL, &limit);
	CHECK_INT(limit, 1);
	lfset_pass(&fs, 0, logbuf_seq(b, 1), NULL, &limit);
	CHECK_INT(limit, 0);
	CHECK_INT(fs.limit_lines, 1);
	/* a second pattern hitting its limit on the same line: still one line */
	CHECK(lfset_add(&fs, "^(a+)+$", 0, &err) >= 0);
	lfset_update(&fs, 0, b, &budget);
	CHECK_INT(fs.limit_lines, 1);
	/* the marks follow the patterns in use: removing one keeps the
	 * other's mark, removing both leaves no mark and no count */
	lfset_remove(&fs, lfset_newest(&fs));
	lfset_update(&fs, 0, b, &budget);
	lfset_pass(&fs, 0, logbuf_seq(b, 0), NULL, &limit);
	CHECK_INT(limit, 1);
	CHECK_INT(fs.limit_lines, 1);
	lfset_remove(&fs, lfset_newest(&fs));
	lfset_update(&fs, 0, b, &budget);
	lfset_pass(&fs, 0, logbuf_seq(b, 0), NULL, &limit);
	CHECK_INT(limit, 0);
	CHECK_INT(fs.limit_lines, 0);
	/* the search pattern likewise */
	CHECK_INT(lfset_search(&fs, "(a|aa)+$", &err), 0);
	lfset_update(&fs, 0, b, &budget);
	CHECK_INT(fs.limit_lines, 1);
	CHECK_INT(lfset_search(&fs, NULL, &err), 0);
	lfset_pass(&fs, 0, logbuf_seq(b, 0), NULL, &limit);
	CHECK_INT(limit, 0);
	CHECK_INT(fs.limit_lines, 0);
	lfset_free(&fs);
	logstore_free(ls);
}

TEST(logview_merges_keys_in_time_order)
{
	struct logstore *ls = logstore_new(0);
	struct logview v;
	struct mcur c;
	struct lline l;
	tns prev = -1;
	int n = 0, k0 = 0, k1 = 0;

	put(ls, "a", "a", 0, 50, "a ", "");	/* times 0..49 */
	put(ls, "b", "b", 25, 50, "b ", "");	/* times 25..74 */
	memset(&v, 0, sizeof v);
	v.nk = 2;
	v.b[0] = logstore_get(ls, "a");
	v.b[1] = logstore_get(ls, "b");
	v.until = TNS_NONE;
	lv_begin(&v, &c);
	while (lv_next(&v, &c, &l)) {
		CHECK(l.r->t >= prev);
		prev = l.r->t;
		n++;
		k0 += l.k == 0;
		k1 += l.k == 1;
	}
	CHECK_INT(n, 100);
	CHECK_INT(k0, 50);
	CHECK_INT(k1, 50);
	/* and backwards from the end */
	lv_end(&v, &c);
	n = 0;
	prev = 1000;
	while (lv_prev(&v, &c, &l)) {
		CHECK(l.r->t <= prev);
		prev = l.r->t;
		n++;
	}
	CHECK_INT(n, 100);
	/* a cursor at a line: the next line is that line */
	{
		const struct logbuf *b = v.b[1];
		uint64_t seq = logbuf_seq(b, 10);
		lv_cursor_at(&v, 1, logbuf_time(b, 10), seq, &c);
		CHECK(lv_next(&v, &c, &l));
		CHECK_INT(l.k, 1);
		CHECK_INT(l.seq, seq);
	}
	/* until hides lines after the window end */
	v.until = 30;
	lv_end(&v, &c);
	CHECK(lv_prev_shown(&v, &c, &l, 0));
	CHECK_INT(l.r->t, 30);
	logstore_free(ls);
}

TEST(logview_level_threshold)
{
	struct logstore *ls = logstore_new(0);
	struct logview v;
	struct mcur c;
	struct lline l;
	int n = 0;

	put(ls, "a", "a", 0, 10, "level=info ", "");
	put(ls, "a", "a", 10, 3, "level=error ", "");
	put(ls, "a", "a", 13, 2, "no level here ", "");
	memset(&v, 0, sizeof v);
	v.nk = 1;
	v.b[0] = logstore_get(ls, "a");
	v.until = TNS_NONE;
	v.level_min = LV_ERROR;
	lv_begin(&v, &c);
	while (lv_next_shown(&v, &c, &l, 0))
		n++;
	CHECK_INT(n, 3);
	logstore_free(ls);
}
