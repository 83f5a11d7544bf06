/* otlp_json: resourceSpans -> the span model.  Invariants: never trusts
 * a type (a field of the wrong JSON type counts as absent), never
 * recurses deeper than VALUE_DEPTH into attribute values, and never keeps
 * more than max_spans spans or OTLP_VALUE_MAX bytes of one value. */
#include "sources/otlp_json.h"

#include <ctype.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"

#define VALUE_DEPTH	8

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

int
otlp_id_hex(const char *in, char *out, size_t outsz)
{
	size_t len = strlen(in), i;
	unsigned char raw[16];
	int n, hex = len > 0;

	for (i = 0; i < len && hex; i++)
		hex = isxdigit((unsigned char)in[i]);
	if (hex) {
		for (i = 0; i < len && i + 1 < outsz; i++)
			out[i] = (char)tolower((unsigned char)in[i]);
		out[i] = '\0';
		return 0;
	}
	n = trace_b64_decode(in, len, raw, sizeof raw);
	if (n > 0 && (size_t)n * 2 + 1 <= outsz) {
		trace_hex(raw, (size_t)n, out);
		return 0;
	}
	/* neither: keep a bounded copy so it still links and shows */
	for (i = 0; i < len && i + 1 < outsz && i < 64; i++)
		out[i] = in[i];
	out[i] = '\0';
	return -1;
}

tns
otlp_time(const cJSON *v)
{
	if (cJSON_IsString(v)) {
		char *end;
		unsigned long long u = strtoull(v->valuestring, &end, 10);
		if (end == v->valuestring || v->valuestring[0] == '-')
			return 0;
		return u > (unsigned long long)INT64_MAX ? INT64_MAX : (tns)u;
	}
	if (cJSON_IsNumber(v) && v->valuedouble >= 0)
		return v->valuedouble >= 9.2e18 ? INT64_MAX : (tns)v->valuedouble;
	return 0;
}

static void value_to_buf(struct buf *b, const cJSON *v, int depth, uint8_t *type);

static void
list_to_buf(struct buf *b, const cJSON *vals, int kv, int depth)
{
	int first = 1;
	uint8_t t;

	buf_putc(b, kv ? '{' : '[');
	for (const cJSON *c = cJSON_IsArray(vals) ? vals->child : NULL; c && !b->overflow; c = c->next) {
		if (!first)
			buf_puts(b, ", ");
		first = 0;
		if (kv) {
			const char *k = str(c, "key");
			buf_puts(b, k ? k : "?");
			buf_putc(b, '=');
			value_to_buf(b, get(c, "value"), depth + 1, &t);
		} else
			value_to_buf(b, c, depth + 1, &t);
	}
	buf_putc(b, kv ? '}' : ']');
}

static void
value_to_buf(struct buf *b, const cJSON *v, int depth, uint8_t *type)
{
	const cJSON *x;

	*type = AT_STRING;
	if (depth > VALUE_DEPTH) {
		buf_puts(b, "\xe2\x80\xa6");
		return;
	}
	if ((x = get(v, "stringValue")) && cJSON_IsString(x))
		buf_puts(b, x->valuestring);
	else if ((x = get(v, "boolValue")) && cJSON_IsBool(x)) {
		buf_puts(b, cJSON_IsTrue(x) ? "true" : "false");
		*type = AT_BOOL;
	} else if ((x = get(v, "intValue")) && (cJSON_IsString(x) || cJSON_IsNumber(x))) {
		if (cJSON_IsString(x))
			buf_puts(b, x->valuestring);
		else
			buf_printf(b, "%.0f", x->valuedouble);
		*type = AT_INT;
	} else if ((x = get(v, "doubleValue")) && (cJSON_IsNumber(x) || cJSON_IsString(x))) {
		if (cJSON_IsString(x))	/* "NaN", "Infinity" */
			buf_puts(b, x->valuestring);
		else
			buf_printf(b, "%.15g", x->valuedouble);
		*type = AT_DOUBLE;
	} else if ((x = get(v, "bytesValue")) && cJSON_IsString(x)) {
		unsigned char raw[64];
		int n = trace_b64_decode(x->valuestring, strlen(x->valuestring), raw, sizeof raw);
		char hx[2 * sizeof raw + 1];
		if (n >= 0) {
			trace_hex(raw, (size_t)n, hx);
			buf_puts(b, hx);
		} else
			buf_printf(b, "<%zu bytes of base64>", strlen(x->valuestring));
		*type = AT_BYTES;
	} else if ((x = get(v, "arrayValue"))) {
		list_to_buf(b, get(x, "values"), 0, depth);
		*type = AT_ARRAY;
	} else if ((x = get(v, "kvlistValue"))) {
		list_to_buf(b, get(x, "values"), 1, depth);
		*type = AT_KVLIST;
	}
}

/* The common scalar forms, straight into the arena; NULL if not one. */
static const char *
scalar_text(struct arena *ar, const cJSON *v, uint8_t *type)
{
	const cJSON *x = cJSON_IsObject(v) ? v->child : NULL;
	char num[40];

	if (!x || x->next || !x->string)
		return NULL;
	if (cJSON_IsString(x) && x->string[0] == 's' && strcmp(x->string, "stringValue") == 0) {
		*type = AT_STRING;
		if (strlen(x->valuestring) >= OTLP_VALUE_MAX)
			return NULL;	/* long: cut by the general path */
		return arena_strdup(ar, x->valuestring);
	}
	if (cJSON_IsString(x) && strcmp(x->string, "intValue") == 0 && strlen(x->valuestring) < 32) {
		*type = AT_INT;
		return arena_strdup(ar, x->valuestring);
	}
	if (cJSON_IsBool(x) && strcmp(x->string, "boolValue") == 0) {
		*type = AT_BOOL;
		return cJSON_IsTrue(x) ? "true" : "false";
	}
	if (cJSON_IsNumber(x) && strcmp(x->string, "doubleValue") == 0) {
		*type = AT_DOUBLE;
		snprintf(num, sizeof num, "%.15g", x->valuedouble);
		return arena_strdup(ar, num);
	}
	return NULL;
}

const char *
otlp_value_text(struct arena *ar, const cJSON *v, uint8_t *type)
{
	struct buf b;
	const char *s;

	if ((s = scalar_text(ar, v, type)))
		return s;
	buf_init(&b, OTLP_VALUE_MAX);
	value_to_buf(&b, v, 0, type);
	if (b.overflow) {
		/* cut at a character boundary and say so */
		size_t n = b.len > 4 ? b.len - 4 : 0;
		while (n && ((unsigned char)b.data[n] & 0xc0) == 0x80)
			n--;
		b.len = n;
		b.overflow = 0;
		buf_puts(&b, "\xe2\x80\xa6");
	}
	s = arena_strndup(ar, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

/* Attributes [{key, value}] -> arena array; extra (k, v) pairs first. */
static struct span_attr *
attrs(struct arena *ar, const cJSON *arr, const char *const *extra, size_t nextra, uint32_t *n)
{
	size_t cnt = nextra, k = 0;
	struct span_attr *a;

	for (const cJSON *c = cJSON_IsArray(arr) ? arr->child : NULL; c; c = c->next)
		cnt++;
	*n = 0;
	if (!cnt)
		return NULL;
	a = arena_array(ar, cnt, sizeof *a);
	for (size_t i = 0; i + 1 < nextra * 2; i += 2)
		if (extra[i + 1]) {
			a[k].key = arena_strdup(ar, extra[i]);
			a[k].val = arena_strdup(ar, extra[i + 1]);
			a[k++].type = AT_STRING;
		}
	for (const cJSON *c = cJSON_IsArray(arr) ? arr->child : NULL; c; c = c->next) {
		const cJSON *key = NULL, *val = NULL;
		for (const cJSON *m = cJSON_IsObject(c) ? c->child : NULL; m; m = m->next) {
			if (!m->string)
				continue;
			if (!key && m->string[0] == 'k' && strcmp(m->string, "key") == 0 && cJSON_IsString(m))
				key = m;
			else if (!val && m->string[0] == 'v' && strcmp(m->string, "value") == 0)
				val = m;
		}
		if (!key)
			continue;
		a[k].key = arena_strdup(ar, key->valuestring);
		a[k].val = otlp_value_text(ar, val, &a[k].type);
		k++;
	}
	*n = (uint32_t)k;
	return a;
}

static int
enum_val(const cJSON *v, const char *const *names, int n)
{
	if (cJSON_IsNumber(v))
		return v->valuedouble >= 0 && v->valuedouble < n ? (int)v->valuedouble : 0;
	if (cJSON_IsString(v))
		for (int i = 0; i < n; i++)
			if (strcmp(v->valuestring, names[i]) == 0)
				return i;
	return 0;
}

static void
span_status(struct ev_trace *t, struct span *s, const cJSON *st)
{
	static const char *const codes[] = { "STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR" };
	const char *msg = str(st, "message");

	s->status = (uint8_t)enum_val(get(st, "code"), codes, 3);
	if (msg)
		s->status_msg = arena_strdup(&t->ar, msg);
	for (uint32_t i = 0; i < s->nattr; i++)	/* instrumentation that only sets error=true */
		if (strcmp(s->attr[i].key, "error") == 0 && strcmp(s->attr[i].val, "true") == 0 &&
		    s->status == SS_UNSET)
			s->status = SS_ERROR;
}

static void
span_events(struct ev_trace *t, struct span *s, const cJSON *evs)
{
	size_t n = 0, k = 0;

	for (const cJSON *e = cJSON_IsArray(evs) ? evs->child : NULL; e; e = e->next)
		n++;
	if (!n)
		return;
	s->ev = arena_array(&t->ar, n, sizeof *s->ev);
	for (const cJSON *e = evs->child; e; e = e->next) {
		const char *name = str(e, "name");
		if (!cJSON_IsObject(e))
			continue;
		s->ev[k].t = otlp_time(get(e, "timeUnixNano"));
		s->ev[k].name = arena_strdup(&t->ar, name ? name : "");
		s->ev[k].attr = attrs(&t->ar, get(e, "attributes"), NULL, 0, &s->ev[k].nattr);
		k++;
	}
	s->nev = (uint32_t)k;
}

/* The members of a span, found in one pass (spans are most of the answer). */
struct span_json {
	const cJSON	*span_id, *parent, *name, *kind, *start, *end, *attrs, *status, *events;
};

static void
span_members(const cJSON *sp, struct span_json *j)
{
	static const struct { const char *k; size_t off; } keys[] = {
		{ "spanId", offsetof(struct span_json, span_id) },
		{ "parentSpanId", offsetof(struct span_json, parent) },
		{ "name", offsetof(struct span_json, name) },
		{ "kind", offsetof(struct span_json, kind) },
		{ "startTimeUnixNano", offsetof(struct span_json, start) },
		{ "endTimeUnixNano", offsetof(struct span_json, end) },
		{ "attributes", offsetof(struct span_json, attrs) },
		{ "status", offsetof(struct span_json, status) },
		{ "events", offsetof(struct span_json, events) },
	};

	memset(j, 0, sizeof *j);
	for (const cJSON *m = sp->child; m; m = m->next)
		for (size_t i = 0; m->string && i < sizeof keys / sizeof *keys; i++)
			if (m->string[0] == keys[i].k[0] && strcmp(m->string, keys[i].k) == 0) {
				const cJSON **slot = (const cJSON **)((char *)j + keys[i].off);
				if (!*slot)
					*slot = m;
				break;
			}
}

static const char *
id_text(struct ev_trace *t, const cJSON *v)
{
	char hx[2 * 16 + 1];

	if (!cJSON_IsString(v) || !*v->valuestring)
		return "";
	otlp_id_hex(v->valuestring, hx, sizeof hx);
	return arena_strdup(&t->ar, hx);
}

static void
add_span(struct ev_trace *t, const cJSON *sp, uint32_t res, const char *scope, const char *scope_ver)
{
	static const char *const kinds[] = { "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL",
		"SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER" };
	const char *extra[] = { "otel.scope.name", scope, "otel.scope.version", scope_ver };
	struct span *s = ev_trace_add_span(t);
	struct span_json j;
	tns end;

	span_members(sp, &j);
	s->span_id = id_text(t, j.span_id);
	s->parent_id = id_text(t, j.parent);
	s->name = cJSON_IsString(j.name) ? arena_strdup(&t->ar, j.name->valuestring) : "";
	s->kind = (uint8_t)enum_val(j.kind, kinds, 6);
	s->start = otlp_time(j.start);
	end = otlp_time(j.end);
	s->dur = end && s->start ? end - s->start : 0;
	s->res = res;
	s->attr = attrs(&t->ar, j.attrs, extra, scope ? 2 : 0, &s->nattr);
	span_status(t, s, j.status);
	span_events(t, s, j.events);
}

static uint32_t
add_resource(struct ev_trace *t, const cJSON *res)
{
	const cJSON *a = get(res, "attributes");
	const char *svc = "";
	uint32_t k;

	for (const cJSON *c = cJSON_IsArray(a) ? a->child : NULL; c; c = c->next) {
		const char *key = str(c, "key"), *v = str(get(c, "value"), "stringValue");
		if (key && v && strcmp(key, "service.name") == 0)
			svc = v;
	}
	k = ev_trace_add_res(t, svc);
	t->res[k].attr = attrs(&t->ar, a, NULL, 0, &t->res[k].nattr);
	return k;
}

void
otlp_add_resource_spans(struct ev_trace *t, const cJSON *arr, size_t max_spans)
{
	static const char *const containers[] = { "scopeSpans", "instrumentationLibrarySpans" };

	if (!max_spans)
		max_spans = OTLP_MAX_SPANS_DEFAULT;
	for (const cJSON *b = cJSON_IsArray(arr) ? arr->child : NULL; b; b = b->next) {
		uint32_t res;
		if (!cJSON_IsObject(b))
			continue;
		res = add_resource(t, get(b, "resource"));
		for (size_t ci = 0; ci < 2; ci++) {
			const cJSON *ss = get(b, containers[ci]);
			for (const cJSON *s = cJSON_IsArray(ss) ? ss->child : NULL; s; s = s->next) {
				const cJSON *sc = get(s, ci ? "instrumentationLibrary" : "scope");
				const cJSON *spans = get(s, "spans");
				for (const cJSON *sp = cJSON_IsArray(spans) ? spans->child : NULL; sp;
				    sp = sp->next) {
					if (!cJSON_IsObject(sp))
						continue;
					if (t->n >= max_spans) {
						t->dropped++;
						continue;
					}
					add_span(t, sp, res, str(sc, "name"), str(sc, "version"));
				}
			}
		}
	}
}
