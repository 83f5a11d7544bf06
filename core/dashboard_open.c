/* dashboard_open: loading a dashboard the way the command line asks —
 * a scry dashboard, or a Grafana dashboard (detected by its shape and
 * converted), plus SLO files given with --slo (one slo panel per SLO,
 * below the dashboard's panels, or a dashboard of its own).
 * A document that needed changing is printed as scry JSON and parsed
 * under the name "FILE (as converted by scry --convert)", so positions in
 * messages refer to what `scry --convert FILE` shows. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dashboard.h"
#include "core/grafana.h"
#include "core/paths.h"
#include "core/slo.h"
#include "core/xalloc.h"

#define SLO_PANEL_W	12
#define SLO_PANEL_H	8

static int
grid_bottom(const cJSON *panels)
{
	int bottom = 0;

	for (const cJSON *p = panels ? panels->child : NULL; p; p = p->next) {
		const cJSON *g = cJSON_GetObjectItemCaseSensitive(p, "grid");
		const cJSON *y, *h;
		if (!g)
			g = cJSON_GetObjectItemCaseSensitive(p, "gridPos");
		y = g ? cJSON_GetObjectItemCaseSensitive(g, "y") : NULL;
		h = g ? cJSON_GetObjectItemCaseSensitive(g, "h") : NULL;
		if (cJSON_IsNumber(y) && cJSON_IsNumber(h) && y->valueint + h->valueint > bottom)
			bottom = y->valueint + h->valueint;
		bottom = grid_bottom(cJSON_GetObjectItemCaseSensitive(p, "panels")) > bottom ?
		    grid_bottom(cJSON_GetObjectItemCaseSensitive(p, "panels")) : bottom;
	}
	return bottom;
}

static void
json_must(const void *p)
{
	if (!p)
		fatal("out of memory (json)");
}

/* Append "slo_files" and a row of slo panels for every SLO in the files. */
static int
add_slo_files(cJSON *root, const struct dash_load_opts *o, struct diag *dg)
{
	cJSON *files = cJSON_GetObjectItemCaseSensitive(root, "slo_files");
	cJSON *panels = cJSON_GetObjectItemCaseSensitive(root, "panels");
	struct slo_set set = { 0 };
	int y, x = 0;
	size_t errs = dg->nerrors;

	if (!files)
		json_must(files = cJSON_AddArrayToObject(root, "slo_files"));
	if (!panels)
		json_must(panels = cJSON_AddArrayToObject(root, "panels"));
	y = grid_bottom(panels);
	for (size_t i = 0; i < o->nslo_files; i++) {
		char abs[PATH_MAX];
		const char *f = realpath(o->slo_files[i], abs) ? abs : o->slo_files[i];
		size_t before = set.n;
		if (slo_load_file(&set, f, dg) < 0)
			continue;
		cJSON_AddItemToArray(files, cJSON_CreateString(f));
		for (size_t k = before; k < set.n; k++) {
			cJSON *p = cJSON_CreateObject(), *opt, *g;
			json_must(p);
			cJSON_AddStringToObject(p, "type", "slo");
			cJSON_AddStringToObject(p, "title", set.v[k].name);
			json_must(opt = cJSON_AddObjectToObject(p, "options"));
			cJSON_AddStringToObject(opt, "slo", set.v[k].name);
			json_must(g = cJSON_AddObjectToObject(p, "grid"));
			cJSON_AddNumberToObject(g, "x", x);
			cJSON_AddNumberToObject(g, "y", y);
			cJSON_AddNumberToObject(g, "w", SLO_PANEL_W);
			cJSON_AddNumberToObject(g, "h", SLO_PANEL_H);
			cJSON_AddItemToArray(panels, p);
			x += SLO_PANEL_W;
			if (x >= GRID_COLS) {
				x = 0;
				y += SLO_PANEL_H;
			}
		}
	}
	slo_set_free(&set);
	return dg->nerrors > errs ? -1 : 0;
}

/* The document at path as scry JSON: converted when it is Grafana's.
 * *converted says whether it changed. */
static cJSON *
read_doc(const char *path, const struct dash_load_opts *o, int *converted, struct diag *dg)
{
	struct jdoc doc;
	size_t len;
	char *text = paths_read_file(path, DASH_FILE_MAX, &len, dg);
	cJSON *out;

	*converted = 0;
	if (!text)
		return NULL;
	if (jdoc_parse(&doc, text, len, path, dg) < 0) {
		free(text);
		jdoc_free(&doc);
		return NULL;
	}
	free(text);
	if (grafana_detect(doc.root)) {
		out = grafana_convert(doc.root, path, o ? o->grafana : NULL, dg);
		*converted = 1;
	} else {
		out = doc.root;
		doc.root = NULL;
	}
	jdoc_free(&doc);
	return out;
}

/* The document with the Grafana conversion and --slo additions applied;
 * *changed says whether it differs from the file. */
static cJSON *
build(const char *path, const struct dash_load_opts *o, int *changed, struct diag *dg)
{
	cJSON *root = path ? read_doc(path, o, changed, dg) : cJSON_CreateObject();

	if (!root)
		return NULL;
	if (!path) {
		cJSON *s = cJSON_AddObjectToObject(root, "sources"), *p;
		json_must(s);
		cJSON_AddStringToObject(root, "title", "Service level objectives");
		json_must(p = cJSON_AddObjectToObject(s, "prometheus"));
		cJSON_AddStringToObject(p, "type", "prometheus");
		*changed = 1;
	}
	if (o && o->nslo_files) {
		if (add_slo_files(root, o, dg) < 0) {
			cJSON_Delete(root);
			return NULL;
		}
		*changed = 1;
	}
	return root;
}

char *
dashboard_convert(const char *arg, const struct dash_load_opts *o, struct diag *dg)
{
	int changed = 0;
	char *text, *path = arg ? dashboard_find(arg, dg) : NULL;
	cJSON *root;

	if (arg && !path)
		return NULL;
	root = build(path, o, &changed, dg);
	if (root && !changed) {
		diag_add(dg, DIAG_ERROR, path, 0, 0,
		    "already a scry dashboard, not a Grafana one: nothing to convert");
		cJSON_Delete(root);
		root = NULL;
	}
	free(path);
	if (!root)
		return NULL;
	text = jdoc_print(root);
	cJSON_Delete(root);
	return text;
}

struct dashboard *
dashboard_open(const char *arg, const struct dash_load_opts *o, struct diag *dg)
{
	struct dashboard *db;
	int changed = 0;
	char *text, *name, *path = arg ? dashboard_find(arg, dg) : NULL;
	cJSON *root;

	if (arg && !path)
		return NULL;
	root = build(path, o, &changed, dg);
	if (!root) {
		free(path);
		return NULL;
	}
	if (!changed) {
		/* a scry dashboard as it is: messages keep the file's own positions */
		cJSON_Delete(root);
		db = dashboard_load(path, dg);
		free(path);
		return db;
	}
	text = jdoc_print(root);
	cJSON_Delete(root);
	name = path ? xasprintf("%s (as converted by scry --convert)", path) :
	    xstrdup("<SLO dashboard (see scry --convert --slo FILE)>");
	db = dashboard_parse(text, strlen(text), name, dg);
	free(text);
	free(name);
	free(path);
	return db;
}
