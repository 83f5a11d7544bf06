/* podrows: pod -> row, owners and resource totals, usage index.
 * Invariant: podmetrics values point into the view's objects and are
 * valid until the store changes (rebuilt whenever the view gen moves). */
#include "widgets/podrows.h"

#include <stdio.h>
#include <string.h>

void
podmetrics_free(struct podmetrics *pm)
{
	hmap_free(&pm->m, NULL);
	memset(pm, 0, sizeof *pm);
}

void
podmetrics_update(struct podmetrics *pm, const struct kube_view *v, int have)
{
	if (pm->gen == v->gen && pm->have == have && pm->m.cap)
		return;
	hmap_free(&pm->m, NULL);
	hmap_init(&pm->m);
	for (size_t i = 0; have && i < v->n; i++) {
		char id[512];
		kube_obj_id(v->items[i], id, sizeof id);
		hmap_put(&pm->m, id, (void *)v->items[i]);
	}
	pm->gen = v->gen;
	pm->have = have;
	pm->unavailable = have && v->unavailable;
}

const struct kmetric *
podmetrics_get(const struct podmetrics *pm, const char *ns, const char *name)
{
	char id[512];
	struct kmeta m = { (char *)ns, (char *)name };

	const struct kmetric *r;

	if (!pm || !pm->have)
		return NULL;
	kube_obj_id(&m, id, sizeof id);
	if ((r = hmap_get(&pm->m, id)))
		return r;
	/* top without --namespace names no namespace: match by name */
	m.ns = "";
	kube_obj_id(&m, id, sizeof id);
	return hmap_get(&pm->m, id);
}

const char *
pod_owner(const struct kpod *p, char *name, size_t n)
{
	const char *k = p->owner_kind, *hash = kpod_label(p, "pod-template-hash");

	if (!k || !p->owner_name) {
		snprintf(name, n, "%s", p->meta.name);
		return "Pod";
	}
	snprintf(name, n, "%s", p->owner_name);
	if (strcmp(k, "ReplicaSet") == 0) {
		size_t ln = strlen(p->owner_name), lh = hash ? strlen(hash) : 0;
		if (hash && ln > lh + 1 && p->owner_name[ln - lh - 1] == '-' &&
		    strcmp(p->owner_name + ln - lh, hash) == 0 && ln - lh - 1 < n) {
			name[ln - lh - 1] = '\0';
			return "Deployment";
		}
		return "ReplicaSet";
	}
	if (strcmp(k, "StatefulSet") == 0)
		return "StatefulSet";
	if (strcmp(k, "DaemonSet") == 0)
		return "DaemonSet";
	if (strcmp(k, "Job") == 0)
		return "Job";
	return "Owner";
}

static void
add(int64_t *sum, int64_t v, int *missing)
{
	if (v < 0) {
		*missing = 1;
		return;
	}
	*sum = *sum < 0 ? v : *sum + v;
}

static void
totals(struct podrow *r, const struct kpod *p)
{
	int mr = 0, ml = 0, mrm = 0, mlm = 0;

	r->req_cpu = r->lim_cpu = r->req_mem = r->lim_mem = -1;
	for (size_t i = 0; i < p->nspec_c + (size_t)p->nspec_i; i++) {
		const struct kcspec *c = i < p->nspec_c ? &p->spec_c[i] : &p->spec_i[i - p->nspec_c];
		if (i >= p->nspec_c && !c->restartable)
			continue;	/* plain init containers do not run alongside */
		add(&r->req_cpu, c->req_cpu, &mr);
		add(&r->lim_cpu, c->lim_cpu, &ml);
		add(&r->req_mem, c->req_mem, &mrm);
		add(&r->lim_mem, c->lim_mem, &mlm);
	}
	/* a container without a limit makes the pod unbounded */
	if (ml)
		r->lim_cpu = -1;
	if (mlm)
		r->lim_mem = -1;
}

void
podrow_fill(struct podrow *r, const struct kpod *p, int src, const struct podmetrics *pm)
{
	const struct kmetric *m = podmetrics_get(pm, p->meta.ns, p->meta.name);

	memset(r, 0, sizeof *r);
	r->p = p;
	r->src = src;
	pod_status_compute(p, &r->st);
	r->cpu_m = m ? m->cpu_m : -1;
	r->mem = m ? m->mem : -1;
	totals(r, p);
	r->owner_kind = pod_owner(p, r->owner, sizeof r->owner);
}
