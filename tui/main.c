/* main: command line, the three ways to run (--check, --snapshot, the
 * terminal), and the terminal main loop with its frame cap. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/grafana.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/recformat.h"
#include "core/recread.h"
#include "core/secret.h"
#include "core/xalloc.h"
#include "sources/replay.h"
#include "tui/app.h"
#include "tui/signals.h"
#include "tui/snapshot.h"
#include "tui/svcview.h"
#include "tui/term.h"

void cmdline_print_help(FILE *f);

enum {
	OPT_JAEGER = 256, OPT_CONTEXT, OPT_KUBECONFIG, OPT_THEME, OPT_RANGE, OPT_REFRESH,
	OPT_RECORD, OPT_REPLAY, OPT_SNAPSHOT, OPT_SIZE, OPT_AT, OPT_COLOR, OPT_CHECK,
	OPT_VERSION, OPT_LOG, OPT_UTC, OPT_MOUSE, OPT_MAXFPS, OPT_GLYPHS, OPT_TIMEOUT, OPT_DEBUG,
	OPT_CONVERT, OPT_MAPDS, OPT_GRAFANA_DS, OPT_SLO,
	OPT_REQTIMEOUT,
	OPT_LOGBUF,
	OPT_SERVICE,
};

static const struct option longopts[] = {
	{ "prometheus", required_argument, NULL, 'p' },
	{ "loki", required_argument, NULL, 'l' },
	{ "tempo", required_argument, NULL, 't' },
	{ "jaeger", required_argument, NULL, OPT_JAEGER },
	{ "context", required_argument, NULL, OPT_CONTEXT },
	{ "namespace", required_argument, NULL, 'n' },
	{ "all-namespaces", no_argument, NULL, 'A' },
	{ "kubeconfig", required_argument, NULL, OPT_KUBECONFIG },
	{ "request-timeout", required_argument, NULL, OPT_REQTIMEOUT },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "range", required_argument, NULL, OPT_RANGE },
	{ "refresh", required_argument, NULL, OPT_REFRESH },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "snapshot", no_argument, NULL, OPT_SNAPSHOT },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "at", required_argument, NULL, OPT_AT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "utc", no_argument, NULL, OPT_UTC },
	{ "mouse", no_argument, NULL, OPT_MOUSE },
	{ "max-fps", required_argument, NULL, OPT_MAXFPS },
	{ "glyphs", required_argument, NULL, OPT_GLYPHS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "convert", required_argument, NULL, OPT_CONVERT },
	{ "map-datasource", required_argument, NULL, OPT_MAPDS },
	{ "grafana-datasources", required_argument, NULL, OPT_GRAFANA_DS },
	{ "slo", required_argument, NULL, OPT_SLO },
	{ "log-buffer", required_argument, NULL, OPT_LOGBUF },
	{ "service", required_argument, NULL, OPT_SERVICE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *f)
{
	fputs("usage: scry [options] [DASHBOARD]\n"
	    "       scry --check DASHBOARD\n"
	    "       scry --convert GRAFANA.json > DASHBOARD.json\n"
	    "       scry --snapshot [--size COLSxROWS] [--at TIME] [--color WHEN] [DASHBOARD]\n"
	    "       scry --record FILE.scry [options] [DASHBOARD]\n"
	    "       scry --replay FILE.scry [--at TIME] [--snapshot ...] [DASHBOARD]\n"
	    "       scry --check FILE.scry\n"
	    "       scry --service NAME [options] [DASHBOARD]\n"
	    "DASHBOARD is a scry or Grafana dashboard file, or a NAME looked up as\n"
	    "dashboards/NAME.json in $XDG_CONFIG_HOME/scry, beside the binary and in\n"
	    SCRY_DATADIR ".\n"
	    "\n"
	    "A terminal incident cockpit: Prometheus graphs, Loki logs, Kubernetes state,\n"
	    "service topology and traces on one screen, live or replayed.\n"
	    "\n"
	    "Sources (URLs only; credentials come from files or the environment):\n"
	    "  -p, --prometheus URL   Prometheus-compatible API (also SCRY_PROMETHEUS_URL;\n"
	    "                         a bearer token file in SCRY_PROMETHEUS_TOKEN_FILE)\n"
	    "  -l, --loki URL         Loki (also SCRY_LOKI_URL; token: SCRY_LOKI_TOKEN_FILE)\n"
	    "  -t, --tempo URL        Tempo (also SCRY_TEMPO_URL)\n"
	    "      --jaeger URL       Jaeger query service (also SCRY_JAEGER_URL)\n"
	    "      --context NAME     kubeconfig context for kubectl sources\n"
	    "  -n, --namespace NS     namespace for kubectl sources\n"
	    "  -A, --all-namespaces   every namespace for kubectl sources\n"
	    "      --kubeconfig FILE  kubeconfig for kubectl sources (your own kubectl runs;\n"
	    "                         panels: pods, events; Enter on a pod: detail, l: logs)\n"
	    "      --request-timeout DURATION  kubectl's request timeout (default 15s)\n"
	    "Display:\n"
	    "      --theme NAME       default, light, high-contrast, mono, terminal (SCRY_THEME)\n"
	    "      --range DURATION   time window, e.g. 15m, 1h, 2d (default: the dashboard's)\n"
	    "      --refresh DURATION refresh interval for every panel\n"
	    "      --at TIME          fix the window end (RFC3339, unix seconds, HH:MM)\n"
	    "      --utc              show times in UTC\n"
	    "      --color WHEN       auto, always or never (NO_COLOR is honoured)\n"
	    "      --glyphs SET       braille, block or ascii (default: by locale)\n"
	    "      --max-fps N        cap on redraws per second (default 30)\n"
	    "      --mouse            enable the mouse (off by default)\n"
	    "      --log-buffer SIZE  memory for log lines, e.g. 64M, 1G (default 256M)\n"
	    "Modes:\n"
	    "      --check FILE       validate a dashboard or a recording; exit 0 (ok) or 1\n"
	    "      --snapshot         print one frame as text (or ANSI) and exit\n"
	    "      --size COLSxROWS   snapshot size (default 120x40)\n"
	    "      --timeout DURATION how long --snapshot waits for panels (default 15s)\n"
	    "      --record FILE      record what scry receives (and your notes) into a new\n"
	    "                         file (mode 0600; see scry-recording(5))\n"
	    "      --replay FILE      replay a recording with the dashboard it carries (or the\n"
	    "                         one given); --at TIME starts there (02:17, +10m, now-5m)\n"
	    "      --log FILE         write scry's own log to FILE (mode 0600; also SCRY_LOG)\n"
	    "      --service NAME     open the generated page of one service: the sources are\n"
	    "                         probed (Istio, OpenTelemetry, Prometheus names; Loki\n"
	    "                         labels; pods) for RED graphs, edges, pods, logs, SLOs;\n"
	    "                         Esc shows the dashboard under it (also :service NAME)\n"
	    "Imports (Grafana dashboards open directly: scry grafana-dashboard.json):\n"
	    "      --convert FILE     print FILE (a Grafana dashboard) as a scry dashboard\n"
	    "      --map-datasource KEY=NAME\n"
	    "                         use scry source NAME for a Grafana data source uid,\n"
	    "                         name, $variable, type or \"-- Mixed --\" (repeatable)\n"
	    "      --grafana-datasources FILE\n"
	    "                         Grafana datasource provisioning (YAML): names, URLs,\n"
	    "                         Loki derived fields (trace links)\n"
	    "      --slo FILE         add an SLO panel per SLO in FILE (Sloth, OpenSLO or\n"
	    "                         scry YAML/JSON); alone, an SLO dashboard (repeatable)\n"
	    "      --debug            log debug messages too\n"
	    "      --version          print the version\n"
	    "  -h, --help             this help\n"
	    "\n"
	    "Commands (type ':' in the terminal):\n", f);
	cmdline_print_help(f);
	fputs("\nKeys: press '?' in the terminal; see scry(1).  Time: - + zoom, [ ] pan,\n"
	    "space pause, 0 live, < > cursor.  v chooses dashboard variables.\n"
	    "Graphs: e E jump to exemplars; Enter (zoomed) opens one's trace.  Enter on a\n"
	    "log line with a trace id: its waterfall.  Esc walks back every pivot.\n"
	    "Topology: J K select a service, f focuses every panel on it (Esc clears),\n"
	    "s freezes the snapshot to compare, :export topology FILE.dot (or .txt).\n"
	    "Dashboards: incident.json (built in; its last row holds the topology),\n"
	    "mesh.json (the topology over RED graphs, logs and pods), http.json,\n"
	    "kubernetes.json; see scry-dashboard(5).\n"
	    "Bare scry, with no source configured, replays the bundled demo incident\n"
	    "(dashboards/incident.scry); see THE DEMO INCIDENT in scry(1).\n", f);
}

static int
parse_size(const char *s, int *cols, int *rows)
{
	char *x;
	long c = strtol(s, &x, 10), r;

	if (x == s || (*x != 'x' && *x != 'X'))
		return -1;
	r = strtol(x + 1, &x, 10);
	if (*x || c < 1 || r < 1 || c > 2000 || r > 1000)
		return -1;
	*cols = (int)c;
	*rows = (int)r;
	return 0;
}

/* "256M", "1G", "64MiB", "100000" (bytes) */
static int
parse_bytes(const char *s, size_t *out)
{
	char *end;
	double v = strtod(s, &end);
	double mul = 1;

	if (end == s || v <= 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1024; end++; break;
	case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B')
		end++;
	if (*end || v * mul < 1024 * 1024 || v * mul > 64.0 * 1024 * 1024 * 1024)
		return -1;
	*out = (size_t)(v * mul);
	return 0;
}

static _Noreturn void
bad_arg(const char *opt, const char *val, const char *want)
{
	fprintf(stderr, "scry: %s: invalid value '%s' (%s)\n", opt, val, want);
	exit(1);
}

static void
parse_args(int argc, char **argv, struct options *o)
{
	int c;

	memset(o, 0, sizeof *o);
	o->at = TNS_NONE;
	o->max_fps = 30;
	while ((c = getopt_long(argc, argv, "p:l:t:n:Ah", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->prom_url = optarg; break;
		case 'l': o->loki_url = optarg; break;
		case 't': o->tempo_url = optarg; break;
		case OPT_JAEGER: o->jaeger_url = optarg; break;
		case OPT_CONTEXT: o->context = optarg; break;
		case 'n': o->namespace = optarg; break;
		case 'A': o->all_namespaces = 1; break;
		case OPT_KUBECONFIG: o->kubeconfig = optarg; break;
		case OPT_REQTIMEOUT: {
			tns d;
			if (ts_parse_duration(optarg, &d) < 0 || d < NS_PER_S)
				bad_arg("--request-timeout", optarg, "a duration of at least 1s");
			o->request_timeout = optarg;
			break;
		}
		case OPT_THEME: o->theme = optarg; break;
		case OPT_RANGE:
			if (ts_parse_duration(optarg, &o->range) < 0 || o->range < NS_PER_S)
				bad_arg("--range", optarg, "a duration such as 15m or 1h");
			break;
		case OPT_REFRESH:
			if (ts_parse_duration(optarg, &o->refresh) < 0 || o->refresh < NS_PER_S)
				bad_arg("--refresh", optarg, "a duration of at least 1s");
			break;
		case OPT_RECORD: o->record = optarg; break;
		case OPT_REPLAY: o->replay = optarg; break;
		case OPT_SNAPSHOT: o->snapshot = 1; break;
		case OPT_SIZE:
			if (parse_size(optarg, &o->cols, &o->rows) < 0)
				bad_arg("--size", optarg, "COLSxROWS such as 120x40");
			break;
		case OPT_AT:
			o->at_str = optarg;	/* a replay reads it against the recording */
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0) o->color = COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0) o->color = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0) o->color = COLOR_NEVER;
			else bad_arg("--color", optarg, "auto, always or never");
			break;
		case OPT_CHECK: o->check = optarg; break;
		case OPT_LOG: o->log_file = optarg; break;
		case OPT_UTC: o->utc = 1; break;
		case OPT_MOUSE: o->mouse = 1; break;
		case OPT_MAXFPS: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 1 || v > 240)
				bad_arg("--max-fps", optarg, "1 to 240");
			o->max_fps = (int)v;
			break;
		}
		case OPT_GLYPHS:
			if (strcmp(optarg, "braille") && strcmp(optarg, "block") && strcmp(optarg, "ascii"))
				bad_arg("--glyphs", optarg, "braille, block or ascii");
			o->glyphs = optarg;
			break;
		case OPT_TIMEOUT:
			if (ts_parse_duration(optarg, &o->timeout) < 0)
				bad_arg("--timeout", optarg, "a duration such as 10s");
			break;
		case OPT_DEBUG: o->debug = 1; break;
		case OPT_CONVERT: o->convert = optarg; break;
		case OPT_MAPDS:
			if (grafana_map_valid(optarg) < 0)
				bad_arg("--map-datasource", optarg, "KEY=NAME, e.g. P1809F7CD0C75ACF3=prometheus");
			if (o->ndsmap >= sizeof o->dsmap / sizeof *o->dsmap)
				bad_arg("--map-datasource", optarg, "at most 64 mappings");
			o->dsmap[o->ndsmap++] = optarg;
			break;
		case OPT_GRAFANA_DS: o->grafana_ds = optarg; break;
		case OPT_SLO:
			if (o->nslo >= sizeof o->slo / sizeof *o->slo)
				bad_arg("--slo", optarg, "at most 32 files");
			o->slo[o->nslo++] = optarg;
			break;
		case OPT_SERVICE: o->service = optarg; break;
		case OPT_LOGBUF:
			if (parse_bytes(optarg, &o->log_bytes) < 0)
				bad_arg("--log-buffer", optarg, "a size from 1M to 64G such as 512M");
			break;
		case OPT_VERSION:
			printf("scry %s\n", SCRY_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(1);
		}
	}
	/* after the loop: --utc decides how a time without a zone is read; a
	 * replay reads --at against the recording */
	if (o->at_str && !o->replay && ts_parse_time(o->at_str, ts_now(), o->utc, &o->at) < 0)
		bad_arg("--at", o->at_str, "RFC3339, unix seconds, now-1h or HH:MM");
	if (optind < argc)
		o->dashboard = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "scry: unexpected argument '%s'\n", argv[optind]);
		exit(1);
	}
}

/* Bare `scry` with nothing to watch live (no dashboard, no source on the
 * command line or in the environment, no mode) replays the bundled demo
 * incident, dashboards/incident.scry, when it is installed (man scry(1),
 * DEMO); without it the built-in dashboard says "no data source". */
static void
default_demo(struct options *o)
{
	static const char *const envs[] = { "SCRY_PROMETHEUS_URL", "SCRY_LOKI_URL",
		"SCRY_TEMPO_URL", "SCRY_JAEGER_URL", NULL };
	static char *path;
	const char *v;

	if (o->dashboard || o->replay || o->record || o->snapshot || o->check || o->convert ||
	    o->nslo || o->prom_url || o->loki_url || o->tempo_url || o->jaeger_url ||
	    o->context || o->namespace || o->kubeconfig || o->all_namespaces ||
	    o->request_timeout)
		return;
	for (size_t i = 0; envs[i]; i++)
		if ((v = getenv(envs[i])) && *v)
			return;
	if (!(path = paths_find_data("dashboards/incident.scry")))
		return;
	o->replay = path;
	o->demo = 1;
}

static int
is_recording(const char *path)
{
	char magic[8];
	FILE *f = fopen(path, "rb");
	int yes;

	if (!f)
		return 0;
	yes = fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, REC_MAGIC, 8) == 0;
	fclose(f);
	return yes;
}

/* --check FILE.scry: read every frame and record, replay it into a store
 * and compare every digest the recorder took. */
static int
run_check_recording(const char *path)
{
	char *err = NULL, a[40], b[40], d[32];
	struct recread *r = recread_open(path, &err);
	struct store *st;
	struct rec_verify v;
	int bad;

	if (!r) {
		fprintf(stderr, "scry: %s\n", err);
		free(err);
		return 1;
	}
	for (size_t i = 0; i < r->nwarn; i++)
		fprintf(stderr, "%s: %s\n", path, r->warn[i]);
	if (r->nwarn_total > r->nwarn)
		fprintf(stderr, "%s: ... and %llu more problems\n", path,
		    (unsigned long long)(r->nwarn_total - r->nwarn));
	st = store_new(NULL);
	bad = recread_verify(r, st, &v) < 0 || r->nwarn_total;
	if (v.first_problem[0])
		fprintf(stderr, "%s: %s\n", path, v.first_problem);
	ts_fmt_rfc3339(a, sizeof a, r->t_start);
	ts_fmt_rfc3339(b, sizeof b, r->t_end);
	ts_fmt_duration(d, sizeof d, r->t_end - r->t_start);
	fprintf(bad ? stderr : stdout, "%s: %s (%s to %s, %s; %zu chunks, %llu events, "
	    "%llu of %llu digests match%s)\n", path, bad ? "problems found" : "ok", a, b, d,
	    r->nchunks, (unsigned long long)v.events,
	    (unsigned long long)(v.digests - v.digest_mismatch), (unsigned long long)v.digests,
	    r->dropped ? "; some events were lost while recording" : "");
	if (v.digests_skipped)
		printf("%s: %llu digests were taken by a scry with another store layout; not compared\n",
		    path, (unsigned long long)v.digests_skipped);
	if (v.unknown)
		printf("%s: %llu events of kinds this scry does not know were skipped\n", path,
		    (unsigned long long)v.unknown);
	store_free(st);
	recread_free(r);
	return bad ? 1 : 0;
}

static int
run_check(const struct options *o)
{
	struct diag dg;
	struct dashboard *db;
	size_t warns = 0;
	int rc;

	if (is_recording(o->check))
		return run_check_recording(o->check);
	diag_init(&dg);
	db = app_open_dashboard(o, o->check, &dg);
	if (db) {
		sources_check(db, &dg);
		widgets_check(db, &dg);
	}
	for (size_t i = 0; i < dg.n; i++) {
		fprintf(stderr, "%s\n", dg.e[i].msg);
		warns += dg.e[i].sev == DIAG_WARN;
	}
	if (db && !dg.nerrors)
		printf("%s: ok (%zu panel%s, %zu source%s%s)\n", o->check, db->npanels,
		    db->npanels == 1 ? "" : "s", db->nsrc, db->nsrc == 1 ? "" : "s",
		    warns ? ", with warnings" : "");
	else
		fprintf(stderr, "%s: %zu error%s\n", o->check, dg.nerrors, dg.nerrors == 1 ? "" : "s");
	rc = db && !dg.nerrors ? 0 : 1;	/* read before diag_free clears it */
	dashboard_free(db);
	diag_free(&dg);
	return rc;
}

static int
run_convert(const struct options *o)
{
	struct diag dg;
	char *text;

	diag_init(&dg);
	text = app_convert_dashboard(o, &dg);
	for (size_t i = 0; i < dg.n; i++)
		fprintf(stderr, "%s\n", dg.e[i].msg);
	if (text) {
		fputs(text, stdout);
		fputc('\n', stdout);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "scry: --convert: write error\n");
			free(text);
			diag_free(&dg);
			return 1;
		}
		fprintf(stderr, "%s: converted; see \"import\".\"report\" in the output (or "
		    ":import-report)\n", o->convert ? o->convert : "SLO files");
	}
	free(text);
	diag_free(&dg);
	return text ? 0 : 1;
}

/* ------------------------------------------------------- terminal loop */

static struct app app;

static void
fatal_restore(void)
{
	term_close();
}

static void
on_input(void *ctx, int fd, int ev)
{
	struct app *a = ctx;
	int key;

	(void)fd;
	(void)ev;
	while (term_getkey(&key)) {
		if (key == K_RESIZE) {
			term_size(&a->cols, &a->rows);
			canvas_resize(a->cv, a->cols, a->rows);
			term_invalidate();
			a->relayout = 1;
			a->follow_focus = 1;
			app_dirty(a);
		}
		if (key == K_MOUSE && !term_mouse(&a->mouse_x, &a->mouse_y, &a->mouse_btn))
			continue;
		if (key)
			app_key(a, key);
		if (a->quit)
			return;
	}
}

static void
on_wake(void *ctx)
{
	struct app *a = ctx;
	int sig = signals_pending();

	if (sig) {
		a->quit = 1;
		a->quit_signal = sig;
	}
	/* a SIGWINCH poke: collect KEY_RESIZE (and any keys) now */
	on_input(a, 0, 0);
}

static void
tick(void *ctx)
{
	struct app *a = ctx;
	a->tick_timer = 0;
	app_dirty(a);
}

/* Idle means asleep: the next frame is timed only when the screen shows
 * something that changes by itself (an age, a live graph, a message that
 * expires); otherwise only input, data or a fetch timer wakes the loop. */
static void
arm_tick(struct app *a)
{
	int64_t now = ts_mono_ms(), delay = a->timed ? 1000 : -1;

	if (a->msg[0] && a->msg_until > now && (delay < 0 || a->msg_until - now + 1 < delay))
		delay = a->msg_until - now + 1;
	if (a->tick_timer)
		loop_cancel(a->loop, a->tick_timer);
	a->tick_timer = delay >= 0 ? loop_timer(a->loop, delay, tick, a) : 0;
}

static void
draw_frame(struct app *a)
{
	if (a->relayout) {
		app_layout(a);
		app_schedule(a);
	}
	if (a->repaint) {
		term_repaint();
		a->repaint = 0;
	}
	a->again = 0;
	app_render(a);
	term_blit(a);
	a->dirty = a->again;	/* a widget left work for the next frame */
	a->last_frame_ms = ts_mono_ms();
	a->frames++;
	arm_tick(a);
}

static int
run_tty(struct app *a)
{
	char *err = NULL;
	int64_t frame_ms = 1000 / a->opt.max_fps;

	if (term_open(a, &err) < 0) {
		fprintf(stderr, "scry: %s\n", err);
		free(err);
		return 1;
	}
	xalloc_set_fatal_hook(fatal_restore);
	a->tty = 1;
	if (a->rp)	/* seeking back never freezes the screen */
		replay_set_async(a->rp, 1);
	a->cv = canvas_new(a->cols, a->rows);
	loop_watch(a->loop, STDIN_FILENO, LOOP_IN, on_input, a);
	loop_on_wake(a->loop, on_wake, a);
	app_layout(a);
	app_schedule(a);
	while (!a->quit) {
		int64_t wait = -1;
		if (a->dirty) {
			int64_t since = ts_mono_ms() - a->last_frame_ms;
			if (since >= frame_ms)
				draw_frame(a);
			else
				wait = frame_ms - since;
		}
		if (!a->quit)
			loop_run_once(a->loop, a->dirty ? wait : -1);
	}
	term_close();
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	const char *logf;
	char *err = NULL;
	int rc;

	setlocale(LC_ALL, "");
	xalloc_tune();
	signals_no_core();
	parse_args(argc, argv, &o);
	default_demo(&o);
	logf = o.log_file ? o.log_file : getenv("SCRY_LOG");
	if (logf && *logf && log_open_file(logf, &err) < 0) {
		fprintf(stderr, "scry: --log: %s\n", err);
		return 1;
	}
	if (o.debug)
		log_set_level(LOG_DEBUG);
	if (o.check)
		return run_check(&o);
	if (o.convert)
		return run_convert(&o);
	if (app_init(&app, &o, &err) < 0) {
		fprintf(stderr, "scry: %s\n", err);
		free(err);
		return 1;
	}
	signals_install(app.loop);
	if (o.service && app_open_service(&app, o.service) < 0) {
		fprintf(stderr, "scry: --service: %s\n", app.msg);
		signals_detach();
		app_free(&app);
		return 1;
	}
	if (o.snapshot)
		rc = snapshot_run(&app, stdout);
	else
		rc = run_tty(&app);
	signals_detach();
	if (app.quit_signal) {
		int sig = app.quit_signal;
		app_free(&app);
		secret_wipe_all();
		signals_reraise(sig);
	}
	app_free(&app);
	secret_wipe_all();
	log_close();
	return rc;
}
