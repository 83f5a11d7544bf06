/* fuzz target: Prometheus HTTP API answers (sources/prom_parse.c) — every
 * kind of answer (query results of every type, alerts and rules,
 * exemplars, label lists, label sets, buildinfo), error envelopes and
 * non-JSON bodies under any HTTP status and content type — then what the
 * source does with a good answer: the alerts rebuilt from ALERTS series,
 * query_result variable texts, the store, and the recording codec.
 *
 * Input: one selector byte, then the body.
 *   bits 0-2  what: PW_QUERY PW_ALERTS PW_EXEMPLARS PW_STRINGS
 *             PW_BUILDINFO PW_LABELSETS, 6 = PW_QUERY + alerts from
 *             series, 7 = PW_QUERY + query_result texts
 *   bits 3-4  HTTP status 200 400 422 503
 *   bits 5-6  content type application/json, none, text/html,
 *             application/problem+json
 *   bit 7     range query (15 s step) instead of an instant one
 * Invariant: an answer that parses encodes to an event that decodes and
 * re-encodes to the same bytes (recordings replay what was live). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/event.h"
#include "core/store.h"
#include "core/xalloc.h"
#include "sources/prom_parse.h"
#include "sources/prom_varq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long statuses[4] = { 200, 400, 422, 503 };
static const char *const ctypes[4] = { "application/json", NULL, "text/html; charset=utf-8",
	"application/problem+json" };

/* The rules every ALERTS series is joined with (what /api/v1/rules gave). */
static const char rules_json[] =
    "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"g\",\"rules\":["
    "{\"state\":\"firing\",\"name\":\"Watchdog\",\"query\":\"vector(1)\",\"duration\":0,"
    "\"labels\":{\"severity\":\"none\"},\"annotations\":{\"summary\":\"s\"},\"alerts\":[],"
    "\"type\":\"alerting\"},"
    "{\"state\":\"inactive\",\"name\":\"PaymentUpstreamOverflow\",\"query\":\"x > 0.05\","
    "\"duration\":60,\"labels\":{\"severity\":\"critical\"},\"annotations\":{},\"alerts\":[],"
    "\"type\":\"alerting\"}]}]}}";

/* Encode, decode, re-encode: the two encodings must be the same bytes;
 * then apply to a store and take its digest.  Takes payload. */
static void
exercise(struct store *st, enum ev_kind kind, void *payload)
{
	struct event *ev = event_new(kind, 1, "p\x1frange\x1fup", payload), *back;
	struct buf a, b;
	struct rd r;
	char *err = NULL;

	buf_init(&a, 256u << 20);
	buf_init(&b, 256u << 20);
	if (event_encode(ev, &a) == 0) {
		rd_init(&r, a.data, a.len);
		if (!(back = event_decode(&r, &err)))
			abort();
		if (event_encode(back, &b) < 0 || a.len != b.len || memcmp(a.data, b.data, a.len))
			abort();
		event_free(back);
	}
	store_apply(st, ev);
	(void)store_digest(st, 2);
	buf_free(&a);
	buf_free(&b);
	event_free(ev);
}

static struct ev_alerts *
fixed_rules(void)
{
	static struct ev_alerts *rules;
	struct http_resp r;
	struct prom_out o;

	if (rules)
		return rules;
	memset(&r, 0, sizeof r);
	r.status = 200;
	r.content_type = "application/json";
	r.body = rules_json;
	r.len = sizeof rules_json - 1;
	if (prom_parse(&r, PW_ALERTS, 0, 0, 0, &o) < 0 || !o.rules)
		abort();
	rules = o.rules;
	o.rules = NULL;
	prom_out_free(&o);
	return rules;
}

static void
use(struct store *st, unsigned what, struct prom_out *o)
{
	if (what == 6 && o->series) {
		exercise(st, EV_ALERTS, prom_alerts_from_series(o->series, fixed_rules()));
		exercise(st, EV_ALERTS, prom_alerts_from_series(o->series, NULL));
	}
	if (what == 7 && o->series)
		for (size_t i = 0; i < o->series->n; i++)
			free(prom_varq_result_text(&o->series->s[i]));
	if (o->series)
		exercise(st, EV_SERIES, o->series);
	if (o->alerts)
		exercise(st, EV_ALERTS, o->alerts);
	if (o->rules)
		exercise(st, EV_ALERTS, o->rules);
	if (o->ex)
		exercise(st, EV_EXEMPLARS, o->ex);
	if (o->values)
		exercise(st, EV_VALUES, o->values);
	o->series = NULL;
	o->alerts = o->rules = NULL;
	o->ex = NULL;
	o->values = NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum prom_what whats[8] = { PW_QUERY, PW_ALERTS, PW_EXEMPLARS, PW_STRINGS,
		PW_BUILDINFO, PW_LABELSETS, PW_QUERY, PW_QUERY };
	struct http_resp r;
	struct prom_out o;
	struct store *st;
	unsigned sel, what;
	char *body;
	tns end = 1795660200 * NS_PER_S, step;

	if (size < 1)
		return 0;
	sel = data[0];
	what = sel & 7;
	step = sel & 0x80 ? 15 * NS_PER_S : 0;
	body = xmalloc(size);	/* the HTTP layer NUL-terminates bodies */
	memcpy(body, data + 1, size - 1);
	body[size - 1] = '\0';
	memset(&r, 0, sizeof r);
	r.status = statuses[(sel >> 3) & 3];
	r.content_type = ctypes[(sel >> 5) & 3];
	r.body = body;
	r.len = size - 1;
	st = store_new(NULL);
	/* the last query selector keeps one series and skips the rest (max_series) */
	if (prom_parse_max(&r, whats[what], end - 3600 * NS_PER_S, end, step, what == 7 ? 1 : 0, &o) == 0)
		use(st, what, &o);
	else if (!o.st || !o.st->error)
		abort();	/* every failure carries a message */
	exercise(st, EV_STATUS, o.st);
	o.st = NULL;
	prom_out_free(&o);
	store_free(st);
	free(body);
	return 0;
}
