/* incident.h: a generator of the seed incident's event stream
 * (tests/fixtures/incident/STORY.md), as the Prometheus source would emit
 * it for the incident dashboard: range results for every graph panel,
 * query statuses and alert snapshots, polled every 15 s.
 *
 * Test-only code (tests/tools/mkrec.c, bench/recording.c include it): it
 * stands in for a backend where the recording format, seeking and the
 * replay UI are tested; the live path is tested against the real
 * Prometheus in tests/integration/record_prometheus.sh. */
#ifndef SCRY_TEST_INCIDENT_H
#define SCRY_TEST_INCIDENT_H
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alerts.h"
#include "core/dashboard.h"
#include "core/event.h"
#include "core/series.h"
#include "core/status.h"
#include "core/template.h"
#include "core/xalloc.h"

#define INC_FN		static __attribute__((unused))
#define INC_T0		(1795659420LL * NS_PER_S)	/* 2026-11-26T02:17:00Z */
#define INC_STEP	(30 * NS_PER_S)

enum inc_metric { INC_P99, INC_ERR, INC_RPS, INC_POOL, INC_OTHER };

static const char *const inc_svcs[] = { "frontend", "cart", "order", "payment", "inventory" };
static const double inc_p99_ok[] = { 180, 40, 120, 80, 25 }, inc_p99_bad[] = { 8600, 40, 8400, 2800, 25 };
static const double inc_err_ok[] = { 0.002, 0.001, 0.002, 0.001, 0.001 },
    inc_err_bad[] = { 0.55, 0.001, 0.60, 0.92, 0.001 };
static const double inc_rps_ok[] = { 120, 40, 30, 25, 30 }, inc_rps_bad[] = { 118, 40, 30, 75, 30 };

/* 0 healthy .. 1 incident: 02:17 onset, rollback 02:41, recovered 02:47. */
INC_FN double
inc_level(tns t)
{
	double m = (double)(t - INC_T0) / (60.0 * NS_PER_S);

	if (m < 0)
		return 0;
	if (m < 1)
		return m;
	if (m < 24)
		return 1;
	if (m < 30)
		return 1 - (m - 24) / 6;
	return 0;
}

/* Deterministic jitter in [-1, 1] from (t, series). */
INC_FN double
inc_noise(tns t, int s)
{
	uint64_t x = (uint64_t)t / NS_PER_S * 0x9e3779b97f4a7c15ULL + (uint64_t)s * 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 31;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 29;
	return (double)(x % 20001) / 10000.0 - 1.0;
}

INC_FN double
inc_value(enum inc_metric m, int svc, tns t)
{
	double l = inc_level(t), n = inc_noise(t, svc + 10 * (int)m);

	switch (m) {
	case INC_P99:
		return (inc_p99_ok[svc] + (inc_p99_bad[svc] - inc_p99_ok[svc]) * l) * (1 + 0.05 * n);
	case INC_ERR:
		return fmax(0, (inc_err_ok[svc] + (inc_err_bad[svc] - inc_err_ok[svc]) * l) * (1 + 0.05 * n));
	case INC_RPS:
		return (inc_rps_ok[svc] + (inc_rps_bad[svc] - inc_rps_ok[svc]) * l) * (1 + 0.03 * n);
	case INC_POOL: {
		/* ~85 healthy, to the limit of 103 by 02:19, back after the rollback */
		double m2 = (double)(t - INC_T0) / (60.0 * NS_PER_S), v = 85 + 2 * n;
		if (m2 >= 0 && m2 < 24)
			v = fmin(103, 85 + 9 * m2 + 2 * n);
		else if (m2 >= 24 && m2 < 30)
			v = 103 - 3 * (m2 - 24);
		return round(v);
	}
	default:
		return 1 + 0.1 * n;
	}
}

INC_FN enum inc_metric
inc_metric_of(const struct dash_panel *p)
{
	const char *e = p->nq ? p->q[0].expr : "";

	if (strstr(e, "histogram_quantile"))
		return INC_P99;
	if (strstr(e, "5..") || strstr(e, "5xx"))
		return INC_ERR;
	if (strstr(e, "upstream_cx_active"))
		return INC_POOL;
	if (strstr(e, "istio_requests_total"))
		return INC_RPS;
	return INC_OTHER;
}

struct inc_gen {
	struct dashboard	*db;
	char			*key[64];
	enum inc_metric		 metric[64];
	size_t			 nkeys;
	char			*alerts_key;
	tns			 range;
};

/* Keys as the app makes them: source name, "range", the expression with
 * dashboard variables expanded and time variables left as written. */
INC_FN void
inc_init(struct inc_gen *g, struct dashboard *db)
{
	memset(g, 0, sizeof *g);
	g->db = db;
	g->range = db->range;
	for (size_t i = 0; i < db->npanels && g->nkeys < 64; i++) {
		const struct dash_panel *p = &db->panels[i];
		const char *src = p->source ? p->source : db->nsrc ? db->src[0].name : "prometheus";
		char *expr;
		if (strcmp(p->type, "graph") != 0 || !p->nq)
			continue;
		expr = tmpl_expand(p->q[0].expr, db, NULL);
		g->key[g->nkeys] = qkey_make(src, "range", expr);
		g->metric[g->nkeys++] = inc_metric_of(p);
		free(expr);
	}
	g->alerts_key = qkey_make(db->nsrc ? db->src[0].name : "prometheus", "alerts", "");
}

INC_FN void
inc_free(struct inc_gen *g)
{
	for (size_t i = 0; i < g->nkeys; i++)
		free(g->key[i]);
	free(g->alerts_key);
}

INC_FN struct ev_series *
inc_series(enum inc_metric m, tns end, tns range)
{
	tns e = end - end % INC_STEP, s = e - range;
	struct ev_series *ev = ev_series_new(RT_MATRIX, s, e, INC_STEP);
	int n = m == INC_POOL ? 1 : 5;

	for (int k = 0; k < n; k++) {
		struct ev_series_one *one = ev_series_add(ev);
		char svc[96];
		if (m == INC_POOL)
			labels_set(&one->labels, "cluster_name", "outbound|8080||payment.shop.svc.cluster.local");
		else {
			snprintf(svc, sizeof svc, "%s.shop.svc.cluster.local", inc_svcs[k]);
			labels_set(&one->labels, "destination_service", svc);
		}
		labels_finish(&one->labels);
		for (tns t = s; t <= e; t += INC_STEP)
			ev_series_point(one, t, inc_value(m, k, t));
	}
	return ev;
}

struct inc_alert {
	const char	*name, *label, *value, *severity;
	int		 pending_s, firing_s, resolved_s;	/* seconds after 02:17:00 */
};

static const struct inc_alert inc_alerts[] = {
	{ "HighLatencyP99", "service", "order", "critical", 30, 120, 1680 },
	{ "EnvoyUpstreamOverflow", "destination_service_name", "payment", "critical", 60, 90, 1620 },
	{ "ErrorBudgetBurn", "service", "payment", "warning", 60, 180, 1740 },
};

INC_FN struct ev_alerts *
inc_alerts_at(tns t)
{
	struct ev_alerts *e = ev_alerts_new();
	double s = (double)(t - INC_T0) / NS_PER_S;

	for (size_t i = 0; i < sizeof inc_alerts / sizeof *inc_alerts; i++) {
		const struct inc_alert *x = &inc_alerts[i];
		struct alert *al;
		if (s < x->pending_s || s >= x->resolved_s)
			continue;
		al = ev_alerts_add(e);
		labels_set(&al->labels, "alertname", x->name);
		labels_set(&al->labels, x->label, x->value);
		labels_set(&al->labels, "severity", x->severity);
		labels_finish(&al->labels);
		al->state = xstrdup(s >= x->firing_s ? "firing" : "pending");
		al->active_at = INC_T0 + (tns)x->pending_s * NS_PER_S;
		al->value = 1;
	}
	return e;
}

typedef void (*inc_emit_fn)(void *ctx, tns rtime, struct event *ev);

/* One poll of every panel and the alerts at time t. */
INC_FN void
inc_poll(struct inc_gen *g, tns t, inc_emit_fn emit, void *ctx)
{
	for (size_t i = 0; i < g->nkeys; i++) {
		tns rt = t + (tns)(20 + 7 * i) * NS_PER_MS;
		struct ev_status *st = status_new(QS_OK, NULL);
		emit(ctx, rt, event_new(EV_SERIES, rt, g->key[i], inc_series(g->metric[i], t, g->range)));
		st->latency_ms = 20 + 7 * (int64_t)i;
		emit(ctx, rt, event_new(EV_STATUS, rt, g->key[i], st));
	}
	emit(ctx, t + 15 * NS_PER_MS, event_new(EV_ALERTS, t + 15 * NS_PER_MS, g->alerts_key,
	    inc_alerts_at(t)));
}

#endif
