/* valuemap: Grafana-style value mappings (see valuemap.h).
 * Invariant: every entry has its text (possibly "") and role (-1: none);
 * regex entries own a compiled pattern (core/regex.h limits apply). */
#include "widgets/valuemap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/regex.h"
#include "core/theme.h"
#include "core/xalloc.h"

enum vkind { VM_VALUE, VM_RANGE, VM_NULL, VM_NAN, VM_NULLNAN, VM_TRUE, VM_FALSE, VM_REGEX };

struct vmap {
	enum vkind	 kind;
	double		 v, from, to;
	struct rx	*re;
	char		*text;
	int		 role;
};

static const char *const vm_keys[] = { "value", "from", "to", "match", "regex", "text", "role", NULL };

static int
match_kind(const char *s)
{
	static const struct { const char *name; enum vkind k; } tab[] = {
		{ "null", VM_NULL }, { "nan", VM_NAN }, { "null+nan", VM_NULLNAN },
		{ "true", VM_TRUE }, { "false", VM_FALSE },
	};
	for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
		if (strcmp(tab[i].name, s) == 0)
			return (int)tab[i].k;
	return -1;
}

/* One entry; 0, or -1 after a diagnostic. */
static int
entry(struct vmap *m, const struct jdoc *doc, struct diag *dg, const cJSON *e, const char *path)
{
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(e, "value");
	const char *match = jd_str(doc, dg, e, path, "match", NULL), *re = jd_str(doc, dg, e, path, "regex", NULL);
	const char *role = jd_str(doc, dg, e, path, "role", NULL);
	char *end, *err = NULL;
	int k;

	jd_check_keys(doc, dg, e, path, vm_keys, NULL);
	m->role = -1;
	m->from = jd_num(doc, dg, e, path, "from", -INFINITY);
	m->to = jd_num(doc, dg, e, path, "to", INFINITY);
	if (role && (m->role = role_from_name(role)) < 0) {
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(e, "role"), 0,
		    "%s.role: unknown role '%s'", path, role);
		return -1;
	}
	if (cJSON_IsNumber(val) || (cJSON_IsString(val) && *val->valuestring)) {
		m->kind = VM_VALUE;
		if (cJSON_IsNumber(val))
			m->v = val->valuedouble;
		else {
			m->v = strtod(val->valuestring, &end);
			if (*end) {
				jdoc_diag(doc, dg, DIAG_ERROR, val, 0, "%s.value: '%s' is not a number "
				    "(use \"regex\" for text)", path, val->valuestring);
				return -1;
			}
		}
	} else if (match) {
		if ((k = match_kind(match)) < 0) {
			jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(e, "match"), 0,
			    "%s.match: expected null, nan, null+nan, true or false", path);
			return -1;
		}
		m->kind = (enum vkind)k;
	} else if (re) {
		m->kind = VM_REGEX;
		if (!(m->re = rx_compile(re, strlen(re), 0, &err))) {
			jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(e, "regex"), 0,
			    "%s.regex: %s", path, err);
			free(err);
			return -1;
		}
	} else if (cJSON_GetObjectItemCaseSensitive(e, "from") || cJSON_GetObjectItemCaseSensitive(e, "to"))
		m->kind = VM_RANGE;
	else {
		jdoc_diag(doc, dg, DIAG_ERROR, e, 0, "%s: expected \"value\", \"from\"/\"to\", \"match\" "
		    "or \"regex\"", path);
		return -1;
	}
	m->text = xstrdup(jd_str(doc, dg, e, path, "text", ""));
	return 0;
}

int
valuemap_init(struct valuemap *vm, const struct jdoc *doc, struct diag *dg, const cJSON *options,
    const char *path)
{
	const cJSON *arr = jd_arr(doc, dg, options, path, "mappings");
	size_t i = 0;

	memset(vm, 0, sizeof *vm);
	if (!arr)
		return 0;
	vm->m = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *vm->m);
	for (const cJSON *e = arr->child; e; e = e->next, i++) {
		char p[320];
		snprintf(p, sizeof p, "%s.options.mappings[%zu]", path, i);
		if (!cJSON_IsObject(e)) {
			jdoc_diag(doc, dg, DIAG_ERROR, e, 0, "%s: expected an object", p);
			continue;
		}
		if (entry(&vm->m[vm->n], doc, dg, e, p) == 0)
			vm->n++;
		else
			rx_free(vm->m[vm->n].re);
	}
	return 0;
}

void
valuemap_free(struct valuemap *vm)
{
	for (size_t i = 0; i < vm->n; i++) {
		rx_free(vm->m[i].re);
		free(vm->m[i].text);
	}
	free(vm->m);
	memset(vm, 0, sizeof *vm);
}

static int
matches(const struct vmap *m, double v, const char *formatted)
{
	switch (m->kind) {
	case VM_VALUE:
		return v == m->v;
	case VM_RANGE:
		return !isnan(v) && v >= m->from && v <= m->to;
	case VM_NULL:		/* scry's "no value" is NaN: Grafana's null */
	case VM_NAN:
	case VM_NULLNAN:
		return isnan(v);
	case VM_TRUE:
		return v == 1;
	case VM_FALSE:
		return v == 0;
	case VM_REGEX:
		return formatted && rx_match(m->re, formatted, strlen(formatted), 0, 1, 0, NULL, NULL) ==
		    RX_MATCH;
	}
	return 0;
}

const char *
valuemap_apply(const struct valuemap *vm, double v, const char *formatted, int *role)
{
	for (size_t i = 0; i < vm->n; i++)
		if (matches(&vm->m[i], v, formatted)) {
			if (vm->m[i].role >= 0)
				*role = vm->m[i].role;
			return vm->m[i].text;
		}
	return NULL;
}
