/* Unit tests: tree building, repair marks, the trace window, self times
 * and the critical path (core/tracetree.c), and the pivot templates
 * (widgets/tracelink.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tracetree.h"
#include "core/xalloc.h"
#include "sources/tempo_json.h"
#include "tests/unit/t.h"
#include "widgets/tracelink.h"

#define MS	NS_PER_MS

static uint32_t
res_for(struct ev_trace *t, const char *svc)
{
	for (size_t i = 1; i < t->nres; i++)
		if (strcmp(t->res[i].service, svc) == 0)
			return (uint32_t)i;
	return ev_trace_add_res(t, svc);
}

static size_t
add(struct ev_trace *t, const char *id, const char *parent, const char *svc, const char *name,
    tns start_ms, tns dur_ms)
{
	struct span *s = ev_trace_add_span(t);

	s->span_id = arena_strdup(&t->ar, id);
	s->parent_id = arena_strdup(&t->ar, parent);
	s->name = arena_strdup(&t->ar, name);
	s->start = 1000 * NS_PER_S + start_ms * MS;
	s->dur = dur_ms * MS;
	s->res = res_for(t, svc);
	return t->n - 1;
}

/* The canonical failing checkout (STORY.md), built by hand. */
static struct ev_trace *
canonical(void)
{
	struct ev_trace *t = ev_trace_new("4bf92f3577b34da6a3ce929d0e0e4736");

	add(t, "a", "", "frontend", "POST /checkout", 0, 8600);
	add(t, "b", "a", "cart", "GetCart", 10, 35);
	add(t, "c", "a", "order", "PlaceOrder", 150, 8410);
	add(t, "d", "c", "inventory", "Reserve", 190, 20);
	add(t, "e1", "c", "payment", "Charge", 195, 2800);
	add(t, "e2", "c", "payment", "Charge", 3005, 2800);
	add(t, "e3", "c", "payment", "Charge", 5815, 2730);
	return t;
}

TEST(tracetree_canonical_shape_and_critical_path)
{
	struct ev_trace *t = canonical();
	struct tracetree tt;
	tns sum = 0;

	tracetree_build(&tt, t);
	CHECK_INT(tt.main_root, 0);
	CHECK_INT(tt.nroots, 1);
	CHECK_INT(tt.nd[4].depth, 2);
	CHECK_INT(tt.nd[0].ndesc, 6);
	CHECK_INT(tt.start, t->s[0].start);
	CHECK_INT(tt.end - tt.start, 8600 * MS);
	/* preorder: root, cart, order, inventory, charge x3 (children by start) */
	{
		static const int32_t want[] = { 0, 1, 2, 3, 4, 5, 6 };
		for (int k = 0; k < 7; k++)
			CHECK_INT(tt.pre[k], want[k]);
	}
	/* on the path: everything but inventory, which runs beside the first retry */
	CHECK(tt.nd[0].flags & TT_CRIT);
	CHECK(tt.nd[1].flags & TT_CRIT);
	CHECK(tt.nd[2].flags & TT_CRIT);
	CHECK(!(tt.nd[3].flags & TT_CRIT));
	CHECK(tt.nd[4].flags & TT_CRIT && tt.nd[5].flags & TT_CRIT && tt.nd[6].flags & TT_CRIT);
	CHECK_INT(tt.nd[4].crit, 2800 * MS);
	CHECK_INT(tt.nd[6].crit, 2730 * MS);
	CHECK_INT(tt.nd[1].crit, 35 * MS);
	/* root: [0,10) + [45,150) + [8560,8600) */
	CHECK_INT(tt.nd[0].crit, (10 + 105 + 40) * MS);
	CHECK_INT(tt.nd[0].nseg, 3);
	for (size_t i = 0; i < tt.n; i++)
		sum += tt.nd[i].crit;
	CHECK_INT(sum, 8600 * MS);
	CHECK_INT(tt.crit_total, 8600 * MS);
	/* self time: the payment retries hold the time, order almost none */
	CHECK_INT(tt.nd[4].self, 2800 * MS);
	CHECK_INT(tt.nd[2].self, (8410 - 2800 - 2800 - 2730 - 5) * MS);
	CHECK_INT(tt.nsvc, 5);
	CHECK_STR(tt.svc[tt.nd[4].svc].name, "payment");
	CHECK_INT(tt.svc[tt.nd[4].svc].spans, 3);
	CHECK_INT(tt.norphan + tt.ncycle + tt.ndup + tt.noutside + tt.nskew, 0);
	tracetree_free(&tt);
	ev_trace_free(t);
}

TEST(tracetree_from_tempo_fixture)
{
	FILE *f = fopen(t_fixture("trace/canonical_v1.json"), "rb");
	char buf[65536], *err = NULL;
	size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
	struct ev_trace *t;
	struct tracetree tt;

	if (f)
		fclose(f);
	t = tempo_parse_trace(buf, n, NULL, 0, &err);
	CHECK(t);
	if (!t)
		return;
	tracetree_build(&tt, t);
	CHECK_STR(t->s[tt.main_root].name, "POST /checkout");
	CHECK_INT(tt.crit_total, 8600 * MS);
	CHECK_INT(tt.nerr, 5);
	/* the span with the most self time belongs to the degraded service */
	{
		size_t best = 0;
		for (size_t i = 1; i < tt.n; i++)
			if (tt.nd[i].self > tt.nd[best].self)
				best = i;
		CHECK_STR(trace_span_service(t, &t->s[best]), "payment");
	}
	tracetree_free(&tt);
	ev_trace_free(t);
}

TEST(tracetree_cycles_are_cut_at_the_earliest_span)
{
	struct ev_trace *t = ev_trace_new("c0");
	struct tracetree tt;
	uint8_t seen[8] = { 0 };

	add(t, "r", "", "fe", "root", 0, 400);
	add(t, "x", "z", "cart", "loop-a", 10, 80);
	add(t, "y", "x", "cart", "loop-b", 20, 60);
	add(t, "z", "y", "cart", "loop-c", 30, 40);
	add(t, "s", "s", "cart", "self-parent", 100, 50);
	tracetree_build(&tt, t);
	CHECK(tt.nd[1].flags & TT_CYCLE);	/* x starts first: its link is cut */
	CHECK_INT(tt.nd[1].parent, -1);
	CHECK_INT(tt.nd[2].parent, 1);
	CHECK_INT(tt.nd[3].parent, 2);
	CHECK(!(tt.nd[2].flags & TT_CYCLE) && !(tt.nd[3].flags & TT_CYCLE));
	CHECK(tt.nd[4].flags & TT_CYCLE);
	CHECK_INT(tt.nd[4].parent, -1);
	CHECK_INT(tt.ncycle, 2);
	CHECK_INT(tt.main_root, 0);
	CHECK_INT(tt.roots[0], 0);
	CHECK_INT(tt.nroots, 3);
	for (size_t k = 0; k < tt.n; k++)	/* every span shown exactly once */
		seen[tt.pre[k]]++;
	for (size_t i = 0; i < tt.n; i++)
		CHECK_INT(seen[i], 1);
	tracetree_free(&tt);
	ev_trace_free(t);
}

TEST(tracetree_orphans_and_duplicates)
{
	struct ev_trace *t = ev_trace_new("0a");
	struct tracetree tt;

	add(t, "r", "", "fe", "root", 0, 300);
	add(t, "o", "missing", "pay", "Refund", 50, 200);
	add(t, "o2", "o", "pay", "LedgerWrite", 60, 100);
	add(t, "d", "r", "order", "List", 10, 140);
	add(t, "d", "r", "order", "List copy", 12, 120);
	add(t, "k", "d", "inv", "Lookup", 20, 40);
	tracetree_build(&tt, t);
	CHECK(tt.nd[1].flags & TT_ORPHAN);
	CHECK_INT(tt.nd[1].parent, -1);
	CHECK_INT(tt.nd[2].parent, 1);	/* an orphan keeps its own subtree */
	CHECK_INT(tt.main_root, 0);	/* the true root wins over the orphan */
	CHECK_INT(tt.roots[0], 0);
	CHECK(tt.nd[3].flags & TT_DUP && tt.nd[4].flags & TT_DUP);
	CHECK_INT(tt.nd[5].parent, 3);	/* children attach to the first copy */
	CHECK_INT(tracetree_find(&tt, "d"), 3);
	CHECK_INT(tt.norphan, 1);
	CHECK_INT(tt.ndup, 2);
	tracetree_free(&tt);
	ev_trace_free(t);
}

TEST(tracetree_window_outliers_negative_and_skew)
{
	struct ev_trace *t = ev_trace_new("e0");
	struct tracetree tt;

	add(t, "r", "", "fe", "root", 0, 100);
	add(t, "z", "r", "c", "epoch-zero", 0, 1);
	t->s[1].start = 1000;		/* 1970 */
	add(t, "f", "r", "c", "far-future", 0, 1);
	t->s[2].start = 4102444800LL * NS_PER_S;
	add(t, "n", "r", "c", "negative", 50, -10);
	add(t, "k", "r", "c", "skewed", -5, 20);
	add(t, "w", "r", "c", "in-window", 20, 40);
	tracetree_build(&tt, t);
	CHECK(tt.nd[1].flags & TT_OUTSIDE);
	CHECK(tt.nd[2].flags & TT_OUTSIDE);
	CHECK(tt.nd[3].flags & TT_NEGDUR);
	CHECK_INT(tt.nd[3].end, tt.nd[3].start);
	CHECK(tt.nd[4].flags & TT_SKEW);
	CHECK(!(tt.nd[4].flags & TT_OUTSIDE));
	CHECK(!(tt.nd[5].flags & (TT_OUTSIDE | TT_SKEW)));
	/* the window is the hull of sane spans: root widened by the skewed child */
	CHECK_INT(tt.start, t->s[4].start);
	CHECK_INT(tt.end, t->s[0].start + 100 * MS);
	tracetree_free(&tt);
	ev_trace_free(t);
}

TEST(tracetree_follows_from_is_off_the_critical_path)
{
	struct ev_trace *t = ev_trace_new("f0");
	struct tracetree tt;

	add(t, "r", "", "fe", "root", 0, 100);
	add(t, "a", "r", "q", "enqueue", 10, 80);
	add(t, "b", "r", "q", "async", 20, 75);
	t->s[2].follows = 1;
	tracetree_build(&tt, t);
	CHECK(tt.nd[1].flags & TT_CRIT);
	CHECK(!(tt.nd[2].flags & TT_CRIT));
	CHECK_INT(tt.crit_total, 100 * MS);
	tracetree_free(&tt);
	ev_trace_free(t);
}

TEST(tracetree_zero_length_children_terminate)
{
	struct ev_trace *t = ev_trace_new("00");
	struct tracetree tt;

	add(t, "r", "", "fe", "root", 0, 10);
	for (int i = 0; i < 50; i++) {
		char id[16];	/* room for any int: gcc -O1 cannot bound i */
		snprintf(id, sizeof id, "z%d", i);
		add(t, id, "r", "fe", "instant", 5, 0);
	}
	add(t, "tail", "r", "fe", "work", 5, 5);
	tracetree_build(&tt, t);
	CHECK_INT(tt.crit_total, 10 * MS);
	CHECK(tt.nd[51].flags & TT_CRIT);
	tracetree_free(&tt);
	ev_trace_free(t);
}

TEST(tracetree_deep_chain_no_recursion)
{
	struct ev_trace *t = ev_trace_new("de");
	struct tracetree tt;
	size_t n = 100000;
	char id[32], pid[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%zx", i + 1);
		snprintf(pid, sizeof pid, "%zx", i);
		add(t, id, i ? pid : "", "svc", "step", (tns)i, (tns)(n - i));
	}
	tracetree_build(&tt, t);
	CHECK_INT(tt.max_depth, (long long)n - 1);
	CHECK_INT(tt.nd[0].ndesc, (long long)n - 1);
	CHECK_INT(tt.crit_total, (tns)n * MS);
	tracetree_free(&tt);
	ev_trace_free(t);
}

TEST(tracetree_rows_collapse_and_match)
{
	struct ev_trace *t = canonical();
	struct tracetree tt;
	int32_t rows[8];
	uint8_t col[8] = { 0 };

	tracetree_build(&tt, t);
	CHECK_INT(tracetree_rows(&tt, NULL, rows), 7);
	col[2] = 1;	/* fold order */
	CHECK_INT(tracetree_rows(&tt, col, rows), 3);
	CHECK_INT(rows[2], 2);
	col[0] = 1;
	CHECK_INT(tracetree_rows(&tt, col, rows), 1);
	CHECK(tracetree_match(t, 4, "PAYMENT"));
	CHECK(tracetree_match(t, 4, "charge"));
	CHECK(!tracetree_match(t, 1, "payment"));
	CHECK(!tracetree_match(t, 1, ""));
	tracetree_free(&tt);
	ev_trace_free(t);
}

TEST(tracetree_empty_trace)
{
	struct ev_trace *t = ev_trace_new("00");
	struct tracetree tt;
	int32_t rows[1];

	tracetree_build(&tt, t);
	CHECK_INT(tt.main_root, -1);
	CHECK_INT(tracetree_rows(&tt, NULL, rows), 0);
	tracetree_free(&tt);
	ev_trace_free(t);
}

static struct ev_trace *
with_attrs(void)
{
	struct ev_trace *t = canonical();
	struct trace_res *r = &t->res[t->s[4].res];

	r->attr = arena_array(&t->ar, 2, sizeof *r->attr);
	r->attr[0] = (struct span_attr){ "k8s.namespace.name", "shop", AT_STRING };
	r->attr[1] = (struct span_attr){ "k8s.pod.name", "payment-7c9f8d6b5-q8x2n", AT_STRING };
	r->nattr = 2;
	t->s[4].attr = arena_array(&t->ar, 1, sizeof *t->s[4].attr);
	t->s[4].attr[0] = (struct span_attr){ "http.route", "/v1/\"charge\"", AT_STRING };
	t->s[4].nattr = 1;
	return t;
}

TEST(tracelink_templates)
{
	struct ev_trace *t = with_attrs();
	char *missing = NULL, *s;

	s = tracelink_expand("{app=\"${service}\", namespace=\"${namespace}\"} |= \"${trace_id}\"", t, 4,
	    &missing);
	CHECK_STR(s, "{app=\"payment\", namespace=\"shop\"} |= \"4bf92f3577b34da6a3ce929d0e0e4736\"");
	CHECK(!missing);
	free(s);
	s = tracelink_expand("rate(x{pod=\"${pod}\",op=\"${operation}\",r=\"${http.route}\"}[$__rate_interval])",
	    t, 4, &missing);
	CHECK_STR(s, "rate(x{pod=\"payment-7c9f8d6b5-q8x2n\",op=\"Charge\",r=\"/v1/\"charge\"\"}[$__rate_interval])");
	free(s);
	s = tracelink_expand("a ${nope} b ${unterminated", t, 4, &missing);
	CHECK_STR(s, "a  b ${unterminated");
	CHECK_STR(missing, "nope");
	free(missing);
	free(s);
	ev_trace_free(t);
}

TEST(tracelink_logql_label_mapping)
{
	struct ev_trace *t = with_attrs();
	cJSON *labels = cJSON_Parse("{\"app\":\"service.name\",\"namespace\":\"k8s.namespace.name\","
	    "\"route\":\"http.route\",\"absent\":\"no.such\"}");
	char *err = NULL, *q;

	q = tracelink_logql(NULL, t, 4, 1, &err);
	CHECK_STR(q, "{app=\"payment\"} |= \"4bf92f3577b34da6a3ce929d0e0e4736\"");
	free(q);
	q = tracelink_logql(labels, t, 4, 0, &err);
	CHECK_STR(q, "{app=\"payment\", namespace=\"shop\", route=\"/v1/\\\"charge\\\"\"}");
	free(q);
	cJSON_Delete(labels);
	labels = cJSON_Parse("{\"app\":\"no.such\"}");
	q = tracelink_logql(labels, t, 4, 1, &err);
	CHECK(!q && err);
	free(err);
	cJSON_Delete(labels);
	ev_trace_free(t);
}
