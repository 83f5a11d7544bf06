/* loki: the Loki source — log history over query_range, the live tail
 * over the websocket, and metric LogQL as series.
 *
 * Per log query key (struct lkey) the source keeps what it has loaded:
 *  - history: the newest `limit` lines of the window, backward; older
 *    pages on demand (fetch.before), each page ending one ns after the
 *    oldest line already held (end is exclusive; the store de-duplicates);
 *  - tail: once a live fetch has been seen, a websocket from the newest
 *    line held (`resume`, inclusive).  On every (re)connect the gap
 *    between `resume` and now is filled with forward query_range pages,
 *    because Loki's tail backfill is the *newest* `limit` lines only;
 *  - reconnects: close 1011 (tail_max_duration), 1006, a dead connection
 *    (ws.c), a malformed frame: resume + fill, with jittered backoff
 *    (a base of 1 s, x1.6, cap 30 s, each delay uniform in 0.4-1.2 times
 *    its base, so the first retry comes within 1.2 s and clients that
 *    lost the same server spread out; quick after a long-lived 1011);
 *  - errors before the upgrade (400, 401, 429): the same URL is fetched
 *    over HTTP so the panel shows the server's own text.
 * dropped_entries become gap markers in the timeline.  Every outcome is
 * an EV_STATUS for the key.
 * Kind "series" asks /loki/api/v1/series (one match[] per line of the
 * expression) and answers label sets as EV_VALUES (core/labeltext.h),
 * for the service-page probes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/logs.h"
#include "core/secret.h"
#include "core/series.h"
#include "core/status.h"
#include "core/xalloc.h"
#include "sources/http.h"
#include "sources/lokiparse.h"
#include "sources/prom_parse.h"
#include "sources/proxy.h"
#include "sources/source.h"
#include "sources/ws.h"

#define DEFAULT_LIMIT		1000
#define MAX_LIMIT		5000	/* Loki's max_entries_limit_per_query default */
#define FILL_PAGE		5000
#define BACKOFF_BASE_MS		1000
#define BACKOFF_CAP_MS		30000
#define LIVE_SLACK		(2 * NS_PER_S)

struct loki;

struct lkey {
	struct loki	*L;
	char		*key;
	char		*expr;
	/* the fetch waiting for its answer (one at a time per key) */
	struct fetch	 f;
	int		 pending;
	uint64_t	 done_timer;
	int		 done_ok;
	int64_t		 done_retry;
	struct http_call *hist;
	int		 hist_limit;
	int		 hist_page_back;
	/* what is loaded */
	tns		 newest, oldest;
	tns		 last_before;	/* end of the last page asked for */
	tns		 page_next_end;	/* end of the next page (TNS_NONE: from the oldest line) */
	int		 have_hist;
	tns		 hist_start, hist_end;
	/* the tail */
	int		 live;
	uint64_t	 ws_id;
	int		 tail_open;
	int64_t		 opened_ms;
	int		 failures;
	uint64_t	 retry_timer;
	tns		 resume;
	struct http_call *fill;
	tns		 fill_from, fill_to;
	int		 fill_pages;
	tns		 refill_lo, refill_hi;	/* a range waiting for the current fill */
	tns		 drop_t, drop_until;	/* the current burst of dropped entries */
	uint64_t	 drop_count;
	int64_t		 drop_ms;
	struct http_call *errcall;
	char		*tail_error;
	uint64_t	 garbage;
	struct lkey	*next;
};

struct mcall {			/* a metric query in flight */
	struct loki	*L;
	struct fetch	 f;
	char		*key, *kind;
	struct http_call *call;
	struct mcall	*next;
};

struct loki {
	struct source	 base;
	struct http_opts o;
	struct ws	*ws;
	char		*ws_base;	/* ws(s)://host[:port][/prefix] */
	char		**hdr;		/* headers for the upgrade (auth, tenant, custom) */
	size_t		 nhdr;
	struct lkey	*keys;
	struct mcall	*mcalls;
	int		 tail;		/* tailing enabled */
	int		 tail_limit;
	int		 delay_for;
	int		 idle_ms;
	size_t		 max_message;
	size_t		 fill_max;	/* lines per gap fill before a gap marker */
	uint64_t	 rng;
};

static const char *const loki_kinds[] = { "logs", "range", "instant", "series", NULL };
static const char *const loki_keys[] = { "url", "path_prefix", "basic_auth", "token_file",
	"headers", "tenant", "tls", "proxy", "max_bytes", "timeout", "connect_timeout",
	"tail", "tail_limit", "tail_delay_for", "tail_idle_timeout", "tail_max_message",
	"fill_max_lines", NULL };

static void tail_start(struct lkey *k);
static void fill_start(struct lkey *k);

/* -------------------------------------------------------------- helpers */

static tns
now_ns(const struct loki *L)
{
	return L->base.env->now ? L->base.env->now() : ts_now();
}

static void
status(struct lkey *k, enum qstate st, int http, const char *msg)
{
	status_emit(&k->L->base.env->sink, k->key, now_ns(k->L), st, http, 0, msg);
}

static double
rnd(struct loki *L)
{
	L->rng ^= L->rng << 13;
	L->rng ^= L->rng >> 7;
	L->rng ^= L->rng << 17;
	return (double)(L->rng >> 11) / 9007199254740992.0;
}

static int64_t
backoff_ms(struct loki *L, int failures)
{
	double d = BACKOFF_BASE_MS * pow(1.6, failures > 0 ? failures - 1 : 0);

	if (d > BACKOFF_CAP_MS)
		d = BACKOFF_CAP_MS;
	return (int64_t)(d * (0.4 + 0.8 * rnd(L)));
}

static char *
ns_str(tns t)
{
	return xasprintf("%lld", (long long)t);
}

/* "/loki/api/v1/query_range?query=..&start=..&end=..&limit=..&direction=.." */
static char *
range_path(const char *expr, tns start, tns end, int limit, const char *dir, tns step)
{
	char *qs = NULL, *s, *path;

	http_param(&qs, "query", expr);
	s = ns_str(start);
	http_param(&qs, "start", s);
	free(s);
	s = ns_str(end);
	http_param(&qs, "end", s);
	free(s);
	if (limit > 0) {
		s = xasprintf("%d", limit);
		http_param(&qs, "limit", s);
		free(s);
	}
	if (dir)
		http_param(&qs, "direction", dir);
	if (step > 0) {
		s = xasprintf("%.3f", (double)step / NS_PER_S);
		http_param(&qs, "step", s);
		free(s);
	}
	path = xasprintf("/loki/api/v1/query_range?%s", qs);
	free(qs);
	return path;
}

/* "/loki/api/v1/series?match[]=..&match[]=..&start=..&end=.." (a line each) */
static char *
series_path(const char *expr, tns start, tns end)
{
	char *qs = NULL, *s, *path;

	while (*expr) {
		size_t n = strcspn(expr, "\n");
		if (n) {
			s = xstrndup(expr, n);
			http_param(&qs, "match[]", s);
			free(s);
		}
		expr += n + (expr[n] == '\n');
	}
	s = ns_str(start);
	http_param(&qs, "start", s);
	free(s);
	s = ns_str(end);
	http_param(&qs, "end", s);
	free(s);
	path = xasprintf("/loki/api/v1/series?%s", qs);
	free(qs);
	return path;
}

static struct http_call *
get(struct loki *L, const char *path, http_cb cb, void *ctx, tns timeout, char **err)
{
	struct http_req r;

	memset(&r, 0, sizeof r);
	r.path = path;
	r.accept = "application/json";
	r.timeout = timeout;
	r.cb = cb;
	r.ctx = ctx;
	return http_start(L->base.env->http, &L->o, &r, err);
}

static void
emit_logs(struct lkey *k, struct ev_logs *e)
{
	tns nw = ev_logs_newest(e), ol = ev_logs_oldest(e);

	if (nw != TNS_NONE && (k->newest == TNS_NONE || nw > k->newest))
		k->newest = nw;
	if (ol != TNS_NONE && (k->oldest == TNS_NONE || ol < k->oldest))
		k->oldest = ol;
	event_emit(&k->L->base.env->sink, event_new(EV_LOGS, now_ns(k->L), k->key, e));
}

/* ------------------------------------------------------- fetch completion */

static void
done_now(struct lkey *k, int ok, int64_t retry)
{
	struct fetch f = k->f;

	if (!k->pending)
		return;
	k->pending = 0;
	/* done() may cancel the key and free k: take the strings first */
	k->f.key = k->f.kind = NULL;
	f.done(f.done_ctx, &f, ok, retry);
	free((char *)f.key);
	free((char *)f.kind);
}

static void
done_timer(void *ctx)
{
	struct lkey *k = ctx;
	k->done_timer = 0;
	done_now(k, k->done_ok, k->done_retry);
}

/* fetch() must not complete synchronously: the scheduler is mid-loop. */
static void
done_later(struct lkey *k, int ok, int64_t retry)
{
	k->done_ok = ok;
	k->done_retry = retry;
	if (!k->done_timer)
		k->done_timer = loop_timer(k->L->base.env->loop, 0, done_timer, k);
}

/* ------------------------------------------------------------ history */

static void
hist_cb(void *ctx, const struct http_resp *r)
{
	struct lkey *k = ctx;
	struct ev_logs *e;
	struct ev_series *s = NULL;
	const char *rt;
	char *err = NULL;
	tns start = k->f.start, end = k->f.end;
	int page_back = k->hist_page_back;

	k->hist = NULL;
	if (r->error || r->status != 200) {
		char *msg = http_error_text(r);
		status(k, QS_ERROR, (int)r->status, msg);
		free(msg);
		done_now(k, 0, r->retry_after_ms);
		return;
	}
	e = ev_logs_new(LO_HISTORY);
	if (lokiparse_query(r->body, r->len, e, &s, &rt, &err) < 0 || s->n) {
		status(k, QS_ERROR, 200, err ? err : "a metric query cannot be shown as log lines");
		free(err);
		ev_logs_free(e);
		ev_series_free(s);
		done_now(k, 0, 0);
		return;
	}
	ev_series_free(s);
	e->start = page_back ? k->last_before - (end - start) : start;
	e->end = page_back ? k->last_before : end;
	e->complete = e->n < (size_t)k->hist_limit;
	if (page_back)	/* a complete page: the next one starts where it began */
		k->page_next_end = e->complete ? e->start : TNS_NONE;
	if (!page_back) {
		k->have_hist = 1;
		k->hist_start = start;
		k->hist_end = end;
	}
	emit_logs(k, e);
	if (!k->tail_error || !k->L->tail)
		status(k, QS_OK, 200, NULL);
	if (k->live && k->L->tail && !k->ws_id && !k->retry_timer) {
		if (k->resume == TNS_NONE)
			k->resume = k->newest != TNS_NONE ? k->newest : end;
		tail_start(k);
	}
	done_now(k, 1, 0);
}

static int
hist_request(struct lkey *k, tns start, tns end, int limit, char **err)
{
	char *path = range_path(k->expr, start, end, limit, "backward", 0);

	k->hist_limit = limit;
	k->hist = get(k->L, path, hist_cb, k, k->f.timeout, err);
	free(path);
	return k->hist ? 0 : -1;
}

/* -------------------------------------------------------------- gap fill */

static void
fill_cb(void *ctx, const struct http_resp *r)
{
	struct lkey *k = ctx;
	struct ev_logs *e;
	struct ev_series *s = NULL;
	const char *rt;
	char *err = NULL;
	size_t n;
	tns last;

	k->fill = NULL;
	if (r->error || r->status != 200) {
		char *msg = http_error_text(r), *m2 = xasprintf("filling a gap in the tail: %s", msg);
		status(k, QS_ERROR, (int)r->status, m2);
		free(msg);
		free(m2);
		return;		/* the next reconnect fills from the same resume point */
	}
	e = ev_logs_new(LO_FILL);
	if (lokiparse_query(r->body, r->len, e, &s, &rt, &err) < 0) {
		status(k, QS_ERROR, 200, err);
		free(err);
		ev_logs_free(e);
		ev_series_free(s);
		return;
	}
	ev_series_free(s);
	e->start = k->fill_from;
	e->end = k->fill_to;
	n = e->n;
	last = ev_logs_newest(e);
	emit_logs(k, e);
	k->fill_pages++;
	if (n < FILL_PAGE || last == TNS_NONE) {
		/* this gap is closed; another may be waiting */
		if (k->refill_lo != TNS_NONE) {
			k->fill_from = k->refill_lo;
			k->fill_to = k->refill_hi;
			k->fill_pages = 0;
			k->refill_lo = k->refill_hi = TNS_NONE;
			fill_start(k);
		}
		return;
	}
	/* a full page: continue from its last line (inclusive, de-duplicated) */
	k->fill_from = last > k->fill_from ? last : k->fill_from + 1;
	if ((size_t)k->fill_pages * FILL_PAGE >= k->L->fill_max) {
		struct ev_logs *g = ev_logs_new(LO_FILL);
		ev_logs_gap(g, k->fill_from, k->fill_to, 0, GAP_UNLOADED);
		emit_logs(k, g);
		log_warn("loki: tail gap larger than %zu lines; lines after %lld not loaded",
		    k->L->fill_max, (long long)k->fill_from);
		return;
	}
	fill_start(k);
}

static void
fill_start(struct lkey *k)
{
	char *err = NULL, *path;

	if (k->fill)
		http_cancel(k->L->base.env->http, k->fill);
	path = range_path(k->expr, k->fill_from, k->fill_to, FILL_PAGE, "forward", 0);
	k->fill = get(k->L, path, fill_cb, k, 0, &err);
	free(path);
	if (!k->fill) {
		log_warn("loki: cannot fill the tail gap: %s", err ? err : "?");
		free(err);
	}
}

/* ----------------------------------------------------------------- tail */

static void
retry_cb(void *ctx)
{
	struct lkey *k = ctx;
	k->retry_timer = 0;
	tail_start(k);
}

static void
schedule_retry(struct lkey *k, int64_t ms)
{
	if (k->retry_timer)
		loop_cancel(k->L->base.env->loop, k->retry_timer);
	k->retry_timer = loop_timer(k->L->base.env->loop, ms, retry_cb, k);
}

static void
tail_failed(struct lkey *k, const char *msg, int http, int64_t retry_after)
{
	int64_t ms = backoff_ms(k->L, ++k->failures);
	char *full;

	if (retry_after > ms)
		ms = retry_after < 5 * 60000 ? retry_after : 5 * 60000;
	full = xasprintf("tail: %s; retrying in %.1fs", msg, (double)ms / 1000);
	free(k->tail_error);
	k->tail_error = xstrdup(msg);
	log_warn("loki %s: %s", k->L->base.name, full);
	status(k, QS_ERROR, http, full);
	free(full);
	schedule_retry(k, ms);
}

/* The HTTP text of a refused upgrade (400 bad LogQL, 401, 429, ...). */
static void
errcall_cb(void *ctx, const struct http_resp *r)
{
	struct lkey *k = ctx;
	char *msg = http_error_text(r);

	k->errcall = NULL;
	tail_failed(k, msg, (int)r->status, r->retry_after_ms);
	free(msg);
}

static char *
tail_path(struct lkey *k)
{
	char *qs = NULL, *s, *p;

	http_param(&qs, "query", k->expr);
	s = ns_str(k->resume);
	http_param(&qs, "start", s);
	free(s);
	s = xasprintf("%d", k->L->tail_limit);
	http_param(&qs, "limit", s);
	free(s);
	if (k->L->delay_for > 0) {
		s = xasprintf("%d", k->L->delay_for);
		http_param(&qs, "delay_for", s);
		free(s);
	}
	p = xasprintf("/loki/api/v1/tail?%s", qs);
	free(qs);
	return p;
}

static void
refused(struct lkey *k, int http_status, const char *why)
{
	char *path = tail_path(k), *err = NULL;

	k->errcall = get(k->L, path, errcall_cb, k, 10 * NS_PER_S, &err);
	free(path);
	if (!k->errcall) {
		char *m = http_status ? xasprintf("upgrade refused (HTTP %d)", http_status) :
		    xstrdup(why);
		tail_failed(k, m, http_status, 0);
		free(m);
		free(err);
	}
}

/* Lines the server dropped for a slow client are still in Loki: fetch
 * them (the gap marker stays, so the user knows the tail was behind). */
static void
refill(struct lkey *k, tns lo, tns hi)
{
	if (k->fill) {
		if (k->refill_lo == TNS_NONE || lo < k->refill_lo)
			k->refill_lo = lo;
		if (k->refill_hi == TNS_NONE || hi > k->refill_hi)
			k->refill_hi = hi;
		return;
	}
	k->fill_from = lo;
	k->fill_to = hi;
	k->fill_pages = 0;
	fill_start(k);
}

static void
on_message(struct lkey *k, const struct ws_event *ev)
{
	struct ev_logs *e = ev_logs_new(LO_TAIL);
	char *err = NULL;

	if (ev->binary || lokiparse_tail(ev->data, ev->len, e, &err) < 0) {
		/* lines may be lost with a frame we cannot read: reconnect from
		 * the newest line held, and the gap fill brings them back */
		k->garbage++;
		log_warn("loki %s: malformed tail frame (%zu bytes): %s; reconnecting",
		    k->L->base.name, ev->len, err ? err : "binary frame");
		free(err);
		ev_logs_free(e);
		ws_close(k->L->ws, k->ws_id);
		k->ws_id = 0;
		k->tail_open = 0;
		if (k->newest != TNS_NONE)
			k->resume = k->newest;
		tail_failed(k, "malformed frame from the server", 0, 0);
		return;
	}
	for (size_t i = 0; i < e->ngaps; i++) {
		struct ev_logs_gap *g = &e->gaps[i];
		refill(k, g->t, g->until + 1);
		/* one marker per burst: later frames of the burst update it */
		if (k->drop_ms && ts_mono_ms() - k->drop_ms < 5000) {
			k->drop_count += g->count;
			if (g->until > k->drop_until)
				k->drop_until = g->until;
		} else {
			k->drop_t = g->t;
			k->drop_until = g->until;
			k->drop_count = g->count;
		}
		k->drop_ms = ts_mono_ms();
		g->t = k->drop_t;
		g->until = k->drop_until;
		g->count = k->drop_count;
	}
	if (e->n)
		k->failures = 0;	/* lines flow: the connection really works */
	if (e->n || e->ngaps)
		emit_logs(k, e);
	else
		ev_logs_free(e);
}

static void
on_ws(void *ctx, const struct ws_event *ev)
{
	struct lkey *k = ctx;
	int64_t lived;

	switch (ev->type) {
	case WS_OPEN:
		k->tail_open = 1;
		k->opened_ms = ts_mono_ms();
		free(k->tail_error);
		k->tail_error = NULL;
		status(k, QS_OK, 101, NULL);
		/* Loki's backfill is the newest `limit` lines: fill what is older */
		k->fill_from = k->resume;
		k->fill_to = now_ns(k->L) + 60 * NS_PER_S;
		k->fill_pages = 0;
		fill_start(k);
		break;
	case WS_MESSAGE:
		on_message(k, ev);
		break;
	case WS_CLOSED:
		lived = k->tail_open ? ts_mono_ms() - k->opened_ms : 0;
		k->ws_id = 0;
		k->tail_open = 0;
		if (k->newest != TNS_NONE && k->newest > k->resume)
			k->resume = k->newest;
		if (ev->code == 0) {	/* never upgraded */
			if (ev->http_status || strstr(ev->reason, "101"))
				refused(k, ev->http_status, ev->reason);
			else {
				char *m = xasprintf("cannot connect: %s", ev->reason);
				tail_failed(k, m, 0, 0);
				free(m);
			}
		} else if (ev->code == 1011 && (lived > 10000 || strstr(ev->reason, "max duration"))) {
			/* the server's tail_max_duration: expected, come back at once */
			k->failures = 0;
			log_info("loki %s: tail closed (1011 %s); resuming", k->L->base.name, ev->reason);
			schedule_retry(k, (int64_t)(50 + 450 * rnd(k->L)));
		} else {
			char *m = xasprintf("closed (%d%s%s)", ev->code, *ev->reason ? " " : "", ev->reason);
			tail_failed(k, m, 0, 0);
			free(m);
		}
		break;
	}
}

static void
tail_start(struct lkey *k)
{
	struct loki *L = k->L;
	char *path, *url, *err = NULL;

	if (k->ws_id || !L->tail)
		return;
	if (!L->ws) {
		struct ws_opts wo;
		char *proxy = L->o.proxy ? xstrdup(L->o.proxy) : proxy_for_url(L->ws_base);
		memset(&wo, 0, sizeof wo);
		wo.ca_file = L->o.ca_file;
		wo.cert_file = L->o.cert_file;
		wo.key_file = L->o.key_file;
		wo.insecure = L->o.insecure;
		wo.proxy = proxy;
		wo.max_message = L->max_message;
		wo.connect_timeout_s = (int)(L->o.connect_timeout / NS_PER_S);
		wo.idle_timeout_ms = L->idle_ms;
		L->ws = ws_new(L->base.env->loop, &wo, &err);
		free(proxy);
		if (!L->ws) {
			tail_failed(k, err, 0, 0);
			free(err);
			return;
		}
	}
	if (k->resume == TNS_NONE)
		k->resume = now_ns(L);
	path = tail_path(k);
	url = xasprintf("%s%s", L->ws_base, path);
	free(path);
	k->ws_id = ws_open(L->ws, url, (const char *const *)L->hdr, L->nhdr, on_ws, k, &err);
	free(url);
	if (!k->ws_id) {
		tail_failed(k, err, 0, 0);
		free(err);
	}
}

/* ------------------------------------------------------------ the keys */

static struct lkey *
key_get(struct loki *L, const char *key)
{
	struct lkey *k;

	for (k = L->keys; k; k = k->next)
		if (strcmp(k->key, key) == 0)
			return k;
	k = xcalloc(1, sizeof *k);
	k->L = L;
	k->key = xstrdup(key);
	k->newest = k->oldest = k->last_before = k->resume = k->page_next_end = TNS_NONE;
	k->hist_start = k->hist_end = TNS_NONE;
	k->refill_lo = k->refill_hi = TNS_NONE;
	k->next = L->keys;
	L->keys = k;
	return k;
}

static void
key_stop(struct lkey *k)
{
	struct loki *L = k->L;

	if (k->ws_id && L->ws)
		ws_close(L->ws, k->ws_id);
	k->ws_id = 0;
	if (k->hist)
		http_cancel(L->base.env->http, k->hist);
	if (k->fill)
		http_cancel(L->base.env->http, k->fill);
	if (k->errcall)
		http_cancel(L->base.env->http, k->errcall);
	k->hist = k->fill = k->errcall = NULL;
	if (k->retry_timer)
		loop_cancel(L->base.env->loop, k->retry_timer);
	if (k->done_timer)
		loop_cancel(L->base.env->loop, k->done_timer);
	k->retry_timer = k->done_timer = 0;
}

static void
key_free(struct lkey *k)
{
	key_stop(k);
	free((char *)k->f.key);
	free((char *)k->f.kind);
	free(k->key);
	free(k->expr);
	free(k->tail_error);
	free(k);
}

static int
logs_fetch(struct loki *L, const struct fetch *f, char **err)
{
	struct lkey *k = key_get(L, f->key);
	tns now = now_ns(L);
	int live = f->end >= now - LIVE_SLACK;
	int limit = f->limit > 0 ? f->limit : DEFAULT_LIMIT;

	if (limit > MAX_LIMIT)
		limit = MAX_LIMIT;
	if (k->pending || k->hist) {
		*err = xstrdup("a request for this query is still running");
		return -1;
	}
	if (!k->expr || strcmp(k->expr, f->expr) != 0) {
		if (k->ws_id) {	/* the query text changed: start over */
			ws_close(L->ws, k->ws_id);
			k->ws_id = 0;
		}
		free(k->expr);
		k->expr = xstrdup(f->expr);
		k->have_hist = 0;
	}
	k->f = *f;
	k->f.key = xstrdup(f->key);
	k->f.kind = xstrdup(f->kind);
	k->f.expr = NULL;
	k->f.qcfg = NULL;
	k->pending = 1;
	if (live)
		k->live = 1;
	if (f->before && f->before != TNS_NONE && k->have_hist) {
		/* page back: a window ending one ns after the oldest line held
		 * (end is exclusive; the store drops the repeat), or further back
		 * when the last page found everything before it */
		tns span = f->end - f->start > NS_PER_S ? f->end - f->start : 3600 * NS_PER_S;
		tns end = f->before + 1;
		if (k->page_next_end != TNS_NONE && k->page_next_end < end)
			end = k->page_next_end;
		k->last_before = end;
		k->hist_page_back = 1;
		if (hist_request(k, end - span, end, limit, err) < 0)
			goto fail;
		return 0;
	}
	if (!k->have_hist || (!live && (f->start != k->hist_start || f->end != k->hist_end))) {
		k->hist_page_back = 0;
		/* the window includes its end; Loki's end is exclusive */
		if (hist_request(k, f->start, f->end + 1, limit, err) < 0)
			goto fail;
		return 0;
	}
	/* history is loaded: keep the tail going and report its health */
	if (live && L->tail && !k->ws_id && !k->retry_timer)
		tail_start(k);
	if (k->tail_error && L->tail)
		status(k, QS_ERROR, 0, k->tail_error);
	else
		status(k, QS_OK, k->tail_open ? 101 : 200, NULL);
	done_later(k, 1, 0);
	return 0;
fail:
	k->pending = 0;
	free((char *)k->f.key);
	free((char *)k->f.kind);
	k->f.key = k->f.kind = NULL;
	return -1;
}

/* ---------------------------------------------------------- metric LogQL */

static void
mcall_unlink(struct mcall *m)
{
	struct mcall **pp = &m->L->mcalls;
	while (*pp && *pp != m)
		pp = &(*pp)->next;
	if (*pp)
		*pp = m->next;
}

static void
mcall_free(struct mcall *m)
{
	free(m->key);
	free(m->kind);
	free(m);
}

/* /loki/api/v1/series answered: the same envelope as Prometheus'. */
static int
series_answer(struct mcall *m, const struct http_resp *r)
{
	struct loki *L = m->L;
	struct prom_out o;
	int ok = prom_parse(r, PW_LABELSETS, m->f.start, m->f.end, 0, &o) == 0;

	if (ok) {
		struct ev_values *v = o.values ? o.values : ev_values_new();
		o.values = NULL;
		ev_values_finish(v, 1);
		event_emit(&L->base.env->sink, event_new(EV_VALUES, now_ns(L), m->key, v));
	}
	status_emit(&L->base.env->sink, m->key, now_ns(L), ok ? QS_OK : QS_ERROR, (int)r->status,
	    r->latency_ms, ok ? NULL : o.st->error);
	prom_out_free(&o);
	return ok;
}

static void
metric_cb(void *ctx, const struct http_resp *r)
{
	struct mcall *m = ctx;
	struct loki *L = m->L;
	struct ev_series *s = NULL;
	const char *rt;
	char *err = NULL;
	int ok = 0;

	mcall_unlink(m);
	if (strcmp(m->kind, "series") == 0 && !r->error && r->status == 200) {
		ok = series_answer(m, r);
	} else if (r->error || r->status != 200) {
		char *msg = http_error_text(r);
		status_emit(&L->base.env->sink, m->key, now_ns(L), QS_ERROR, (int)r->status,
		    r->latency_ms, msg);
		free(msg);
	} else if (lokiparse_query(r->body, r->len, NULL, &s, &rt, &err) < 0) {
		status_emit(&L->base.env->sink, m->key, now_ns(L), QS_ERROR, 200, r->latency_ms, err);
		free(err);
	} else {
		int instant = strcmp(m->kind, "instant") == 0;
		s->start = instant ? m->f.end : m->f.start;
		s->end = m->f.end;
		s->step = instant ? 0 : m->f.step;
		event_emit(&L->base.env->sink, event_new(EV_SERIES, now_ns(L), m->key, s));
		s = NULL;
		status_emit(&L->base.env->sink, m->key, now_ns(L), QS_OK, 200, r->latency_ms, NULL);
		ok = 1;
	}
	ev_series_free(s);
	m->f.key = m->key;
	m->f.kind = m->kind;
	m->f.done(m->f.done_ctx, &m->f, ok, r->retry_after_ms);
	mcall_free(m);
}

static int
metric_fetch(struct loki *L, const struct fetch *f, char **err)
{
	struct mcall *m = xcalloc(1, sizeof *m);
	char *path;

	m->L = L;
	m->f = *f;
	m->key = xstrdup(f->key);
	m->kind = xstrdup(f->kind);
	if (strcmp(f->kind, "instant") == 0) {
		char *qs = NULL, *t = ns_str(f->end);
		http_param(&qs, "query", f->expr);
		http_param(&qs, "time", t);
		free(t);
		path = xasprintf("/loki/api/v1/query?%s", qs);
		free(qs);
	} else if (strcmp(f->kind, "series") == 0)
		path = series_path(f->expr, f->start, f->end);
	else
		path = range_path(f->expr, f->start, f->end, 0, NULL, f->step > 0 ? f->step : NS_PER_S);
	m->call = get(L, path, metric_cb, m, f->timeout, err);
	free(path);
	if (!m->call) {
		mcall_free(m);
		return -1;
	}
	m->next = L->mcalls;
	L->mcalls = m;
	return 0;
}

/* ------------------------------------------------------------ the class */

static int
loki_fetch(struct source *src, const struct fetch *f, char **err)
{
	struct loki *L = src->priv;

	*err = NULL;
	if (strcmp(f->kind, "logs") == 0)
		return logs_fetch(L, f, err);
	if (strcmp(f->kind, "range") == 0 || strcmp(f->kind, "instant") == 0 ||
	    strcmp(f->kind, "series") == 0)
		return metric_fetch(L, f, err);
	*err = xasprintf("loki cannot answer '%s' queries", f->kind);
	return -1;
}

static void
loki_cancel(struct source *src, const char *key)
{
	struct loki *L = src->priv;
	struct lkey **pp = &L->keys;

	while (*pp) {
		struct lkey *k = *pp;
		if (strcmp(k->key, key) == 0) {
			*pp = k->next;
			key_free(k);
			continue;
		}
		pp = &k->next;
	}
	for (struct mcall **mp = &L->mcalls; *mp;) {
		struct mcall *m = *mp;
		if (strcmp(m->key, key) == 0) {
			*mp = m->next;
			http_cancel(L->base.env->http, m->call);
			mcall_free(m);
			continue;
		}
		mp = &m->next;
	}
}

static void
loki_destroy(struct source *src)
{
	struct loki *L;

	if (!src)
		return;
	L = src->priv;
	while (L->keys) {
		struct lkey *k = L->keys;
		L->keys = k->next;
		key_free(k);
	}
	while (L->mcalls) {
		struct mcall *m = L->mcalls;
		L->mcalls = m->next;
		http_cancel(L->base.env->http, m->call);
		mcall_free(m);
	}
	ws_free(L->ws);
	for (size_t i = 0; i < L->nhdr; i++)
		secret_free(L->hdr[i]);
	free(L->hdr);
	free(L->ws_base);
	http_opts_free(&L->o);
	free(L->base.name);
	free(L);
}

static void
add_hdr(struct loki *L, char *h)
{
	L->hdr = xreallocarray(L->hdr, L->nhdr + 1, sizeof *L->hdr);
	L->hdr[L->nhdr++] = h;
}

static int
opt_int(const struct dash_source *ds, const char *key, int def, int lo, int hi)
{
	const cJSON *v = dash_source_opt(ds, key);
	if (!cJSON_IsNumber(v))
		return def;
	return v->valuedouble < lo ? lo : v->valuedouble > hi ? hi : (int)v->valuedouble;
}

static tns
opt_dur(const struct dash_source *ds, const char *key, tns def)
{
	const cJSON *v = dash_source_opt(ds, key);
	tns d;
	if (cJSON_IsNumber(v) && v->valuedouble > 0)
		return (tns)(v->valuedouble * NS_PER_S);
	if (cJSON_IsString(v) && ts_parse_duration(v->valuestring, &d) == 0 && d > 0)
		return d;
	return def;
}

static struct source *
loki_create(const struct dash_source *ds, struct source_env *env, char **err)
{
	struct loki *L = xcalloc(1, sizeof *L);
	const cJSON *t = dash_source_opt(ds, "tail");

	if (http_opts_from_source(ds, "SCRY_LOKI_TOKEN_FILE", &L->o, err) < 0) {
		free(L);
		return NULL;
	}
	L->base.cls = NULL;	/* set by the class pointer below */
	L->base.name = xstrdup(ds->name);
	L->base.env = env;
	L->base.insecure = L->o.insecure;
	L->base.priv = L;
	L->tail = !cJSON_IsFalse(t);
	L->tail_limit = opt_int(ds, "tail_limit", 1000, 1, MAX_LIMIT);
	L->delay_for = opt_int(ds, "tail_delay_for", 0, 0, 5);
	L->idle_ms = (int)(opt_dur(ds, "tail_idle_timeout", 15 * NS_PER_S) / NS_PER_MS);
	L->max_message = (size_t)opt_int(ds, "tail_max_message", (int)WS_DEFAULT_MAX_MESSAGE,
	    64 * 1024, 1 << 30);
	L->fill_max = (size_t)opt_int(ds, "fill_max_lines", 100000, FILL_PAGE, 10000000);
	L->rng = (uint64_t)ts_now() | 1;
	L->ws_base = xasprintf("ws%s", L->o.base + 4);	/* http(s)://... -> ws(s)://... */
	for (size_t i = 0; i < L->o.nheaders; i++)
		add_hdr(L, xstrdup(L->o.headers[i]));
	if (L->o.user && L->o.password) {
		char *enc = http_basic_credential(&L->o);
		add_hdr(L, xasprintf("Authorization: Basic %s", enc));
		secret_free(enc);
	} else if (L->o.bearer)
		add_hdr(L, xasprintf("Authorization: Bearer %s", L->o.bearer));
	return &L->base;
}

static int
loki_check(const struct dash_source *ds, const struct jdoc *doc, struct diag *dg)
{
	char path[256];

	http_opts_check(ds, doc, dg);
	if (!ds->cfg)
		return 0;
	snprintf(path, sizeof path, "sources.%s", ds->name);
	jd_bool(doc, dg, ds->cfg, path, "tail", 1);
	jd_int(doc, dg, ds->cfg, path, "tail_limit", 1000, 1, MAX_LIMIT);
	jd_int(doc, dg, ds->cfg, path, "tail_delay_for", 0, 0, 5);
	jd_duration(doc, dg, ds->cfg, path, "tail_idle_timeout", 15 * NS_PER_S);
	jd_num(doc, dg, ds->cfg, path, "tail_max_message", 0);
	jd_num(doc, dg, ds->cfg, path, "fill_max_lines", 0);
	return 0;
}

static struct source *loki_create_cls(const struct dash_source *ds, struct source_env *env, char **err);

const struct source_class loki_source = {
	.name = "loki",
	.help = "Loki: log history (query_range), live tail (websocket), metric LogQL",
	.url_env = "SCRY_LOKI_URL",
	.cfg_keys = loki_keys,
	.kinds = loki_kinds,
	.check = loki_check,
	.create = loki_create_cls,
	.destroy = loki_destroy,
	.fetch = loki_fetch,
	.cancel = loki_cancel,
};

static struct source *
loki_create_cls(const struct dash_source *ds, struct source_env *env, char **err)
{
	struct source *s = loki_create(ds, env, err);
	if (s)
		s->cls = &loki_source;
	return s;
}
