/* kubelog: byte-bounded ring of log lines.
 * Invariant: bytes = sum of line sizes of the n lines kept, <= max_bytes
 * after every apply (a single line larger than the cap is cut). */
#include "core/kubelog.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static size_t
line_size(const struct kline *k)
{
	return sizeof *k + strlen(k->text) + 32;
}

struct kube_log *
kube_log_new(size_t max_bytes)
{
	struct kube_log *lg = xcalloc(1, sizeof *lg);
	lg->max_bytes = max_bytes ? max_bytes : 4u << 20;
	lg->started = TNS_NONE;
	return lg;
}

static void
clear(struct kube_log *lg)
{
	for (size_t i = 0; i < lg->n; i++)
		kube_obj_free(KK_LOG, lg->l[(lg->head + i) % lg->cap]);
	lg->head = lg->n = lg->bytes = 0;
	lg->total = 0;
	lg->dropped = 0;
}

void
kube_log_free(struct kube_log *lg)
{
	if (!lg)
		return;
	clear(lg);
	free(lg->l);
	free(lg);
}

static void
drop_oldest(struct kube_log *lg)
{
	struct kline *k = lg->l[lg->head];
	lg->bytes -= line_size(k);
	kube_obj_free(KK_LOG, k);
	lg->head = (lg->head + 1) % lg->cap;
	lg->n--;
	lg->dropped++;
}

static void
grow(struct kube_log *lg)
{
	size_t ncap = lg->cap ? lg->cap * 2 : 256;
	struct kline **nl = xcalloc(ncap, sizeof *nl);

	for (size_t i = 0; i < lg->n; i++)
		nl[i] = lg->l[(lg->head + i) % lg->cap];
	free(lg->l);
	lg->l = nl;
	lg->cap = ncap;
	lg->head = 0;
}

static void
push(struct kube_log *lg, struct kline *k)
{
	size_t sz;

	if (strlen(k->text) > lg->max_bytes / 4)
		k->text[lg->max_bytes / 4] = '\0';
	sz = line_size(k);
	while (lg->n && lg->bytes + sz > lg->max_bytes)
		drop_oldest(lg);
	if (lg->n == lg->cap)
		grow(lg);
	lg->l[(lg->head + lg->n) % lg->cap] = k;
	lg->n++;
	lg->bytes += sz;
	lg->total++;
}

void
kube_log_apply(struct kube_log *lg, tns at, struct ev_kube *ev)
{
	if (ev->op == KOP_SNAPSHOT) {
		clear(lg);
		lg->started = at;
	}
	for (size_t i = 0; i < ev->n; i++) {
		push(lg, ev->items[i]);
		ev->items[i] = NULL;
	}
	lg->dropped += ev->dropped;
	ev->n = 0;
	lg->gen++;
}

const struct kline *
kube_log_line(const struct kube_log *lg, size_t i)
{
	if (!lg || i >= lg->n)
		return NULL;
	return lg->l[(lg->head + i) % lg->cap];
}
