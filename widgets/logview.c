/* logview: k-way walking over the keys of a log pane.
 * Invariant: 0 <= c->pos[k] <= logbuf_len(b[k]) for every key. */
#include "widgets/logview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/logline.h"
#include "core/xalloc.h"
#include "widgets/focus.h"

static size_t
klen(const struct logview *v, size_t k)
{
	return v->b[k] ? logbuf_len(v->b[k]) : 0;
}

void
lv_begin(const struct logview *v, struct mcur *c)
{
	for (size_t k = 0; k < LF_KEYS; k++)
		c->pos[k] = 0;
	(void)v;
}

void
lv_end(const struct logview *v, struct mcur *c)
{
	for (size_t k = 0; k < LF_KEYS; k++)
		c->pos[k] = k < v->nk ? klen(v, k) : 0;
}

size_t
lv_total(const struct logview *v)
{
	size_t n = 0;
	for (size_t k = 0; k < v->nk; k++)
		n += klen(v, k);
	return n;
}

static void
fill(const struct logview *v, int k, size_t pos, struct lline *out)
{
	out->k = k;
	out->pos = pos;
	out->seq = logbuf_seq(v->b[k], pos);
	out->r = logbuf_get(v->b[k], out->seq, &out->text);
}

int
lv_prev(const struct logview *v, struct mcur *c, struct lline *out)
{
	int best = -1;
	tns bt = 0;

	for (size_t k = 0; k < v->nk; k++) {
		tns t;
		if (c->pos[k] > klen(v, k))
			c->pos[k] = klen(v, k);
		if (!c->pos[k])
			continue;
		t = logbuf_time(v->b[k], c->pos[k] - 1);
		if (best < 0 || t >= bt) {	/* ties: the higher key comes later */
			best = (int)k;
			bt = t;
		}
	}
	if (best < 0)
		return 0;
	c->pos[best]--;
	fill(v, best, c->pos[best], out);
	return 1;
}

int
lv_next(const struct logview *v, struct mcur *c, struct lline *out)
{
	int best = -1;
	tns bt = 0;

	for (size_t k = 0; k < v->nk; k++) {
		tns t;
		if (c->pos[k] >= klen(v, k))
			continue;
		t = logbuf_time(v->b[k], c->pos[k]);
		if (best < 0 || t < bt) {	/* ties: the lower key comes first */
			best = (int)k;
			bt = t;
		}
	}
	if (best < 0)
		return 0;
	fill(v, best, c->pos[best], out);
	c->pos[best]++;
	return 1;
}

int
lv_shown(const struct logview *v, const struct lline *l, int *dimmed)
{
	int pass;

	*dimmed = 0;
	if (!l->r)
		return 0;
	if (v->until != TNS_NONE && l->r->t > v->until)
		return 0;
	if (LREC_FLAGS(l->r) & LR_GAP)
		return 1;
	if (v->focus[0] && (l->r->stream >= v->nfok[l->k] || !v->fok[l->k][l->r->stream]))
		return 0;
	if (v->level_min > LV_NONE && (int)LREC_LEVEL(l->r) < v->level_min)
		return 0;
	pass = v->fs ? lfset_pass(v->fs, (size_t)l->k, l->seq, NULL, NULL) : 1;
	if (pass == 1)
		return 1;
	if (v->dim) {
		*dimmed = 1;
		return 1;
	}
	return 0;	/* filtered out, or not computed yet */
}

int
lv_prev_shown(const struct logview *v, struct mcur *c, struct lline *out, size_t max)
{
	int dim;
	size_t n = 0;

	while (lv_prev(v, c, out)) {
		if (lv_shown(v, out, &dim))
			return 1;
		if (max && ++n >= max)
			return 0;
	}
	return 0;
}

int
lv_next_shown(const struct logview *v, struct mcur *c, struct lline *out, size_t max)
{
	int dim;
	size_t n = 0;

	while (lv_next(v, c, out)) {
		if (lv_shown(v, out, &dim))
			return 1;
		if (max && ++n >= max)
			return 0;
	}
	return 0;
}

void
lv_cursor_at(const struct logview *v, int k, tns t, uint64_t seq, struct mcur *c)
{
	for (size_t j = 0; j < LF_KEYS; j++) {
		if (j >= v->nk || !v->b[j]) {
			c->pos[j] = 0;
			continue;
		}
		if ((int)j < k)	/* equal times of lower keys come first */
			c->pos[j] = logbuf_lower_bound(v->b[j], t == INT64_MAX ? t : t + 1);
		else if ((int)j > k)
			c->pos[j] = logbuf_lower_bound(v->b[j], t);
		else
			c->pos[j] = logbuf_find(v->b[j], t, seq);
	}
}

void
lv_focus(struct logview *v, const char *svc, const char *ns)
{
	int changed = strcmp(v->focus, svc ? svc : "") || strcmp(v->focus_ns, ns ? ns : "");

	if (changed) {
		snprintf(v->focus, sizeof v->focus, "%s", svc ? svc : "");
		snprintf(v->focus_ns, sizeof v->focus_ns, "%s", ns ? ns : "");
	}
	for (size_t k = 0; k < LF_KEYS; k++) {
		const struct labelset *ls;
		if (changed || k >= v->nk || v->fokb[k] != v->b[k])
			v->nfok[k] = 0;
		v->fokb[k] = k < v->nk ? v->b[k] : NULL;
		if (!v->focus[0] || !v->fokb[k])
			continue;
		/* streams are never removed: only new ids need a verdict */
		while ((ls = logbuf_stream(v->fokb[k], v->nfok[k]))) {
			xgrow(&v->fok[k], &v->capfok[k], (size_t)v->nfok[k] + 1, 1);
			v->fok[k][v->nfok[k]++] = (uint8_t)focus_stream(ls, v->focus,
			    v->focus_ns[0] ? v->focus_ns : NULL);
		}
	}
}

void
lv_free(struct logview *v)
{
	for (size_t k = 0; k < LF_KEYS; k++) {
		free(v->fok[k]);
		v->fok[k] = NULL;
		v->nfok[k] = v->capfok[k] = 0;
	}
}
