/* tracetree: build the tree, repair and mark malformed links, compute
 * the window, self times, services and the critical path (definitions in
 * tracetree.h).  Everything is iterative (no recursion: a 100,000-deep
 * chain must not overflow the stack) and O(n log n). */
#include "core/tracetree.h"

#include <stdlib.h>
#include <string.h>

#include "core/hmap.h"
#include "core/xalloc.h"

#define TT_TMAX	((tns)1 << 62)	/* node times are clamped into [0, TT_TMAX] */

static int
cmp_id(const void *a, const void *b, void *ctx)
{
	const struct ev_trace *t = ctx;
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	int c = strcmp(t->s[x].span_id, t->s[y].span_id);

	return c ? c : (x > y) - (x < y);
}

static int
cmp_start(const void *a, const void *b, void *ctx)
{
	const struct tt_node *nd = ctx;
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	if (nd[x].start != nd[y].start)
		return nd[x].start < nd[y].start ? -1 : 1;
	return (x > y) - (x < y);
}

int32_t
tracetree_find(const struct tracetree *tt, const char *id)
{
	size_t lo = 0, hi = tt->nbyid;

	if (!*id)
		return -1;
	while (lo < hi) {	/* lower bound: the first (arrival order) of equal ids */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(tt->t->s[tt->byid[mid]].span_id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < tt->nbyid && strcmp(tt->t->s[tt->byid[lo]].span_id, id) == 0)
		return tt->byid[lo];
	return -1;
}

/* Nodes, the id index, duplicates, parents. */
static void
link_parents(struct tracetree *tt)
{
	const struct ev_trace *t = tt->t;

	for (size_t i = 0; i < tt->n; i++) {
		const struct span *s = &t->s[i];
		struct tt_node *d = &tt->nd[i];
		/* every node time in [0, 2^62]: differences of them never overflow */
		d->start = s->start < 0 ? 0 : s->start > TT_TMAX ? TT_TMAX : s->start;
		d->end = d->start + (s->dur <= 0 ? 0 : s->dur > TT_TMAX - d->start ? TT_TMAX - d->start :
		    s->dur);
		if (s->dur < 0)
			d->flags |= TT_NEGDUR;
		if (s->status == SS_ERROR)
			d->flags |= TT_ERROR;
		if (*s->span_id)
			tt->byid[tt->nbyid++] = (int32_t)i;
		else
			d->flags |= TT_NOID;
	}
	qsort_r(tt->byid, tt->nbyid, sizeof *tt->byid, cmp_id, (void *)t);
	for (size_t k = 1; k < tt->nbyid; k++)
		if (strcmp(t->s[tt->byid[k]].span_id, t->s[tt->byid[k - 1]].span_id) == 0) {
			tt->nd[tt->byid[k]].flags |= TT_DUP;
			tt->nd[tt->byid[k - 1]].flags |= TT_DUP;
		}
	for (size_t i = 0; i < tt->n; i++) {
		const char *pid = t->s[i].parent_id;
		int32_t p = *pid ? tracetree_find(tt, pid) : -1;
		tt->nd[i].parent = p;
		if (*pid && p < 0)
			tt->nd[i].flags |= TT_ORPHAN;
		else if (p == (int32_t)i) {
			tt->nd[i].parent = -1;
			tt->nd[i].flags |= TT_CYCLE;
		}
	}
}

/* Cut every cycle of parent links at its earliest span. */
static void
break_cycles(struct tracetree *tt)
{
	uint8_t *state = xcalloc(tt->n + 1, 1);	/* 0 new, 1 on this walk, 2 done */
	int32_t *path = xcalloc(tt->n + 1, sizeof *path);

	for (size_t i = 0; i < tt->n; i++) {
		size_t np = 0;
		int32_t j = (int32_t)i;
		if (state[i])
			continue;
		while (j >= 0 && state[j] == 0) {
			state[j] = 1;
			path[np++] = j;
			j = tt->nd[j].parent;
		}
		if (j >= 0 && state[j] == 1) {
			int32_t cut = j;
			for (int32_t k = tt->nd[j].parent; k != j; k = tt->nd[k].parent)
				if (tt->nd[k].start < tt->nd[cut].start ||
				    (k < cut && tt->nd[k].start == tt->nd[cut].start))
					cut = k;
			tt->nd[cut].parent = -1;
			tt->nd[cut].flags |= TT_CYCLE;
		}
		for (size_t k = 0; k < np; k++)
			state[path[k]] = 2;
	}
	free(state);
	free(path);
}

/* Children arrays sorted by start; roots with the main root first. */
static void
build_kids(struct tracetree *tt)
{
	uint32_t *fill = xcalloc(tt->n + 1, sizeof *fill);
	size_t off = 0;

	for (size_t i = 0; i < tt->n; i++)
		if (tt->nd[i].parent >= 0)
			tt->nd[tt->nd[i].parent].nkid++;
		else
			tt->roots[tt->nroots++] = (int32_t)i;
	for (size_t i = 0; i < tt->n; i++) {
		tt->nd[i].kid0 = (uint32_t)off;
		off += tt->nd[i].nkid;
	}
	for (size_t i = 0; i < tt->n; i++) {
		int32_t p = tt->nd[i].parent;
		if (p >= 0)
			tt->kids[tt->nd[p].kid0 + fill[p]++] = (int32_t)i;
	}
	free(fill);
	for (size_t i = 0; i < tt->n; i++)
		if (tt->nd[i].nkid > 1)
			qsort_r(tt->kids + tt->nd[i].kid0, tt->nd[i].nkid, sizeof *tt->kids,
			    cmp_start, tt->nd);
	qsort_r(tt->roots, tt->nroots, sizeof *tt->roots, cmp_start, tt->nd);
	tt->main_root = -1;
	for (int pass = 0; pass < 2 && tt->main_root < 0; pass++)
		for (size_t k = 0; k < tt->nroots; k++) {
			int32_t r = tt->roots[k], m = tt->main_root;
			if (!pass && (tt->nd[r].flags & (TT_ORPHAN | TT_CYCLE)))
				continue;
			if (m < 0 || tt->nd[r].end - tt->nd[r].start > tt->nd[m].end - tt->nd[m].start)
				tt->main_root = r;
		}
	for (size_t k = 0; k < tt->nroots; k++)
		if (tt->roots[k] == tt->main_root) {
			memmove(tt->roots + 1, tt->roots, k * sizeof *tt->roots);
			tt->roots[0] = tt->main_root;
			break;
		}
}

static void
compute_window(struct tracetree *tt)
{
	tns lo = 0, hi = 0, ra = 0, rb = 0, m;
	int any = 0, have_root = 0;

	if (tt->main_root >= 0) {
		const struct tt_node *r = &tt->nd[tt->main_root];
		if (r->end > r->start) {
			m = r->end - r->start > NS_PER_S ? r->end - r->start : NS_PER_S;
			ra = r->start > INT64_MIN + m ? r->start - m : INT64_MIN;
			rb = r->end < INT64_MAX - m ? r->end + m : INT64_MAX;
			have_root = 1;
		}
	}
	for (size_t i = 0; i < tt->n; i++) {
		const struct tt_node *d = &tt->nd[i];
		if (have_root ? d->start < ra || d->end > rb : d->start <= 0)
			continue;
		if (!any || d->start < lo)
			lo = d->start;
		if (!any || d->end > hi)
			hi = d->end;
		any = 1;
	}
	if (!any)
		for (size_t i = 0; i < tt->n; i++) {
			if (!any || tt->nd[i].start < lo)
				lo = tt->nd[i].start;
			if (!any || tt->nd[i].end > hi)
				hi = tt->nd[i].end;
			any = 1;
		}
	if (hi <= lo)
		hi = lo + NS_PER_MS;
	tt->start = lo;
	tt->end = hi;
	for (size_t i = 0; i < tt->n; i++) {
		struct tt_node *d = &tt->nd[i];
		int32_t p = d->parent;
		if (d->start < lo || d->end > hi)
			d->flags |= TT_OUTSIDE;
		if (p >= 0 && (d->start < tt->nd[p].start ||
		    (!tt->t->s[i].follows && d->end > tt->nd[p].end)))
			d->flags |= TT_SKEW;
	}
}

/* Preorder, depths, descendant counts. */
static void
walk(struct tracetree *tt)
{
	int32_t *stack = xcalloc(tt->n + 1, sizeof *stack);
	size_t sp = 0, np = 0;

	for (size_t k = tt->nroots; k > 0; k--)
		stack[sp++] = tt->roots[k - 1];
	while (sp) {
		int32_t i = stack[--sp];
		struct tt_node *d = &tt->nd[i];
		d->depth = d->parent >= 0 ? tt->nd[d->parent].depth + 1 : 0;
		if (d->depth > tt->max_depth)
			tt->max_depth = d->depth;
		tt->pre[np++] = i;
		for (uint32_t k = d->nkid; k > 0; k--)
			stack[sp++] = tt->kids[d->kid0 + k - 1];
	}
	for (size_t k = np; k > 0; k--) {
		int32_t i = tt->pre[k - 1], p = tt->nd[i].parent;
		if (p >= 0)
			tt->nd[p].ndesc += tt->nd[i].ndesc + 1;
	}
	free(stack);
}

/* Self time: the span's interval minus the union of its children. */
static void
self_times(struct tracetree *tt)
{
	for (size_t i = 0; i < tt->n; i++) {
		struct tt_node *d = &tt->nd[i];
		tns cov = 0, cur = d->start;
		for (uint32_t k = 0; k < d->nkid; k++) {
			const struct tt_node *c = &tt->nd[tt->kids[d->kid0 + k]];
			tns a = c->start > cur ? c->start : cur, b = c->end < d->end ? c->end : d->end;
			if (b > a) {
				cov += b - a;
				cur = b;
			}
		}
		d->self = d->end - d->start - cov;
	}
}

static void
services(struct tracetree *tt)
{
	struct hmap m;
	size_t cap = 0;

	hmap_init(&m);
	for (size_t k = 0; k < tt->n; k++) {
		int32_t i = tt->pre[k];
		const char *name = trace_span_service(tt->t, &tt->t->s[i]);
		intptr_t v = (intptr_t)hmap_get(&m, name);
		if (!v) {
			xgrow(&tt->svc, &cap, tt->nsvc + 1, sizeof *tt->svc);
			memset(&tt->svc[tt->nsvc], 0, sizeof *tt->svc);
			tt->svc[tt->nsvc].name = name;
			v = (intptr_t)++tt->nsvc;
			hmap_put(&m, name, (void *)v);
		}
		tt->nd[i].svc = (int32_t)(v - 1);
		tt->svc[v - 1].spans++;
		tt->svc[v - 1].self = trace_sat_add(tt->svc[v - 1].self, tt->nd[i].self);
		if (tt->nd[i].flags & TT_ERROR)
			tt->svc[v - 1].errors++;
	}
	hmap_free(&m, NULL);
}

struct cp_kid {
	int32_t	i;
	tns	a, b;
};

struct cp_frame {
	int32_t		node;
	tns		a, cursor;
	size_t		k0, nk, pos;
};

static int
cmp_kid_end(const void *x, const void *y)
{
	const struct cp_kid *a = x, *b = y;

	if (a->b != b->b)
		return a->b > b->b ? -1 : 1;
	if (a->a != b->a)
		return a->a > b->a ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

static int
cmp_seg(const void *x, const void *y)
{
	const struct tt_seg *a = x, *b = y;

	return (a->a > b->a) - (a->a < b->a);
}

/* Push a frame for node i clipped to [a, b]: its CHILD_OF children. */
static void
cp_push(struct tracetree *tt, struct cp_frame *fr, size_t *nfr, struct cp_kid *kb, size_t *nkb,
    int32_t i, tns a, tns b)
{
	const struct tt_node *d = &tt->nd[i];
	struct cp_frame *f = &fr[(*nfr)++];

	f->node = i;
	f->a = a;
	f->cursor = b;
	f->k0 = *nkb;
	f->pos = 0;
	for (uint32_t k = 0; k < d->nkid; k++) {
		int32_t c = tt->kids[d->kid0 + k];
		tns ca = tt->nd[c].start > a ? tt->nd[c].start : a;
		tns cb = tt->nd[c].end < b ? tt->nd[c].end : b;
		if (tt->t->s[c].follows || cb <= ca)
			continue;
		kb[(*nkb)++] = (struct cp_kid){ c, ca, cb };
	}
	f->nk = *nkb - f->k0;
	qsort(kb + f->k0, f->nk, sizeof *kb, cmp_kid_end);
}

static void
add_seg(struct tt_seg *seg, int32_t *owner, size_t *n, int32_t i, tns a, tns b)
{
	if (b <= a)
		return;
	seg[*n] = (struct tt_seg){ a, b };
	owner[(*n)++] = i;
}

static void
group_segments(struct tracetree *tt, const int32_t *owner)
{
	struct tt_seg *sorted = xcalloc(tt->nseg + 1, sizeof *sorted);
	size_t pos = 0;

	for (size_t k = 0; k < tt->nseg; k++)
		tt->nd[owner[k]].nseg++;
	for (size_t i = 0; i < tt->n; i++) {
		tt->nd[i].seg0 = (uint32_t)pos;
		pos += tt->nd[i].nseg;
		tt->nd[i].nseg = 0;
	}
	for (size_t k = 0; k < tt->nseg; k++) {
		struct tt_node *d = &tt->nd[owner[k]];
		sorted[d->seg0 + d->nseg++] = tt->seg[k];
		d->crit += tt->seg[k].b - tt->seg[k].a;
		d->flags |= TT_CRIT;
		tt->crit_total += tt->seg[k].b - tt->seg[k].a;
	}
	for (size_t i = 0; i < tt->n; i++)
		if (tt->nd[i].nseg > 1)
			qsort(sorted + tt->nd[i].seg0, tt->nd[i].nseg, sizeof *sorted, cmp_seg);
	free(tt->seg);
	tt->seg = sorted;
}

static void
critical_path(struct tracetree *tt)
{
	struct cp_frame *fr;
	struct cp_kid *kb;
	int32_t *owner;
	size_t nfr = 0, nkb = 0;
	int32_t r = tt->main_root;

	if (r < 0 || tt->nd[r].end <= tt->nd[r].start)
		return;
	fr = xcalloc(tt->n + 1, sizeof *fr);
	kb = xcalloc(tt->n + 1, sizeof *kb);
	tt->seg = xcalloc(2 * tt->n + 2, sizeof *tt->seg);
	owner = xcalloc(2 * tt->n + 2, sizeof *owner);
	cp_push(tt, fr, &nfr, kb, &nkb, r, tt->nd[r].start, tt->nd[r].end);
	while (nfr) {
		struct cp_frame *f = &fr[nfr - 1];
		while (f->pos < f->nk && kb[f->k0 + f->pos].b > f->cursor)
			f->pos++;
		if (f->pos < f->nk) {
			struct cp_kid k = kb[f->k0 + f->pos++];
			add_seg(tt->seg, owner, &tt->nseg, f->node, k.b, f->cursor);
			f->cursor = k.a;
			cp_push(tt, fr, &nfr, kb, &nkb, k.i, k.a, k.b);
		} else {
			add_seg(tt->seg, owner, &tt->nseg, f->node, f->a, f->cursor);
			nkb = f->k0;
			nfr--;
		}
	}
	group_segments(tt, owner);
	free(owner);
	free(fr);
	free(kb);
}

void
tracetree_build(struct tracetree *tt, const struct ev_trace *t)
{
	memset(tt, 0, sizeof *tt);
	tt->t = t;
	tt->n = t->n;
	tt->main_root = -1;
	tt->nd = xcalloc(tt->n + 1, sizeof *tt->nd);
	tt->kids = xcalloc(tt->n + 1, sizeof *tt->kids);
	tt->pre = xcalloc(tt->n + 1, sizeof *tt->pre);
	tt->byid = xcalloc(tt->n + 1, sizeof *tt->byid);
	tt->roots = xcalloc(tt->n + 1, sizeof *tt->roots);
	if (!tt->n)
		return;
	link_parents(tt);
	break_cycles(tt);
	build_kids(tt);
	compute_window(tt);
	walk(tt);
	self_times(tt);
	services(tt);
	critical_path(tt);
	for (size_t i = 0; i < tt->n; i++) {
		uint16_t f = tt->nd[i].flags;
		tt->nerr += !!(f & TT_ERROR);
		tt->norphan += !!(f & TT_ORPHAN);
		tt->ncycle += !!(f & TT_CYCLE);
		tt->ndup += !!(f & TT_DUP);
		tt->noutside += !!(f & TT_OUTSIDE);
		tt->nskew += !!(f & TT_SKEW);
	}
}

void
tracetree_free(struct tracetree *tt)
{
	free(tt->nd);
	free(tt->kids);
	free(tt->pre);
	free(tt->byid);
	free(tt->roots);
	free(tt->seg);
	free(tt->svc);
	memset(tt, 0, sizeof *tt);
	tt->main_root = -1;
}

size_t
tracetree_rows(const struct tracetree *tt, const uint8_t *collapsed, int32_t *rows)
{
	size_t n = 0;

	for (size_t k = 0; k < tt->n; k++) {
		int32_t i = tt->pre[k];
		rows[n++] = i;
		if (collapsed && collapsed[i])
			k += tt->nd[i].ndesc;
	}
	return n;
}

static int
attrs_match(const struct span_attr *a, uint32_t n, const char *needle)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcasestr(a[i].key, needle) || strcasestr(a[i].val, needle))
			return 1;
	return 0;
}

int
tracetree_match(const struct ev_trace *t, size_t i, const char *needle)
{
	const struct span *s = &t->s[i];
	const struct trace_res *r = s->res < t->nres ? &t->res[s->res] : NULL;

	if (!*needle)
		return 0;
	if (strcasestr(s->name, needle) || strcasestr(s->span_id, needle) ||
	    strcasestr(s->parent_id, needle) || strcasestr(s->status_msg, needle) ||
	    attrs_match(s->attr, s->nattr, needle))
		return 1;
	if (r && (strcasestr(r->service, needle) || attrs_match(r->attr, r->nattr, needle)))
		return 1;
	for (uint32_t k = 0; k < s->nev; k++)
		if (strcasestr(s->ev[k].name, needle) ||
		    attrs_match(s->ev[k].attr, s->ev[k].nattr, needle))
			return 1;
	return 0;
}
