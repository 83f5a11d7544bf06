/* cmdline: ':' commands, as a table, and '/' search dispatch. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/svcview.h"
#include "tui/term.h"
#include "widgets/tracelink.h"


struct command {
	const char	*name;
	const char	*alias;
	const char	*args;
	const char	*help;
	void		(*run)(struct app *a, const char *arg);
};

static void
cmd_quit(struct app *a, const char *arg)
{
	(void)arg;
	a->quit = 1;
}

static void
cmd_theme(struct app *a, const char *arg)
{
	struct theme t;
	struct diag dg;

	if (!*arg) {
		app_message(a, 0, "theme: %s", a->theme.name);
		return;
	}
	diag_init(&dg);
	if (theme_load(&t, arg, &dg) < 0) {
		app_message(a, 1, "%s", diag_first_error(&dg) ? diag_first_error(&dg) : "bad theme");
		theme_free(&t);
	} else {
		theme_free(&a->theme);
		a->theme = t;
		if (a->tty)
			term_colors(a);
		app_message(a, 0, "theme %s", arg);
		a->relayout = 1;
	}
	diag_free(&dg);
}

static void
cmd_range(struct app *a, const char *arg)
{
	tns d;

	if (ts_parse_duration(arg, &d) < 0 || d < NS_PER_S) {
		app_message(a, 1, "range: expected a duration such as 15m, 1h or 2d");
		return;
	}
	a->view.range = d;
	a->relayout = 1;
	sched_force(&a->sched, NULL, ts_mono_ms());
	app_schedule(a);
}

static void
cmd_refresh(struct app *a, const char *arg)
{
	tns d;

	if (*arg) {
		if (ts_parse_duration(arg, &d) < 0 || d < NS_PER_S) {
			app_message(a, 1, "refresh: expected a duration of at least 1s");
			return;
		}
		a->opt.refresh = d;
		a->relayout = 1;
	}
	sched_force(&a->sched, NULL, ts_mono_ms());
	app_schedule(a);
}

static void
cmd_help(struct app *a, const char *arg)
{
	(void)arg;
	a->mode = MODE_HELP;
	a->help_scroll = 0;
}

static void
cmd_log(struct app *a, const char *arg)
{
	(void)arg;
	a->mode = MODE_LOG;
	a->log_scroll = 0;
}

static void
cmd_utc(struct app *a, const char *arg)
{
	(void)arg;
	a->view.utc = !a->view.utc;
}

static void
cmd_live(struct app *a, const char *arg)
{
	(void)arg;
	view_go_live(&a->view);
	a->relayout = 1;
	sched_force(&a->sched, NULL, ts_mono_ms());
	app_schedule(a);
}

static void
cmd_goto(struct app *a, const char *arg)
{
	tns t;

	if (timeline_goto(a, arg))	/* a replay: move the virtual now */
		return;
	if (ts_parse_time(arg, app_now(a), a->view.utc, &t) < 0) {
		app_message(a, 1, "goto: expected a time such as 02:17, 2024-01-01T02:17:00Z or now-1h");
		return;
	}
	view_set_end(&a->view, t + a->view.range / 2);
	a->view.cursor = t;
	a->relayout = 1;
	sched_force(&a->sched, NULL, ts_mono_ms());
	app_schedule(a);
}

/* The import report (what a Grafana import converted) as a text view. */
static void
cmd_import_report(struct app *a, const char *arg)
{
	struct dash_panel cfg;
	cJSON *opts;

	(void)arg;
	if (!a->db->import_report) {
		app_message(a, 0, "this dashboard was not imported (see scry --convert)");
		return;
	}
	memset(&cfg, 0, sizeof cfg);
	if (!(opts = cJSON_CreateObject()) || !cJSON_AddStringToObject(opts, "content", a->db->import_report))
		fatal("out of memory (json)");
	cfg.type = (char *)"text";
	cfg.title = (char *)"import report";
	cfg.options = opts;
	cfg.decimals = -1;
	cfg.min = cfg.max = 0;
	cfg.parent_row = -1;
	cfg.w = GRID_COLS;
	cfg.h = 8;
	cfg.path = (char *)"import report";
	app_push(a, &cfg, "import report");
	cJSON_Delete(opts);
}

static void
cmd_note(struct app *a, const char *arg)
{
	if (!*arg) {
		notes_open_prompt(a);
		return;
	}
	notes_add(a, a->view.cursor != TNS_NONE ? a->view.cursor : app_now(a), arg, 0, NULL);
}

static void
cmd_write(struct app *a, const char *arg)
{
	notes_save(a, arg);
}

/* :export WHAT FILE for a widget's export op: the focused panel first,
 * then any panel on screen or pushed.  1 if some widget handled it. */
static int
export_widget(struct app *a, const char *what, const char *path)
{
	struct panel *cand[2 + 64];
	size_t n = 0;
	struct wctx c;
	char *err = NULL;

	if (app_focused(a))
		cand[n++] = app_focused(a);
	for (size_t i = 0; i < a->nov && n < 32; i++)
		cand[n++] = &a->ov[a->nov - 1 - i].panel;
	for (size_t i = 0; i < a->npanels && n < sizeof cand / sizeof *cand; i++)
		if (a->panels[i].visible)
			cand[n++] = &a->panels[i];
	app_wctx(a, &c, 1);
	for (size_t i = 0; i < n; i++) {
		int r;
		if (!cand[i]->cls || !cand[i]->cls->export)
			continue;
		if ((r = cand[i]->cls->export(cand[i], what, path, &c, &err)) < 0) {
			app_message(a, 1, "export %s: %s", what, err ? err : "failed");
			free(err);
			return 1;
		}
		if (r > 0)
			return 1;
	}
	return 0;
}

static void
cmd_export(struct app *a, const char *arg)
{
	char *err = NULL;

	if (strncmp(arg, "notes", 5) != 0 || (arg[5] && !isspace((unsigned char)arg[5]))) {
		char what[32], path[4096];
		if (sscanf(arg, "%31s %4095[^\n]", what, path) == 2 && export_widget(a, what, path))
			return;
		if (sscanf(arg, "%31s", what) == 1 && strcmp(what, "topology") == 0)
			app_message(a, 1, "export topology: %s", sscanf(arg, "%31s %4095[^\n]", what,
			    path) == 2 ? "no topology panel on the screen" :
			    "name the file (:export topology FILE.dot or FILE.txt)");
		else
			app_message(a, 1, "export: try :export notes FILE.md or :export topology FILE.dot");
		return;
	}
	arg += 5;
	while (isspace((unsigned char)*arg))
		arg++;
	if (!*arg) {
		app_message(a, 1, "export notes: name the Markdown file (:export notes FILE.md)");
		return;
	}
	if (notes_export(a, arg, &err) < 0) {
		app_message(a, 1, "%s", err);
		free(err);
		return;
	}
	app_message(a, 0, "wrote the incident notes to %s", arg);
}

/* :trace ID [SOURCE] opens the waterfall; :traces QUERY a search table. */
static void
cmd_trace(struct app *a, const char *arg)
{
	struct wctx c;
	char id[128], src[128];

	src[0] = '\0';
	if (sscanf(arg, "%127s %127s", id, src) < 1) {
		app_message(a, 1, "trace: expected a trace id (and optionally a source name)");
		return;
	}
	app_wctx(a, &c, 1);
	tracelink_open_trace(&c, src[0] ? src : NULL, id, "trace");
}

static void
cmd_traces(struct app *a, const char *arg)
{
	struct wctx c;

	app_wctx(a, &c, 1);
	tracelink_open_search(&c, NULL, arg, "trace search");
}

/* :service NAME opens the generated page of one service. */
static void
cmd_service(struct app *a, const char *arg)
{
	if (!*arg) {
		app_message(a, 1, "service: expected a service name (:service order)");
		return;
	}
	app_open_service(a, arg);
}

static const struct command commands[] = {
	{ "quit", "q", "", "quit scry", cmd_quit },
	{ "theme", NULL, "[NAME]", "switch theme (default, light, high-contrast, mono, terminal)", cmd_theme },
	{ "range", NULL, "DURATION", "set the time window (15m, 1h, 2d)", cmd_range },
	{ "refresh", NULL, "[DURATION]", "refresh now, or set the refresh interval", cmd_refresh },
	{ "goto", NULL, "TIME", "show the window around TIME and put the cursor there", cmd_goto },
	{ "live", NULL, "", "follow now again", cmd_live },
	{ "utc", NULL, "", "toggle UTC / local time", cmd_utc },
	{ "log", NULL, "", "show scry's own log", cmd_log },
	{ "import-report", NULL, "", "what the Grafana import converted, approximated or left out",
	    cmd_import_report },
	{ "note", NULL, "[TEXT]", "add a note at the time cursor (or now)", cmd_note },
	{ "w", "write", "[FILE]", "replay: save new notes into the recording (or a copy)", cmd_write },
	{ "export", NULL, "notes FILE", "write the incident notebook in Markdown (timeline, figures, screens)", cmd_export },
	{ "export", NULL, "topology FILE", "the topology snapshot: Graphviz DOT (.dot, .gv) or text", cmd_export },
	{ "trace", NULL, "ID [SOURCE]", "open the waterfall of a trace (Tempo or Jaeger)", cmd_trace },
	{ "traces", NULL, "[QUERY]", "search traces: TraceQL, tags, or a Jaeger service", cmd_traces },
	{ "service", NULL, "NAME", "open the generated page of a service (probes the sources; Esc back)",
	    cmd_service },
	{ "help", "h", "", "show the keys", cmd_help },
};

void
app_command(struct app *a, const char *line)
{
	char name[64];
	size_t n = 0;

	while (isspace((unsigned char)*line))
		line++;
	while (*line && !isspace((unsigned char)*line) && n < sizeof name - 1)
		name[n++] = *line++;
	name[n] = '\0';
	while (isspace((unsigned char)*line))
		line++;
	if (!n)
		return;
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0 ||
		    (commands[i].alias && strcmp(commands[i].alias, name) == 0)) {
			commands[i].run(a, line);
			app_dirty(a);
			return;
		}
	app_message(a, 1, "unknown command ':%s' (try :help)", name);
}

void
app_search(struct app *a, const char *pattern)
{
	struct panel *p = app_focused(a);
	struct wctx c;
	char *err = NULL;

	if (!*pattern)
		return;
	if (!p || !p->cls || !p->cls->search) {
		app_message(a, 1, "this panel has nothing to search");
		return;
	}
	app_wctx(a, &c, 1);
	if (p->cls->search(p, pattern, &c, &err) < 0) {
		app_message(a, 1, "%s", err ? err : "search failed");
		free(err);
	}
	app_dirty(a);
}

void
app_widget_prompt(struct app *a, int kind, const char *text)
{
	struct panel *p = app_focused(a);
	struct wctx c;
	char *err = NULL;

	if (!p || !p->cls || !p->cls->prompt)
		return;
	app_wctx(a, &c, 1);
	if (p->cls->prompt(p, kind, text, &c, &err) < 0) {
		app_message(a, 1, "%s", err ? err : "invalid input");
		free(err);
	}
	app_dirty(a);
}

/* For --help and the man page. */
void cmdline_print_help(FILE *f);
void
cmdline_print_help(FILE *f)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  :%-8s %-12s %s\n", commands[i].name, commands[i].args, commands[i].help);
}
