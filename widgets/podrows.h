/* podrows: one pod as a table row — kubectl's columns, its owner
 * (Deployment from the ReplicaSet name and pod-template-hash, StatefulSet,
 * DaemonSet, Job), resource totals and live usage from `kubectl top`.
 * Shared by the pods pane and the pod detail view (and whoever else
 * summarises pod health). */
#ifndef SCRY_PODROWS_H
#define SCRY_PODROWS_H
#include <stddef.h>
#include <stdint.h>

#include "core/hmap.h"
#include "core/kubetable.h"
#include "core/podstatus.h"

struct podrow {
	const struct kpod	*p;
	int			 src;		/* which query (context) it came from */
	struct pod_status	 st;
	int64_t			 cpu_m, mem;	/* usage, -1 unknown */
	int64_t			 req_cpu, lim_cpu;	/* pod totals, -1 not set */
	int64_t			 req_mem, lim_mem;
	const char		*owner_kind;	/* static string */
	char			 owner[128];
};

/* Usage by "ns/name" from a top view, rebuilt when the view changes. */
struct podmetrics {
	struct hmap	 m;
	uint64_t	 gen;
	int		 have;		/* a top answer exists */
	int		 unavailable;	/* the metrics API is missing */
};

void	podmetrics_update(struct podmetrics *pm, const struct kube_view *v, int have);
const struct kmetric *podmetrics_get(const struct podmetrics *pm, const char *ns, const char *name);
void	podmetrics_free(struct podmetrics *pm);

void	podrow_fill(struct podrow *r, const struct kpod *p, int src, const struct podmetrics *pm);
/* Owner kind and name of a pod (Deployment derived from its ReplicaSet). */
const char *pod_owner(const struct kpod *p, char *name, size_t n);

#endif
