/* prom_parse: the Prometheus HTTP API response parser, a pure function
 * over (HTTP status, content type, body) so it can be unit-tested and
 * fuzzed without a network.
 *
 * It understands the v1 envelope ({"status", "data", "errorType",
 * "error", "warnings", "infos"}), every query result type (matrix,
 * vector, scalar, string; "NaN", "+Inf", "-Inf" values), alerts from
 * /api/v1/rules or /api/v1/alerts, exemplars, string lists (labels,
 * label values) and buildinfo.  Errors come back as text an SRE can act
 * on: the server's "errorType: error" verbatim, the first line (or HTML
 * title) of a non-JSON body, "truncated JSON", "response too large".
 * The body is walked in place (core/jpull.h): no DOM is built, so peak
 * memory is the body plus the samples.  Missing points stay missing
 * (gaps); nothing is ever filled with zeros. */
#ifndef SCRY_PROM_PARSE_H
#define SCRY_PROM_PARSE_H
#include <stddef.h>

#include "core/alerts.h"
#include "core/exemplars.h"
#include "core/series.h"
#include "core/status.h"
#include "core/values.h"
#include "sources/http.h"

enum prom_what {
	PW_QUERY,	/* /query, /query_range: series */
	PW_ALERTS,	/* /rules?type=alert or /alerts: alerts (with rule expr) */
	PW_EXEMPLARS,	/* /query_exemplars */
	PW_STRINGS,	/* /labels, /label/X/values: values */
	PW_BUILDINFO,	/* /status/buildinfo: version */
	PW_LABELSETS,	/* /series (Prometheus and Loki): values, one
			 * core/labeltext.h text per label set */
};

struct prom_out {
	struct ev_status	*st;		/* always set */
	struct ev_series	*series;	/* PW_QUERY */
	struct ev_alerts	*alerts;	/* PW_ALERTS: active (pending/firing) alerts */
	struct ev_alerts	*rules;		/* PW_ALERTS: one entry per alerting rule
						 * (alertname + rule labels, expr,
						 * annotations, rule state) */
	struct ev_exemplars	*ex;		/* PW_EXEMPLARS */
	struct ev_values	*values;	/* PW_STRINGS, PW_LABELSETS */
	char			*version;	/* PW_BUILDINFO */
	size_t			 skipped;	/* native histogram samples ignored */
	size_t			 dropped_series;	/* beyond max_series, skipped */
};

/* Parse a response.  start/end/step describe the request (they stamp the
 * series result's window).  Returns 0 (out->st is QS_OK, with any
 * warnings) or -1 (out->st is QS_ERROR with the message; no data). */
int	prom_parse(const struct http_resp *r, enum prom_what what, tns start, tns end, tns step,
	    struct prom_out *out);
/* The same, keeping at most max_series series of a query answer (0: all):
 * the rest are skipped unparsed, counted in out->dropped_series and
 * named in a warning ("showing the first N of M series"). */
int	prom_parse_max(const struct http_resp *r, enum prom_what what, tns start, tns end, tns step,
	    size_t max_series, struct prom_out *out);
void	prom_out_free(struct prom_out *out);

/* Alerts as they were at an instant, from the ALERTS / ALERTS_FOR_STATE
 * series (an instant query of "ALERTS or ALERTS_FOR_STATE"): state from
 * the alertstate label, activeAt from ALERTS_FOR_STATE, the expression
 * and annotations from the current rules (may be NULL) by alertname. */
struct ev_alerts *prom_alerts_from_series(const struct ev_series *s, const struct ev_alerts *rules);

/* A Prometheus sample value string: "0.375", "NaN", "+Inf", "-Inf",
 * "1e+00".  Returns 0 or -1 (not a number). */
int	prom_value(const char *s, size_t n, double *v);
/* Seconds (float, ms precision on the wire) to tns. */
tns	prom_time(double secs);

#endif
