/* recording: size, write cost and seek time of a 1-hour recording, through
 * the real recorder and the real replay (bench/recording.sh runs it).
 *
 *   recording write OUT.scry DASHBOARD_OUT.json
 *   recording replay OUT.scry
 *
 * `write` synthesises one hour of the seed incident as the sources deliver
 * it and records it as the app does (tui/app.c: rec_event() for every
 * event, then store_apply(); a store digest every 30 s; the open chunk
 * handed to the writer when due): 10 graph panels refreshed every 15 s
 * (tests/tools/incident.h: 1 h range results, statuses, alert snapshots)
 * and one logs panel fed as sources/loki.c feeds it: a history page of
 * 1,000 lines when the pane opens, then EV_LOGS tail frames of 100 lines
 * every 0.5 s (200 lines/s, 5 streams, random 32-hex trace ids that do not
 * compress).  It also writes the same hour with only the logs and with
 * only the panels, for the share of each, and at eight moments keeps a
 * hash of the log store and the store digest for `replay` to compare.
 *
 * `replay` opens the recording with sources/replay.c and seeks with
 * replay_seek(): every seek leaves the store exactly as it was at the
 * target time (logs included), and is checked to do so at those eight
 * moments.  Then the terminal's asynchronous backward seeks.
 *
 * Both print Markdown table rows on stdout; figures are wall-clock times
 * and, where the machine is shared, the CPU time of the seeking thread. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "core/digest.h"
#include "core/logs.h"
#include "core/logstore.h"
#include "core/loop.h"
#include "core/recorder.h"
#include "core/recread.h"
#include "core/store.h"
#include "sources/replay.h"
#include "tests/tools/incident.h"

#define PANELS		10
#define LINES_PER_S	200
#define FRAME_MS	500
#define STREAMS		5
#define HISTORY_LINES	1000
#define HOUR		(3600 * NS_PER_S)
#define T_START		(INC_T0 - 30 * 60 * NS_PER_S)	/* 01:47: the incident in the middle */
#define NCHECK		8
#define NSEEK		200
#define LOG_EXPR	"{namespace=~\"shop|istio-system\"}"

/* ------------------------------------------------------------ clocks */

static double
clk(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double mono(void) { return clk(CLOCK_MONOTONIC); }
static double tcpu(void) { return clk(CLOCK_THREAD_CPUTIME_ID); }
static double pcpu(void) { return clk(CLOCK_PROCESS_CPUTIME_ID); }

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Percentile p (0..100) of n sorted values. */
static double
pct(const double *v, size_t n, int p)
{
	size_t i = n * (size_t)p / 100;
	return n ? v[i < n ? i : n - 1] : 0;
}

/* Peak resident set (VmHWM) in MB. */
static double
peak_rss_mb(void)
{
	char line[256];
	long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb / 1024.0;
}

/* ---------------------------------------------------------- log lines */

static uint64_t rng;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const pods[STREAMS] = { "order-6b7d9c5f8-x2k4p", "order-6b7d9c5f8-q8w2n",
	"payment-7c9f8d6b5-h4j9k", "frontend-5f6d7c8b9-abcde", "istiod-7d8f9c6b5-zz1xy" };

/* One realistic line of stream s at t (trace ids are random). */
static void
log_line(struct buf *b, tns t, int s)
{
	char tid[33];
	static const char hex[] = "0123456789abcdef";
	int bad = inc_level(t) > 0.5;

	for (int i = 0; i < 32; i++)
		tid[i] = hex[rnd() & 15];
	tid[32] = '\0';
	buf_reset(b);
	if (s < 2 && bad)
		buf_printf(b, "level=error msg=\"upstream connect error or disconnect/reset before "
		    "headers. reset reason: overflow\" upstream=payment trace_id=%s duration_ms=%d",
		    tid, 2700 + (int)(rnd() % 300));
	else if (s < 2)
		buf_printf(b, "level=info msg=\"order placed\" order_id=%llu trace_id=%s duration_ms=%d",
		    (unsigned long long)(rnd() % 1000000), tid, 40 + (int)(rnd() % 90));
	else if (s == 2)
		buf_printf(b, "level=warn msg=\"TLS offload not configured; falling back\" conn=%llu",
		    (unsigned long long)(rnd() % 100000));
	else if (s == 3)
		buf_printf(b, "{\"level\":\"%s\",\"msg\":\"%s\",\"traceId\":\"%s\",\"path\":\"/checkout\","
		    "\"latency_ms\":%d}", bad ? "error" : "info", bad ? "checkout failed" : "checkout ok",
		    tid, 100 + (int)(rnd() % 8000));
	else
		buf_printf(b, "2026-11-26T02:17:00.000000Z\tinfo\tads\tpush debounce stable[%llu] 1 "
		    "for config ServiceEntry", (unsigned long long)(rnd() % 10000));
}

/* The streams of a batch, as lokiparse adds them. */
static void
add_streams(struct ev_logs *e)
{
	for (int s = 0; s < STREAMS; s++) {
		struct labelset ls;
		labels_init(&ls);
		labels_set(&ls, "app", s < 2 ? "order" : s == 2 ? "payment" : s == 3 ? "frontend" : "istiod");
		labels_set(&ls, "namespace", s == 4 ? "istio-system" : "shop");
		labels_set(&ls, "pod", pods[s]);
		ev_logs_stream(e, &ls);
	}
}

static int
tcmp(const void *a, const void *b)
{
	tns x = *(const tns *)a, y = *(const tns *)b;
	return x < y ? -1 : x > y;
}

/* n lines over [from, from + span): each stream's entries in time order
 * (descending for a backward history page), streams one after another. */
static struct ev_logs *
log_batch(enum logs_origin o, tns from, tns span, int n)
{
	struct ev_logs *e = ev_logs_new(o);
	struct buf line;
	int per[STREAMS] = { 0 };

	buf_init(&line, 4096);
	add_streams(e);
	for (int i = 0; i < n; i++)
		per[rnd() % STREAMS]++;
	for (int s = 0; s < STREAMS; s++) {
		tns *ts = xcalloc((size_t)per[s] + 1, sizeof *ts);
		for (int k = 0; k < per[s]; k++)
			ts[k] = from + (tns)(rnd() % (uint64_t)span);
		qsort(ts, (size_t)per[s], sizeof *ts, tcmp);
		for (int k = 0; k < per[s]; k++) {
			tns t = ts[o == LO_HISTORY ? per[s] - 1 - k : k];
			log_line(&line, t, s);
			ev_logs_add(e, t, (uint32_t)s, line.data, line.len);
		}
		free(ts);
	}
	buf_free(&line);
	return e;
}

/* ---------------------------------------------------------- dashboard */

static char *
dashboard_json(void)
{
	static const char *const exprs[] = {
	    "histogram_quantile(0.99, sum by (le, destination_service) (rate(istio_request_duration_milliseconds_bucket{reporter=\\\"destination\\\"}[$__rate_interval])))",
	    "sum by (destination_service) (rate(istio_requests_total{reporter=\\\"destination\\\",response_code=~\\\"5..\\\"}[$__rate_interval])) / sum by (destination_service) (rate(istio_requests_total{reporter=\\\"destination\\\"}[$__rate_interval]))",
	    "sum by (destination_service) (rate(istio_requests_total{reporter=\\\"destination\\\"}[$__rate_interval]))",
	    "sum by (cluster_name) (envoy_cluster_upstream_cx_active)" };
	struct buf b;

	buf_init(&b, 1u << 20);
	buf_puts(&b, "{\"title\":\"bench: 10 graphs and the logs\",\"range\":\"1h\",\"refresh\":\"15s\","
	    "\"sources\":{\"prometheus\":{\"type\":\"prometheus\"},\"loki\":{\"type\":\"loki\"}},"
	    "\"panels\":[");
	for (int i = 0; i < PANELS; i++)
		buf_printf(&b, "{\"type\":\"graph\",\"title\":\"panel %d\",\"query\":\"%s # panel %d\","
		    "\"source\":\"prometheus\",\"grid\":{\"x\":%d,\"y\":%d,\"w\":12,\"h\":5}},", i,
		    exprs[i % 4], i, (i % 2) * 12, (i / 2) * 5);
	buf_puts(&b, "{\"type\":\"logs\",\"title\":\"logs\",\"source\":\"loki\",\"query\":"
	    "\"{namespace=~\\\"shop|istio-system\\\"}\",\"grid\":{\"x\":0,\"y\":25,\"w\":24,\"h\":10}}]}");
	return buf_steal(&b, NULL);
}

/* -------------------------------------------------------------- write */

enum { W_PANELS = 1, W_LOGS = 2 };

struct w {
	struct recorder	*rec;
	struct store	*st;
	double		 ui;		/* UI-thread seconds in the recorder */
	double		 ui_logs;	/* ... of which rec_event() of EV_LOGS */
	uint64_t	 lines, frames, events;
};

/* What app_emit() does: record, then apply. */
static void
emit(void *p, tns rtime, struct event *ev)
{
	struct w *w = p;
	double a = tcpu();

	rec_event(w->rec, rtime, ev);
	a = tcpu() - a;
	w->ui += a;
	w->events++;
	if (ev->kind == EV_LOGS)
		w->ui_logs += a;
	store_apply(w->st, ev);
	event_free(ev);
}

static ssize_t
hash_write(void *c, const char *p, size_t n)
{
	uint64_t *h = c;
	*h = digest_bytes(*h, p, n);
	return (ssize_t)n;
}

/* A hash of every log line held (key, time, stream, text, gap markers),
 * as logstore_dump() writes them, one unbuffered write per line. */
static uint64_t
logs_hash(const struct store *st)
{
	uint64_t h = 0;
	FILE *f = fopencookie(&h, "w", (cookie_io_functions_t){ .write = hash_write });

	setvbuf(f, NULL, _IONBF, 0);
	logstore_dump(store_logstore(st), f);
	fclose(f);
	return h;
}

struct check {
	tns		t;
	uint64_t	digest, logs;
};

/* The recorder as tui/app.c creates it. */
static struct recorder *
open_rec(const char *path, const char *text)
{
	struct rec_header h;
	struct rec_source_info si[2] = { { "prometheus", "prometheus", NULL, 0 },
	    { "loki", "loki", NULL, 0 } };
	/* the bench runs ~150x faster than the clock: a queue that holds the
	 * whole hour, so no chunk is dropped (the app's 64 MiB is for 1x) */
	struct rec_opts o = { .queue_bytes = 1u << 30 };
	struct recorder *rec;
	char *err = NULL;

	memset(&h, 0, sizeof h);
	h.dash_name = "bench.json";
	h.dash_text = text;
	h.src = si;
	h.nsrc = 2;
	h.created = T_START;
	h.range = HOUR;
	unlink(path);
	if (!(rec = rec_create(path, &h, &o, &err)))
		fprintf(stderr, "recording: %s\n", err);
	return rec;
}

/* The pane opens: one history page (its limit), then a tail frame every
 * FRAME_MS. */
static void
logs_at(struct w *w, tns t, const char *key)
{
	struct ev_logs *e;
	int n = LINES_PER_S * FRAME_MS / 1000;

	if (t == T_START) {
		e = log_batch(LO_HISTORY, T_START - 5 * NS_PER_S, 5 * NS_PER_S, HISTORY_LINES);
		e->start = T_START - HOUR;
		e->end = T_START;
		n = HISTORY_LINES;
	} else {
		e = log_batch(LO_TAIL, t - FRAME_MS * NS_PER_MS, FRAME_MS * NS_PER_MS, n);
		w->frames++;
	}
	emit(w, t + 2 * NS_PER_MS, event_new(EV_LOGS, t + 2 * NS_PER_MS, key, e));
	w->lines += (uint64_t)n;
}

/* The app's 1 s recording timer: a digest every 30 s, the chunk when due. */
static void
rec_timer(struct w *w, tns now, tns *digest_at)
{
	double a = tcpu();

	if (rec_due(w->rec, now)) {
		if (now - *digest_at >= 30 * NS_PER_S) {
			rec_digest(w->rec, now, store_digest(w->st, now));
			*digest_at = now;
		}
		rec_flush(w->rec);
	}
	w->ui += tcpu() - a;
}

static int
close_rec(struct w *w, tns end)
{
	struct rec_stats rs;
	char *err = NULL;

	rec_digest(w->rec, end, store_digest(w->st, end));
	rec_stats(w->rec, &rs);
	if (rs.dropped) {
		fprintf(stderr, "recording: the recorder dropped %llu events\n",
		    (unsigned long long)rs.dropped);
		return -1;
	}
	if (rec_close(w->rec, end, &err) < 0) {
		fprintf(stderr, "recording: %s\n", err);
		return -1;
	}
	return 0;
}

/* Record the hour; returns the file size or -1.  With chk: the store's
 * digest and log hash at NCHECK moments. */
static long long
write_hour(const char *path, struct dashboard *db, const char *text, int what,
    struct check *chk, struct w *w)
{
	struct inc_gen ig;
	char *key = qkey_make("loki", "logs", LOG_EXPR);
	tns t, digest_at = T_START;
	int nchk = 0, rc;
	struct stat sb;

	rng = 0x2545f4914f6cdd1dULL;
	if (!(w->rec = open_rec(path, text)))
		return -1;
	inc_init(&ig, db);
	w->st = store_new(NULL);
	for (t = T_START; t <= T_START + HOUR; t += FRAME_MS * NS_PER_MS) {
		if ((what & W_PANELS) && t > T_START && (t - T_START) % (15 * NS_PER_S) == 0)
			inc_poll(&ig, t, emit, w);
		if (what & W_LOGS)
			logs_at(w, t, key);
		rec_timer(w, t + 250 * NS_PER_MS, &digest_at);
		if (chk && nchk < NCHECK && t - T_START == (tns)(nchk + 1) * HOUR / (NCHECK + 1)) {
			chk[nchk].t = t + 250 * NS_PER_MS;
			chk[nchk].digest = store_digest(w->st, chk[nchk].t);
			chk[nchk++].logs = logs_hash(w->st);
		}
	}
	rc = close_rec(w, t);
	store_free(w->st);
	inc_free(&ig);
	free(key);
	return rc < 0 || stat(path, &sb) < 0 ? -1 : (long long)sb.st_size;
}

/* Bytes of events before compression (sum of the chunks' raw sizes). */
static long long
raw_bytes(const char *path)
{
	char *err = NULL;
	struct recread *r = recread_open(path, &err);
	long long n = 0;

	if (!r) {
		fprintf(stderr, "recording: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < r->nchunks; i++)
		n += r->chunks[i].h.raw_len;
	recread_free(r);
	return n;
}

static int
save_checks(const char *out, const struct check *chk)
{
	char side[4096];
	FILE *f;

	snprintf(side, sizeof side, "%s.check", out);
	if (!(f = fopen(side, "w")))
		return -1;
	for (int i = 0; i < NCHECK; i++)
		fprintf(f, "%lld %llu %llu\n", (long long)chk[i].t, (unsigned long long)chk[i].digest,
		    (unsigned long long)chk[i].logs);
	return fclose(f);
}

static int
cmd_write(const char *out, const char *dash_out)
{
	struct diag dg;
	struct dashboard *db;
	struct w all = { 0 }, logs = { 0 }, panels = { 0 };
	struct check chk[NCHECK];
	char *json = dashboard_json(), *text, side[4096];
	long long sz, szl, szp, raw;
	double w0, wall, cpu0, main0, writer;
	FILE *f;

	if (!(f = fopen(dash_out, "w")) || fputs(json, f) < 0 || fclose(f) != 0)
		return 1;
	diag_init(&dg);
	if (!(db = dashboard_parse(json, strlen(json), "bench.json", &dg))) {
		fprintf(stderr, "bench dashboard: %s\n", diag_first_error(&dg));
		return 1;
	}
	text = rec_dashboard_text(db);
	w0 = mono();
	cpu0 = pcpu();
	main0 = tcpu();
	if ((sz = write_hour(out, db, text, W_PANELS | W_LOGS, chk, &all)) < 0)
		return 1;
	wall = mono() - w0;
	writer = (pcpu() - cpu0) - (tcpu() - main0);
	raw = raw_bytes(out);
	snprintf(side, sizeof side, "%s.logs", out);
	szl = write_hour(side, db, text, W_LOGS, NULL, &logs);
	unlink(side);
	snprintf(side, sizeof side, "%s.panels", out);
	szp = write_hour(side, db, text, W_PANELS, NULL, &panels);
	unlink(side);
	if (szl < 0 || szp < 0 || raw < 0 || save_checks(out, chk) < 0)
		return 1;
	printf("| size of the 1-hour recording (10 graph panels + logs at %d lines/s; %llu events) | "
	    "%.1f MB | < 20 MB |\n", LINES_PER_S, (unsigned long long)all.events, sz / 1e6);
	printf("| the same hour with only the logs (%llu lines in %llu EV_LOGS batches) | %.1f MB | |\n",
	    (unsigned long long)logs.lines, (unsigned long long)logs.frames + 1, szl / 1e6);
	printf("| size per 1,000 log lines (only-logs recording / lines) | %.1f KB | |\n",
	    szl / 1e3 / (logs.lines / 1000.0));
	printf("| the same hour without logs (10 panels, 15 s refresh, 1 h windows) | %.1f MB | |\n",
	    szp / 1e6);
	printf("| recorder on the UI thread (rec_event of every event, digests, flushes) | %.2f s per "
	    "hour (%.3f %% of a core) | never blocks the screen |\n", all.ui, all.ui * 100 / 3600);
	printf("| ... rec_event() of one 100-line EV_LOGS tail frame | %.0f us | |\n",
	    all.ui_logs * 1e6 / (double)all.frames);
	printf("| writer thread: zstd (level 12) and write of %.0f MB of events | %.1f s CPU (%.1f MB/s; "
	    "the hour needs %.3f MB/s) | |\n", raw / 1e6, writer, raw / 1e6 / writer, raw / 1e6 / 3600);
	printf("| the hour written as fast as it goes (generate, store, record) | %.1f s: %.0fx real time | |\n",
	    wall, 3600 / wall);
	free(text);
	free(json);
	dashboard_free(db);
	diag_free(&dg);
	return 0;
}

/* ------------------------------------------------------------- replay */

struct host {
	struct store	*st;
	tns		 now;
};

static void
host_emit(void *ctx, struct event *ev)
{
	struct host *h = ctx;
	store_apply(h->st, ev);
	event_free(ev);
}

static void
host_changed(void *ctx, int what)
{
	(void)ctx;
	(void)what;
}

static int
load_checks(const char *out, struct check *chk)
{
	char side[4096];
	FILE *f;
	int n = 0;

	snprintf(side, sizeof side, "%s.check", out);
	if (!(f = fopen(side, "r")))
		return -1;
	while (n < NCHECK) {
		long long t;
		unsigned long long d, l;
		if (fscanf(f, "%lld %llu %llu", &t, &d, &l) != 3)
			break;
		chk[n++] = (struct check){ t, d, l };
	}
	fclose(f);
	return n == NCHECK ? 0 : -1;
}

/* Seek to every checkpoint (backward and forward) and compare. */
static int
verify(struct replay *rp, struct host *hs, const struct check *chk)
{
	static const int order[] = { 7, 0, 5, 2, 3, 6, 1, 4 };
	int bad = 0;

	for (int k = 0; k < NCHECK; k++) {
		const struct check *c = &chk[order[k]];
		replay_seek(rp, c->t);
		if (store_digest(hs->st, c->t) != c->digest || logs_hash(hs->st) != c->logs) {
			fprintf(stderr, "recording: seek to checkpoint %d: the store differs from the "
			    "recorded one\n", order[k]);
			bad++;
		}
	}
	return bad;
}

struct seeks {
	double	wall[NSEEK], cpu[NSEEK];
	size_t	n;
};

static void
seeks_row(struct seeks *s, const char *what)
{
	qsort(s->wall, s->n, sizeof *s->wall, dcmp);
	qsort(s->cpu, s->n, sizeof *s->cpu, dcmp);
	printf("| exact seek %s (%zu of %d random seeks): p50 / p95 / max, wall (CPU) | "
	    "%.0f (%.0f) / %.0f (%.0f) / %.0f (%.0f) ms | < 100 ms |\n", what, s->n, NSEEK,
	    pct(s->wall, s->n, 50) * 1e3, pct(s->cpu, s->n, 50) * 1e3,
	    pct(s->wall, s->n, 95) * 1e3, pct(s->cpu, s->n, 95) * 1e3,
	    s->wall[s->n - 1] * 1e3, s->cpu[s->n - 1] * 1e3);
}

/* Random exact seeks over the hour (snapshots, exports, tests). */
static void
random_seeks(struct replay *rp, const struct recread *r)
{
	static struct seeks fw, bw;
	tns span = r->t_end - r->t_start;

	for (int i = 0; i < NSEEK; i++) {
		tns target = r->t_start + (tns)(rnd() % (uint64_t)span);
		struct seeks *s = target >= replay_time(rp) ? &fw : &bw;
		double a = mono(), c = tcpu();
		replay_seek(rp, target);
		s->wall[s->n] = mono() - a;
		s->cpu[s->n++] = tcpu() - c;
	}
	seeks_row(&fw, "forward");
	seeks_row(&bw, "backward");
}

/* Worst cases: across the hour, and one second back from its end. */
static void
worst_seeks(struct replay *rp, const struct recread *r)
{
	double a, c, fw, fwc, bw, bwc;

	replay_seek(rp, r->t_start);
	a = mono(), c = tcpu();
	replay_seek(rp, r->t_end);
	fw = mono() - a, fwc = tcpu() - c;
	a = mono(), c = tcpu();
	replay_seek(rp, r->t_end - NS_PER_S);
	bw = mono() - a, bwc = tcpu() - c;
	printf("| seek from the start to the end (forward over the whole hour), wall (CPU) | "
	    "%.0f (%.0f) ms | < 100 ms |\n", fw * 1e3, fwc * 1e3);
	printf("| seek from the end one second back, wall (CPU) | %.0f (%.0f) ms | < 100 ms |\n",
	    bw * 1e3, bwc * 1e3);
}

/* The terminal: a backward seek shows the time from the store it has at
 * once; the exact store is built on a worker and swapped in. */
static void
terminal_seeks(struct replay *rp, const struct recread *r, struct loop *l)
{
	double resp[40], bg[40];
	tns span = r->t_end - r->t_start;

	replay_set_async(rp, 1);
	for (int i = 0; i < 40; i++) {
		tns target = r->t_start + (tns)(rnd() % (uint64_t)span);
		double a;
		replay_seek(rp, r->t_end);
		replay_settle(rp);
		a = mono();
		replay_seek(rp, target);
		resp[i] = mono() - a;
		while (replay_rebuilding(rp))
			loop_run_once(l, 100);
		bg[i] = mono() - a;
	}
	replay_set_async(rp, 0);
	qsort(resp, 40, sizeof *resp, dcmp);
	qsort(bg, 40, sizeof *bg, dcmp);
	printf("| terminal: backward seek until the screen shows the new time (p95 / max of 40) | "
	    "%.1f / %.1f ms | < 100 ms |\n", pct(resp, 40, 95) * 1e3, resp[39] * 1e3);
	printf("| terminal: ... until the exact store is swapped in (p50 / max) | %.0f / %.0f ms | |\n",
	    pct(bg, 40, 50) * 1e3, bg[39] * 1e3);
}

static int
cmd_replay(const char *path)
{
	struct check chk[NCHECK];
	struct loop *l = loop_new();
	struct host hs = { store_new(NULL), 0 };
	struct replay_host rh = { l, &hs.st, &hs.now, { host_emit, &hs }, host_changed, &hs };
	const struct recread *r;
	struct replay *rp;
	char *err = NULL;
	double a, c;

	if (load_checks(path, chk) < 0) {
		fprintf(stderr, "recording: no checkpoints next to %s (run `write` first)\n", path);
		return 1;
	}
	rng = 0x9e3779b97f4a7c15ULL;
	a = mono(), c = tcpu();
	if (!(rp = replay_open(path, &err))) {
		fprintf(stderr, "recording: %s\n", err);
		return 1;
	}
	printf("| opening the recording (read, check every chunk, index, marks), wall (CPU) | "
	    "%.0f (%.0f) ms | |\n", (mono() - a) * 1e3, (tcpu() - c) * 1e3);
	r = replay_reader(rp);
	a = mono(), c = tcpu();
	replay_attach(rp, &rh, r->t_start);
	printf("| attaching: every log batch into the journalled log store, the rest kept "
	    "uncompressed, wall (CPU) | %.0f (%.0f) ms | |\n", (mono() - a) * 1e3, (tcpu() - c) * 1e3);
	random_seeks(rp, r);
	worst_seeks(rp, r);
	printf("| peak RSS of the replay (the file, the store with %zu log lines, other records) | "
	    "%.0f MB | |\n", logbuf_len(store_logs(hs.st, "loki\x1flogs\x1f" LOG_EXPR)), peak_rss_mb());
	terminal_seeks(rp, r, l);
	a = mono();
	(void)store_digest(hs.st, r->t_end);
	printf("| store digest of the end-of-hour store (recorder, every 30 s, UI thread) | %.1f ms | |\n",
	    (mono() - a) * 1e3);
	if (verify(rp, &hs, chk) != 0)
		return 1;
	printf("| exact seeks to %d checkpoints (back and forth): store digest and every log line | "
	    "all equal to the recorded store | |\n", NCHECK);
	replay_free(rp);
	store_free(hs.st);
	loop_free(l);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "write") == 0)
		return cmd_write(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "replay") == 0)
		return cmd_replay(argv[2]);
	fprintf(stderr, "usage: recording write OUT.scry DASHBOARD_OUT.json | recording replay OUT.scry\n");
	return 2;
}
