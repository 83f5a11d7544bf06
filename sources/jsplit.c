/* jsplit: a byte-level JSON structure tracker (strings, escapes, depth).
 * Invariants: depth counts open brackets outside strings; capture is set
 * exactly while an element is being collected; bytes of an element that
 * began in an earlier chunk are in cur (at most max_elem of them), bytes
 * of the current chunk are appended in one span when the element ends or
 * the chunk does — an element wholly inside one chunk is passed to the
 * callback without a copy. */
#include "sources/jsplit.h"

#include <string.h>

#define NOSPAN	((size_t)-1)

void
jsplit_init(struct jsplit *js, enum jsplit_mode mode, size_t max_elem, jsplit_fn cb, void *ctx)
{
	memset(js, 0, sizeof *js);
	js->mode = mode;
	js->cb = cb;
	js->ctx = ctx;
	buf_init(&js->cur, max_elem ? max_elem : 8u << 20);
}

void
jsplit_free(struct jsplit *js)
{
	buf_free(&js->cur);
}

int
jsplit_idle(const struct jsplit *js)
{
	return js->depth == 0 && !js->in_str;
}

/* The depth at which elements start. */
static int
elem_depth(const struct jsplit *js)
{
	return js->mode == JS_SEQ ? 0 : 2;
}

static void
append(struct jsplit *js, const char *p, size_t n)
{
	if (js->skip)
		return;
	if (js->cur.len + n > js->cur.limit) {
		js->skip = 1;
		return;
	}
	buf_append(&js->cur, p, n);
}

/* The element ends at p[i]; span is where its bytes in this chunk start. */
static void
end(struct jsplit *js, const char *p, size_t span, size_t i)
{
	js->capture = 0;
	if (!js->skip && js->cur.len == 0 && i - span + 1 <= js->cur.limit) {
		js->values++;
		js->cb(js->ctx, p + span, i - span + 1);	/* no copy */
		return;
	}
	append(js, p + span, i - span + 1);
	if (js->skip) {
		js->dropped++;
		return;
	}
	js->values++;
	js->cb(js->ctx, js->cur.data, js->cur.len);
}

static void
keychar(struct jsplit *js, char c)
{
	if (js->keylen < sizeof js->key - 1)
		js->key[js->keylen++] = c;
	else
		js->keylen = sizeof js->key;	/* too long: never "items" */
}

static void
string_end(struct jsplit *js)
{
	js->in_str = 0;
	if (!js->key_on)
		return;
	js->key_on = 0;
	js->want_key = 0;
	if (js->keylen < sizeof js->key) {
		memcpy(js->last_key, js->key, js->keylen);
		js->last_key[js->keylen] = '\0';
	} else
		js->last_key[0] = '\0';
}

/* Inside a string from p[i]; returns the index after the bytes consumed. */
static size_t
in_string(struct jsplit *js, const char *p, size_t i, size_t n)
{
	if (!js->key_on && !js->esc) {
		while (i < n && p[i] != '"' && p[i] != '\\')
			i++;
		if (i == n)
			return n;
	}
	if (js->esc) {
		js->esc = 0;
		if (js->key_on)
			keychar(js, '\\');
	} else if (p[i] == '\\')
		js->esc = 1;
	else if (p[i] == '"')
		string_end(js);
	else if (js->key_on)
		keychar(js, p[i]);
	return i + 1;
}

/* An opening bracket; returns 1 if an element starts here. */
static int
open_bracket(struct jsplit *js, char c)
{
	int starts = 0;

	if (js->mode == JS_ITEMS) {
		if (js->depth == 0)
			js->seen_top = 1;
		if (js->depth == 0 && c == '{')
			js->want_key = 1;
		if (js->depth == 1 && c == '[' && strcmp(js->last_key, "items") == 0)
			js->in_items = 1;
	}
	if (js->depth == elem_depth(js) && !js->capture && (js->mode == JS_SEQ || js->in_items)) {
		buf_reset(&js->cur);
		js->capture = 1;
		js->skip = 0;
		starts = 1;
	}
	js->depth++;
	return starts;
}

/* A closing bracket; returns 1 if an element ends here. */
static int
close_bracket(struct jsplit *js)
{
	if (js->depth == 0) {
		js->stray++;
		return 0;
	}
	js->depth--;
	if (js->mode == JS_ITEMS && js->depth == 1)
		js->in_items = 0;
	return js->capture && js->depth == elem_depth(js);
}

static void
other(struct jsplit *js, char c)
{
	if (c == '"') {
		js->in_str = 1;
		if (js->mode == JS_ITEMS && js->depth == 1 && js->want_key) {
			js->key_on = 1;
			js->keylen = 0;
		}
	} else if (c == ',') {
		if (js->mode == JS_ITEMS && js->depth == 1)
			js->want_key = 1;
	} else if (js->depth == 0 && js->mode == JS_SEQ && c != ' ' && c != '\n' && c != '\r' &&
	    c != '\t')
		js->stray++;
}

void
jsplit_feed(struct jsplit *js, const char *p, size_t n)
{
	size_t i = 0, span = js->capture ? 0 : NOSPAN;

	while (i < n) {
		char c = p[i];

		if (js->in_str) {
			i = in_string(js, p, i, n);
			continue;
		}
		if (c == '{' || c == '[') {
			if (open_bracket(js, c))
				span = i;
		} else if (c == '}' || c == ']') {
			if (close_bracket(js)) {
				end(js, p, span, i);
				span = NOSPAN;
			}
		} else
			other(js, c);
		i++;
	}
	if (js->capture && span != NOSPAN)
		append(js, p + span, n - span);
}
