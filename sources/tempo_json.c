/* tempo_json: envelope detection for trace-by-id answers (v1, v2, bare
 * OTLP) and the search answer.  Invariant: a parse either returns a
 * complete event or NULL with an error; nothing half-built escapes. */
#include "sources/tempo_json.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

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

/* The ResourceSpans array of whichever envelope this is. */
static const cJSON *
spans_array(const cJSON *root, const cJSON **env)
{
	const cJSON *tr;

	*env = NULL;
	if ((tr = get(root, "trace")) || (tr = get(root, "result"))) {
		*env = root;
		root = tr;
	}
	if (get(root, "batches"))
		return get(root, "batches");
	return get(root, "resourceSpans");
}

struct ev_trace *
tempo_parse_trace(const char *body, size_t len, const char *want_id, size_t max_spans, char **err)
{
	struct arena ja;
	cJSON *root;
	const cJSON *env, *arr;
	struct ev_trace *t;
	const char *st, *msg;

	arena_init(&ja);
	root = jarena_parse(&ja, body, len);
	*err = NULL;
	if (!root || !cJSON_IsObject(root)) {
		*err = xstrdup(root ? "unexpected JSON (not an object)" : "response is not valid JSON");
		arena_free(&ja);
		return NULL;
	}
	arr = spans_array(root, &env);
	if (arr && !cJSON_IsArray(arr)) {
		*err = xstrdup("unexpected JSON: \"batches\" is not an array");
		arena_free(&ja);
		return NULL;
	}
	if (!arr && !env && !get(root, "trace")) {
		/* {} is what an empty trace looks like; anything else is not a trace */
		if (root->child) {
			*err = xstrdup("unexpected JSON: no \"batches\" or \"trace\" in the answer");
			arena_free(&ja);
			return NULL;
		}
	}
	t = ev_trace_new(want_id ? want_id : "");
	otlp_add_resource_spans(t, arr, max_spans);
	if ((st = str(env, "status")) && strcmp(st, "PARTIAL") == 0)
		t->partial = 1;
	if ((msg = str(env, "message")) && *msg)
		t->message = arena_strdup(&t->ar, msg);
	if (!want_id) {
		/* the first span's trace id, as sent */
		for (const cJSON *bb = cJSON_IsArray(arr) ? arr->child : NULL; bb; bb = bb->next) {
			const cJSON *ss = get(bb, "scopeSpans") ? get(bb, "scopeSpans") :
			    get(bb, "instrumentationLibrarySpans");
			const cJSON *sp = cJSON_IsArray(ss) && ss->child ? get(ss->child, "spans") : NULL;
			const char *id = cJSON_IsArray(sp) && sp->child ? str(sp->child, "traceId") : NULL;
			char hx[33], norm[TRACE_ID_HEX + 1];
			if (id && otlp_id_hex(id, hx, sizeof hx) == 0 && trace_id_normalize(hx, norm) == 0) {
				t->trace_id = arena_strdup(&t->ar, norm);
				break;
			}
		}
	}
	arena_free(&ja);
	return t;
}

static uint32_t
u32(const cJSON *v)
{
	double d = cJSON_IsNumber(v) ? v->valuedouble :
	    cJSON_IsString(v) ? strtod(v->valuestring, NULL) : 0;
	return d > 0 && d < 4e9 ? (uint32_t)d : 0;
}

static void
set_str(char **dst, const char *v)
{
	if (!v)
		return;
	free(*dst);
	*dst = xstrndup(v, 4096);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* serviceStats: {"svc": {"spanCount": n, "errorCount": m}} */
static void
service_stats(struct tsrow *r, const cJSON *ss)
{
	const char *names[64];
	size_t n = 0, len = 0;
	char *out;

	for (const cJSON *c = cJSON_IsObject(ss) ? ss->child : NULL; c; c = c->next) {
		r->spans += u32(get(c, "spanCount"));
		r->errors += u32(get(c, "errorCount"));
		if (n < 64 && c->string) {
			names[n++] = c->string;
			len += strlen(c->string) + 1;
		}
	}
	if (!n)
		return;
	qsort(names, n, sizeof *names, cmp_str);
	out = xcalloc(len + 1, 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, names[i]);
	}
	free(r->services);
	r->services = out;
}

static void
search_row(struct ev_tracesearch *e, const cJSON *tr)
{
	struct tsrow *r;
	const char *id = str(tr, "traceID");
	char norm[TRACE_ID_HEX + 1];
	const cJSON *sets, *dur;

	if (!id || trace_id_normalize(id, norm) < 0) {
		e->dropped++;	/* no usable id: it could not be opened */
		return;
	}
	r = ev_tracesearch_add(e);
	set_str(&r->trace_id, norm);
	set_str(&r->root_service, str(tr, "rootServiceName"));
	set_str(&r->root_name, str(tr, "rootTraceName"));
	if (get(tr, "startTimeUnixNano"))
		r->start = otlp_time(get(tr, "startTimeUnixNano"));
	dur = get(tr, "durationMs");
	r->dur = 0;	/* Tempo omits durationMs when it is 0 */
	if (cJSON_IsNumber(dur) && dur->valuedouble > 0)	/* (NaN is not > 0) */
		r->dur = dur->valuedouble >= 9.2e12 ? INT64_MAX : (tns)(dur->valuedouble * NS_PER_MS);
	service_stats(r, get(tr, "serviceStats"));
	sets = get(tr, "spanSets");
	for (const cJSON *s = cJSON_IsArray(sets) ? sets->child : NULL; s; s = s->next)
		r->matched += u32(get(s, "matched"));
	if (!cJSON_IsArray(sets) && get(tr, "spanSet"))
		r->matched = u32(get(get(tr, "spanSet"), "matched"));
}

struct ev_tracesearch *
tempo_parse_search(const char *body, size_t len, size_t max_rows, char **err)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	const cJSON *traces = get(root, "traces"), *m = get(root, "metrics");
	struct ev_tracesearch *e;

	*err = NULL;
	if (!cJSON_IsObject(root) || (traces && !cJSON_IsArray(traces))) {
		*err = xstrdup(root ? "unexpected JSON in the search answer" :
		    "search answer is not valid JSON");
		cJSON_Delete(root);
		return NULL;
	}
	e = ev_tracesearch_new();
	for (const cJSON *tr = traces ? traces->child : NULL; tr; tr = tr->next) {
		if (!cJSON_IsObject(tr))
			continue;
		if (max_rows && e->n >= max_rows) {
			e->dropped++;
			continue;
		}
		search_row(e, tr);
	}
	e->inspected = u32(get(m, "inspectedTraces"));
	cJSON_Delete(root);
	return e;
}
