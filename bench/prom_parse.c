/* prom_parse bench: parse + store a 1,000-series x 1,000-point Prometheus
 * matrix (the answer of performance.md/robustness.md §3), compared with
 * building a cJSON tree of the same text.
 *
 * Prints one Markdown table row per measurement:
 *   json_bytes, parse+store ms (median of 5), peak extra MiB (over the
 *   JSON text, which the HTTP layer holds anyway), store MiB after, and
 *   the same for cJSON_Parse alone.
 * Peak memory is VmHWM after resetting it (/proc/self/clear_refs "5").
 *
 * Then the hostile answer of robustness.md T7: 1,000,000 one-point series
 * (the shape of tests/servers/faultsrv.py /million) parsed with the
 * default max_series (10,000): the rest are skipped on structure only;
 * million_bytes, million_ms (median of 5), million_dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/store.h"
#include "core/xalloc.h"
#include "sources/prom_parse.h"

#define NSERIES	1000
#define NPOINTS	1000

static long
status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

static void
reset_peak(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	if (f) {
		fputs("5", f);
		fclose(f);
	}
}

static double
ms_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

static char *
make_matrix(size_t *len)
{
	struct buf b;

	buf_init(&b, 64u << 20);
	buf_puts(&b, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
	for (int s = 0; s < NSERIES; s++) {
		buf_printf(&b, "%s{\"metric\":{\"__name__\":\"http_request_duration_seconds\","
		    "\"service\":\"svc-%d\",\"instance\":\"10.0.%d.%d:8080\",\"job\":\"api\"},\"values\":[",
		    s ? "," : "", s, s / 250, s % 250);
		for (int p = 0; p < NPOINTS; p++)
			buf_printf(&b, "%s[%d.%03d,\"%.17g\"]", p ? "," : "", 1704067200 + p * 15, p % 7,
			    0.375 + (double)((s * 31 + p * 17) % 1000) / 997.0);
		buf_puts(&b, "]}");
	}
	buf_puts(&b, "]}}");
	return buf_steal(&b, len);
}

static char *
make_million(size_t *len)
{
	struct buf b;

	buf_init(&b, 96u << 20);
	buf_puts(&b, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
	for (int i = 0; i < 1000000; i++)
		buf_printf(&b, "%s{\"metric\":{\"__name__\":\"up\",\"i\":\"%d\"},"
		    "\"values\":[[1704067200,\"1\"]]}", i ? "," : "", i);
	buf_puts(&b, "]}}");
	return buf_steal(&b, len);
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Run f once in a fresh child process; its peak RSS growth in KiB. */
static long
child_peak(void (*f)(const char *, size_t, long *), const char *json, size_t len, long *extra)
{
	int pfd[2];
	long v[2] = { -1, -1 };
	pid_t pid;

	if (pipe(pfd) < 0)
		return -1;
	if ((pid = fork()) == 0) {
		long out[2], base = status_kb("VmRSS:");
		reset_peak();
		f(json, len, &out[1]);
		out[0] = status_kb("VmHWM:") - base;
		out[1] -= base;
		(void)!write(pfd[1], out, sizeof out);
		_exit(0);
	}
	close(pfd[1]);
	(void)!read(pfd[0], v, sizeof v);
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	*extra = v[1];
	return v[0];
}

static size_t last_store_bytes;

static void
run_prom(const char *json, size_t len, long *rss_after)
{
	struct http_resp r;
	struct prom_out o;
	struct store *st = store_new(NULL);
	struct event *ev;

	memset(&r, 0, sizeof r);
	r.status = 200;
	r.content_type = "application/json";
	r.body = json;
	r.len = len;
	if (prom_parse(&r, PW_QUERY, 1704067200LL * NS_PER_S,
	    (1704067200LL + NPOINTS * 15) * NS_PER_S, 15 * NS_PER_S, &o) < 0) {
		fprintf(stderr, "parse failed: %s\n", o.st->error);
		exit(1);
	}
	ev = event_new(EV_SERIES, 0, "k", o.series);
	o.series = NULL;
	store_apply(st, ev);
	event_free(ev);
	prom_out_free(&o);
	last_store_bytes = store_series_bytes(st);
	*rss_after = status_kb("VmRSS:");	/* the store is still alive here */
	store_free(st);
}

static void
run_cjson(const char *json, size_t len, long *rss_after)
{
	cJSON *j = cJSON_ParseWithLength(json, len);
	*rss_after = status_kb("VmRSS:");
	cJSON_Delete(j);
}

/* the million-series answer with max_series 10,000, as the source runs it */
static void
million(void)
{
	size_t len, dropped = 0;
	char *json = make_million(&len);
	struct http_resp r;
	double t[5];

	memset(&r, 0, sizeof r);
	r.status = 200;
	r.content_type = "application/json";
	r.body = json;
	r.len = len;
	for (int i = 0; i < 5; i++) {
		struct prom_out o;
		struct timespec a;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (prom_parse_max(&r, PW_QUERY, 1704067200LL * NS_PER_S, 1704067260LL * NS_PER_S,
		    15 * NS_PER_S, 10000, &o) < 0) {
			fprintf(stderr, "million: parse failed: %s\n", o.st->error);
			exit(1);
		}
		t[i] = ms_since(&a);
		dropped = o.dropped_series;
		prom_out_free(&o);
	}
	qsort(t, 5, sizeof *t, cmp_d);
	printf("million_bytes %zu\n", len);
	printf("million_ms %.1f\n", t[2]);
	printf("million_dropped %zu\n", dropped);
	free(json);
}

int
main(void)
{
	size_t len;
	char *json = make_matrix(&len);
	double t[5], ct[5];
	long peak, after, cpeak, cafter;

	/* memory first, in fresh children, before the heap holds freed pages */
	peak = child_peak(run_prom, json, len, &after);
	cpeak = child_peak(run_cjson, json, len, &cafter);
	for (int i = 0; i < 5; i++) {
		struct timespec a;
		long dummy;
		clock_gettime(CLOCK_MONOTONIC, &a);
		run_prom(json, len, &dummy);
		t[i] = ms_since(&a);
		clock_gettime(CLOCK_MONOTONIC, &a);
		{
			cJSON *j = cJSON_ParseWithLength(json, len);
			ct[i] = ms_since(&a);
			cJSON_Delete(j);
		}
	}
	/* store bytes as accounted by the store (same input every run) */
	qsort(t, 5, sizeof *t, cmp_d);
	qsort(ct, 5, sizeof *ct, cmp_d);
	printf("json_bytes %zu\n", len);
	printf("parse_store_ms %.1f\n", t[2]);
	printf("peak_extra_kib %ld\n", peak);
	printf("rss_after_kib %ld\n", after);
	printf("store_bytes %zu\n", last_store_bytes);
	printf("cjson_ms %.1f\n", ct[2]);
	printf("cjson_peak_kib %ld\n", cpeak);
	free(json);
	million();
	return 0;
}
