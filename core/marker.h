/* marker: change markers for the time axis of every graph — rollouts,
 * scaling and restarts, derived from Kubernetes objects as they are
 * stored (events' reasons, pods' restart counts).  A sorted, bounded,
 * de-duplicated list; drawing is widgets/markers.c. */
#ifndef SCRY_MARKER_H
#define SCRY_MARKER_H
#include <stddef.h>

#include "core/kube.h"

enum marker_type {
	MK_ROLLOUT,	/* a deployment changed its replica sets (ScalingReplicaSet, rollback) */
	MK_SCALE,	/* an autoscaler changed the size (SuccessfulRescale) */
	MK_RESTART,	/* a container restarted or was OOM-killed */
	MK_TYPES
};

struct marker {
	tns		 t;
	uint8_t		 type;		/* enum marker_type */
	char		*what;		/* "payment: Scaled up replica set ... to 3" */
};

struct marker_list {
	struct marker	*m;
	size_t		 n, cap, max;
	uint64_t	 gen;		/* bumped on every change */
	uint64_t	 dropped;
};

void	marker_list_init(struct marker_list *l, size_t max);
void	marker_list_free(struct marker_list *l);
/* Add one (de-duplicated by time to the second, type and text). */
void	marker_add(struct marker_list *l, tns t, enum marker_type type, const char *what);
/* A kube_change_fn: derive markers from a stored object change. */
void	marker_from_change(void *list, enum kube_kind kind, tns t, const void *old,
	    const void *new);
/* Index of the first marker with t >= from. */
size_t	marker_lower_bound(const struct marker_list *l, tns from);
const char *marker_type_name(enum marker_type type);

#endif
