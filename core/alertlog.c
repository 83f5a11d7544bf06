/* alertlog: transitions between consecutive alert snapshots.
 * Invariant: seen holds exactly the alerts of the last snapshot fed. */
#include "core/alertlog.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void
alertlog_init(struct alertlog *l)
{
	memset(l, 0, sizeof *l);
}

void
alertlog_free(struct alertlog *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->seen[i].label);
	free(l->seen);
	memset(l, 0, sizeof *l);
}

char *
alert_label(const struct alert *al)
{
	static const char *const keys[] = { "service", "destination_service_name",
	    "destination_service", "app", "job", "pod", "instance", NULL };
	const char *name = labels_get(&al->labels, "alertname"), *subj = NULL;

	for (size_t i = 0; keys[i] && !subj; i++) {
		const char *v = labels_get(&al->labels, keys[i]);
		if (v && *v)
			subj = v;
	}
	return xasprintf("%s%s%s%s", name && *name ? name : "alert", subj ? " (" : "",
	    subj ? subj : "", subj ? ")" : "");
}

static uint64_t
alert_id(const struct alert *al)
{
	uint64_t h = 0;

	if (al->labels.hash)
		return al->labels.hash;
	for (uint32_t i = 0; i < al->labels.n; i++) {	/* not finished: hash here */
		h = hash_bytes(al->labels.v[i].name, strlen(al->labels.v[i].name) + 1, h);
		h = hash_bytes(al->labels.v[i].value, strlen(al->labels.v[i].value) + 1, h);
	}
	return h;
}

void
alertlog_feed(struct alertlog *l, tns t, const struct ev_alerts *e, alertlog_fn fn, void *ctx)
{
	struct alertlog_seen *now = xcalloc(e->n + 1, sizeof *now);

	for (size_t i = 0; i < e->n; i++) {
		const struct alert *al = &e->a[i];
		int f = !al->state || strcmp(al->state, "firing") == 0, was = -1;
		uint64_t id = alert_id(al);

		for (size_t k = 0; k < l->n && was < 0; k++)
			if (l->seen[k].id == id)
				was = l->seen[k].firing;
		now[i].id = id;
		now[i].firing = f;
		now[i].label = alert_label(al);
		if (was < 0 || (f && !was))
			fn(ctx, t, f ? AC_FIRING : AC_PENDING, now[i].label);
	}
	for (size_t k = 0; k < l->n; k++) {
		int still = 0;
		for (size_t j = 0; j < e->n && !still; j++)
			still = now[j].id == l->seen[k].id;
		if (!still)
			fn(ctx, t, AC_RESOLVED, l->seen[k].label);
	}
	alertlog_free(l);
	l->seen = now;
	l->n = e->n;
}
