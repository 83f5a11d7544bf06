/* topology: the service graph panel — a snapshot of the mesh at the time
 * cursor (or the window's end) from instant queries it generates itself
 * (core/topology.h: Istio metrics the way Kiali asks, or Tempo's service
 * graph metrics), nodes annotated with pod health from a kubectl source,
 * laid out in layers (core/toplayout.h) and drawn by topodraw.c.
 *
 * Why generated needs (need.expr) rather than queries written into the
 * panel at load time (as slo panels do): the queries depend on the
 * panel's options only, but the evaluation time follows the cursor and
 * the kubectl key is another source's; a need that carries its own
 * expression, source and time says exactly that, keeps the dashboard
 * parser free of widget knowledge, and the keys stay deterministic, so
 * recordings replay.
 *
 * Keys: J K (j k arrows zoomed) select a node, h l the neighbouring
 * layer, f focuses the other panels on the selected service, Enter (zoomed)
 * opens its service page, s freezes the snapshot to compare with later
 * ones, c folds other namespaces, v graph / table, / filters by name,
 * F clears it, H L PgUp PgDn pan.  `:export topology FILE` writes DOT
 * (FILE.dot, FILE.gv) or text (anything else). */
#include "widgets/topology.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/podstatus.h"
#include "core/xalloc.h"
#include "widgets/focus.h"
#include "widgets/podrows.h"

static const char *const topo_types[] = { "prometheus", NULL };
static const char *const topo_opts_keys[] = { "metrics", "reporter", "namespace", "selector",
	"window", "quantile", "errors", "latency", "pods", "kube_source", "view", "collapse",
	"filter", "focus", "summary", NULL };

/* ------------------------------------------------------------ options */

static char *
dupn(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static void
opt_error(const struct jdoc *doc, struct diag *dg, const cJSON *o, const char *key, const char *path,
    const char *what)
{
	jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(o, key), 0,
	    "%s.options.%s: %s", path, key, what);
}

static void
init_thresholds(struct topo_state *s, const struct jdoc *doc, struct diag *dg, const cJSON *o,
    const char *path)
{
	const cJSON *e = jd_obj(doc, dg, o, path, "errors"), *l = jd_obj(doc, dg, o, path, "latency");
	char p[320];

	topo_th_default(&s->th);
	snprintf(p, sizeof p, "%s.options.errors", path);
	s->th.err_warn = jd_num(doc, dg, e, p, "warn", s->th.err_warn);
	s->th.err_error = jd_num(doc, dg, e, p, "error", s->th.err_error);
	snprintf(p, sizeof p, "%s.options.latency", path);
	s->th.lat_warn = (double)jd_duration(doc, dg, l, p, "warn",
	    (tns)s->th.lat_warn * NS_PER_MS) / NS_PER_MS;
	s->th.lat_error = (double)jd_duration(doc, dg, l, p, "error",
	    (tns)s->th.lat_error * NS_PER_MS) / NS_PER_MS;
	if (!(s->th.err_warn >= 0 && s->th.err_warn <= s->th.err_error && s->th.err_error <= 1))
		opt_error(doc, dg, o, "errors", path, "expected 0 <= warn <= error <= 1 (ratios)");
	if (!(s->th.lat_warn >= 0 && s->th.lat_warn <= s->th.lat_error))
		opt_error(doc, dg, o, "latency", path, "expected warn <= error (durations)");
}

static void
describe(struct topo_state *s)
{
	topo_quantile_name(s->o.quantile, s->qname, sizeof s->qname);
	ts_fmt_promql_duration(s->window, sizeof s->window, s->o.window);
	if (s->o.metrics == TM_TEMPO)
		snprintf(s->metrics, sizeof s->metrics, "tempo service graph");
	else
		snprintf(s->metrics, sizeof s->metrics, "istio reporter=%s", s->o.reporter);
}

/* What to ask: metrics, reporter, namespace, selector. */
static void
init_source_opts(struct topo_state *s, const struct jdoc *doc, struct diag *dg, const cJSON *o,
    const char *path)
{
	const char *m = jd_str(doc, dg, o, path, "metrics", "istio");

	if (strcmp(m, "tempo") == 0)
		s->o.metrics = TM_TEMPO;
	else if (strcmp(m, "istio") != 0)
		opt_error(doc, dg, o, "metrics", path, "expected \"istio\" or \"tempo\"");
	s->reporter = xstrdup(jd_str(doc, dg, o, path, "reporter", "destination"));
	if (strcmp(s->reporter, "destination") && strcmp(s->reporter, "source") &&
	    strcmp(s->reporter, "waypoint"))
		opt_error(doc, dg, o, "reporter", path, "expected \"destination\", \"source\" or \"waypoint\"");
	s->ns = dupn(jd_str(doc, dg, o, path, "namespace", NULL));
	s->selector = dupn(jd_str(doc, dg, o, path, "selector", NULL));
	if (s->selector && (strchr(s->selector, '{') || strchr(s->selector, '}')))
		opt_error(doc, dg, o, "selector", path, "label matchers without braces, e.g. cluster=\"eu1\"");
	s->o.reporter = s->reporter;
	s->o.ns = s->ns;
	s->o.selector = s->selector;
}

static int
topo_init_w(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct topo_state *s = xcalloc(1, sizeof *s);
	const cJSON *o = p->cfg->options;
	const char *path = p->cfg->path, *v, *f;
	char *err = NULL;

	p->w = s;
	topo_opts_default(&s->o);
	init_source_opts(s, doc, dg, o, path);
	s->o.window = jd_duration(doc, dg, o, path, "window", s->o.window);
	if (s->o.window < NS_PER_S)
		opt_error(doc, dg, o, "window", path, "expected a rate window of at least 1s");
	s->o.quantile = jd_num(doc, dg, o, path, "quantile", s->o.quantile);
	if (!(s->o.quantile > 0 && s->o.quantile < 1)) {
		opt_error(doc, dg, o, "quantile", path, "expected 0 < quantile < 1 (0.99)");
		s->o.quantile = 0.99;
	}
	init_thresholds(s, doc, dg, o, path);
	s->pods = jd_bool(doc, dg, o, path, "pods", 1);
	s->kube = dupn(jd_str(doc, dg, o, path, "kube_source", NULL));
	s->summary = jd_bool(doc, dg, o, path, "summary", 1);
	s->collapse = jd_bool(doc, dg, o, path, "collapse", 0);
	v = jd_str(doc, dg, o, path, "view", "auto");
	s->mode = strcmp(v, "graph") == 0 ? TV_GRAPH : strcmp(v, "table") == 0 ? TV_TABLE : TV_AUTO;
	if (strcmp(v, "auto") && strcmp(v, "graph") && strcmp(v, "table"))
		opt_error(doc, dg, o, "view", path, "expected \"auto\", \"graph\" or \"table\"");
	if ((f = jd_str(doc, dg, o, path, "filter", NULL)) && rowfilter_set(&s->filt, f, &err) < 0) {
		opt_error(doc, dg, o, "filter", path, strncmp(err, "filter: ", 8) ? err : err + 8);
		free(err);
	}
	s->focus = dupn(jd_str(doc, dg, o, path, "focus", NULL));
	if (s->focus)
		snprintf(s->sel_name, sizeof s->sel_name, "%s", s->focus);
	if (p->cfg->nq && p->cfg->cfg)
		jdoc_diag(doc, dg, DIAG_WARN, cJSON_GetObjectItemCaseSensitive(p->cfg->cfg,
		    p->cfg->nq > 1 || !cJSON_GetObjectItemCaseSensitive(p->cfg->cfg, "query") ?
		    "queries" : "query"), 0, "%s: a topology panel writes its own queries (see its "
		    "options); \"query\" is ignored", path);
	describe(s);
	topo_queries(&s->o, s->q);
	topo_init(&s->cur);
	topo_init(&s->cmp);
	topo_init(&s->view);
	topo_init(&s->frozen);
	s->sel = -1;
	s->at = s->eval = TNS_NONE;
	return 0;
}

static void
topo_free_w(struct panel *p)
{
	struct topo_state *s = p->w;

	if (!s)
		return;
	for (int i = 0; i < TQ_MAX; i++)
		free(s->q[i]);
	free(s->ns);
	free(s->selector);
	free(s->reporter);
	free(s->kube);
	free(s->focus);
	topo_free(&s->cur);
	topo_free(&s->cmp);
	topo_free(&s->view);
	topo_free(&s->frozen);
	toplayout_free(&s->lay);
	free(s->rank);
	rowfilter_free(&s->filt);
	free(s);
	p->w = NULL;
}

/* ------------------------------------------------------------ needs */

/* The kubectl source for pod health: the option, else the first one. */
static const char *
kube_source(const struct topo_state *s, const struct wctx *c)
{
	if (!s->pods)
		return NULL;
	if (s->kube)
		return s->kube;
	for (size_t i = 0; c->db && i < c->db->nsrc; i++)
		if (strcmp(c->db->src[i].type, "kubectl") == 0)
			return c->db->src[i].name;
	return NULL;
}

static size_t
topo_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	struct topo_state *s = p->w;
	tns at = c->view->cursor != TNS_NONE ? c->view->cursor : 0;
	const char *kube = kube_source(s, c);
	size_t n = 0;

	(void)w;
	(void)h;
	for (int i = 0; i < TQ_MAX && n < max; i++)
		if (s->q[i])
			out[n++] = (struct need){ .qi = 0, .kind = "instant", .expr = s->q[i], .at = at };
	if (kube && n < max)
		out[n++] = (struct need){ .qi = 0, .kind = "pods", .expr = "", .source = kube, .aux = 1 };
	return n;
}

/* ------------------------------------------------------------ data */

static int
need_query(const struct panel *p, size_t k)
{
	const struct topo_state *s = p->w;

	if (strcmp(p->need[k].kind, "instant") != 0 || !p->need[k].expr)
		return -1;
	for (int i = 0; i < TQ_MAX; i++)
		if (s->q[i] && strcmp(s->q[i], p->need[k].expr) == 0)
			return i;
	return -1;
}

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

/* The answers at `at` into t; returns a signature of what was read. */
static uint64_t
read_answers(struct panel *p, const struct wctx *c, tns at, struct topology *t, int build)
{
	struct topo_state *s = p->w;
	uint64_t sig = 0x51;

	s->eval = TNS_NONE;
	for (size_t k = 0; k < p->nneed; k++) {
		int q = need_query(p, k);
		const struct sslot *sl;
		tns ev;
		if (q < 0 || !p->key[k] || !(sl = store_series(c->store, p->key[k], 0)))
			continue;
		ev = sslot_eval_at(sl, at);
		sig = mix(mix(sig, sl->gen), (uint64_t)ev);
		if (q == TQ_REQ)
			s->eval = ev;
		for (size_t i = 0; build && ev != TNS_NONE && i < sl->n; i++) {
			double v;
			tns pt;
			if (series_value_at(sl->s[i], ev, 0, &v, &pt) == 0 && pt == ev)
				topo_add(t, s->o.metrics, (enum topo_query)q, &sl->s[i]->labels, v);
		}
	}
	return sig;
}

/* The node a pod belongs to: its namespace with the app labels, then
 * the owning workload's name. */
static int
pod_node(const struct topology *t, const struct kpod *pod)
{
	static const char *const names[] = { "app", "app.kubernetes.io/name",
		"service.istio.io/canonical-name", "k8s-app", NULL };
	char owner[256];
	const char *kind;
	int k;

	for (size_t i = 0; names[i]; i++) {
		const char *v = kpod_label(pod, names[i]);
		if (v && (k = topo_find(t, pod->meta.ns, v)) >= 0)
			return k;
	}
	kind = pod_owner(pod, owner, sizeof owner);
	if (strcmp(kind, "Pod") && strcmp(kind, "ReplicaSet") && strcmp(kind, "Job"))
		return topo_find(t, pod->meta.ns, owner);
	return -1;
}

/* Pods as they were at `at` onto the nodes; a signature of the view. */
static uint64_t
read_pods(struct panel *p, const struct wctx *c, tns at, struct topology *t, int build)
{
	struct topo_state *s = p->w;
	struct kube_view kv;

	s->pods_state = 0;
	s->pods_err[0] = '\0';
	for (size_t k = 0; k < p->nneed; k++) {
		struct qview q;
		if (strcmp(p->need[k].kind, "pods") != 0 || !p->key[k])
			continue;
		/* the pods are auxiliary: their trouble is said here, not in the badge */
		store_status(c->store, p->key[k], c->now, &q);
		if (q.state == QS_ERROR)
			snprintf(s->pods_err, sizeof s->pods_err, "%s", q.last && q.last->error ?
			    q.last->error : "failed");
		if (store_kube(c->store, p->key[k], at, &kv) < 0 || kv.first_sync == TNS_NONE)
			return 1;
		if (kv.first_sync > at) {
			s->pods_state = 2;
			s->pods_first = kv.first_sync;
			return 2;
		}
		s->pods_state = 1;
		for (size_t i = 0; build && i < kv.n; i++) {
			const struct kpod *pod = kv.items[i];
			struct pod_status st;
			int nd = pod_node(t, pod);
			if (nd < 0)
				continue;
			pod_status_compute(pod, &st);
			t->n[nd].pods_known = 1;
			t->n[nd].pods++;
			t->n[nd].ready += st.ready == st.total && st.total > 0;
			t->n[nd].restarts += st.restarts;
			t->n[nd].bad += st.health == PH_BAD;
		}
		if (build) {	/* services of a namespace the source sees: known to have none */
			struct hmap seen;
			hmap_init(&seen);
			for (size_t j = 0; j < kv.n; j++)
				hmap_put(&seen, ((const struct kpod *)kv.items[j])->meta.ns, &seen);
			for (size_t i = 0; i < t->nn; i++)
				if (hmap_get(&seen, t->n[i].ns))
					t->n[i].pods_known = 1;
			hmap_free(&seen, NULL);
		}
		return mix(kv.gen, 3);
	}
	return 0;
}

/* The selection after a rebuild: the table's row stays in range; in the
 * graph the node found again by name. */
static void
reselect(struct topo_state *s)
{
	if (s->table) {
		if (s->sel >= (int)s->view.ne)
			s->sel = (int)s->view.ne - 1;
		return;
	}
	s->sel = -1;
	if (!s->sel_name[0])
		return;
	s->sel = topo_find(&s->view, s->sel_ns, s->sel_name);
	for (size_t i = 0; s->sel < 0 && !s->sel_ns[0] && i < s->view.nn; i++)
		if (!s->view.n[i].folded && strcmp(s->view.n[i].name, s->sel_name) == 0)
			s->sel = (int)i;
	if (s->sel < 0 && s->collapse)	/* folded away: its namespace node */
		s->sel = topo_find(&s->view, s->sel_ns, "*");
}

/* Cut the view down to the matching services and their direct
 * neighbours: those named `focus` (by_focus) or those the filter matches. */
static void
keep_around(struct topo_state *s, int by_focus)
{
	struct topology f;
	uint8_t *keepn = xcalloc(s->view.nn + 1, 1);
	char name[600];

	for (size_t i = 0; i < s->view.nn; i++) {
		topo_w_node_label(&s->view.n[i], name, sizeof name);
		keepn[i] = (uint8_t)(by_focus ? !s->view.n[i].folded && strcmp(s->view.n[i].name, s->focus) == 0 :
		    rowfilter_match(&s->filt, name, strlen(name), NULL, NULL));
	}
	for (size_t i = 0; i < s->view.ne; i++) {
		const struct topo_edge *e = &s->view.e[i];
		if ((keepn[e->src] & 1) || (keepn[e->dst] & 1)) {
			keepn[e->src] |= 2;
			keepn[e->dst] |= 2;
		}
	}
	topo_subset(&s->view, keepn, &f, &s->th);
	topo_free(&s->view);
	s->view = f;
	free(keepn);
}

static void
build_view(struct topo_state *s)
{
	const char *keep = s->sel_name[0] ? s->sel_ns : NULL;

	topo_free(&s->cmp);
	topo_copy(&s->cmp, &s->cur);
	if (s->have_frozen)
		topo_compare(&s->cmp, &s->frozen, &s->th);
	else
		topo_finish(&s->cmp, &s->th);
	topo_free(&s->view);
	if (s->collapse)
		topo_collapse(&s->cmp, keep, &s->view, &s->th);
	else
		topo_copy(&s->view, &s->cmp);
	if (s->focus)
		keep_around(s, 1);
	if (rowfilter_active(&s->filt))
		keep_around(s, 0);
	free(s->rank);
	s->rank = xcalloc(s->view.ne + 1, sizeof *s->rank);
	topo_rank(&s->view, s->rank);
	s->lay_valid = 0;
}

void
topo_w_refresh(struct panel *p, const struct wctx *c)
{
	struct topo_state *s = p->w;
	tns at = c->view->cursor != TNS_NONE ? c->view->cursor : c->end;
	uint64_t sig, vsig;

	s->at = at;
	sig = mix(read_answers(p, c, at, NULL, 0), read_pods(p, c, at, NULL, 0));
	if (sig != s->sig_cur || !s->cur.n) {
		topo_free(&s->cur);
		topo_init(&s->cur);
		read_answers(p, c, at, &s->cur, 1);
		read_pods(p, c, at, &s->cur, 1);
		s->cur.at = s->eval;
		topo_finish(&s->cur, &s->th);
		s->sig_cur = sig;
	}
	vsig = mix(mix(mix(sig, s->frozen_gen), (uint64_t)s->collapse), s->filt_gen);
	if (s->collapse)
		vsig = mix(vsig, hash_bytes(s->sel_ns, strlen(s->sel_ns), 7));
	if (vsig != s->sig_view) {
		build_view(s);
		s->sig_view = vsig;
	}
	reselect(s);
}

void
topo_w_node_label(const struct topo_node *n, char *dst, size_t len)
{
	if (n->folded)
		snprintf(dst, len, "%s/* (%d)", n->ns, n->members);
	else
		snprintf(dst, len, "%s", n->name);
}

/* ------------------------------------------------------------ keys */

static void
select_node(struct topo_state *s, int i)
{
	if (i < 0 || (size_t)i >= s->view.nn)
		return;
	s->sel = i;
	snprintf(s->sel_ns, sizeof s->sel_ns, "%s", s->view.n[i].ns);
	snprintf(s->sel_name, sizeof s->sel_name, "%s", s->view.n[i].name);
	s->sel_moved = 1;
}

/* Nodes in reading order: by layer, then top to bottom. */
static int
node_step(const struct topo_state *s, int dir)
{
	int best = -1, cur = s->sel;

	if (!s->lay_valid || s->lay.nit < s->view.nn)
		return s->view.nn ? 0 : -1;
	for (size_t i = 0; i < s->view.nn; i++) {
		const struct tl_item *a = &s->lay.it[i], *b;
		long ka = (long)a->layer * 100000 + a->order, kb, kc;
		if ((int)i == cur)
			continue;
		if (cur < 0)
			kc = dir > 0 ? -1 : 1L << 40;
		else
			kc = (long)s->lay.it[cur].layer * 100000 + s->lay.it[cur].order;
		if ((dir > 0 && ka <= kc) || (dir < 0 && ka >= kc))
			continue;
		if (best < 0) {
			best = (int)i;
			continue;
		}
		b = &s->lay.it[best];
		kb = (long)b->layer * 100000 + b->order;
		if ((dir > 0 && ka < kb) || (dir < 0 && ka > kb))
			best = (int)i;
	}
	return best < 0 ? cur : best;
}

/* The node in the neighbouring layer closest in rows. */
static int
node_side(const struct topo_state *s, int dir)
{
	int best = -1, cur = s->sel;
	long bd = 0;

	if (cur < 0 || !s->lay_valid)
		return node_step(s, dir);
	for (size_t i = 0; i < s->view.nn; i++) {
		const struct tl_item *a = &s->lay.it[i], *c = &s->lay.it[cur];
		long d;
		if (a->layer != c->layer + dir)
			continue;
		d = labs((long)(a->y + a->h / 2) - (c->y + c->h / 2));
		if (best < 0 || d < bd) {
			best = (int)i;
			bd = d;
		}
	}
	return best < 0 ? cur : best;
}

/* The service a key acts on: the selected node, or in the table the
 * selected edge's destination. */
static const struct topo_node *
target(const struct topo_state *s)
{
	if (s->table) {
		if (s->sel < 0 || (size_t)s->sel >= s->view.ne)
			return NULL;
		return &s->view.n[s->view.e[s->rank[s->sel]].dst];
	}
	if (s->sel < 0 || (size_t)s->sel >= s->view.nn)
		return NULL;
	return &s->view.n[s->sel];
}

static int
focus_key(struct topo_state *s, const struct wctx *c)
{
	const struct topo_node *n = target(s);

	if (!c->api->set_focus)
		return WK_IGNORED;
	if (!n || n->folded || strcmp(n->name, "unknown") == 0) {
		c->api->message(c->app, 1, "select a service first (J/K)");
		return WK_HANDLED;
	}
	if (c->focus && strcmp(c->focus, n->name) == 0 &&
	    strcmp(c->focus_ns ? c->focus_ns : "", n->ns) == 0) {
		c->api->set_focus(c->app, NULL, NULL);
		c->api->message(c->app, 0, "focus cleared");
	} else {
		c->api->set_focus(c->app, n->name, n->ns);
		c->api->message(c->app, 0, "focus %s: graphs, logs and pods show only it (Esc clears)",
		    n->name);
	}
	return WK_HANDLED;
}

static int
freeze_key(struct topo_state *s, const struct wctx *c)
{
	char clk[32];

	s->frozen_gen++;
	if (s->have_frozen) {
		topo_free(&s->frozen);
		topo_init(&s->frozen);
		s->have_frozen = 0;
		c->api->message(c->app, 0, "comparison off");
		return WK_HANDLED;
	}
	if (s->eval == TNS_NONE) {
		c->api->message(c->app, 1, "nothing to freeze yet");
		return WK_HANDLED;
	}
	topo_free(&s->frozen);
	topo_copy(&s->frozen, &s->cur);
	s->have_frozen = 1;
	ts_fmt_clock(clk, sizeof clk, s->eval, c->view->utc, 1);
	c->api->message(c->app, 0, "froze the topology of %s: move the cursor (< >) to compare; "
	    "s again ends it", clk);
	return WK_HANDLED;
}

static int
enter_key(struct topo_state *s, const struct wctx *c)
{
	const struct topo_node *n = target(s);

	if (!n || n->folded) {
		if (n && n->folded) {	/* open the namespace */
			s->collapse = 0;
			return WK_HANDLED;
		}
		return WK_IGNORED;
	}
	if (c->api->open_service) {
		c->api->open_service(c->app, n->name);	/* a failure is on the status line */
		return WK_HANDLED;
	}
	return focus_key(s, c);
}

static int
pan(struct topo_state *s, int dx, int dy)
{
	s->sx += dx;
	s->sy += dy;
	if (s->sx > s->lay.width - s->gw)
		s->sx = s->lay.width - s->gw;
	if (s->sy > s->lay.height - s->gh)
		s->sy = s->lay.height - s->gh;
	if (s->sx < 0)
		s->sx = 0;
	if (s->sy < 0)
		s->sy = 0;
	return WK_HANDLED;
}

static int
table_key(struct topo_state *s, int key, const struct wctx *c)
{
	int n = (int)s->view.ne;

	switch (key) {
	case 'J': case 'j': case K_DOWN:
		s->sel = s->sel + 1 < n ? s->sel + 1 : n - 1;
		return WK_HANDLED;
	case 'K': case 'k': case K_UP:
		s->sel = s->sel > 0 ? s->sel - 1 : 0;
		return WK_HANDLED;
	case K_PGDN:
		s->sel = s->sel + 10 < n ? s->sel + 10 : n - 1;
		return WK_HANDLED;
	case K_PGUP:
		s->sel = s->sel > 10 ? s->sel - 10 : 0;
		return WK_HANDLED;
	}
	(void)c;
	return WK_IGNORED;
}

static int
graph_key(struct topo_state *s, int key, const struct wctx *c)
{
	int half = s->gw / 2 > 4 ? s->gw / 2 : 4, vhalf = s->gh / 2 > 2 ? s->gh / 2 : 2;

	switch (key) {
	case 'J':
		select_node(s, node_step(s, 1));
		return WK_HANDLED;
	case 'K':
		select_node(s, node_step(s, -1));
		return WK_HANDLED;
	case 'H':
		return pan(s, -half, 0);
	case 'L':
		return pan(s, half, 0);
	case K_PGDN:
		return c->inside ? pan(s, 0, vhalf) : WK_IGNORED;
	case K_PGUP:
		return c->inside ? pan(s, 0, -vhalf) : WK_IGNORED;
	}
	if (!c->inside)
		return WK_IGNORED;
	switch (key) {
	case 'j': case K_DOWN:
		select_node(s, node_step(s, 1));
		return WK_HANDLED;
	case 'k': case K_UP:
		select_node(s, node_step(s, -1));
		return WK_HANDLED;
	case 'h': case K_LEFT:
		select_node(s, node_side(s, -1));
		return WK_HANDLED;
	case 'l': case K_RIGHT:
		select_node(s, node_side(s, 1));
		return WK_HANDLED;
	case K_HOME: case 'g':
		s->sx = s->sy = 0;
		return WK_HANDLED;
	}
	return WK_IGNORED;
}

static int
topo_key(struct panel *p, int key, const struct wctx *c)
{
	struct topo_state *s = p->w;
	int r = s->table ? table_key(s, key, c) : graph_key(s, key, c);

	if (r != WK_IGNORED)
		return r;
	switch (key) {
	case 'f':
		return focus_key(s, c);
	case 's':
		return freeze_key(s, c);
	case 'c':
		s->collapse = !s->collapse;
		c->api->message(c->app, 0, s->collapse ? "namespaces folded (but the selected one)" :
		    "namespaces unfolded");
		return WK_HANDLED;
	case 'v':	/* in the grid, v is the dashboard's variable picker */
		if (!c->inside)
			return WK_IGNORED;
		s->mode = s->mode == TV_AUTO ? TV_GRAPH : s->mode == TV_GRAPH ? TV_TABLE : TV_AUTO;
		c->api->message(c->app, 0, "topology view: %s", s->mode == TV_AUTO ? "auto (graph if "
		    "it fits, else table)" : s->mode == TV_GRAPH ? "graph" : "edge table");
		s->sel = -1;
		s->sel_name[0] = '\0';
		return WK_HANDLED;
	case 'F':
		rowfilter_free(&s->filt);
		s->filt_gen++;
		return WK_HANDLED;
	case K_ENTER: case '\r':
		return c->inside ? enter_key(s, c) : WK_IGNORED;
	}
	return WK_IGNORED;
}

static int
topo_search(struct panel *p, const char *pattern, const struct wctx *c, char **err)
{
	struct topo_state *s = p->w;

	(void)c;
	if (rowfilter_set(&s->filt, pattern, err) < 0)
		return -1;
	s->filt_gen++;
	s->sx = s->sy = 0;
	return 0;
}

static int
topo_has_data(struct panel *p, const struct wctx *c)
{
	for (size_t k = 0; k < p->nneed; k++)
		if (need_query(p, k) == TQ_REQ && p->key[k] && store_series(c->store, p->key[k], 0))
			return 1;
	return 0;
}

/* ------------------------------------------------------------ export */

static int
ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int
topo_export(struct panel *p, const char *what, const char *path, const struct wctx *c, char **err)
{
	struct topo_state *s = p->w;
	struct topo_meta m = { .utc = c->view->utc, .metrics = s->metrics, .window = s->window,
		.qname = s->qname };
	struct buf b;
	FILE *f;
	int dot = ends_with(path, ".dot") || ends_with(path, ".gv");

	if (strcmp(what, "topology") != 0)
		return 0;
	topo_w_refresh(p, c);
	if (s->eval == TNS_NONE) {
		*err = xstrdup("no topology data yet");
		return -1;
	}
	m.at = s->eval;
	buf_init(&b, 64u << 20);
	if (dot)
		topo_write_dot(&s->cmp, &m, &b);
	else
		topo_write_text(&s->cmp, &m, &b);
	if (b.overflow || !(f = fopen(path, "w"))) {
		*err = b.overflow ? xstrdup("the topology is too large to export") :
		    xasprintf("cannot write %s: %s", path, strerror(errno));
		buf_free(&b);
		return -1;
	}
	if (fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		buf_free(&b);
		return -1;
	}
	c->api->message(c->app, 0, "wrote the topology (%zu services, %zu edges) to %s as %s",
	    s->cmp.nn, s->cmp.ne, path, dot ? "Graphviz DOT" : "text");
	buf_free(&b);
	return 1;
}

const struct widget_class topology_widget = {
	.name = "topology",
	.help = "service graph from Istio (or Tempo service graph) metrics at the time cursor, "
	    "with pod health, focus, freeze/compare and export",
	.source_types = topo_types,
	.option_keys = topo_opts_keys,
	.init = topo_init_w,
	.free = topo_free_w,
	.needs = topo_needs,
	.draw = topo_w_draw,
	.key = topo_key,
	.search = topo_search,
	.has_data = topo_has_data,
	.export = topo_export,
};
