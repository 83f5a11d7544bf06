/* loki: log ingest, filtering and memory benchmarks (bench/loki.sh runs it).
 *
 *   loki gen FILE N        write N deterministic logfmt lines (gen_logs-like)
 *   loki ingest N          tail frames of 100 entries: parse + store + masks
 *                          with two PCRE2 filters; and the JIT-only ceiling
 *   loki steady            cost of 1k new lines with 0, 500k, 1M retained
 *   loki filter N RE       a new filter over an N-line store
 *   loki memory N          bytes held per retained line vs raw bytes
 * Output: "key value" lines for the shell script to put in the report.
 * The lines follow reference/performance.md's gen_logs: ts level service
 * pod trace_id span_id req method path status latency_ms msg, ~283 B. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/canvas.h"
#include "core/logs.h"
#include "core/logstore.h"
#include "core/regex.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "sources/lokiparse.h"
#include "widgets/logfilter.h"
#include "widgets/logview.h"

#define FRAME	100
#define NSTREAM	8
#define T0	1795659420000000000LL	/* the seed incident, 02:17:00Z */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const services[] = { "frontend", "cart", "order", "payment", "inventory",
	"shipping", "search", "auth" };
static const char *const msgs[] = { "request completed",
	("upstream connect error or disconnect/reset before headers. reset reason: overflow"), "context deadline exceeded while calling payment",
	"cache miss for product listing, falling back to database", "order placed successfully",
	"TLS offload not configured; falling back to plain connection" };
static const char *const paths[] = { "/checkout", "/cart/items", "/api/v1/orders", "/product/4711",
	"/payment/charge", "/search?q=shoes" };

static const char *
level(void)
{
	unsigned r = (unsigned)(rnd() % 1000);
	return r < 680 ? "info" : r < 830 ? "debug" : r < 950 ? "warn" : r < 995 ? "error" : "fatal";
}

/* One line for seq i (stream i % NSTREAM). */
static int
gen_line(char *out, size_t n, long i)
{
	int s = (int)(i % NSTREAM);
	unsigned long long a = rnd(), b = rnd(), c = rnd();

	return snprintf(out, n, "ts=2026-11-26T02:%02ld:%02ld.%06ldZ level=%s service=%s "
	    "pod=%s-7d4b9c8f6d-%05llu trace_id=%016llx%016llx span_id=%016llx req=%08llx "
	    "method=%s path=%s status=%d latency_ms=%llu msg=\"%s\"",
	    17 + i / 60000 % 40, i / 1000 % 60, i % 1000 * 1000, level(), services[s], services[s],
	    a % 100000, a, b, c, b >> 32, rnd() % 4 ? "GET" : "POST", paths[rnd() % 6],
	    rnd() % 10 ? 200 : 503, (unsigned long long)(rnd() % 9000), msgs[rnd() % 6]);
}

static double
cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* JSON string body (quotes and backslashes escaped). */
static void
json_str(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

struct corpus {
	char	**lines;
	long	  n;
	char	**frames;
	size_t	 *flen;
	long	  nframes;
	size_t	  raw;
};

/* Lines and the tail frames that carry them (100 entries, by stream). */
static void
corpus_make(struct corpus *c, long n, tns t0)
{
	char line[512];
	struct buf b;

	memset(c, 0, sizeof *c);
	c->n = n;
	c->lines = xcalloc((size_t)n, sizeof *c->lines);
	for (long i = 0; i < n; i++) {
		int l = gen_line(line, sizeof line, i);
		c->lines[i] = xstrndup(line, (size_t)l);
		c->raw += (size_t)l;
	}
	c->nframes = (n + FRAME - 1) / FRAME;
	c->frames = xcalloc((size_t)c->nframes, sizeof *c->frames);
	c->flen = xcalloc((size_t)c->nframes, sizeof *c->flen);
	buf_init(&b, 64u << 20);
	for (long f = 0; f < c->nframes; f++) {
		buf_reset(&b);
		buf_puts(&b, "{\"streams\":[");
		for (int s = 0; s < NSTREAM; s++) {
			int first = 1;
			buf_printf(&b, "%s{\"stream\":{\"app\":\"%s\",\"namespace\":\"shop\",\"pod\":\"%s-0\"},"
			    "\"values\":[", s ? "," : "", services[s], services[s]);
			for (long i = f * FRAME; i < (f + 1) * FRAME && i < n; i++) {
				if (i % NSTREAM != s)
					continue;
				buf_printf(&b, "%s[\"%lld\",\"", first ? "" : ",", (long long)(t0 + i * 1000000LL));
				json_str(&b, c->lines[i]);
				buf_puts(&b, "\"]");
				first = 0;
			}
			buf_puts(&b, "]}");
		}
		buf_puts(&b, "]}");
		c->flen[f] = b.len;
		c->frames[f] = buf_steal(&b, NULL);
	}
	buf_free(&b);
}

static void
corpus_free(struct corpus *c)
{
	for (long i = 0; i < c->n; i++)
		free(c->lines[i]);
	for (long f = 0; f < c->nframes; f++)
		free(c->frames[f]);
	free(c->lines);
	free(c->frames);
	free(c->flen);
}

static void
ingest_frames(struct logstore *ls, const struct corpus *c, long f0, long f1)
{
	for (long f = f0; f < f1; f++) {
		struct ev_logs *e = ev_logs_new(LO_TAIL);
		char *err = NULL;
		if (lokiparse_tail(c->frames[f], c->flen[f], e, &err) < 0) {
			fprintf(stderr, "parse: %s\n", err);
			exit(1);
		}
		logstore_apply(ls, "k", e);
		ev_logs_free(e);
	}
}

static void
two_filters(struct lfset *fs)
{
	char *err = NULL;

	lfset_init(fs);
	lfset_bind(fs, 0, "k");
	if (lfset_add(fs, "level=(error|fatal)", 0, &err) < 0 ||
	    lfset_add(fs, "upstream connect error|deadline exceeded", 0, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
}

static void
masks(struct lfset *fs, struct logstore *ls)
{
	int64_t budget = INT64_MAX / 4;
	lfset_update(fs, 0, logstore_get(ls, "k"), &budget);
}

static int
cmd_ingest(long n)
{
	struct corpus c;
	struct logstore *ls;
	struct lfset fs;
	struct rx *r1, *r2;
	char *err = NULL;
	double t0, parse = 0, store = 0, all = 0, jit;
	long hits = 0;

	corpus_make(&c, n, T0);
	/* parse only */
	t0 = cpu_s();
	for (long f = 0; f < c.nframes; f++) {
		struct ev_logs *e = ev_logs_new(LO_TAIL);
		lokiparse_tail(c.frames[f], c.flen[f], e, &err);
		ev_logs_free(e);
	}
	parse = cpu_s() - t0;
	/* parse + store */
	ls = logstore_new(2ull << 30);
	t0 = cpu_s();
	ingest_frames(ls, &c, 0, c.nframes);
	store = cpu_s() - t0;
	logstore_free(ls);
	/* parse + store + masks with two filters, frame by frame */
	ls = logstore_new(2ull << 30);
	two_filters(&fs);
	t0 = cpu_s();
	for (long f = 0; f < c.nframes; f++) {
		ingest_frames(ls, &c, f, f + 1);
		masks(&fs, ls);
	}
	all = cpu_s() - t0;
	/* the JIT-only ceiling: both patterns on the same lines */
	r1 = rx_compile("level=(error|fatal)", 19, RX_SMARTCASE, &err);
	r2 = rx_compile("upstream connect error|deadline exceeded", 40, RX_SMARTCASE, &err);
	t0 = cpu_s();
	for (long i = 0; i < c.n; i++) {
		size_t len = strlen(c.lines[i]);
		hits += rx_match(r1, c.lines[i], len, 0, 1, 0, NULL, NULL) == RX_MATCH;
		hits += rx_match(r2, c.lines[i], len, 0, 1, 0, NULL, NULL) == RX_MATCH;
	}
	jit = cpu_s() - t0;
	printf("lines %ld\nframes %ld\nraw_mb %.1f\n", c.n, c.nframes, c.raw / 1048576.0);
	printf("parse_lps %.0f\nparse_store_lps %.0f\ningest_lps %.0f\njit_lps %.0f\nratio %.3f\nhits %ld\n",
	    c.n / parse, c.n / store, c.n / all, c.n / jit, jit / all, hits);
	rx_free(r1);
	rx_free(r2);
	lfset_free(&fs);
	logstore_free(ls);
	corpus_free(&c);
	return 0;
}

/* The pane's per-frame work: 40 shown lines from the end, drawn. */
static void
draw40(struct logstore *ls, struct lfset *fs, struct canvas *cv)
{
	struct logview v;
	struct mcur cur;
	struct lline l;
	struct text_opts o = { .role = ROLE_TEXT, .ellipsis = 1 };

	memset(&v, 0, sizeof v);
	v.nk = 1;
	v.b[0] = logstore_get(ls, "k");
	v.fs = fs;
	v.until = TNS_NONE;
	lv_end(&v, &cur);
	for (int y = cv->h - 1; y >= 0 && lv_prev_shown(&v, &cur, &l, 0); y--)
		canvas_text(cv, 0, y, cv->w, l.text, LREC_LEN(l.r), &o, NULL);
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int
cmd_steady(void)
{
	static const long retained[] = { 0, 500000, 1000000 };
	struct corpus c;

	corpus_make(&c, 1000000 + 100 * 1000, T0);
	for (size_t r = 0; r < 3; r++) {
		struct logstore *ls = logstore_new(2ull << 30);
		struct canvas *cv = canvas_new(118, 38);
		struct lfset fs;
		double t[100];
		long f = retained[r] / FRAME;
		two_filters(&fs);
		ingest_frames(ls, &c, 0, f);
		masks(&fs, ls);
		for (int rep = 0; rep < 100; rep++) {
			double t0 = cpu_s();
			ingest_frames(ls, &c, f, f + 10);	/* 1,000 new lines */
			masks(&fs, ls);
			draw40(ls, &fs, cv);
			t[rep] = cpu_s() - t0;
			f += 10;
		}
		qsort(t, 100, sizeof *t, dcmp);
		printf("steady_%ld_us %.0f\nsteady_%ld_p90_us %.0f\n", retained[r], t[50] * 1e6,
		    retained[r], t[90] * 1e6);
		lfset_free(&fs);
		canvas_free(cv);
		logstore_free(ls);
	}
	corpus_free(&c);
	return 0;
}

static int
cmd_filter(long n, const char *re)
{
	struct corpus c;
	struct logstore *ls = logstore_new(2ull << 30);
	struct lfset fs;
	char *err = NULL;
	double t0, el;
	size_t shown = 0;
	const struct logbuf *b;

	corpus_make(&c, n, T0);
	ingest_frames(ls, &c, 0, c.nframes);
	lfset_init(&fs);
	lfset_bind(&fs, 0, "k");
	if (lfset_add(&fs, re, 0, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	t0 = cpu_s();
	masks(&fs, ls);
	el = cpu_s() - t0;
	b = logstore_get(ls, "k");
	for (size_t p = 0; p < logbuf_len(b); p++)
		shown += lfset_pass(&fs, 0, logbuf_seq(b, p), NULL, NULL) == 1;
	printf("filter_ms %.1f\nfilter_matches %zu\n", el * 1000, shown);
	lfset_free(&fs);
	logstore_free(ls);
	corpus_free(&c);
	return 0;
}

static long
rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, res = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * 4;
}

static int
cmd_memory(long n)
{
	struct logstore *ls = logstore_new(2ull << 30);
	long before = rss_kb();
	const struct logbuf *b;

	/* frames are made in slices and freed, so mostly the store grows */
	for (long i = 0; i < n; i += 5000) {
		struct corpus s;
		corpus_make(&s, n - i < 5000 ? n - i : 5000, T0 + i * 1000000LL);
		ingest_frames(ls, &s, 0, s.nframes);
		corpus_free(&s);
	}
	b = logstore_get(ls, "k");
	printf("mem_lines %zu\nmem_raw_mb %.1f\nmem_store_mb %.1f\nmem_ratio %.3f\nmem_rss_delta_mb %.1f\n",
	    logbuf_len(b), logbuf_raw_bytes(b) / 1048576.0, logstore_bytes(ls) / 1048576.0,
	    (double)logstore_bytes(ls) / (double)logbuf_raw_bytes(b), (rss_kb() - before) / 1024.0);
	logstore_free(ls);
	return 0;
}

static int
cmd_gen(const char *path, long n)
{
	FILE *f = fopen(path, "w");
	char line[512];

	if (!f)
		return 1;
	for (long i = 0; i < n; i++) {
		gen_line(line, sizeof line, i);
		fprintf(f, "%s\n", line);
	}
	return fclose(f) ? 1 : 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "gen"))
		return cmd_gen(argv[2], atol(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "ingest"))
		return cmd_ingest(atol(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "steady"))
		return cmd_steady();
	if (argc >= 4 && !strcmp(argv[1], "filter"))
		return cmd_filter(atol(argv[2]), argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "memory"))
		return cmd_memory(atol(argv[2]));
	fprintf(stderr, "usage: loki gen FILE N | ingest N | steady | filter N RE | memory N\n");
	return 2;
}
