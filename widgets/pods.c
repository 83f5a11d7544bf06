/* pods: `kubectl get pods`, richer — READY, STATUS and RESTARTS exactly as
 * kubectl prints them, AGE, NODE, CPU and memory from `kubectl top` with
 * bars against limits (or requests), one panel over one or more kubectl
 * sources (a CONTEXT column appears with more than one).
 * Unhealthy rows are coloured and, by default, sorted first; any column
 * sorts (s / S); '/' filters by regex; o groups by owner (Deployment,
 * StatefulSet, DaemonSet, Job) with the deployment's rollout state.
 * Enter opens the pod's detail, l its logs (Loki when configured, else
 * kubectl logs).  Everything is drawn as it was at the time cursor (or the
 * window's end), from the store's object history.
 * Invariant: the row model is rebuilt only when a view generation or an
 * option changed; drawing formats only the visible rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/quantity.h"
#include "core/xalloc.h"
#include "widgets/focus.h"
#include "widgets/kubeui.h"
#include "widgets/podrows.h"
#include "widgets/rowfilter.h"
#include "widgets/widget.h"

static const char *const pods_types[] = { "kubectl", NULL };
static const char *const pods_opts[] = { "sort", "group", "metrics", "filter", "reverse", NULL };

enum { C_CTX, C_NS, C_NAME, C_READY, C_STATUS, C_RESTARTS, C_AGE, C_NODE, C_CPU, C_MEM, C_N };
#define SORT_HEALTH	(-1)

static const char *const col_title[C_N] = { "CONTEXT", "NAMESPACE", "NAME", "READY", "STATUS",
	"RESTARTS", "AGE", "NODE", "CPU", "MEMORY" };
static const char *const sort_names[C_N] = { "context", "namespace", "name", "ready", "status",
	"restarts", "age", "node", "cpu", "memory" };

struct pgroup {
	const char		*kind;
	char			 name[128];
	int			 src;
	int			 n, ready, bad, warn, restarts;
	int			 worst;
	int			 collapsed;
	const struct kdeploy	*d;
};

struct pent {
	uint8_t		 group;		/* 1: a group header */
	uint32_t	 idx;
};

struct pods_state {
	int			 sort, desc, group, metrics;
	struct rowfilter	 filt;
	struct podrow		*rows;
	size_t			 nrows, caprows;
	struct pgroup		*groups;
	size_t			 ngroups, capgroups;
	struct pent		*disp;
	size_t			 ndisp, capdisp;
	struct podmetrics	 pm[NEED_MAX];
	uint64_t		 sig[3 * NEED_MAX + 1];	/* what the model was built from */
	int			 dirty;
	int			 nsrc, multi_ns;
	int			 sel, top;
	int			 wname, wstatus, wnode, wctx, wns;
	struct kube_view	 pview[NEED_MAX];	/* pods views of the last build */
	char			 collapsed[32][128];	/* collapsed group names */
	int			 ncollapsed;
	int			 counts[3];		/* pods per health */
	int			 metrics_state;		/* 0 none, 1 some, 2 unavailable */
	char			 focus[256], focus_ns[256];	/* the focus service built for */
};

/* ------------------------------------------------------------ init */

static int
sort_from(const char *s)
{
	if (!s || strcmp(s, "health") == 0)
		return SORT_HEALTH;
	for (int i = 0; i < C_N; i++)
		if (strcmp(s, sort_names[i]) == 0)
			return i;
	return -2;
}

static int
pods_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct pods_state *s = xcalloc(1, sizeof *s);
	const cJSON *o = p->cfg->options;
	const char *sort = jd_str(doc, dg, o, p->cfg->path, "sort", "health");
	const char *filter = jd_str(doc, dg, o, p->cfg->path, "filter", NULL);
	char *err = NULL;

	p->w = s;
	s->sort = sort_from(sort);
	if (s->sort == -2) {
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, "sort"), 0,
		    "%s.options.sort: unknown column '%s' (health, name, namespace, ready, status, "
		    "restarts, age, node, cpu, memory, context)", p->cfg->path, sort);
		s->sort = SORT_HEALTH;
	}
	s->desc = jd_bool(doc, dg, o, p->cfg->path, "reverse", 0);
	s->group = jd_bool(doc, dg, o, p->cfg->path, "group", 0);
	s->metrics = jd_bool(doc, dg, o, p->cfg->path, "metrics", 1);
	if (filter && rowfilter_set(&s->filt, filter, &err) < 0) {
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, "filter"), 0,
		    "%s.options.filter: %s", p->cfg->path, err);
		free(err);
	}
	s->dirty = 1;
	return 0;
}

static void
pods_free(struct panel *p)
{
	struct pods_state *s = p->w;

	if (!s)
		return;
	rowfilter_free(&s->filt);
	for (int i = 0; i < NEED_MAX; i++)
		podmetrics_free(&s->pm[i]);
	free(s->rows);
	free(s->groups);
	free(s->disp);
	free(s);
	p->w = NULL;
}

static size_t
pods_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	struct pods_state *s = p->w;
	size_t nq = p->cfg->nq ? p->cfg->nq : 1, n = 0;

	(void)c;
	(void)h;
	for (size_t qi = 0; qi < nq; qi++) {
		if (p->cfg->nq && p->cfg->q[qi].hide)
			continue;
		if (n < max)
			out[n++] = (struct need){ .qi = qi, .kind = "pods" };
		if (s->metrics && w >= 90 && n < max)
			out[n++] = (struct need){ .qi = qi, .kind = "top" };
		if (s->group && n < max)
			out[n++] = (struct need){ .qi = qi, .kind = "deployments" };
	}
	return n;
}

/* ------------------------------------------------------------ model */

static int sort_col, sort_desc;	/* qsort has no context argument */

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int
cmp_num(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int
cmp_rows(const void *x, const void *y)
{
	const struct podrow *a = x, *b = y;
	int c = 0;

	switch (sort_col) {
	case SORT_HEALTH: c = cmp_num(b->st.health, a->st.health); break;
	case C_CTX: c = cmp_num(a->src, b->src); break;
	case C_NS: c = cmp_str(a->p->meta.ns, b->p->meta.ns); break;
	case C_NAME: c = cmp_str(a->p->meta.name, b->p->meta.name); break;
	case C_READY: c = cmp_num((int64_t)a->st.ready * b->st.total, (int64_t)b->st.ready * a->st.total); break;
	case C_STATUS: c = cmp_str(a->st.status, b->st.status); break;
	case C_RESTARTS: c = cmp_num(b->st.restarts, a->st.restarts); break;
	case C_AGE: c = cmp_num(b->p->created, a->p->created); break;
	case C_NODE: c = cmp_str(a->p->node, b->p->node); break;
	case C_CPU: c = cmp_num(b->cpu_m, a->cpu_m); break;
	case C_MEM: c = cmp_num(b->mem, a->mem); break;
	default: break;
	}
	if (sort_desc)
		c = -c;
	if (!c)
		c = cmp_str(a->p->meta.ns, b->p->meta.ns);
	if (!c)
		c = cmp_str(a->p->meta.name, b->p->meta.name);
	return c ? c : cmp_num(a->src, b->src);
}

static int
row_matches(const struct pods_state *s, const struct podrow *r)
{
	char text[1024];
	int n;

	if (!rowfilter_active(&s->filt))
		return 1;
	n = snprintf(text, sizeof text, "%s %s %s %s %s/%s", r->p->meta.name, r->p->meta.ns,
	    r->st.status, r->p->node ? r->p->node : "", r->owner_kind, r->owner);
	return rowfilter_match(&s->filt, text, n < (int)sizeof text ? (size_t)n : sizeof text - 1,
	    NULL, NULL);
}

static const struct kdeploy *
find_deploy(const struct kube_view *v, const char *ns, const char *name)
{
	for (size_t i = 0; v && i < v->n; i++) {
		const struct kdeploy *d = v->items[i];
		if (strcmp(d->meta.name, name) == 0 && strcmp(d->meta.ns, ns) == 0)
			return d;
	}
	return NULL;
}

static int
is_collapsed(const struct pods_state *s, const char *name)
{
	for (int i = 0; i < s->ncollapsed; i++)
		if (strcmp(s->collapsed[i], name) == 0)
			return 1;
	return 0;
}

static struct pgroup *
group_of(struct pods_state *s, const struct podrow *r)
{
	for (size_t i = 0; i < s->ngroups; i++) {
		struct pgroup *g = &s->groups[i];
		if (g->src == r->src && g->kind == r->owner_kind && strcmp(g->name, r->owner) == 0)
			return g;
	}
	xgrow(&s->groups, &s->capgroups, s->ngroups + 1, sizeof *s->groups);
	memset(&s->groups[s->ngroups], 0, sizeof *s->groups);
	s->groups[s->ngroups].kind = r->owner_kind;
	s->groups[s->ngroups].src = r->src;
	snprintf(s->groups[s->ngroups].name, sizeof s->groups[s->ngroups].name, "%s", r->owner);
	return &s->groups[s->ngroups++];
}

static int
cmp_groups(const void *x, const void *y)
{
	const struct pgroup *a = x, *b = y;
	int c = sort_col == SORT_HEALTH && !sort_desc ? b->worst - a->worst : 0;
	if (!c)
		c = strcmp(a->name, b->name);
	if (!c)
		c = strcmp(a->kind, b->kind);
	return c ? c : a->src - b->src;
}

static void
push_disp(struct pods_state *s, int group, size_t idx)
{
	xgrow(&s->disp, &s->capdisp, s->ndisp + 1, sizeof *s->disp);
	s->disp[s->ndisp++] = (struct pent){ (uint8_t)group, (uint32_t)idx };
}

static void
build_groups(struct pods_state *s, const struct kube_view *dviews)
{
	s->ngroups = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		struct podrow *r = &s->rows[i];
		struct pgroup *g = group_of(s, r);
		g->n++;
		g->ready += r->st.ready == r->st.total && r->st.total > 0;
		g->bad += r->st.health == PH_BAD;
		g->warn += r->st.health == PH_WARN;
		g->restarts += r->st.restarts;
		if ((int)r->st.health > g->worst)
			g->worst = (int)r->st.health;
	}
	sort_col = s->sort;
	sort_desc = s->desc;
	if (s->ngroups > 1)
		qsort(s->groups, s->ngroups, sizeof *s->groups, cmp_groups);
	for (size_t gi = 0; gi < s->ngroups; gi++) {
		struct pgroup *g = &s->groups[gi];
		if (strcmp(g->kind, "Deployment") == 0 && s->rows && g->src < NEED_MAX)
			for (size_t i = 0; i < s->nrows && !g->d; i++)
				if (s->rows[i].src == g->src && strcmp(s->rows[i].owner, g->name) == 0)
					g->d = find_deploy(&dviews[g->src], s->rows[i].p->meta.ns, g->name);
		g->collapsed = is_collapsed(s, g->name);
		push_disp(s, 1, gi);
		for (size_t i = 0; i < s->nrows && !g->collapsed; i++)
			if (s->rows[i].src == g->src && s->rows[i].owner_kind == g->kind &&
			    strcmp(s->rows[i].owner, g->name) == 0)
				push_disp(s, 0, i);
	}
}

static void
measure(struct pods_state *s)
{
	s->wname = 4;
	s->wstatus = 6;
	s->wnode = 4;
	s->wns = 9;
	s->multi_ns = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		const struct podrow *r = &s->rows[i];
		int n = (int)strlen(r->p->meta.name), st = (int)strlen(r->st.status);
		int nd = r->p->node ? (int)strlen(r->p->node) : 6, ns = (int)strlen(r->p->meta.ns);
		s->wname = n > s->wname ? n : s->wname;
		s->wstatus = st > s->wstatus ? st : s->wstatus;
		s->wnode = nd > s->wnode ? nd : s->wnode;
		s->wns = ns > s->wns ? ns : s->wns;
		if (i && strcmp(r->p->meta.ns, s->rows[0].p->meta.ns) != 0)
			s->multi_ns = 1;
	}
	s->wname = s->wname > 63 ? 63 : s->wname;
	s->wstatus = s->wstatus > 26 ? 26 : s->wstatus;
	s->wnode = s->wnode > 20 ? 20 : s->wnode;
	s->wns = s->wns > 20 ? 20 : s->wns;
}

static void
fill_rows(struct pods_state *s)
{
	s->nrows = 0;
	memset(s->counts, 0, sizeof s->counts);
	for (int q = 0; q < s->nsrc; q++)
		for (size_t i = 0; i < s->pview[q].n; i++) {
			struct podrow r;
			if (*s->focus && !focus_pod(s->pview[q].items[i], s->focus, s->focus_ns))
				continue;
			podrow_fill(&r, s->pview[q].items[i], q, &s->pm[q]);
			s->counts[r.st.health]++;
			if (!row_matches(s, &r))
				continue;
			xgrow(&s->rows, &s->caprows, s->nrows + 1, sizeof *s->rows);
			s->rows[s->nrows++] = r;
		}
}

static void
build(struct panel *p, const struct wctx *c, tns at)
{
	struct pods_state *s = p->w;
	struct kube_view tv[NEED_MAX], dv[NEED_MAX];
	uint64_t sig[3 * NEED_MAX + 1];
	size_t ns = 0;

	memset(tv, 0, sizeof tv);
	memset(dv, 0, sizeof dv);
	memset(sig, 0, sizeof sig);
	memset(s->pview, 0, sizeof s->pview);
	s->nsrc = 0;
	s->metrics_state = 0;
	for (size_t k = 0; k < p->nneed; k++) {
		size_t q = p->need[k].qi;
		if (q >= NEED_MAX || !p->key[k])
			continue;
		if ((int)q + 1 > s->nsrc)
			s->nsrc = (int)q + 1;
		if (strcmp(p->need[k].kind, "pods") == 0)
			store_kube(c->store, p->key[k], at, &s->pview[q]);
		else if (strcmp(p->need[k].kind, "top") == 0) {
			int have = store_kube(c->store, p->key[k], at, &tv[q]) == 0;
			podmetrics_update(&s->pm[q], &tv[q], have);
			if (s->pm[q].unavailable)
				s->metrics_state = 2;
			else if (have && !s->metrics_state)
				s->metrics_state = 1;
		} else if (strcmp(p->need[k].kind, "deployments") == 0)
			store_kube(c->store, p->key[k], at, &dv[q]);
	}
	for (int q = 0; q < s->nsrc; q++) {
		sig[ns++] = s->pview[q].gen;
		sig[ns++] = tv[q].gen;
		sig[ns++] = dv[q].gen;
	}
	sig[ns++] = (uint64_t)s->nsrc;
	if (strcmp(s->focus, c->focus ? c->focus : "") || strcmp(s->focus_ns, c->focus_ns ? c->focus_ns : "")) {
		snprintf(s->focus, sizeof s->focus, "%s", c->focus ? c->focus : "");
		snprintf(s->focus_ns, sizeof s->focus_ns, "%s", c->focus_ns ? c->focus_ns : "");
		s->dirty = 1;
	}
	if (!s->dirty && memcmp(sig, s->sig, sizeof sig) == 0)
		return;
	memcpy(s->sig, sig, sizeof sig);
	s->dirty = 0;
	fill_rows(s);
	sort_col = s->sort;
	sort_desc = s->desc;
	if (s->nrows > 1)	/* qsort(NULL, 0) is undefined */
		qsort(s->rows, s->nrows, sizeof *s->rows, cmp_rows);
	s->ndisp = 0;
	if (s->group)
		build_groups(s, dv);
	else
		for (size_t i = 0; i < s->nrows; i++)
			push_disp(s, 0, i);
	measure(s);
	if (s->sel >= (int)s->ndisp)
		s->sel = s->ndisp ? (int)s->ndisp - 1 : 0;
}

/* ------------------------------------------------------------ layout */

struct colspec {
	int	id, w, prio, right;
};

static int
layout(const struct pods_state *s, int width, struct colspec *cols)
{
	struct colspec all[C_N] = {
		{ C_CTX, s->wctx, 9, 0 }, { C_NS, s->wns, 8, 0 }, { C_NAME, s->wname, 10, 0 },
		{ C_READY, 5, 9, 0 }, { C_STATUS, s->wstatus, 10, 0 }, { C_RESTARTS, 15, 7, 0 },
		{ C_AGE, 6, 6, 0 }, { C_NODE, s->wnode, 3, 0 }, { C_CPU, 11, 5, 0 },
		{ C_MEM, 11, 4, 0 },
	};
	int n = 0, total = 0;

	for (int i = 0; i < C_N; i++) {
		if (all[i].id == C_CTX && s->nsrc < 2)
			continue;
		if (all[i].id == C_NS && !s->multi_ns)
			continue;
		if ((all[i].id == C_CPU || all[i].id == C_MEM) && !s->metrics_state)
			continue;
		cols[n++] = all[i];
	}
	for (;;) {
		int low = -1;
		total = 0;
		for (int i = 0; i < n; i++)
			total += cols[i].w + (i ? 1 : 0);
		if (total <= width)
			break;
		for (int i = 0; i < n; i++)
			if (cols[i].prio < 10 && (low < 0 || cols[i].prio < cols[low].prio))
				low = i;
		if (low < 0)
			break;
		/* before losing a column, RESTARTS gives up its "(12m ago)" */
		for (int i = 0; i < n; i++)
			if (cols[i].id == C_RESTARTS && cols[i].w > 8 && cols[low].prio >= 6) {
				cols[i].w = 8;
				low = -1;
				break;
			}
		if (low < 0)
			continue;
		memmove(cols + low, cols + low + 1, (size_t)(n - low - 1) * sizeof *cols);
		n--;
	}
	if (total > width)	/* still too wide: the name gives way */
		for (int i = 0; i < n; i++)
			if (cols[i].id == C_NAME) {
				cols[i].w -= total - width;
				if (cols[i].w < 4)
					cols[i].w = 4;
			}
	return n;
}

/* ------------------------------------------------------------ draw */

static enum role
health_role(enum pod_health h, const char *status)
{
	if (h == PH_BAD)
		return ROLE_ERROR;
	if (h == PH_WARN)
		return ROLE_WARN;
	return strcmp(status, "Completed") == 0 ? ROLE_DIM : ROLE_TEXT;
}

static void
draw_usage(struct canvas *cv, int x, int y, int64_t v, int64_t req, int64_t lim, int cpu,
    const struct wctx *c, enum role base)
{
	char num[16];
	int64_t cap = lim > 0 ? lim : req;
	enum role r = base;

	if (v < 0) {
		canvas_str(cv, x + 4, y, 1, "-", ROLE_DIM, 0);
		return;
	}
	if (cpu)
		quantity_fmt_cpu(v, num, sizeof num);
	else
		quantity_fmt_mem(v, num, sizeof num);
	if (cap > 0) {
		double f = (double)v / (double)cap;
		r = lim > 0 && f >= 0.9 ? ROLE_ERROR : req > 0 && v > req ? ROLE_WARN : ROLE_OK;
		kubeui_bar(cv, x + 6, y, 5, f, r, c->ascii);
	}
	canvas_str_right(cv, x + 5, y, num, base == ROLE_TEXT ? r : base, 0);
}

static void
cell(struct canvas *cv, const struct colspec *col, int x, int y, const struct podrow *r,
    const struct wctx *c, tns at, enum role role, const struct panel *p)
{
	char b[64];

	switch (col->id) {
	case C_CTX: {
		const char *src = dashboard_query_source(p->cfg, (size_t)r->src);
		canvas_str(cv, x, y, col->w, src ? src : "-", role, 0);
		break;
	}
	case C_NS: canvas_str(cv, x, y, col->w, r->p->meta.ns, role, 0); break;
	case C_NAME: {
		struct text_opts o = { .role = role, .ellipsis = 1 };
		canvas_text(cv, x, y, col->w, r->p->meta.name, strlen(r->p->meta.name), &o, NULL);
		break;
	}
	case C_READY:
		snprintf(b, sizeof b, "%d/%d", r->st.ready, r->st.total);
		canvas_str(cv, x, y, col->w, b, role, 0);
		break;
	case C_STATUS: canvas_str(cv, x, y, col->w, r->st.status, role, r->st.health == PH_BAD ? CA_BOLD : 0); break;
	case C_RESTARTS:
		if (col->w >= 12)
			pod_restarts_fmt(&r->st, at, b, sizeof b);
		else
			snprintf(b, sizeof b, "%d", r->st.restarts);
		canvas_str(cv, x, y, col->w, b, r->st.restarts ? role : ROLE_DIM, 0);
		break;
	case C_AGE:
		kube_age(r->p->created, at, b, sizeof b);
		canvas_str(cv, x, y, col->w, b, role, 0);
		break;
	case C_NODE: canvas_str(cv, x, y, col->w, r->p->node ? r->p->node : "<none>", role, 0); break;
	case C_CPU: draw_usage(cv, x, y, r->cpu_m, r->req_cpu, r->lim_cpu, 1, c, role); break;
	case C_MEM: draw_usage(cv, x, y, r->mem, r->req_mem, r->lim_mem, 0, c, role); break;
	}
}

static void
draw_header(struct canvas *cv, int y, const struct colspec *cols, int n, const struct pods_state *s,
    const struct wctx *c)
{
	int x = s->group ? 2 : 0;

	for (int i = 0; i < n; i++) {
		int w = canvas_str(cv, x, y, cols[i].w, col_title[cols[i].id], ROLE_AXIS, CA_BOLD);
		if (cols[i].id == s->sort)
			canvas_str(cv, x + w, y, 2, s->desc ? (c->ascii ? "^" : "\xe2\x96\xb4") :
			    (c->ascii ? "v" : "\xe2\x96\xbe"), ROLE_AXIS, CA_BOLD);
		x += cols[i].w + 1;
	}
}

static void
draw_group(struct canvas *cv, int y, const struct pgroup *g, const struct wctx *c, int w)
{
	char b[512];
	enum role r = g->worst == PH_BAD ? ROLE_ERROR : g->worst == PH_WARN ? ROLE_WARN : ROLE_TITLE;
	int x;

	x = canvas_str(cv, 0, y, w, g->collapsed ? (c->ascii ? "+ " : "\xe2\x96\xb8 ") :
	    (c->ascii ? "- " : "\xe2\x96\xbe "), r, CA_BOLD);
	snprintf(b, sizeof b, "%s/%s", g->kind, g->name);
	x += canvas_str(cv, x, y, w - x, b, r, CA_BOLD);
	if (g->d) {
		const struct kdeploy *d = g->d;
		snprintf(b, sizeof b, "  desired %d  ready %d  updated %d  unavailable %d%s%s",
		    d->replicas, d->ready, d->updated, d->unavailable,
		    d->progress_reason ? "  " : "", d->progress_reason ? d->progress_reason : "");
	} else
		snprintf(b, sizeof b, "  pods %d  ready %d", g->n, g->ready);
	x += canvas_str(cv, x, y, w - x, b, ROLE_TEXT, 0);
	if (g->bad || g->warn || g->restarts) {
		snprintf(b, sizeof b, "  (%d failing, %d pending, %d restarts)", g->bad, g->warn, g->restarts);
		canvas_str(cv, x, y, w - x, b, g->bad ? ROLE_ERROR : ROLE_WARN, 0);
	}
}

static void
draw_summary(struct canvas *cv, const struct panel *p, const struct pods_state *s,
    const struct wctx *c, tns at)
{
	char b[512], clk[32];
	int x = 0;
	size_t total = (size_t)s->counts[0] + (size_t)s->counts[1] + (size_t)s->counts[2];

	snprintf(b, sizeof b, "%zu pods", total);
	x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_TEXT, CA_BOLD);
	if (s->counts[PH_BAD]) {
		snprintf(b, sizeof b, "  %d failing", s->counts[PH_BAD]);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_ERROR, CA_BOLD);
	}
	if (s->counts[PH_WARN]) {
		snprintf(b, sizeof b, "  %d not ready", s->counts[PH_WARN]);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_WARN, 0);
	}
	if (rowfilter_active(&s->filt)) {
		snprintf(b, sizeof b, "  %zu shown for /%s/", s->nrows, s->filt.pattern);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_MATCH, 0);
	}
	if (*s->focus) {
		snprintf(b, sizeof b, "  of %s (focus)", s->focus);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_MATCH, 0);
	}
	if (s->metrics_state == 2)
		x += canvas_str(cv, x, 0, cv->w - x, "  metrics unavailable", ROLE_DIM, 0);
	if (c->view->cursor != TNS_NONE || !c->view->live) {
		ts_fmt_clock(clk, sizeof clk, at, c->view->utc, 1);
		snprintf(b, sizeof b, "  as of %s", clk);
		x += canvas_str(cv, x, 0, cv->w - x, b, ROLE_CURSOR, 0);
	}
	for (int q = 0; q < s->nsrc; q++)
		if (s->pview[q].horizon != TNS_NONE && at < s->pview[q].horizon) {
			x += canvas_str(cv, x, 0, cv->w - x, "  (history before this was dropped)",
			    ROLE_STALE, 0);
			break;
		}
	(void)p;
	(void)x;
}

static void
draw_rows(struct canvas *cv, int y0, const struct colspec *cols, int n, struct panel *p,
    const struct wctx *c, tns at)
{
	struct pods_state *s = p->w;
	int rows = cv->h - y0;

	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + rows)
		s->top = s->sel - rows + 1;
	if (s->top > (int)s->ndisp - rows)
		s->top = (int)s->ndisp - rows > 0 ? (int)s->ndisp - rows : 0;
	for (int i = 0; i < rows && s->top + i < (int)s->ndisp; i++) {
		const struct pent *e = &s->disp[s->top + i];
		int y = y0 + i, x = 0;
		if (e->group)
			draw_group(cv, y, &s->groups[e->idx], c, cv->w);
		else {
			const struct podrow *r = &s->rows[e->idx];
			enum role role = health_role(r->st.health, r->st.status);
			x = s->group ? 2 : 0;	/* rows indent under their group */
			for (int k = 0; k < n; k++) {
				cell(cv, &cols[k], x, y, r, c, at, role, p);
				x += cols[k].w + 1;
			}
		}
		if (c->focused && s->top + i == s->sel)
			canvas_restyle(cv, (struct rect){ 0, y, cv->w, 1 }, ROLE_SELECTION, 0);
	}
}

static void
pods_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct pods_state *s = p->w;
	struct colspec cols[C_N];
	tns at = kubeui_time(c);
	int n, y = 0;

	build(p, c, at);
	s->wctx = 7;
	for (int q = 0; q < s->nsrc; q++) {
		const char *src = dashboard_query_source(p->cfg, (size_t)q);
		int l = src ? (int)strlen(src) : 1;
		s->wctx = l > s->wctx ? (l > 20 ? 20 : l) : s->wctx;
	}
	if (kubeui_before_first(cv, s->pview, s->nsrc, at, c))
		return;
	if (cv->h >= 5) {
		draw_summary(cv, p, s, c, at);
		y = 1;
	}
	n = layout(s, cv->w - (s->group ? 2 : 0), cols);
	draw_header(cv, y, cols, n, s, c);
	if (!s->ndisp) {
		canvas_str(cv, 0, y + 1, cv->w, rowfilter_active(&s->filt) ?
		    "no pods match the filter (F clears it)" : *s->focus ?
		    "no pods of the focus service (Esc clears the focus)" : "no pods", ROLE_DIM, 0);
		return;
	}
	draw_rows(cv, y + 1, cols, n, p, c, at);
}

/* ------------------------------------------------------------ keys */

static const struct podrow *
selected(const struct pods_state *s)
{
	if (s->sel < 0 || s->sel >= (int)s->ndisp || s->disp[s->sel].group)
		return NULL;
	return &s->rows[s->disp[s->sel].idx];
}

static void
toggle_collapse(struct pods_state *s, const struct pgroup *g)
{
	for (int i = 0; i < s->ncollapsed; i++)
		if (strcmp(s->collapsed[i], g->name) == 0) {
			memmove(s->collapsed[i], s->collapsed[i + 1],
			    (size_t)(s->ncollapsed - i - 1) * sizeof s->collapsed[0]);
			s->ncollapsed--;
			return;
		}
	if (s->ncollapsed < 32)
		snprintf(s->collapsed[s->ncollapsed++], sizeof s->collapsed[0], "%s", g->name);
}

static int
enter(struct panel *p, const struct wctx *c)
{
	struct pods_state *s = p->w;
	const struct podrow *r = selected(s);

	if (s->sel < (int)s->ndisp && s->disp[s->sel].group) {
		toggle_collapse(s, &s->groups[s->disp[s->sel].idx]);
		s->dirty = 1;
		return WK_HANDLED;
	}
	if (!r)
		return WK_HANDLED;
	kubeui_open_pod(p, c, r->src, r->p->meta.ns, r->p->meta.name);
	return WK_HANDLED;
}

static int
pods_key(struct panel *p, int key, const struct wctx *c)
{
	struct pods_state *s = p->w;
	const struct podrow *r;
	int page = 10;

	/* rows point into the store: refresh them before following one (the
	 * store may have changed, or pruned old history, since the last frame) */
	if (c->inside && (key == K_ENTER || key == '\r' || key == 'l'))
		build(p, c, kubeui_time(c));

	if (kubeui_nav_key(key, &s->sel, (int)s->ndisp, page, c))
		return WK_HANDLED;
	switch (key) {
	case 's':
		s->sort = s->sort == SORT_HEALTH ? C_NAME : s->sort + 1 >= C_N ? SORT_HEALTH : s->sort + 1;
		if (s->sort == C_CTX && s->nsrc < 2)
			s->sort = C_NS;
		s->dirty = 1;
		c->api->message(c->app, 0, "sorted by %s", s->sort == SORT_HEALTH ? "health" :
		    sort_names[s->sort]);
		return WK_HANDLED;
	case 'S':
		s->desc = !s->desc;
		s->dirty = 1;
		return WK_HANDLED;
	case 'o':
		s->group = !s->group;
		s->dirty = 1;
		s->sel = s->top = 0;
		return WK_HANDLED | WK_RELAYOUT;
	case 'F':
		rowfilter_free(&s->filt);
		s->dirty = 1;
		return WK_HANDLED;
	case K_ENTER: case '\r':
		return c->inside ? enter(p, c) : WK_IGNORED;
	case 'l':
		if (!c->inside || !(r = selected(s)))
			return WK_IGNORED;
		kubeui_open_logs(p, c, r->src, r->p, 0);
		return WK_HANDLED;
	}
	return WK_IGNORED;
}

static int
pods_search(struct panel *p, const char *pattern, const struct wctx *c, char **err)
{
	struct pods_state *s = p->w;

	(void)c;
	if (rowfilter_set(&s->filt, pattern, err) < 0)
		return -1;
	s->dirty = 1;
	s->sel = s->top = 0;
	return 0;
}

static int
pods_has_data(struct panel *p, const struct wctx *c)
{
	return kubeui_has_kind(p, c, "pods");
}

const struct widget_class pods_widget = {
	.name = "pods",
	.help = "Kubernetes pods like kubectl get pods, with usage, sorting, filter and grouping",
	.source_types = pods_types,
	.option_keys = pods_opts,
	.init = pods_init,
	.free = pods_free,
	.needs = pods_needs,
	.draw = pods_draw,
	.key = pods_key,
	.search = pods_search,
	.has_data = pods_has_data,
};
