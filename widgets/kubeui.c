/* kubeui: shared drawing, keys and pivots of the Kubernetes widgets.
 * Pivot panels are built on the stack and copied by the app (app_push);
 * the pod detail reuses the parent's query so both read the same store
 * keys (one kubectl watch serves both). */
#include "widgets/kubeui.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"

tns
kubeui_time(const struct wctx *c)
{
	return c->view->cursor != TNS_NONE ? c->view->cursor : c->end;
}

void
kubeui_bar(struct canvas *cv, int x, int y, int w, double frac, enum role role, int ascii)
{
	static const uint32_t eighth[8] = { 0x258F, 0x258E, 0x258D, 0x258C, 0x258B, 0x258A, 0x2589,
		0x2588 };
	int units;

	if (!(frac > 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	units = (int)lround(frac * w * 8);
	for (int i = 0; i < w; i++) {
		int u = units - i * 8;
		if (u >= 8)
			canvas_put(cv, x + i, y, ascii ? '#' : 0x2588, role, 0);
		else if (u > 0)
			canvas_put(cv, x + i, y, ascii ? (u >= 4 ? '#' : '.') : eighth[u - 1], role, 0);
		else
			canvas_put(cv, x + i, y, ascii ? '.' : 0x2591, ROLE_DIM, 0);
	}
}

int
kubeui_nav_key(int key, int *sel, int n, int page, const struct wctx *c)
{
	int s = *sel;

	(void)c;
	switch (key) {
	case 'j': case K_DOWN: s++; break;
	case 'k': case K_UP: s--; break;
	case K_PGDN: case K_CTRL_F: s += page; break;
	case K_PGUP: case K_CTRL_B: s -= page; break;
	case 'g': case K_HOME: s = 0; break;
	case 'G': case K_END: s = n - 1; break;
	default: return 0;
	}
	if (s >= n)
		s = n - 1;
	if (s < 0)
		s = 0;
	*sel = s;
	return 1;
}

int
kubeui_before_first(struct canvas *cv, const struct kube_view *v, int n, tns at,
    const struct wctx *c)
{
	tns first = TNS_NONE;
	char a[32], b[32], msg[160];

	for (int i = 0; i < n; i++) {
		if (v[i].first_sync == TNS_NONE)
			continue;
		if (v[i].first_sync <= at)
			return 0;
		if (first == TNS_NONE || v[i].first_sync < first)
			first = v[i].first_sync;
	}
	if (first == TNS_NONE)
		return 0;
	ts_fmt_clock(a, sizeof a, at, c->view->utc, 1);
	ts_fmt_clock(b, sizeof b, first, c->view->utc, 1);
	snprintf(msg, sizeof msg, "no Kubernetes data as of %s: the first list arrived at %s", a, b);
	canvas_str(cv, 0, cv->h / 2, cv->w, msg, ROLE_DIM, 0);
	return 1;
}

const char *
kubeui_key(const struct panel *p, size_t q, const char *kind)
{
	for (size_t k = 0; k < p->nneed; k++)
		if (p->need[k].qi == q && p->key[k] && strcmp(p->need[k].kind, kind) == 0)
			return p->key[k];
	return NULL;
}

int
kubeui_has_kind(const struct panel *p, const struct wctx *c, const char *kind)
{
	struct kube_view v;

	for (size_t k = 0; k < p->nneed; k++) {
		if (!p->key[k] || strcmp(p->need[k].kind, kind) != 0)
			continue;
		if (store_kube(c->store, p->key[k], c->end, &v) == 0 ||
		    store_kube_log(c->store, p->key[k]))
			return 1;
	}
	return 0;
}

int
kubeui_source(const struct panel *p, size_t q, char *dst, size_t n)
{
	for (size_t k = 0; k < p->nneed; k++) {
		char buf[4096];
		const char *src, *kind, *expr;
		if (p->need[k].qi != q || !p->key[k])
			continue;
		if (qkey_split(p->key[k], buf, sizeof buf, &src, &kind, &expr) < 0)
			continue;
		snprintf(dst, n, "%s", src);
		return 0;
	}
	return -1;
}

static const char *
query_expr(const struct panel *p, int q)
{
	return q >= 0 && (size_t)q < p->cfg->nq ? p->cfg->q[q].expr : "";
}

static void
pivot(const struct wctx *c, const char *type, const char *title, const char *source,
    const char *q0, const char *q1, cJSON *opts, const char *why)
{
	struct dash_panel cfg;
	struct dash_query q[2];

	memset(&cfg, 0, sizeof cfg);
	memset(q, 0, sizeof q);
	q[0].expr = (char *)q0;
	q[0].ref = "A";
	q[1].expr = (char *)(q1 ? q1 : "");
	q[1].ref = "B";
	cfg.type = (char *)type;
	cfg.title = (char *)title;
	cfg.source = (char *)source;
	cfg.q = q;
	cfg.nq = q1 ? 2 : 1;
	cfg.decimals = -1;
	cfg.min = cfg.max = NAN;
	cfg.parent_row = -1;
	cfg.options = opts;
	cfg.path = (char *)type;
	c->api->push(c->app, &cfg, why);
	cJSON_Delete(opts);
}

void
kubeui_open_pod(struct panel *p, const struct wctx *c, int q, const char *ns, const char *name)
{
	char src[256], title[600];
	cJSON *o = cJSON_CreateObject();

	if (kubeui_source(p, (size_t)q, src, sizeof src) < 0) {
		cJSON_Delete(o);
		c->api->message(c->app, 1, "no kubectl source for this pod");
		return;
	}
	cJSON_AddStringToObject(o, "namespace", ns);
	cJSON_AddStringToObject(o, "pod", name);
	snprintf(title, sizeof title, "pod %s/%s (%s)", ns, name, src);
	pivot(c, "pod", title, src, query_expr(p, q), "", o, "pod detail");
}

static const char *
loki_source(const struct wctx *c)
{
	for (size_t i = 0; i < c->db->nsrc; i++)
		if (strcmp(c->db->src[i].type, "loki") == 0)
			return c->db->src[i].name;
	return NULL;
}

void
kubeui_open_logs(struct panel *p, const struct wctx *c, int q, const struct kpod *pod,
    int previous)
{
	char src[256], title[600], expr[900];
	const char *loki = loki_source(c);
	const char *container = pod->nspec_c && pod->spec_c[0].name ? pod->spec_c[0].name : "";

	if (loki && widget_class_find("logs")) {
		/* the Loki log pane: same pod, by its labels */
		snprintf(expr, sizeof expr, "{namespace=\"%s\", pod=\"%s\"}", pod->meta.ns, pod->meta.name);
		snprintf(title, sizeof title, "logs %s/%s (Loki)", pod->meta.ns, pod->meta.name);
		pivot(c, "logs", title, loki, expr, NULL, NULL, "logs");
		return;
	}
	if (kubeui_source(p, (size_t)q, src, sizeof src) < 0) {
		c->api->message(c->app, 1, "no kubectl source for this pod");
		return;
	}
	snprintf(expr, sizeof expr, "%s/%s/%s%s", pod->meta.ns, pod->meta.name, container,
	    previous ? "/previous" : "");
	snprintf(title, sizeof title, "kubectl logs %s/%s -c %s%s", pod->meta.ns, pod->meta.name,
	    container, previous ? " --previous" : "");
	pivot(c, "kubelogs", title, src, expr, NULL, NULL, "logs");
}
