/* topology: the service graph model of the topology panel, built the way
 * Kiali builds its graph (reference/apis.md 5.3) from instant query
 * answers, plus the PromQL that asks for them, health, the worst edge,
 * comparison with a frozen snapshot, namespace collapsing, and the
 * export forms (Graphviz DOT and plain text).
 *
 * Metrics:
 *  istio  istio_requests_total with ONE reporter (destination by default:
 *         each in-mesh hop is reported by both proxies), summed by source
 *         workload and destination service and response code; errors are
 *         5xx, response_code "0" (no response) and, for gRPC, a
 *         grpc_response_status other than 0; the quantile per edge from
 *         istio_request_duration_milliseconds_bucket, or the pre-1.5
 *         istio_request_duration_seconds_bucket scaled to ms.
 *  tempo  Tempo's metrics-generator service graph:
 *         traces_service_graph_request_total / _failed_total by client and
 *         server, the quantile from _request_server_seconds_bucket.
 * Node identity: (namespace, name).  Istio sources are named by
 * source_canonical_service, else source_workload; destinations by
 * destination_service_name, else the first label of destination_service
 * (namespace from its second label when the namespace label is missing).
 * Traffic from outside the mesh has source "unknown".
 * Invariants: node names and namespaces are never NULL (may be ""); each
 * (src, dst) pair appears once; rates are finite and >= 0; p99 is NaN
 * when unknown.  Strings come from the network: sanitise before display. */
#ifndef SCRY_TOPOLOGY_H
#define SCRY_TOPOLOGY_H
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/hmap.h"
#include "core/labels.h"
#include "core/ts.h"

enum topo_metrics { TM_ISTIO, TM_TEMPO };
enum topo_query { TQ_REQ, TQ_FAIL, TQ_LAT, TQ_MAX };
enum topo_health { TH_OK, TH_WARN, TH_ERROR };
enum topo_change { TC_NONE, TC_NEW, TC_GONE, TC_WORSE, TC_BETTER, TC_CHANGED };

struct topo_opts {
	enum topo_metrics	 metrics;
	const char		*reporter;	/* istio: "destination" (default) or "source" */
	const char		*ns;		/* namespace regex (istio), NULL or "": all */
	const char		*selector;	/* extra matchers, e.g. cluster="eu1", or NULL */
	tns			 window;	/* rate window (default 1m) */
	double			 quantile;	/* 0 < q < 1 (default 0.99) */
};

struct topo_th {
	double	err_warn, err_error;	/* error ratios (0.01, 0.05) */
	double	lat_warn, lat_error;	/* quantile in ms (300, 1000) */
};

struct topo_node {
	char	*ns, *name;
	int	 members;	/* services folded in (namespace nodes), 1 otherwise */
	int	 folded;	/* a collapsed namespace */
	/* pods (when a kubectl source answered for this time) */
	int	 pods_known, pods, ready, restarts, bad;
	double	 in_rate, in_err;	/* over incoming edges */
	int	 health;
	int	 self;		/* index of its self-call edge, or -1 */
};

struct topo_edge {
	int	 src, dst;
	double	 rate;		/* requests per second */
	double	 err;		/* erroring requests per second */
	double	 noresp;	/* response_code "0" per second */
	double	 p99;		/* ms at the configured quantile, NaN unknown */
	double	 top_err;	/* rate of the dominant error series */
	char	 code[8];	/* its response code ("503", "0", "grpc 14") */
	char	 flags[16];	/* its Envoy response_flags ("UO"), "" none */
	int	 health;
	int	 change;	/* vs a frozen snapshot: enum topo_change */
	double	 was_rate, was_ratio, was_p99;	/* the frozen values (change != NONE) */
};

struct topology {
	struct topo_node	*n;
	size_t			 nn, capn;
	struct topo_edge	*e;
	size_t			 ne, cape;
	struct hmap		 nidx;		/* "ns\x1fname" -> node index + 1 */
	struct hmap		 eidx;		/* "src,dst" -> edge index + 1 */
	tns			 at;		/* evaluation time of the answers */
	int			 worst;		/* edge index or -1 */
	uint64_t		 dropped;	/* series ignored (caps, bad labels) */
};

#define TOPO_MAX_NODES	5000
#define TOPO_EXPORT_NAME_MAX	1024	/* bytes of one name in an export */
#define TOPO_MAX_EDGES	20000

void	topo_opts_default(struct topo_opts *o);
void	topo_th_default(struct topo_th *th);
/* The PromQL for each query (allocated, NULL where the mode has none). */
void	topo_queries(const struct topo_opts *o, char *q[TQ_MAX]);
/* "P99", "P95", "P99.9" for a quantile. */
void	topo_quantile_name(double q, char *dst, size_t n);

void	topo_init(struct topology *t);
void	topo_free(struct topology *t);
void	topo_copy(struct topology *dst, const struct topology *src);
int	topo_node(struct topology *t, const char *ns, const char *name);
int	topo_find(const struct topology *t, const char *ns, const char *name);
int	topo_edge(struct topology *t, int src, int dst);
/* One series of an answer (query q of the mode) with its value. */
void	topo_add(struct topology *t, enum topo_metrics m, enum topo_query q,
	    const struct labelset *ls, double v);
/* Health of edges and nodes, the worst edge; call after the last add. */
void	topo_finish(struct topology *t, const struct topo_th *th);
double	topo_ratio(const struct topo_edge *e);
int	topo_edge_health(const struct topo_edge *e, const struct topo_th *th);
/* Mark t's edges against a frozen snapshot; edges only in `was` are
 * added as TC_GONE (rate 0). */
void	topo_compare(struct topology *t, const struct topology *was, const struct topo_th *th);
/* Fold every namespace but `keep` (NULL: all) into one node per namespace. */
void	topo_collapse(const struct topology *t, const char *keep, struct topology *out,
	    const struct topo_th *th);
/* Keep nodes for which keep[i] is set and the edges between them. */
void	topo_subset(const struct topology *t, const uint8_t *keep, struct topology *out,
	    const struct topo_th *th);
/* Edge indexes, worst first (health, error ratio, latency). */
void	topo_rank(const struct topology *t, int *idx);

/* Short forms: "120/s" "25.0/s" "0.5/s"; "92%" "0.3%"; "8.6s" "40ms". */
void	topo_fmt_rate(double v, char *dst, size_t n);
void	topo_fmt_ratio(double v, char *dst, size_t n);
void	topo_fmt_ms(double v, char *dst, size_t n);

/* Export (both forms name the snapshot time, window, metrics and the
 * worst edge; names are escaped, never raw). */
struct topo_meta {
	tns		 at;
	int		 utc;
	const char	*metrics;	/* "istio reporter=destination" */
	const char	*window;	/* "1m" */
	const char	*qname;		/* "P99" */
};
void	topo_write_dot(const struct topology *t, const struct topo_meta *m, struct buf *b);
void	topo_write_text(const struct topology *t, const struct topo_meta *m, struct buf *b);

#endif
