/* vars: dashboard variables at run time.
 *
 * Query variables (label_values(...), label_names(), metrics(...),
 * query_result(...)) are fetch units of kind "values" on their source;
 * the answers arrive as EV_VALUES events (so recordings replay them) and
 * replace the variable's value list, filtered by its "regex" (a capture
 * group extracts the value, as in Grafana).  When the current choice is
 * no longer offered it falls back to the first value.  Choosing values
 * (the `v` picker) changes the query keys of every panel that uses the
 * variable, so those panels fetch again.
 * Invariant: a variable's current values are a subset of its values, or
 * "$__all" when include_all is set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/log.h"
#include "core/sanitize.h"
#include "core/template.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/vars.h"

#define ALL	"$__all"
#define CTRL_N	14
#define CTRL_P	16

struct varpick {
	int	 var;		/* index into db->vars */
	int	 cur;		/* cursor in the filtered list */
	int	 top;
	char	 filter[64];
	char	**sel;		/* pending selection (multi) */
	size_t	 nsel;
	int	 marked;	/* Space was used: Enter applies the marks */
};

static int
selectable(const struct dash_var *v)
{
	return strcmp(v->type, "query") == 0 || strcmp(v->type, "custom") == 0 ||
	    strcmp(v->type, "interval") == 0;
}

/* The source for a query variable: its own, else the first prometheus. */
static int
var_source(struct app *a, const struct dash_var *v)
{
	for (size_t i = 0; i < a->db->nsrc; i++)
		if (v->source ? strcmp(a->db->src[i].name, v->source) == 0 :
		    strcmp(a->db->src[i].type, "prometheus") == 0)
			return a->src[i] ? (int)i : -1;
	return -1;
}

static char *
var_key(struct app *a, const struct dash_var *v, int *si)
{
	char *expr, *key;

	if (strcmp(v->type, "query") != 0 || !v->query || (*si = var_source(a, v)) < 0 ||
	    !source_serves(a->src[*si]->cls, "values"))
		return NULL;
	expr = tmpl_expand(v->query, a->db, NULL);
	key = qkey_make(a->db->src[*si].name, "values", expr);
	free(expr);
	return key;
}

void
vars_units(struct app *a)
{
	int64_t now = ts_mono_ms();

	for (size_t i = 0; i < a->db->nvars; i++) {
		const struct dash_var *v = &a->db->vars[i];
		int si;
		char *key = var_key(a, v, &si);
		struct sunit *u;
		if (!key)
			continue;
		u = sched_unit(&a->sched, key, 0, 0, now);	/* on load, and when asked */
		if (!u->user) {
			struct unit *un = xcalloc(1, sizeof *un);
			un->src = a->src[si];
			un->expr_tmpl = tmpl_expand(v->query, a->db, NULL);
			un->kind = xstrdup("values");
			u->user = un;
		}
		free(key);
	}
}

/* Grafana's variable regex: /re/flags; the first capture group (or the
 * named group "value") is the value; values that do not match go. */
static pcre2_code *
compile_regex(const char *rx)
{
	char *pat = xstrdup(rx), *end;
	uint32_t opts = PCRE2_UTF;
	pcre2_code *re;
	PCRE2_SIZE off;
	int ec;

	if (pat[0] == '/' && (end = strrchr(pat + 1, '/'))) {
		if (strchr(end + 1, 'i'))
			opts |= PCRE2_CASELESS;
		*end = '\0';
		memmove(pat, pat + 1, strlen(pat));
	}
	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, &ec, &off, NULL);
	free(pat);
	return re;
}

static char *
extract(pcre2_code *re, pcre2_match_data *md, const char *s)
{
	PCRE2_SIZE *ov;
	int rc = pcre2_match(re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL), g;

	if (rc < 0)
		return NULL;
	ov = pcre2_get_ovector_pointer(md);
	g = pcre2_substring_number_from_name(re, (PCRE2_SPTR)"value");
	if (g < 0 || g >= rc)
		g = rc > 1 ? 1 : 0;
	if (ov[2 * g] == PCRE2_UNSET)
		return NULL;
	return xstrndup(s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
has_value(const struct dash_var *v, const char *s)
{
	for (size_t i = 0; i < v->nvalues; i++)
		if (strcmp(v->values[i], s) == 0)
			return 1;
	return 0;
}

static void
set_current(struct dash_var *v, char **vals, size_t n)
{
	free_list(v->current, v->ncurrent);
	v->current = vals;
	v->ncurrent = n;
}

/* The value list changed: keep what is still offered. Returns 1 if the
 * current choice changed. */
static int
fix_current(struct dash_var *v)
{
	size_t w = 0;

	if (v->ncurrent == 1 && strcmp(v->current[0], ALL) == 0 && v->include_all)
		return 0;
	for (size_t i = 0; i < v->ncurrent; i++) {
		if (has_value(v, v->current[i]))
			v->current[w++] = v->current[i];
		else
			free(v->current[i]);
	}
	if (w == v->ncurrent)
		return 0;
	v->ncurrent = w;
	if (!w && v->nvalues) {
		v->current = xreallocarray(v->current, 1, sizeof *v->current);
		v->current[0] = xstrdup(v->include_all ? ALL : v->values[0]);
		v->ncurrent = 1;
	}
	return 1;
}

static void
take_values(struct dash_var *v, const struct ev_values *ev)
{
	pcre2_code *re = v->regex && *v->regex ? compile_regex(v->regex) : NULL;
	pcre2_match_data *md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
	char **vals = xcalloc(ev->n + 1, sizeof *vals);
	size_t n = 0;

	if (v->regex && *v->regex && !re)
		log_warn("variable %s: bad regex %s (ignored)", v->name, v->regex);
	for (size_t i = 0; i < ev->n; i++) {
		char *x = re ? extract(re, md, ev->v[i]) : xstrdup(ev->v[i]);
		int dup = 0;
		if (!x)
			continue;
		for (size_t k = 0; k < n && !dup; k++)
			dup = strcmp(vals[k], x) == 0;
		if (dup)
			free(x);
		else
			vals[n++] = x;
	}
	free_list(v->values, v->nvalues);
	v->values = vals;
	v->nvalues = n;
	pcre2_match_data_free(md);
	pcre2_code_free(re);
}

void
vars_changed(struct app *a)
{
	a->relayout = 1;
	sched_force(&a->sched, NULL, ts_mono_ms());
	app_dirty(a);
}

void
vars_apply(struct app *a, const char *key)
{
	int changed = 0;

	for (size_t i = 0; i < a->db->nvars; i++) {
		struct dash_var *v = &a->db->vars[i];
		const struct ev_values *ev;
		int si;
		char *k = var_key(a, v, &si);
		if (!k || strcmp(k, key) != 0 || !(ev = store_values(a->store, key))) {
			free(k);
			continue;
		}
		free(k);
		take_values(v, ev);
		if (fix_current(v)) {
			log_info("variable %s: now %s", v->name, v->ncurrent ? v->current[0] : "(none)");
			changed = 1;
		}
	}
	if (changed)
		vars_changed(a);
	app_dirty(a);
}

size_t
vars_describe(const struct app *a, char *dst, size_t n)
{
	size_t len = 0;

	dst[0] = '\0';
	for (size_t i = 0; i < a->db->nvars && len + 1 < n; i++) {
		const struct dash_var *v = &a->db->vars[i];
		const char *cur = !v->ncurrent ? "-" : strcmp(v->current[0], ALL) == 0 ? "All" :
		    v->current[0];
		if (!selectable(v))
			continue;
		len += (size_t)snprintf(dst + len, n - len, "%s%s=%s%s", len ? " " : "", v->name, cur,
		    v->ncurrent > 1 ? "+" : "");
		if (len >= n)
			len = n - 1;
	}
	return len;
}

/* ---------------------------------------------------------------- picker */

static struct dash_var *
pick_var(struct app *a)
{
	struct varpick *vp = a->vars;
	return vp && vp->var >= 0 && (size_t)vp->var < a->db->nvars ? &a->db->vars[vp->var] : NULL;
}

/* The value list as offered: "All" first when allowed, then filtered. */
static size_t
offered(const struct dash_var *v, const char *filter, const char **out, size_t max)
{
	size_t n = 0;

	if (v->include_all && !*filter && n < max)
		out[n++] = ALL;
	for (size_t i = 0; i < v->nvalues && n < max; i++)
		if (!*filter || strstr(v->values[i], filter))
			out[n++] = v->values[i];
	return n;
}

static int
in_sel(const struct varpick *vp, const char *s)
{
	for (size_t i = 0; i < vp->nsel; i++)
		if (strcmp(vp->sel[i], s) == 0)
			return 1;
	return 0;
}

static void
load_sel(struct app *a)
{
	struct varpick *vp = a->vars;
	struct dash_var *v = pick_var(a);

	free_list(vp->sel, vp->nsel);
	vp->sel = NULL;
	vp->nsel = 0;
	vp->cur = vp->top = 0;
	vp->marked = 0;
	vp->filter[0] = '\0';
	if (!v)
		return;
	vp->sel = xcalloc(v->ncurrent + 1, sizeof *vp->sel);
	for (size_t i = 0; i < v->ncurrent; i++)
		vp->sel[vp->nsel++] = xstrdup(v->current[i]);
}

static int
next_var(struct app *a, int from, int dir)
{
	int n = (int)a->db->nvars;

	for (int k = 1; k <= n; k++) {
		int i = ((from + dir * k) % n + n) % n;
		if (selectable(&a->db->vars[i]))
			return i;
	}
	return -1;
}

void
vars_open(struct app *a)
{
	struct varpick *vp;
	int first = a->db->nvars ? next_var(a, -1, 1) : -1;

	if (first < 0) {
		app_message(a, 0, "this dashboard has no variables");
		return;
	}
	if (!a->vars)
		a->vars = xcalloc(1, sizeof(struct varpick));
	vp = a->vars;
	vp->var = first;
	load_sel(a);
	/* ask again: label values change (new pods, new services) */
	for (size_t i = 0; i < a->db->nvars; i++) {
		int si;
		char *k = var_key(a, &a->db->vars[i], &si);
		if (k)
			sched_force(&a->sched, k, ts_mono_ms());
		free(k);
	}
	a->mode = MODE_VARS;
	app_schedule(a);
	app_dirty(a);
}

void
vars_free(struct app *a)
{
	struct varpick *vp = a->vars;

	if (!vp)
		return;
	free_list(vp->sel, vp->nsel);
	free(vp);
	a->vars = NULL;
}

static void
toggle(struct varpick *vp, const char *s, int multi)
{
	if (!multi || strcmp(s, ALL) == 0) {
		free_list(vp->sel, vp->nsel);
		vp->sel = xcalloc(2, sizeof *vp->sel);
		vp->sel[0] = xstrdup(s);
		vp->nsel = 1;
		return;
	}
	for (size_t i = 0; i < vp->nsel; i++)
		if (strcmp(vp->sel[i], s) == 0) {
			free(vp->sel[i]);
			vp->sel[i] = vp->sel[--vp->nsel];
			return;
		}
	for (size_t i = 0; i < vp->nsel; i++)	/* a value replaces "All" */
		if (strcmp(vp->sel[i], ALL) == 0) {
			free(vp->sel[i]);
			vp->sel[i] = vp->sel[--vp->nsel];
			break;
		}
	vp->sel = xreallocarray(vp->sel, vp->nsel + 1, sizeof *vp->sel);
	vp->sel[vp->nsel++] = xstrdup(s);
}

static void
apply_sel(struct app *a)
{
	struct varpick *vp = a->vars;
	struct dash_var *v = pick_var(a);
	char **vals;
	int same = 1;

	if (!v || !vp->nsel)
		return;
	same = vp->nsel == v->ncurrent;
	for (size_t i = 0; same && i < vp->nsel; i++)
		same = strcmp(vp->sel[i], v->current[i]) == 0;
	if (same)
		return;
	vals = xcalloc(vp->nsel + 1, sizeof *vals);
	for (size_t i = 0; i < vp->nsel; i++)
		vals[i] = xstrdup(vp->sel[i]);
	set_current(v, vals, vp->nsel);
	app_message(a, 0, "$%s = %s%s", v->name, strcmp(vals[0], ALL) ? vals[0] : "All",
	    vp->nsel > 1 ? " (+more)" : "");
	vars_changed(a);
	app_schedule(a);
}

/* Up/down/page keys in the value list; 1 if key was one. */
static int
move_cursor(struct varpick *vp, int key, size_t n)
{
	switch (key) {
	case K_DOWN: case CTRL_N:
		if (vp->cur + 1 < (int)n)
			vp->cur++;
		return 1;
	case K_UP: case CTRL_P:
		if (vp->cur > 0)
			vp->cur--;
		return 1;
	case K_PGDN:
		vp->cur = vp->cur + 10 < (int)n ? vp->cur + 10 : (int)n - 1;
		return 1;
	case K_PGUP:
		vp->cur = vp->cur > 10 ? vp->cur - 10 : 0;
		return 1;
	}
	return 0;
}

void
vars_key(struct app *a, int key)
{
	struct varpick *vp = a->vars;
	struct dash_var *v = pick_var(a);
	const char **list;
	size_t n, fl;

	if (!v) {
		a->mode = MODE_NORMAL;
		return;
	}
	list = xcalloc(v->nvalues + 2, sizeof *list);
	n = offered(v, vp->filter, list, v->nvalues + 2);
	fl = strlen(vp->filter);
	if (move_cursor(vp, key, n))
		key = 0;
	switch (key) {
	case 0:
		break;
	case K_ESC: case K_CTRL_C:
		a->mode = MODE_NORMAL;
		break;
	case K_TAB: case K_BTAB: case K_RIGHT: case K_LEFT: {
		int nv = next_var(a, vp->var, key == K_TAB || key == K_RIGHT ? 1 : -1);
		if (nv >= 0 && nv != vp->var) {
			vp->var = nv;
			load_sel(a);
		}
		break;
	}
	case ' ':
		if (n && vp->cur < (int)n) {
			toggle(vp, list[vp->cur], v->multi);
			vp->marked = 1;
		}
		break;
	case K_ENTER: case '\r':
		if (n && vp->cur < (int)n && (!v->multi || !vp->marked || !vp->nsel))
			toggle(vp, list[vp->cur], 0);
		apply_sel(a);
		a->mode = MODE_NORMAL;
		break;
	case K_BACKSPACE: case 127: case 8:
		if (fl)
			vp->filter[fl - 1] = '\0';
		vp->cur = 0;
		break;
	default:
		if (key > ' ' && key < 0x7f && fl + 1 < sizeof vp->filter) {
			vp->filter[fl] = (char)key;
			vp->filter[fl + 1] = '\0';
			vp->cur = 0;
		}
	}
	if (vp->cur < 0)
		vp->cur = 0;
	free(list);
	app_dirty(a);
}

/* Why the list is empty: the filter, the query's error, or no answer yet. */
static void
empty_reason(struct app *a, const struct dash_var *v, struct canvas *in)
{
	struct qview q;
	int si;
	char *k = var_key(a, v, &si);
	struct text_opts o = { .role = ROLE_ERROR };

	memset(&q, 0, sizeof q);
	if (k)
		store_status(a->store, k, app_now(a), &q);
	free(k);
	if (v->nvalues)
		canvas_str(in, 2, 2, in->w - 2, "no value matches the filter", ROLE_DIM, 0);
	else if (q.state == QS_ERROR && q.last && q.last->error)
		canvas_text(in, 2, 2, in->w - 2, q.last->error, strlen(q.last->error), &o, NULL);
	else
		canvas_str(in, 2, 2, in->w - 2, strcmp(v->type, "query") == 0 && !v->query ?
		    "the variable has no query" : "no values yet: its query has not answered",
		    ROLE_DIM, 0);
}

void
vars_render(struct app *a, struct canvas *cv)
{
	struct varpick *vp = a->vars;
	struct dash_var *v = pick_var(a);
	int w = cv->w - 4 < 70 ? cv->w - 4 : 70, h = cv->h - 4 < 24 ? cv->h - 4 : 24;
	struct rect r = { (cv->w - w) / 2, (cv->h - h) / 2, w, h };
	struct canvas in;
	const char **list;
	size_t n;
	int x = 0, rows;

	if (!v || w < 20 || h < 6)
		return;
	canvas_fill(cv, r, ' ', ROLE_HELP, 0);
	canvas_box(cv, r, ROLE_FOCUS, 0, a->ascii);
	canvas_str(cv, r.x + 2, r.y, w - 4, " variables ", ROLE_FOCUS, CA_BOLD);
	canvas_str_right(cv, r.x + w - 2, r.y + h - 1, " \xe2\x86\x91\xe2\x86\x93 Enter Space Tab, type "
	    "to filter, Esc ", ROLE_FOCUS, 0);
	in = canvas_sub(cv, (struct rect){ r.x + 2, r.y + 1, w - 4, h - 2 });
	for (size_t i = 0; i < a->db->nvars && x < in.w; i++) {
		const struct dash_var *o = &a->db->vars[i];
		if (!selectable(o))
			continue;
		x += canvas_printf(&in, x, 0, in.w - x, (int)i == vp->var ? ROLE_SELECTION : ROLE_HELP,
		    (int)i == vp->var ? CA_BOLD : 0, " $%s ", o->name) + 1;
	}
	canvas_printf(&in, 0, 1, in.w, ROLE_DIM, 0, "filter: %s%s", vp->filter,
	    v->multi ? "   (multi-value: Space marks, Enter applies)" : "");
	list = xcalloc(v->nvalues + 2, sizeof *list);
	n = offered(v, vp->filter, list, v->nvalues + 2);
	rows = in.h - 2;
	if (vp->cur >= (int)n)
		vp->cur = n ? (int)n - 1 : 0;
	if (vp->cur < vp->top)
		vp->top = vp->cur;
	if (rows > 0 && vp->cur >= vp->top + rows)
		vp->top = vp->cur - rows + 1;
	if (!n)
		empty_reason(a, v, &in);
	for (int i = 0; i < rows && (size_t)vp->top + (size_t)i < n; i++) {
		const char *val = list[vp->top + i];
		int cur = vp->top + i == vp->cur, on = in_sel(vp, val);
		struct text_opts o = { .role = cur ? ROLE_SELECTION : ROLE_HELP, .ellipsis = 1 };
		if (cur)
			canvas_fill(&in, (struct rect){ 0, 2 + i, in.w, 1 }, ' ', ROLE_SELECTION, 0);
		canvas_str(&in, 0, 2 + i, 4, on ? (a->ascii ? "[x]" : "[\xe2\x9c\x93]") : "[ ]",
		    cur ? ROLE_SELECTION : ROLE_HELP, 0);
		if (strcmp(val, ALL) == 0)
			canvas_str(&in, 4, 2 + i, in.w - 4, "All", o.role, CA_BOLD);
		else
			canvas_text(&in, 4, 2 + i, in.w - 4, val, strlen(val), &o, NULL);
	}
	free(list);
}
