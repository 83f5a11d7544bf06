/* pod: one pod in detail (the pivot behind Enter in the pods pane) —
 * status as kubectl prints it, node, IP, QoS, owner, usage against
 * requests and limits, conditions, every container's state with its last
 * termination (reason, exit code, when, how long it ran), and the pod's
 * recent events, newest first.  As it was at the time cursor.
 * Keys: j/k scroll, l logs, p logs of the previous (crashed) container.
 * Invariant: text comes from the cluster and is drawn through the canvas
 * (sanitised); nothing from the pod spec beyond names, images and
 * resources is shown (no env values). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/quantity.h"
#include "core/xalloc.h"
#include "widgets/kubeui.h"
#include "widgets/podrows.h"
#include "widgets/widget.h"

static const char *const pod_types[] = { "kubectl", NULL };
static const char *const pod_opts[] = { "namespace", "pod", NULL };

#define EVENTS_MAX	40

struct pod_state {
	char	*ns, *name;
	int	 scroll;
	int	 lines;		/* lines of the last draw */
	struct podmetrics pm;
};

/* A line writer with scrolling: y is the logical line. */
struct pw {
	struct canvas		*cv;
	int			 y, skip;
	const struct wctx	*c;
};

static int
pod_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct pod_state *s = xcalloc(1, sizeof *s);
	const char *ns = jd_str(doc, dg, p->cfg->options, p->cfg->path, "namespace", "");
	const char *name = jd_str(doc, dg, p->cfg->options, p->cfg->path, "pod", NULL);

	p->w = s;
	if (!name || !*name) {
		jdoc_diag(doc, dg, DIAG_ERROR, p->cfg->cfg, 0, "%s.options.pod: missing the pod name",
		    p->cfg->path);
		name = "";
	}
	s->ns = xstrdup(ns);
	s->name = xstrdup(name);
	return 0;
}

static void
pod_free(struct panel *p)
{
	struct pod_state *s = p->w;

	if (!s)
		return;
	podmetrics_free(&s->pm);
	free(s->ns);
	free(s->name);
	free(s);
	p->w = NULL;
}

static size_t
pod_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	size_t n = 0;

	(void)c; (void)w; (void)h;
	if (n < max)
		out[n++] = (struct need){ .qi = 0, .kind = "pods" };
	if (n < max)
		out[n++] = (struct need){ .qi = p->cfg->nq > 1 ? 1 : 0, .kind = "events" };
	if (n < max)
		out[n++] = (struct need){ .qi = 0, .kind = "top" };
	return n;
}

static int
line(struct pw *w, int x, const char *text, enum role role, uint8_t attr)
{
	int y = w->y++ - w->skip;
	if (y < 0 || y >= w->cv->h)
		return 0;
	return canvas_str(w->cv, x, y, w->cv->w - x, text, role, attr);
}

/* Two columns: a dim label then the value. */
static void
field(struct pw *w, int x, const char *label, const char *value, enum role role)
{
	int y = w->y - w->skip;

	if (y >= 0 && y < w->cv->h) {
		canvas_str(w->cv, x, y, 10, label, ROLE_DIM, 0);
		canvas_str(w->cv, x + 10, y, w->cv->w - x - 10, value, role, 0);
	}
	w->y++;
}

static const struct kpod *
find(const struct kube_view *v, const char *ns, const char *name)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct kpod *p = v->items[i];
		if (strcmp(p->meta.name, name) == 0 && (!*ns || strcmp(p->meta.ns, ns) == 0))
			return p;
	}
	return NULL;
}

static void
header(struct pw *w, const struct podrow *r, tns at)
{
	const struct kpod *p = r->p;
	char b[1024], rs[64], age[32], a[32], bb[32], cc[32], d[32];

	pod_restarts_fmt(&r->st, at, rs, sizeof rs);
	kube_age(p->created, at, age, sizeof age);
	snprintf(b, sizeof b, "%s  %d/%d ready  %s restarts  age %s", r->st.status, r->st.ready,
	    r->st.total, rs, age);
	line(w, 0, b, r->st.health == PH_BAD ? ROLE_ERROR : r->st.health == PH_WARN ? ROLE_WARN :
	    ROLE_OK, CA_BOLD);
	snprintf(b, sizeof b, "%s  IP %s  QoS %s  phase %s", p->node ? p->node : "<not scheduled>",
	    p->ip ? p->ip : "-", p->qos ? p->qos : "-", p->phase ? p->phase : "-");
	field(w, 0, "node", b, ROLE_TEXT);
	snprintf(b, sizeof b, "%s/%s%s%s", r->owner_kind, r->owner,
	    p->owner_kind && strcmp(p->owner_kind, r->owner_kind) ? " via " : "",
	    p->owner_kind && strcmp(p->owner_kind, r->owner_kind) ? p->owner_name : "");
	field(w, 0, "owner", b, ROLE_TEXT);
	if (r->cpu_m >= 0 || r->req_cpu >= 0 || r->lim_cpu >= 0) {
		quantity_fmt_cpu(r->cpu_m, a, sizeof a);
		quantity_fmt_cpu(r->req_cpu, bb, sizeof bb);
		quantity_fmt_cpu(r->lim_cpu, cc, sizeof cc);
		quantity_fmt_mem(r->mem, d, sizeof d);
		snprintf(b, sizeof b, "cpu %s (request %s, limit %s)", r->cpu_m >= 0 ? a : "-", bb, cc);
		quantity_fmt_mem(r->req_mem, bb, sizeof bb);
		quantity_fmt_mem(r->lim_mem, cc, sizeof cc);
		snprintf(b + strlen(b), sizeof b - strlen(b), "   memory %s (request %s, limit %s)",
		    r->mem >= 0 ? d : "-", bb, cc);
		field(w, 0, "usage", b, ROLE_TEXT);
	}
	if (p->deleted != TNS_NONE) {
		kube_age(p->deleted, at, age, sizeof age);
		snprintf(b, sizeof b, "deletion requested %s ago", age);
		field(w, 0, "deleting", b, ROLE_WARN);
	}
	if (p->message)
		field(w, 0, "message", p->message, ROLE_WARN);
}

static void
conditions(struct pw *w, const struct kpod *p, tns at)
{
	char b[1024], age[32];

	line(w, 0, "Conditions", ROLE_TITLE, CA_BOLD);
	for (size_t i = 0; i < p->ncond; i++) {
		const struct kcond *c = &p->cond[i];
		int ok = c->status && strcmp(c->status, "True") == 0;
		kube_age(c->at, at, age, sizeof age);
		snprintf(b, sizeof b, "%-26s %-6s %-6s %s%s%s", c->type ? c->type : "?",
		    c->status ? c->status : "?", age, c->reason ? c->reason : "",
		    c->message ? ": " : "", c->message ? c->message : "");
		line(w, 2, b, ok ? ROLE_TEXT : ROLE_WARN, 0);
	}
	if (!p->ncond)
		line(w, 2, "(none reported)", ROLE_DIM, 0);
}

static const struct kcspec *
spec_of(const struct kcspec *v, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (v[i].name && strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

static void
state_text(const struct kcstatus *s, tns at, char *b, size_t n)
{
	char age[32];

	kube_age(s->since, at, age, sizeof age);
	switch (s->state) {
	case KCS_RUNNING:
		snprintf(b, n, "Running since %s ago", age);
		break;
	case KCS_WAITING:
		snprintf(b, n, "Waiting: %s%s%s", s->reason ? s->reason : "", s->message ? " — " : "",
		    s->message ? s->message : "");
		break;
	case KCS_TERMINATED:
		snprintf(b, n, "Terminated: %s (exit code %d%s) %s ago%s%s", s->reason ? s->reason : "-",
		    (int)s->exit_code, s->signal ? ", signal" : "", age, s->message ? " — " : "",
		    s->message ? s->message : "");
		break;
	default:
		snprintf(b, n, "no state reported");
	}
}

static void
container(struct pw *w, const struct kcstatus *s, const struct kcspec *sp, tns at)
{
	char b[1200], a[32], bb[32], cc[32], d[32], ran[32];
	int bad = (s->state == KCS_WAITING && s->reason && strcmp(s->reason, "PodInitializing") &&
	    strcmp(s->reason, "ContainerCreating")) || (s->state == KCS_TERMINATED && s->exit_code);

	snprintf(b, sizeof b, "%s  %s", s->name ? s->name : "?", sp && sp->image ? sp->image : "");
	line(w, 2, b, ROLE_TEXT, CA_BOLD);
	state_text(s, at, b, sizeof b);
	field(w, 4, "state", b, bad ? ROLE_ERROR : s->state == KCS_RUNNING && s->ready ? ROLE_OK : ROLE_WARN);
	snprintf(b, sizeof b, "%s   restarts %d", s->ready ? "ready" : "not ready", (int)s->restarts);
	field(w, 4, "ready", b, s->ready ? ROLE_TEXT : ROLE_WARN);
	if (s->has_last) {
		kube_age(s->last_finished, at, a, sizeof a);
		if (s->last_started != TNS_NONE && s->last_finished != TNS_NONE)
			kube_human_duration(s->last_finished - s->last_started, ran, sizeof ran);
		else
			snprintf(ran, sizeof ran, "?");
		snprintf(b, sizeof b, "%s, exit code %d%s, %s ago after running %s",
		    s->last_reason ? s->last_reason : "Terminated", (int)s->last_exit,
		    s->last_signal ? " (signal)" : "", a, ran);
		field(w, 4, "last", b, s->last_exit ? ROLE_ERROR : ROLE_TEXT);
	}
	if (sp) {
		quantity_fmt_cpu(sp->req_cpu, a, sizeof a);
		quantity_fmt_cpu(sp->lim_cpu, bb, sizeof bb);
		quantity_fmt_mem(sp->req_mem, cc, sizeof cc);
		quantity_fmt_mem(sp->lim_mem, d, sizeof d);
		snprintf(b, sizeof b, "cpu %s / %s   memory %s / %s%s", a, bb, cc, d,
		    sp->restartable ? "   (sidecar)" : "");
		field(w, 4, "req/limit", b, ROLE_DIM);
	}
}

static void
containers(struct pw *w, const struct kpod *p, tns at)
{
	if (p->nst_i || p->nspec_i) {
		line(w, 0, "Init containers", ROLE_TITLE, CA_BOLD);
		for (size_t i = 0; i < p->nst_i; i++)
			container(w, &p->st_i[i], spec_of(p->spec_i, p->nspec_i, p->st_i[i].name), at);
	}
	line(w, 0, "Containers", ROLE_TITLE, CA_BOLD);
	for (size_t i = 0; i < p->nst_c; i++)
		container(w, &p->st_c[i], spec_of(p->spec_c, p->nspec_c, p->st_c[i].name), at);
	for (size_t i = 0; i < p->nspec_c; i++)	/* not started yet: spec only */
		if (!p->nst_c) {
			char b[600];
			snprintf(b, sizeof b, "%s  %s  (no status yet)", p->spec_c[i].name ? p->spec_c[i].name : "?",
			    p->spec_c[i].image ? p->spec_c[i].image : "");
			line(w, 2, b, ROLE_DIM, 0);
		}
}

static int
cmp_last(const void *a, const void *b)
{
	const struct kevent *x = *(const struct kevent *const *)a, *y = *(const struct kevent *const *)b;
	return (y->last > x->last) - (y->last < x->last);
}

static void
events(struct pw *w, const struct kube_view *v, const struct kpod *p, tns at)
{
	const struct kevent *sel[EVENTS_MAX];
	size_t n = 0;
	char b[1400], age[32];

	line(w, 0, "Events (newest first)", ROLE_TITLE, CA_BOLD);
	for (size_t i = 0; i < v->n && n < EVENTS_MAX; i++) {
		const struct kevent *e = v->items[i];
		if (e->obj_name && strcmp(e->obj_name, p->meta.name) == 0 &&
		    (!e->obj_ns || strcmp(e->obj_ns, p->meta.ns) == 0) &&
		    (!e->obj_kind || strcmp(e->obj_kind, "Pod") == 0) && e->first <= at)
			sel[n++] = e;
	}
	if (n > 1)
		qsort(sel, n, sizeof *sel, cmp_last);
	for (size_t i = 0; i < n; i++) {
		const struct kevent *e = sel[i];
		int warn = e->type && strcmp(e->type, "Warning") == 0;
		kube_age(e->last, at, age, sizeof age);
		snprintf(b, sizeof b, "%-6s %-7s %-18s x%-4d %s", age, e->type ? e->type : "",
		    e->reason ? e->reason : "", (int)e->count, e->message ? e->message : "");
		line(w, 2, b, warn ? ROLE_WARN : ROLE_TEXT, 0);
	}
	if (!n)
		line(w, 2, v->first_sync == TNS_NONE ? "(events not loaded yet)" : "(no events)",
		    ROLE_DIM, 0);
}

static void
pod_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct pod_state *s = p->w;
	struct kube_view pv, ev, tv;
	const char *pk = kubeui_key(p, 0, "pods"), *tk = kubeui_key(p, 0, "top");
	const char *ek = kubeui_key(p, p->cfg->nq > 1 ? 1 : 0, "events");
	struct pw w = { cv, 0, s->scroll, c };
	tns at = kubeui_time(c);
	const struct kpod *pod;
	struct podrow r;

	store_kube(c->store, pk, at, &pv);
	store_kube(c->store, ek, at, &ev);
	podmetrics_update(&s->pm, &tv, store_kube(c->store, tk, at, &tv) == 0);
	if (kubeui_before_first(cv, &pv, 1, at, c))
		return;
	if (!(pod = find(&pv, s->ns, s->name))) {
		char b[600];
		snprintf(b, sizeof b, "pod %s/%s does not exist at this time", s->ns, s->name);
		canvas_str(cv, 0, cv->h / 2, cv->w, b, ROLE_DIM, 0);
		return;
	}
	podrow_fill(&r, pod, 0, &s->pm);
	header(&w, &r, at);
	w.y++;
	conditions(&w, pod, at);
	w.y++;
	containers(&w, pod, at);
	w.y++;
	events(&w, &ev, pod, at);
	s->lines = w.y;
}

static int
pod_key(struct panel *p, int key, const struct wctx *c)
{
	struct pod_state *s = p->w;
	struct kube_view pv;
	const struct kpod *pod;
	int sel = s->scroll;

	if (kubeui_nav_key(key, &sel, s->lines, 10, c)) {
		s->scroll = sel;
		return WK_HANDLED;
	}
	if (key != 'l' && key != 'p')
		return WK_IGNORED;
	store_kube(c->store, kubeui_key(p, 0, "pods"), kubeui_time(c), &pv);
	if (!(pod = find(&pv, s->ns, s->name))) {
		c->api->message(c->app, 1, "the pod is gone");
		return WK_HANDLED;
	}
	kubeui_open_logs(p, c, 0, pod, key == 'p');
	return WK_HANDLED;
}

static int
pod_has_data(struct panel *p, const struct wctx *c)
{
	return kubeui_has_kind(p, c, "pods");
}

const struct widget_class pod_widget = {
	.name = "pod",
	.help = "one pod in detail: conditions, containers, last termination, events",
	.source_types = pod_types,
	.option_keys = pod_opts,
	.init = pod_init,
	.free = pod_free,
	.needs = pod_needs,
	.draw = pod_draw,
	.key = pod_key,
	.has_data = pod_has_data,
};
