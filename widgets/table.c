/* table: instant vectors as rows: one row per label set, one column per
 * label that tells rows apart (or options.columns), one value column per
 * query (so "rps" and "errors" of the same pods line up), sortable, and
 * cut to the top N (options.limit) for top-N views.
 * Keys: s cycles the sort column, S reverses it, J/K move the selection.
 * Values use the panel unit and are coloured by its thresholds; a series
 * missing from one query shows "—" in that column, never 0.
 * Options: "columns" (label columns, in order), "sort" (a label, "value",
 * or "value:REF" for query REF's column) and "desc", "limit" (top N),
 * "order" (column names first in this order), "mappings" (value to text,
 * widgets/valuemap.h), and "fields": per column, named as Grafana names
 * them (a label, "Value", or "Value #REF"):
 *   {"title", "unit", "decimals", "hidden", "width", "thresholds"}. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/units.h"
#include "core/xalloc.h"
#include "widgets/valuemap.h"
#include "widgets/widget.h"

#define MAX_ROWS	2000
#define MAX_COLS	24
#define MAX_VALS	8

static const char *const table_types[] = { "prometheus", NULL };
static const char *const table_opts[] = { "columns", "sort", "desc", "limit", "fields", "order",
	"mappings", NULL };
static const char *const field_keys[] = { "title", "unit", "decimals", "hidden", "width", "thresholds",
	NULL };

/* A column's own settings (options.fields). */
struct field {
	char			*name;
	const char		*title, *unit;	/* point into the options */
	int			 decimals;	/* -1: the panel's */
	int			 hidden, width;
	struct dash_threshold	*th;
	size_t			 nth;
};

struct table_state {
	char		*cols[MAX_COLS];	/* configured label columns, or none */
	size_t		 ncols;
	char		*sort_name;		/* sort column: a label, or NULL = values */
	char		*sort_ref;		/* "value:REF": that query's column */
	int		 sort_val;		/* value column when sort_name is NULL */
	int		 desc;
	int		 limit;
	int		 sel, top;
	struct field	*f;
	size_t		 nf;
	const cJSON	*order;
	struct valuemap	 vm;
};

struct row {
	const struct labelset	*ls;
	double			 v[MAX_VALS];
};

struct tview {
	struct row	*rows;
	size_t		 n;
	const char	*cols[MAX_COLS];	/* label columns shown */
	size_t		 ncols;
	size_t		 nvals;
	size_t		 qi[MAX_VALS];
};

static void
field_thresholds(struct field *f, const struct jdoc *doc, struct diag *dg, const cJSON *arr, const char *path)
{
	f->th = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *f->th);
	for (const cJSON *t = arr->child; t; t = t->next) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "value");
		const char *rn = jd_str(doc, dg, t, path, "role", NULL);
		int r = rn ? role_from_name(rn) : -1;
		if (!cJSON_IsObject(t) || r < 0 || !(cJSON_IsNumber(v) || cJSON_IsNull(v) || !v)) {
			jdoc_diag(doc, dg, DIAG_ERROR, t, 0, "%s.thresholds: expected {\"value\": number or null, "
			    "\"role\": name}", path);
			continue;
		}
		f->th[f->nth].value = cJSON_IsNumber(v) ? v->valuedouble : -INFINITY;
		f->th[f->nth++].role = (enum role)r;
	}
}

static void
parse_fields(struct table_state *t, const struct jdoc *doc, struct diag *dg, const cJSON *fo, const char *path)
{
	t->f = xcalloc((size_t)cJSON_GetArraySize(fo) + 1, sizeof *t->f);
	for (const cJSON *e = fo ? fo->child : NULL; e; e = e->next) {
		struct field *f = &t->f[t->nf];
		const cJSON *th;
		char p[320];
		snprintf(p, sizeof p, "%s.options.fields.%s", path, e->string);
		if (!cJSON_IsObject(e)) {
			jdoc_diag(doc, dg, DIAG_ERROR, e, 0, "%s: expected an object", p);
			continue;
		}
		jd_check_keys(doc, dg, e, p, field_keys, NULL);
		f->name = xstrdup(e->string);
		f->title = jd_str(doc, dg, e, p, "title", NULL);
		f->unit = jd_str(doc, dg, e, p, "unit", NULL);
		f->decimals = jd_int(doc, dg, e, p, "decimals", -1, -1, 12);
		f->hidden = jd_bool(doc, dg, e, p, "hidden", 0);
		f->width = jd_int(doc, dg, e, p, "width", 0, 0, 200);
		if ((th = jd_arr(doc, dg, e, p, "thresholds")))
			field_thresholds(f, doc, dg, th, p);
		t->nf++;
	}
}

static int
table_init(struct panel *p, const struct jdoc *doc, struct diag *dg)
{
	struct table_state *t = xcalloc(1, sizeof *t);
	const cJSON *o = p->cfg->options, *cols = jd_arr(doc, dg, o, p->cfg->path, "columns");
	const char *sort = jd_str(doc, dg, o, p->cfg->path, "sort", "value");
	const cJSON *fo = jd_obj(doc, dg, o, p->cfg->path, "fields");

	for (const cJSON *c = cols ? cols->child : NULL; c && t->ncols < MAX_COLS; c = c->next)
		if (cJSON_IsString(c))
			t->cols[t->ncols++] = xstrdup(c->valuestring);
	if (strncmp(sort, "value:", 6) == 0)
		t->sort_ref = xstrdup(sort + 6);
	else if (strcmp(sort, "value") != 0)
		t->sort_name = xstrdup(sort);
	t->desc = jd_bool(doc, dg, o, p->cfg->path, "desc", t->sort_name ? 0 : 1);
	t->limit = jd_int(doc, dg, o, p->cfg->path, "limit", 0, 0, MAX_ROWS);
	t->order = jd_arr(doc, dg, o, p->cfg->path, "order");
	if (fo)
		parse_fields(t, doc, dg, fo, p->cfg->path);
	valuemap_init(&t->vm, doc, dg, o, p->cfg->path);
	p->w = t;
	return 0;
}

static void
table_free(struct panel *p)
{
	struct table_state *t = p->w;

	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	for (size_t i = 0; i < t->nf; i++) {
		free(t->f[i].name);
		free(t->f[i].th);
	}
	free(t->f);
	valuemap_free(&t->vm);
	free(t->sort_name);
	free(t->sort_ref);
	free(t);
	p->w = NULL;
}

static const struct field *
field_of(const struct table_state *t, const char *name)
{
	for (size_t i = 0; name && i < t->nf; i++)
		if (strcmp(t->f[i].name, name) == 0)
			return &t->f[i];
	return NULL;
}

/* Grafana's name of value column col: "Value", or "Value #REF". */
static void
value_name(const struct dash_panel *cfg, const struct tview *tv, size_t col, char *dst, size_t n)
{
	const char *ref = cfg->q[tv->qi[col]].ref;

	if (tv->nvals > 1 && ref && *ref)
		snprintf(dst, n, "Value #%s", ref);
	else
		snprintf(dst, n, "Value");
}

static const struct field *
value_field(const struct table_state *t, const struct dash_panel *cfg, const struct tview *tv, size_t col)
{
	const char *ref = cfg->q[tv->qi[col]].ref;
	const struct field *f = NULL;
	char name[96];

	if (ref && *ref) {
		snprintf(name, sizeof name, "Value #%s", ref);
		f = field_of(t, name);
	}
	if (!f) {
		value_name(cfg, tv, col, name, sizeof name);
		f = field_of(t, name);
	}
	return f;
}

/* A value as its column shows it; *role its colour. */
static void
format_value(const struct table_state *t, const struct dash_panel *cfg, const struct field *f, double v,
    char *dst, size_t n, enum role *role)
{
	const char *mapped;
	int mr = -1;

	unit_format(v, f && f->unit ? f->unit : cfg->unit, f && f->decimals >= 0 ? f->decimals : cfg->decimals,
	    dst, n);
	if (f && f->nth) {
		struct dash_panel th = { .th = f->th, .nth = f->nth };
		*role = isnan(v) ? ROLE_DIM : widget_threshold_role(&th, v, ROLE_TEXT);
	} else
		*role = isnan(v) ? ROLE_DIM : widget_threshold_role(cfg, v, ROLE_TEXT);
	if ((mapped = valuemap_apply(&t->vm, v, dst, &mr)) && *mapped)
		snprintf(dst, n, "%s", mapped);
	if (mr >= 0)
		*role = (enum role)mr;
}

static size_t
table_needs(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max)
{
	size_t n = 0;

	(void)c;
	(void)w;
	(void)h;
	for (size_t i = 0; i < p->cfg->nq && n < max && n < MAX_VALS; i++)
		if (!p->cfg->q[i].hide)
			out[n++] = (struct need){ .qi = i, .kind = "instant" };
	return n;
}

/* Label sets equal apart from __name__? */
static int
same_row(const struct labelset *a, const struct labelset *b)
{
	uint32_t i = 0, k = 0;

	for (;;) {
		while (i < a->n && strcmp(a->v[i].name, "__name__") == 0)
			i++;
		while (k < b->n && strcmp(b->v[k].name, "__name__") == 0)
			k++;
		if (i == a->n || k == b->n)
			return i == a->n && k == b->n;
		if (strcmp(a->v[i].name, b->v[k].name) || strcmp(a->v[i].value, b->v[k].value))
			return 0;
		i++, k++;
	}
}

static void
add_value(struct tview *tv, const struct labelset *ls, size_t col, double v)
{
	for (size_t r = 0; r < tv->n; r++)
		if (same_row(tv->rows[r].ls, ls)) {
			tv->rows[r].v[col] = v;
			return;
		}
	if (tv->n >= MAX_ROWS)
		return;
	tv->rows[tv->n].ls = ls;
	for (size_t k = 0; k < MAX_VALS; k++)
		tv->rows[tv->n].v[k] = NAN;
	tv->rows[tv->n++].v[col] = v;
}

static void pick_varying(struct tview *tv);

/* Put the columns named in options.order first, in that order. */
static void
order_columns(const struct table_state *t, struct tview *tv)
{
	size_t at = 0;

	for (const cJSON *o = t->order ? t->order->child : NULL; o; o = o->next)
		for (size_t i = at; cJSON_IsString(o) && i < tv->ncols; i++)
			if (strcmp(tv->cols[i], o->valuestring) == 0) {
				const char *c = tv->cols[i];
				memmove(&tv->cols[at + 1], &tv->cols[at], (i - at) * sizeof *tv->cols);
				tv->cols[at++] = c;
				break;
			}
}

/* Label columns: configured, else every label whose value varies; then
 * without hidden ones, ordered. */
static void
pick_columns(const struct table_state *t, struct tview *tv)
{
	size_t w = 0;
	const struct field *f;

	if (t->ncols) {
		for (size_t i = 0; i < t->ncols; i++)
			tv->cols[tv->ncols++] = t->cols[i];
	} else
		pick_varying(tv);
	for (size_t i = 0; i < tv->ncols; i++)
		if (!((f = field_of(t, tv->cols[i])) && f->hidden))
			tv->cols[w++] = tv->cols[i];
	tv->ncols = w;
	order_columns(t, tv);
}

static void
pick_varying(struct tview *tv)
{
	for (size_t r = 0; r < tv->n; r++)
		for (uint32_t i = 0; i < tv->rows[r].ls->n && tv->ncols < MAX_COLS; i++) {
			const char *name = tv->rows[r].ls->v[i].name, *v0 = tv->rows[r].ls->v[i].value;
			int have = 0, varies = tv->n == 1;
			for (size_t k = 0; k < tv->ncols; k++)
				have |= strcmp(tv->cols[k], name) == 0;
			if (have)
				continue;
			for (size_t q = 0; q < tv->n && !varies; q++) {
				const char *v = labels_get(tv->rows[q].ls, name);
				varies = !v || strcmp(v, v0) != 0;
			}
			if (varies && (strcmp(name, "__name__") || tv->n == 1))
				tv->cols[tv->ncols++] = name;
		}
}

static const struct table_state *sort_t;	/* qsort has no context argument */

static int
row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int r;

	if (sort_t->sort_name) {
		const char *x = labels_get(a->ls, sort_t->sort_name), *y = labels_get(b->ls, sort_t->sort_name);
		r = strcmp(x ? x : "", y ? y : "");
	} else {
		double x = a->v[sort_t->sort_val], y = b->v[sort_t->sort_val];
		if (isnan(x) || isnan(y))	/* no value sorts last either way */
			return isnan(x) ? (isnan(y) ? 0 : 1) : -1;
		r = x < y ? -1 : x > y;
	}
	return sort_t->desc ? -r : r;
}

static void
build(struct panel *p, const struct wctx *c, struct tview *tv)
{
	struct table_state *t = p->w;

	memset(tv, 0, sizeof *tv);
	tv->rows = xcalloc(MAX_ROWS, sizeof *tv->rows);
	for (size_t k = 0; k < p->nneed && tv->nvals < MAX_VALS; k++) {
		const struct sslot *sl;
		tns ev;
		size_t col = tv->nvals++;
		tv->qi[col] = p->need[k].qi;
		if (!p->key[k] || !(sl = store_series(c->store, p->key[k], 0)) ||
		    (ev = sslot_eval_at(sl, c->end)) == TNS_NONE)
			continue;
		for (size_t i = 0; i < sl->n; i++) {
			double v;
			if (series_value_at(sl->s[i], ev, 0, &v, NULL) == 0)
				add_value(tv, &sl->s[i]->labels, col, v);
		}
	}
	pick_columns(t, tv);
	if (t->sort_ref) {	/* "value:REF": resolved once the columns are known */
		for (size_t k = 0; k < tv->nvals; k++) {
			const char *ref = p->cfg->q[tv->qi[k]].ref;
			if (ref && strcmp(ref, t->sort_ref) == 0)
				t->sort_val = (int)k;
		}
		free(t->sort_ref);
		t->sort_ref = NULL;
	}
	if (t->sort_val >= (int)tv->nvals)
		t->sort_val = 0;
	sort_t = t;
	if (tv->nvals)
		qsort(tv->rows, tv->n, sizeof *tv->rows, row_cmp);
	if (t->limit > 0 && tv->n > (size_t)t->limit)
		tv->n = (size_t)t->limit;
}

static const char *
value_header(const struct table_state *t, const struct dash_panel *cfg, const struct tview *tv, size_t col)
{
	const struct dash_query *q = &cfg->q[tv->qi[col]];
	const struct field *f = value_field(t, cfg, tv, col);

	if (f && f->title)
		return f->title;
	if (q->legend && *q->legend && !strstr(q->legend, "{{"))
		return q->legend;
	return tv->nvals == 1 ? "Value" : q->ref ? q->ref : "Value";
}

static void
draw_header(struct canvas *cv, const struct table_state *t, const struct tview *tv,
    const int *w, int valw, const struct dash_panel *cfg)
{
	int x = 0;

	for (size_t i = 0; i < tv->ncols && x < cv->w; i++) {
		int s = t->sort_name && strcmp(t->sort_name, tv->cols[i]) == 0;
		const struct field *f = field_of(t, tv->cols[i]);
		canvas_str(cv, x, 0, w[i], f && f->title ? f->title : tv->cols[i], s ? ROLE_FOCUS : ROLE_TITLE,
		    CA_BOLD);
		x += w[i] + 1;
	}
	for (size_t k = 0; k < tv->nvals; k++) {
		char h[80];
		int s = !t->sort_name && t->sort_val == (int)k;
		snprintf(h, sizeof h, "%s%s", s ? (t->desc ? "\xe2\x96\xbe" : "\xe2\x96\xb4") : "",
		    value_header(t, cfg, tv, k));
		canvas_str_right(cv, cv->w - (int)(tv->nvals - 1 - k) * (valw + 1), 0, h,
		    s ? ROLE_FOCUS : ROLE_TITLE, CA_BOLD);
	}
}

/* Label column widths: the widest value (at most 48), then the widest
 * columns shrink until the row fits in room. */
static void
label_widths(const struct table_state *t, const struct tview *tv, int *w, int room)
{
	for (size_t i = 0; i < tv->ncols; i++) {
		const struct field *f = field_of(t, tv->cols[i]);
		const char *h = f && f->title ? f->title : tv->cols[i];
		if (f && f->width) {
			w[i] = f->width;
			continue;
		}
		w[i] = san_width(h, strlen(h), 0);
		for (size_t r = 0; r < tv->n; r++) {
			const char *v = labels_get(tv->rows[r].ls, tv->cols[i]);
			int vw = v ? san_width(v, strlen(v), 0) : 1;
			w[i] = vw > w[i] ? vw : w[i];
		}
		if (w[i] > 48)
			w[i] = 48;
	}
	for (int guard = 0; guard < 1000; guard++) {
		int sum = 0, wi = -1;
		for (size_t i = 0; i < tv->ncols; i++) {
			sum += w[i] + 1;
			if (wi < 0 || w[i] > w[wi])
				wi = (int)i;
		}
		if (sum <= room || wi < 0 || w[wi] <= 4)
			break;
		w[wi]--;
	}
}

static void
table_draw(struct panel *p, struct canvas *cv, const struct wctx *c)
{
	struct table_state *t = p->w;
	struct tview tv;
	int w[MAX_COLS], valw = 5, room, rows;

	build(p, c, &tv);
	for (size_t r = 0; r < tv.n; r++)
		for (size_t k = 0; k < tv.nvals; k++) {
			char b[48];
			enum role role;
			format_value(t, p->cfg, value_field(t, p->cfg, &tv, k), tv.rows[r].v[k], b, sizeof b, &role);
			valw = san_width(b, strlen(b), 0) > valw ? san_width(b, strlen(b), 0) : valw;
		}
	for (size_t k = 0; k < tv.nvals; k++) {
		const char *h = value_header(t, p->cfg, &tv, k);
		int hw = san_width(h, strlen(h), 0) + 1;
		valw = hw > valw && hw <= 24 ? hw : valw;
	}
	room = cv->w - (int)tv.nvals * (valw + 1);
	label_widths(t, &tv, w, room);
	draw_header(cv, t, &tv, w, valw, p->cfg);
	rows = cv->h - 1;
	if (t->sel >= (int)tv.n)
		t->sel = tv.n ? (int)tv.n - 1 : 0;
	if (t->sel < t->top)
		t->top = t->sel;
	if (rows > 0 && t->sel >= t->top + rows)
		t->top = t->sel - rows + 1;
	for (int r = 0; r < rows && (size_t)t->top + (size_t)r < tv.n; r++) {
		const struct row *row = &tv.rows[t->top + r];
		int x = 0, y = r + 1, sel = c->focused && t->top + r == t->sel;
		struct text_opts o = { .role = sel ? ROLE_SELECTION : ROLE_TEXT, .ellipsis = 1 };
		if (sel)
			canvas_fill(cv, (struct rect){ 0, y, cv->w, 1 }, ' ', ROLE_SELECTION, 0);
		for (size_t i = 0; i < tv.ncols && x < room; i++) {
			const char *v = labels_get(row->ls, tv.cols[i]);
			canvas_text(cv, x, y, w[i], v ? v : "", v ? strlen(v) : 0, &o, NULL);
			x += w[i] + 1;
		}
		for (size_t k = 0; k < tv.nvals; k++) {
			char b[48];
			enum role role;
			format_value(t, p->cfg, value_field(t, p->cfg, &tv, k), row->v[k], b, sizeof b, &role);
			if (sel)
				role = ROLE_SELECTION;
			canvas_str_right(cv, cv->w - (int)(tv.nvals - 1 - k) * (valw + 1), y, b, role, 0);
		}
	}
	free(tv.rows);
}

/* s: next sort column (labels in order, then the values). */
static void
next_sort(struct panel *p, const struct wctx *c)
{
	struct table_state *t = p->w;
	struct tview tv;
	int cur = -1, total;

	build(p, c, &tv);
	total = (int)(tv.ncols + tv.nvals);
	for (size_t i = 0; i < tv.ncols; i++)
		if (t->sort_name && strcmp(t->sort_name, tv.cols[i]) == 0)
			cur = (int)i;
	if (!t->sort_name)
		cur = (int)tv.ncols + t->sort_val;
	cur = total ? (cur + 1) % total : 0;
	free(t->sort_name);
	t->sort_name = NULL;
	if (cur < (int)tv.ncols) {
		t->sort_name = xstrdup(tv.cols[cur]);
		t->desc = 0;
	} else {
		t->sort_val = cur - (int)tv.ncols;
		t->desc = 1;
	}
	free(tv.rows);
}

static int
table_key(struct panel *p, int key, const struct wctx *c)
{
	struct table_state *t = p->w;

	switch (key) {
	case 's':
		next_sort(p, c);
		return WK_HANDLED;
	case 'S':
		t->desc = !t->desc;
		return WK_HANDLED;
	case 'J':
		t->sel++;
		return WK_HANDLED;
	case 'K':
		if (t->sel > 0)
			t->sel--;
		return WK_HANDLED;
	case K_DOWN: case K_UP:
		if (!c->inside)
			return WK_IGNORED;
		t->sel += key == K_DOWN ? 1 : t->sel > 0 ? -1 : 0;
		return WK_HANDLED;
	}
	return WK_IGNORED;
}

const struct widget_class table_widget = {
	.name = "table",
	.help = "instant vectors as sortable rows (labels as columns), for top-N views",
	.source_types = table_types,
	.option_keys = table_opts,
	.init = table_init,
	.free = table_free,
	.needs = table_needs,
	.draw = table_draw,
	.key = table_key,
};
