/* kube: the EV_KUBE payload — Kubernetes objects as scry keeps them.
 *
 * Only the fields scry shows are kept: no environment values, volumes,
 * annotations or anything else from pod specs that could carry secrets.
 * Every object kind starts with a struct kmeta (namespace, name) so
 * generic code (history tables, the codec) can identify it.
 * One event carries a batch of objects of one kind and an operation:
 * a full list (SNAPSHOT: the set replaces what the key held), changes
 * from a watch (UPSERT, DELETE) or log lines (APPEND).
 * Invariants: strings are NUL-terminated, never NULL for ns/name (may be
 * ""); optional strings may be NULL; times are tns or TNS_NONE. */
#ifndef SCRY_KUBE_H
#define SCRY_KUBE_H
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

enum kube_kind {
	KK_NONE,
	KK_POD,		/* struct kpod */
	KK_EVENT,	/* struct kevent */
	KK_DEPLOY,	/* struct kdeploy */
	KK_METRIC,	/* struct kmetric (kubectl top) */
	KK_LOG,		/* struct kline (kubectl logs) */
	KK_MAX
};

enum kube_op {
	KOP_NONE,
	KOP_SNAPSHOT,	/* the complete set for the key (a list) */
	KOP_UPSERT,	/* added or modified objects (a watch) */
	KOP_DELETE,	/* deleted objects (only kmeta matters) */
	KOP_APPEND,	/* log lines */
	KOP_MAX
};

struct kmeta {
	char	*ns;
	char	*name;
};

enum kcstate { KCS_NONE, KCS_WAITING, KCS_RUNNING, KCS_TERMINATED };

/* A container's spec: what it asks for.  Quantities: millicores and
 * bytes, -1 when not set. */
struct kcspec {
	char	*name;
	char	*image;
	uint8_t	 restartable;		/* init container with restartPolicy Always */
	int64_t	 req_cpu, lim_cpu;	/* millicores */
	int64_t	 req_mem, lim_mem;	/* bytes */
};

/* A container's status (containerStatuses / initContainerStatuses). */
struct kcstatus {
	char	*name;
	uint8_t	 ready, started;
	uint8_t	 state;			/* enum kcstate */
	int32_t	 restarts;
	char	*reason;		/* waiting or terminated reason */
	char	*message;
	tns	 since;			/* running: startedAt; terminated: finishedAt */
	int32_t	 exit_code, signal;	/* terminated */
	uint8_t	 has_last;		/* lastState.terminated present */
	char	*last_reason;
	int32_t	 last_exit, last_signal;
	tns	 last_started, last_finished;
};

struct kcond {
	char	*type;
	char	*status;
	char	*reason;
	char	*message;
	tns	 at;			/* lastTransitionTime */
};

struct klabel {
	char	*k;
	char	*v;
};

struct kpod {
	struct kmeta	 meta;
	char		*uid;
	char		*node;
	char		*phase;
	char		*reason;	/* status.reason (Evicted, NodeLost, ...) */
	char		*message;
	char		*ip;
	char		*qos;
	char		*owner_kind;	/* controller owner reference */
	char		*owner_name;
	tns		 created, deleted, started;
	struct kcspec	*spec_c, *spec_i;	/* containers, initContainers */
	uint16_t	 nspec_c, nspec_i;
	struct kcstatus	*st_c, *st_i;		/* in the order the API gave them */
	uint16_t	 nst_c, nst_i;
	struct kcond	*cond;
	uint16_t	 ncond;
	struct klabel	*labels;
	uint16_t	 nlabels;
};

/* An event, either API shape: core/v1 (firstTimestamp, lastTimestamp,
 * count) or events.k8s.io/v1 (eventTime, series) — normalised. */
struct kevent {
	struct kmeta	 meta;
	char		*type;		/* Normal, Warning */
	char		*reason;
	char		*message;
	char		*obj_kind;	/* involved (regarding) object */
	char		*obj_ns;
	char		*obj_name;
	char		*obj_field;	/* spec.containers{app} */
	char		*source;	/* component/host or reporting controller */
	tns		 first, last;
	int32_t		 count;
	uint8_t		 new_api;	/* came from the events.k8s.io shape */
};

struct kdeploy {
	struct kmeta	 meta;
	int32_t		 replicas;	/* spec.replicas */
	int32_t		 updated, ready, available, unavailable;
	int64_t		 generation, observed;
	char		*strategy;
	char		*image;		/* first container's image */
	char		*available_status;	/* "True" / "False" / NULL */
	char		*progress_status;
	char		*progress_reason;
	char		*progress_message;
	tns		 created;
};

/* One line of `kubectl top pods`. */
struct kmetric {
	struct kmeta	 meta;
	int64_t		 cpu_m;		/* millicores */
	int64_t		 mem;		/* bytes */
};

/* One log line of `kubectl logs --timestamps`. */
struct kline {
	tns	 t;			/* TNS_NONE when the line had no timestamp */
	char	*text;
};

struct ev_kube {
	uint8_t		 kind;		/* enum kube_kind */
	uint8_t		 op;		/* enum kube_op */
	uint8_t		 unavailable;	/* KK_METRIC: the metrics API is missing */
	char		*context;	/* kubeconfig context ("" = current) */
	void		**items;
	size_t		 n, cap;
	uint64_t	 dropped;	/* objects dropped by caps while parsing */
};

extern const struct ev_ops kube_ev_ops;

struct ev_kube	*kube_ev_new(enum kube_kind kind, enum kube_op op, const char *context);
void		 kube_ev_add(struct ev_kube *e, void *item);	/* takes item */
void		 kube_ev_free(void *p);
/* Free one object of a kind. */
void		 kube_obj_free(enum kube_kind kind, void *obj);
/* Encode one object (the codec's item form); also used to compare
 * versions (identical bytes = no change). */
int		 kube_obj_encode(enum kube_kind kind, const void *obj, struct buf *b);
void		*kube_obj_decode(enum kube_kind kind, struct rd *r);
/* Approximate heap bytes of an object (for the store's byte caps). */
size_t		 kube_obj_size(enum kube_kind kind, const void *obj);
const char	*kube_kind_name(enum kube_kind kind);
/* "ns/name" identity into buf. */
void		 kube_obj_id(const void *obj, char *buf, size_t n);
/* A label's value or NULL. */
const char	*kpod_label(const struct kpod *p, const char *k);

#endif
