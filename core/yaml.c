/* yaml: libyaml events -> cJSON with positions (see yaml.h).
 * Invariants: stack[0] is the array of documents; a mapping frame holds
 * the pending key between its key and value events; every node created
 * from the text has a position recorded in the jdoc; no node is freed
 * before the end of the parse (a value replaced by a duplicate key or a
 * consumed "<<" goes to the graveyard), so an anchor always points at a
 * live node. */
#include "core/yaml.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/paths.h"
#include "core/xalloc.h"

struct frame {
	cJSON	*node;
	int	 map;
	char	*key;		/* pending key (mapping frames) */
	size_t	 key_off;
};

struct anchor {
	char	*name;
	cJSON	*node;
};

struct yctx {
	struct jdoc	*d;
	struct diag	*dg;
	size_t		*line_off;	/* byte offset of each line start */
	size_t		 nlines;
	struct frame	 st[YAML_DEPTH_MAX + 2];
	int		 depth;		/* index of the top frame */
	struct anchor	*anchors;
	size_t		 nanchors, capanchors;
	size_t		 nodes;
	cJSON		*graveyard;	/* replaced nodes, freed after the parse */
	int		 failed;
};

static size_t
mark_off(const struct yctx *y, yaml_mark_t m)
{
	size_t off, col = m.column;

	if (m.line >= y->nlines)
		return y->d->len;
	off = y->line_off[m.line];
	while (col > 0 && off < y->d->len && y->d->text[off] != '\n') {
		off++;
		while (off < y->d->len && ((unsigned char)y->d->text[off] & 0xc0) == 0x80)
			off++;
		col--;
	}
	return off;
}

static void
fail_at(struct yctx *y, yaml_mark_t m, const char *msg)
{
	if (!y->failed)
		diag_add(y->dg, DIAG_ERROR, y->d->file, (int)m.line + 1, (int)m.column + 1, "%s", msg);
	y->failed = 1;
}

static size_t
count_nodes(const cJSON *n, size_t budget)
{
	size_t c = 1;
	for (const cJSON *k = n->child; k && c <= budget; k = k->next)
		c += count_nodes(k, budget - c);
	return c;
}

static cJSON *
scalar_node(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t len = ev->data.scalar.length;
	char *end;
	double x;

	if (tag && strcmp(tag, YAML_STR_TAG) == 0)
		return cJSON_CreateString(v);
	if (!tag && !ev->data.scalar.plain_implicit)
		return cJSON_CreateString(v);	/* quoted */
	if (len == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0)
		return cJSON_CreateNull();
	if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0)
		return cJSON_CreateTrue();
	if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 || strcmp(v, "FALSE") == 0)
		return cJSON_CreateFalse();
	if (strcmp(v, ".inf") == 0 || strcmp(v, "+.inf") == 0 || strcmp(v, ".Inf") == 0)
		return cJSON_CreateNumber(INFINITY);
	if (strcmp(v, "-.inf") == 0 || strcmp(v, "-.Inf") == 0)
		return cJSON_CreateNumber(-INFINITY);
	if (strcmp(v, ".nan") == 0 || strcmp(v, ".NaN") == 0)
		return cJSON_CreateNumber(NAN);
	if (strchr("+-.0123456789", v[0]) && !strpbrk(v, "xXpP_:nN") &&
	    (x = strtod(v, &end), end != v && *end == '\0'))
		return cJSON_CreateNumber(x);
	return cJSON_CreateString(v);
}

static void merge_into(cJSON *dst, const cJSON *src);

/* Keep a node that leaves the tree until the parse ends: anchors may name
 * it or something inside it. */
static void
bury(struct yctx *y, cJSON *node)
{
	cJSON_AddItemToArray(y->graveyard, node);
}

/* At the end of a mapping: apply its "<<" merge keys (explicit keys win). */
static void
resolve_merges(struct yctx *y, cJSON *map)
{
	cJSON *c = map->child, *next;

	for (; c; c = next) {
		next = c->next;
		if (strcmp(c->string, "<<") != 0)
			continue;
		cJSON_DetachItemViaPointer(map, c);
		merge_into(map, c);
		bury(y, c);
	}
}

static void
merge_into(cJSON *dst, const cJSON *src)
{
	if (cJSON_IsArray(src)) {
		for (const cJSON *c = src->child; c; c = c->next)
			merge_into(dst, c);
		return;
	}
	if (!cJSON_IsObject(src))
		return;
	for (const cJSON *c = src->child; c; c = c->next)
		if (!cJSON_GetObjectItemCaseSensitive(dst, c->string))
			cJSON_AddItemToObject(dst, c->string, cJSON_Duplicate(c, 1));
}

/* Attach node to the top frame; records its position.  For a mapping
 * without a pending key, a scalar node becomes the key instead. */
static int
attach(struct yctx *y, cJSON *node, yaml_mark_t m, int is_scalar)
{
	struct frame *f = &y->st[y->depth];
	size_t off = mark_off(y, m);

	if (!node)
		fatal("out of memory (yaml)");
	if (++y->nodes > YAML_NODES_MAX) {
		cJSON_Delete(node);
		fail_at(y, m, "YAML too large (more than 200000 nodes, aliases included)");
		return -1;
	}
	if (f->map && !f->key) {
		if (!is_scalar) {
			cJSON_Delete(node);
			fail_at(y, m, "complex mapping keys are not supported");
			return -1;
		}
		f->key = xstrdup(cJSON_IsString(node) ? node->valuestring :
		    cJSON_IsNull(node) ? "" : cJSON_IsBool(node) ? (cJSON_IsTrue(node) ? "true" : "false") :
		    "");
		if (cJSON_IsNumber(node)) {
			char tmp[64];
			snprintf(tmp, sizeof tmp, "%.17g", node->valuedouble);
			free(f->key);
			f->key = xstrdup(tmp);
		}
		f->key_off = off;
		cJSON_Delete(node);
		return 1;
	}
	jdoc_add_pos(y->d, node, f->map ? f->key_off : off, off);
	if (f->map) {
		cJSON *old;
		if (strcmp(f->key, "<<") != 0 &&
		    (old = cJSON_DetachItemFromObjectCaseSensitive(f->node, f->key)))
			bury(y, old);
		cJSON_AddItemToObject(f->node, f->key, node);
		free(f->key);
		f->key = NULL;
	} else
		cJSON_AddItemToArray(f->node, node);
	return 0;
}

static void
add_anchor(struct yctx *y, const yaml_char_t *name, cJSON *node)
{
	if (!name)
		return;
	xgrow(&y->anchors, &y->capanchors, y->nanchors + 1, sizeof *y->anchors);
	y->anchors[y->nanchors].name = xstrdup((const char *)name);
	y->anchors[y->nanchors].node = node;
	y->nanchors++;
}

static void
on_alias(struct yctx *y, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	cJSON *src = NULL, *copy;
	size_t n;

	for (size_t i = y->nanchors; i-- > 0;)
		if (strcmp(y->anchors[i].name, name) == 0) {
			src = y->anchors[i].node;
			break;
		}
	if (!src) {
		fail_at(y, ev->start_mark, "alias to an unknown anchor");
		return;
	}
	n = count_nodes(src, YAML_NODES_MAX + 1);
	if (y->nodes + n > YAML_NODES_MAX) {
		fail_at(y, ev->start_mark, "YAML too large (more than 200000 nodes, aliases included)");
		return;
	}
	y->nodes += n - 1;
	if (!(copy = cJSON_Duplicate(src, 1)))
		fatal("out of memory (yaml)");
	attach(y, copy, ev->start_mark, cJSON_IsString(copy) || cJSON_IsNumber(copy));
}

static void
on_event(struct yctx *y, const yaml_event_t *ev)
{
	cJSON *node;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		node = scalar_node(ev);
		if (attach(y, node, ev->start_mark, 1) == 0)
			add_anchor(y, ev->data.scalar.anchor, node);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int map = ev->type == YAML_MAPPING_START_EVENT;
		if (y->depth >= YAML_DEPTH_MAX) {
			fail_at(y, ev->start_mark, "YAML nested too deeply");
			return;
		}
		node = map ? cJSON_CreateObject() : cJSON_CreateArray();
		if (attach(y, node, ev->start_mark, 0) < 0)
			return;
		add_anchor(y, map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor, node);
		y->depth++;
		y->st[y->depth] = (struct frame){ .node = node, .map = map };
		break;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (y->depth > 0) {
			if (y->st[y->depth].map)
				resolve_merges(y, y->st[y->depth].node);
			free(y->st[y->depth].key);
			y->st[y->depth].key = NULL;
			y->depth--;
		}
		break;
	case YAML_ALIAS_EVENT:
		on_alias(y, ev);
		break;
	default:
		break;
	}
}

static void
index_lines(struct yctx *y)
{
	size_t cap = 0;

	xgrow(&y->line_off, &cap, 1, sizeof *y->line_off);
	y->line_off[y->nlines++] = 0;
	for (size_t i = 0; i < y->d->len; i++)
		if (y->d->text[i] == '\n') {
			xgrow(&y->line_off, &cap, y->nlines + 1, sizeof *y->line_off);
			y->line_off[y->nlines++] = i + 1;
		}
}

static void
yctx_free(struct yctx *y)
{
	for (int i = 0; i <= y->depth; i++)
		free(y->st[i].key);
	for (size_t i = 0; i < y->nanchors; i++)
		free(y->anchors[i].name);
	free(y->anchors);
	free(y->line_off);
	cJSON_Delete(y->graveyard);
}

int
yaml_parse(struct jdoc *d, const char *text, size_t len, const char *file, struct diag *dg)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct yctx y;
	int done = 0;

	memset(d, 0, sizeof *d);
	memset(&y, 0, sizeof y);
	d->file = xstrdup(file ? file : "<yaml>");
	d->text = xmalloc(len + 1);
	memcpy(d->text, text, len);
	d->text[len] = '\0';
	d->len = len;
	if (memchr(d->text, '\0', len)) {
		diag_add(dg, DIAG_ERROR, d->file, 0, 0, "file contains a NUL byte; not YAML text");
		jdoc_free(d);
		return -1;
	}
	y.d = d;
	y.dg = dg;
	index_lines(&y);
	if (!(d->root = cJSON_CreateArray()) || !(y.graveyard = cJSON_CreateArray()) ||
	    !yaml_parser_initialize(&p))
		fatal("out of memory (yaml)");
	y.st[0] = (struct frame){ .node = d->root };
	yaml_parser_set_input_string(&p, (const unsigned char *)d->text, len);
	while (!done && !y.failed) {
		if (!yaml_parser_parse(&p, &ev)) {
			char msg[512];
			snprintf(msg, sizeof msg, "YAML syntax error: %s%s%s", p.problem ? p.problem : "invalid YAML",
			    p.context ? " " : "", p.context ? p.context : "");
			fail_at(&y, p.problem_mark, msg);
			break;
		}
		on_event(&y, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	yctx_free(&y);
	if (y.failed) {
		jdoc_free(d);
		return -1;
	}
	jdoc_index(d);
	return 0;
}

int
yaml_load(struct jdoc *d, const char *path, struct diag *dg)
{
	size_t len;
	char *text = paths_read_file(path, YAML_FILE_MAX, &len, dg);
	int rc;

	if (!text) {
		memset(d, 0, sizeof *d);
		return -1;
	}
	rc = yaml_parse(d, text, len, path, dg);
	free(text);
	return rc;
}
