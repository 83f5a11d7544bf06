/* template: $variable expansion for queries and legends of queries. */
#include "core/template.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/dashboard.h"
#include "core/xalloc.h"

#define EXPAND_MAX	(1 << 20)

tns
tmpl_rate_interval(tns interval, tns scrape)
{
	tns a, b;

	if (scrape <= 0)
		scrape = 15 * NS_PER_S;
	a = interval + scrape;
	b = 4 * scrape;
	return a > b ? a : b;
}

int
tmpl_has_time_vars(const char *expr)
{
	return strstr(expr, "$__interval") || strstr(expr, "$__rate_interval") ||
	    strstr(expr, "$__range") || strstr(expr, "${__interval") ||
	    strstr(expr, "${__rate_interval") || strstr(expr, "${__range");
}

static void
regex_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\^$.|?*+()[]{}", *s))
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

static const struct dash_var *
find_var(const struct dashboard *db, const char *name, size_t n)
{
	if (!db)
		return NULL;
	for (size_t i = 0; i < db->nvars; i++)
		if (strlen(db->vars[i].name) == n && strncmp(db->vars[i].name, name, n) == 0)
			return &db->vars[i];
	return NULL;
}

static int
is_all(const struct dash_var *v)
{
	return v->ncurrent == 1 && (strcmp(v->current[0], "$__all") == 0 ||
	    strcmp(v->current[0], "All") == 0) && v->include_all;
}

static void
json_escape(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			buf_printf(b, "\\u%04x", (unsigned char)*s);
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void
quoted(struct buf *b, const char *s, char q, const char *esc)
{
	buf_putc(b, q);
	for (; *s; s++) {
		if (*s == q)
			buf_puts(b, esc);
		else
			buf_putc(b, *s);
	}
	buf_putc(b, q);
}

static void
percent_encode(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-_.!~*'()", c))
			buf_putc(b, c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

static void
lucene_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (strchr("+-=&|><!(){}[]^\"~*?:\\/ ", *s))
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

/* One value in a format (the parts that are not joins). */
static void
format_one(struct buf *b, const struct dash_var *v, const char *f, const char *x)
{
	if (strcmp(f, "singlequote") == 0)
		quoted(b, x, '\'', "\\'");
	else if (strcmp(f, "doublequote") == 0)
		quoted(b, x, '"', "\\\"");
	else if (strcmp(f, "sqlstring") == 0)
		quoted(b, x, '\'', "''");
	else if (strcmp(f, "json") == 0)
		json_escape(b, x);
	else if (strcmp(f, "queryparam") == 0) {
		buf_printf(b, "var-%s=", v->name);
		percent_encode(b, x);
	} else if (strcmp(f, "percentencode") == 0)
		percent_encode(b, x);
	else if (strcmp(f, "lucene") == 0) {
		buf_putc(b, '"');
		lucene_escape(b, x);
		buf_putc(b, '"');
	} else if (strcmp(f, "regex") == 0)
		regex_escape(b, x);
	else
		buf_puts(b, x);
}

static const char *
joiner(const char *f)
{
	if (strcmp(f, "pipe") == 0 || strcmp(f, "regex") == 0)
		return "|";
	if (strcmp(f, "glob") == 0 || strcmp(f, "json") == 0 || strcmp(f, "csv") == 0 ||
	    strcmp(f, "raw") == 0 || strcmp(f, "singlequote") == 0 || strcmp(f, "doublequote") == 0 ||
	    strcmp(f, "sqlstring") == 0 || strcmp(f, "percentencode") == 0)
		return ",";
	if (strcmp(f, "queryparam") == 0)
		return "&";
	if (strcmp(f, "text") == 0)
		return " + ";
	if (strcmp(f, "lucene") == 0)
		return " OR ";
	return ",";
}

static void
format_values(struct buf *b, const struct dash_var *v, const char *fmt, size_t flen,
    const char *deffmt)
{
	char f[32] = "";
	char *const *vals = v->current;
	size_t n = v->ncurrent;
	int many;

	if (flen && flen < sizeof f)
		memcpy(f, fmt, flen), f[flen] = '\0';
	else if (deffmt)
		snprintf(f, sizeof f, "%s", deffmt);
	if (is_all(v) && strcmp(f, "text") == 0) {
		buf_puts(b, "All");
		return;
	}
	if (is_all(v)) {
		/* "All": a custom all value as written; else every known value in
		 * the format (regex by default, as Grafana does); else ".*" */
		if (v->all_value) {
			buf_puts(b, v->all_value);
			return;
		}
		if (!v->nvalues) {
			buf_puts(b, ".*");
			return;
		}
		vals = v->values;
		n = v->nvalues;
		if (!*f)
			strcpy(f, "regex");
	}
	if (!*f)
		strcpy(f, (v->multi || n > 1) ? "regex" : "raw");
	many = n > 1;
	if (many && (strcmp(f, "regex") == 0 || strcmp(f, "lucene") == 0))
		buf_putc(b, '(');
	else if (many && strcmp(f, "glob") == 0)
		buf_putc(b, '{');
	else if (strcmp(f, "json") == 0 && (many || v->multi))
		buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(b, joiner(f));
		format_one(b, v, f, vals[i]);
	}
	if (many && (strcmp(f, "regex") == 0 || strcmp(f, "lucene") == 0))
		buf_putc(b, ')');
	else if (many && strcmp(f, "glob") == 0)
		buf_putc(b, '}');
	else if (strcmp(f, "json") == 0 && (many || v->multi))
		buf_putc(b, ']');
}

static int
time_var(struct buf *b, const char *name, size_t n, const struct tmpl_time *t)
{
	char tmp[32];

	if (!t || t->interval <= 0)
		return 0;
#define IS(s) (n == strlen(s) && strncmp(name, s, n) == 0)
	if (IS("__interval")) {
		ts_fmt_promql_duration(tmp, sizeof tmp, t->interval);
		buf_puts(b, tmp);
	} else if (IS("__interval_ms")) {
		buf_printf(b, "%lld", (long long)(t->interval / NS_PER_MS));
	} else if (IS("__rate_interval")) {
		ts_fmt_promql_duration(tmp, sizeof tmp, tmpl_rate_interval(t->interval, t->scrape));
		buf_puts(b, tmp);
	} else if (IS("__range")) {
		ts_fmt_promql_duration(tmp, sizeof tmp, t->range);
		buf_puts(b, tmp);
	} else if (IS("__range_s")) {
		buf_printf(b, "%lld", (long long)(t->range / NS_PER_S));
	} else if (IS("__range_ms")) {
		buf_printf(b, "%lld", (long long)(t->range / NS_PER_MS));
	} else
		return 0;
#undef IS
	return 1;
}

static char *expand(const char *expr, const struct dashboard *db, const struct tmpl_time *t,
    const char *deffmt);

char *
tmpl_expand(const char *expr, const struct dashboard *db, const struct tmpl_time *t)
{
	return expand(expr, db, t, NULL);
}

char *
tmpl_expand_text(const char *s, const struct dashboard *db)
{
	return expand(s, db, NULL, "text");
}

static char *
expand(const char *expr, const struct dashboard *db, const struct tmpl_time *t, const char *deffmt)
{
	struct buf b;
	const char *p = expr;

	buf_init(&b, EXPAND_MAX);
	while (*p) {
		const char *name = NULL, *fmt = NULL, *end = NULL;
		size_t nlen = 0, flen = 0;

		if (p[0] == '$' && p[1] == '{') {
			const char *q = p + 2, *close = strchr(q, '}');
			if (close) {
				const char *colon = memchr(q, ':', (size_t)(close - q));
				name = q;
				nlen = (size_t)((colon ? colon : close) - q);
				if (colon) {
					fmt = colon + 1;
					flen = (size_t)(close - fmt);
				}
				end = close + 1;
			}
		} else if (p[0] == '[' && p[1] == '[') {
			const char *q = p + 2, *close = strstr(q, "]]");
			if (close) {
				const char *colon = memchr(q, ':', (size_t)(close - q));
				name = q;
				nlen = (size_t)((colon ? colon : close) - q);
				if (colon) {
					fmt = colon + 1;
					flen = (size_t)(close - fmt);
				}
				end = close + 2;
			}
		} else if (p[0] == '$' && (isalpha((unsigned char)p[1]) || p[1] == '_')) {
			const char *q = p + 1;
			while (isalnum((unsigned char)*q) || *q == '_')
				q++;
			name = p + 1;
			nlen = (size_t)(q - name);
			end = q;
		}
		if (name) {
			const struct dash_var *v;
			if (nlen > 2 && name[0] == '_' && name[1] == '_') {
				if (time_var(&b, name, nlen, t)) {
					p = end;
					continue;
				}
			} else if ((v = find_var(db, name, nlen)) && v->ncurrent) {
				format_values(&b, v, fmt, flen, deffmt);
				p = end;
				continue;
			}
		}
		buf_putc(&b, *p++);
	}
	return buf_steal(&b, NULL);
}
