/* grafana: detection, the document (title, time, variables, layout of
 * rows and panels) and the import report.  Panel types are converted in
 * grafana_panel.c, field config in grafana_field.c, data sources and
 * variables in grafana_ds.c.
 * Invariant: the output has one panel per Grafana panel (rows and the
 * panels of collapsed rows included), in reading order, with the panels
 * that follow an expanded row nested under it so every row collapses. */
#include "core/grafana.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grafana_int.h"
#include "core/regex.h"
#include "core/ts.h"
#include "core/xalloc.h"

#define NOTES_MAX	8192
#define GRID_W		24

/* ------------------------------------------------------------- helpers */

const char *
gc_str(const cJSON *o, const char *key)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
gc_regex_ok(const char *re, const char **why)
{
	static char msg[200];
	char *err = NULL;
	struct rx *r = rx_compile(re, strlen(re), 0, &err);
	int ok = r && rx_groups(r) >= 1;

	if (!r) {
		snprintf(msg, sizeof msg, "its regex does not compile: %s", err);
		*why = msg;
	} else if (!ok)
		*why = "its regex has no capture group around the id";
	free(err);
	rx_free(r);
	return ok;
}

int
gc_matchers_ok(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t n0 = i;
		while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
			i++;
		if (i == n0)
			return 0;
		while (i < n && s[i] == ' ')
			i++;
		if (i + 1 < n && ((s[i] == '!' && (s[i + 1] == '~' || s[i + 1] == '=')) ||
		    (s[i] == '=' && s[i + 1] == '~')))
			i += 2;
		else if (i < n && s[i] == '=')
			i++;
		else
			return 0;
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n || s[i++] != '"')
			return 0;
		while (i < n && s[i] != '"')
			i += s[i] == '\\' ? 2 : 1;
		if (i >= n)
			return 0;
		i++;
		while (i < n && (s[i] == ' ' || s[i] == ','))
			i++;
	}
	return 1;
}

const cJSON *
gc_obj(const cJSON *o, const char *key)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *
gc_arr(const cJSON *o, const char *key)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	return cJSON_IsArray(v) ? v : NULL;
}

int
gc_bool(const cJSON *o, const char *key, int def)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

/* Numbers, also as strings ("0.95", as Grafana sometimes writes them). */
int
gc_num(const cJSON *o, const char *key, double *out)
{
	const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	char *end;

	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return 0;
	}
	if (cJSON_IsString(v) && *v->valuestring) {
		double x = strtod(v->valuestring, &end);
		if (*end == '\0' && !isnan(x)) {
			*out = x;
			return 0;
		}
	}
	return -1;
}

static void
must(const void *p)
{
	if (!p)
		fatal("out of memory (json)");
}

void
gc_add_str(cJSON *o, const char *key, const char *v)
{
	must(cJSON_AddStringToObject(o, key, v));
}

void
gc_add_num(cJSON *o, const char *key, double v)
{
	must(cJSON_AddNumberToObject(o, key, v));
}

void
gc_add_bool(cJSON *o, const char *key, int v)
{
	must(cJSON_AddBoolToObject(o, key, v));
}

cJSON *
gc_add_obj(cJSON *o, const char *key)
{
	cJSON *v = cJSON_AddObjectToObject(o, key);
	must(v);
	return v;
}

cJSON *
gc_add_arr(cJSON *o, const char *key)
{
	cJSON *v = cJSON_AddArrayToObject(o, key);
	must(v);
	return v;
}

char *
gc_strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
gc_report(struct gconv *gc, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	must(cJSON_AddItemToArray(gc->report, cJSON_CreateString(s)) ? gc : NULL);
	free(s);
}

void
gc_note(struct gconv *gc, const char *fmt, ...)
{
	va_list ap;
	char tmp[1024];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (strstr(gc->notes.data ? gc->notes.data : "", tmp))
		return;	/* one note per kind per panel */
	buf_printf(&gc->notes, "%s%s", gc->nnotes ? "; " : "", tmp);
	gc->nnotes++;
}

void
gc_count(struct gconv *gc, const char *from, const char *to)
{
	for (size_t i = 0; i < gc->ncnt; i++)
		if (strcmp(gc->cnt[i].from, from) == 0 && strcmp(gc->cnt[i].to, to) == 0) {
			gc->cnt[i].n++;
			return;
		}
	xgrow(&gc->cnt, &gc->capcnt, gc->ncnt + 1, sizeof *gc->cnt);
	gc->cnt[gc->ncnt++] = (struct gcount){ xstrdup(from), xstrdup(to), 1 };
}

/* ----------------------------------------------------------- detection */

static int
grafana_panel_like(const cJSON *p)
{
	static const char *const only_grafana[] = { "timeseries", "singlestat", "stat", "gauge",
		"bargauge", "table", "heatmap", "logs", "alertlist", "piechart", "barchart", NULL };
	const char *t = gc_str(p, "type");

	if (cJSON_GetObjectItemCaseSensitive(p, "targets") || gc_obj(p, "fieldConfig") ||
	    cJSON_GetObjectItemCaseSensitive(p, "datasource") || cJSON_GetObjectItemCaseSensitive(p, "span"))
		return 1;
	for (size_t i = 0; t && only_grafana[i]; i++)
		if (strcmp(t, only_grafana[i]) == 0 && !cJSON_GetObjectItemCaseSensitive(p, "query") &&
		    !cJSON_GetObjectItemCaseSensitive(p, "queries"))
			return 1;
	return 0;
}

int
grafana_detect(const cJSON *root)
{
	const cJSON *d, *panels;

	if (!cJSON_IsObject(root))
		return 0;
	if ((d = gc_obj(root, "dashboard")) && (gc_arr(d, "panels") || gc_arr(d, "rows")))
		return 1;
	if (gc_obj(root, "sources"))
		return 0;
	if (cJSON_GetObjectItemCaseSensitive(root, "schemaVersion") || gc_obj(root, "templating") ||
	    gc_arr(root, "__inputs") || gc_arr(root, "__requires") || gc_arr(root, "rows"))
		return 1;
	if ((panels = gc_arr(root, "panels")))
		for (const cJSON *p = panels->child; p; p = p->next)
			if (cJSON_IsObject(p) && grafana_panel_like(p))
				return 1;
	return 0;
}

/* ------------------------------------------------------------ document */

static void
convert_time(struct gconv *gc, const cJSON *d)
{
	const cJSON *t = gc_obj(d, "time");
	const char *from = gc_str(t, "from"), *to = gc_str(t, "to"), *refresh = gc_str(d, "refresh");
	tns dur;

	if (from && strncmp(from, "now-", 4) == 0 && !strchr(from, '/')) {
		char tmp[32];
		size_t n = strlen(from + 4);
		snprintf(tmp, sizeof tmp, "%s", from + 4);
		if (n > 1 && (tmp[n - 1] == 'M' || tmp[n - 1] == 'y')) {
			double k = strtod(tmp, NULL);
			snprintf(tmp, sizeof tmp, "%.0fd", k * (tmp[n - 1] == 'M' ? 30 : 365));
		}
		if (ts_parse_duration(tmp, &dur) == 0 && dur >= NS_PER_S)
			gc_add_str(gc->out, "range", tmp);
		else
			gc_report(gc, "time range '%s' not understood; scry's default (1h) is used", from);
	} else if (from)
		gc_report(gc, "time range from '%s' to '%s' is not relative to now; scry shows the last "
		    "hour (use --range and --at)", from, to ? to : "now");
	if (to && strcmp(to, "now") != 0 && from && strncmp(from, "now-", 4) == 0)
		gc_report(gc, "time range ends at '%s', not now; use --at to fix the end", to);
	if (refresh && *refresh && ts_parse_duration(refresh, &dur) == 0 && dur >= NS_PER_S)
		gc_add_str(gc->out, "refresh", refresh);
}

struct gpos {
	const cJSON	*p;
	int		 idx;	/* position in the file */
	double		 x, y;
	int		 cx, cy, cw, ch;	/* after compaction */
};

static int
by_pos(const void *a, const void *b)
{
	const struct gpos *x = a, *y = b;

	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return x->idx - y->idx;	/* stable: document order */
}

static void
gpos_init(struct gpos *g, const cJSON *p, int idx)
{
	const cJSON *gp = gc_obj(p, "gridPos");
	const char *type = gc_str(p, "type");
	double w = 12, h = 8;

	memset(g, 0, sizeof *g);
	g->p = p;
	g->idx = idx;
	gc_num(gp, "x", &g->x);
	gc_num(gp, "y", &g->y);
	gc_num(gp, "w", &w);
	gc_num(gp, "h", &h);
	g->cx = g->x < 0 ? 0 : g->x > 23 ? 23 : (int)g->x;
	g->cy = g->y < 0 ? 0 : g->y > 1000000 ? 1000000 : (int)g->y;
	g->cw = w < 1 ? 1 : w > GRID_W - g->cx ? GRID_W - g->cx : (int)w;
	g->ch = h < 1 ? 1 : h > 10000 ? 10000 : (int)h;
	if (type && strcmp(type, "row") == 0) {
		g->cx = 0;
		g->cw = GRID_W;
		g->ch = 1;
	}
}

static int
collides(const struct gpos *a, const struct gpos *b)
{
	return a->cx < b->cx + b->cw && b->cx < a->cx + a->cw &&
	    a->cy < b->cy + b->ch && b->cy < a->cy + a->ch;
}

static const struct gpos *
first_collision(const struct gpos *v, size_t n, const struct gpos *l)
{
	for (size_t i = 0; i < n; i++)
		if (collides(&v[i], l))
			return &v[i];
	return NULL;
}

/* Grafana's layout (react-grid-layout, vertical compaction): in reading
 * order, each panel floats up as far as it can and is pushed below
 * whatever it overlaps.  Dashboards generated by tools (the .gen.json
 * files) rely on it; ones saved by Grafana are already compact. */
static void
compact(struct gpos *v, size_t n, int floor)
{
	for (size_t i = 0; i < n; i++) {
		struct gpos *l = &v[i];
		const struct gpos *c;
		int bottom = floor;
		for (size_t k = 0; k < i; k++)
			if (v[k].cy + v[k].ch > bottom)
				bottom = v[k].cy + v[k].ch;
		if (l->cy > bottom)
			l->cy = bottom;
		while (l->cy > floor && !first_collision(v, i, l))
			l->cy--;
		while ((c = first_collision(v, i, l)))
			l->cy = c->cy + c->ch;
	}
}

static void
add_panel(struct gconv *gc, cJSON *dst, const struct gpos *g, const char *path)
{
	cJSON *p = gc_panel(gc, g->p, path), *grid = cJSON_GetObjectItemCaseSensitive(p, "grid");

	if (grid) {
		cJSON_ReplaceItemInObjectCaseSensitive(grid, "x", cJSON_CreateNumber(g->cx));
		cJSON_ReplaceItemInObjectCaseSensitive(grid, "y", cJSON_CreateNumber(g->cy));
		cJSON_ReplaceItemInObjectCaseSensitive(grid, "w", cJSON_CreateNumber(g->cw));
		cJSON_ReplaceItemInObjectCaseSensitive(grid, "h", cJSON_CreateNumber(g->ch));
	}
	must(cJSON_AddItemToArray(dst, p) ? p : NULL);
}

/* The panels of a collapsed row, compacted among themselves. */
static void
add_children(struct gconv *gc, cJSON *dst, const cJSON *kids, const char *path)
{
	size_t n = (size_t)cJSON_GetArraySize(kids), k = 0;
	struct gpos *gv = xcalloc(n + 1, sizeof *gv);
	int floor = -1;

	for (const cJSON *c = kids->child; c; c = c->next, k++) {
		gpos_init(&gv[k], c, (int)k);
		if (floor < 0 || gv[k].cy < floor)
			floor = gv[k].cy;
	}
	qsort(gv, n, sizeof *gv, by_pos);
	compact(gv, n, floor < 0 ? 0 : floor);
	for (size_t i = 0; i < n; i++) {
		char cp[96];
		snprintf(cp, sizeof cp, "%s.panels[%d]", path, gv[i].idx);
		if (!cJSON_IsObject(gv[i].p)) {
			gc_report(gc, "%s: not a panel object; skipped", cp);
			continue;
		}
		add_panel(gc, dst, &gv[i], cp);
		if (gc_arr(gv[i].p, "panels") && cJSON_GetArraySize(gc_arr(gv[i].p, "panels")) > 0)
			gc_report(gc, "%s: a row inside a row (Grafana has none); its %d panels are left out",
			    cp, cJSON_GetArraySize(gc_arr(gv[i].p, "panels")));
	}
	free(gv);
}

/* A collapsed row keeps its panels nested; an expanded row takes the
 * panels that follow it up to the next row. */
static void
convert_panels(struct gconv *gc, const cJSON *panels, cJSON *out)
{
	size_t n = (size_t)cJSON_GetArraySize(panels), k = 0;
	struct gpos *gv = xcalloc(n + 1, sizeof *gv);
	cJSON *open_row = NULL;

	for (const cJSON *p = panels->child; p; p = p->next, k++)
		gpos_init(&gv[k], p, (int)k);
	qsort(gv, n, sizeof *gv, by_pos);
	compact(gv, n, 0);
	for (size_t i = 0; i < n; i++) {
		char path[64];
		const cJSON *gp = gv[i].p;
		const char *type = gc_str(gp, "type");
		snprintf(path, sizeof path, "panels[%d]", gv[i].idx);
		if (!cJSON_IsObject(gp)) {
			gc_report(gc, "%s: not a panel object; skipped", path);
			continue;
		}
		if (type && strcmp(type, "row") == 0) {
			const cJSON *kids = gc_arr(gp, "panels");
			cJSON *dst, *row;
			add_panel(gc, out, &gv[i], path);
			row = cJSON_GetArrayItem(out, cJSON_GetArraySize(out) - 1);
			dst = gc_add_arr(row, "panels");
			if (kids)
				add_children(gc, dst, kids, path);
			open_row = gc_bool(gp, "collapsed", 0) ? NULL : dst;
			continue;
		}
		add_panel(gc, open_row ? open_row : out, &gv[i], path);
	}
	free(gv);
}

/* Grafana before schema 16: "rows": [{"title", "collapse", "height",
 * "panels": [{"span": 1..12}]}], laid out here onto the 24-column grid. */
static void
convert_legacy_rows(struct gconv *gc, const cJSON *rows, cJSON *out)
{
	int y = 0;
	size_t ri = 0;

	for (const cJSON *r = rows->child; r; r = r->next, ri++) {
		const cJSON *ps = gc_arr(r, "panels");
		const char *hs = gc_str(r, "height");
		double hpx = 250;
		int h, x = 0;
		cJSON *row, *grid, *kids;
		size_t pi = 0;

		if (hs)
			hpx = strtod(hs, NULL);
		else
			gc_num(r, "height", &hpx);
		h = (int)(hpx / 30 + 0.5) < 2 ? 2 : (int)(hpx / 30 + 0.5);
		row = cJSON_CreateObject();
		must(row);
		gc_add_str(row, "type", "row");
		gc_add_str(row, "title", gc_str(r, "title") ? gc_str(r, "title") : "");
		if (gc_bool(r, "collapse", 0))
			gc_add_bool(row, "collapsed", 1);
		grid = gc_add_obj(row, "grid");
		gc_add_num(grid, "x", 0);
		gc_add_num(grid, "y", y);
		gc_add_num(grid, "w", 24);
		gc_add_num(grid, "h", 1);
		must(cJSON_AddItemToArray(out, row) ? row : NULL);
		gc_count(gc, "row (legacy)", "row");
		gc->npanels++;
		kids = gc_add_arr(row, "panels");
		y++;
		for (const cJSON *p = ps ? ps->child : NULL; p; p = p->next, pi++) {
			char path[96];
			double span = 12;
			cJSON *cp, *g;
			int w;
			gc_num(p, "span", &span);
			w = (int)(span * 2) < 1 ? 1 : (int)(span * 2) > 24 ? 24 : (int)(span * 2);
			if (x + w > 24) {
				x = 0;
				y += h;
			}
			snprintf(path, sizeof path, "rows[%zu].panels[%zu]", ri, pi);
			cp = gc_panel(gc, p, path);
			cJSON_DeleteItemFromObjectCaseSensitive(cp, "grid");
			g = gc_add_obj(cp, "grid");
			gc_add_num(g, "x", x);
			gc_add_num(g, "y", y);
			gc_add_num(g, "w", w);
			gc_add_num(g, "h", h);
			must(cJSON_AddItemToArray(kids, cp) ? cp : NULL);
			x += w;
		}
		y += h;
	}
}

static void
note_extras(struct gconv *gc, const cJSON *d)
{
	const cJSON *ann = gc_obj(d, "annotations"), *list = gc_arr(ann, "list"), *links;
	int n = 0;

	for (const cJSON *a = list ? list->child : NULL; a; a = a->next)
		if (!gc_bool(a, "builtIn", 0) && !(cJSON_IsNumber(cJSON_GetObjectItem(a, "builtIn")) &&
		    cJSON_GetObjectItem(a, "builtIn")->valuedouble == 1))
			n++;
	if (n)
		gc_report(gc, "%d annotation quer%s not converted (scry marks changes from its own "
		    "sources)", n, n == 1 ? "y" : "ies");
	if (gc->cosmetic)
		gc_report(gc, "%d colour, line-style and legend-only override%s left to scry's own "
		    "series styles", gc->cosmetic, gc->cosmetic == 1 ? "" : "s");
	if ((links = gc_arr(d, "links")) && cJSON_GetArraySize(links) > 0)
		gc_report(gc, "%d dashboard link%s not converted", cJSON_GetArraySize(links),
		    cJSON_GetArraySize(links) == 1 ? "" : "s");
}

static void
summary(struct gconv *gc, const cJSON *d, const char *title)
{
	struct buf b;
	const cJSON *sv = cJSON_GetObjectItemCaseSensitive(d, "schemaVersion");
	cJSON *line;

	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < gc->ncnt; i++)
		buf_printf(&b, "%s%s -> %s x%d", i ? ", " : "", gc->cnt[i].from, gc->cnt[i].to,
		    gc->cnt[i].n);
	line = cJSON_CreateString(b.data ? b.data : "no panels");
	must(line);
	cJSON_InsertItemInArray(gc->report, 0, line);
	buf_reset(&b);
	buf_printf(&b, "Grafana dashboard '%s'", title);
	if (cJSON_IsNumber(sv))
		buf_printf(&b, " (schemaVersion %d)", sv->valueint);
	buf_printf(&b, " from %s: %d panel%s converted, %d unsupported", gc->file, gc->npanels,
	    gc->npanels == 1 ? "" : "s", gc->unsupported);
	line = cJSON_CreateString(b.data);
	must(line);
	cJSON_InsertItemInArray(gc->report, 0, line);
	buf_free(&b);
}

static void
gconv_free(struct gconv *gc)
{
	for (size_t i = 0; i < gc->ndsv; i++) {
		free(gc->dsv[i].name);
		free(gc->dsv[i].type);
		free(gc->dsv[i].current);
	}
	free(gc->dsv);
	for (size_t i = 0; i < gc->ncnt; i++) {
		free(gc->cnt[i].from);
		free(gc->cnt[i].to);
	}
	free(gc->cnt);
	buf_free(&gc->notes);
	cJSON_Delete(gc->dsseen);
}

cJSON *
grafana_convert(const cJSON *root, const char *file, const struct gf_opts *o, struct diag *dg)
{
	static const struct gf_opts none;
	const cJSON *d = root, *panels, *rows, *tags;
	struct gconv gc;
	cJSON *imp;
	const char *title, *base;

	if (gc_obj(root, "dashboard") && !gc_arr(root, "panels"))
		d = gc_obj(root, "dashboard");
	if (!cJSON_IsObject(d) || (!gc_arr(d, "panels") && !gc_arr(d, "rows"))) {
		diag_add(dg, DIAG_ERROR, file, 0, 0, "not a Grafana dashboard (no \"panels\" or \"rows\")");
		return NULL;
	}
	memset(&gc, 0, sizeof gc);
	gc.o = o ? o : &none;
	base = file ? strrchr(file, '/') : NULL;
	gc.file = base ? base + 1 : file ? file : "<input>";
	buf_init(&gc.notes, NOTES_MAX);
	must(gc.out = cJSON_CreateObject());
	must(gc.dsseen = cJSON_CreateObject());
	title = gc_str(d, "title") ? gc_str(d, "title") : "imported Grafana dashboard";
	gc_add_str(gc.out, "title", title);
	if (gc_str(d, "description"))
		gc_add_str(gc.out, "description", gc_str(d, "description"));
	if ((tags = gc_arr(d, "tags")) && cJSON_GetArraySize(tags) > 0)
		must(cJSON_AddItemToObject(gc.out, "tags", cJSON_Duplicate(tags, 1)) ? gc.out : NULL);
	imp = gc_add_obj(gc.out, "import");
	gc_add_str(imp, "from", "grafana");
	gc_add_str(imp, "file", gc.file);
	if (gc_str(d, "uid"))
		gc_add_str(imp, "uid", gc_str(d, "uid"));
	gc.report = gc_add_arr(imp, "report");
	convert_time(&gc, d);
	gc.sources = gc_add_obj(gc.out, "sources");
	gc_variables(&gc, gc_obj(d, "templating"), gc_add_arr(gc.out, "variables"));
	panels = gc_arr(d, "panels");
	rows = gc_arr(d, "rows");
	if (panels && cJSON_GetArraySize(panels) > 0)
		convert_panels(&gc, panels, gc_add_arr(gc.out, "panels"));
	else if (rows && cJSON_GetArraySize(rows) > 0)
		convert_legacy_rows(&gc, rows, gc_add_arr(gc.out, "panels"));
	else
		gc_add_arr(gc.out, "panels");
	note_extras(&gc, d);
	summary(&gc, d, title);
	/* the report goes last, where it does not get in the way of editing */
	cJSON_DetachItemViaPointer(gc.out, imp);
	cJSON_AddItemToObject(gc.out, "import", imp);
	gconv_free(&gc);
	return gc.out;
}

int
grafana_map_valid(const char *s)
{
	const char *eq = strchr(s, '=');
	return eq && eq > s && eq[1] ? 0 : -1;
}
