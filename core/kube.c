/* kube: EV_KUBE payload construction, freeing and the binary codec.
 * The codec is part of the recording format: fields are written in a
 * fixed order per kind; decoding is defensive (every length and count is
 * capped, a malformed item fails the whole event). */
#include "core/kube.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define STR_MAX		(64 * 1024)	/* one string in a recording */
#define SUB_MAX		256		/* containers, conditions, labels per pod */
#define ITEMS_MAX	(4u << 20)	/* objects in one event */

static const char *const kind_names[KK_MAX] = {
	[KK_NONE] = "none", [KK_POD] = "pods", [KK_EVENT] = "events",
	[KK_DEPLOY] = "deployments", [KK_METRIC] = "top", [KK_LOG] = "logs",
};

const char *
kube_kind_name(enum kube_kind kind)
{
	return (unsigned)kind < KK_MAX ? kind_names[kind] : "?";
}

struct ev_kube *
kube_ev_new(enum kube_kind kind, enum kube_op op, const char *context)
{
	struct ev_kube *e = xcalloc(1, sizeof *e);
	e->kind = (uint8_t)kind;
	e->op = (uint8_t)op;
	e->context = xstrdup(context ? context : "");
	return e;
}

void
kube_ev_add(struct ev_kube *e, void *item)
{
	xgrow(&e->items, &e->cap, e->n + 1, sizeof *e->items);
	e->items[e->n++] = item;
}

void
kube_ev_free(void *p)
{
	struct ev_kube *e = p;

	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		kube_obj_free(e->kind, e->items[i]);
	free(e->items);
	free(e->context);
	free(e);
}

/* ------------------------------------------------------------ free */

static void
free_pod(struct kpod *p)
{
	free(p->uid); free(p->node); free(p->phase); free(p->reason); free(p->message);
	free(p->ip); free(p->qos); free(p->owner_kind); free(p->owner_name);
	for (size_t i = 0; i < p->nspec_c + (size_t)p->nspec_i; i++) {
		struct kcspec *c = i < p->nspec_c ? &p->spec_c[i] : &p->spec_i[i - p->nspec_c];
		free(c->name);
		free(c->image);
	}
	for (size_t i = 0; i < p->nst_c + (size_t)p->nst_i; i++) {
		struct kcstatus *s = i < p->nst_c ? &p->st_c[i] : &p->st_i[i - p->nst_c];
		free(s->name); free(s->reason); free(s->message); free(s->last_reason);
	}
	for (size_t i = 0; i < p->ncond; i++) {
		free(p->cond[i].type); free(p->cond[i].status);
		free(p->cond[i].reason); free(p->cond[i].message);
	}
	for (size_t i = 0; i < p->nlabels; i++) {
		free(p->labels[i].k);
		free(p->labels[i].v);
	}
	free(p->spec_c); free(p->spec_i); free(p->st_c); free(p->st_i);
	free(p->cond); free(p->labels);
}

void
kube_obj_free(enum kube_kind kind, void *obj)
{
	if (!obj)
		return;
	if (kind == KK_LOG) {
		free(((struct kline *)obj)->text);
		free(obj);
		return;
	}
	if (kind == KK_POD)
		free_pod(obj);
	else if (kind == KK_EVENT) {
		struct kevent *e = obj;
		free(e->type); free(e->reason); free(e->message); free(e->obj_kind);
		free(e->obj_ns); free(e->obj_name); free(e->obj_field); free(e->source);
	} else if (kind == KK_DEPLOY) {
		struct kdeploy *d = obj;
		free(d->strategy); free(d->image); free(d->available_status);
		free(d->progress_status); free(d->progress_reason); free(d->progress_message);
	}
	free(((struct kmeta *)obj)->ns);
	free(((struct kmeta *)obj)->name);
	free(obj);
}

/* ------------------------------------------------------------ encode */

static void
ps(struct buf *b, const char *s)
{
	buf_put_str(b, s ? s : "", s ? strlen(s) : 0);
}

static void
pi(struct buf *b, int64_t v)
{
	buf_put_svarint(b, v);
}

static void
enc_cspec(struct buf *b, const struct kcspec *c)
{
	ps(b, c->name); ps(b, c->image); pi(b, c->restartable);
	pi(b, c->req_cpu); pi(b, c->lim_cpu); pi(b, c->req_mem); pi(b, c->lim_mem);
}

static void
enc_cstatus(struct buf *b, const struct kcstatus *s)
{
	ps(b, s->name); pi(b, s->ready); pi(b, s->started); pi(b, s->state);
	pi(b, s->restarts); ps(b, s->reason); ps(b, s->message); pi(b, s->since);
	pi(b, s->exit_code); pi(b, s->signal); pi(b, s->has_last); ps(b, s->last_reason);
	pi(b, s->last_exit); pi(b, s->last_signal); pi(b, s->last_started);
	pi(b, s->last_finished);
}

static void
enc_pod(struct buf *b, const struct kpod *p)
{
	ps(b, p->uid); ps(b, p->node); ps(b, p->phase); ps(b, p->reason); ps(b, p->message);
	ps(b, p->ip); ps(b, p->qos); ps(b, p->owner_kind); ps(b, p->owner_name);
	pi(b, p->created); pi(b, p->deleted); pi(b, p->started);
	pi(b, p->nspec_c);
	for (size_t i = 0; i < p->nspec_c; i++)
		enc_cspec(b, &p->spec_c[i]);
	pi(b, p->nspec_i);
	for (size_t i = 0; i < p->nspec_i; i++)
		enc_cspec(b, &p->spec_i[i]);
	pi(b, p->nst_c);
	for (size_t i = 0; i < p->nst_c; i++)
		enc_cstatus(b, &p->st_c[i]);
	pi(b, p->nst_i);
	for (size_t i = 0; i < p->nst_i; i++)
		enc_cstatus(b, &p->st_i[i]);
	pi(b, p->ncond);
	for (size_t i = 0; i < p->ncond; i++) {
		ps(b, p->cond[i].type); ps(b, p->cond[i].status); ps(b, p->cond[i].reason);
		ps(b, p->cond[i].message); pi(b, p->cond[i].at);
	}
	pi(b, p->nlabels);
	for (size_t i = 0; i < p->nlabels; i++) {
		ps(b, p->labels[i].k);
		ps(b, p->labels[i].v);
	}
}

static void
enc_event(struct buf *b, const struct kevent *e)
{
	ps(b, e->type); ps(b, e->reason); ps(b, e->message); ps(b, e->obj_kind);
	ps(b, e->obj_ns); ps(b, e->obj_name); ps(b, e->obj_field); ps(b, e->source);
	pi(b, e->first); pi(b, e->last); pi(b, e->count); pi(b, e->new_api);
}

static void
enc_deploy(struct buf *b, const struct kdeploy *d)
{
	pi(b, d->replicas); pi(b, d->updated); pi(b, d->ready); pi(b, d->available);
	pi(b, d->unavailable); pi(b, d->generation); pi(b, d->observed);
	ps(b, d->strategy); ps(b, d->image); ps(b, d->available_status);
	ps(b, d->progress_status); ps(b, d->progress_reason); ps(b, d->progress_message);
	pi(b, d->created);
}

int
kube_obj_encode(enum kube_kind kind, const void *obj, struct buf *b)
{
	if (kind == KK_LOG) {
		const struct kline *l = obj;
		pi(b, l->t);
		ps(b, l->text);
		return b->overflow ? -1 : 0;
	}
	ps(b, ((const struct kmeta *)obj)->ns);
	ps(b, ((const struct kmeta *)obj)->name);
	switch (kind) {
	case KK_POD:
		enc_pod(b, obj);
		break;
	case KK_EVENT:
		enc_event(b, obj);
		break;
	case KK_DEPLOY:
		enc_deploy(b, obj);
		break;
	case KK_METRIC:
		pi(b, ((const struct kmetric *)obj)->cpu_m);
		pi(b, ((const struct kmetric *)obj)->mem);
		break;
	default:
		return -1;
	}
	return b->overflow ? -1 : 0;
}

/* ------------------------------------------------------------ decode */

/* Optional string: "" decodes to NULL. */
static char *
gs(struct rd *r)
{
	const char *s;
	size_t n;

	if (rd_str(r, &s, &n, STR_MAX) < 0 || !n)
		return NULL;
	return xstrndup(s, n);
}

/* Required string: never NULL. */
static char *
gsr(struct rd *r)
{
	char *s = gs(r);
	return s ? s : xstrdup("");
}

static int64_t
gi(struct rd *r, int64_t lo, int64_t hi)
{
	int64_t v;

	if (rd_svarint(r, &v) < 0)
		return 0;
	if (v < lo || v > hi) {
		r->err = 1;
		return 0;
	}
	return v;
}

#define GI32(r)	((int32_t)gi((r), INT32_MIN, INT32_MAX))
#define GT(r)	((tns)gi((r), INT64_MIN, INT64_MAX))
#define G8(r)	((uint8_t)gi((r), 0, 255))

static void
dec_cspec(struct rd *r, struct kcspec *c)
{
	c->name = gs(r); c->image = gs(r); c->restartable = G8(r);
	c->req_cpu = GT(r); c->lim_cpu = GT(r); c->req_mem = GT(r); c->lim_mem = GT(r);
}

static void
dec_cstatus(struct rd *r, struct kcstatus *s)
{
	s->name = gs(r); s->ready = G8(r); s->started = G8(r);
	s->state = (uint8_t)gi(r, 0, KCS_TERMINATED);
	s->restarts = GI32(r); s->reason = gs(r); s->message = gs(r); s->since = GT(r);
	s->exit_code = GI32(r); s->signal = GI32(r); s->has_last = G8(r);
	s->last_reason = gs(r); s->last_exit = GI32(r); s->last_signal = GI32(r);
	s->last_started = GT(r); s->last_finished = GT(r);
}

static uint16_t
gcount(struct rd *r)
{
	return (uint16_t)gi(r, 0, SUB_MAX);
}

static void
dec_pod(struct rd *r, struct kpod *p)
{
	p->uid = gs(r); p->node = gs(r); p->phase = gs(r); p->reason = gs(r);
	p->message = gs(r); p->ip = gs(r); p->qos = gs(r); p->owner_kind = gs(r);
	p->owner_name = gs(r);
	p->created = GT(r); p->deleted = GT(r); p->started = GT(r);
	p->nspec_c = gcount(r);
	p->spec_c = xcalloc(p->nspec_c + 1u, sizeof *p->spec_c);
	for (size_t i = 0; i < p->nspec_c && !r->err; i++)
		dec_cspec(r, &p->spec_c[i]);
	p->nspec_i = gcount(r);
	p->spec_i = xcalloc(p->nspec_i + 1u, sizeof *p->spec_i);
	for (size_t i = 0; i < p->nspec_i && !r->err; i++)
		dec_cspec(r, &p->spec_i[i]);
	p->nst_c = gcount(r);
	p->st_c = xcalloc(p->nst_c + 1u, sizeof *p->st_c);
	for (size_t i = 0; i < p->nst_c && !r->err; i++)
		dec_cstatus(r, &p->st_c[i]);
	p->nst_i = gcount(r);
	p->st_i = xcalloc(p->nst_i + 1u, sizeof *p->st_i);
	for (size_t i = 0; i < p->nst_i && !r->err; i++)
		dec_cstatus(r, &p->st_i[i]);
	p->ncond = gcount(r);
	p->cond = xcalloc(p->ncond + 1u, sizeof *p->cond);
	for (size_t i = 0; i < p->ncond && !r->err; i++) {
		p->cond[i].type = gs(r); p->cond[i].status = gs(r); p->cond[i].reason = gs(r);
		p->cond[i].message = gs(r); p->cond[i].at = GT(r);
	}
	p->nlabels = gcount(r);
	p->labels = xcalloc(p->nlabels + 1u, sizeof *p->labels);
	for (size_t i = 0; i < p->nlabels && !r->err; i++) {
		p->labels[i].k = gsr(r);
		p->labels[i].v = gsr(r);
	}
}

static void
dec_event(struct rd *r, struct kevent *e)
{
	e->type = gs(r); e->reason = gs(r); e->message = gs(r); e->obj_kind = gs(r);
	e->obj_ns = gs(r); e->obj_name = gs(r); e->obj_field = gs(r); e->source = gs(r);
	e->first = GT(r); e->last = GT(r); e->count = GI32(r); e->new_api = G8(r);
}

static void
dec_deploy(struct rd *r, struct kdeploy *d)
{
	d->replicas = GI32(r); d->updated = GI32(r); d->ready = GI32(r);
	d->available = GI32(r); d->unavailable = GI32(r); d->generation = GT(r);
	d->observed = GT(r); d->strategy = gs(r); d->image = gs(r);
	d->available_status = gs(r); d->progress_status = gs(r);
	d->progress_reason = gs(r); d->progress_message = gs(r); d->created = GT(r);
}

static const size_t obj_sizes[KK_MAX] = {
	[KK_POD] = sizeof(struct kpod), [KK_EVENT] = sizeof(struct kevent),
	[KK_DEPLOY] = sizeof(struct kdeploy), [KK_METRIC] = sizeof(struct kmetric),
	[KK_LOG] = sizeof(struct kline),
};

void *
kube_obj_decode(enum kube_kind kind, struct rd *r)
{
	void *obj;

	if (kind <= KK_NONE || kind >= KK_MAX)
		return NULL;
	obj = xcalloc(1, obj_sizes[kind]);
	if (kind == KK_LOG) {
		((struct kline *)obj)->t = GT(r);
		((struct kline *)obj)->text = gsr(r);
	} else {
		((struct kmeta *)obj)->ns = gsr(r);
		((struct kmeta *)obj)->name = gsr(r);
		if (kind == KK_POD)
			dec_pod(r, obj);
		else if (kind == KK_EVENT)
			dec_event(r, obj);
		else if (kind == KK_DEPLOY)
			dec_deploy(r, obj);
		else {
			((struct kmetric *)obj)->cpu_m = GT(r);
			((struct kmetric *)obj)->mem = GT(r);
		}
	}
	if (r->err) {
		kube_obj_free(kind, obj);
		return NULL;
	}
	return obj;
}

static int
kube_encode(const void *p, struct buf *b)
{
	const struct ev_kube *e = p;

	pi(b, e->kind); pi(b, e->op); pi(b, e->unavailable);
	ps(b, e->context);
	buf_put_uvarint(b, e->dropped);
	buf_put_uvarint(b, e->n);
	for (size_t i = 0; i < e->n; i++)
		if (kube_obj_encode(e->kind, e->items[i], b) < 0)
			return -1;
	return b->overflow ? -1 : 0;
}

static void *
kube_decode(struct rd *r, char **err)
{
	struct ev_kube *e;
	uint64_t n = 0, dropped = 0;
	int64_t kind = gi(r, KK_POD, KK_MAX - 1), op = gi(r, KOP_SNAPSHOT, KOP_MAX - 1);
	uint8_t unavail = G8(r);
	char *ctx = gsr(r);

	if (rd_uvarint(r, &dropped) < 0 || rd_uvarint(r, &n) < 0 || n > ITEMS_MAX || r->err) {
		free(ctx);
		*err = xstrdup("malformed kube event header");
		return NULL;
	}
	e = kube_ev_new((enum kube_kind)kind, (enum kube_op)op, ctx);
	free(ctx);
	e->unavailable = unavail;
	e->dropped = dropped;
	for (uint64_t i = 0; i < n; i++) {
		void *obj = kube_obj_decode((enum kube_kind)kind, r);
		if (!obj) {
			kube_ev_free(e);
			*err = xasprintf("malformed %s object %llu in kube event",
			    kube_kind_name((enum kube_kind)kind), (unsigned long long)i);
			return NULL;
		}
		kube_ev_add(e, obj);
	}
	return e;
}

const struct ev_ops kube_ev_ops = {
	.name = "kube",
	.free = kube_ev_free,
	.encode = kube_encode,
	.decode = kube_decode,
};

/* ------------------------------------------------------------ misc */

static size_t
sz(const char *s)
{
	return s ? strlen(s) + 17 : 0;	/* + malloc overhead, roughly */
}

size_t
kube_obj_size(enum kube_kind kind, const void *obj)
{
	size_t n = obj_sizes[kind] + 16;

	if (kind == KK_LOG)
		return n + sz(((const struct kline *)obj)->text);
	n += sz(((const struct kmeta *)obj)->ns) + sz(((const struct kmeta *)obj)->name);
	if (kind == KK_POD) {
		const struct kpod *p = obj;
		n += sz(p->uid) + sz(p->node) + sz(p->phase) + sz(p->reason) + sz(p->message) +
		    sz(p->ip) + sz(p->qos) + sz(p->owner_kind) + sz(p->owner_name);
		for (size_t i = 0; i < p->nspec_c; i++)
			n += sizeof *p->spec_c + sz(p->spec_c[i].name) + sz(p->spec_c[i].image);
		for (size_t i = 0; i < p->nspec_i; i++)
			n += sizeof *p->spec_i + sz(p->spec_i[i].name) + sz(p->spec_i[i].image);
		for (size_t i = 0; i < p->nst_c + (size_t)p->nst_i; i++) {
			const struct kcstatus *s = i < p->nst_c ? &p->st_c[i] : &p->st_i[i - p->nst_c];
			n += sizeof *s + sz(s->name) + sz(s->reason) + sz(s->message) + sz(s->last_reason);
		}
		for (size_t i = 0; i < p->ncond; i++)
			n += sizeof *p->cond + sz(p->cond[i].type) + sz(p->cond[i].status) +
			    sz(p->cond[i].reason) + sz(p->cond[i].message);
		for (size_t i = 0; i < p->nlabels; i++)
			n += sizeof *p->labels + sz(p->labels[i].k) + sz(p->labels[i].v);
	} else if (kind == KK_EVENT) {
		const struct kevent *e = obj;
		n += sz(e->type) + sz(e->reason) + sz(e->message) + sz(e->obj_kind) +
		    sz(e->obj_ns) + sz(e->obj_name) + sz(e->obj_field) + sz(e->source);
	} else if (kind == KK_DEPLOY) {
		const struct kdeploy *d = obj;
		n += sz(d->strategy) + sz(d->image) + sz(d->available_status) +
		    sz(d->progress_status) + sz(d->progress_reason) + sz(d->progress_message);
	}
	return n;
}

void
kube_obj_id(const void *obj, char *buf, size_t n)
{
	const struct kmeta *m = obj;
	size_t a = strlen(m->ns), b = strlen(m->name);

	if (n < 4) {
		if (n)
			buf[0] = '\0';
		return;
	}
	if (a + b + 2 > n) {
		/* truncated ids could collide; names are short in practice */
		a = a < n / 2 ? a : n / 2 - 1;
		b = b < n - a - 2 ? b : n - a - 2;
	}
	memcpy(buf, m->ns, a);
	buf[a] = '/';
	memcpy(buf + a + 1, m->name, b);
	buf[a + 1 + b] = '\0';
}

const char *
kpod_label(const struct kpod *p, const char *k)
{
	for (size_t i = 0; i < p->nlabels; i++)
		if (strcmp(p->labels[i].k, k) == 0)
			return p->labels[i].v;
	return NULL;
}
