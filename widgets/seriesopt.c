/* seriesopt: series patterns and stacking for time-series panels. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "widgets/seriesopt.h"

#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct spat {
	char		*text;		/* name, or the ref after "ref:" */
	int		 ref;
	pcre2_code	*re;		/* for "/regex/" */
};

const char *const seriesopt_keys[] = { "hide_series", "show_series", "negate_series", "rename",
	"stack", "unstack_series", NULL };

static int
parse_list(const struct jdoc *doc, struct diag *dg, const cJSON *opts, const char *path,
    const char *key, struct spat **out, size_t *n)
{
	const cJSON *arr = jd_arr(doc, dg, opts, path, key);

	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	*out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof **out);
	for (const cJSON *e = arr->child; e; e = e->next) {
		struct spat *p = &(*out)[*n];
		const char *s;
		size_t len;
		if (!cJSON_IsString(e)) {
			jdoc_diag(doc, dg, DIAG_ERROR, e, 0, "%s.options.%s: expected names, \"/regex/\" or "
			    "\"ref:A\"", path, key);
			return -1;
		}
		s = e->valuestring;
		len = strlen(s);
		if (len >= 2 && s[0] == '/' && s[len - 1] == '/') {
			int ec;
			PCRE2_SIZE off;
			p->re = pcre2_compile((PCRE2_SPTR)(s + 1), len - 2, PCRE2_UTF, &ec, &off, NULL);
			if (!p->re) {
				PCRE2_UCHAR msg[256];
				pcre2_get_error_message(ec, msg, sizeof msg);
				jdoc_diag(doc, dg, DIAG_ERROR, e, 0, "%s.options.%s: bad regex at offset %zu: %s",
				    path, key, (size_t)off, (const char *)msg);
				return -1;
			}
		} else if (strncmp(s, "ref:", 4) == 0) {
			p->ref = 1;
			s += 4;
		}
		p->text = xstrdup(s);
		(*n)++;
	}
	return 0;
}

int
seriesopt_init(struct seriesopt *so, const struct jdoc *doc, struct diag *dg, const cJSON *options,
    const char *path)
{
	const char *st = jd_str(doc, dg, options, path, "stack", "none");

	memset(so, 0, sizeof *so);
	if (strcmp(st, "normal") == 0)
		so->stack = STACK_NORMAL;
	else if (strcmp(st, "percent") == 0)
		so->stack = STACK_PERCENT;
	else if (strcmp(st, "none") != 0)
		jdoc_diag(doc, dg, DIAG_ERROR, cJSON_GetObjectItemCaseSensitive(options, "stack"), 0,
		    "%s.options.stack: expected \"none\", \"normal\" or \"percent\"", path);
	so->rename = jd_obj(doc, dg, options, path, "rename");
	if (parse_list(doc, dg, options, path, "hide_series", &so->hide, &so->nhide) < 0 ||
	    parse_list(doc, dg, options, path, "show_series", &so->show, &so->nshow) < 0 ||
	    parse_list(doc, dg, options, path, "negate_series", &so->neg, &so->nneg) < 0 ||
	    parse_list(doc, dg, options, path, "unstack_series", &so->unstack, &so->nunstack) < 0)
		return -1;
	return 0;
}

static void
free_list(struct spat *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].text);
		pcre2_code_free(p[i].re);
	}
	free(p);
}

void
seriesopt_free(struct seriesopt *so)
{
	free_list(so->hide, so->nhide);
	free_list(so->show, so->nshow);
	free_list(so->neg, so->nneg);
	free_list(so->unstack, so->nunstack);
	memset(so, 0, sizeof *so);
}

static int
match_one(const struct spat *p, const char *name, const char *ref)
{
	if (p->ref)
		return ref && strcmp(p->text, ref) == 0;
	if (p->re) {
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(p->re, NULL);
		int rc = pcre2_match(p->re, (PCRE2_SPTR)name, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);
		pcre2_match_data_free(md);
		return rc >= 0;
	}
	return strcmp(p->text, name) == 0;
}

static int
match_any(const struct spat *p, size_t n, const char *name, const char *ref)
{
	for (size_t i = 0; i < n; i++)
		if (match_one(&p[i], name, ref))
			return 1;
	return 0;
}

int
seriesopt_visible(const struct seriesopt *so, const char *name, const char *ref)
{
	if (so->nshow && !match_any(so->show, so->nshow, name, ref))
		return 0;
	return !match_any(so->hide, so->nhide, name, ref);
}

int
seriesopt_flags(const struct seriesopt *so, const char *name, const char *ref)
{
	return (match_any(so->neg, so->nneg, name, ref) ? SO_NEGATED : 0) |
	    (match_any(so->unstack, so->nunstack, name, ref) ? SO_UNSTACKED : 0);
}

const char *
seriesopt_rename(const struct seriesopt *so, const char *name)
{
	const cJSON *v = so->rename ? cJSON_GetObjectItemCaseSensitive(so->rename, name) : NULL;
	return cJSON_IsString(v) ? v->valuestring : name;
}

/* Value of s at exactly t (NaN if none). */
static double
at_exact(const struct series *s, tns t)
{
	size_t k = series_lower_bound(s, t);
	return k < s->n && s->t[k] == t ? s->v[k] : NAN;
}

/* s[i]'s k-th value on the stack: plus the same-signed stacked series
 * before it, or its share of the stacked total. */
static double
stacked(const struct seriesopt *so, const struct series *const *s, const int *flags,
    size_t n, size_t i, size_t k, double v)
{
	double below = 0, total = 0;

	/* negative values stack downwards, positive upwards (as Grafana) */
	for (size_t j = 0; j < n; j++) {
		double x = at_exact(s[j], s[i]->t[k]);
		if (!isfinite(x) || (flags[j] & SO_UNSTACKED))
			continue;
		if (flags[j] & SO_NEGATED)
			x = -x;
		if (j < i && (x < 0) == (v < 0))
			below += x;
		total += fabs(x);
	}
	v += below;
	if (so->stack == STACK_PERCENT)
		v = total > 0 ? v / total : NAN;
	return v;
}

void
seriesopt_values(const struct seriesopt *so, const struct series *const *s, const int *flags,
    size_t n, double **out)
{
	for (size_t i = 0; i < n; i++) {
		int neg = flags[i] & SO_NEGATED;
		int stack = so->stack != STACK_NONE && !(flags[i] & SO_UNSTACKED);
		out[i] = NULL;
		if (!neg && !stack)
			continue;
		out[i] = xcalloc(s[i]->n + 1, sizeof *out[i]);
		for (size_t k = 0; k < s[i]->n; k++) {
			double v = neg ? -s[i]->v[k] : s[i]->v[k];
			out[i][k] = stack && !isnan(v) ? stacked(so, s, flags, n, i, k, v) : v;
		}
	}
}
