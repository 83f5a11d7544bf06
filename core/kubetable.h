/* kubetable: the history of one kind of Kubernetes object for one query
 * key, so "the pods as they were at time T" is a query.
 *
 * Every object (identified by namespace/name) has a list of versions
 * (time, object or NULL for deleted).  A full list (SNAPSHOT) adds a
 * version for every changed object and a deletion for every object it no
 * longer contains; a watch adds versions one by one.  Identical versions
 * are not stored twice (relists cost nothing).
 * Bounded by bytes: when over the limit, the oldest history is folded
 * away (the state at the new horizon is kept, earlier states are lost
 * and the horizon is reported); if the live objects alone exceed the
 * limit, new objects are dropped and counted.
 * Reads: kube_table_at() answers the live set at any time, cached (two
 * slots) so unchanged frames cost nothing. */
#ifndef SCRY_KUBETABLE_H
#define SCRY_KUBETABLE_H
#include <stddef.h>
#include <stdint.h>

#include "core/kube.h"

struct kube_view {
	enum kube_kind		 kind;
	const void *const	*items;		/* live objects at `at`, unordered */
	size_t			 n;
	uint64_t		 gen;		/* differs whenever items may differ */
	tns			 horizon;	/* history before this was dropped, or TNS_NONE */
	tns			 first_sync;	/* first full list (TNS_NONE: none yet); after
						 * `at`: there was no data yet at `at` */
	tns			 last_change;	/* latest version at or before `at` */
	uint64_t		 dropped;	/* objects/versions dropped by the byte cap */
	size_t			 bytes;		/* the table's size (all versions) */
	int			 unavailable;	/* KK_METRIC: metrics API missing at `at` */
	const char		*context;
};

/* Called for every stored change (old or new may be NULL). */
typedef void (*kube_change_fn)(void *ctx, enum kube_kind kind, tns t, const void *old,
    const void *new);

struct kube_table;
struct kube_table *kube_table_new(enum kube_kind kind, size_t max_bytes);
void		   kube_table_free(struct kube_table *t);
void		   kube_table_on_change(struct kube_table *t, kube_change_fn fn, void *ctx);
/* Apply an event at time `at`; takes the objects out of ev (ev->n = 0). */
void		   kube_table_apply(struct kube_table *t, tns at, struct ev_kube *ev);
/* The live set at `at`.  Pointers stay valid until the next apply. */
void		   kube_table_at(struct kube_table *t, tns at, struct kube_view *out);
enum kube_kind	   kube_table_kind(const struct kube_table *t);
size_t		   kube_table_bytes(const struct kube_table *t);
size_t		   kube_table_versions(const struct kube_table *t);

#endif
