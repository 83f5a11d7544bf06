/* logline: level detection, logfmt fields, trace-id extraction.
 * Level detection looks at no more than the first LEVEL_SCAN bytes, so its
 * cost per line is bounded whatever the line length. */
#include "core/logline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/regex.h"
#include "core/xalloc.h"

#define LEVEL_SCAN	512	/* bytes searched for a level key */
#define WORD_SCAN	160	/* bytes searched for a level word */

static const char *const tags[LV_COUNT] = { "   ", "TRC", "DBG", "INF", "WRN", "ERR", "FTL" };
static const char *const names[LV_COUNT] = { "none", "trace", "debug", "info", "warn", "error", "fatal" };

const char *
logline_level_tag(int lv)
{
	return lv > 0 && lv < LV_COUNT ? tags[lv] : tags[0];
}

const char *
logline_level_name(int lv)
{
	return lv > 0 && lv < LV_COUNT ? names[lv] : names[0];
}

static int
ieq(const char *a, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	if (n != l)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != lit[i])
			return 0;
	return 1;
}

static int
numeric_level(const char *w, size_t n)
{
	int v = 0;

	if (n == 0 || n > 3)
		return LV_NONE;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)w[i]))
			return LV_NONE;
		v = v * 10 + (w[i] - '0');
	}
	/* pino / bunyan: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal */
	if (v >= 60) return LV_FATAL;
	if (v >= 50) return LV_ERROR;
	if (v >= 40) return LV_WARN;
	if (v >= 30) return LV_INFO;
	if (v >= 20) return LV_DEBUG;
	if (v >= 10) return LV_TRACE;
	return LV_NONE;
}

int
logline_level_word(const char *w, size_t n)
{
	static const struct { const char *w; int lv; } m[] = {
		{ "error", LV_ERROR }, { "err", LV_ERROR }, { "eror", LV_ERROR }, { "e", LV_ERROR },
		{ "warn", LV_WARN }, { "warning", LV_WARN }, { "wrn", LV_WARN }, { "w", LV_WARN },
		{ "info", LV_INFO }, { "inf", LV_INFO }, { "information", LV_INFO },
		{ "notice", LV_INFO }, { "i", LV_INFO },
		{ "debug", LV_DEBUG }, { "dbg", LV_DEBUG }, { "d", LV_DEBUG },
		{ "trace", LV_TRACE }, { "trc", LV_TRACE }, { "t", LV_TRACE },
		{ "fatal", LV_FATAL }, { "panic", LV_FATAL }, { "critical", LV_FATAL },
		{ "crit", LV_FATAL }, { "emerg", LV_FATAL }, { "emergency", LV_FATAL },
		{ "alert", LV_FATAL }, { "ftl", LV_FATAL }, { "f", LV_FATAL }, { "dpanic", LV_FATAL },
	};

	if (n && isdigit((unsigned char)w[0]))
		return numeric_level(w, n);
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (ieq(w, n, m[i].w))
			return m[i].lv;
	return LV_NONE;
}

/* The value after a level key at s[i] (just past the key name). */
static int
value_after(const char *s, size_t len, size_t i)
{
	size_t j;

	if (i < len && s[i] == '"')
		i++;
	while (i < len && s[i] == ' ')
		i++;
	if (i >= len || (s[i] != '=' && s[i] != ':'))
		return LV_NONE;
	i++;
	while (i < len && s[i] == ' ')
		i++;
	if (i < len && (s[i] == '"' || s[i] == '\''))
		i++;
	for (j = i; j < len && j - i < 12 && isalnum((unsigned char)s[j]); j++)
		;
	return logline_level_word(s + i, j - i);
}

static int
is_keych(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

/* level= / "level": / lvl= / severity= keys. */
static int
key_level(const char *s, size_t len)
{
	static const struct { const char *needle; size_t back, klen; } keys[] = {
		{ "evel", 1, 5 },	/* level, Level, LEVEL, detected_level */
		{ "lvl", 0, 3 },
		{ "everity", 1, 8 },
	};
	size_t n = len < LEVEL_SCAN ? len : LEVEL_SCAN;

	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		const char *p = s, *end = s + n, *hit;
		size_t nl = strlen(keys[k].needle);
		while ((hit = memmem(p, (size_t)(end - p), keys[k].needle, nl))) {
			size_t at = (size_t)(hit - s);
			p = hit + 1;
			if (at < keys[k].back)
				continue;
			at -= keys[k].back;
			if (keys[k].back && tolower((unsigned char)s[at]) != (k == 2 ? 's' : 'l'))
				continue;
			/* a whole key: not "xlevel=" unless a separator precedes */
			if (at > 0 && is_keych(s[at - 1]) && s[at - 1] != '_' && s[at - 1] != '.')
				continue;
			int lv = value_after(s, n, at + keys[k].klen);
			if (lv != LV_NONE)
				return lv;
		}
	}
	return LV_NONE;
}

/* klog: "E1126 02:17:42.000000 ..." */
static int
klog_level(const char *s, size_t len)
{
	if (len < 6 || !strchr("IWEF", s[0]))
		return LV_NONE;
	for (int i = 1; i < 5; i++)
		if (!isdigit((unsigned char)s[i]))
			return LV_NONE;
	if (s[5] != ' ')
		return LV_NONE;
	return s[0] == 'I' ? LV_INFO : s[0] == 'W' ? LV_WARN : s[0] == 'E' ? LV_ERROR : LV_FATAL;
}

/* An upper-case level word, or a bracketed one, near the start. */
static int
word_level(const char *s, size_t len)
{
	size_t n = len < WORD_SCAN ? len : WORD_SCAN, i = 0;

	while (i < n) {
		size_t j;
		int upper = 1;
		if (!isalpha((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (j = i; j < n && isalpha((unsigned char)s[j]); j++)
			if (!isupper((unsigned char)s[j]))
				upper = 0;
		if (j - i >= 3 && j - i <= 8) {
			int bracket = i > 0 && (s[i - 1] == '[' || s[i - 1] == '<') && j < len &&
			    (s[j] == ']' || s[j] == '>');
			if (upper || bracket) {
				int lv = logline_level_word(s + i, j - i);
				if (lv != LV_NONE)
					return lv;
			}
		}
		i = j;
	}
	return LV_NONE;
}

int
logline_level(const char *s, size_t len)
{
	int lv;

	if ((lv = key_level(s, len)) != LV_NONE)
		return lv;
	if ((lv = klog_level(s, len)) != LV_NONE)
		return lv;
	return word_level(s, len);
}

int
logline_stream_level(const struct labelset *ls)
{
	static const char *const keys[] = { "level", "detected_level", "severity", "lvl",
		"severity_text", NULL };

	for (size_t i = 0; keys[i]; i++) {
		const char *v = labels_get(ls, keys[i]);
		int lv;
		if (v && (lv = logline_level_word(v, strlen(v))) != LV_NONE)
			return lv;
	}
	return LV_NONE;
}

/* ---------------------------------------------------------------- logfmt */

int
logfmt_next(const char *s, size_t len, size_t *pos, struct logfmt_kv *kv)
{
	size_t i = *pos;

	for (;;) {
		size_t ks;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len)
			break;
		ks = i;
		while (i < len && s[i] != '=' && s[i] != ' ' && s[i] != '\t' && s[i] != '"')
			i++;
		if (i >= len || s[i] != '=' || i == ks) {
			/* not a key: skip this word (and a quoted run) */
			if (i < len && s[i] == '"')
				for (i++; i < len && s[i] != '"'; i++)
					if (s[i] == '\\')
						i++;
			while (i < len && s[i] != ' ' && s[i] != '\t')
				i++;
			continue;
		}
		kv->k = s + ks;
		kv->kl = i - ks;
		i++;
		kv->quoted = i < len && s[i] == '"';
		if (kv->quoted) {
			size_t vs = ++i;
			while (i < len && s[i] != '"') {
				if (s[i] == '\\')
					i++;
				i++;
			}
			kv->v = s + vs;
			kv->vl = (i < len ? i : len) - vs;
			if (i < len)
				i++;
		} else {
			size_t vs = i;
			while (i < len && s[i] != ' ' && s[i] != '\t')
				i++;
			kv->v = s + vs;
			kv->vl = i - vs;
		}
		*pos = i;
		return 1;
	}
	*pos = len;
	return 0;
}

/* ------------------------------------------------------------ extractors */

static const struct { const char *name, *re; } default_extractors[] = {
	/* trace_id=, traceID=, traceId":"…", "trace_id": "…", trace-id: */
	{ "trace_id", "(?i)trace[_.-]?id[\"']?\\s*[:=]\\s*[\"']?([0-9a-f]{32}|[0-9a-f]{16})(?![0-9a-f])" },
	/* W3C traceparent: version-traceid-parentid-flags */
	{ "traceparent", "(?i)(?<![0-9a-f-])[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(?![0-9a-f])" },
	{ "hex32", "(?<![0-9A-Za-z])(?=[0-9]*[a-f])([0-9a-f]{32})(?![0-9A-Za-z])" },
	{ "hex16", "(?<!span_id=|spanid=|spanId=|span_id\":\"|spanId\":\"|parent_id=|parentId\":\")"
	    "(?<![0-9A-Za-z])(?=[0-9]*[a-f])([0-9a-f]{16})(?![0-9A-Za-z])" },
};

int
extractors_add(struct extractors *x, const char *name, const char *pattern, char **err)
{
	struct rx *r = rx_compile(pattern, strlen(pattern), 0, err);

	if (!r)
		return -1;
	if (rx_groups(r) < 1) {
		rx_free(r);
		*err = xstrdup("needs a capture group around the id, e.g. trace=(\\w+)");
		return -1;
	}
	x->v = xreallocarray(x->v, x->n + 1, sizeof *x->v);
	x->v[x->n].name = xstrdup(name ? name : "trace");
	x->v[x->n].rx = r;
	x->n++;
	return 0;
}

void
extractors_defaults(struct extractors *x)
{
	for (size_t i = 0; i < sizeof default_extractors / sizeof *default_extractors; i++) {
		char *err = NULL;
		if (extractors_add(x, default_extractors[i].name, default_extractors[i].re, &err) < 0)
			fatal("built-in trace-id pattern %s: %s", default_extractors[i].name, err);
	}
}

void
extractors_free(struct extractors *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].name);
		rx_free(x->v[i].rx);
	}
	free(x->v);
	x->v = NULL;
	x->n = 0;
}

int
extractors_find(const struct extractors *x, const char *s, size_t len, int valid_utf, size_t *ms,
    size_t *me)
{
	for (size_t i = 0; i < x->n; i++)
		if (rx_match(x->v[i].rx, s, len, 0, valid_utf, 1, ms, me) == RX_MATCH && *me > *ms)
			return 1;
	return 0;
}

const char *
logline_label_trace(const struct labelset *ls)
{
	static const char *const keys[] = { "trace_id", "traceID", "traceId", "trace-id", NULL };

	for (size_t i = 0; keys[i]; i++) {
		const char *v = labels_get(ls, keys[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}
