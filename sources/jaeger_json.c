/* jaeger_json: Jaeger v1 JSON -> the span model and search rows.
 * Invariants: µs times are converted with overflow checks; every field
 * may be absent or of the wrong type (then it counts as absent). */
#include "sources/jaeger_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/hmap.h"
#include "core/jarena.h"
#include "core/xalloc.h"
#include "sources/otlp_json.h"

static const cJSON *
get(const cJSON *o, const char *k)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static tns
us_to_ns(const cJSON *v)
{
	double d = cJSON_IsNumber(v) ? v->valuedouble :
	    cJSON_IsString(v) ? strtod(v->valuestring, NULL) : 0;

	if (d != d)
		return 0;
	if (d >= 9.2e15)
		return INT64_MAX;
	if (d <= -9.2e15)
		return INT64_MIN + 1;
	return (tns)d * NS_PER_US;
}

static const char *
tag_text(struct arena *ar, const cJSON *tag, uint8_t *type)
{
	const char *ty = str(tag, "type");
	const cJSON *v = get(tag, "value");
	char num[64];

	*type = AT_STRING;
	if (ty && strcmp(ty, "bool") == 0)
		*type = AT_BOOL;
	else if (ty && strcmp(ty, "int64") == 0)
		*type = AT_INT;
	else if (ty && strcmp(ty, "float64") == 0)
		*type = AT_DOUBLE;
	else if (ty && strcmp(ty, "binary") == 0)
		*type = AT_BYTES;
	if (cJSON_IsString(v))
		return arena_strndup(ar, v->valuestring, strnlen(v->valuestring, OTLP_VALUE_MAX));
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof num, *type == AT_INT ? "%.0f" : "%.15g", v->valuedouble);
		return arena_strdup(ar, num);
	}
	return "";
}

static struct span_attr *
tags(struct arena *ar, const cJSON *arr, uint32_t *n)
{
	size_t cnt = 0, k = 0;
	struct span_attr *a;

	*n = 0;
	for (const cJSON *c = cJSON_IsArray(arr) ? arr->child : NULL; c; c = c->next)
		cnt++;
	if (!cnt)
		return NULL;
	a = arena_array(ar, cnt, sizeof *a);
	for (const cJSON *c = arr->child; c; c = c->next) {
		const char *key = str(c, "key");
		if (!key)
			continue;
		a[k].key = arena_strdup(ar, key);
		a[k].val = tag_text(ar, c, &a[k].type);
		k++;
	}
	*n = (uint32_t)k;
	return a;
}

static const char *
attr_get(const struct span_attr *a, uint32_t n, const char *key)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(a[i].key, key) == 0)
			return a[i].val;
	return NULL;
}

static void
kind_status(struct span *s)
{
	static const char *const kinds[] = { "", "internal", "server", "client", "producer", "consumer" };
	const char *k = attr_get(s->attr, s->nattr, "span.kind");
	const char *e = attr_get(s->attr, s->nattr, "error");
	const char *oc = attr_get(s->attr, s->nattr, "otel.status_code");
	const char *od = attr_get(s->attr, s->nattr, "otel.status_description");

	for (int i = 1; k && i < 6; i++)
		if (strcmp(k, kinds[i]) == 0)
			s->kind = (uint8_t)i;
	if ((e && strcmp(e, "true") == 0) || (oc && strcmp(oc, "ERROR") == 0))
		s->status = SS_ERROR;
	else if (oc && strcmp(oc, "OK") == 0)
		s->status = SS_OK;
	if (od)
		s->status_msg = od;
}

static void
logs(struct ev_trace *t, struct span *s, const cJSON *arr)
{
	size_t cnt = 0, k = 0;

	for (const cJSON *c = cJSON_IsArray(arr) ? arr->child : NULL; c; c = c->next)
		cnt++;
	if (!cnt)
		return;
	s->ev = arena_array(&t->ar, cnt, sizeof *s->ev);
	for (const cJSON *c = arr->child; c; c = c->next) {
		struct span_event *e = &s->ev[k++];
		const char *name;
		e->t = us_to_ns(get(c, "timestamp"));
		e->attr = tags(&t->ar, get(c, "fields"), &e->nattr);
		name = attr_get(e->attr, e->nattr, "event");
		if (!name)
			name = attr_get(e->attr, e->nattr, "message");
		e->name = name ? name : "log";
	}
	s->nev = (uint32_t)k;
}

static void
references(struct ev_trace *t, struct span *s, const cJSON *refs)
{
	const char *follows = NULL;
	char hx[2 * 16 + 1];

	for (const cJSON *r = cJSON_IsArray(refs) ? refs->child : NULL; r; r = r->next) {
		const char *ty = str(r, "refType"), *id = str(r, "spanID");
		if (!id || !*id)
			continue;
		if (!ty || strcmp(ty, "CHILD_OF") == 0) {
			otlp_id_hex(id, hx, sizeof hx);
			s->parent_id = arena_strdup(&t->ar, hx);
			s->follows = 0;
			return;
		}
		if (!follows && strcmp(ty, "FOLLOWS_FROM") == 0)
			follows = id;
	}
	if (follows) {
		otlp_id_hex(follows, hx, sizeof hx);
		s->parent_id = arena_strdup(&t->ar, hx);
		s->follows = 1;
	}
}

/* The resource of a process id (created on first use). */
static uint32_t
process_res(struct ev_trace *t, struct hmap *pm, const cJSON *procs, const cJSON *sp)
{
	const char *pid = str(sp, "processID");
	const cJSON *p = pid ? get(procs, pid) : get(sp, "process");
	const char *svc = str(p, "serviceName");
	intptr_t have = pid ? (intptr_t)hmap_get(pm, pid) : 0;
	uint32_t k;

	if (have)
		return (uint32_t)(have - 1);
	if (!p)
		return 0;
	k = ev_trace_add_res(t, svc ? svc : "");
	t->res[k].attr = tags(&t->ar, get(p, "tags"), &t->res[k].nattr);
	if (pid)
		hmap_put(pm, pid, (void *)(intptr_t)(k + 1));
	return k;
}

static void
add_span(struct ev_trace *t, struct hmap *pm, const cJSON *procs, const cJSON *sp)
{
	struct span *s = ev_trace_add_span(t);
	const char *id = str(sp, "spanID"), *op = str(sp, "operationName");
	const cJSON *warn = get(sp, "warnings");
	char hx[2 * 16 + 1];

	if (id && *id) {
		otlp_id_hex(id, hx, sizeof hx);
		s->span_id = arena_strdup(&t->ar, hx);
	}
	s->name = arena_strdup(&t->ar, op ? op : "");
	s->start = us_to_ns(get(sp, "startTime"));
	s->dur = us_to_ns(get(sp, "duration"));
	s->res = process_res(t, pm, procs, sp);
	references(t, s, get(sp, "references"));
	s->attr = tags(&t->ar, get(sp, "tags"), &s->nattr);
	if (cJSON_IsArray(warn) && warn->child && cJSON_IsString(warn->child)) {
		/* Jaeger's own notes (clock skew adjustments...) become an attribute */
		struct span_attr *a = arena_array(&t->ar, s->nattr + 1, sizeof *a);
		if (s->nattr)
			memcpy(a, s->attr, s->nattr * sizeof *a);
		a[s->nattr].key = "jaeger.warning";
		a[s->nattr].val = arena_strdup(&t->ar, warn->child->valuestring);
		s->attr = a;
		s->nattr++;
	}
	kind_status(s);
	logs(t, s, get(sp, "logs"));
}

static struct ev_trace *
trace_from_json(const cJSON *tr, size_t max_spans)
{
	const char *id = str(tr, "traceID");
	char norm[TRACE_ID_HEX + 1] = "";
	const cJSON *spans = get(tr, "spans"), *procs = get(tr, "processes");
	struct ev_trace *t;
	struct hmap pm;

	if (!id || trace_id_normalize(id, norm) < 0)
		norm[0] = '\0';
	t = ev_trace_new(norm);
	hmap_init(&pm);
	if (!max_spans)
		max_spans = OTLP_MAX_SPANS_DEFAULT;
	for (const cJSON *sp = cJSON_IsArray(spans) ? spans->child : NULL; sp; sp = sp->next) {
		if (!cJSON_IsObject(sp))
			continue;
		if (t->n >= max_spans) {
			t->dropped++;
			continue;
		}
		add_span(t, &pm, procs, sp);
	}
	hmap_free(&pm, NULL);
	return t;
}

/* The envelope, parsed into ja (the caller frees ja, never the tree). */
static cJSON *
parse_env(struct arena *ja, const char *body, size_t len, const cJSON **data, char **err)
{
	cJSON *root;

	arena_init(ja);
	root = jarena_parse(ja, body, len);
	*err = NULL;
	*data = get(root, "data");
	if (!cJSON_IsObject(root)) {
		*err = xstrdup(root ? "unexpected JSON (not an object)" : "response is not valid JSON");
		arena_free(ja);
		return NULL;
	}
	if (!cJSON_IsArray(*data)) {
		char *e = jaeger_error_text(body, len);
		*err = e ? e : xstrdup("unexpected JSON: no \"data\" array");
		arena_free(ja);
		return NULL;
	}
	return root;
}

struct ev_trace *
jaeger_parse_trace(const char *body, size_t len, const char *want_id, size_t max_spans, char **err)
{
	const cJSON *data, *pick = NULL;
	struct arena ja;
	cJSON *root = parse_env(&ja, body, len, &data, err);
	struct ev_trace *t;

	if (!root)
		return NULL;
	for (const cJSON *tr = data->child; tr && !pick; tr = tr->next) {
		char norm[TRACE_ID_HEX + 1];
		const char *id = str(tr, "traceID");
		if (!want_id || (id && trace_id_normalize(id, norm) == 0 && strcmp(norm, want_id) == 0))
			pick = tr;
	}
	if (!pick)
		pick = cJSON_IsObject(data->child) ? data->child : NULL;
	if (!pick) {
		*err = xstrdup("trace not found (the answer holds no trace)");
		arena_free(&ja);
		return NULL;
	}
	t = trace_from_json(pick, max_spans);
	if (want_id && !*t->trace_id)
		t->trace_id = arena_strdup(&t->ar, want_id);
	arena_free(&ja);
	return t;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Root, duration, counts and services of one trace. */
static void
summarise(struct tsrow *r, const struct ev_trace *t)
{
	const struct span *root = NULL;
	tns lo = 0, hi = 0;
	const char *names[64];
	size_t nn = 0, len = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct span *s = &t->s[i];
		const char *svc = trace_span_service(t, s);
		size_t k;
		/* the earliest span without a parent; failing that, the earliest */
		if (!root || (!*s->parent_id && *root->parent_id) ||
		    (!*s->parent_id == !*root->parent_id && s->start < root->start))
			root = s;
		if (!i || s->start < lo)
			lo = s->start;
		if (!i || trace_sat_add(s->start, s->dur > 0 ? s->dur : 0) > hi)
			hi = trace_sat_add(s->start, s->dur > 0 ? s->dur : 0);
		r->errors += s->status == SS_ERROR;
		for (k = 0; k < nn && strcmp(names[k], svc) != 0; k++)
			;
		if (k == nn && nn < 64 && *svc) {
			names[nn++] = svc;
			len += strlen(svc) + 1;
		}
	}
	r->spans = (uint32_t)t->n;
	if (root) {
		free(r->root_service);
		r->root_service = xstrdup(trace_span_service(t, root));
		free(r->root_name);
		r->root_name = xstrdup(root->name);
		r->start = lo;
		r->dur = trace_sat_sub(hi, lo);
	}
	if (nn > 1)
		qsort(names, nn, sizeof *names, cmp_str);
	free(r->services);
	r->services = xcalloc(len + 1, 1);
	for (size_t k = 0; k < nn; k++) {
		if (k)
			strcat(r->services, " ");
		strcat(r->services, names[k]);
	}
}

struct ev_tracesearch *
jaeger_parse_search(const char *body, size_t len, size_t max_rows, char **err)
{
	const cJSON *data;
	struct arena ja;
	cJSON *root = parse_env(&ja, body, len, &data, err);
	struct ev_tracesearch *e;

	if (!root)
		return NULL;
	e = ev_tracesearch_new();
	for (const cJSON *tr = data->child; tr; tr = tr->next) {
		struct ev_trace *t;
		struct tsrow *r;
		if (!cJSON_IsObject(tr))
			continue;
		if (max_rows && e->n >= max_rows) {
			e->dropped++;
			continue;
		}
		t = trace_from_json(tr, 0);
		if (!*t->trace_id) {
			e->dropped++;
			ev_trace_free(t);
			continue;
		}
		r = ev_tracesearch_add(e);
		free(r->trace_id);
		r->trace_id = xstrdup(t->trace_id);
		summarise(r, t);
		ev_trace_free(t);
	}
	arena_free(&ja);
	return e;
}

char **
jaeger_parse_services(const char *body, size_t len, size_t *n, char **err)
{
	const cJSON *data;
	struct arena ja;
	cJSON *root = parse_env(&ja, body, len, &data, err);
	char **out;
	size_t k = 0;

	*n = 0;
	if (!root)
		return NULL;
	out = xcalloc((size_t)cJSON_GetArraySize(data) + 1, sizeof *out);
	for (const cJSON *c = data->child; c; c = c->next)
		if (cJSON_IsString(c))
			out[k++] = xstrndup(c->valuestring, 1024);
	qsort(out, k, sizeof *out, cmp_str);
	*n = k;
	arena_free(&ja);
	return out;
}

char *
jaeger_error_text(const char *body, size_t len)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	const cJSON *errs = get(root, "errors"), *e;
	char *out = NULL;

	e = cJSON_IsArray(errs) ? errs->child : NULL;
	if (e && str(e, "msg"))
		out = xstrndup(str(e, "msg"), 1024);
	cJSON_Delete(root);
	return out;
}
