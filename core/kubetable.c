/* kubetable: versioned object history with a byte cap and cached reads.
 * Invariants: versions of an identity are sorted by time and never two
 * equal in a row (a deletion is a NULL version and never follows a NULL);
 * bytes is the sum of kube_obj_size() over stored versions; tgen changes
 * with every stored change, prune or availability change. */
#include "core/kubetable.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/hmap.h"
#include "core/xalloc.h"

#define ID_MAX		512
#define TNS_MAX		INT64_MAX

struct kver {
	tns		 t;
	void		*obj;		/* NULL: deleted */
	uint64_t	 hash;
};

struct kident {
	char		*id;
	struct kver	*v;
	size_t		 n, cap;
	uint64_t	 seen;		/* snapshot stamp */
};

struct kslot {
	uint64_t	 tgen;
	tns		 at_eff;
	uint64_t	 gen;
	const void	**items;
	size_t		 n, cap;
	int		 unavailable;
	tns		 last_change;
	uint64_t	 used;
};

struct avail {
	tns	t;
	int	unavailable;
};

struct kube_table {
	enum kube_kind	 kind;
	size_t		 max_bytes, bytes, nversions;
	struct hmap	 ids;
	struct kident	**vec;
	size_t		 nvec, capvec;
	tns		 tmax, horizon, first_sync;
	uint64_t	 dropped, tgen, stamp;
	int		 full;
	char		*context;
	struct avail	*avail;
	size_t		 navail, capavail;
	struct kslot	 slot[2];
	uint64_t	 clock;
	kube_change_fn	 on_change;
	void		*on_change_ctx;
	struct buf	 scratch;
};

static uint64_t view_gen;	/* unique across tables */

struct kube_table *
kube_table_new(enum kube_kind kind, size_t max_bytes)
{
	struct kube_table *t = xcalloc(1, sizeof *t);
	t->kind = kind;
	t->max_bytes = max_bytes ? max_bytes : 64u << 20;
	hmap_init(&t->ids);
	t->tmax = t->horizon = t->first_sync = TNS_NONE;
	t->context = xstrdup("");
	buf_init(&t->scratch, 16u << 20);
	return t;
}

static void
ident_free(struct kube_table *t, struct kident *k)
{
	for (size_t i = 0; i < k->n; i++)
		kube_obj_free(t->kind, k->v[i].obj);
	free(k->v);
	free(k->id);
	free(k);
}

void
kube_table_free(struct kube_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nvec; i++)
		ident_free(t, t->vec[i]);
	free(t->vec);
	hmap_free(&t->ids, NULL);
	for (int s = 0; s < 2; s++)
		free(t->slot[s].items);
	free(t->avail);
	free(t->context);
	buf_free(&t->scratch);
	free(t);
}

void
kube_table_on_change(struct kube_table *t, kube_change_fn fn, void *ctx)
{
	t->on_change = fn;
	t->on_change_ctx = ctx;
}

enum kube_kind
kube_table_kind(const struct kube_table *t)
{
	return t->kind;
}

size_t
kube_table_bytes(const struct kube_table *t)
{
	return t->bytes;
}

size_t
kube_table_versions(const struct kube_table *t)
{
	return t->nversions;
}

static uint64_t
obj_hash(struct kube_table *t, const void *obj)
{
	uint64_t h = 1469598103934665603ULL;

	buf_reset(&t->scratch);
	kube_obj_encode(t->kind, obj, &t->scratch);
	for (size_t i = 0; i < t->scratch.len; i++) {
		h ^= (unsigned char)t->scratch.data[i];
		h *= 1099511628211ULL;
	}
	return h ^ t->scratch.len;
}

static void
push_version(struct kube_table *t, struct kident *k, tns at, void *obj, uint64_t hash)
{
	const void *old = k->n ? k->v[k->n - 1].obj : NULL;

	if (k->n && at < k->v[k->n - 1].t)
		at = k->v[k->n - 1].t;	/* keep versions ordered */
	xgrow(&k->v, &k->cap, k->n + 1, sizeof *k->v);
	k->v[k->n++] = (struct kver){ at, obj, hash };
	t->nversions++;
	if (obj)
		t->bytes += kube_obj_size(t->kind, obj);
	if (t->tmax == TNS_NONE || at > t->tmax)
		t->tmax = at;
	t->tgen++;
	if (t->on_change)
		t->on_change(t->on_change_ctx, t->kind, at, old, obj);
}

static struct kident *
ident_get(struct kube_table *t, const void *obj, int create)
{
	char id[ID_MAX];
	struct kident *k;

	kube_obj_id(obj, id, sizeof id);
	if ((k = hmap_get(&t->ids, id)) || !create)
		return k;
	k = xcalloc(1, sizeof *k);
	k->id = xstrdup(id);
	hmap_put(&t->ids, id, k);
	xgrow(&t->vec, &t->capvec, t->nvec + 1, sizeof *t->vec);
	t->vec[t->nvec++] = k;
	return k;
}

static void
upsert(struct kube_table *t, tns at, void *obj)
{
	struct kident *k = ident_get(t, obj, !t->full);
	uint64_t h;

	if (!k) {
		t->dropped++;
		kube_obj_free(t->kind, obj);
		return;
	}
	k->seen = t->stamp;
	h = obj_hash(t, obj);
	if (k->n && k->v[k->n - 1].obj && k->v[k->n - 1].hash == h) {
		kube_obj_free(t->kind, obj);
		return;
	}
	push_version(t, k, at, obj, h);
}

static void
tombstone(struct kube_table *t, tns at, struct kident *k)
{
	if (k && k->n && k->v[k->n - 1].obj)
		push_version(t, k, at, NULL, 0);
}

static void
set_avail(struct kube_table *t, tns at, int unavailable)
{
	if (t->navail && t->avail[t->navail - 1].unavailable == unavailable)
		return;
	if (t->navail >= 64) {	/* keep the latest transitions only */
		memmove(t->avail, t->avail + 1, (t->navail - 1) * sizeof *t->avail);
		t->navail--;
	}
	xgrow(&t->avail, &t->capavail, t->navail + 1, sizeof *t->avail);
	t->avail[t->navail++] = (struct avail){ at, unavailable };
	t->tgen++;
}

static void prune(struct kube_table *t);

void
kube_table_apply(struct kube_table *t, tns at, struct ev_kube *ev)
{
	t->stamp++;
	if (ev->context && strcmp(ev->context, t->context) != 0) {
		free(t->context);
		t->context = xstrdup(ev->context);
	}
	t->dropped += ev->dropped;
	if (t->kind == KK_METRIC && ev->op == KOP_SNAPSHOT)
		set_avail(t, at, ev->unavailable);
	for (size_t i = 0; i < ev->n; i++) {
		if (ev->op == KOP_DELETE) {
			tombstone(t, at, ident_get(t, ev->items[i], 0));
			kube_obj_free(t->kind, ev->items[i]);
		} else
			upsert(t, at, ev->items[i]);
		ev->items[i] = NULL;
	}
	ev->n = 0;
	if (ev->op == KOP_SNAPSHOT) {
		for (size_t i = 0; i < t->nvec; i++)
			if (t->vec[i]->seen != t->stamp)
				tombstone(t, at, t->vec[i]);
		if (t->first_sync == TNS_NONE)
			t->first_sync = at;
	}
	if (t->bytes > t->max_bytes)
		prune(t);
	else if (t->full && t->bytes < t->max_bytes / 10 * 9)
		t->full = 0;
}

/* ------------------------------------------------------------ pruning */

static int
cmp_tns(const void *a, const void *b)
{
	tns x = *(const tns *)a, y = *(const tns *)b;
	return (x > y) - (x < y);
}

/* Drop history before h for one identity; returns 1 if it is now empty. */
static int
fold(struct kube_table *t, struct kident *k, tns h)
{
	size_t j = 0, drop;

	while (j < k->n && k->v[j].t <= h)
		j++;
	if (j == 0)
		return 0;
	/* k->v[j-1] is the state at h: keep it unless it is a deletion */
	drop = k->v[j - 1].obj ? j - 1 : j;
	for (size_t i = 0; i < drop; i++) {
		if (k->v[i].obj)
			t->bytes -= kube_obj_size(t->kind, k->v[i].obj);
		kube_obj_free(t->kind, k->v[i].obj);
	}
	memmove(k->v, k->v + drop, (k->n - drop) * sizeof *k->v);
	k->n -= drop;
	t->nversions -= drop;
	t->dropped += drop;
	return k->n == 0;
}

static int
prune_once(struct kube_table *t)
{
	tns *times = xcalloc(t->nversions + 1, sizeof *times), h;
	size_t n = 0, keep = 0;

	for (size_t i = 0; i < t->nvec; i++) {
		struct kident *k = t->vec[i];
		for (size_t j = 0; j + 1 < k->n; j++)
			times[n++] = k->v[j].t;
		if (k->n && !k->v[k->n - 1].obj)
			times[n++] = k->v[k->n - 1].t;	/* deleted objects can go too */
	}
	if (!n) {
		free(times);
		return 0;
	}
	qsort(times, n, sizeof *times, cmp_tns);
	h = times[n / 2];
	free(times);
	for (size_t i = 0; i < t->nvec; i++) {
		struct kident *k = t->vec[i];
		if (fold(t, k, h)) {
			hmap_del(&t->ids, k->id);
			ident_free(t, k);
		} else
			t->vec[keep++] = k;
	}
	t->nvec = keep;
	t->horizon = h;
	t->tgen++;
	return 1;
}

static void
prune(struct kube_table *t)
{
	for (int i = 0; i < 8 && t->bytes > t->max_bytes / 10 * 9; i++)
		if (!prune_once(t))
			break;
	if (t->bytes > t->max_bytes)
		t->full = 1;	/* the live set alone is too big: refuse new objects */
}

/* ------------------------------------------------------------ reads */

static const struct kver *
version_at(const struct kident *k, tns at)
{
	size_t lo = 0, hi = k->n;

	while (lo < hi) {	/* first version with t > at */
		size_t mid = (lo + hi) / 2;
		if (k->v[mid].t <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &k->v[lo - 1] : NULL;
}

static int
unavailable_at(const struct kube_table *t, tns at)
{
	int u = 0;
	for (size_t i = 0; i < t->navail && t->avail[i].t <= at; i++)
		u = t->avail[i].unavailable;
	return u;
}

static void
build(struct kube_table *t, struct kslot *s, tns at, tns at_eff)
{
	s->n = 0;
	s->last_change = TNS_NONE;
	for (size_t i = 0; i < t->nvec; i++) {
		const struct kver *v = version_at(t->vec[i], at);
		if (!v)
			continue;
		if (s->last_change == TNS_NONE || v->t > s->last_change)
			s->last_change = v->t;
		if (!v->obj)
			continue;
		xgrow(&s->items, &s->cap, s->n + 1, sizeof *s->items);
		s->items[s->n++] = v->obj;
	}
	s->tgen = t->tgen;
	s->at_eff = at_eff;
	s->unavailable = unavailable_at(t, at);
	s->gen = ++view_gen;
}

void
kube_table_at(struct kube_table *t, tns at, struct kube_view *out)
{
	tns at_eff = t->tmax == TNS_NONE || at >= t->tmax ? TNS_MAX : at;
	struct kslot *s = NULL;

	if (t->navail && at_eff == TNS_MAX && at < t->avail[t->navail - 1].t)
		at_eff = at;
	for (int i = 0; i < 2 && !s; i++)
		if (t->slot[i].gen && t->slot[i].tgen == t->tgen && t->slot[i].at_eff == at_eff)
			s = &t->slot[i];
	if (!s) {
		s = t->slot[0].used <= t->slot[1].used ? &t->slot[0] : &t->slot[1];
		build(t, s, at_eff, at_eff);
	}
	s->used = ++t->clock;
	memset(out, 0, sizeof *out);
	out->kind = t->kind;
	out->items = s->items;
	out->n = s->n;
	out->gen = s->gen;
	out->horizon = t->horizon;
	out->first_sync = t->first_sync;
	out->last_change = s->last_change;
	out->dropped = t->dropped;
	out->bytes = t->bytes;
	out->unavailable = s->unavailable;
	out->context = t->context;
}
