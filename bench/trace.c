/* bench/trace: the waterfall's two budgets.
 *   1. parse + lay out a 5,000-span trace: Tempo v1 JSON (base64 ids,
 *      string times, 8 attributes a span, 8 services) -> ev_trace ->
 *      tracetree (tree, marks, window, self times, critical path) ->
 *      visible rows.  Target < 30 ms.
 *   2. frame time while scrolling: the trace widget drawing a 200x60 and
 *      an 80x24 canvas after each j / PgDn, detail pane open or not.
 *      Target < 3 ms.
 * Prints a Markdown table (median, p95, max over the runs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/store.h"
#include "core/tracetree.h"
#include "core/xalloc.h"
#include "sources/tempo_json.h"
#include "widgets/widget.h"

extern const struct widget_class trace_widget;

#define NSPANS	5000
#define RUNS	40

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this process: what the work costs whatever else the
 * machine runs (wall time on a shared 2-core box also counts waiting). */
static double
cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
b64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		buf_putc(b, tab[v >> 18 & 63]);
		buf_putc(b, tab[v >> 12 & 63]);
		buf_putc(b, i + 1 < n ? tab[v >> 6 & 63] : '=');
		buf_putc(b, i + 2 < n ? tab[v & 63] : '=');
	}
}

static void
id8(struct buf *b, unsigned long long v)
{
	unsigned char raw[8];
	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)(v >> (56 - 8 * i));
	b64(b, raw, 8);
}

/* A 4-way fan-out tree of overlapping calls, one batch per service. */
static char *
make_trace(size_t *len)
{
	static const char *const svcs[] = { "frontend", "cart", "order", "payment", "inventory",
		"shipping", "email", "fraud" };
	static long long st[NSPANS], en[NSPANS];
	unsigned char tid[16];
	struct buf b;

	for (int i = 0; i < 16; i++)
		tid[i] = (unsigned char)(0x4b + i * 7);
	buf_init(&b, 64u << 20);
	buf_puts(&b, "{\"batches\":[");
	for (int s = 0; s < 8; s++) {
		int first = 1;
		buf_printf(&b, "%s{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
		    "{\"stringValue\":\"%s\"}},{\"key\":\"k8s.pod.name\",\"value\":{\"stringValue\":"
		    "\"%s-7c9f8d6b5-q8x2n\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"io.opentelemetry.grpc\"},"
		    "\"spans\":[", s ? "," : "", svcs[s], svcs[s]);
		for (int i = 0; i < NSPANS; i++) {
			if (i == 0) {
				st[0] = 1795659662000000000LL;
				en[0] = st[0] + 3000000000LL;
			} else {
				int p = (i - 1) / 4, k = (i - 1) % 4;
				st[i] = st[p] + (en[p] - st[p]) * k / 10;
				en[i] = st[i] + (en[p] - st[i]) * (5 + k) / 10;
			}
			if (i % 8 != s)
				continue;
			buf_printf(&b, "%s{\"traceId\":\"", first ? "" : ",");
			first = 0;
			b64(&b, tid, 16);
			buf_puts(&b, "\",\"spanId\":\"");
			id8(&b, 0x6000000000000000ULL + (unsigned)i);
			if (i) {
				buf_puts(&b, "\",\"parentSpanId\":\"");
				id8(&b, 0x6000000000000000ULL + (unsigned)((i - 1) / 4));
			}
			buf_printf(&b, "\",\"name\":\"op-%d\",\"kind\":\"SPAN_KIND_SERVER\","
			    "\"startTimeUnixNano\":\"%lld\",\"endTimeUnixNano\":\"%lld\",\"attributes\":["
			    "{\"key\":\"http.method\",\"value\":{\"stringValue\":\"GET\"}},"
			    "{\"key\":\"http.route\",\"value\":{\"stringValue\":\"/api/item/%d\"}},"
			    "{\"key\":\"http.status_code\",\"value\":{\"intValue\":\"%d\"}},"
			    "{\"key\":\"peer.service\",\"value\":{\"stringValue\":\"%s\"}},"
			    "{\"key\":\"net.peer.port\",\"value\":{\"intValue\":\"8080\"}},"
			    "{\"key\":\"rpc.system\",\"value\":{\"stringValue\":\"grpc\"}},"
			    "{\"key\":\"retry\",\"value\":{\"boolValue\":false}},"
			    "{\"key\":\"db.statement\",\"value\":{\"stringValue\":\"SELECT * FROM items WHERE id = %d\"}}],"
			    "\"status\":{%s}}", i % 37, st[i], en[i], i % 50, i % 97 ? 200 : 500,
			    svcs[(i + 1) % 8], i, i % 97 ? "" : "\"code\":\"STATUS_CODE_ERROR\"");
		}
		buf_puts(&b, "]}]}");
	}
	buf_puts(&b, "]}");
	return buf_steal(&b, len);
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void
row(const char *what, double *v, int n, double target)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	printf("| %s | %.2f | %.2f | %.2f | < %.0f | %s |\n", what, v[n / 2], v[n * 95 / 100], v[n - 1],
	    target, v[n / 2] < target ? (v[n * 95 / 100] < target ? "yes" : "median (p95 over)") :
	    "**no**");
}

static void
bench_parse(const char *body, size_t len)
{
	double t[RUNS], cpu[RUNS];
	int32_t *rows = xcalloc(NSPANS + 1, sizeof *rows);

	for (int r = 0; r < RUNS; r++) {
		double a = now_ms(), ca = cpu_ms();
		char *err = NULL;
		struct ev_trace *tr = tempo_parse_trace(body, len, NULL, 0, &err);
		struct tracetree tt;
		if (!tr || tr->n != NSPANS) {
			fprintf(stderr, "bench: parse failed: %s\n", err ? err : "span count");
			exit(1);
		}
		tracetree_build(&tt, tr);
		if (tracetree_rows(&tt, NULL, rows) != NSPANS || !tt.crit_total) {
			fprintf(stderr, "bench: layout failed\n");
			exit(1);
		}
		t[r] = now_ms() - a;
		cpu[r] = cpu_ms() - ca;
		tracetree_free(&tt);
		ev_trace_free(tr);
	}
	free(rows);
	row("parse + lay out 5,000 spans, wall (ms)", t, RUNS, 30);
	row("parse + lay out 5,000 spans, CPU (ms)", cpu, RUNS, 30);
}

static void
bench_frames(const char *body, size_t len, int w, int h, int detail, int key)
{
	struct store *st = store_new(NULL);
	char *err = NULL, *keyname = xstrdup("tempo\x1ftrace\x1f" "x");
	struct ev_trace *tr = tempo_parse_trace(body, len, NULL, 0, &err);
	struct event *ev = event_new(EV_TRACE, 0, keyname, tr);
	struct dash_query q = { .expr = (char *)"x" };
	struct dash_panel cfg = { .type = (char *)"trace", .q = &q, .nq = 1, .path = (char *)"bench" };
	struct panel p;
	struct view v;
	struct wctx c;
	struct canvas *cv = canvas_new(w, h);
	double t[400], cpu[400];
	int n = 0;
	char what[96];

	store_apply(st, ev);
	event_free(ev);
	memset(&p, 0, sizeof p);
	p.cfg = &cfg;
	p.cls = &trace_widget;
	p.nneed = 1;
	p.key[0] = keyname;
	view_init(&v, 3600 * NS_PER_S);
	memset(&c, 0, sizeof c);
	c.store = st;
	c.view = &v;
	c.focused = 1;
	c.gs = GS_BRAILLE;
	trace_widget.init(&p, NULL, NULL);
	trace_widget.draw(&p, cv, &c);	/* first frame builds the tree: not a scroll frame */
	if (detail)
		trace_widget.key(&p, K_ENTER, &c);
	for (int i = 0; i < 400; i++) {
		double a = now_ms(), ca = cpu_ms();
		trace_widget.key(&p, key, &c);
		canvas_clear(cv, ROLE_DEFAULT);
		trace_widget.draw(&p, cv, &c);
		cpu[n] = cpu_ms() - ca;
		t[n++] = now_ms() - a;
	}
	{	/* the frames drew real rows, not an empty panel */
		char *r2 = canvas_row_text(cv, 2 + (detail ? 0 : 1));
		if (!strstr(r2, "op-")) {
			fprintf(stderr, "bench: the waterfall drew no rows: '%s'\n", r2);
			exit(1);
		}
		free(r2);
	}
	snprintf(what, sizeof what, "frame while scrolling (%s), %dx%d%s (ms)",
	    key == 'j' ? "j" : "PgDn", w, h, detail ? ", detail open" : "");
	row(what, t, n, 3);
	snprintf(what + strlen(what) - 5, sizeof what - strlen(what) + 5, ", CPU (ms)");
	row(what, cpu, n, 3);
	trace_widget.free(&p);
	canvas_free(cv);
	store_free(st);
	free(keyname);
}

static const char *
load(void)
{
	static char b[64] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(b, sizeof b, f))
			snprintf(b, sizeof b, "?");
		b[strcspn(b, "\n")] = '\0';
		fclose(f);
	}
	return b;
}

int
main(void)
{
	size_t len;
	char *body = make_trace(&len);

	printf("## Trace waterfall\n\n");
	printf("A generated Tempo v1 answer of %d spans (%zu KiB JSON: base64 ids, string times,\n"
	    "8 attributes a span, 8 services, a 4-way tree of overlapping calls).\n"
	    "Reproduce: `make build/obj/bench/trace && build/obj/bench/trace`.\n\n", NSPANS, len >> 10);
	printf("Machine load at the time: `%s`.\n\n", load());
	printf("| measure | median | p95 | max | target | met |\n|---|---|---|---|---|---|\n");
	bench_parse(body, len);
	bench_frames(body, len, 200, 60, 0, 'j');
	bench_frames(body, len, 200, 60, 0, K_PGDN);
	bench_frames(body, len, 200, 60, 1, 'j');
	bench_frames(body, len, 80, 24, 0, K_PGDN);
	free(body);
	return 0;
}
