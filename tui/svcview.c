/* svcview: generated service pages as views.
 *
 * Opening a page pushes a frame that keeps everything the current view
 * is (dashboard, panels, focus, zoom, scroll, time window, pivots) and
 * starts three probes as ordinary fetch units, so they never block, are
 * recorded and replay:
 *   prometheus  kind "series": svcpage_probes() over the hour before the
 *               window's end (/api/v1/series)
 *   loki        kind "series": svcpage_loki_probes() (/loki/api/v1/series)
 *   kubectl     kind "pods": the pods of the source's namespace
 * Until every probe has answered (ok or not), or PROBE_WAIT_MS passed,
 * the view says what it is waiting for.  Then core/svcpage.c builds the
 * page as a dashboard document; it is parsed like any dashboard, takes
 * the running sources (same names, same instances) and replaces the
 * panels.  Esc pops back to exactly the view under it.
 * Invariants: frames form a stack (at most DEPTH_MAX); a frame's saved
 * dashboard outlives the page over it (pages borrow its source configs);
 * only the top frame probes. */
#include "tui/svcview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/labeltext.h"
#include "core/log.h"
#include "core/svcpage.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/vars.h"

#define DEPTH_MAX	8
#define PROBE_WINDOW	(3600 * NS_PER_S)
#define PROBE_WAIT_MS	10000
#define MAX_SETS	10000

enum { PR_PROM, PR_LOKI, PR_KUBE, PR_N };

static const char *const probe_types[PR_N] = { "prometheus", "loki", "kubectl" };
static const char *const probe_kinds[PR_N] = { "series", "series", "pods" };
static const char *const probe_what[PR_N] = { "/api/v1/series", "/loki/api/v1/series", "pods" };

struct probe {
	int	 src;		/* index into the dashboard's sources, -1: none */
	char	*expr;
	char	*key;
	size_t	 nsel;		/* selectors asked */
};

struct frame {
	/* the view under the page */
	struct dashboard	*db;
	struct panel		*panels;
	size_t			 npanels;
	int			 focus, zoom, scroll;
	struct view		 view;
	struct overlay		*ov;
	size_t			 nov, capov;
	/* the page */
	char			*service;
	struct dashboard	*page;		/* NULL while probing */
	struct probe		 pr[PR_N];
	tns			 start, end;	/* the probes' window */
	int64_t			 started_ms;
	uint64_t		 timer;
};

struct svcview {
	struct frame	f[DEPTH_MAX];
	int		n;
};

static struct frame *
top(const struct app *a)
{
	const struct svcview *sv = a->svc;
	return sv && sv->n ? (struct frame *)&sv->f[sv->n - 1] : NULL;
}

int
svcview_depth(const struct app *a)
{
	const struct svcview *sv = a->svc;
	return sv ? sv->n : 0;
}

int
svcview_probing(const struct app *a)
{
	const struct frame *f = top(a);
	return f && !f->page;
}

/* ---------------------------------------------------------------- probes */

static char *
joined(char **sel, size_t *n)
{
	struct buf b;

	buf_init(&b, 1 << 20);
	for (*n = 0; sel[*n]; (*n)++)
		buf_printf(&b, "%s%s", *n ? "\n" : "", sel[*n]);
	svcpage_free_probes(sel);
	return buf_steal(&b, NULL);
}

static void
probe_setup(struct app *a, struct frame *f)
{
	for (int i = 0; i < PR_N; i++) {
		struct probe *p = &f->pr[i];
		p->src = -1;
		for (size_t k = 0; k < a->db->nsrc && p->src < 0; k++)
			if (strcmp(a->db->src[k].type, probe_types[i]) == 0 && a->src[k])
				p->src = (int)k;
		if (p->src < 0)
			continue;
		if (i == PR_PROM)
			p->expr = joined(svcpage_probes(f->service), &p->nsel);
		else if (i == PR_LOKI)
			p->expr = joined(svcpage_loki_probes(f->service), &p->nsel);
		else
			p->expr = xstrdup("");	/* every pod the source sees */
		p->key = qkey_make(a->db->src[p->src].name, probe_kinds[i], p->expr);
	}
}

void
svcview_units(struct app *a)
{
	struct frame *f = top(a);

	if (!f || f->page)
		return;
	for (int i = 0; i < PR_N; i++) {
		struct probe *p = &f->pr[i];
		struct sunit *u;
		struct unit *un;
		if (p->src < 0)
			continue;
		u = sched_unit(&a->sched, p->key, 0, 0, ts_mono_ms());
		if (!u->user) {
			un = xcalloc(1, sizeof *un);
			un->src = a->src[p->src];
			un->expr_tmpl = xstrdup(p->expr);
			un->kind = xstrdup(probe_kinds[i]);
			u->user = un;
		}
		un = u->user;
		un->range = f->end - f->start;
		un->start = f->start;
		un->end = f->end;
	}
}

/* 1 answered ok, -1 answered with an error, 0 not yet. */
static int
probe_state(struct app *a, const struct probe *p, const char **err)
{
	struct qview q;

	*err = NULL;
	store_status(a->store, p->key, app_now(a), &q);
	if (q.state == QS_ERROR) {
		*err = q.last && q.last->error ? q.last->error : "failed";
		return -1;
	}
	return q.state == QS_OK ? 1 : 0;
}

/* ------------------------------------------------------------- building */

struct answers {
	struct labelset	*series, *streams;
	size_t		 nseries, nstreams;
	struct kube_view kv;
	struct buf	 notes;
};

static size_t
parse_sets(const struct ev_values *v, struct labelset **out)
{
	size_t n = 0;

	*out = xcalloc(v && v->n ? (v->n < MAX_SETS ? v->n : MAX_SETS) : 1, sizeof **out);
	for (size_t i = 0; v && i < v->n && n < MAX_SETS; i++)
		if (labeltext_parse(v->v[i], strlen(v->v[i]), &(*out)[n]) == 0)
			n++;
	return n;
}

static void
gather(struct app *a, struct frame *f, struct answers *an)
{
	memset(an, 0, sizeof *an);
	buf_init(&an->notes, 4096);
	for (int i = 0; i < PR_N; i++) {
		const struct probe *p = &f->pr[i];
		const char *err;
		int st;
		if (p->src < 0)
			continue;
		st = probe_state(a, p, &err);
		if (st <= 0)
			buf_printf(&an->notes, "%s%s (%s)", an->notes.len ? "; " : "", a->db->src[p->src].name,
			    st < 0 ? err : "no answer in time");
		if (i == PR_PROM)
			an->nseries = parse_sets(store_values(a->store, p->key), &an->series);
		else if (i == PR_LOKI)
			an->nstreams = parse_sets(store_values(a->store, p->key), &an->streams);
		else if (store_kube(a->store, p->key, app_now(a), &an->kv) < 0 || an->kv.kind != KK_POD)
			memset(&an->kv, 0, sizeof an->kv);
	}
}

static void
answers_free(struct answers *an)
{
	for (size_t i = 0; i < an->nseries; i++)
		labels_free(&an->series[i]);
	for (size_t i = 0; i < an->nstreams; i++)
		labels_free(&an->streams[i]);
	free(an->series);
	free(an->streams);
	buf_free(&an->notes);
}

static const char *
src_name(struct app *a, const struct frame *f, int i)
{
	return f->pr[i].src >= 0 ? a->db->src[f->pr[i].src].name : NULL;
}

static const struct slo_set *
known_slos(const struct app *a)
{
	const struct svcview *sv = a->svc;
	/* the dashboard the first page was opened from knows them all */
	return sv->f[0].db->slos;
}

/* The page document from the answers. */
static cJSON *
page_doc(struct app *a, struct frame *f)
{
	struct answers an;
	struct svc_probe pr;
	char when[16];
	cJSON *doc;

	gather(a, f, &an);
	ts_fmt_clock(when, sizeof when, f->end, a->view.utc, 1);
	memset(&pr, 0, sizeof pr);
	pr.service = f->service;
	pr.series = an.series;
	pr.nseries = an.nseries;
	pr.streams = an.streams;
	pr.nstreams = an.nstreams;
	pr.pods = (const struct kpod *const *)an.kv.items;
	pr.npods = an.kv.n;
	pr.prom = src_name(a, f, PR_PROM);
	pr.loki = src_name(a, f, PR_LOKI);
	pr.kube = src_name(a, f, PR_KUBE);
	pr.slos = known_slos(a);
	pr.topology = widget_class_find("topology") != NULL;
	pr.when = when;
	pr.notes = an.notes.len ? an.notes.data : NULL;
	doc = svcpage_build(&pr);
	answers_free(&an);
	return doc;
}

static void
focus_first(struct app *a)
{
	a->focus = -1;
	for (size_t i = 0; i < a->npanels && a->focus < 0; i++)
		if (a->panels[i].cls && strcmp(a->panels[i].cfg->type, "row") != 0 &&
		    strcmp(a->panels[i].cfg->type, "text") != 0)
			a->focus = (int)i;
	for (size_t i = 0; i < a->npanels && a->focus < 0; i++)
		if (a->panels[i].cls && strcmp(a->panels[i].cfg->type, "row") != 0)
			a->focus = (int)i;
}

static void
build(struct app *a, struct frame *f)
{
	cJSON *doc = page_doc(a, f);
	char *text = jdoc_print(doc), *name = xasprintf("<service page %s>", f->service);
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(doc, "description");
	struct diag dg;

	if (f->timer)
		loop_cancel(a->loop, f->timer);
	f->timer = 0;
	diag_init(&dg);
	f->page = dashboard_parse(text, strlen(text), name, &dg);
	for (size_t i = 0; i < dg.n; i++)
		log_msg(dg.e[i].sev == DIAG_WARN ? LOG_WARN : LOG_ERROR, "%s", dg.e[i].msg);
	if (!f->page) {
		app_message(a, 1, "service %s: the generated page is invalid: %s", f->service,
		    diag_first_error(&dg) ? diag_first_error(&dg) : "?");
		svcview_pop(a);
	} else {
		log_info("service page %s: %s", f->service, cJSON_IsString(d) ? d->valuestring : "");
		dashboard_adopt_sources(f->page, a->db);
		a->db = f->page;
		app_panels_create(a);
		focus_first(a);
		a->relayout = 1;
		app_dirty(a);
	}
	diag_free(&dg);
	cJSON_Delete(doc);
	free(text);
	free(name);
}

void
svcview_poll(struct app *a)
{
	struct frame *f = top(a);
	int all = 1;

	if (!f || f->page)
		return;
	for (int i = 0; i < PR_N; i++) {
		const char *err;
		if (f->pr[i].src >= 0 && probe_state(a, &f->pr[i], &err) == 0)
			all = 0;
	}
	if (all || ts_mono_ms() - f->started_ms >= PROBE_WAIT_MS)
		build(a, f);
}

static void
deadline_cb(void *ctx)
{
	struct app *a = ctx;
	struct frame *f = top(a);

	if (f)
		f->timer = 0;
	svcview_poll(a);
	app_schedule(a);
}

/* ------------------------------------------------------------ the stack */

int
app_open_service(struct app *a, const char *service)
{
	struct svcview *sv;
	struct frame *f;
	tns now = app_now(a);

	if (!svcpage_name_ok(service)) {
		app_message(a, 1, "service: '%s' is not a service name (letters, digits and . _ : / -)",
		    service);
		return -1;
	}
	if (!a->svc)
		a->svc = xcalloc(1, sizeof *sv);
	sv = a->svc;
	if (sv->n >= DEPTH_MAX) {
		app_message(a, 1, "too many nested service pages; Esc to go back");
		return -1;
	}
	if (a->mode == MODE_VARS) {
		vars_free(a);
		a->mode = MODE_NORMAL;
	}
	f = &sv->f[sv->n++];
	memset(f, 0, sizeof *f);
	f->db = a->db;
	f->panels = a->panels;
	f->npanels = a->npanels;
	f->focus = a->focus;
	f->zoom = a->zoom;
	f->scroll = a->scroll;
	f->view = a->view;
	f->ov = a->ov;
	f->nov = a->nov;
	f->capov = a->capov;
	a->panels = NULL;
	a->npanels = 0;
	a->focus = a->zoom = -1;
	a->scroll = 0;
	a->ov = NULL;
	a->nov = a->capov = 0;
	a->view.cursor = TNS_NONE;
	f->service = xstrdup(service);
	f->end = view_end(&a->view, now);
	f->start = f->end - PROBE_WINDOW;
	f->started_ms = ts_mono_ms();
	probe_setup(a, f);
	f->timer = loop_timer(a->loop, PROBE_WAIT_MS, deadline_cb, a);
	a->relayout = 1;
	app_dirty(a);
	if (a->cv)	/* running (else the first frame schedules) */
		app_schedule(a);
	return 0;
}

static void
frame_free(struct frame *f)
{
	for (int i = 0; i < PR_N; i++) {
		free(f->pr[i].expr);
		free(f->pr[i].key);
	}
	free(f->service);
	memset(f, 0, sizeof *f);
}

int
svcview_pop(struct app *a)
{
	struct svcview *sv = a->svc;
	struct frame *f = top(a);

	if (!f)
		return 0;
	if (f->timer)
		loop_cancel(a->loop, f->timer);
	while (a->nov)
		app_pop(a);
	free(a->ov);
	app_panels_free(a);
	a->db = f->db;
	dashboard_free(f->page);
	a->panels = f->panels;
	a->npanels = f->npanels;
	a->focus = f->focus;
	a->zoom = f->zoom;
	a->scroll = f->scroll;
	a->view = f->view;
	a->ov = f->ov;
	a->nov = f->nov;
	a->capov = f->capov;
	frame_free(f);
	sv->n--;
	a->relayout = 1;
	app_dirty(a);
	return 1;
}

void
svcview_free(struct app *a)
{
	while (svcview_pop(a))
		;
	free(a->svc);
	a->svc = NULL;
}

/* --------------------------------------------------------------- drawing */

static void
probe_line(struct app *a, const struct frame *f, int i, char *dst, size_t n, enum role *role)
{
	const struct probe *p = &f->pr[i];
	const struct ev_values *v;
	const char *err;
	int st;

	*role = ROLE_DIM;
	if (p->src < 0) {
		snprintf(dst, n, "%-10s  not configured", probe_types[i]);
		return;
	}
	st = probe_state(a, p, &err);
	if (st < 0) {
		*role = ROLE_ERROR;
		snprintf(dst, n, "%-10s  %s: %s", a->db->src[p->src].name, probe_what[i], err);
	} else if (st > 0) {
		*role = ROLE_OK;
		v = store_values(a->store, p->key);
		if (i == PR_KUBE)
			snprintf(dst, n, "%-10s  %s: answered", a->db->src[p->src].name, probe_what[i]);
		else
			snprintf(dst, n, "%-10s  %s: %zu %s", a->db->src[p->src].name, probe_what[i],
			    v ? v->n : 0, i == PR_PROM ? "series" : "streams");
	} else {
		char d[32];
		ts_fmt_duration(d, sizeof d, (ts_mono_ms() - f->started_ms) * NS_PER_MS);
		snprintf(dst, n, "%-10s  %s (%zu selector%s): waiting %s", a->db->src[p->src].name,
		    probe_what[i], p->nsel ? p->nsel : 1, p->nsel == 1 || !p->nsel ? "" : "s", d);
	}
}

void
svcview_render(struct app *a, struct canvas *area)
{
	const struct frame *f = top(a);
	char title[300], line[512];
	int y;

	if (!f)
		return;
	y = area->h / 2 - 4 > 0 ? area->h / 2 - 4 : 0;
	snprintf(title, sizeof title, "Probing the sources for service %s\xe2\x80\xa6", f->service);
	if (a->ascii)
		snprintf(title, sizeof title, "Probing the sources for service %s...", f->service);
	canvas_str(area, 2, y, area->w - 4, title, ROLE_TITLE, CA_BOLD);
	y += 2;
	for (int i = 0; i < PR_N && y < area->h; i++, y++) {
		enum role r;
		probe_line(a, f, i, line, sizeof line, &r);
		canvas_str(area, 4, y, area->w - 6, line, r, 0);
	}
	canvas_str(area, 2, y + 1, area->w - 4, "The page appears when they have answered; Esc goes back.",
	    ROLE_DIM, 0);
	a->timed = 1;	/* the waiting time moves */
}
