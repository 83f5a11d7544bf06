/* prom_varq: dashboard variable queries for the Prometheus source
 * (label_values(...), label_names(...), metrics(...), query_result(...)),
 * parsed into what to ask; pure, see prom_varq.h. */
#include "sources/prom_varq.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"

static char *
trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Offset of the last comma outside (), {}, [] and quotes; -1 if none. */
static long
last_top_comma(const char *s, size_t n)
{
	int depth = 0;
	char quote = 0;
	long last = -1;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (quote) {
			if (c == '\\' && i + 1 < n)
				i++;
			else if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'' || c == '`')
			quote = c;
		else if (c == '(' || c == '{' || c == '[')
			depth++;
		else if (c == ')' || c == '}' || c == ']')
			depth--;
		else if (c == ',' && depth == 0)
			last = (long)i;
	}
	return last;
}

static int
label_name_ok(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

static int
unquote_arg(char **s)
{
	size_t n = strlen(*s);

	if (n >= 2 && ((*s)[0] == '"' || (*s)[0] == '\'' || (*s)[0] == '/') && (*s)[n - 1] == (*s)[0]) {
		memmove(*s, *s + 1, n - 2);
		(*s)[n - 2] = '\0';
	}
	return 0;
}

/* label_values([SELECTOR,] LABEL) */
static void
label_values_args(struct prom_varq *q, const char *args, char **err)
{
	long comma = last_top_comma(args, strlen(args));

	q->kind = PVQ_LABEL_VALUES;
	if (comma >= 0) {
		q->match = trim_dup(args, (size_t)comma);
		q->label = trim_dup(args + comma + 1, strlen(args + comma + 1));
	} else
		q->label = xstrdup(args);
	if (!label_name_ok(q->label))
		*err = xasprintf("label_values: '%s' is not a label name", q->label);
}

int
prom_varq_parse(const char *expr, struct prom_varq *q, char **err)
{
	const char *open, *close;
	char *fn, *args;

	memset(q, 0, sizeof *q);
	*err = NULL;
	while (isspace((unsigned char)*expr))
		expr++;
	open = strchr(expr, '(');
	close = strrchr(expr, ')');
	if (!open || !close || close < open) {
		*err = xstrdup("unsupported variable query (use label_values(...), label_names(), "
		    "metrics(...) or query_result(...))");
		return -1;
	}
	for (const char *t = close + 1; *t; t++)
		if (!isspace((unsigned char)*t)) {
			*err = xstrdup("unexpected text after the variable query's closing parenthesis");
			return -1;
		}
	fn = trim_dup(expr, (size_t)(open - expr));
	args = trim_dup(open + 1, (size_t)(close - open - 1));
	if (strcmp(fn, "label_values") == 0)
		label_values_args(q, args, err);
	else if (strcmp(fn, "label_names") == 0) {
		q->kind = PVQ_LABEL_NAMES;
		if (*args)
			q->match = xstrdup(args);
	} else if (strcmp(fn, "metrics") == 0) {
		q->kind = PVQ_METRICS;
		q->arg = xstrdup(*args ? args : ".*");
		unquote_arg(&q->arg);
	} else if (strcmp(fn, "query_result") == 0) {
		q->kind = PVQ_QUERY_RESULT;
		q->arg = xstrdup(args);
		if (!*args)
			*err = xstrdup("query_result: empty expression");
	} else
		*err = xasprintf("unsupported variable query function '%s' (use label_values, "
		    "label_names, metrics or query_result)", fn);
	if (q->match && !*q->match) {
		free(q->match);
		q->match = NULL;
	}
	free(fn);
	free(args);
	if (*err) {
		prom_varq_free(q);
		return -1;
	}
	return 0;
}

void
prom_varq_free(struct prom_varq *q)
{
	free(q->label);
	free(q->match);
	free(q->arg);
	memset(q, 0, sizeof *q);
}

char *
prom_varq_result_text(const struct ev_series_one *s)
{
	struct buf b;
	const char *name = labels_get(&s->labels, "__name__");
	char v[64];

	buf_init(&b, 1 << 20);
	buf_puts(&b, name ? name : "");
	buf_putc(&b, '{');
	for (uint32_t i = 0, first = 1; i < s->labels.n; i++) {
		if (strcmp(s->labels.v[i].name, "__name__") == 0)
			continue;
		buf_printf(&b, "%s%s=\"%s\"", first ? "" : ",", s->labels.v[i].name,
		    s->labels.v[i].value);
		first = 0;
	}
	buf_putc(&b, '}');
	if (s->text)
		buf_printf(&b, " %s", s->text);
	else if (s->n) {
		snprintf(v, sizeof v, "%.17g", s->v[s->n - 1]);
		buf_printf(&b, " %s %lld", v, (long long)(s->t[s->n - 1] / NS_PER_MS));
	}
	return buf_steal(&b, NULL);
}
