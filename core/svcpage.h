/* svcpage: a generated page for one service (`scry --service NAME`,
 * `:service NAME`), built from what probes of the configured sources
 * found, following the Istio, OpenTelemetry and Prometheus naming
 * conventions.
 *
 * The prober (tui/svcview.c) sends svcpage_probes() as match[] selectors
 * to /api/v1/series over the hour before the window's end, the
 * svcpage_loki_probes() stream selectors to Loki's /series, and lists the
 * pods of the kubectl source; the builder turns the answers into a scry
 * dashboard document:
 *   RED graphs  request rate by code, 5xx ratio, P50/P99, latency heatmap
 *   traffic     inbound callers and outbound callees (tables), topology
 *   kubernetes  pods (by the label that carries the name, else by the
 *               owner's name) and events of the service's objects
 *   logs        the Loki stream selector of the service (the first label
 *               of svcpage_loki_labels whose streams carry the name)
 *   SLOs        an slo panel per SLO of the service
 * Conventions, best first: Istio (destination_service_name or the FQDN
 * destination_service; ms or s histograms), OpenTelemetry HTTP server
 * semantic conventions, span metrics (Tempo metrics-generator and the
 * OTel spanmetrics connector), plain Prometheus client metrics. */
#ifndef SCRY_SVCPAGE_H
#define SCRY_SVCPAGE_H
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/labels.h"

struct slo_set;
struct kpod;

struct svc_probe {
	const char		*service;	/* the name asked for */
	const struct labelset	*series;	/* /api/v1/series answers (all probes) */
	size_t			 nseries;
	const struct labelset	*streams;	/* Loki /series answers (all probes) */
	size_t			 nstreams;
	const struct kpod *const *pods;		/* the kubectl source's pods */
	size_t			 npods;
	const char		*prom;		/* scry source names, NULL when not configured */
	const char		*loki;
	const char		*kube;
	const struct slo_set	*slos;		/* SLOs known (dashboard, --slo), or NULL */
	int			 topology;	/* a "topology" panel type exists */
	const char		*when;		/* "02:30:00" the probes describe, or NULL */
	const char		*notes;		/* probes that failed ("loki: timeout"), or NULL */
};

/* The match[] selectors to probe (allocated strings in an allocated,
 * NULL-terminated array; free with svcpage_free_probes). */
char	**svcpage_probes(const char *service);
void	  svcpage_free_probes(char **p);
/* Loki label names that may carry a service name, in order of preference. */
extern const char *const svcpage_loki_labels[];
/* The Loki stream selectors to probe ({app="order"}, ...); like probes. */
char	**svcpage_loki_probes(const char *service);
/* The page as a scry dashboard document (never NULL). */
cJSON	 *svcpage_build(const struct svc_probe *pr);
/* Is a service name safe to put into selectors (no quotes or escapes)? */
int	  svcpage_name_ok(const char *name);

#endif
