/* hmap: open-addressing string map with tombstones and linear probing. */
#include "core/hmap.h"

#include <stdlib.h>
#include <string.h>

#include "core/labels.h"
#include "core/xalloc.h"

static char tombstone_key;
#define TOMB	(&tombstone_key)

void
hmap_init(struct hmap *m)
{
	memset(m, 0, sizeof *m);
}

void
hmap_free(struct hmap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->e[i].key && m->e[i].key != TOMB) {
			free(m->e[i].key);
			if (free_val)
				free_val(m->e[i].val);
		}
	free(m->e);
	memset(m, 0, sizeof *m);
}

static size_t
str_hash(const char *s)
{
	return (size_t)hash_bytes(s, strlen(s), 0);
}

static struct hmap_ent *
find(const struct hmap *m, const char *key, size_t h)
{
	if (!m->cap)
		return NULL;
	for (size_t i = h & (m->cap - 1), k = 0; k < m->cap; i = (i + 1) & (m->cap - 1), k++) {
		struct hmap_ent *e = &m->e[i];
		if (!e->key)
			return NULL;
		if (e->key != TOMB && e->hash == h && strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

static void
rehash(struct hmap *m, size_t cap)
{
	struct hmap_ent *old = m->e;
	size_t oldcap = m->cap;

	m->e = xcalloc(cap, sizeof *m->e);
	m->cap = cap;
	m->n = m->tomb = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key && old[i].key != TOMB) {
			size_t j = old[i].hash & (cap - 1);
			while (m->e[j].key)
				j = (j + 1) & (cap - 1);
			m->e[j] = old[i];
			m->n++;
		}
	free(old);
}

void *
hmap_get(const struct hmap *m, const char *key)
{
	struct hmap_ent *e = find(m, key, str_hash(key));
	return e ? e->val : NULL;
}

void *
hmap_put(struct hmap *m, const char *key, void *val)
{
	size_t h = str_hash(key);
	struct hmap_ent *e = find(m, key, h);

	if (e) {
		void *old = e->val;
		e->val = val;
		return old;
	}
	if ((m->n + m->tomb + 1) * 4 >= m->cap * 3)
		rehash(m, m->cap ? (m->n * 4 >= m->cap ? m->cap * 2 : m->cap) : 16);
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		e = &m->e[i];
		if (!e->key || e->key == TOMB) {
			if (e->key == TOMB)
				m->tomb--;
			e->key = xstrdup(key);
			e->val = val;
			e->hash = h;
			m->n++;
			return NULL;
		}
	}
}

void *
hmap_del(struct hmap *m, const char *key)
{
	struct hmap_ent *e = find(m, key, str_hash(key));
	void *v;

	if (!e)
		return NULL;
	v = e->val;
	free(e->key);
	e->key = TOMB;
	e->val = NULL;
	m->n--;
	m->tomb++;
	return v;
}

int
hmap_next(const struct hmap *m, size_t *it, const char **key, void **val)
{
	while (*it < m->cap) {
		struct hmap_ent *e = &m->e[(*it)++];
		if (e->key && e->key != TOMB) {
			if (key)
				*key = e->key;
			if (val)
				*val = e->val;
			return 1;
		}
	}
	return 0;
}
