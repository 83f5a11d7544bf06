/* app: set-up, the event sink, fetch scheduling and panel state.
 * Invariants: panels[i].cfg == &db->panels[i]; every registered fetch unit
 * has a struct unit in sunit->user; a unit is in flight at most once. */
#include "tui/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grafana.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/recorder.h"
#include "core/recread.h"
#include "core/secret.h"
#include "core/sanitize.h"
#include "core/template.h"
#include "core/xalloc.h"
#include "sources/http.h"
#include "sources/replay.h"
#include "tui/defaults.h"
#include "tui/svcview.h"
#include "tui/vars.h"
#include "tui/term.h"

static struct app *the_app;	/* for the widget api trampolines */

static tns
env_now(void)
{
	return the_app ? app_now(the_app) : ts_now();
}

tns
app_now(const struct app *a)
{
	if (a->replay_now)
		return a->replay_now;
	return vclock_now(&a->clock, ts_now());
}

void
app_dirty(struct app *a)
{
	a->dirty = 1;
}

void
app_message(struct app *a, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_error = error;
	a->msg_until = ts_mono_ms() + 6000;
	if (error)
		log_warn("%s", a->msg);
	app_dirty(a);
}

/* The event sink: every event from every source passes here. */
static void
app_emit(void *ctx, struct event *ev)
{
	struct app *a = ctx;
	char *values_key = ev->kind == EV_VALUES ? xstrdup(ev->key) : NULL;

	if (a->rec)
		rec_event(a->rec, app_now(a), ev);
	store_apply(a->store, ev);
	event_free(ev);
	if (values_key) {
		vars_apply(a, values_key);
		free(values_key);
	}
	app_dirty(a);
}

/* ---------------------------------------------------------------- setup */

static void
apply_cli_sources(struct app *a)
{
	static const struct { const char *name, *env; size_t off; } m[] = {
		{ "prometheus", "SCRY_PROMETHEUS_URL", offsetof(struct options, prom_url) },
		{ "loki", "SCRY_LOKI_URL", offsetof(struct options, loki_url) },
		{ "tempo", "SCRY_TEMPO_URL", offsetof(struct options, tempo_url) },
		{ "jaeger", "SCRY_JAEGER_URL", offsetof(struct options, jaeger_url) },
	};

	for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
		const char *url = *(const char *const *)((const char *)&a->opt + m[i].off);
		const char *env = getenv(m[i].env);
		if (url)
			dashboard_set_source(a->db, m[i].name, m[i].name, url);
		else if (env && *env) {
			/* the environment fills a source the dashboard left without a URL */
			struct dash_source *s = NULL;
			for (size_t k = 0; k < a->db->nsrc && !s; k++)
				if (strcmp(a->db->src[k].type, m[i].name) == 0)
					s = &a->db->src[k];
			if (!s || !s->url)
				dashboard_set_source(a->db, s ? s->name : m[i].name, m[i].name, env);
		}
	}
	if (a->opt.context || a->opt.namespace || a->opt.kubeconfig || a->opt.all_namespaces ||
	    a->opt.request_timeout) {
		int have = 0;
		for (size_t k = 0; k < a->db->nsrc; k++)
			have |= strcmp(a->db->src[k].type, "kubectl") == 0;
		/* no kubectl source yet: add one (its events mark every graph) */
		if (!have)
			dashboard_set_source(a->db, a->opt.context ? a->opt.context : "kubectl",
			    "kubectl", NULL);
		for (size_t k = 0; k < a->db->nsrc; k++) {
			struct dash_source *s = &a->db->src[k];
			if (strcmp(s->type, "kubectl") != 0)
				continue;
			if (a->opt.context)
				dashboard_source_override(s, "context", a->opt.context);
			if (a->opt.namespace)
				dashboard_source_override(s, "namespace", a->opt.namespace);
			if (a->opt.kubeconfig)
				dashboard_source_override(s, "kubeconfig", a->opt.kubeconfig);
			if (a->opt.all_namespaces)
				dashboard_source_override(s, "namespace", "*");
			if (a->opt.request_timeout)
				dashboard_source_override(s, "request_timeout", a->opt.request_timeout);
		}
	}
}

/* Grafana import options from the command line; the provisioning file
 * (if any) is parsed into prov, which must outlive the load. */
static int
import_opts(const struct options *o, struct jdoc *prov, struct gf_opts *gf,
    struct dash_load_opts *lo, struct diag *dg)
{
	memset(prov, 0, sizeof *prov);
	memset(gf, 0, sizeof *gf);
	memset(lo, 0, sizeof *lo);
	gf->map = o->dsmap;
	gf->nmap = o->ndsmap;
	if (o->grafana_ds && !(gf->provisioning = grafana_load_provisioning(prov, o->grafana_ds, dg)))
		return -1;
	lo->grafana = gf;
	lo->slo_files = o->slo;
	lo->nslo_files = o->nslo;
	return 0;
}

struct dashboard *
app_open_dashboard(const struct options *o, const char *path, struct diag *dg)
{
	struct jdoc prov;
	struct gf_opts gf;
	struct dash_load_opts lo;
	struct dashboard *db = NULL;

	if (import_opts(o, &prov, &gf, &lo, dg) == 0)
		db = dashboard_open(path, &lo, dg);
	jdoc_free(&prov);
	return db;
}

char *
app_convert_dashboard(const struct options *o, struct diag *dg)
{
	struct jdoc prov;
	struct gf_opts gf;
	struct dash_load_opts lo;
	char *text = NULL;

	if (import_opts(o, &prov, &gf, &lo, dg) == 0)
		text = dashboard_convert(o->convert, &lo, dg);
	jdoc_free(&prov);
	return text;
}

static struct dashboard *
load_dashboard(const struct app *a, const struct options *o, struct diag *dg)
{
	if (o->dashboard || o->nslo)
		return app_open_dashboard(o, o->dashboard, dg);
	if (a->rp) {
		const struct recread *r = replay_reader(a->rp);
		return dashboard_parse(r->dash_text, strlen(r->dash_text),
		    r->dash_name ? r->dash_name : "<recorded dashboard>", dg);
	}
	return dashboard_parse(default_dashboard_json, default_dashboard_json_len,
	    "<built-in incident dashboard>", dg);
}

/* ------------------------------------------------------ record, replay */

int
app_body_rows(const struct app *a)
{
	int h = a->rows - 1 - (a->rp && a->tty ? 1 : 0);
	return h > 0 ? h : 0;
}

/* A source the recording says was unavailable stays so, with its message. */
static int
replay_source_missing(struct app *a, const struct dash_source *ds, char **why)
{
	const struct recread *r = replay_reader(a->rp);

	for (size_t i = 0; i < r->nsrc; i++)
		if (strcmp(r->src[i].name, ds->name) == 0 &&
		    strcmp(r->src[i].state, "unavailable") == 0) {
			*why = xstrdup(*r->src[i].message ? r->src[i].message : "not available");
			return 1;
		}
	return 0;
}

static void
replay_changed(void *ctx, int what)
{
	struct app *a = ctx;

	if (what & REPLAY_REBUILT) {
		/* a new store: answers of the replay sources ("not in recording")
		 * are given again on the next schedule */
		sched_force(&a->sched, NULL, ts_mono_ms());
		a->relayout = 1;
	}
	app_dirty(a);
}

static int
replay_start_app(struct app *a, char **err)
{
	const struct recread *r = replay_reader(a->rp);
	struct replay_host h = {
		.loop = a->loop, .store = &a->store, .now = &a->replay_now,
		.sink = { app_emit, a }, .changed = replay_changed, .ctx = a,
	};
	tns at = TNS_NONE;

	if (a->opt.at_str && timeline_parse_time(a, a->opt.at_str, &at, err) < 0)
		return -1;
	if (at == TNS_NONE && a->opt.snapshot)
		at = r->t_end;	/* a snapshot shows the end unless told otherwise */
	for (size_t i = 0; i < a->db->nsrc; i++)
		for (size_t k = 0; k < r->nsrc && a->src[i]; k++)
			if (strcmp(r->src[k].name, a->db->src[i].name) == 0 &&
			    strcmp(r->src[k].state, "insecure") == 0)
				a->src[i]->insecure = 1;
	if (a->opt.debug)
		replay_set_verify(a->rp, 1);
	replay_attach(a->rp, &h, at);
	if (!a->opt.snapshot && at == TNS_NONE)
		replay_play(a->rp, 1);
	if (replay_problem(a->rp))
		app_message(a, 1, "%s", replay_problem(a->rp));
	else if (a->opt.demo)
		app_message(a, 0, "no data source configured: replaying the bundled demo incident; "
		    "scry -p URL watches your Prometheus");
	if (a->opt.snapshot)	/* no screen to say it on: stderr */
		for (size_t i = 0; i < r->nwarn; i++)
			fprintf(stderr, "scry: %s: %s\n", a->opt.replay, r->warn[i]);
	return 0;
}

static void
rec_timer_cb(void *ctx)
{
	struct app *a = ctx;
	tns now = app_now(a);

	a->rec_timer = loop_timer(a->loop, 1000, rec_timer_cb, a);
	if (!rec_due(a->rec, now))
		return;
	/* a digest of the store every 30 s lets a replay check itself */
	if (now - a->rec_digest_at >= 30 * NS_PER_S) {
		rec_digest(a->rec, now, store_digest(a->store, now));
		a->rec_digest_at = now;
	}
	rec_flush(a->rec);
}

int
app_record(struct app *a, const char *path, char **err)
{
	struct rec_source_info *si = xcalloc(a->db->nsrc + 1, sizeof *si);
	struct rec_header h;
	char *text = rec_dashboard_text(a->db), *name = secret_mask(a->db->path);

	for (size_t i = 0; i < a->db->nsrc; i++) {
		si[i].name = a->db->src[i].name;
		si[i].type = a->db->src[i].type;
		si[i].error = a->src[i] ? NULL : a->src_err[i] ? a->src_err[i] : "not available";
		si[i].insecure = a->src[i] && a->src[i]->insecure;
	}
	memset(&h, 0, sizeof h);
	h.dash_name = name;
	h.dash_text = text;
	h.src = si;
	h.nsrc = a->db->nsrc;
	h.created = app_now(a);
	h.range = a->view.range;
	a->opt.record = path;
	a->rec = rec_create(path, &h, NULL, err);
	free(si);
	free(text);
	free(name);
	if (!a->rec)
		return -1;
	a->rec_digest_at = h.created;
	a->rec_timer = loop_timer(a->loop, 1000, rec_timer_cb, a);
	return 0;
}

void
app_end_recording(struct app *a)
{
	struct rec_stats st;
	char *err = NULL;
	tns now;

	if (!a->rec)
		return;
	now = app_now(a);
	if (a->rec_timer)
		loop_cancel(a->loop, a->rec_timer);
	a->rec_timer = 0;
	rec_digest(a->rec, now, store_digest(a->store, now));
	rec_stats(a->rec, &st);
	if (rec_close(a->rec, now, &err) < 0) {
		fprintf(stderr, "scry: recording %s: %s\n", a->opt.record, err);
		free(err);
	} else if (st.dropped)
		fprintf(stderr, "scry: recording %s: %llu events could not be recorded "
		    "(the disk did not keep up)\n", a->opt.record, (unsigned long long)st.dropped);
	a->rec = NULL;
}

static void
create_sources(struct app *a)
{
	a->src = xcalloc(a->db->nsrc + 1, sizeof *a->src);
	a->src_err = xcalloc(a->db->nsrc + 1, sizeof *a->src_err);
	for (size_t i = 0; i < a->db->nsrc; i++) {
		const struct dash_source *ds = &a->db->src[i];
		const struct source_class *cls = a->rp ? &replay_source_class :
		    source_class_find(ds->type);
		char *err = NULL;

		if (a->rp && replay_source_missing(a, ds, &a->src_err[i]))
			continue;
		if (!cls) {
			a->src_err[i] = xasprintf("source type '%s' is not available", ds->type);
			continue;
		}
		a->src[i] = cls->create(ds, &a->env, &err);
		if (!a->src[i]) {
			a->src_err[i] = err ? err : xstrdup("could not be created");
			log_error("source %s: %s", ds->name, a->src_err[i]);
		}
	}
}

void
app_panels_create(struct app *a)
{
	a->npanels = a->db->npanels;
	a->panels = xcalloc(a->npanels + 1, sizeof *a->panels);
	for (size_t i = 0; i < a->npanels; i++) {
		struct panel *p = &a->panels[i];
		struct diag dg;
		p->cfg = &a->db->panels[i];
		p->cls = widget_class_find(p->cfg->type);
		p->collapsed = p->cfg->collapsed;
		diag_init(&dg);
		if (!p->cls)
			p->error = xasprintf("unknown panel type '%s'", p->cfg->type);
		else if (p->cls->init && (p->cls->init(p, &a->db->doc, &dg) < 0 || dg.nerrors)) {
			p->error = xstrdup(diag_first_error(&dg) ? diag_first_error(&dg) :
			    "invalid panel options");
			if (p->w && p->cls->free)
				p->cls->free(p);
			p->cls = NULL;
		}
		for (size_t k = 0; k < dg.n; k++)
			log_msg(dg.e[k].sev == DIAG_WARN ? LOG_WARN : LOG_ERROR, "%s", dg.e[k].msg);
		if (p->error)
			log_error("%s: %s", p->cfg->path, p->error);
		diag_free(&dg);
	}
}

int
app_init(struct app *a, const struct options *o, char **err)
{
	struct diag dg;
	const char *theme, *clock = getenv("SCRY_DEMO_CLOCK");

	memset(a, 0, sizeof *a);
	the_app = a;
	a->opt = *o;
	a->focus = -1;
	a->zoom = -1;
	diag_init(&dg);
	theme = o->theme ? o->theme : getenv("SCRY_THEME");
	if (theme_load(&a->theme, theme && *theme ? theme : "default", &dg) < 0) {
		*err = diag_join(&dg);
		diag_free(&dg);
		theme_free(&a->theme);
		return -1;
	}
	if (o->replay && o->record) {
		*err = xstrdup("--record and --replay cannot be combined (annotations made "
		    "during a replay are saved into the recording with :w)");
		diag_free(&dg);
		return -1;
	}
	if (!o->replay && clock && *clock && vclock_parse(clock, ts_now(), &a->clock, err) < 0) {
		diag_free(&dg);
		theme_free(&a->theme);
		return -1;
	}
	if (o->replay && !(a->rp = replay_open(o->replay, err))) {
		diag_free(&dg);
		return -1;
	}
	if (!(a->db = load_dashboard(a, o, &dg))) {
		*err = dg.n ? diag_join(&dg) : xstrdup("cannot load dashboard");
		diag_free(&dg);
		theme_free(&a->theme);
		return -1;
	}
	if (!a->rp)
		apply_cli_sources(a);
	/* problems of one panel or source are shown on that panel; the rest runs
	 * (a replay has no live sources to check) */
	if (!a->rp)
		sources_check(a->db, &dg);
	for (size_t i = 0; i < dg.n; i++)
		log_msg(dg.e[i].sev == DIAG_WARN ? LOG_WARN : LOG_ERROR, "%s", dg.e[i].msg);
	if (dg.nerrors)
		app_message(a, 1, "the dashboard has %zu problem%s; see :log", dg.nerrors,
		    dg.nerrors == 1 ? "" : "s");
	else if (dg.n)
		app_message(a, 0, "the dashboard has %zu warning%s; see :log", dg.n,
		    dg.n == 1 ? "" : "s");
	diag_free(&dg);
	diag_init(&dg);
	{
		struct store_limits lim;
		memset(&lim, 0, sizeof lim);
		lim.log_bytes = o->log_bytes;
		a->store = store_new(&lim);
	}
	a->loop = loop_new();
	a->env.loop = a->loop;
	a->env.sink.emit = app_emit;
	a->env.sink.ctx = a;
	a->env.now = env_now;
	a->env.replay = a->rp;
	a->env.http = a->rp ? NULL : http_new(a->loop);
	sched_init(&a->sched, (uint64_t)ts_now());
	create_sources(a);
	app_panels_create(a);
	diag_free(&dg);
	view_init(&a->view, o->range ? o->range : a->db->range);
	a->view.utc = o->utc;
	if (o->at != TNS_NONE && !a->rp)
		view_set_end(&a->view, o->at);
	if ((a->rp && replay_start_app(a, err) < 0) || (o->record && app_record(a, o->record, err) < 0))
		return -1;
	for (size_t i = 0; i < a->npanels; i++)
		if (a->panels[i].visible || a->focus < 0) {
			if (a->panels[i].cls && strcmp(a->panels[i].cfg->type, "row") != 0) {
				a->focus = (int)i;
				break;
			}
		}
	a->dirty = 1;
	a->relayout = 1;
	return 0;
}

static void
drop_unit(struct sunit *u, void *ctx)
{
	struct unit *un = u->user;
	(void)ctx;
	if (!un)
		return;
	if (un->src && un->src->cls->cancel)
		un->src->cls->cancel(un->src, u->key);
	free(un->expr_tmpl);
	free(un->kind);
	free(un);
	u->user = NULL;
}

static void
panel_clear(struct panel *p)
{
	for (size_t k = 0; k < p->nneed; k++) {
		free(p->key[k]);
		p->key[k] = NULL;
	}
	p->nneed = 0;
	free(p->nosrc);
	p->nosrc = NULL;
}

static void
free_panel(struct panel *p)
{
	if (p->cls && p->cls->free)
		p->cls->free(p);
	panel_clear(p);
	free(p->error);
	p->error = NULL;
}

void
app_panels_free(struct app *a)
{
	for (size_t i = 0; i < a->npanels; i++)
		free_panel(&a->panels[i]);
	free(a->panels);
	a->panels = NULL;
	a->npanels = 0;
}

void
app_free(struct app *a)
{
	const char *dump;

	svcview_free(a);
	while (a->nov)
		app_pop(a);
	free(a->ov);
	vars_free(a);
	app_panels_free(a);
	sched_unmark(&a->sched);
	sched_sweep(&a->sched, drop_unit, a);
	sched_free(&a->sched);
	for (size_t i = 0; a->db && i < a->db->nsrc; i++) {
		if (a->src[i])
			a->src[i]->cls->destroy(a->src[i]);
		free(a->src_err[i]);
	}
	free(a->src);
	free(a->src_err);
	app_end_recording(a);
	if (a->rp)
		replay_free(a->rp);
	a->rp = NULL;
	if (a->env.http)
		http_free(a->env.http);
	if ((dump = getenv("SCRY_LOGDUMP")) && *dump) {
		/* debug/test aid: every log line held, as the log panes show them */
		FILE *f = fopen(dump, "w");
		if (f) {
			logstore_dump(store_logstore(a->store), f);
			fclose(f);
		}
	}
	store_free(a->store);
	loop_free(a->loop);
	dashboard_free(a->db);
	theme_free(&a->theme);
	canvas_free(a->cv);
	the_app = NULL;
}

/* ------------------------------------------------------------- fetching */

static int
source_index(const struct app *a, const char *name)
{
	for (size_t i = 0; i < a->db->nsrc; i++)
		if (strcmp(a->db->src[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
type_accepted(const struct widget_class *cls, const char *type)
{
	for (size_t i = 0; cls->source_types && cls->source_types[i]; i++)
		if (strcmp(cls->source_types[i], type) == 0)
			return 1;
	return 0;
}

/* The source index for query qi of panel p (or the need's own source
 * name), or -1 with *why set. */
static int
resolve_source(struct app *a, struct panel *p, size_t qi, const char *want, char **why)
{
	const char *name = want ? want : dashboard_query_source(p->cfg, qi);
	int si;

	if (name) {
		if ((si = source_index(a, name)) < 0) {
			*why = xasprintf("source '%s' is not defined in the dashboard", name);
			return -1;
		}
	} else {
		si = -1;
		for (size_t i = 0; i < a->db->nsrc && si < 0; i++)
			if (type_accepted(p->cls, a->db->src[i].type))
				si = (int)i;
		if (si < 0) {
			*why = xasprintf("no %s source configured%s", p->cls->source_types[0],
			    strcmp(p->cls->source_types[0], "prometheus") == 0 ?
			    " (use -p URL or SCRY_PROMETHEUS_URL)" :
			    strcmp(p->cls->source_types[0], "loki") == 0 ?
			    " (use -l URL or SCRY_LOKI_URL)" :
			    strcmp(p->cls->source_types[0], "kubectl") == 0 ?
			    " (use --context, -n or --kubeconfig)" : "");
			return -1;
		}
	}
	if (!a->src[si]) {
		const struct dash_source *ds = &a->db->src[si];
		if (a->src_err[si])
			*why = xasprintf("%s: %s", ds->name, a->src_err[si]);
		else
			*why = xasprintf("%s: not available", ds->name);
		return -1;
	}
	return si;
}

static int64_t
panel_interval_ms(const struct app *a, const struct panel *p)
{
	tns r = a->opt.refresh ? a->opt.refresh : p->cfg->refresh ? p->cfg->refresh : a->db->refresh;
	return r / NS_PER_MS;
}

/* Register the panel's needs as keys and fetch units. */
static void
panel_units(struct app *a, struct panel *p, struct wctx *c)
{
	int w = p->r.w - 2, h = p->r.h - 2;
	int64_t now = ts_mono_ms();

	panel_clear(p);
	if (!p->cls || !p->cls->needs || !p->visible)
		return;
	p->nneed = p->cls->needs(p, c, w > 0 ? w : 1, h > 0 ? h : 1, p->need, NEED_MAX);
	for (size_t k = 0; k < p->nneed; k++) {
		struct need *n = &p->need[k];
		char *why = NULL, *expr;
		int si = resolve_source(a, p, n->qi, n->source, &why);
		struct sunit *u;
		struct unit *un;

		if (si < 0) {
			if (!p->nosrc)
				p->nosrc = why;
			else
				free(why);
			continue;
		}
		if (!source_serves(a->src[si]->cls, n->kind)) {
			if (!p->nosrc && !n->aux)	/* an optional extra: just not asked */
				p->nosrc = xasprintf("%s cannot answer '%s' queries",
				    a->db->src[si].name, n->kind);
			continue;
		}
		if (a->src[si]->insecure)
			p->insecure = 1;
		expr = tmpl_expand(n->expr ? n->expr : widget_expr(p->cfg, n->qi), a->db, NULL);
		p->key[k] = qkey_make(a->db->src[si].name, n->kind, expr);
		if (n->aux && a->rp && !recread_has_key(replay_reader(a->rp), p->key[k])) {
			/* an optional extra the recording does not hold (recorded
			   before it existed): not asked, so not "missing" */
			free(p->key[k]);
			p->key[k] = NULL;
			free(expr);
			continue;
		}
		/* the demo clock runs faster: so do refreshes; an instant at a
		 * fixed time is fetched once per time asked */
		u = sched_unit(&a->sched, p->key[k], n->step, a->view.live && !n->at ?
		    vclock_real_ms(&a->clock, panel_interval_ms(a, p)) : 0, now);
		if (!u->user) {
			un = xcalloc(1, sizeof *un);
			un->src = a->src[si];
			un->expr_tmpl = expr;
			un->kind = xstrdup(n->kind);
			un->qcfg = !n->expr && n->qi < p->cfg->nq ? p->cfg->q[n->qi].cfg : NULL;
			un->limit = n->limit;
			un->at = n->at;
			u->user = un;
		} else
			free(expr);
		un = u->user;
		if (un->at != n->at) {
			un->at = n->at;
			if (u->in_flight)
				u->again = 1;
			else
				u->next_ms = now;
		}
		un->range = a->view.range;
		un->limit = n->limit;
		un->start = n->start;
		un->end = n->end;
		un->before = n->before;
	}
}


void
app_layout(struct app *a)
{
	struct wctx c;

	layout_compute(a, 0, app_body_rows(a));
	sched_unmark(&a->sched);
	for (size_t i = 0; i < a->npanels; i++) {
		app_wctx(a, &c, (int)i == a->focus);
		panel_units(a, &a->panels[i], &c);
	}
	for (size_t i = 0; i < a->nov; i++) {
		app_wctx(a, &c, 1);
		panel_units(a, &a->ov[i].panel, &c);
	}
	vars_units(a);
	svcview_units(a);
	sched_sweep(&a->sched, drop_unit, a);
	a->relayout = 0;
	app_dirty(a);
}

static void
fetch_done(void *ctx, const struct fetch *f, int ok, int64_t retry_after_ms)
{
	struct app *a = ctx;
	char id[64 * 1024];
	struct sunit *u;

	snprintf(id, sizeof id, "%s@%lld", f->key, (long long)f->step);
	if ((u = sched_find(&a->sched, id)))
		sched_done(&a->sched, u, ok, ts_mono_ms(), retry_after_ms);
	app_dirty(a);
	app_schedule(a);
}

static void
start_unit(struct app *a, struct sunit *u)
{
	struct unit *un = u->user;
	struct tmpl_time tt;
	struct fetch f;
	tns now = app_now(a), end = view_end(&a->view, now), step = u->step;
	char *expr, *err = NULL;

	memset(&tt, 0, sizeof tt);
	tt.interval = step > 0 ? step : a->view.range / 100;
	tt.range = a->view.range;
	tt.scrape = un->src->cls->scrape_interval ? un->src->cls->scrape_interval(un->src) : 0;
	expr = tmpl_expand(un->expr_tmpl, NULL, &tt);
	memset(&f, 0, sizeof f);
	f.key = u->key;
	f.kind = un->kind;
	f.expr = expr;
	f.step = step;
	if (un->at) {
		/* an instant at the time the widget asked (the topology's cursor) */
		f.start = f.end = un->at;
	} else if (un->start || un->end) {
		/* the widget asked for its own window (e.g. the trace lens) */
		f.start = un->start;
		f.end = un->end;
	} else if (step > 0) {
		/* align to the step so Thanos/Mimir caches hit */
		f.end = end - (end % step + step) % step;
		f.start = f.end - (a->view.range + step - 1) / step * step;
	} else {
		f.end = end;
		f.start = end - a->view.range;
	}
	f.limit = un->limit;
	f.before = un->before;
	un->before = 0;		/* a one-shot request (page back), not every refresh */
	f.qcfg = un->qcfg;
	f.timeout = u->interval_ms > 0 && u->interval_ms < 30000 ?
	    (u->interval_ms < 5000 ? 5000 : u->interval_ms) * NS_PER_MS : 30 * NS_PER_S;
	f.done = fetch_done;
	f.done_ctx = a;
	sched_started(u, ts_mono_ms());
	if (un->src->cls->fetch(un->src, &f, &err) < 0) {
		status_emit(&a->env.sink, u->key, now, QS_ERROR, 0, 0, err ? err : "request failed");
		free(err);
		sched_done(&a->sched, u, 0, ts_mono_ms(), 0);
	} else if (!a->rp) {	/* a replay has the recorded states */
		struct qview q;
		store_status(a->store, u->key, now, &q);
		if (q.state == QS_NONE)
			status_emit(&a->env.sink, u->key, now, QS_WAITING, 0, 0, NULL);
	}
	free(expr);
}

static void
sched_timer_cb(void *ctx)
{
	struct app *a = ctx;
	a->sched_timer = 0;
	app_schedule(a);
}

void
app_schedule(struct app *a)
{
	struct sunit *due[64];
	int64_t now = ts_mono_ms(), next;
	size_t n;

	svcview_poll(a);
	if (a->relayout)
		app_layout(a);
	while ((n = sched_due(&a->sched, now, due, 64)) > 0)
		for (size_t i = 0; i < n; i++)
			start_unit(a, due[i]);
	if (a->sched_timer)
		loop_cancel(a->loop, a->sched_timer);
	a->sched_timer = 0;
	if ((next = sched_next(&a->sched, ts_mono_ms())) >= 0)
		a->sched_timer = loop_timer(a->loop, next, sched_timer_cb, a);
}

/* ---------------------------------------------------------- panel state */

void
app_panel_state(struct app *a, struct panel *p, char *badge, size_t n, enum role *role,
    int *has_data, const struct ev_status **last, int *state)
{
	tns now = app_now(a), last_ok = TNS_NONE;
	int any_err = 0, any_wait = 0, any_ok = 0, own;
	const struct ev_status *err = NULL;
	struct wctx c;

	badge[0] = '\0';
	*role = ROLE_DIM;
	*last = NULL;
	app_wctx(a, &c, 0);
	own = p->cls && p->cls->has_data;	/* the widget answers has_data itself */
	*has_data = own ? p->cls->has_data(p, &c) : 0;
	for (size_t k = 0; k < p->nneed; k++) {
		struct qview q;
		if (!p->key[k] || p->need[k].aux)
			continue;
		if (!own && store_has_data(a->store, p->key[k]))
			*has_data = 1;
		store_status(a->store, p->key[k], now, &q);
		if (q.state == QS_ERROR) {
			any_err = 1;
			if (!err)
				err = q.last;
		} else if (q.state == QS_OK)
			any_ok = 1;
		else
			any_wait = 1;
		if (q.last_ok != TNS_NONE && (last_ok == TNS_NONE || q.last_ok < last_ok))
			last_ok = q.last_ok;
	}
	*last = err;
	*state = any_err ? QS_ERROR : any_wait ? QS_WAITING : any_ok ? QS_OK : QS_NONE;
	if (any_err) {
		if (*has_data && last_ok != TNS_NONE) {
			char d[32];
			ts_fmt_duration(d, sizeof d, now - last_ok);
			snprintf(badge, n, "stale %s", d);
			*role = ROLE_STALE;
		} else {
			snprintf(badge, n, "error");
			*role = ROLE_ERROR;
		}
	} else if (any_wait && !*has_data) {
		snprintf(badge, n, "waiting");
		*role = ROLE_DIM;
	} else if (last_ok != TNS_NONE && a->view.live) {
		int64_t iv = panel_interval_ms(a, p);
		tns age = now - last_ok;
		if (iv > 0 && age > 3 * iv * NS_PER_MS && age > 10 * NS_PER_S) {
			char d[32];
			ts_fmt_duration(d, sizeof d, age);
			snprintf(badge, n, "stale %s", d);
			*role = ROLE_STALE;
		}
	}
}

/* ------------------------------------------------------------- widget api */

static int
api_push(void *app, const struct dash_panel *cfg, const char *why)
{
	return app_push(app, cfg, why);
}

static void
api_set_cursor(void *app, tns t)
{
	struct app *a = app;
	a->view.cursor = t;
	a->relayout = 1;	/* widgets may fetch at the cursor (topology) */
	app_dirty(a);
}

void
app_set_focus(struct app *a, const char *service, const char *ns)
{
	if (service && *service) {
		snprintf(a->focus_svc, sizeof a->focus_svc, "%s", service);
		snprintf(a->focus_ns, sizeof a->focus_ns, "%s", ns ? ns : "");
	} else
		a->focus_svc[0] = a->focus_ns[0] = '\0';
	a->relayout = 1;
	app_dirty(a);
}

static void
api_set_focus(void *app, const char *service, const char *ns)
{
	app_set_focus(app, service, ns);
}

static void api_message(void *app, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
api_message(void *app, int error, const char *fmt, ...)
{
	struct app *a = app;
	char tmp[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	app_message(a, error, "%s", tmp);
}

static void
api_refetch(void *app, struct panel *p)
{
	struct app *a = app;
	for (size_t k = 0; k < p->nneed; k++)
		if (p->key[k])
			sched_force(&a->sched, p->key[k], ts_mono_ms());
	a->relayout = 1;
	app_schedule(a);
}

static int
api_push_window(void *app, const struct dash_panel *cfg, const char *why, tns start, tns end,
    tns cursor)
{
	return app_push_window(app, cfg, why, start, end, cursor);
}

static void
api_prompt(void *app, int kind, const char *label)
{
	struct app *a = app;

	a->mode = MODE_PROMPT;
	a->prompt_kind = kind;
	snprintf(a->prompt_label, sizeof a->prompt_label, "%s", label ? label : "");
	a->ninput = a->input_cur = 0;
	a->input[0] = '\0';
	app_dirty(a);
}

static void
api_again(void *app)
{
	struct app *a = app;
	a->again = 1;
}

static int
api_copy(void *app, const char *text, size_t len, char **err)
{
	struct app *a = app;

	if (!a->tty) {
		*err = xstrdup("no terminal to copy to");
		return -1;
	}
	return term_osc52(text, len, err);
}

static int
api_open_service(void *app, const char *service)
{
	return app_open_service(app, service);
}

static const struct wapi wapi = {
	.push = api_push,
	.set_cursor = api_set_cursor,
	.message = api_message,
	.refetch = api_refetch,
	.push_window = api_push_window,
	.prompt = api_prompt,
	.again = api_again,
	.copy = api_copy,
	.open_service = api_open_service,
	.set_focus = api_set_focus,
};

void
app_wctx(struct app *a, struct wctx *c, int focused)
{
	memset(c, 0, sizeof *c);
	c->store = a->store;
	c->view = &a->view;
	c->now = app_now(a);
	c->start = view_start(&a->view, c->now);
	c->end = view_end(&a->view, c->now);
	c->gs = a->gs;
	c->cm = a->cm;
	c->ascii = a->ascii;
	c->focused = focused;
	c->inside = focused && (a->nov || a->zoom >= 0);
	c->db = a->db;
	c->api = &wapi;
	c->app = a;
	c->focus = a->focus_svc[0] ? a->focus_svc : NULL;
	c->focus_ns = a->focus_svc[0] && a->focus_ns[0] ? a->focus_ns : NULL;
}

struct panel *
app_focused(struct app *a)
{
	if (a->nov)
		return &a->ov[a->nov - 1].panel;
	if (a->focus < 0 || (size_t)a->focus >= a->npanels)
		return NULL;
	return &a->panels[a->focus];
}

/* ---------------------------------------------------------------- pivots */

static char *
dupn(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int
app_push(struct app *a, const struct dash_panel *cfg, const char *why)
{
	return app_push_window(a, cfg, why, TNS_NONE, TNS_NONE, TNS_NONE);
}

/* start/end TNS_NONE: keep the current window and cursor. */
int
app_push_window(struct app *a, const struct dash_panel *cfg, const char *why, tns start, tns end,
    tns cursor)
{
	struct overlay *o;
	struct diag dg;

	if (a->nov >= 32) {
		app_message(a, 1, "too many nested views; Esc to go back");
		return -1;
	}
	xgrow(&a->ov, &a->capov, a->nov + 1, sizeof *a->ov);
	o = &a->ov[a->nov];
	memset(o, 0, sizeof *o);
	o->cfg = *cfg;
	o->cfg.type = xstrdup(cfg->type);
	o->cfg.title = dupn(cfg->title);
	o->cfg.description = dupn(cfg->description);
	o->cfg.source = dupn(cfg->source);
	o->cfg.unit = dupn(cfg->unit);
	o->cfg.path = xstrdup(cfg->path ? cfg->path : "pivot");
	o->cfg.q = xcalloc(cfg->nq + 1, sizeof *o->cfg.q);
	for (size_t i = 0; i < cfg->nq; i++) {
		o->cfg.q[i].expr = xstrdup(cfg->q[i].expr);
		o->cfg.q[i].legend = dupn(cfg->q[i].legend);
		o->cfg.q[i].source = dupn(cfg->q[i].source);
		o->cfg.q[i].ref = dupn(cfg->q[i].ref);
		o->cfg.q[i].cfg = NULL;
	}
	o->cfg.th = cfg->nth ? xcalloc(cfg->nth, sizeof *o->cfg.th) : NULL;
	if (cfg->nth)
		memcpy(o->cfg.th, cfg->th, cfg->nth * sizeof *cfg->th);
	o->cfg.options = cfg->options ? cJSON_Duplicate(cfg->options, 1) : NULL;
	o->cfg.cfg = NULL;
	o->why = dupn(why);
	o->saved_focus = a->focus;
	o->saved_zoom = a->zoom;
	o->saved_view = a->view;
	o->saved_scroll = a->scroll;
	o->saved_follow = a->follow_focus;
	if (start != TNS_NONE && end != TNS_NONE && end > start) {
		a->view.range = end - start;
		view_set_end(&a->view, end);
		a->view.cursor = cursor;
	}
	o->panel.cfg = &o->cfg;
	o->panel.cls = widget_class_find(o->cfg.type);
	o->panel.owns_cfg = 1;
	diag_init(&dg);
	if (!o->panel.cls || (o->panel.cls->init && o->panel.cls->init(&o->panel, NULL, &dg) < 0)) {
		app_message(a, 1, "cannot open view: %s", diag_first_error(&dg) ?
		    diag_first_error(&dg) : "unknown panel type");
		diag_free(&dg);
		a->nov++;
		app_pop(a);
		return -1;
	}
	diag_free(&dg);
	a->nov++;
	a->relayout = 1;
	app_schedule(a);
	return 0;
}

void
app_pop(struct app *a)
{
	struct overlay *o;

	if (!a->nov)
		return;
	o = &a->ov[--a->nov];
	if (o->panel.cls)
		free_panel(&o->panel);
	else
		panel_clear(&o->panel);
	for (size_t i = 0; i < o->cfg.nq; i++) {
		free(o->cfg.q[i].expr);
		free(o->cfg.q[i].legend);
		free(o->cfg.q[i].source);
		free(o->cfg.q[i].ref);
	}
	free(o->cfg.q);
	free(o->cfg.th);
	free(o->cfg.type);
	free(o->cfg.title);
	free(o->cfg.description);
	free(o->cfg.source);
	free(o->cfg.unit);
	free(o->cfg.path);
	cJSON_Delete((cJSON *)o->cfg.options);
	free(o->why);
	a->focus = o->saved_focus;
	a->zoom = o->saved_zoom;
	a->view = o->saved_view;
	a->scroll = o->saved_scroll;
	a->follow_focus = o->saved_follow;
	a->relayout = 1;
	app_dirty(a);
}
