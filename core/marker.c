/* marker: derivation and the sorted, bounded marker list.
 * Invariants: m is sorted by t; no two entries share (second, type,
 * what); at most max entries (the oldest are dropped and counted). */
#include "core/marker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define WHAT_MAX	240

void
marker_list_init(struct marker_list *l, size_t max)
{
	memset(l, 0, sizeof *l);
	l->max = max ? max : 5000;
}

void
marker_list_free(struct marker_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->m[i].what);
	free(l->m);
	memset(l, 0, sizeof *l);
}

size_t
marker_lower_bound(const struct marker_list *l, tns from)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->m[mid].t < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
marker_add(struct marker_list *l, tns t, enum marker_type type, const char *what)
{
	tns sec = t / NS_PER_S;
	size_t i;

	if (t == TNS_NONE)
		return;
	for (i = marker_lower_bound(l, sec * NS_PER_S); i < l->n && l->m[i].t / NS_PER_S == sec; i++)
		if (l->m[i].type == type && strcmp(l->m[i].what, what) == 0)
			return;
	if (l->n == l->max) {
		if (t < l->m[0].t) {
			l->dropped++;
			return;
		}
		free(l->m[0].what);
		memmove(l->m, l->m + 1, (l->n - 1) * sizeof *l->m);
		l->n--;
		l->dropped++;
	}
	xgrow(&l->m, &l->cap, l->n + 1, sizeof *l->m);
	i = l->n;
	while (i > 0 && l->m[i - 1].t > t)
		i--;
	memmove(l->m + i + 1, l->m + i, (l->n - i) * sizeof *l->m);
	l->m[i] = (struct marker){ t, (uint8_t)type, xstrndup(what, WHAT_MAX) };
	l->n++;
	l->gen++;
}

static int
eq(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

static void
from_event(struct marker_list *l, const struct kevent *old, const struct kevent *e)
{
	enum marker_type type;
	char what[WHAT_MAX];

	if (eq(e->reason, "ScalingReplicaSet") || eq(e->reason, "DeploymentRollback"))
		type = MK_ROLLOUT;
	else if (eq(e->reason, "SuccessfulRescale"))
		type = MK_SCALE;
	else if (eq(e->reason, "OOMKilling"))
		type = MK_RESTART;
	else
		return;
	snprintf(what, sizeof what, "%s %s: %s", e->reason, e->obj_name ? e->obj_name : "?",
	    e->message ? e->message : "");
	/* first occurrence, then every newly observed last occurrence */
	if (!old)
		marker_add(l, e->first, type, what);
	if (!old || old->last != e->last)
		marker_add(l, e->last, type, what);
}

static int
restarts(const struct kpod *p, tns *last)
{
	int n = 0;

	*last = TNS_NONE;
	for (size_t i = 0; i < p->nst_c + (size_t)p->nst_i; i++) {
		const struct kcstatus *s = i < p->nst_c ? &p->st_c[i] : &p->st_i[i - p->nst_c];
		n += s->restarts;
		if (s->has_last && s->last_finished != TNS_NONE &&
		    (*last == TNS_NONE || s->last_finished > *last))
			*last = s->last_finished;
	}
	return n;
}

static void
from_pod(struct marker_list *l, tns t, const struct kpod *old, const struct kpod *p)
{
	tns last, olast;
	int n = restarts(p, &last), on = old ? restarts(old, &olast) : 0;
	char what[WHAT_MAX];

	if (n <= on || n == 0)
		return;
	snprintf(what, sizeof what, "restart %s (%d restart%s)", p->meta.name, n, n == 1 ? "" : "s");
	marker_add(l, last != TNS_NONE ? last : t, MK_RESTART, what);
}

void
marker_from_change(void *list, enum kube_kind kind, tns t, const void *old, const void *new)
{
	if (!new)
		return;
	if (kind == KK_EVENT)
		from_event(list, old, new);
	else if (kind == KK_POD)
		from_pod(list, t, old, new);
}

const char *
marker_type_name(enum marker_type type)
{
	static const char *const names[MK_TYPES] = { "rollout", "scale", "restart" };
	return (unsigned)type < MK_TYPES ? names[type] : "?";
}
