/* notes: the incident notebook — the annotation prompt (`a`), :note, :w
 * and :export notes FILE.md (a postmortem timeline in Markdown: notes,
 * alert transitions, Kubernetes warning events, rollouts and scaling, the
 * worst figures per service, a screen at each note).
 * Annotations are EV_ANNOTATION events: live they go through the event
 * sink (so a recording keeps them); in a replay the player keeps them
 * until :w appends them to the recording. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alertlog.h"
#include "core/recorder.h"
#include "core/sanitize.h"
#include "core/secret.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "sources/replay.h"
#include "tui/app.h"

#define EXPORT_MAX	(64u << 20)
#define NOTES_EXPORT	2000
#define SCREEN_COLS	120
#define SCREEN_ROWS	40

/* ---------------------------------------------------------------- prompt */

static const char *
panel_title(const struct panel *p)
{
	return p && p->cfg->title && *p->cfg->title ? p->cfg->title : p ? p->cfg->type : "";
}

void
notes_open_prompt(struct app *a)
{
	struct panel *p = app_focused(a);
	struct wctx c;

	a->note_at = a->view.cursor != TNS_NONE ? a->view.cursor : app_now(a);
	a->note_ref[0] = '\0';
	a->note_attach = p ? 1 : 0;
	if (p && p->cls && p->cls->selection) {
		app_wctx(a, &c, 1);
		if (p->cls->selection(p, &c, a->note_ref, sizeof a->note_ref) == 1 && a->note_ref[0])
			a->note_attach = 2;
		else
			a->note_ref[0] = '\0';
	}
	a->mode = MODE_NOTE;
	a->ninput = a->input_cur = 0;
	a->input[0] = '\0';
	app_dirty(a);
}

void
notes_cycle_attach(struct app *a)
{
	int max = a->note_ref[0] ? 2 : app_focused(a) ? 1 : 0;

	a->note_attach = a->note_attach > 0 ? a->note_attach - 1 : max;
	app_dirty(a);
}

void
notes_prompt_label(struct app *a, char *dst, size_t n)
{
	char c[32];
	struct panel *p = app_focused(a);

	ts_fmt_clock(c, sizeof c, a->note_at, a->view.utc, 1);
	if (a->note_attach == 2) {
		/* the item, not the panel: "trace 4bf92f35…, log line 02:17:50.560 o…" */
		char ref[96];
		const char *r = a->note_ref;
		size_t hex = strncmp(r, "trace ", 6) == 0 ? strspn(r + 6, "0123456789abcdef") : 0;
		if (hex > 12)
			snprintf(ref, sizeof ref, "trace %.8s\xe2\x80\xa6%.48s", r + 6, r + 6 + hex);
		else
			snprintf(ref, sizeof ref, "%.63s", r);
		for (size_t i = 0, chars = 0; ref[i]; i++)	/* at most 40 characters */
			if (((unsigned char)ref[i] & 0xC0) != 0x80 && ++chars > 40) {
				snprintf(ref + i, sizeof ref - i, "\xe2\x80\xa6");
				break;
			}
		snprintf(dst, n, "note %s on %s (Tab) ", c, ref);
	} else if (a->note_attach == 1)
		snprintf(dst, n, "note %s on %.60s (Tab) ", c, panel_title(p));
	else
		snprintf(dst, n, "note %s, dashboard-wide (Tab) ", c);
}

void
notes_add(struct app *a, tns at, const char *text, int panel_id, const char *ref)
{
	struct ev_annotation *n = annotation_new(at, text, panel_id, ref);
	char c[32];

	ts_fmt_clock(c, sizeof c, at, a->view.utc, 1);
	if (a->rp) {
		replay_add_note(a->rp, n);
		app_message(a, 0, "note at %s added; :w saves it into the recording", c);
	} else {
		event_emit(&a->env.sink, event_new(EV_ANNOTATION, app_now(a), "", n));
		if (a->rec)
			app_message(a, 0, "note at %s recorded", c);
		else
			app_message(a, 0, "note at %s added (not recording: :export notes FILE.md keeps it)", c);
	}
	app_dirty(a);
}

void
notes_commit(struct app *a, const char *text)
{
	struct panel *p = app_focused(a);

	while (isspace((unsigned char)*text))
		text++;
	if (!*text) {
		app_message(a, 0, "empty note discarded");
		return;
	}
	notes_add(a, a->note_at, text, a->note_attach >= 1 && p ? p->cfg->id : 0,
	    a->note_attach == 2 ? a->note_ref : NULL);
}

/* ------------------------------------------------------------------ :w */

void
notes_save(struct app *a, const char *path)
{
	char *err = NULL;
	size_t n;

	if (a->rp) {
		n = replay_unsaved(a->rp);
		if (replay_save(a->rp, *path ? path : NULL, &err) < 0) {
			app_message(a, 1, "%s", err);
			free(err);
		} else if (*path)
			app_message(a, 0, "wrote a copy with %zu new note%s to %s", n, n == 1 ? "" : "s", path);
		else
			app_message(a, 0, "saved %zu note%s into %s", n, n == 1 ? "" : "s",
			    replay_reader(a->rp)->path);
		return;
	}
	if (a->rec) {
		if (*path) {
			app_message(a, 1, "recording into %s: notes are saved there as you add them",
			    a->opt.record);
			return;
		}
		rec_flush(a->rec);
		app_message(a, 0, "notes are recorded as you add them (into %s)", a->opt.record);
		return;
	}
	app_message(a, 1, "not recording: nothing to save (scry --record FILE keeps notes; "
	    ":export notes FILE.md writes the notebook)");
}

/* ---------------------------------------------------------------- export */

/* Untrusted text for a Markdown table cell or heading: escapes made
 * visible, '|' and '`' escaped. */
static void
md_text(struct buf *b, const char *s)
{
	struct buf t;

	buf_init(&t, 1u << 20);
	san_to_buf(&t, s, strlen(s), 0);
	for (size_t i = 0; i < t.len; i++) {
		if (t.data[i] == '|' || t.data[i] == '`' || t.data[i] == '*' || t.data[i] == '_')
			buf_putc(b, '\\');
		buf_putc(b, t.data[i]);
	}
	buf_free(&t);
}

static void
md_time(struct app *a, struct buf *b, tns t)
{
	char d[40];

	ts_fmt_datetime(d, sizeof d, t, a->view.utc);
	buf_printf(b, "%s%s", d, a->view.utc ? "Z" : "");
}

struct row {
	tns	 t;
	int	 order;
	char	*text;
};

struct rows {
	struct row	*v;
	size_t		 n;
	struct app	*a;
};

static void
add_row(struct rows *r, tns t, int order, char *text)
{
	if (r->n >= 100000) {
		free(text);
		return;
	}
	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	r->v[r->n++] = (struct row){ t, order, text };
}

static int
row_cmp(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->order - b->order;
}

static const struct dash_panel *
panel_by_id(struct app *a, int id)
{
	for (size_t i = 0; id && i < a->db->npanels; i++)
		if (a->db->panels[i].id == id)
			return &a->db->panels[i];
	return NULL;
}

static char *
note_row(struct app *a, const struct ev_annotation *n)
{
	const struct dash_panel *p = panel_by_id(a, n->panel_id);
	struct buf b;

	buf_init(&b, 1u << 20);
	buf_puts(&b, "**Note** ");
	md_text(&b, n->text);
	if (p) {
		buf_puts(&b, " (panel \"");
		md_text(&b, p->title ? p->title : p->type);
		buf_puts(&b, "\")");
	}
	if (n->ref) {
		buf_puts(&b, "; attached: ");
		md_text(&b, n->ref);
	}
	return buf_steal(&b, NULL);
}

static void
alert_row(void *ctx, tns t, enum alert_change_kind k, const char *label)
{
	struct rows *r = ctx;
	static const char *const what[] = { "Alert pending", "Alert firing", "Alert resolved" };
	struct buf b;

	buf_init(&b, 1u << 16);
	buf_printf(&b, "**%s** ", what[k]);
	md_text(&b, label);
	add_row(r, t, 1, buf_steal(&b, NULL));
}

static void
alert_rows(struct app *a, struct rows *r)
{
	if (a->rp) {
		size_t n;
		const struct replay_mark *m = replay_marks(a->rp, &n);
		for (size_t i = 0; i < n; i++)
			if (m[i].kind != RM_NOTE)
				alert_row(r, m[i].t, m[i].kind == RM_FIRING ? AC_FIRING :
				    m[i].kind == RM_PENDING ? AC_PENDING : AC_RESOLVED, m[i].label);
		return;
	}
	size_t it = 0;
	const char *key;
	const struct alerts_hist *h;
	while (store_alerts_next(a->store, &it, &key, &h)) {
		struct alertlog log;
		const struct ev_alerts *e;
		tns when;
		alertlog_init(&log);
		for (size_t i = 0; (e = alerts_hist_nth(h, i, &when)); i++)
			alertlog_feed(&log, when, e, alert_row, r);
		alertlog_free(&log);
	}
}

/* ------------------------------------------ kube events and rollouts */

static int
key_kind_is(const char *key, const char *kind)
{
	char tmp[4096];
	const char *src, *k, *expr;

	return key && qkey_split(key, tmp, sizeof tmp, &src, &k, &expr) == 0 &&
	    strcmp(k, kind) == 0;
}

static char *
event_row(struct app *a, const struct kevent *e)
{
	struct buf b;
	char last[32];

	buf_init(&b, 1u << 16);
	buf_puts(&b, "**Warning** ");
	md_text(&b, e->reason ? e->reason : "");
	buf_puts(&b, " ");
	md_text(&b, e->obj_kind ? e->obj_kind : "");
	buf_puts(&b, "/");
	md_text(&b, e->obj_name ? e->obj_name : e->meta.name);
	buf_puts(&b, ": ");
	md_text(&b, e->message ? e->message : "");
	if (e->count > 1 && e->last != TNS_NONE) {
		ts_fmt_clock(last, sizeof last, e->last, a->view.utc, 1);
		buf_printf(&b, " (%d times, the last at %s)", (int)e->count, last);
	}
	return buf_steal(&b, NULL);
}

/* Warning events of every kubectl events key the panels read, as they
 * were at `to`, that happened in [from, to]. */
static void
event_rows(struct app *a, struct rows *r, tns from, tns to)
{
	const char *seen[NEED_MAX * 8];
	size_t nseen = 0;

	for (size_t i = 0; i < a->npanels; i++)
		for (size_t k = 0; k < a->panels[i].nneed; k++) {
			const char *key = a->panels[i].key[k];
			struct kube_view v;
			size_t j;
			if (!key_kind_is(key, "events"))
				continue;
			for (j = 0; j < nseen && strcmp(seen[j], key) != 0; j++)
				;
			if (j < nseen || nseen >= sizeof seen / sizeof *seen)
				continue;
			seen[nseen++] = key;
			if (store_kube(a->store, key, to, &v) < 0 || v.kind != KK_EVENT)
				continue;
			for (size_t n = 0; n < v.n; n++) {
				const struct kevent *e = v.items[n];
				tns t = e->first != TNS_NONE ? e->first : e->last;
				tns last = e->last != TNS_NONE ? e->last : t;
				if (!e->type || strcmp(e->type, "Warning") != 0 || t == TNS_NONE ||
				    last < from || t > to)
					continue;
				add_row(r, t, 2, event_row(a, e));
			}
		}
}

/* Rollouts and scaling from the change markers (restarts are many and
 * their warning events say it). */
static void
rollout_rows(struct app *a, struct rows *r, tns from, tns to)
{
	const struct marker_list *ml = store_markers(a->store);

	for (size_t i = ml ? marker_lower_bound(ml, from) : 0; ml && i < ml->n; i++) {
		const struct marker *m = &ml->m[i];
		struct buf b;
		if (m->t > to)
			break;
		if (m->type != MK_ROLLOUT && m->type != MK_SCALE)
			continue;
		buf_init(&b, 1u << 16);
		buf_puts(&b, m->type == MK_ROLLOUT ? "**Rollout** " : "**Scaling** ");
		md_text(&b, m->what ? m->what : "");
		add_row(r, m->t, 2, buf_steal(&b, NULL));
	}
}

/* ------------------------------------------------------- worst figures */

enum figure { FIG_NONE, FIG_P99, FIG_ERRORS };

static int
has(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle) != NULL;
}

static enum figure
panel_figure(const struct dash_panel *p)
{
	for (size_t q = 0; q < p->nq; q++)
		if (has(p->q[q].expr, "histogram_quantile(0.99"))
			return FIG_P99;
	if (has(p->title, "p99"))
		return FIG_P99;
	if (has(p->title, "5xx") || has(p->title, "error") ||
	    (p->nq && (has(p->q[0].expr, "5..") || has(p->q[0].expr, "5xx"))))
		return FIG_ERRORS;
	return FIG_NONE;
}

/* The service a series is about; a series without a service label (a
 * stat that already picks one) is named after its panel. */
static void
service_of(const struct series *s, const struct dash_panel *p, char *dst, size_t n)
{
	static const char *const keys[] = { "destination_service_name", "service",
	    "destination_service", "app", "job", "source_workload", "pod", NULL };

	for (size_t i = 0; keys[i]; i++) {
		const char *v = labels_get(&s->labels, keys[i]);
		if (v && *v) {
			size_t l = strcspn(v, ".");	/* order.shop.svc.cluster.local -> order */
			snprintf(dst, n, "%.*s", (int)(l < n - 1 ? l : n - 1), v);
			return;
		}
	}
	snprintf(dst, n, "(panel \"%s\")", p->title && *p->title ? p->title : p->type);
}

struct worst {
	char	 service[96];
	double	 v[3];
	tns	 t[3];
	const struct dash_panel *p[3];
};

static struct worst *
worst_for(struct worst **w, size_t *n, const char *svc)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*w)[i].service, svc) == 0)
			return &(*w)[i];
	if (*n >= 1000)
		return NULL;
	*w = xreallocarray(*w, *n + 1, sizeof **w);
	memset(&(*w)[*n], 0, sizeof **w);
	snprintf((*w)[*n].service, sizeof (*w)[*n].service, "%s", svc);
	(*w)[*n].v[FIG_P99] = (*w)[*n].v[FIG_ERRORS] = NAN;
	return &(*w)[(*n)++];
}

static void
worst_of_panel(struct app *a, struct panel *p, enum figure fig, tns upto, struct worst **w,
    size_t *nw)
{
	for (size_t k = 0; k < p->nneed; k++) {
		const struct sslot *sl;
		if (!p->key[k] || !(sl = store_series(a->store, p->key[k], p->need[k].step)))
			continue;
		for (size_t i = 0; i < sl->n; i++) {
			const struct series *s = sl->s[i];
			char svc[96];
			struct worst *x;
			service_of(s, p->cfg, svc, sizeof svc);
			if (!(x = worst_for(w, nw, svc)))
				continue;
			for (size_t j = 0; j < s->n && s->t[j] <= upto; j++)
				if (isfinite(s->v[j]) && (isnan(x->v[fig]) || s->v[j] > x->v[fig])) {
					x->v[fig] = s->v[j];
					x->t[fig] = s->t[j];
					x->p[fig] = p->cfg;
				}
		}
	}
}

static void
worst_cell(struct app *a, struct buf *b, const struct worst *w, enum figure f)
{
	char v[48];

	if (isnan(w->v[f])) {
		buf_puts(b, " | | ");
		return;
	}
	unit_format(w->v[f], w->p[f]->unit, w->p[f]->decimals, v, sizeof v);
	buf_printf(b, " | %s | ", v);
	md_time(a, b, w->t[f]);
}

static void
worst_table(struct app *a, struct buf *b, tns upto)
{
	struct worst *w = NULL;
	size_t nw = 0;

	for (size_t i = 0; i < a->npanels; i++) {
		enum figure f = a->panels[i].cls ? panel_figure(a->panels[i].cfg) : FIG_NONE;
		if (f != FIG_NONE)
			worst_of_panel(a, &a->panels[i], f, upto, &w, &nw);
	}
	buf_puts(b, "\n## Worst figures per service\n\n");
	if (!nw) {
		buf_puts(b, "No P99 latency or error-ratio series were in the store.\n");
		return;
	}
	buf_puts(b, "| Service | Worst P99 | At | Worst error ratio | At |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < nw; i++) {
		buf_puts(b, "| ");
		md_text(b, w[i].service);
		worst_cell(a, b, &w[i], FIG_P99);
		worst_cell(a, b, &w[i], FIG_ERRORS);
		buf_puts(b, " |\n");
	}
	free(w);
}

/* --------------------------------------------------------------- screens */

/* The screen as it was at t, at SCREEN_COLS x SCREEN_ROWS (text). */
static void
screen_at(struct app *a, tns t, struct buf *out)
{
	struct canvas *saved_cv = a->cv;
	struct view saved_view = a->view;
	int cols = a->cols, rows = a->rows, tty = a->tty, zoom = a->zoom, scroll = a->scroll;
	size_t nov = a->nov;
	int64_t msg_until = a->msg_until;
	enum mode mode = a->mode;
	tns frozen = a->replay_now;

	if (a->rp)
		replay_seek(a->rp, t);
	else
		a->replay_now = t;
	a->cv = canvas_new(SCREEN_COLS, SCREEN_ROWS);
	a->cols = SCREEN_COLS;
	a->rows = SCREEN_ROWS;
	a->tty = 0;
	a->zoom = -1;
	a->nov = 0;
	a->scroll = 0;
	a->msg_until = 0;
	a->mode = MODE_NORMAL;
	view_go_live(&a->view);
	layout_compute(a, 0, app_body_rows(a));
	app_render(a);
	canvas_to_text(a->cv, out);
	canvas_free(a->cv);
	a->cv = saved_cv;
	a->view = saved_view;
	a->cols = cols;
	a->rows = rows;
	a->tty = tty;
	a->zoom = zoom;
	a->nov = nov;
	a->scroll = scroll;
	a->msg_until = msg_until;
	a->mode = mode;
	if (!a->rp)
		a->replay_now = frozen;
	layout_compute(a, 0, app_body_rows(a));
}

static void
screens(struct app *a, struct buf *b, const struct ev_annotation **notes, size_t n)
{
	if (!n)
		return;
	buf_printf(b, "\n## Screens at each note (%dx%d)\n", SCREEN_COLS, SCREEN_ROWS);
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, "\n### ");
		md_time(a, b, notes[i]->at);
		buf_puts(b, " \xe2\x80\x94 ");
		md_text(b, notes[i]->text);
		buf_puts(b, "\n\n```text\n");
		screen_at(a, notes[i]->at, b);
		buf_puts(b, "```\n");
	}
}

/* ----------------------------------------------------------------- file */

static size_t
all_notes(struct app *a, const struct ev_annotation **out, size_t max)
{
	const struct annotation_list *l;
	size_t n = 0;

	if (a->rp)
		return replay_annotations(a->rp, out, max);
	l = store_annotations(a->store);
	for (size_t i = 0; i < l->n && n < max; i++)
		out[n++] = l->a[i];
	return n;
}

static void
header(struct app *a, struct buf *b, tns from, tns to)
{
	buf_puts(b, "# Incident notes: ");
	md_text(b, a->db->title);
	buf_puts(b, "\n\n");
	if (a->rp) {
		buf_puts(b, "- Recording: ");
		md_text(b, replay_reader(a->rp)->path ? replay_reader(a->rp)->path : "?");
		buf_puts(b, "\n");
	} else
		buf_puts(b, "- Live session\n");
	buf_puts(b, "- Window: ");
	md_time(a, b, from);
	buf_puts(b, " to ");
	md_time(a, b, to);
	buf_puts(b, "\n- Written by scry " SCRY_VERSION " (`:export notes`)\n");
}

static int
write_file(const char *path, const struct buf *b, char **err)
{
	char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	size_t off = 0;

	if (fd < 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	while (off < b->len) {
		ssize_t w = write(fd, b->data + off, b->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off < b->len || fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int
notes_export(struct app *a, const char *path, char **err)
{
	const struct ev_annotation **notes = xcalloc(NOTES_EXPORT, sizeof *notes);
	struct rows rows = { NULL, 0, a };
	struct buf b;
	size_t nn = all_notes(a, notes, NOTES_EXPORT);
	tns now = app_now(a), from, to;
	int playing = a->rp ? replay_playing(a->rp) : 0, rc;
	char *masked;

	from = a->rp ? replay_start(a->rp) : view_start(&a->view, now);
	to = a->rp ? replay_end(a->rp) : view_end(&a->view, now);
	if (playing)
		replay_play(a->rp, 0);
	if (a->rp) {	/* screens must be exact: rebuild before drawing each */
		replay_settle(a->rp);
		replay_set_async(a->rp, 0);
	}
	buf_init(&b, EXPORT_MAX);
	header(a, &b, from, to);
	for (size_t i = 0; i < nn; i++)
		add_row(&rows, notes[i]->at, 0, note_row(a, notes[i]));
	alert_rows(a, &rows);
	if (a->rp)	/* the cluster as the recording ends */
		replay_seek(a->rp, to);
	event_rows(a, &rows, from, to);
	rollout_rows(a, &rows, from, to);
	if (rows.n > 1)	/* rows.v is NULL without rows: no qsort(NULL, 0) */
		qsort(rows.v, rows.n, sizeof *rows.v, row_cmp);
	buf_puts(&b, "\n## Timeline\n\n");
	if (!rows.n)
		buf_puts(&b, "No notes, alert changes, warning events or rollouts.\n");
	else
		buf_puts(&b, "| Time | Event |\n|---|---|\n");
	for (size_t i = 0; i < rows.n; i++) {
		buf_puts(&b, "| ");
		md_time(a, &b, rows.v[i].t);
		buf_printf(&b, " | %s |\n", rows.v[i].text);
		free(rows.v[i].text);
	}
	free(rows.v);
	screens(a, &b, notes, nn);
	if (a->rp)
		replay_seek(a->rp, to);	/* the figures cover the whole recording */
	worst_table(a, &b, to);
	if (a->rp) {
		replay_seek(a->rp, now);
		replay_set_async(a->rp, a->tty);
		if (playing)
			replay_play(a->rp, 1);
	}
	free(notes);
	if (b.overflow) {
		*err = xasprintf("the notebook is larger than %u bytes", EXPORT_MAX);
		buf_free(&b);
		return -1;
	}
	masked = secret_mask(b.data ? b.data : "");
	buf_reset(&b);
	buf_puts(&b, masked);
	free(masked);
	rc = write_file(path, &b, err);
	buf_free(&b);
	return rc;
}
