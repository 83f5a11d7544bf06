/* topology: the service graph model (see topology.h).
 * Nodes and edges live in growable arrays indexed by two hash maps;
 * every add is bounded (TOPO_MAX_NODES / TOPO_MAX_EDGES, the rest is
 * counted in `dropped`). */
#include "core/topology.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"

/* ------------------------------------------------------------ options */

void
topo_opts_default(struct topo_opts *o)
{
	memset(o, 0, sizeof *o);
	o->metrics = TM_ISTIO;
	o->reporter = "destination";
	o->window = 60 * NS_PER_S;
	o->quantile = 0.99;
}

void
topo_th_default(struct topo_th *th)
{
	th->err_warn = 0.01;
	th->err_error = 0.05;
	th->lat_warn = 300;
	th->lat_error = 1000;
}

void
topo_quantile_name(double q, char *dst, size_t n)
{
	char v[32];

	snprintf(v, sizeof v, "%.4g", q * 100);
	snprintf(dst, n, "P%s", v);
}

/* ------------------------------------------------------------ queries */

#define ISTIO_EDGE "source_workload_namespace, source_workload, source_canonical_service, " \
	"destination_service_namespace, destination_service_name, destination_service"

/* A PromQL string literal body: backslash and quote escaped. */
static void
put_lit(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

/* {fixed[, nslabel=~"ns"][, selector]} (nothing when all are empty). */
static void
put_sel(struct buf *b, const char *fixed, const char *nslabel, const char *ns, const char *sel)
{
	int any = 0;

	if (!*fixed && !nslabel && !(sel && *sel))
		return;
	buf_putc(b, '{');
	if (*fixed) {
		buf_puts(b, fixed);
		any = 1;
	}
	if (nslabel) {
		buf_printf(b, "%s%s=~\"", any ? "," : "", nslabel);
		put_lit(b, ns);
		buf_putc(b, '"');
		any = 1;
	}
	if (sel && *sel)
		buf_printf(b, "%s%s", any ? "," : "", sel);
	buf_putc(b, '}');
}

/* One query term per namespace side ("or" between them). */
static void
istio_terms(struct buf *b, const struct topo_opts *o, const char *pre, const char *metric,
    const char *by, const char *post)
{
	static const char *const sides[] = { "destination_service_namespace", "source_workload_namespace" };
	char fixed[160], w[32];
	int nsides = o->ns && *o->ns ? 2 : 1;

	snprintf(fixed, sizeof fixed, "reporter=\"%s\"", o->reporter && *o->reporter ? o->reporter :
	    "destination");
	ts_fmt_promql_duration(w, sizeof w, o->window > 0 ? o->window : 60 * NS_PER_S);
	for (int i = 0; i < nsides; i++) {
		if (i)
			buf_puts(b, " or ");
		buf_printf(b, "%ssum by (%s) (rate(%s", pre, by, metric);
		put_sel(b, fixed, nsides > 1 ? sides[i] : NULL, o->ns, o->selector);
		buf_printf(b, "[%s]))%s", w, post);
	}
}

static char *
istio_lat(const struct topo_opts *o, double q)
{
	struct buf b;
	char pre[64];

	buf_init(&b, 1 << 16);
	snprintf(pre, sizeof pre, "histogram_quantile(%.10g, ", q);
	istio_terms(&b, o, pre, "istio_request_duration_milliseconds_bucket", "le, " ISTIO_EDGE,
	    ") > 0");
	snprintf(pre, sizeof pre, "1000 * histogram_quantile(%.10g, ", q);
	buf_puts(&b, " or ");
	istio_terms(&b, o, pre, "istio_request_duration_seconds_bucket", "le, " ISTIO_EDGE, ") > 0");
	return buf_steal(&b, NULL);
}

static char *
tempo_query(const struct topo_opts *o, const char *pre, const char *metric, const char *by,
    const char *post)
{
	struct buf b;
	char w[32];

	buf_init(&b, 1 << 16);
	ts_fmt_promql_duration(w, sizeof w, o->window > 0 ? o->window : 60 * NS_PER_S);
	buf_printf(&b, "%ssum by (%s) (rate(%s", pre, by, metric);
	put_sel(&b, "", NULL, NULL, o->selector);
	buf_printf(&b, "[%s]))%s", w, post);
	return buf_steal(&b, NULL);
}

void
topo_queries(const struct topo_opts *o, char *q[TQ_MAX])
{
	double qu = o->quantile > 0 && o->quantile < 1 ? o->quantile : 0.99;
	char pre[64];

	memset(q, 0, TQ_MAX * sizeof *q);
	if (o->metrics == TM_TEMPO) {
		q[TQ_REQ] = tempo_query(o, "", "traces_service_graph_request_total", "client, server", " > 0");
		q[TQ_FAIL] = tempo_query(o, "", "traces_service_graph_request_failed_total",
		    "client, server", " > 0");
		snprintf(pre, sizeof pre, "1000 * histogram_quantile(%.10g, ", qu);
		q[TQ_LAT] = tempo_query(o, pre, "traces_service_graph_request_server_seconds_bucket",
		    "le, client, server", ") > 0");
		return;
	}
	{
		struct buf b;
		buf_init(&b, 1 << 16);
		istio_terms(&b, o, "", "istio_requests_total", ISTIO_EDGE ", response_code, "
		    "response_flags, request_protocol, grpc_response_status", " > 0");
		q[TQ_REQ] = buf_steal(&b, NULL);
	}
	q[TQ_LAT] = istio_lat(o, qu);
}

/* ------------------------------------------------------------ model */

void
topo_init(struct topology *t)
{
	memset(t, 0, sizeof *t);
	hmap_init(&t->nidx);
	hmap_init(&t->eidx);
	t->worst = -1;
	t->at = TNS_NONE;
}

void
topo_free(struct topology *t)
{
	for (size_t i = 0; i < t->nn; i++) {
		free(t->n[i].ns);
		free(t->n[i].name);
	}
	free(t->n);
	free(t->e);
	hmap_free(&t->nidx, NULL);
	hmap_free(&t->eidx, NULL);
	memset(t, 0, sizeof *t);
	t->worst = -1;
}

void
topo_copy(struct topology *dst, const struct topology *src)
{
	topo_init(dst);
	for (size_t i = 0; i < src->nn; i++) {
		int k = topo_node(dst, src->n[i].ns, src->n[i].name);
		char *ns = dst->n[k].ns, *name = dst->n[k].name;
		dst->n[k] = src->n[i];
		dst->n[k].ns = ns;
		dst->n[k].name = name;
	}
	for (size_t i = 0; i < src->ne; i++) {
		int k = topo_edge(dst, src->e[i].src, src->e[i].dst);
		if (k >= 0)
			dst->e[k] = src->e[i];
	}
	dst->at = src->at;
	dst->worst = src->worst;
	dst->dropped = src->dropped;
}

static void
node_key(char *k, size_t n, const char *ns, const char *name)
{
	snprintf(k, n, "%s\x1f%s", ns ? ns : "", name ? name : "");
}

int
topo_find(const struct topology *t, const char *ns, const char *name)
{
	char k[1024];
	void *v;

	node_key(k, sizeof k, ns, name);
	v = hmap_get(&t->nidx, k);
	return v ? (int)((intptr_t)v - 1) : -1;
}

int
topo_node(struct topology *t, const char *ns, const char *name)
{
	char k[1024];
	int i = topo_find(t, ns, name);
	struct topo_node *nd;

	if (i >= 0)
		return i;
	if (t->nn >= TOPO_MAX_NODES) {
		t->dropped++;
		return -1;
	}
	xgrow(&t->n, &t->capn, t->nn + 1, sizeof *t->n);
	nd = &t->n[t->nn];
	memset(nd, 0, sizeof *nd);
	nd->ns = xstrdup(ns ? ns : "");
	nd->name = xstrdup(name && *name ? name : "unknown");
	nd->members = 1;
	nd->self = -1;
	node_key(k, sizeof k, ns, nd->name);
	hmap_put(&t->nidx, k, (void *)(intptr_t)(t->nn + 1));
	return (int)t->nn++;
}

int
topo_edge(struct topology *t, int src, int dst)
{
	char k[48];
	void *v;
	struct topo_edge *e;

	if (src < 0 || dst < 0)
		return -1;
	snprintf(k, sizeof k, "%d>%d", src, dst);
	if ((v = hmap_get(&t->eidx, k)))
		return (int)((intptr_t)v - 1);
	if (t->ne >= TOPO_MAX_EDGES) {
		t->dropped++;
		return -1;
	}
	xgrow(&t->e, &t->cape, t->ne + 1, sizeof *t->e);
	e = &t->e[t->ne];
	memset(e, 0, sizeof *e);
	e->src = src;
	e->dst = dst;
	e->p99 = NAN;
	e->was_p99 = NAN;
	hmap_put(&t->eidx, k, (void *)(intptr_t)(t->ne + 1));
	if (src == dst)
		t->n[src].self = (int)t->ne;
	return (int)t->ne++;
}

static const char *
lab(const struct labelset *ls, const char *name)
{
	const char *v = labels_get(ls, name);
	return v && *v ? v : NULL;
}

/* The first DNS label of an FQDN into dst; the second into ns (if any). */
static void
fqdn_split(const char *fqdn, char *dst, size_t n, char *ns, size_t nn)
{
	const char *dot = strchr(fqdn, '.'), *dot2;
	size_t l = dot ? (size_t)(dot - fqdn) : strlen(fqdn);

	snprintf(dst, n, "%.*s", (int)(l < n ? l : n - 1), fqdn);
	ns[0] = '\0';
	if (dot) {
		dot2 = strchr(dot + 1, '.');
		l = dot2 ? (size_t)(dot2 - dot - 1) : strlen(dot + 1);
		snprintf(ns, nn, "%.*s", (int)(l < nn ? l : nn - 1), dot + 1);
	}
}

static int
istio_src(struct topology *t, const struct labelset *ls)
{
	const char *ns = lab(ls, "source_workload_namespace");
	const char *cs = lab(ls, "source_canonical_service");
	const char *name = cs && strcmp(cs, "unknown") ? cs : lab(ls, "source_workload");

	return topo_node(t, name && strcmp(name, "unknown") ? ns : "", name ? name : "unknown");
}

static int
istio_dst(struct topology *t, const struct labelset *ls)
{
	const char *ns = lab(ls, "destination_service_namespace");
	const char *name = lab(ls, "destination_service_name");
	const char *fq = lab(ls, "destination_service");
	char n1[256], n2[256];

	if (fq && (!name || !ns)) {
		fqdn_split(fq, n1, sizeof n1, n2, sizeof n2);
		if (!name)
			name = n1;
		if (!ns && *n2)
			ns = n2;
	}
	if (!name)
		name = lab(ls, "destination_canonical_service");
	if (!name || !strcmp(name, "unknown"))
		return topo_node(t, "", "unknown");
	return topo_node(t, ns ? ns : "", name);
}

static int
is_error(const struct labelset *ls, char *code, size_t n)
{
	const char *c = lab(ls, "response_code"), *proto = lab(ls, "request_protocol");
	const char *g = lab(ls, "grpc_response_status");

	snprintf(code, n, "%s", c ? c : "");
	if (c && ((c[0] == '5' && strlen(c) == 3) || strcmp(c, "0") == 0))
		return 1;
	if (proto && strcmp(proto, "grpc") == 0 && g && strcmp(g, "0") != 0) {
		snprintf(code, n, "grpc %s", g);
		return 1;
	}
	return 0;
}

static void
add_istio(struct topology *t, enum topo_query q, const struct labelset *ls, double v)
{
	int s = istio_src(t, ls), d = istio_dst(t, ls), k;
	struct topo_edge *e;
	char code[8];

	if (q == TQ_LAT) {
		char kk[48];
		void *p;
		snprintf(kk, sizeof kk, "%d>%d", s, d);
		if (s < 0 || d < 0 || !(p = hmap_get(&t->eidx, kk)))
			return;
		e = &t->e[(intptr_t)p - 1];
		if (isnan(e->p99) || v > e->p99)
			e->p99 = v;
		return;
	}
	if ((k = topo_edge(t, s, d)) < 0)
		return;
	e = &t->e[k];
	e->rate += v;
	if (!is_error(ls, code, sizeof code))
		return;
	e->err += v;
	if (strcmp(code, "0") == 0)
		e->noresp += v;
	if (v > e->top_err) {
		const char *fl = lab(ls, "response_flags");
		e->top_err = v;
		snprintf(e->code, sizeof e->code, "%s", code);
		snprintf(e->flags, sizeof e->flags, "%s", fl && strcmp(fl, "-") ? fl : "");
	}
}

static void
add_tempo(struct topology *t, enum topo_query q, const struct labelset *ls, double v)
{
	const char *c = lab(ls, "client"), *s = lab(ls, "server");
	int a = topo_node(t, "", c ? c : "unknown"), b = topo_node(t, "", s ? s : "unknown"), k;
	struct topo_edge *e;

	if ((k = topo_edge(t, a, b)) < 0)
		return;
	e = &t->e[k];
	if (q == TQ_REQ)
		e->rate += v;
	else if (q == TQ_FAIL) {
		e->err += v;	/* the service graph has no codes */
	} else if (isnan(e->p99) || v > e->p99)
		e->p99 = v;
}

void
topo_add(struct topology *t, enum topo_metrics m, enum topo_query q, const struct labelset *ls,
    double v)
{
	if (!isfinite(v) || v < 0) {
		if (q != TQ_LAT || !isnan(v))
			t->dropped++;
		return;
	}
	if (m == TM_TEMPO)
		add_tempo(t, q, ls, v);
	else
		add_istio(t, q, ls, v);
}

double
topo_ratio(const struct topo_edge *e)
{
	if (!(e->rate > 0))
		return e->err > 0 ? 1 : 0;
	return e->err > e->rate ? 1 : e->err / e->rate;
}

int
topo_edge_health(const struct topo_edge *e, const struct topo_th *th)
{
	double r = topo_ratio(e);
	int h = TH_OK;

	if (e->change == TC_GONE)
		return TH_OK;
	if (r >= th->err_error)
		h = TH_ERROR;
	else if (r >= th->err_warn)
		h = TH_WARN;
	if (!isnan(e->p99)) {
		if (e->p99 >= th->lat_error)
			h = TH_ERROR;
		else if (e->p99 >= th->lat_warn && h < TH_WARN)
			h = TH_WARN;
	}
	return h;
}

static int
worse(const struct topology *t, int a, int b)
{
	const struct topo_edge *x = &t->e[a], *y = &t->e[b];
	double rx = topo_ratio(x), ry = topo_ratio(y);

	if (x->health != y->health)
		return x->health > y->health;
	if (rx != ry)
		return rx > ry;
	if (isnan(x->p99) != isnan(y->p99))
		return !isnan(x->p99);
	if (!isnan(x->p99) && x->p99 != y->p99)
		return x->p99 > y->p99;
	if (x->rate != y->rate)
		return x->rate > y->rate;
	return a < b;
}

static const struct topology *rank_t;	/* qsort has no context (UI thread only) */

static int
rank_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x == y ? 0 : worse(rank_t, x, y) ? -1 : 1;
}

void
topo_rank(const struct topology *t, int *idx)
{
	for (size_t i = 0; i < t->ne; i++)
		idx[i] = (int)i;
	rank_t = t;
	if (t->ne > 1)
		qsort(idx, t->ne, sizeof *idx, rank_cmp);
	rank_t = NULL;
}

static int
pods_health(const struct topo_node *n)
{
	if (!n->pods_known || !n->pods)
		return TH_OK;
	if (!n->ready)
		return TH_ERROR;
	return n->ready < n->pods || n->bad ? TH_WARN : TH_OK;
}

void
topo_finish(struct topology *t, const struct topo_th *th)
{
	int best = -1;

	for (size_t i = 0; i < t->nn; i++) {
		t->n[i].in_rate = t->n[i].in_err = 0;
		t->n[i].health = pods_health(&t->n[i]);
	}
	for (size_t i = 0; i < t->ne; i++) {
		struct topo_edge *e = &t->e[i];
		e->health = topo_edge_health(e, th);
		t->n[e->dst].in_rate += e->rate;
		t->n[e->dst].in_err += e->err;
		if (e->health > t->n[e->dst].health)
			t->n[e->dst].health = e->health;
		if (e->change != TC_GONE && e->health > TH_OK && (best < 0 || worse(t, (int)i, best)))
			best = (int)i;
	}
	t->worst = best;
}

/* ------------------------------------------------------------ compare */

static int
same_edge(const struct topology *a, const struct topo_edge *x, const struct topology *b)
{
	int s = topo_find(b, a->n[x->src].ns, a->n[x->src].name);
	int d = topo_find(b, a->n[x->dst].ns, a->n[x->dst].name);
	char k[48];
	void *v;

	if (s < 0 || d < 0)
		return -1;
	snprintf(k, sizeof k, "%d>%d", s, d);
	v = hmap_get(&b->eidx, k);
	return v ? (int)((intptr_t)v - 1) : -1;
}

static int
changed(const struct topo_edge *now, const struct topo_edge *was)
{
	double r0 = was->rate, r1 = now->rate, d = r1 - r0;
	double e0 = topo_ratio(was), e1 = topo_ratio(now);

	if (fabs(d) > 0.25 * fmax(r0, r1) && fabs(d) > 0.01)
		return 1;
	if (fabs(e1 - e0) >= 0.01)
		return 1;
	if (isnan(now->p99) != isnan(was->p99))
		return 1;
	return !isnan(now->p99) && fabs(now->p99 - was->p99) > 0.5 * fmax(now->p99, was->p99) &&
	    fabs(now->p99 - was->p99) >= 1;
}

void
topo_compare(struct topology *t, const struct topology *was, const struct topo_th *th)
{
	size_t n0 = t->ne;

	topo_finish(t, th);	/* health to compare */
	for (size_t i = 0; i < n0; i++) {
		struct topo_edge *e = &t->e[i];
		int k = same_edge(t, e, was);
		if (k < 0) {
			e->change = TC_NEW;
			continue;
		}
		e->was_rate = was->e[k].rate;
		e->was_ratio = topo_ratio(&was->e[k]);
		e->was_p99 = was->e[k].p99;
		if (e->health != was->e[k].health)
			e->change = e->health > was->e[k].health ? TC_WORSE : TC_BETTER;
		else if (changed(e, &was->e[k]))
			e->change = TC_CHANGED;
	}
	for (size_t i = 0; i < was->ne; i++) {
		const struct topo_edge *x = &was->e[i];
		int s, d, k;
		if (same_edge(was, x, t) >= 0)
			continue;
		s = topo_node(t, was->n[x->src].ns, was->n[x->src].name);
		d = topo_node(t, was->n[x->dst].ns, was->n[x->dst].name);
		if ((k = topo_edge(t, s, d)) < 0)
			continue;
		t->e[k].change = TC_GONE;
		t->e[k].was_rate = x->rate;
		t->e[k].was_ratio = topo_ratio(x);
		t->e[k].was_p99 = x->p99;
	}
	topo_finish(t, th);
}

/* ------------------------------------------------------------ folding */

/* The change of a folded edge from its parts: gone only if every part
 * is gone, else the most telling mark (worse, new, changed, better). */
static int
fold_change(int acc, int x, int first)
{
	static const int prio[] = { [TC_NONE] = 0, [TC_BETTER] = 1, [TC_CHANGED] = 2,
		[TC_NEW] = 3, [TC_WORSE] = 4, [TC_GONE] = 0 };

	if (first)
		return x;
	if (acc == TC_GONE && x == TC_GONE)
		return TC_GONE;
	if (acc == TC_GONE || x == TC_GONE) {
		int other = acc == TC_GONE ? x : acc;
		return prio[other] > prio[TC_CHANGED] ? other : TC_CHANGED;
	}
	return prio[x] > prio[acc] ? x : acc;
}

/* Copy t's edges into out through map (old node -> new node, -1 drop). */
static void
fold_edges(const struct topology *t, const int *map, struct topology *out)
{
	uint32_t *parts = xcalloc(t->ne + 1, sizeof *parts);

	for (size_t i = 0; i < t->ne; i++) {
		const struct topo_edge *x = &t->e[i];
		int s = map[x->src], d = map[x->dst], k;
		struct topo_edge *e;
		if (s < 0 || d < 0 || (k = topo_edge(out, s, d)) < 0)
			continue;
		e = &out->e[k];
		e->change = fold_change(e->change, x->change, parts[k]++ == 0);
		e->rate += x->rate;
		e->err += x->err;
		e->noresp += x->noresp;
		e->was_rate += x->was_rate;
		if (!isnan(x->p99) && (isnan(e->p99) || x->p99 > e->p99))
			e->p99 = x->p99;
		if (!isnan(x->was_p99) && (isnan(e->was_p99) || x->was_p99 > e->was_p99))
			e->was_p99 = x->was_p99;
		if (x->was_ratio > e->was_ratio)
			e->was_ratio = x->was_ratio;
		if (x->top_err > e->top_err) {
			e->top_err = x->top_err;
			memcpy(e->code, x->code, sizeof e->code);
			memcpy(e->flags, x->flags, sizeof e->flags);
		}
	}
	free(parts);
}

static void
fold_pods(struct topo_node *dst, const struct topo_node *src)
{
	if (!src->pods_known)
		return;
	dst->pods_known = 1;
	dst->pods += src->pods;
	dst->ready += src->ready;
	dst->restarts += src->restarts;
	dst->bad += src->bad;
}

void
topo_collapse(const struct topology *t, const char *keep, struct topology *out,
    const struct topo_th *th)
{
	int *map = xcalloc(t->nn + 1, sizeof *map);

	topo_init(out);
	out->at = t->at;
	out->dropped = t->dropped;
	for (size_t i = 0; i < t->nn; i++) {
		const struct topo_node *n = &t->n[i];
		int own = (keep && strcmp(n->ns, keep) == 0) || !*n->ns;
		/* a folded namespace is the node (ns, "*"): no service has that name */
		int k = topo_node(out, n->ns, own ? n->name : "*");
		map[i] = k;
		if (k < 0)
			continue;
		if (!own) {
			if (out->n[k].folded)
				out->n[k].members++;
			out->n[k].folded = 1;
		} else
			out->n[k].pods_known = 0;
		fold_pods(&out->n[k], n);
	}
	fold_edges(t, map, out);
	topo_finish(out, th);
	free(map);
}

void
topo_subset(const struct topology *t, const uint8_t *keep, struct topology *out,
    const struct topo_th *th)
{
	int *map = xcalloc(t->nn + 1, sizeof *map);

	topo_init(out);
	out->at = t->at;
	out->dropped = t->dropped;
	for (size_t i = 0; i < t->nn; i++) {
		map[i] = keep[i] ? topo_node(out, t->n[i].ns, t->n[i].name) : -1;
		if (map[i] >= 0) {
			int k = map[i];
			char *ns = out->n[k].ns, *name = out->n[k].name;
			out->n[k] = t->n[i];
			out->n[k].ns = ns;
			out->n[k].name = name;
			out->n[k].self = -1;
		}
	}
	fold_edges(t, map, out);
	topo_finish(out, th);
	free(map);
}

/* ------------------------------------------------------------ format */

void
topo_fmt_rate(double v, char *dst, size_t n)
{
	if (!(v > 0))
		snprintf(dst, n, "0/s");
	else if (v >= 1e6)
		snprintf(dst, n, "%.1fM/s", v / 1e6);
	else if (v >= 1e4)
		snprintf(dst, n, "%.0fk/s", v / 1e3);
	else if (v >= 1e3)
		snprintf(dst, n, "%.1fk/s", v / 1e3);
	else if (v >= 100)
		snprintf(dst, n, "%.0f/s", v);
	else if (v >= 1)
		snprintf(dst, n, "%.1f/s", v);
	else if (v >= 0.01)
		snprintf(dst, n, "%.2f/s", v);
	else
		snprintf(dst, n, "<0.01/s");
}

void
topo_fmt_ratio(double v, char *dst, size_t n)
{
	if (!(v > 0))
		snprintf(dst, n, "0%%");
	else if (v < 0.001)
		snprintf(dst, n, "<0.1%%");
	else if (v < 0.1)
		snprintf(dst, n, "%.1f%%", v * 100);
	else
		snprintf(dst, n, "%.0f%%", v * 100);
}

void
topo_fmt_ms(double v, char *dst, size_t n)
{
	if (isnan(v))
		snprintf(dst, n, "-");
	else if (v < 1)
		snprintf(dst, n, "%.2fms", v);
	else if (v < 10)
		snprintf(dst, n, "%.1fms", v);
	else if (v < 1000)
		snprintf(dst, n, "%.0fms", v);
	else if (v < 10000)
		snprintf(dst, n, "%.1fs", v / 1000);
	else if (v < 600000)
		snprintf(dst, n, "%.0fs", v / 1000);
	else
		snprintf(dst, n, "%.0fm", v / 60000);
}

/* ------------------------------------------------------------ export */

static const char *const health_names[] = { "ok", "warn", "error" };
static const char *const change_names[] = { "-", "new", "gone", "worse", "better", "changed" };

/* Untrusted text for a file: printable UTF-8 as is; controls, invalid
 * bytes and invisible characters as \xHH / \u{XXXX}; in DOT also the
 * quote and backslash escaped.  Names longer than TOPO_EXPORT_NAME_MAX
 * bytes are cut (and say so). */
static void
put_esc(struct buf *b, const char *s, int dot)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, start = b->len;

	while (i < len) {
		if (b->len - start > TOPO_EXPORT_NAME_MAX) {	/* Graphviz caps quoted strings */
			buf_printf(b, "...(%zu bytes cut)", len - i);
			return;
		}
		uint32_t cp;
		size_t k = utf8_decode(p + i, len - i, &cp);
		const char *bs = dot ? "\\\\" : "\\";
		if (!k) {
			buf_printf(b, "%sx%02x", bs, p[i]);
			i++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f) {
			buf_printf(b, "%sx%02x", bs, (unsigned)cp);
		} else if ((cp >= 0x80 && cp < 0xa0) || uc_is_invisible(cp)) {
			buf_printf(b, "%su{%04X}", bs, (unsigned)cp);
		} else if (dot && (cp == '"' || cp == '\\')) {
			buf_putc(b, '\\');
			buf_putc(b, (int)cp);
		} else
			buf_append(b, p + i, k);
		i += k;
	}
}

static void
put_node_name(struct buf *b, const struct topo_node *n, int dot)
{
	if (n->folded) {
		buf_puts(b, "namespace ");
		put_esc(b, n->ns, dot);
		return;
	}
	if (*n->ns) {
		put_esc(b, n->ns, dot);
		buf_putc(b, '/');
	}
	put_esc(b, n->name, dot);
}

static void
edge_summary(const struct topology *t, const struct topo_edge *e, const struct topo_meta *m,
    struct buf *b, int dot)
{
	char r[32], p[32];

	topo_fmt_rate(e->rate, r, sizeof r);
	topo_fmt_ms(e->p99, p, sizeof p);
	put_node_name(b, &t->n[e->src], dot);
	buf_puts(b, " -> ");
	put_node_name(b, &t->n[e->dst], dot);
	buf_printf(b, "  %s  %.1f%% errors", r, topo_ratio(e) * 100);
	if (*e->code) {
		buf_puts(b, " (");
		put_esc(b, e->code, dot);
		if (*e->flags) {
			buf_putc(b, ' ');
			put_esc(b, e->flags, dot);
		}
		buf_putc(b, ')');
	}
	buf_printf(b, "  %s %s", m->qname, p);
}

static void
put_time(struct buf *b, tns t)
{
	char s[64];

	if (t == TNS_NONE) {
		buf_puts(b, "unknown");
		return;
	}
	ts_fmt_rfc3339(s, sizeof s, t);
	buf_puts(b, s);
}

static void text_edges(const struct topology *t, const int *idx, struct buf *b);
static void text_services(const struct topology *t, struct buf *b);

void
topo_write_text(const struct topology *t, const struct topo_meta *m, struct buf *b)
{
	int *idx = xcalloc(t->ne + 1, sizeof *idx);

	buf_puts(b, "# scry service topology\n# time     ");
	put_time(b, m->at);
	buf_printf(b, "\n# metrics  %s, rate window %s, latency %s\n# worst    ", m->metrics,
	    m->window, m->qname);
	if (t->worst >= 0)
		edge_summary(t, &t->e[t->worst], m, b, 0);
	else
		buf_puts(b, "none (every edge within its thresholds)");
	buf_printf(b, "\n# %zu services, %zu edges\n\nedges (worst first)\n", t->nn, t->ne);
	buf_printf(b, "%-40s %-40s %10s %8s %10s %-12s %-6s %s\n", "SOURCE", "DESTINATION", "REQ/S",
	    "ERRORS", m->qname, "ERROR CODE", "HEALTH", "CHANGE");
	topo_rank(t, idx);
	text_edges(t, idx, b);
	text_services(t, b);
	free(idx);
}

static void
text_edges(const struct topology *t, const int *idx, struct buf *b)
{
	for (size_t i = 0; i < t->ne; i++) {
		const struct topo_edge *e = &t->e[idx[i]];
		struct buf s, d, c;
		char p[32];
		buf_init(&s, 4096);
		buf_init(&d, 4096);
		buf_init(&c, 256);
		put_node_name(&s, &t->n[e->src], 0);
		put_node_name(&d, &t->n[e->dst], 0);
		put_esc(&c, *e->code ? e->code : "-", 0);
		if (*e->flags) {
			buf_putc(&c, ' ');
			put_esc(&c, e->flags, 0);
		}
		if (isnan(e->p99))
			snprintf(p, sizeof p, "-");
		else
			snprintf(p, sizeof p, "%.1f ms", e->p99);
		buf_printf(b, "%-40s %-40s %10.3f %7.2f%% %10s %-12s %-6s %s%s\n", s.data, d.data,
		    e->rate, topo_ratio(e) * 100, p, c.data, health_names[e->health],
		    change_names[e->change], idx[i] == t->worst ? "  WORST" : "");
		buf_free(&s);
		buf_free(&d);
		buf_free(&c);
	}
}

static void
text_services(const struct topology *t, struct buf *b)
{
	buf_printf(b, "\nservices\n%-40s %10s %8s %-12s %8s %-6s\n", "SERVICE", "IN REQ/S", "ERRORS",
	    "PODS READY", "RESTARTS", "HEALTH");
	for (size_t i = 0; i < t->nn; i++) {
		const struct topo_node *n = &t->n[i];
		struct buf s;
		char pods[32];
		buf_init(&s, 4096);
		put_node_name(&s, n, 0);
		if (n->pods_known)
			snprintf(pods, sizeof pods, "%d/%d", n->ready, n->pods);
		else
			snprintf(pods, sizeof pods, "-");
		buf_printf(b, "%-40s %10.3f %7.2f%% %-12s %8d %-6s\n", s.data, n->in_rate,
		    n->in_rate > 0 ? 100 * n->in_err / n->in_rate : 0, pods, n->restarts,
		    health_names[n->health]);
		buf_free(&s);
	}
}

static const char *
dot_color(int h)
{
	return h == TH_ERROR ? "red3" : h == TH_WARN ? "orange2" : "gray40";
}

void
topo_write_dot(const struct topology *t, const struct topo_meta *m, struct buf *b)
{
	buf_puts(b, "// scry service topology at ");
	put_time(b, m->at);
	buf_printf(b, "\n// %s, rate window %s, latency %s\ndigraph topology {\n"
	    "\trankdir=LR;\n\tnode [shape=box, style=rounded, fontname=\"monospace\"];\n"
	    "\tedge [fontname=\"monospace\", fontsize=10];\n\tlabel=\"", m->metrics, m->window, m->qname);
	put_time(b, m->at);
	buf_puts(b, "\";\n");
	for (size_t i = 0; i < t->nn; i++) {
		const struct topo_node *n = &t->n[i];
		buf_printf(b, "\tn%zu [label=\"", i);
		put_node_name(b, n, 1);
		if (n->pods_known)
			buf_printf(b, "\\n%d/%d ready, %d restarts", n->ready, n->pods, n->restarts);
		buf_printf(b, "\", color=%s];\n", dot_color(n->health));
	}
	for (size_t i = 0; i < t->ne; i++) {
		const struct topo_edge *e = &t->e[i];
		char r[32], p[32];
		topo_fmt_rate(e->rate, r, sizeof r);
		topo_fmt_ms(e->p99, p, sizeof p);
		buf_printf(b, "\tn%d -> n%d [label=\"%s\\n%.1f%% errors", e->src, e->dst, r,
		    topo_ratio(e) * 100);
		if (*e->code) {
			buf_puts(b, " (");
			put_esc(b, e->code, 1);
			if (*e->flags) {
				buf_putc(b, ' ');
				put_esc(b, e->flags, 1);
			}
			buf_putc(b, ')');
		}
		buf_printf(b, "\\n%s %s\", color=%s%s%s];\n", m->qname, p, dot_color(e->health),
		    (int)i == t->worst ? ", penwidth=3" : "",
		    e->change == TC_GONE ? ", style=dashed" : e->change != TC_NONE ? ", style=bold" : "");
	}
	buf_puts(b, "}\n");
}
