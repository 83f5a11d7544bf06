/* kubeparse: cJSON trees and kubectl text lines into core/kube.h objects.
 * Invariants: never fails on unexpected types (fields become absent);
 * strings are capped (names NAME_MAX, messages MSG_MAX); arrays are
 * capped (SUB_MAX); meta.ns/meta.name are never NULL. */
#include "sources/kubeparse.h"

#include <stdlib.h>
#include <string.h>

#include "core/quantity.h"
#include "core/xalloc.h"

#define NAME_MAX_	512
#define MSG_MAX		8192
#define SUB_MAX		64
#define LABEL_MAX	64

static const cJSON *
get(const cJSON *o, const char *k)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

static const cJSON *
path2(const cJSON *o, const char *a, const char *b)
{
	return get(get(o, a), b);
}

static const char *
sv(const cJSON *v)
{
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static char *
str(const cJSON *v, size_t max)
{
	const char *s = sv(v);
	return s ? xstrndup(s, max) : NULL;
}

static char *
name(const cJSON *v)
{
	char *s = str(v, NAME_MAX_);
	return s ? s : xstrdup("");
}

static int64_t
num(const cJSON *v, int64_t dflt)
{
	if (!cJSON_IsNumber(v))
		return dflt;
	if (v->valuedouble > 9e18 || v->valuedouble < -9e18)
		return dflt;
	return (int64_t)v->valuedouble;
}

/* The first child of container c when ok, else NULL (loop helper). */
static const cJSON *
kids(int ok, const cJSON *c)
{
	return ok && c ? c->child : NULL;
}

static int
boolean(const cJSON *v)
{
	return cJSON_IsTrue(v);
}

/* days since 1970-01-01 of a civil date (Howard Hinnant's algorithm) */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "2026-11-26T02:20:00Z" / "...00.412345Z": the form the API server uses. */
static int
fast_time(const char *s, tns *out)
{
	int y, mo, d, h, mi, se;
	tns frac = 0, scale = NS_PER_S, secs;
	const char *p = s + 19;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':' || digits(s, 4, &y) || digits(s + 5, 2, &mo) ||
	    digits(s + 8, 2, &d) || digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) ||
	    digits(s + 17, 2, &se) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	}
	if ((*p != 'Z' && *p != 'z') || p[1])
		return -1;
	secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
	if (secs >= INT64_MAX / NS_PER_S || secs <= INT64_MIN / NS_PER_S)
		return -1;	/* not representable in ns (after 2262) */
	*out = secs * NS_PER_S + frac;
	return 0;
}

tns
kube_time(const cJSON *v)
{
	const char *s = sv(v);
	tns t;

	if (!s || !*s)
		return TNS_NONE;
	if (fast_time(s, &t) == 0 || ts_parse_time(s, 0, 1, &t) == 0)
		return t;
	return TNS_NONE;
}

static void
meta(struct kmeta *m, const cJSON *o)
{
	const cJSON *md = get(o, "metadata");
	m->ns = name(get(md, "namespace"));
	m->name = name(get(md, "name"));
}

/* ------------------------------------------------------------ pods */

static int64_t
qty(const cJSON *res, const char *which, const char *what, int milli)
{
	const char *s = sv(path2(res, which, what));
	int64_t v;

	if (!s)
		return -1;
	if ((milli ? quantity_milli(s, &v) : quantity_value(s, &v)) < 0)
		return -1;
	return v;
}

static uint16_t
count(const cJSON *arr)
{
	int n = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
	return (uint16_t)(n > SUB_MAX ? SUB_MAX : n);
}

static struct kcspec *
specs(const cJSON *arr, uint16_t *np)
{
	uint16_t n = count(arr), i = 0;
	struct kcspec *v = xcalloc(n + 1u, sizeof *v);
	const cJSON *c;

	for (c = kids(n, arr); c; c = c->next) {
		const cJSON *res = get(c, "resources");
		if (i == n)
			break;
		v[i].name = str(get(c, "name"), NAME_MAX_);
		v[i].image = str(get(c, "image"), NAME_MAX_);
		v[i].restartable = sv(get(c, "restartPolicy")) &&
		    strcmp(sv(get(c, "restartPolicy")), "Always") == 0;
		v[i].req_cpu = qty(res, "requests", "cpu", 1);
		v[i].lim_cpu = qty(res, "limits", "cpu", 1);
		v[i].req_mem = qty(res, "requests", "memory", 0);
		v[i].lim_mem = qty(res, "limits", "memory", 0);
		i++;
	}
	*np = i;
	return v;
}

static void
cstate(struct kcstatus *s, const cJSON *state)
{
	const cJSON *w = get(state, "waiting"), *r = get(state, "running"), *t = get(state, "terminated");

	if (cJSON_IsObject(w)) {
		s->state = KCS_WAITING;
		s->reason = str(get(w, "reason"), NAME_MAX_);
		s->message = str(get(w, "message"), MSG_MAX);
	} else if (cJSON_IsObject(r)) {
		s->state = KCS_RUNNING;
		s->since = kube_time(get(r, "startedAt"));
	} else if (cJSON_IsObject(t)) {
		s->state = KCS_TERMINATED;
		s->reason = str(get(t, "reason"), NAME_MAX_);
		s->message = str(get(t, "message"), MSG_MAX);
		s->exit_code = (int32_t)num(get(t, "exitCode"), 0);
		s->signal = (int32_t)num(get(t, "signal"), 0);
		s->since = kube_time(get(t, "finishedAt"));
	}
}

static struct kcstatus *
statuses(const cJSON *arr, uint16_t *np)
{
	uint16_t n = count(arr), i = 0;
	struct kcstatus *v = xcalloc(n + 1u, sizeof *v);
	const cJSON *c;

	for (c = kids(n, arr); c; c = c->next) {
		const cJSON *last = path2(c, "lastState", "terminated");
		struct kcstatus *s = &v[i];
		if (i == n)
			break;
		s->since = s->last_started = s->last_finished = TNS_NONE;
		s->name = str(get(c, "name"), NAME_MAX_);
		s->ready = (uint8_t)boolean(get(c, "ready"));
		s->started = (uint8_t)boolean(get(c, "started"));
		s->restarts = (int32_t)num(get(c, "restartCount"), 0);
		cstate(s, get(c, "state"));
		if (cJSON_IsObject(last)) {
			s->has_last = 1;
			s->last_reason = str(get(last, "reason"), NAME_MAX_);
			s->last_exit = (int32_t)num(get(last, "exitCode"), 0);
			s->last_signal = (int32_t)num(get(last, "signal"), 0);
			s->last_started = kube_time(get(last, "startedAt"));
			s->last_finished = kube_time(get(last, "finishedAt"));
		}
		i++;
	}
	*np = i;
	return v;
}

static void
conditions(struct kpod *p, const cJSON *arr)
{
	uint16_t n = count(arr), i = 0;
	const cJSON *c;

	p->cond = xcalloc(n + 1u, sizeof *p->cond);
	for (c = kids(n, arr); c; c = c->next) {
		if (i == n)
			break;
		p->cond[i].type = str(get(c, "type"), NAME_MAX_);
		p->cond[i].status = str(get(c, "status"), 16);
		p->cond[i].reason = str(get(c, "reason"), NAME_MAX_);
		p->cond[i].message = str(get(c, "message"), MSG_MAX);
		p->cond[i].at = kube_time(get(c, "lastTransitionTime"));
		i++;
	}
	p->ncond = i;
}

static void
labels(struct kpod *p, const cJSON *obj)
{
	int n = cJSON_IsObject(obj) ? cJSON_GetArraySize(obj) : 0;
	const cJSON *c;
	uint16_t i = 0;

	if (n > LABEL_MAX)
		n = LABEL_MAX;
	p->labels = xcalloc((size_t)n + 1, sizeof *p->labels);
	for (c = kids(n, obj); c; c = c->next) {
		if (i == n)
			break;
		if (!sv(c) || !c->string)
			continue;
		p->labels[i].k = xstrndup(c->string, NAME_MAX_);
		p->labels[i].v = xstrndup(c->valuestring, NAME_MAX_);
		i++;
	}
	p->nlabels = i;
}

static void
owner(struct kpod *p, const cJSON *refs)
{
	const cJSON *r, *first = NULL;

	for (r = kids(cJSON_IsArray(refs), refs); r; r = r->next) {
		if (!first)
			first = r;
		if (boolean(get(r, "controller"))) {
			first = r;
			break;
		}
	}
	if (first) {
		p->owner_kind = str(get(first, "kind"), NAME_MAX_);
		p->owner_name = str(get(first, "name"), NAME_MAX_);
	}
}

struct kpod *
kube_parse_pod(const cJSON *o)
{
	const cJSON *md = get(o, "metadata"), *spec = get(o, "spec"), *st = get(o, "status");
	const cJSON *ip = get(st, "podIP");
	struct kpod *p;

	if (!cJSON_IsObject(o))
		return NULL;
	p = xcalloc(1, sizeof *p);
	meta(&p->meta, o);
	p->uid = str(get(md, "uid"), NAME_MAX_);
	p->created = kube_time(get(md, "creationTimestamp"));
	p->deleted = kube_time(get(md, "deletionTimestamp"));
	owner(p, get(md, "ownerReferences"));
	labels(p, get(md, "labels"));
	p->node = str(get(spec, "nodeName"), NAME_MAX_);
	p->spec_c = specs(get(spec, "containers"), &p->nspec_c);
	p->spec_i = specs(get(spec, "initContainers"), &p->nspec_i);
	p->phase = str(get(st, "phase"), NAME_MAX_);
	p->reason = str(get(st, "reason"), NAME_MAX_);
	p->message = str(get(st, "message"), MSG_MAX);
	if (!sv(ip))
		ip = get(cJSON_GetArrayItem(get(st, "podIPs"), 0), "ip");
	p->ip = str(ip, 64);
	p->qos = str(get(st, "qosClass"), 32);
	p->started = kube_time(get(st, "startTime"));
	p->st_c = statuses(get(st, "containerStatuses"), &p->nst_c);
	p->st_i = statuses(get(st, "initContainerStatuses"), &p->nst_i);
	conditions(p, get(st, "conditions"));
	return p;
}

/* ------------------------------------------------------------ events */

static char *
join(const char *a, const char *b)
{
	if (a && *a && b && *b)
		return xasprintf("%.200s, %.200s", a, b);
	if (a && *a)
		return xstrndup(a, 200);
	if (b && *b)
		return xstrndup(b, 200);
	return NULL;
}

struct kevent *
kube_parse_event(const cJSON *o)
{
	const cJSON *inv = get(o, "involvedObject"), *series = get(o, "series");
	struct kevent *e;
	tns et, first, last;

	if (!cJSON_IsObject(o))
		return NULL;
	if (!cJSON_IsObject(inv))
		inv = get(o, "regarding");	/* events.k8s.io/v1 served as such */
	e = xcalloc(1, sizeof *e);
	meta(&e->meta, o);
	e->type = str(get(o, "type"), 32);
	e->reason = str(get(o, "reason"), NAME_MAX_);
	e->message = str(get(o, "message"), MSG_MAX);
	if (!e->message)
		e->message = str(get(o, "note"), MSG_MAX);
	e->obj_kind = str(get(inv, "kind"), NAME_MAX_);
	e->obj_ns = str(get(inv, "namespace"), NAME_MAX_);
	e->obj_name = str(get(inv, "name"), NAME_MAX_);
	e->obj_field = str(get(inv, "fieldPath"), NAME_MAX_);
	e->source = join(sv(path2(o, "source", "component")), sv(path2(o, "source", "host")));
	if (!e->source)
		e->source = join(sv(get(o, "reportingComponent")) ? sv(get(o, "reportingComponent")) :
		    sv(get(o, "reportingController")), sv(get(o, "reportingInstance")));
	et = kube_time(get(o, "eventTime"));
	first = kube_time(get(o, "firstTimestamp"));
	last = kube_time(get(o, "lastTimestamp"));
	e->new_api = first == TNS_NONE && et != TNS_NONE;
	e->first = first != TNS_NONE ? first : et != TNS_NONE ? et :
	    kube_time(path2(o, "metadata", "creationTimestamp"));
	e->last = kube_time(get(series, "lastObservedTime"));
	if (e->last == TNS_NONE)
		e->last = last != TNS_NONE ? last : et != TNS_NONE ? et : e->first;
	e->count = (int32_t)num(get(series, "count"), num(get(o, "count"), 1));
	if (e->count < 1)
		e->count = 1;
	return e;
}

/* ------------------------------------------------------------ deployments */

static void
deploy_conditions(struct kdeploy *d, const cJSON *arr)
{
	const cJSON *c;

	for (c = kids(cJSON_IsArray(arr), arr); c; c = c->next) {
		const char *t = sv(get(c, "type"));
		if (!t)
			continue;
		if (strcmp(t, "Available") == 0 && !d->available_status)
			d->available_status = str(get(c, "status"), 16);
		else if (strcmp(t, "Progressing") == 0 && !d->progress_status) {
			d->progress_status = str(get(c, "status"), 16);
			d->progress_reason = str(get(c, "reason"), NAME_MAX_);
			d->progress_message = str(get(c, "message"), MSG_MAX);
		}
	}
}

struct kdeploy *
kube_parse_deploy(const cJSON *o)
{
	const cJSON *spec = get(o, "spec"), *st = get(o, "status");
	struct kdeploy *d;

	if (!cJSON_IsObject(o))
		return NULL;
	d = xcalloc(1, sizeof *d);
	meta(&d->meta, o);
	d->created = kube_time(path2(o, "metadata", "creationTimestamp"));
	d->generation = num(path2(o, "metadata", "generation"), 0);
	d->replicas = (int32_t)num(get(spec, "replicas"), 1);
	d->strategy = str(path2(spec, "strategy", "type"), 64);
	d->image = str(get(cJSON_GetArrayItem(get(path2(spec, "template", "spec"), "containers"), 0),
	    "image"), NAME_MAX_);
	/* zero counters are omitted by the API server: absent means 0 */
	d->updated = (int32_t)num(get(st, "updatedReplicas"), 0);
	d->ready = (int32_t)num(get(st, "readyReplicas"), 0);
	d->available = (int32_t)num(get(st, "availableReplicas"), 0);
	d->unavailable = (int32_t)num(get(st, "unavailableReplicas"), 0);
	d->observed = num(get(st, "observedGeneration"), 0);
	deploy_conditions(d, get(st, "conditions"));
	return d;
}

/* ------------------------------------------------------------ dispatch */

void *
kube_parse_obj(enum kube_kind kind, const cJSON *o)
{
	void *obj;

	/* an object without a name cannot be tracked (a Status, a List) */
	if (!sv(path2(o, "metadata", "name")) || !*sv(path2(o, "metadata", "name")))
		return NULL;
	switch (kind) {
	case KK_POD:
		obj = kube_parse_pod(o);
		break;
	case KK_EVENT:
		obj = kube_parse_event(o);
		break;
	case KK_DEPLOY:
		obj = kube_parse_deploy(o);
		break;
	default:
		obj = NULL;
	}
	return obj;
}

const cJSON *
kube_watch_items(const cJSON *ev)
{
	const cJSON *items = get(get(ev, "object"), "items");
	return cJSON_IsArray(items) ? items : NULL;
}

enum kube_op
kube_parse_watch(enum kube_kind kind, const cJSON *ev, void **obj, char **errmsg)
{
	const char *type = sv(get(ev, "type"));
	const cJSON *o = get(ev, "object");

	*obj = NULL;
	if (!type)
		return KOP_NONE;
	if (strcmp(type, "ERROR") == 0) {
		/* the object is a Status: "too old resource version" and such */
		if (errmsg)
			*errmsg = str(get(o, "message"), 512);
		return KOP_NONE;
	}
	if (strcmp(type, "ADDED") && strcmp(type, "MODIFIED") && strcmp(type, "DELETED"))
		return KOP_NONE;	/* BOOKMARK */
	if (!(*obj = kube_parse_obj(kind, o)))
		return KOP_NONE;
	return strcmp(type, "DELETED") == 0 ? KOP_DELETE : KOP_UPSERT;
}

/* ------------------------------------------------------------ text */

static int
field(const char **p, const char *end, const char **f, size_t *n)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	*f = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*n = (size_t)(*p - *f);
	return *n ? 0 : -1;
}

struct kmetric *
kube_parse_top_line(const char *line, size_t len, const char *ns, int all_ns)
{
	const char *p = line, *end = line + len, *f[4];
	size_t n[4] = { 0 };
	int want = all_ns ? 4 : 3;
	char cpu[64], mem[64];
	struct kmetric *m;
	int64_t c, b;

	for (int i = 0; i < want; i++)
		if (field(&p, end, &f[i], &n[i]) < 0)
			return NULL;
	if (n[want - 2] >= sizeof cpu || n[want - 1] >= sizeof mem)
		return NULL;
	memcpy(cpu, f[want - 2], n[want - 2]);
	cpu[n[want - 2]] = '\0';
	memcpy(mem, f[want - 1], n[want - 1]);
	mem[n[want - 1]] = '\0';
	if (quantity_milli(cpu, &c) < 0 || quantity_value(mem, &b) < 0)
		return NULL;
	m = xcalloc(1, sizeof *m);
	m->meta.ns = all_ns ? xstrndup(f[0], n[0] < NAME_MAX_ ? n[0] : NAME_MAX_) :
	    xstrdup(ns ? ns : "");
	m->meta.name = xstrndup(f[want - 3], n[want - 3] < NAME_MAX_ ? n[want - 3] : NAME_MAX_);
	m->cpu_m = c;
	m->mem = b;
	return m;
}

struct kline *
kube_parse_log_line(const char *line, size_t len)
{
	struct kline *k = xcalloc(1, sizeof *k);
	const char *sp = memchr(line, ' ', len < 40 ? len : 40);
	char ts[48];

	k->t = TNS_NONE;
	if (sp && (size_t)(sp - line) < sizeof ts) {
		memcpy(ts, line, (size_t)(sp - line));
		ts[sp - line] = '\0';
		if (fast_time(ts, &k->t) == 0) {
			len -= (size_t)(sp + 1 - line);
			line = sp + 1;
		} else
			k->t = TNS_NONE;
	}
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	k->text = xstrndup(line, len > MSG_MAX * 2 ? MSG_MAX * 2 : len);
	return k;
}
