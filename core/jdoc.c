/* jdoc: JSON with source positions, and typed getters with diagnostics.
 * The position walk mirrors cJSON's grammar exactly (strict JSON), so the
 * i-th value in the text is the i-th node of the tree in document order. */
#include "core/jdoc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

static size_t
skip_ws(const struct jdoc *d, size_t i)
{
	while (i < d->len && (d->text[i] == ' ' || d->text[i] == '\t' ||
	    d->text[i] == '\n' || d->text[i] == '\r'))
		i++;
	return i;
}

static size_t
skip_string(const struct jdoc *d, size_t i)
{
	if (i >= d->len || d->text[i] != '"')
		return i;
	for (i++; i < d->len; i++) {
		if (d->text[i] == '\\')
			i++;
		else if (d->text[i] == '"')
			return i + 1;
	}
	return i;
}

static void
record(struct jdoc *d, const cJSON *node, size_t key_off, size_t val_off)
{
	xgrow(&d->pos, &d->cap, d->npos + 1, sizeof *d->pos);
	d->pos[d->npos++] = (struct jpos){ node, (uint32_t)key_off, (uint32_t)val_off };
}

static size_t
walk(struct jdoc *d, const cJSON *node, size_t key_off, size_t i, int depth)
{
	i = skip_ws(d, i);
	record(d, node, key_off ? key_off : i, i);
	if (depth > 2000 || i >= d->len)
		return i;
	if (cJSON_IsObject(node) || cJSON_IsArray(node)) {
		int obj = cJSON_IsObject(node);
		i++;
		for (const cJSON *c = node->child; c; c = c->next) {
			size_t k = 0;
			i = skip_ws(d, i);
			if (obj) {
				k = i;
				i = skip_ws(d, skip_string(d, i));
				if (i < d->len && d->text[i] == ':')
					i++;
			}
			i = skip_ws(d, walk(d, c, k, i, depth + 1));
			if (i < d->len && d->text[i] == ',')
				i++;
		}
		i = skip_ws(d, i);
		return i < d->len ? i + 1 : i;
	}
	if (cJSON_IsString(node))
		return skip_string(d, i);
	while (i < d->len && !strchr(",]} \t\r\n", d->text[i]))
		i++;
	return i;
}

static int
pos_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct jpos *)a)->node;
	uintptr_t y = (uintptr_t)((const struct jpos *)b)->node;
	return x < y ? -1 : x > y;
}

static void
offset_to_linecol(const struct jdoc *d, size_t off, int *line, int *col)
{
	int l = 1, c = 1;
	size_t i = d->len >= 3 && memcmp(d->text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

	for (; i < off && i < d->len; i++) {
		if (d->text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)d->text[i] & 0xc0) != 0x80)
			c++;
	}
	*line = l;
	*col = c;
}

/* Are brackets still open (or a string unterminated) at the end? */
static int
unclosed(const struct jdoc *d)
{
	int depth = 0, in_str = 0;

	for (size_t i = 0; i < d->len; i++) {
		char c = d->text[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
	}
	return in_str ? 2 : depth > 0;
}

/* Offset of the first ", }" or ", ]" outside strings, or -1. */
static long
trailing_comma(const struct jdoc *d)
{
	int in_str = 0;

	for (size_t i = 0; i < d->len; i++) {
		char c = d->text[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"')
			in_str = 1;
		else if (c == ',') {
			size_t k = i + 1;
			while (k < d->len && strchr(" \t\r\n", d->text[k]))
				k++;
			if (k < d->len && (d->text[k] == '}' || d->text[k] == ']'))
				return (long)k;
		}
	}
	return -1;
}

/* Is s (the rest after an error) at most one trailing token? */
static int
last_token(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strchr("{}[],:", s[i]))
			return 0;
	return 1;
}

/* Say what is wrong with text cJSON refused; cJSON's offset is a hint,
 * so common mistakes are recognised from the text itself. */
static void
syntax_error(const struct jdoc *d, struct diag *dg, size_t off)
{
	long tc = trailing_comma(d);
	int open = unclosed(d), line, col;
	size_t len = d->len;

	if (tc >= 0 && (size_t)tc <= off) {
		offset_to_linecol(d, (size_t)tc, &line, &col);
		diag_add(dg, DIAG_ERROR, d->file, line, col,
		    "JSON syntax error: a comma before '%c' (JSON allows no trailing comma)",
		    d->text[tc]);
	} else if (off >= len || open == 2 || (open && last_token(d->text + off, len - off))) {
		offset_to_linecol(d, len, &line, &col);
		diag_add(dg, DIAG_ERROR, d->file, line, col,
		    "JSON syntax error: unexpected end of file (unclosed object, array or string?)");
	} else if (d->text[off] == '\'' || (off > 0 && d->text[off - 1] == '\'')) {
		offset_to_linecol(d, d->text[off] == '\'' ? off : off - 1, &line, &col);
		diag_add(dg, DIAG_ERROR, d->file, line, col,
		    "JSON syntax error: strings and keys need double quotes, not '");
	} else {
		char near[24];
		size_t n = 0;
		for (size_t i = off; i < len && n < sizeof near - 1 && d->text[i] != '\n'; i++)
			near[n++] = (unsigned char)d->text[i] < 0x20 ? '?' : d->text[i];
		near[n] = '\0';
		offset_to_linecol(d, off, &line, &col);
		diag_add(dg, DIAG_ERROR, d->file, line, col,
		    "JSON syntax error near '%s' (expected a value, ',' , ':' or a closing bracket)", near);
	}
}

int
jdoc_parse(struct jdoc *d, const char *text, size_t len, const char *file, struct diag *dg)
{
	const char *end = NULL;
	size_t start = 0;

	memset(d, 0, sizeof *d);
	d->file = xstrdup(file ? file : "<input>");
	d->text = xmalloc(len + 1);
	memcpy(d->text, text, len);
	d->text[len] = '\0';
	d->len = len;
	if (len >= 3 && memcmp(d->text, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	if (memchr(d->text, '\0', len)) {
		diag_add(dg, DIAG_ERROR, d->file, 0, 0, "file contains a NUL byte; not JSON text");
		return -1;
	}
	/* the length includes our NUL, so trailing garbage is an error too */
	d->root = cJSON_ParseWithLengthOpts(d->text + start, len - start + 1, &end, 1);
	if (!d->root) {
		syntax_error(d, dg, end ? (size_t)(end - d->text) : len);
		return -1;
	}
	walk(d, d->root, 0, start, 0);
	qsort(d->pos, d->npos, sizeof *d->pos, pos_cmp);
	return 0;
}

/* A code point that must not leave scry raw inside a JSON string: DEL,
 * C1 (a terminal may act on U+009B as CSI), bidi and invisible format
 * characters. */
static int
needs_escape(uint32_t cp)
{
	return cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || uc_is_invisible(cp);
}

static void
put_u(struct buf *b, uint32_t cp)
{
	if (cp > 0xffff) {	/* a surrogate pair, as JSON spells it */
		cp -= 0x10000;
		buf_printf(b, "\\u%04x\\u%04x", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
	} else
		buf_printf(b, "\\u%04x", cp);
}

char *
jdoc_print(const cJSON *root)
{
	char *raw = cJSON_Print(root);
	const unsigned char *r, *end;
	struct buf b;
	int bol = 1;

	if (!raw)
		fatal("out of memory (json)");
	end = (const unsigned char *)raw + strlen(raw);
	buf_init(&b, (size_t)(end - (const unsigned char *)raw) * 12 + 16);
	for (r = (const unsigned char *)raw; *r; r++) {
		uint32_t cp;
		size_t n;

		/* cJSON formats with tabs; strings never hold a raw tab (escaped) */
		if (*r == '\t') {
			if (bol)
				buf_puts(&b, "  ");
			else if (b.len && b.data[b.len - 1] != ' ')
				buf_putc(&b, ' ');
			continue;
		}
		bol = *r == '\n';
		if (*r < 0x7f) {
			buf_putc(&b, *r);
			continue;
		}
		/* only strings hold bytes >= 0x7f: keep them text a terminal shows
		 * as it is and valid UTF-8 (JSON text must be), escaping the rest */
		n = utf8_decode(r, (size_t)(end - r), &cp);
		if (!n) {
			put_u(&b, 0xfffd);
			continue;
		}
		if (needs_escape(cp))
			put_u(&b, cp);
		else
			buf_append(&b, r, n);
		r += n - 1;
	}
	free(raw);
	return buf_steal(&b, NULL);
}

void
jdoc_add_pos(struct jdoc *d, const cJSON *node, size_t key_off, size_t val_off)
{
	record(d, node, key_off, val_off);
}

void
jdoc_index(struct jdoc *d)
{
	if (d->npos > 1)	/* an empty document has no table: qsort(NULL) is undefined */
		qsort(d->pos, d->npos, sizeof *d->pos, pos_cmp);
}

void
jdoc_free(struct jdoc *d)
{
	cJSON_Delete(d->root);
	free(d->file);
	free(d->text);
	free(d->pos);
	memset(d, 0, sizeof *d);
}

void
jdoc_where(const struct jdoc *d, const cJSON *node, int key, int *line, int *col)
{
	struct jpos k = { .node = node }, *p;

	*line = *col = 0;
	if (!d || !node || !d->npos)
		return;
	p = bsearch(&k, d->pos, d->npos, sizeof *d->pos, pos_cmp);
	if (p)
		offset_to_linecol(d, key ? p->key_off : p->val_off, line, col);
}

void
jdoc_diag(const struct jdoc *d, struct diag *dg, enum diag_sev sev, const cJSON *node,
    int at_key, const char *fmt, ...)
{
	int line, col;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	jdoc_where(d, node, at_key, &line, &col);
	diag_add(dg, sev, d ? d->file : NULL, line, col, "%s", msg);
	free(msg);
}

const char *
jd_type_name(const cJSON *v)
{
	if (cJSON_IsString(v)) return "a string";
	if (cJSON_IsNumber(v)) return "a number";
	if (cJSON_IsBool(v)) return "a boolean";
	if (cJSON_IsNull(v)) return "null";
	if (cJSON_IsArray(v)) return "an array";
	if (cJSON_IsObject(v)) return "an object";
	return "an invalid value";
}

static void
wrong_type(const struct jdoc *d, struct diag *dg, const cJSON *v, const char *path,
    const char *key, const char *want)
{
	jdoc_diag(d, dg, DIAG_ERROR, v, 0, "%s%s%s: expected %s, got %s",
	    path ? path : "", path && *path ? "." : "", key, want, jd_type_name(v));
}

const char *
jd_str(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
    const char *key, const char *def)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!v)
		return def;
	if (!cJSON_IsString(v)) {
		wrong_type(d, dg, v, path, key, "a string");
		return def;
	}
	return v->valuestring;
}

double
jd_num(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
    const char *key, double def)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!v || cJSON_IsNull(v))
		return def;
	if (cJSON_IsString(v)) {
		char *end;
		double x = strtod(v->valuestring, &end);
		if (end != v->valuestring && *end == '\0')
			return x;
	}
	if (!cJSON_IsNumber(v)) {
		wrong_type(d, dg, v, path, key, "a number");
		return def;
	}
	return v->valuedouble;
}

int
jd_int(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
    const char *key, int def, int min, int max)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	double x;

	if (!v)
		return def;
	if (!cJSON_IsNumber(v)) {
		wrong_type(d, dg, v, path, key, "a whole number");
		return def;
	}
	x = v->valuedouble;
	if (x != floor(x) || x < min || x > max) {
		jdoc_diag(d, dg, DIAG_ERROR, v, 0, "%s%s%s: expected a whole number from %d to %d, got %g",
		    path ? path : "", path && *path ? "." : "", key, min, max, x);
		return def;
	}
	return (int)x;
}

int
jd_bool(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
    const char *key, int def)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!v)
		return def;
	if (!cJSON_IsBool(v)) {
		wrong_type(d, dg, v, path, key, "true or false");
		return def;
	}
	return cJSON_IsTrue(v);
}

tns
jd_duration(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
    const char *key, tns def)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	tns out;

	if (!v)
		return def;
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e9)
		return (tns)(v->valuedouble * NS_PER_S);
	if (cJSON_IsString(v) && ts_parse_duration(v->valuestring, &out) == 0)
		return out;
	jdoc_diag(d, dg, DIAG_ERROR, v, 0,
	    "%s%s%s: expected a duration such as \"15s\", \"5m\" or \"1h30m\"",
	    path ? path : "", path && *path ? "." : "", key);
	return def;
}

const cJSON *
jd_obj(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path, const char *key)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (v && !cJSON_IsObject(v)) {
		wrong_type(d, dg, v, path, key, "an object");
		return NULL;
	}
	return v;
}

const cJSON *
jd_arr(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path, const char *key)
{
	const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (v && !cJSON_IsArray(v)) {
		wrong_type(d, dg, v, path, key, "an array");
		return NULL;
	}
	return v;
}

static int
in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

void
jd_check_keys(const struct jdoc *d, struct diag *dg, const cJSON *obj, const char *path,
    const char *const *known, const char *const *known2)
{
	int members = 0;

	if (!cJSON_IsObject(obj))
		return;
	for (const cJSON *c = obj->child; c; c = c->next)
		members++;
	for (const cJSON *c = obj->child; c; c = c->next) {
		const cJSON *first = NULL;
		/* duplicates: quadratic, so only for objects of a sane size */
		for (const cJSON *e = obj->child; members <= 1000 && e != c && !first; e = e->next)
			if (strcmp(e->string, c->string) == 0)
				first = e;
		if (first) {
			int line, col;
			jdoc_where(d, first, 1, &line, &col);
			jdoc_diag(d, dg, DIAG_WARN, c, 1,
			    "%s%s%s: duplicate key; the first one (line %d) is used",
			    path ? path : "", path && *path ? "." : "", c->string, line);
		} else if (!in_list(known, c->string) && !in_list(known2, c->string))
			jdoc_diag(d, dg, DIAG_WARN, c, 1, "%s%s%s: unknown key (ignored)",
			    path ? path : "", path && *path ? "." : "", c->string);
	}
}
