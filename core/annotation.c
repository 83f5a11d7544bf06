/* annotation: note events, codec and the sorted annotation list. */
#include "core/annotation.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define TEXT_MAX	4096

struct ev_annotation *
annotation_new(tns at, const char *text, int panel_id, const char *ref)
{
	struct ev_annotation *a = xcalloc(1, sizeof *a);
	a->at = at;
	a->text = xstrndup(text ? text : "", TEXT_MAX);
	a->panel_id = panel_id;
	a->ref = ref ? xstrndup(ref, TEXT_MAX) : NULL;
	return a;
}

void
annotation_free(void *p)
{
	struct ev_annotation *a = p;
	if (!a)
		return;
	free(a->text);
	free(a->ref);
	free(a);
}

static int
ann_encode(const void *p, struct buf *b)
{
	const struct ev_annotation *a = p;
	buf_put_svarint(b, a->at);
	buf_put_str(b, a->text, strlen(a->text));
	buf_put_svarint(b, a->panel_id);
	buf_put_str(b, a->ref ? a->ref : "", a->ref ? strlen(a->ref) : 0);
	return b->overflow ? -1 : 0;
}

static void *
ann_decode(struct rd *r, char **err)
{
	int64_t at, pid;
	const char *text, *ref;
	size_t tl, rl;

	if (rd_svarint(r, &at) < 0 || rd_str(r, &text, &tl, TEXT_MAX) < 0 ||
	    rd_svarint(r, &pid) < 0 || rd_str(r, &ref, &rl, TEXT_MAX) < 0 ||
	    pid < 0 || pid > (1 << 30)) {
		*err = xstrdup("malformed annotation event");
		return NULL;
	}
	struct ev_annotation *a = xcalloc(1, sizeof *a);
	a->at = at;
	a->text = xstrndup(text, tl);
	a->panel_id = (int)pid;
	a->ref = rl ? xstrndup(ref, rl) : NULL;
	return a;
}

const struct ev_ops annotation_ev_ops = {
	.name = "annotation",
	.free = annotation_free,
	.encode = ann_encode,
	.decode = ann_decode,
};

void
annotation_list_add(struct annotation_list *l, struct ev_annotation *a)
{
	size_t i;

	if (!l->max)
		l->max = 10000;
	if (l->n == l->max) {
		annotation_free(l->a[0]);
		memmove(l->a, l->a + 1, (l->n - 1) * sizeof *l->a);
		l->n--;
	}
	xgrow(&l->a, &l->cap, l->n + 1, sizeof *l->a);
	for (i = l->n; i > 0 && l->a[i - 1]->at > a->at; i--)
		;
	memmove(l->a + i + 1, l->a + i, (l->n - i) * sizeof *l->a);
	l->a[i] = a;
	l->n++;
}

void
annotation_list_free(struct annotation_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		annotation_free(l->a[i]);
	free(l->a);
	memset(l, 0, sizeof *l);
}
