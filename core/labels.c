/* labels: sorted label sets.  Invariants: names are unique and sorted;
 * no set holds more than LABELS_MAX pairs or a name or value over
 * LABEL_MAX_BYTES (the limits of labels_decode()). */
#include "core/labels.h"

#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"

#define LABEL_MAX_BYTES	(64 * 1024)
#define LABELS_MAX	1024

uint64_t
hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL ^ seed;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void
labels_init(struct labelset *ls)
{
	memset(ls, 0, sizeof *ls);
}

void
labels_free(struct labelset *ls)
{
	for (uint32_t i = 0; i < ls->n; i++) {
		free(ls->v[i].name);
		free(ls->v[i].value);
	}
	free(ls->v);
	memset(ls, 0, sizeof *ls);
}

void
labels_setn(struct labelset *ls, const char *name, size_t nlen, const char *value, size_t vlen)
{
	uint32_t lo = 0, hi = ls->n;

	/* names and values are C strings: an embedded NUL ends them (as
	 * xstrndup would), so comparisons never read past a stored name */
	/* longer than labels_decode() accepts: cut there, so every label set
	 * a source builds survives a recording and its replay */
	nlen = utf8_cut(name, strnlen(name, nlen), LABEL_MAX_BYTES);
	vlen = utf8_cut(value, strnlen(value, vlen), LABEL_MAX_BYTES);
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		int c = strncmp(ls->v[mid].name, name, nlen);
		/* strnlen, not name[nlen]: a decoded name may hold a NUL and be
		 * shorter than nlen (found by tests/fuzz/kube.c) */
		if (c == 0 && strnlen(ls->v[mid].name, nlen + 1) != nlen)
			c = 1;
		if (c == 0) {
			free(ls->v[mid].value);
			ls->v[mid].value = xstrndup(value, vlen);
			return;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ls->n >= LABELS_MAX)
		return;		/* what labels_decode() would refuse */
	if (ls->n + 1 > ls->cap) {
		size_t cap = ls->cap;
		xgrow(&ls->v, &cap, ls->n + 1, sizeof *ls->v);
		ls->cap = (uint32_t)cap;
	}
	memmove(&ls->v[lo + 1], &ls->v[lo], (ls->n - lo) * sizeof *ls->v);
	ls->v[lo].name = xstrndup(name, nlen);
	ls->v[lo].value = xstrndup(value, vlen);
	ls->n++;
}

void
labels_set(struct labelset *ls, const char *name, const char *value)
{
	labels_setn(ls, name, strlen(name), value, strlen(value));
}

void
labels_finish(struct labelset *ls)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;

	for (uint32_t i = 0; i < ls->n; i++) {
		h = hash_bytes(ls->v[i].name, strlen(ls->v[i].name) + 1, h);
		h = hash_bytes(ls->v[i].value, strlen(ls->v[i].value) + 1, h);
	}
	ls->hash = h;
}

const char *
labels_get(const struct labelset *ls, const char *name)
{
	uint32_t lo = 0, hi = ls->n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		int c = strcmp(ls->v[mid].name, name);
		if (c == 0)
			return ls->v[mid].value;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
labels_equal(const struct labelset *a, const struct labelset *b)
{
	if (a->n != b->n || a->hash != b->hash)
		return 0;
	for (uint32_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) || strcmp(a->v[i].value, b->v[i].value))
			return 0;
	return 1;
}

void
labels_copy(struct labelset *dst, const struct labelset *src)
{
	labels_init(dst);
	if (!src->n)
		return;
	dst->v = xcalloc(src->n, sizeof *dst->v);
	dst->cap = dst->n = src->n;
	for (uint32_t i = 0; i < src->n; i++) {
		dst->v[i].name = xstrdup(src->v[i].name);
		dst->v[i].value = xstrdup(src->v[i].value);
	}
	dst->hash = src->hash;
}

void
labels_format(const struct labelset *ls, struct buf *b, int skip_name)
{
	int first = 1;

	/* a pair too long for b is cut, never left out: what follows a cut
	 * is not drawn, so a long value cannot hide itself between others */
	buf_put_fit(b, "{", 1);
	for (uint32_t i = 0; i < ls->n; i++) {
		const struct label *l = &ls->v[i];
		if (skip_name && strcmp(l->name, "__name__") == 0)
			continue;
		if ((!first && buf_put_fit(b, ", ", 2) < 0) || buf_put_fit(b, l->name, strlen(l->name)) < 0 ||
		    buf_put_fit(b, "=\"", 2) < 0 || buf_put_fit(b, l->value, strlen(l->value)) < 0 ||
		    buf_put_fit(b, "\"", 1) < 0)
			return;
		first = 0;
	}
	buf_put_fit(b, "}", 1);
}

size_t
labels_bytes(const struct labelset *ls)
{
	size_t n = sizeof *ls + ls->cap * sizeof *ls->v;
	for (uint32_t i = 0; i < ls->n; i++)
		n += strlen(ls->v[i].name) + strlen(ls->v[i].value) + 2;
	return n;
}

int
labels_encode(const struct labelset *ls, struct buf *b)
{
	buf_put_uvarint(b, ls->n);
	for (uint32_t i = 0; i < ls->n; i++) {
		buf_put_str(b, ls->v[i].name, strlen(ls->v[i].name));
		buf_put_str(b, ls->v[i].value, strlen(ls->v[i].value));
	}
	return b->overflow ? -1 : 0;
}

int
labels_decode(struct labelset *ls, struct rd *r)
{
	uint64_t n;

	labels_init(ls);
	if (rd_uvarint(r, &n) < 0 || n > LABELS_MAX || n > r->len - r->off) {
		r->err = 1;
		return -1;
	}
	for (uint64_t i = 0; i < n; i++) {
		const char *k, *v;
		size_t kl, vl;
		if (rd_str(r, &k, &kl, LABEL_MAX_BYTES) < 0 || rd_str(r, &v, &vl, LABEL_MAX_BYTES) < 0)
			return -1;
		labels_setn(ls, k, kl, v, vl);
	}
	labels_finish(ls);
	return 0;
}
