/* recording: size, write speed and seek time of a 1-hour recording.
 *
 *   recording OUT.scry DASHBOARD_OUT.json
 *
 * Synthesises one hour of the seed incident as the sources would deliver
 * it: 10 graph panels refreshed every 15 s (1 h range results, 121 points
 * per series), their statuses, alert snapshots, and 200 log lines/s in
 * batches every 0.5 s.  This branch has no EV_LOGS codec yet, so the log
 * batches use a clearly labelled synthetic kind (BENCH_LOG_KIND) with a
 * Loki-like layout (stream labels, then ns timestamp deltas and lines);
 * the replay skips records of kinds it does not know, so their decode and
 * store cost is measured separately with a stand-in decoder.
 * Prints Markdown rows on stdout (bench/recording.sh assembles them). */
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "core/loop.h"
#include "core/recorder.h"
#include "core/recread.h"
#include "sources/replay.h"
#include "tests/tools/incident.h"

#define BENCH_LOG_KIND	31	/* synthetic: not a registered kind */
#define PANELS		10
#define LINES_PER_S	200
#define HOUR		(3600 * NS_PER_S)

static double
mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const pods[] = { "order-6b7d9c5f8-x2k4p", "order-6b7d9c5f8-q8w2n",
	"payment-7c9f8d6b5-h4j9k", "frontend-5f6d7c8b9-abcde", "istiod-7d8f9c6b5-zz1xy" };

/* One realistic log line (trace ids are random: they do not compress). */
static void
log_line(struct buf *b, tns t, int stream)
{
	char tid[33];
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++)
		tid[i] = hex[rnd() & 15];
	tid[32] = '\0';
	buf_reset(b);
	switch (stream) {
	case 0: case 1:
		if (inc_level(t) > 0.5)
			buf_printf(b, "level=error msg=\"upstream connect error or disconnect/reset before "
			    "headers. reset reason: overflow\" upstream=payment trace_id=%s duration_ms=%d",
			    tid, 2700 + (int)(rnd() % 300));
		else
			buf_printf(b, "level=info msg=\"order placed\" order_id=%llu trace_id=%s duration_ms=%d",
			    (unsigned long long)(rnd() % 1000000), tid, 40 + (int)(rnd() % 90));
		break;
	case 2:
		buf_printf(b, "level=warn msg=\"TLS offload not configured; falling back\" conn=%llu",
		    (unsigned long long)(rnd() % 100000));
		break;
	case 3:
		buf_printf(b, "{\"level\":\"%s\",\"msg\":\"%s\",\"traceId\":\"%s\",\"path\":\"/checkout\","
		    "\"latency_ms\":%d}", inc_level(t) > 0.5 ? "error" : "info",
		    inc_level(t) > 0.5 ? "checkout failed" : "checkout ok", tid, 100 + (int)(rnd() % 8000));
		break;
	default:
		buf_printf(b, "%s\tinfo\tads\tpush debounce stable[%llu] 1 for config ServiceEntry",
		    "2026-11-26T02:17:00.000000Z", (unsigned long long)(rnd() % 10000));
	}
}

/* A synthetic log batch event (event_encode framing, Loki-like payload). */
static void
log_batch(struct buf *out, tns t, int n)
{
	struct buf line, body;
	int per[5] = { 0 };

	buf_init(&line, 4096);
	buf_init(&body, 1u << 20);
	for (int i = 0; i < n; i++)
		per[rnd() % 5]++;
	buf_put_uvarint(&body, 5);
	for (int s = 0; s < 5; s++) {
		struct labelset ls;
		tns prev = t;
		labels_init(&ls);
		labels_set(&ls, "app", s < 2 ? "order" : s == 2 ? "payment" : s == 3 ? "frontend" : "istiod");
		labels_set(&ls, "namespace", s == 4 ? "istio-system" : "shop");
		labels_set(&ls, "pod", pods[s]);
		labels_finish(&ls);
		labels_encode(&ls, &body);
		labels_free(&ls);
		buf_put_uvarint(&body, (uint64_t)per[s]);
		for (int k = 0; k < per[s]; k++) {
			tns lt = t - 500 * NS_PER_MS + (tns)(rnd() % 500000000);
			log_line(&line, lt, s);
			buf_put_svarint(&body, lt - prev);
			prev = lt;
			buf_put_str(&body, line.data, line.len);
		}
	}
	buf_reset(out);
	buf_put_uvarint(out, BENCH_LOG_KIND);
	buf_put_svarint(out, t);
	buf_put_str(out, "loki\x1flogs\x1f{namespace=\"shop\"}", 31);
	buf_append(out, body.data, body.len);
	buf_free(&line);
	buf_free(&body);
}

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
	buf_puts(&b, "{\"title\":\"bench: 10 panels\",\"range\":\"1h\",\"refresh\":\"15s\","
	    "\"sources\":{\"prometheus\":{\"type\":\"prometheus\"}},\"panels\":[");
	for (int i = 0; i < PANELS; i++)
		buf_printf(&b, "%s{\"type\":\"graph\",\"title\":\"panel %d\",\"query\":\"%s # panel %d\","
		    "\"grid\":{\"x\":%d,\"y\":%d,\"w\":12,\"h\":6}}", i ? "," : "", i, exprs[i % 4], i,
		    (i % 2) * 12, (i / 2) * 6);
	buf_puts(&b, "]}");
	return buf_steal(&b, NULL);
}

struct w {
	struct recorder	*rec;
	uint64_t	 events;
};

static void
emit(void *p, tns rtime, struct event *ev)
{
	struct w *w = p;
	rec_event(w->rec, rtime, ev);
	w->events++;
	event_free(ev);
}

/* Stand-in for a log store: decode the synthetic batch, copy every line
 * into a byte-bounded ring (what a logs store would do at least). */
struct ring {
	char	*buf;
	size_t	 cap, at;
};

static void
ring_apply(struct ring *rg, const uint8_t *p, size_t n)
{
	struct rd r;
	uint64_t kind, ns, ne;
	int64_t t;
	const char *key, *line;
	size_t kl, ll;

	rd_init(&r, p, n);
	if (rd_uvarint(&r, &kind) < 0 || rd_svarint(&r, &t) < 0 || rd_str(&r, &key, &kl, 1 << 16) < 0 ||
	    rd_uvarint(&r, &ns) < 0)
		return;
	for (uint64_t s = 0; s < ns; s++) {
		struct labelset ls;
		if (labels_decode(&ls, &r) < 0 || rd_uvarint(&r, &ne) < 0) {
			labels_free(&ls);
			return;
		}
		for (uint64_t e = 0; e < ne; e++) {
			int64_t d;
			char *copy;
			if (rd_svarint(&r, &d) < 0 || rd_str(&r, &line, &ll, 1 << 20) < 0)
				break;
			copy = xstrndup(line, ll);	/* a decoded entry owns its line */
			if (rg->at + ll > rg->cap)
				rg->at = 0;
			memcpy(rg->buf + rg->at, copy, ll);
			rg->at += ll;
			free(copy);
		}
		labels_free(&ls);
	}
}

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

/* Time to have the logs "as of t": decode + ring for every batch <= t. */
static double
logs_cost(const struct recread *r, tns t)
{
	struct rec_cursor c;
	struct rec_record rec;
	struct ring rg = { xmalloc(64u << 20), 64u << 20, 0 };
	double t0 = mono();

	reccur_init(&c, r);
	while (reccur_next(&c, t, &rec))
		if (rec.type == RR_EVENT && rec.len && rec.p[0] == BENCH_LOG_KIND)
			ring_apply(&rg, rec.p, rec.len);
	reccur_free(&c);
	free(rg.buf);
	return mono() - t0;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct diag dg;
	struct dashboard *db;
	struct inc_gen ig;
	struct w w;
	struct rec_header h;
	struct rec_source_info si = { "prometheus", "prometheus", NULL, 0 };
	struct buf lb;
	char *err = NULL, *json, *text;
	tns t0 = INC_T0 - 30 * 60 * NS_PER_S, t;
	uint64_t lines = 0, logbytes = 0;
	double wstart, wtime;
	struct stat sb;
	FILE *f;

	if (argc != 3)
		return 2;
	json = dashboard_json();
	if (!(f = fopen(argv[2], "w")) || fputs(json, f) < 0 || fclose(f) != 0)
		return 1;
	diag_init(&dg);
	if (!(db = dashboard_parse(json, strlen(json), "bench.json", &dg))) {
		fprintf(stderr, "bench dashboard: %s\n", diag_first_error(&dg));
		return 1;
	}
	inc_init(&ig, db);
	text = rec_dashboard_text(db);
	memset(&h, 0, sizeof h);
	h.dash_name = "bench.json";
	h.dash_text = text;
	h.src = &si;
	h.nsrc = 1;
	h.created = t0;
	h.range = HOUR;
	unlink(argv[1]);
	if (!(w.rec = rec_create(argv[1], &h, NULL, &err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	w.events = 0;
	buf_init(&lb, 64u << 20);
	wstart = mono();
	for (t = t0; t < t0 + HOUR; t += 500 * NS_PER_MS) {
		if ((t - t0) % (15 * NS_PER_S) == 0)
			inc_poll(&ig, t, emit, &w);
		log_batch(&lb, t, LINES_PER_S / 2);
		rec_event_encoded(w.rec, t + 2 * NS_PER_MS, BENCH_LOG_KIND, lb.data, lb.len);
		lines += LINES_PER_S / 2;
		logbytes += lb.len;
		if (rec_due(w.rec, t))
			rec_flush(w.rec);
	}
	if (rec_close(w.rec, t, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	wtime = mono() - wstart;
	stat(argv[1], &sb);

	/* the same hour with only the logs: their share of the size */
	{
		char lp[4096];
		struct recorder *lr;
		struct stat ls;
		snprintf(lp, sizeof lp, "%s.logs", argv[1]);
		unlink(lp);
		if (!(lr = rec_create(lp, &h, NULL, &err)))
			return 1;
		rng = 0x2545f4914f6cdd1dULL;
		for (t = t0; t < t0 + HOUR; t += 500 * NS_PER_MS) {
			log_batch(&lb, t, LINES_PER_S / 2);
			rec_event_encoded(lr, t, BENCH_LOG_KIND, lb.data, lb.len);
			if (rec_due(lr, t))
				rec_flush(lr);
		}
		rec_close(lr, t, &err);
		stat(lp, &ls);
		unlink(lp);
		printf("| size of the 1-hour recording (10 panels + %d log lines/s) | %.1f MB | < 20 MB |\n",
		    LINES_PER_S, sb.st_size / 1e6);
		printf("| of which logs (%llu lines, %.0f MB raw) | %.1f MB | |\n", (unsigned long long)lines,
		    logbytes / 1e6, ls.st_size / 1e6);
		printf("| size per 1,000 log lines | %.1f KB | |\n", ls.st_size / 1e3 / (lines / 1000.0));
		{
			struct stat ps;
			struct w pw = { NULL, 0 };
			snprintf(lp, sizeof lp, "%s.panels", argv[1]);
			unlink(lp);
			if (!(pw.rec = rec_create(lp, &h, NULL, &err)))
				return 1;
			for (t = t0; t < t0 + HOUR; t += 15 * NS_PER_S) {
				inc_poll(&ig, t, emit, &pw);
				if (rec_due(pw.rec, t))
					rec_flush(pw.rec);
			}
			rec_close(pw.rec, t, &err);
			stat(lp, &ps);
			unlink(lp);
			printf("| the same hour without logs (10 panels, 15 s refresh, 1 h windows) | %.1f MB | |\n",
			    ps.st_size / 1e6);
		}
		printf("| writing the hour (encode + zstd, 2 threads) | %.2f s | never blocks the UI |\n", wtime);
	}

	/* opening, seeking */
	{
		struct recread *r;
		struct replay *rp;
		struct loop *l = loop_new();
		struct host hs = { store_new(NULL), 0 };
		struct replay_host rh = { l, &hs.st, &hs.now, { host_emit, &hs }, host_changed, &hs };
		double o0 = mono(), topen, s[40], worst_t, lc_end;
		int ns = 0;

		if (!(rp = replay_open(argv[1], &err))) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		topen = mono() - o0;
		r = (struct recread *)replay_reader(rp);
		replay_attach(rp, &rh, r->t_start);
		for (int i = 0; i < 40; i++) {
			tns target = r->t_start + (tns)(rnd() % (uint64_t)(r->t_end - r->t_start));
			double a = mono();
			replay_seek(rp, target);
			s[ns++] = mono() - a;
		}
		qsort(s, (size_t)ns, sizeof *s, dcmp);
		replay_seek(rp, r->t_start);
		o0 = mono();
		replay_seek(rp, r->t_end - NS_PER_S);	/* forward over the hour */
		replay_seek(rp, r->t_end - 2 * NS_PER_S);	/* back: a rebuild of all of it */
		worst_t = (mono() - o0) / 2;
		lc_end = logs_cost(r, r->t_end);
		o0 = mono();
		(void)store_digest(hs.st, r->t_end);
		printf("| store digest of the end-of-hour store (recorder, every 30 s, UI thread) | %.1f ms | |\n",
		    (mono() - o0) * 1e3);
		printf("| opening the recording (index, marks) | %.0f ms | |\n", topen * 1e3);
		printf("| exact seek to a random time (40 seeks; snapshots, exports): median / p95 / max | %.0f / %.0f / %.0f ms | < 100 ms |\n",
		    s[ns / 2] * 1e3, s[ns * 95 / 100] * 1e3, s[ns - 1] * 1e3);
		printf("| worst seek: back to the end of the hour (full rebuild) | %.0f ms | < 100 ms |\n",
		    worst_t * 1e3);
		printf("| + decoding and storing the hour's %llu log lines (stand-in store) | %.0f ms | "
		    "re-measure with EV_LOGS |\n", (unsigned long long)lines, lc_end * 1e3);
		/* the terminal: backward seeks answer at once, the exact store follows */
		{
			double resp[40], bg[40];
			replay_set_async(rp, 1);
			for (int i = 0; i < 40; i++) {
				tns target = r->t_start + (tns)(rnd() % (uint64_t)(r->t_end - r->t_start));
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
			qsort(resp, 40, sizeof *resp, dcmp);
			qsort(bg, 40, sizeof *bg, dcmp);
			printf("| terminal: backward seek, until the screen shows the time (p95 / max) | %.1f / %.1f ms | < 100 ms |\n",
			    resp[38] * 1e3, resp[39] * 1e3);
			printf("| terminal: ... until the exact store is swapped in (median / max) | %.0f / %.0f ms | |\n",
			    bg[20] * 1e3, bg[39] * 1e3);
			replay_set_async(rp, 0);
		}
		replay_free(rp);
		store_free(hs.st);
		loop_free(l);
	}
	inc_free(&ig);
	dashboard_free(db);
	diag_free(&dg);
	free(text);
	free(json);
	buf_free(&lb);
	return 0;
}
