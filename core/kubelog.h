/* kubelog: the lines of one `kubectl logs` stream, a byte-bounded ring.
 * A SNAPSHOT event (stream (re)started) clears it; APPEND events add
 * lines; overflow drops the oldest lines and counts them. */
#ifndef SCRY_KUBELOG_H
#define SCRY_KUBELOG_H
#include <stddef.h>
#include <stdint.h>

#include "core/kube.h"

struct kube_log {
	struct kline	**l;		/* ring of line pointers */
	size_t		  head, n, cap;
	size_t		  bytes, max_bytes;
	uint64_t	  dropped;	/* lines dropped by the byte cap */
	uint64_t	  gen;		/* bumped on every change */
	uint64_t	  total;	/* lines ever appended since the last clear */
	tns		  started;	/* when the stream (re)started */
};

struct kube_log	*kube_log_new(size_t max_bytes);
void		 kube_log_free(struct kube_log *lg);
/* Apply a KK_LOG event; takes its lines. */
void		 kube_log_apply(struct kube_log *lg, tns at, struct ev_kube *ev);
/* Line i (0 = oldest kept) or NULL. */
const struct kline *kube_log_line(const struct kube_log *lg, size_t i);

#endif
