/* Unit tests: the layered layout of the topology (core/toplayout.c) —
 * every invariant of the result checked on a cycle, a fan-out of 30, a
 * single node, nodes without edges, self-loops, 200 services with 1,000
 * edges, and a hand-checked small mesh (straight lines, no crossings). */
#include <stdlib.h>
#include <string.h>

#include "core/toplayout.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"

static int
lo(const struct tl_seg *s)
{
	return s->y1 < s->y2 ? s->y1 : s->y2;
}

static int
hi(const struct tl_seg *s)
{
	return s->y1 < s->y2 ? s->y2 : s->y1;
}

/* Every structural promise of toplayout.h; returns the failures. */
static int
check_layout(const struct tl_node *nd, size_t n, const struct tl_edge *ed, size_t m,
    const struct tl_result *r)
{
	int bad = 0;
	int *indeg = xcalloc(n + 1, sizeof *indeg);

#define EXPECT(c) do { if (!(c)) { bad++; t_fail(__FILE__, __LINE__, "layout: %s", #c); } } while (0)
	EXPECT(r->nit >= n);
	for (size_t i = 0; i < r->nit; i++) {
		const struct tl_item *a = &r->it[i];
		EXPECT(i >= n || a->node == (int)i);
		EXPECT(i < n || a->node == -1);
		EXPECT(a->layer >= 0 && a->layer < r->nlayers);
		EXPECT(a->w > 0 && a->h > 0);
		EXPECT(a->x == r->layer_x[a->layer]);
		EXPECT(a->x + a->w <= r->width && a->y + a->h <= r->height && a->y >= 0);
		if (i < n)
			EXPECT(a->w == nd[i].w && a->h >= nd[i].h);
		for (size_t j = 0; j < r->nit; j++) {
			const struct tl_item *b = &r->it[j];
			if (j == i || b->layer != a->layer)
				continue;
			EXPECT(a->order != b->order);
			/* no overlap, and rows follow the order */
			EXPECT(a->order < b->order ? a->y + a->h <= b->y : b->y + b->h <= a->y);
		}
	}
	for (int l = 0; l + 1 < r->nlayers; l++)
		EXPECT(r->layer_x[l] + r->layer_w[l] < r->layer_x[l + 1]);
	for (size_t i = 0; i < r->nsg; i++) {
		const struct tl_seg *s = &r->sg[i];
		const struct tl_item *a = &r->it[s->a], *b = &r->it[s->b];
		EXPECT(a->layer + 1 == b->layer);
		EXPECT(s->y1 >= a->y && s->y1 < a->y + a->h);
		EXPECT(s->y2 >= b->y && s->y2 < b->y + b->h);
		EXPECT(s->x1 == a->x + a->w && s->x2 == b->x - 1);
		EXPECT((s->bus >= 0) == (s->y1 != s->y2));
		if (s->bus >= 0)
			EXPECT(s->bus > s->x1 && s->bus < s->x2);
		if (s->label_x >= 0) {
			EXPECT(s->first);
			EXPECT(s->label_x == s->x1 + 1);
			EXPECT(s->label_x + ed[s->edge].label <= s->x2);
		}
		for (size_t j = 0; j < r->nsg; j++) {
			const struct tl_seg *t = &r->sg[j];
			if (j == i || r->it[t->a].layer != a->layer)
				continue;
			/* ports are rows of their own */
			if (t->a == s->a)
				EXPECT(t->y1 != s->y1);
			if (t->b == s->b)
				EXPECT(t->y2 != s->y2);
			/* verticals sharing a column never touch */
			if (s->bus >= 0 && t->bus == s->bus)
				EXPECT(hi(s) < lo(t) || hi(t) < lo(s));
			/* labels sit left of every bus of their gap */
			if (s->label_x >= 0 && t->bus >= 0)
				EXPECT(s->label_x + ed[s->edge].label <= t->bus);
		}
	}
	for (size_t e = 0; e < m; e++) {
		int u = r->rev[e] ? ed[e].v : ed[e].u, v = r->rev[e] ? ed[e].u : ed[e].v, at = u, steps = 0;
		EXPECT(r->self[e] == (ed[e].u == ed[e].v));
		if (r->self[e])
			continue;
		indeg[ed[e].v]++;
		/* a chain of segments from u to v, one layer at a time */
		while (at != v && steps <= r->nlayers) {
			int next = -1;
			for (size_t i = 0; i < r->nsg && next < 0; i++)
				if (r->sg[i].edge == (int)e && r->sg[i].a == at)
					next = r->sg[i].b;
			EXPECT(next >= 0);
			if (next < 0)
				break;
			at = next;
			steps++;
		}
		EXPECT(at == v);
		EXPECT(steps == r->it[v].layer - r->it[u].layer);
	}
	for (size_t i = 0; i < n; i++)
		if (!indeg[i])
			EXPECT(r->it[i].layer == 0);	/* entry points on the left */
#undef EXPECT
	free(indeg);
	return bad;
}

static void
nodes(struct tl_node *nd, size_t n, int w, int h)
{
	for (size_t i = 0; i < n; i++)
		nd[i] = (struct tl_node){ w + (int)(i % 5), h };
}

TEST(toplayout_cycle_is_broken_and_laid_out)
{
	struct tl_node nd[4];
	struct tl_edge ed[] = { { 0, 1, 8 }, { 1, 2, 8 }, { 2, 0, 8 }, { 2, 3, 8 } };
	struct tl_opts o = { .border = 1, .vgap = 1 };
	struct tl_result r;
	int rev = 0;

	nodes(nd, 4, 10, 3);
	toplayout_compute(nd, 4, ed, 4, &o, &r);
	CHECK_INT(check_layout(nd, 4, ed, 4, &r), 0);
	for (size_t e = 0; e < 4; e++)
		rev += r.rev[e];
	CHECK_INT(rev, 1);		/* one back edge reversed */
	CHECK(r.rev[2]);		/* the one closing the cycle from 0 */
	CHECK_INT(r.nlayers, 4);	/* 0 -> 1 -> 2 -> 3 */
	CHECK_INT(r.it[0].layer, 0);
	CHECK_INT(r.it[3].layer, 3);
	toplayout_free(&r);
}

TEST(toplayout_two_cycles_and_mutual_calls)
{
	/* a <-> b (both directions), b -> c -> d -> b */
	struct tl_node nd[4];
	struct tl_edge ed[] = { { 0, 1, 6 }, { 1, 0, 6 }, { 1, 2, 6 }, { 2, 3, 6 }, { 3, 1, 6 } };
	struct tl_result r;

	nodes(nd, 4, 6, 1);
	toplayout_compute(nd, 4, ed, 5, NULL, &r);
	CHECK_INT(check_layout(nd, 4, ed, 5, &r), 0);
	CHECK(r.rev[1] && r.rev[4] && !r.rev[0] && !r.rev[2] && !r.rev[3]);
	toplayout_free(&r);
}

TEST(toplayout_fan_out_of_30_is_straight)
{
	struct tl_node nd[31];
	struct tl_edge ed[30];
	struct tl_opts o = { .border = 1, .vgap = 1 };
	struct tl_result r;
	int bent = 0;

	nodes(nd, 31, 12, 4);
	for (int i = 0; i < 30; i++)
		ed[i] = (struct tl_edge){ 0, i + 1, 16 };
	toplayout_compute(nd, 31, ed, 30, &o, &r);
	CHECK_INT(check_layout(nd, 31, ed, 30, &r), 0);
	CHECK_INT(r.nlayers, 2);
	CHECK_INT(r.nsg, 30);
	CHECK_INT(r.crossings, 0);
	CHECK_INT(toplayout_crossings(&r), 0);
	for (size_t i = 0; i < r.nsg; i++)
		bent += r.sg[i].bus >= 0;
	CHECK_INT(bent, 0);		/* the caller stretches to meet every callee */
	/* 30 boxes of 4 rows with a blank row between them */
	CHECK_INT(r.height, 30 * 5 - 1);
	CHECK_INT(r.it[0].y, 0);
	/* down to the last callee's port row (145 + 1) and its bottom border */
	CHECK_INT(r.it[0].h, 148);
	toplayout_free(&r);
}

TEST(toplayout_fan_in_of_30)
{
	struct tl_node nd[31];
	struct tl_edge ed[30];
	struct tl_result r;

	nodes(nd, 31, 9, 3);
	for (int i = 0; i < 30; i++)
		ed[i] = (struct tl_edge){ i + 1, 0, 12 };
	toplayout_compute(nd, 31, ed, 30, &(struct tl_opts){ .border = 1, .vgap = 1 }, &r);
	CHECK_INT(check_layout(nd, 31, ed, 30, &r), 0);
	CHECK_INT(r.it[0].layer, 1);
	CHECK_INT(r.crossings, 0);
	for (size_t i = 0; i < r.nsg; i++)
		CHECK_INT(r.sg[i].bus, -1);	/* the callee stretches to meet every caller */
	toplayout_free(&r);
}

TEST(toplayout_single_node)
{
	struct tl_node nd[1] = { { 14, 3 } };
	struct tl_result r;

	toplayout_compute(nd, 1, NULL, 0, &(struct tl_opts){ .border = 1, .vgap = 1 }, &r);
	CHECK_INT(check_layout(nd, 1, NULL, 0, &r), 0);
	CHECK_INT(r.nit, 1);
	CHECK_INT(r.nsg, 0);
	CHECK_INT(r.nlayers, 1);
	CHECK_INT(r.width, 14);
	CHECK_INT(r.height, 3);
	toplayout_free(&r);
}

TEST(toplayout_no_edges_stack_in_one_layer)
{
	struct tl_node nd[5];
	struct tl_result r;

	nodes(nd, 5, 8, 2);
	toplayout_compute(nd, 5, NULL, 0, &(struct tl_opts){ .vgap = 1 }, &r);
	CHECK_INT(check_layout(nd, 5, NULL, 0, &r), 0);
	CHECK_INT(r.nlayers, 1);
	CHECK_INT(r.height, 5 * 3 - 1);
	CHECK_INT(r.width, 12);		/* the widest of 8..12 */
	toplayout_free(&r);
}

TEST(toplayout_empty_and_self_loops)
{
	struct tl_node nd[2] = { { 5, 1 }, { 5, 1 } };
	struct tl_edge ed[] = { { 0, 0, 4 }, { 0, 1, 4 }, { 1, 1, 4 }, { 0, 7, 4 } };
	struct tl_result r;

	toplayout_compute(NULL, 0, NULL, 0, NULL, &r);
	CHECK_INT(r.nit, 0);
	CHECK_INT(r.width, 0);
	toplayout_free(&r);
	toplayout_compute(nd, 2, ed, 4, NULL, &r);
	CHECK(r.self[0] && r.self[2] && !r.self[1]);
	CHECK(r.self[3]);		/* out of range: ignored like a self-loop */
	CHECK_INT(r.nsg, 1);
	CHECK_INT(r.it[1].layer, 1);
	toplayout_free(&r);
}

/* The seed incident's mesh: every line straight, no crossings. */
TEST(toplayout_incident_mesh)
{
	/* ingress, frontend, cart, order, payment, inventory */
	struct tl_node nd[6] = { { 24, 3 }, { 12, 3 }, { 8, 3 }, { 9, 3 }, { 11, 3 }, { 13, 3 } };
	struct tl_edge ed[] = { { 0, 1, 16 }, { 1, 2, 16 }, { 1, 3, 16 }, { 3, 4, 16 }, { 3, 5, 16 } };
	struct tl_result r;

	toplayout_compute(nd, 6, ed, 5, &(struct tl_opts){ .border = 1, .vgap = 1 }, &r);
	CHECK_INT(check_layout(nd, 6, ed, 5, &r), 0);
	CHECK_INT(r.nlayers, 4);
	CHECK_INT(r.crossings, 0);
	for (size_t i = 0; i < r.nsg; i++)
		CHECK_INT(r.sg[i].bus, -1);
	CHECK_INT(r.it[0].y, r.it[1].y);	/* the gateway in line with its callee */
	toplayout_free(&r);
}

/* A deterministic pseudo-random mesh: n services, m calls. */
static void
random_mesh(struct tl_node *nd, size_t n, struct tl_edge *ed, size_t m, uint64_t seed)
{
	uint64_t x = seed;

	nodes(nd, n, 10, 3);
	for (size_t e = 0; e < m; e++) {
		int u, v;
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		u = (int)((x >> 33) % n);
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		/* mostly "downstream" calls, some back: cycles exist */
		v = (int)((x >> 33) % 8 == 0 ? (x >> 40) % n : (u + 1 + (x >> 40) % 12) % n);
		ed[e] = (struct tl_edge){ u, v, 14 };
	}
}

TEST(toplayout_200_services_1000_edges)
{
	size_t n = 200, m = 1000;
	struct tl_node *nd = xcalloc(n, sizeof *nd);
	struct tl_edge *ed = xcalloc(m, sizeof *ed);
	struct tl_result r, once;

	random_mesh(nd, n, ed, m, 42);
	toplayout_compute(nd, n, ed, m, &(struct tl_opts){ .border = 0, .vgap = 1 }, &r);
	CHECK_INT(check_layout(nd, n, ed, m, &r), 0);
	CHECK_INT(toplayout_crossings(&r), r.crossings);
	/* the sweeps pay: fewer crossings than after a single one */
	toplayout_compute(nd, n, ed, m, &(struct tl_opts){ .border = 0, .vgap = 1, .sweeps = 1 }, &once);
	CHECK(r.crossings <= once.crossings);
	toplayout_free(&once);
	toplayout_free(&r);
	free(nd);
	free(ed);
}

TEST(toplayout_is_deterministic)
{
	size_t n = 60, m = 150;
	struct tl_node *nd = xcalloc(n, sizeof *nd);
	struct tl_edge *ed = xcalloc(m, sizeof *ed);
	struct tl_result a, b;

	random_mesh(nd, n, ed, m, 7);
	toplayout_compute(nd, n, ed, m, &(struct tl_opts){ .border = 1, .vgap = 1 }, &a);
	toplayout_compute(nd, n, ed, m, &(struct tl_opts){ .border = 1, .vgap = 1 }, &b);
	CHECK_INT(check_layout(nd, n, ed, m, &a), 0);
	CHECK(a.nit == b.nit && a.nsg == b.nsg);
	CHECK(a.nit == b.nit && memcmp(a.it, b.it, a.nit * sizeof *a.it) == 0);
	CHECK(a.nsg == b.nsg && memcmp(a.sg, b.sg, a.nsg * sizeof *a.sg) == 0);
	toplayout_free(&a);
	toplayout_free(&b);
	free(nd);
	free(ed);
}
