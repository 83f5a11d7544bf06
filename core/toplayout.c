/* toplayout: layered layout on a character grid (see toplayout.h).
 * Working state lives in struct lw; the result arrays are allocated once
 * their sizes are known.  Every loop is bounded by the input sizes (and
 * the sweep count), so a hostile graph costs time, never a hang. */
#include "core/toplayout.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define DEFAULT_SWEEPS	24
#define STALL_SWEEPS	4
#define TRANSPOSE_MAX	4
#define TRANSPOSE_ITEMS	4000	/* above this, transpose only after the sweeps */

struct lw {
	const struct tl_node	*nodes;
	const struct tl_edge	*edges;
	size_t			 n, m;
	const struct tl_opts	*o;
	int			*eu, *ev;	/* edges in layout direction */
	int			*layer;		/* per node */
	int			 nl;
	struct tl_item		*it;
	size_t			 nit, capit;
	struct tl_seg		*sg;
	size_t			 nsg, capsg;
	int			*os, *ol, *is, *il;	/* CSR: out / in segments per item */
	int			**lay;		/* items of each layer, in order */
	int			*nlay;
	int			*pos;		/* per item: index in its layer */
	int			*orow, *irow;	/* per segment: row on a, row on b */
	uint8_t			*rev, *self;
};

/* ------------------------------------------------------------ cycles */

/* Break cycles the Eades-Lin-Smyth way: repeatedly take sinks (to the
 * end of the order) and sources (to the front), else the node with the
 * most outgoing minus incoming edges (to the front); edges running
 * backwards in that order are reversed.  Entry points come first, and
 * unlike a depth-first search it does not string the graph out into
 * one long path.  O(n^2 + m). */
/* Adjacency of the input graph (self-loops left out): CSR lists of
 * successors (os/oa) and predecessors (is/ia), and the degrees. */
struct adj {
	int	*os, *oa, *is, *ia, *outdeg, *indeg;
};

static void
adj_build(const struct lw *w, struct adj *a)
{
	size_t n = w->n, m = w->m;
	int *fo = xcalloc(n + 1, sizeof *fo), *fi = xcalloc(n + 1, sizeof *fi);

	a->os = xcalloc(n + 2, sizeof *a->os);
	a->is = xcalloc(n + 2, sizeof *a->is);
	a->oa = xcalloc(m + 1, sizeof *a->oa);
	a->ia = xcalloc(m + 1, sizeof *a->ia);
	a->outdeg = xcalloc(n + 1, sizeof *a->outdeg);
	a->indeg = xcalloc(n + 1, sizeof *a->indeg);
	for (size_t e = 0; e < m; e++)
		if (!w->self[e]) {
			a->os[w->edges[e].u + 1]++;
			a->is[w->edges[e].v + 1]++;
		}
	for (size_t i = 0; i < n; i++) {
		a->os[i + 1] += a->os[i];
		a->is[i + 1] += a->is[i];
	}
	for (size_t e = 0; e < m; e++)
		if (!w->self[e]) {
			int u = w->edges[e].u, v = w->edges[e].v;
			a->oa[a->os[u] + fo[u]++] = v;
			a->ia[a->is[v] + fi[v]++] = u;
			a->outdeg[u]++;
			a->indeg[v]++;
		}
	free(fo);
	free(fi);
}

static void
adj_free(struct adj *a)
{
	free(a->os);
	free(a->oa);
	free(a->is);
	free(a->ia);
	free(a->outdeg);
	free(a->indeg);
}

static void
break_cycles(struct lw *w)
{
	size_t n = w->n, head = 0, tail = n;
	int *pos = xcalloc(n + 1, sizeof *pos), *indeg, *outdeg;
	uint8_t *gone = xcalloc(n + 1, 1);
	struct adj a;

	adj_build(w, &a);
	indeg = a.indeg;
	outdeg = a.outdeg;
	while (head < tail) {
		int pick = -1, front = 1;
		for (size_t i = 0; i < n && pick < 0; i++)	/* a sink */
			if (!gone[i] && !outdeg[i])
				pick = (int)i, front = 0;
		for (size_t i = 0; i < n && pick < 0; i++)	/* a source */
			if (!gone[i] && !indeg[i])
				pick = (int)i;
		for (size_t i = 0; i < n; i++)			/* most out over in */
			if (!gone[i] && (pick < 0 || (front && indeg[pick] && outdeg[i] - indeg[i] >
			    outdeg[pick] - indeg[pick])))
				pick = (int)i;
		gone[pick] = 1;
		pos[pick] = front ? (int)head++ : (int)--tail;
		for (int k = a.os[pick]; k < a.os[pick + 1]; k++)
			indeg[a.oa[k]]--;
		for (int k = a.is[pick]; k < a.is[pick + 1]; k++)
			outdeg[a.ia[k]]--;
	}
	for (size_t e = 0; e < w->m; e++) {
		w->rev[e] = !w->self[e] && pos[w->edges[e].u] > pos[w->edges[e].v];
		w->eu[e] = w->rev[e] ? w->edges[e].v : w->edges[e].u;
		w->ev[e] = w->rev[e] ? w->edges[e].u : w->edges[e].v;
	}
	adj_free(&a);
	free(pos);
	free(gone);
}

/* ------------------------------------------------------------ layers */

/* Longest path from the sources (Kahn's order over the acyclic graph). */
static void
assign_layers(struct lw *w)
{
	size_t n = w->n, m = w->m, qh = 0, qt = 0;
	int *indeg = xcalloc(n + 1, sizeof *indeg), *q = xcalloc(n + 1, sizeof *q);
	int *start = xcalloc(n + 1, sizeof *start), *adj = xcalloc(m + 1, sizeof *adj);
	int *fill = xcalloc(n + 1, sizeof *fill);

	for (size_t e = 0; e < m; e++)
		if (!w->self[e]) {
			indeg[w->ev[e]]++;
			start[w->eu[e] + 1]++;
		}
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	for (size_t e = 0; e < m; e++)
		if (!w->self[e])
			adj[start[w->eu[e]] + fill[w->eu[e]]++] = w->ev[e];
	for (size_t i = 0; i < n; i++)
		if (!indeg[i])
			q[qt++] = (int)i;
	while (qh < qt) {
		int u = q[qh++];
		for (int k = start[u]; k < start[u + 1]; k++) {
			int v = adj[k];
			if (w->layer[u] + 1 > w->layer[v])
				w->layer[v] = w->layer[u] + 1;
			if (--indeg[v] == 0)
				q[qt++] = v;
		}
	}
	w->nl = 0;
	for (size_t i = 0; i < n; i++)
		if (w->layer[i] + 1 > w->nl)
			w->nl = w->layer[i] + 1;
	free(indeg);
	free(q);
	free(start);
	free(adj);
	free(fill);
}

static int
add_item(struct lw *w, int node, int layer, int edge)
{
	xgrow(&w->it, &w->capit, w->nit + 1, sizeof *w->it);
	memset(&w->it[w->nit], 0, sizeof *w->it);
	w->it[w->nit].node = node;
	w->it[w->nit].layer = layer;
	w->it[w->nit].edge = edge;
	return (int)w->nit++;
}

static void
add_seg(struct lw *w, int a, int b, int edge, int first, int last)
{
	struct tl_seg *s;

	xgrow(&w->sg, &w->capsg, w->nsg + 1, sizeof *w->sg);
	s = &w->sg[w->nsg++];
	memset(s, 0, sizeof *s);
	s->a = a;
	s->b = b;
	s->edge = edge;
	s->first = (uint8_t)first;
	s->last = (uint8_t)last;
	s->bus = -1;
	s->label_x = -1;
}

/* Items (nodes, then a dummy per layer crossed) and segments. */
static void
make_items(struct lw *w)
{
	for (size_t i = 0; i < w->n; i++)
		add_item(w, (int)i, w->layer[i], -1);
	for (size_t e = 0; e < w->m; e++) {
		int prev, l0, l1;
		if (w->self[e])
			continue;
		prev = w->eu[e];
		l0 = w->layer[w->eu[e]];
		l1 = w->layer[w->ev[e]];
		for (int l = l0 + 1; l < l1; l++) {
			int d = add_item(w, -1, l, (int)e);
			add_seg(w, prev, d, (int)e, prev == w->eu[e], 0);
			prev = d;
		}
		add_seg(w, prev, w->ev[e], (int)e, prev == w->eu[e], 1);
	}
}

/* CSR lists of out and in segments per item, in segment order. */
static void
index_segs(struct lw *w)
{
	size_t ni = w->nit, ns = w->nsg;
	int *fo = xcalloc(ni + 1, sizeof *fo), *fi = xcalloc(ni + 1, sizeof *fi);

	w->os = xcalloc(ni + 1, sizeof *w->os);
	w->is = xcalloc(ni + 1, sizeof *w->is);
	w->ol = xcalloc(ns + 1, sizeof *w->ol);
	w->il = xcalloc(ns + 1, sizeof *w->il);
	for (size_t s = 0; s < ns; s++) {
		w->os[w->sg[s].a + 1]++;
		w->is[w->sg[s].b + 1]++;
	}
	for (size_t i = 0; i < ni; i++) {
		w->os[i + 1] += w->os[i];
		w->is[i + 1] += w->is[i];
	}
	for (size_t s = 0; s < ns; s++) {
		int a = w->sg[s].a, b = w->sg[s].b;
		w->ol[w->os[a] + fo[a]++] = (int)s;
		w->il[w->is[b] + fi[b]++] = (int)s;
	}
	free(fo);
	free(fi);
}

/* ------------------------------------------------------------ order */

/* Initial order: first discovery by a DFS from layer 0 (index order). */
static void
initial_order(struct lw *w)
{
	size_t ni = w->nit;
	int *stack = xcalloc(ni + 1, sizeof *stack), *next = xcalloc(ni + 1, sizeof *next);
	uint8_t *seen = xcalloc(ni + 1, 1);

	w->lay = xcalloc((size_t)w->nl + 1, sizeof *w->lay);
	w->nlay = xcalloc((size_t)w->nl + 1, sizeof *w->nlay);
	w->pos = xcalloc(ni + 1, sizeof *w->pos);
	for (size_t i = 0; i < ni; i++)
		w->nlay[w->it[i].layer]++;
	for (int l = 0; l < w->nl; l++) {
		w->lay[l] = xcalloc((size_t)w->nlay[l] + 1, sizeof **w->lay);
		w->nlay[l] = 0;
	}
	/* roots: layer-0 items first, then anything left (cannot happen, but
	 * every item must get a place) */
	for (int pass = 0; pass < 2; pass++)
		for (size_t r = 0; r < ni; r++) {
			int sp = 0;
			if (seen[r] || (pass == 0 && w->it[r].layer != 0))
				continue;
			stack[sp++] = (int)r;
			seen[r] = 1;
			next[r] = w->os[r];
			w->lay[w->it[r].layer][w->nlay[w->it[r].layer]++] = (int)r;
			while (sp) {
				int u = stack[sp - 1], v;
				if (next[u] >= w->os[u + 1]) {
					sp--;
					continue;
				}
				v = w->sg[w->ol[next[u]++]].b;
				if (seen[v])
					continue;
				seen[v] = 1;
				next[v] = w->os[v];
				w->lay[w->it[v].layer][w->nlay[w->it[v].layer]++] = v;
				stack[sp++] = v;
			}
		}
	for (int l = 0; l < w->nl; l++)
		for (int k = 0; k < w->nlay[l]; k++)
			w->pos[w->lay[l][k]] = k;
	free(stack);
	free(next);
	free(seen);
}

/* Crossings between layer l and l + 1: inversions counted with a
 * Fenwick tree over the positions in l + 1, walking layer l in order (a
 * node's own segments share a start and never cross each other, so each
 * node's are counted before any of them is inserted).  No sorting. */
static long
cross_layer(const struct lw *w, int l, long *tree)
{
	int nb = w->nlay[l + 1];
	long c = 0, seen = 0;

	memset(tree, 0, (size_t)(nb + 1) * sizeof *tree);
	for (int k = 0; k < w->nlay[l]; k++) {
		int a = w->lay[l][k];
		for (int j = w->os[a]; j < w->os[a + 1]; j++) {
			long le = 0;
			for (int x = w->pos[w->sg[w->ol[j]].b] + 1; x > 0; x -= x & -x)
				le += tree[x];
			c += seen - le;
		}
		for (int j = w->os[a]; j < w->os[a + 1]; j++) {
			for (int x = w->pos[w->sg[w->ol[j]].b] + 1; x <= nb; x += x & -x)
				tree[x]++;
			seen++;
		}
	}
	return c;
}

static long
count_crossings(const struct lw *w)
{
	long *tree = xcalloc(w->nit + 2, sizeof *tree), c = 0;

	for (int l = 0; l + 1 < w->nl; l++)
		c += cross_layer(w, l, tree);
	free(tree);
	return c;
}

struct keyed {
	double	key;
	int	pos, item;
};

static int
keyed_cmp(const void *x, const void *y)
{
	const struct keyed *p = x, *q = y;
	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	return (p->pos > q->pos) - (p->pos < q->pos);
}

/* Sort layer l by the mean position of its neighbours in the previous
 * (down) or next (up) layer; items without neighbours keep their place. */
static void
reorder(struct lw *w, int l, int down, struct keyed *kb)
{
	int n = w->nlay[l];

	for (int k = 0; k < n; k++) {
		int v = w->lay[l][k], cnt = 0;
		double sum = 0;
		if (down)
			for (int j = w->is[v]; j < w->is[v + 1]; j++, cnt++)
				sum += w->pos[w->sg[w->il[j]].a];
		else
			for (int j = w->os[v]; j < w->os[v + 1]; j++, cnt++)
				sum += w->pos[w->sg[w->ol[j]].b];
		kb[k] = (struct keyed){ cnt ? sum / cnt : k, k, v };
	}
	qsort(kb, (size_t)n, sizeof *kb, keyed_cmp);
	for (int k = 0; k < n; k++) {
		w->lay[l][k] = kb[k].item;
		w->pos[kb[k].item] = k;
	}
}

/* Crossings among the edges of u and v (u left of v) on both sides. */
static long
pair_cross(const struct lw *w, int u, int v)
{
	long c = 0;

	for (int i = w->is[u]; i < w->is[u + 1]; i++)
		for (int j = w->is[v]; j < w->is[v + 1]; j++)
			c += w->pos[w->sg[w->il[i]].a] > w->pos[w->sg[w->il[j]].a];
	for (int i = w->os[u]; i < w->os[u + 1]; i++)
		for (int j = w->os[v]; j < w->os[v + 1]; j++)
			c += w->pos[w->sg[w->ol[i]].b] > w->pos[w->sg[w->ol[j]].b];
	return c;
}

/* Swap neighbours while that removes crossings (a few passes). */
static void
transpose(struct lw *w)
{
	for (int pass = 0; pass < TRANSPOSE_MAX; pass++) {
		int improved = 0;
		for (int l = 0; l < w->nl; l++)
			for (int k = 0; k + 1 < w->nlay[l]; k++) {
				int u = w->lay[l][k], v = w->lay[l][k + 1];
				if (pair_cross(w, v, u) < pair_cross(w, u, v)) {
					w->lay[l][k] = v;
					w->lay[l][k + 1] = u;
					w->pos[v] = k;
					w->pos[u] = k + 1;
					improved = 1;
				}
			}
		if (!improved)
			break;
	}
}

static void
save_order(const struct lw *w, int *dst)
{
	size_t o = 0;
	for (int l = 0; l < w->nl; l++)
		for (int k = 0; k < w->nlay[l]; k++)
			dst[o++] = w->lay[l][k];
}

static void
load_order(struct lw *w, const int *src)
{
	size_t o = 0;
	for (int l = 0; l < w->nl; l++)
		for (int k = 0; k < w->nlay[l]; k++) {
			w->lay[l][k] = src[o++];
			w->pos[w->lay[l][k]] = k;
		}
}

static long
order_layers(struct lw *w)
{
	int sweeps = w->o && w->o->sweeps > 0 ? w->o->sweeps : DEFAULT_SWEEPS, stall = 0;
	int *best = xcalloc(w->nit + 1, sizeof *best);
	struct keyed *kb = xcalloc(w->nit + 1, sizeof *kb);
	long bestc = count_crossings(w);

	save_order(w, best);
	for (int it = 0; it < sweeps && bestc > 0 && stall < STALL_SWEEPS; it++) {
		long c;
		if (it % 2 == 0)
			for (int l = 1; l < w->nl; l++)
				reorder(w, l, 1, kb);
		else
			for (int l = w->nl - 2; l >= 0; l--)
				reorder(w, l, 0, kb);
		if (w->nit <= TRANSPOSE_ITEMS)
			transpose(w);
		c = count_crossings(w);
		if (c < bestc) {
			bestc = c;
			save_order(w, best);
			stall = 0;
		} else
			stall++;
	}
	load_order(w, best);
	if (w->nit > TRANSPOSE_ITEMS && bestc > 0) {	/* large: once, at the end */
		transpose(w);
		bestc = count_crossings(w);
	}
	free(best);
	free(kb);
	return bestc;
}

/* ------------------------------------------------------------ rows */

static int
item_border(const struct lw *w, int i)
{
	return w->it[i].node >= 0 && w->o ? w->o->border : 0;
}

static int
seg_cmp_ctx_b(const struct lw *w, int s, int t)
{
	int ps = w->pos[w->sg[s].b], pt = w->pos[w->sg[t].b];
	return ps != pt ? (ps > pt) - (ps < pt) : (s > t) - (s < t);
}

static int
seg_cmp_ctx_a(const struct lw *w, int s, int t)
{
	int ps = w->pos[w->sg[s].a], pt = w->pos[w->sg[t].a];
	return ps != pt ? (ps > pt) - (ps < pt) : (s > t) - (s < t);
}

/* Insertion sort of a port list (short lists; stable and context-aware). */
static void
sort_ports(const struct lw *w, int *l, int n, int by_b)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0; j--) {
			int c = by_b ? seg_cmp_ctx_b(w, l[j - 1], l[j]) : seg_cmp_ctx_a(w, l[j - 1], l[j]);
			int t;
			if (c <= 0)
				break;
			t = l[j];
			l[j] = l[j - 1];
			l[j - 1] = t;
		}
}

static int
item_min_h(const struct lw *w, int i)
{
	int b = item_border(w, i), nin = w->is[i + 1] - w->is[i], nout = w->os[i + 1] - w->os[i];
	int ports = nin > nout ? nin : nout, h;

	if (w->it[i].node < 0)
		return 1;
	h = w->nodes[w->it[i].node].h;
	if (2 * b + ports > h)
		h = 2 * b + ports;
	return h > 0 ? h : 1;
}

/* Place layer l: each item's first in-port at its first caller's row if
 * the items above leave room, later in-ports at their callers' rows or
 * just below; out-ports consecutive for now. */
static void
place_layer(struct lw *w, int l)
{
	int prev_bottom = 0, prev_dummy = 0, gap = w->o && w->o->vgap >= 0 ? w->o->vgap : 1;

	if (w->o && w->o->vgap == 0)
		gap = 0;
	for (int k = 0; k < w->nlay[l]; k++) {
		int v = w->lay[l][k], b = item_border(w, v), dummy = w->it[v].node < 0;
		int *in = w->il + w->is[v], nin = w->is[v + 1] - w->is[v], top, row, h;
		int g = k == 0 ? 0 : (dummy && prev_dummy) ? 0 : gap;
		int minh = item_min_h(w, v);
		top = k == 0 ? 0 : prev_bottom + g;
		if (nin && w->orow[in[0]] - b > top)
			top = w->orow[in[0]] - b;
		row = top + b - 1;
		for (int j = 0; j < nin; j++) {
			int want = w->orow[in[j]];
			row = want > row + 1 ? want : row + 1;
			w->irow[in[j]] = row;
		}
		h = nin ? row - top + 1 + b : 0;
		if (h < minh)
			h = minh;
		w->it[v].y = top;
		w->it[v].h = h;
		for (int j = w->os[v]; j < w->os[v + 1]; j++)
			w->orow[w->ol[j]] = top + b + (dummy ? 0 : j - w->os[v]);
		prev_bottom = top + h;
		prev_dummy = dummy;
	}
}

/* After layer l + 1 is placed: move the out-ports of layer l's nodes to
 * the rows their segments arrive at, stretching a node downward when
 * the next item of its layer leaves room (straight lines). */
static void
stretch_layer(struct lw *w, int l)
{
	int gap = w->o && w->o->vgap >= 0 ? w->o->vgap : 1;

	for (int k = 0; k < w->nlay[l]; k++) {
		int v = w->lay[l][k], b = item_border(w, v);
		int *out = w->ol + w->os[v], nout = w->os[v + 1] - w->os[v];
		int lo = w->it[v].y + b, hi, prev = lo - 1;
		if (w->it[v].node < 0 || !nout)
			continue;
		hi = k + 1 < w->nlay[l] ? w->it[w->lay[l][k + 1]].y - gap - 1 - b : 1 << 28;
		if (hi < w->it[v].y + w->it[v].h - 1 - b)
			hi = w->it[v].y + w->it[v].h - 1 - b;
		for (int j = 0; j < nout; j++) {
			int want = w->irow[out[j]], room = hi - (nout - 1 - j);
			int r = want > prev + 1 ? want : prev + 1;
			if (r > room)
				r = room;
			if (r <= prev)
				r = prev + 1;
			w->orow[out[j]] = r;
			prev = r;
		}
		if (prev + 1 + b > w->it[v].y + w->it[v].h)
			w->it[v].h = prev + 1 + b - w->it[v].y;
	}
}

/* Sources (layer 0) move toward the rows of their callees when that
 * straightens lines and their neighbours leave room. */
static void
settle_sources(struct lw *w)
{
	int gap = w->o && w->o->vgap >= 0 ? w->o->vgap : 1;

	if (w->nl < 1)
		return;
	for (int k = w->nlay[0] - 1; k >= 0; k--) {
		int v = w->lay[0][k], b = item_border(w, v), nout = w->os[v + 1] - w->os[v];
		int first, shift, lo, hi;
		if (!nout)
			continue;
		first = w->ol[w->os[v]];
		shift = w->irow[first] - w->orow[first];
		lo = k > 0 ? w->it[w->lay[0][k - 1]].y + w->it[w->lay[0][k - 1]].h + gap : 0;
		hi = k + 1 < w->nlay[0] ? w->it[w->lay[0][k + 1]].y - gap - w->it[v].h : 1 << 28;
		if (shift <= 0 || w->it[v].y + shift > hi || w->it[v].y + shift < lo)
			continue;
		/* only if every port still fits its target row or below */
		for (int j = w->os[v]; j < w->os[v + 1]; j++)
			if (w->orow[w->ol[j]] + shift > w->irow[w->ol[j]])
				shift = 0;
		if (!shift)
			continue;
		w->it[v].y += shift;
		for (int j = w->os[v]; j < w->os[v + 1]; j++)
			w->orow[w->ol[j]] += shift;
		(void)b;
	}
}

static void
place_rows(struct lw *w)
{
	for (size_t i = 0; i < w->nit; i++) {
		sort_ports(w, w->ol + w->os[i], w->os[i + 1] - w->os[i], 1);
		sort_ports(w, w->il + w->is[i], w->is[i + 1] - w->is[i], 0);
	}
	for (int l = 0; l < w->nl; l++) {
		place_layer(w, l);
		if (l == 1)
			settle_sources(w);
		if (l > 0)
			stretch_layer(w, l - 1);
	}
	for (size_t s = 0; s < w->nsg; s++) {
		w->sg[s].y1 = w->orow[s];
		w->sg[s].y2 = w->irow[s];
	}
}

/* ------------------------------------------------------------ columns */

static int
seg_lo(const struct tl_seg *s)
{
	return s->y1 < s->y2 ? s->y1 : s->y2;
}

static int
seg_hi(const struct tl_seg *s)
{
	return s->y1 < s->y2 ? s->y2 : s->y1;
}

struct bseg {
	int	lo, hi, y1, y2, idx;
};

static int
by_y1(const void *a, const void *b)
{
	const struct bseg *x = a, *y = b;
	return (x->y1 > y->y1) - (x->y1 < y->y1);
}

/* Sort b by y1 and set pred[i]: the segment leaving at the row where
 * segment i arrives, or -1. */
static void
find_preds(struct bseg *b, int n, int *pred)
{
	qsort(b, (size_t)n, sizeof *b, by_y1);
	for (int i = 0; i < n; i++) {
		int lo = 0, hi = n - 1, want = b[i].y2;
		pred[i] = -1;
		while (lo <= hi) {
			int mid = (lo + hi) / 2;
			if (b[mid].y1 < want)
				lo = mid + 1;
			else if (b[mid].y1 > want)
				hi = mid - 1;
			else {
				pred[i] = mid != i ? mid : -1;
				break;
			}
		}
	}
}

/* A min-heap of segment indexes by their top row. */
struct heap {
	int		*v;
	int		 n;
	const struct bseg *b;
};

static int
heap_less(const struct heap *h, int i, int j)
{
	const struct bseg *x = &h->b[h->v[i]], *y = &h->b[h->v[j]];
	return x->lo != y->lo ? x->lo < y->lo : h->v[i] < h->v[j];
}

static void
heap_push(struct heap *h, int x)
{
	int i = h->n++;

	h->v[i] = x;
	while (i > 0 && heap_less(h, i, (i - 1) / 2)) {
		int p = (i - 1) / 2, t = h->v[p];
		h->v[p] = h->v[i];
		h->v[i] = t;
		i = p;
	}
}

static int
heap_pop(struct heap *h)
{
	int top = h->v[0], i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i, t;
		if (l < h->n && heap_less(h, l, m))
			m = l;
		if (r < h->n && heap_less(h, r, m))
			m = r;
		if (m == i)
			break;
		t = h->v[m];
		h->v[m] = h->v[i];
		h->v[i] = t;
		i = m;
	}
	return top;
}

/* Bus columns of one gap (indexes relative to the bus zone): a segment
 * that leaves at row r turns left of the segment arriving at row r (rows
 * are unique per side inside a gap, so there is at most one), and
 * overlapping verticals never share a column.  Segments are taken lowest
 * first among those whose constraint is met; a column is free for a
 * vertical starting at row lo when every vertical in it ends above lo
 * (exact in that order, never sharing wrongly out of it).
 * O(n log n + n * columns).  Returns the columns used. */
static int
assign_buses(struct lw *w, int *gs, int n, int *col)
{
	struct bseg *b = xcalloc((size_t)n + 1, sizeof *b);
	int *pred = xcalloc((size_t)n + 1, sizeof *pred), *succ = xcalloc((size_t)n + 1, sizeof *succ);
	int *colhi = xcalloc((size_t)n + 1, sizeof *colhi), used = 0, left = n, scan = 0;
	uint8_t *done = xcalloc((size_t)n + 1, 1);
	struct heap h = { xcalloc((size_t)n + 1, sizeof *h.v), 0, b };

	for (int i = 0; i < n; i++) {
		const struct tl_seg *s = &w->sg[gs[i]];
		b[i] = (struct bseg){ seg_lo(s), seg_hi(s), s->y1, s->y2, i };
	}
	find_preds(b, n, pred);
	for (int i = 0; i < n; i++)
		succ[i] = -1;
	for (int i = 0; i < n; i++) {
		if (pred[i] >= 0)
			succ[pred[i]] = i;
		else
			heap_push(&h, i);
	}
	while (left > 0) {
		int pick, c = 0;
		if (h.n)
			pick = heap_pop(&h);
		else {	/* a swap (cycle of constraints): the first one left */
			while (done[scan])
				scan++;
			pick = scan;
		}
		if (done[pick])
			continue;
		if (pred[pick] >= 0 && done[pred[pick]])
			c = col[b[pred[pick]].idx] + 1;
		while (c < used && colhi[c] >= b[pick].lo)
			c++;
		if (c >= used) {
			for (int k = used; k <= c; k++)
				colhi[k] = -1;
			used = c + 1;
		}
		colhi[c] = b[pick].hi > colhi[c] ? b[pick].hi : colhi[c];
		col[b[pick].idx] = c;
		done[pick] = 1;
		left--;
		if (succ[pick] >= 0 && !done[succ[pick]])
			heap_push(&h, succ[pick]);
	}
	free(b);
	free(pred);
	free(succ);
	free(colhi);
	free(done);
	free(h.v);
	return used;
}

static void
place_columns(struct lw *w, struct tl_result *r)
{
	int *gs = xcalloc(w->nsg + 1, sizeof *gs), *col = xcalloc(w->nsg + 1, sizeof *col);
	int x = 0;

	r->layer_x = xcalloc((size_t)w->nl + 1, sizeof *r->layer_x);
	r->layer_w = xcalloc((size_t)w->nl + 1, sizeof *r->layer_w);
	for (int l = 0; l < w->nl; l++) {
		int lw = 1, lz = 0, n = 0, buses;
		for (int k = 0; k < w->nlay[l]; k++) {
			int v = w->lay[l][k];
			if (w->it[v].node >= 0 && w->nodes[w->it[v].node].w > lw)
				lw = w->nodes[w->it[v].node].w;
		}
		r->layer_x[l] = x;
		r->layer_w[l] = lw;
		for (int k = 0; k < w->nlay[l]; k++) {
			int v = w->lay[l][k];
			w->it[v].x = x;
			w->it[v].w = w->it[v].node >= 0 ? w->nodes[w->it[v].node].w : lw;
			if (w->it[v].w < 1)
				w->it[v].w = 1;
			for (int j = w->os[v]; j < w->os[v + 1]; j++) {
				int s = w->ol[j];
				if (w->sg[s].first && w->edges[w->sg[s].edge].label > lz)
					lz = w->edges[w->sg[s].edge].label;
				if (w->sg[s].y1 != w->sg[s].y2)
					gs[n++] = s;
			}
		}
		if (l + 1 == w->nl) {
			x += lw;
			break;
		}
		buses = assign_buses(w, gs, n, col);
		for (int i = 0; i < n; i++)
			w->sg[gs[i]].bus = x + lw + 1 + (lz ? lz + 1 : 0) + col[i];
		for (int k = 0; k < w->nlay[l]; k++) {
			int v = w->lay[l][k];
			for (int j = w->os[v]; j < w->os[v + 1]; j++) {
				struct tl_seg *s = &w->sg[w->ol[j]];
				s->x1 = w->it[v].x + w->it[v].w;
				if (s->first && w->edges[s->edge].label)
					s->label_x = s->x1 + 1;
			}
		}
		x += lw + 1 + (lz ? lz + 1 : 0) + buses + 2;
	}
	r->width = x;
	for (size_t s = 0; s < w->nsg; s++)
		w->sg[s].x2 = w->it[w->sg[s].b].x - 1;
	free(gs);
	free(col);
}

/* ------------------------------------------------------------ public */

static void
lw_free(struct lw *w)
{
	free(w->eu);
	free(w->ev);
	free(w->layer);
	free(w->os);
	free(w->ol);
	free(w->is);
	free(w->il);
	for (int l = 0; w->lay && l < w->nl; l++)
		free(w->lay[l]);
	free(w->lay);
	free(w->nlay);
	free(w->pos);
	free(w->orow);
	free(w->irow);
}

void
toplayout_compute(const struct tl_node *nodes, size_t n, const struct tl_edge *edges, size_t m,
    const struct tl_opts *o, struct tl_result *out)
{
	struct lw w;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	w.nodes = nodes;
	w.edges = edges;
	w.n = n;
	w.m = m;
	w.o = o;
	out->rev = xcalloc(m + 1, 1);
	out->self = xcalloc(m + 1, 1);
	w.rev = out->rev;
	w.self = out->self;
	for (size_t e = 0; e < m; e++)
		w.self[e] = edges[e].u == edges[e].v || edges[e].u < 0 || edges[e].v < 0 ||
		    (size_t)edges[e].u >= n || (size_t)edges[e].v >= n;
	w.eu = xcalloc(m + 1, sizeof *w.eu);
	w.ev = xcalloc(m + 1, sizeof *w.ev);
	w.layer = xcalloc(n + 1, sizeof *w.layer);
	break_cycles(&w);
	assign_layers(&w);
	make_items(&w);
	index_segs(&w);
	initial_order(&w);
	out->crossings = order_layers(&w);
	w.orow = xcalloc(w.nsg + 1, sizeof *w.orow);
	w.irow = xcalloc(w.nsg + 1, sizeof *w.irow);
	place_rows(&w);
	for (size_t i = 0; i < w.nit; i++)
		w.it[i].order = w.pos[i];
	place_columns(&w, out);
	for (size_t i = 0; i < w.nit; i++)
		if (w.it[i].y + w.it[i].h > out->height)
			out->height = w.it[i].y + w.it[i].h;
	out->it = w.it;
	out->nit = w.nit;
	out->sg = w.sg;
	out->nsg = w.nsg;
	out->nlayers = w.nl;
	lw_free(&w);
}

void
toplayout_free(struct tl_result *r)
{
	free(r->it);
	free(r->sg);
	free(r->rev);
	free(r->self);
	free(r->layer_x);
	free(r->layer_w);
	memset(r, 0, sizeof *r);
}

long
toplayout_crossings(const struct tl_result *r)
{
	long c = 0;

	for (size_t i = 0; i < r->nsg; i++)
		for (size_t j = i + 1; j < r->nsg; j++) {
			const struct tl_seg *p = &r->sg[i], *q = &r->sg[j];
			int pa = r->it[p->a].order, pb = r->it[p->b].order;
			int qa = r->it[q->a].order, qb = r->it[q->b].order;
			if (r->it[p->a].layer != r->it[q->a].layer)
				continue;
			if ((pa < qa && pb > qb) || (pa > qa && pb < qb))
				c++;
		}
	return c;
}
