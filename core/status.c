/* status: query status events and their bounded per-key history.
 * Invariants: history entries are sorted by time; at most cap are kept
 * (the oldest are dropped, but the last OK time survives eviction);
 * every error and warning text has been through secret_mask(). */
#include "core/status.h"

#include <stdlib.h>
#include <string.h>

#include "core/digest.h"
#include "core/secret.h"
#include "core/xalloc.h"

#define MSG_MAX		(16 * 1024)
#define WARN_MAX	64

/* A backend's message, masked: servers echo requests back in errors
 * (headers, URLs with tokens), and the message is drawn, logged and
 * recorded from here on. */
static char *
masked(const char *msg)
{
	char *m = secret_mask(msg), *out = xstrndup(m, MSG_MAX);

	free(m);
	return out;
}

struct ev_status *
status_new(enum qstate st, const char *error)
{
	struct ev_status *s = xcalloc(1, sizeof *s);
	s->state = st;
	if (error)
		s->error = masked(error);
	return s;
}

void
status_set_error(struct ev_status *s, char *msg)
{
	free(s->error);
	s->error = msg ? masked(msg) : NULL;
	free(msg);
}

void
status_add_warning(struct ev_status *s, const char *w)
{
	if (s->nwarn >= WARN_MAX)
		return;
	s->warnings = xreallocarray(s->warnings, s->nwarn + 1, sizeof *s->warnings);
	s->warnings[s->nwarn++] = masked(w);
}

void
status_free(void *p)
{
	struct ev_status *s = p;

	if (!s)
		return;
	free(s->error);
	for (size_t i = 0; i < s->nwarn; i++)
		free(s->warnings[i]);
	free(s->warnings);
	free(s);
}

void
status_emit(const struct event_sink *sink, const char *key, tns t, enum qstate st, int http,
    int64_t latency_ms, const char *error)
{
	struct ev_status *s = status_new(st, error);
	s->http = http;
	s->latency_ms = latency_ms;
	event_emit(sink, event_new(EV_STATUS, t, key, s));
}

static int
status_encode(const void *p, struct buf *b)
{
	const struct ev_status *s = p;

	buf_put_uvarint(b, (uint64_t)s->state);
	buf_put_svarint(b, s->http);
	buf_put_str(b, s->error ? s->error : "", s->error ? strlen(s->error) : 0);
	buf_put_uvarint(b, s->nwarn);
	for (size_t i = 0; i < s->nwarn; i++)
		buf_put_str(b, s->warnings[i], strlen(s->warnings[i]));
	buf_put_svarint(b, s->latency_ms);
	buf_put_uvarint(b, s->dropped);
	buf_put_uvarint(b, (uint64_t)s->insecure);
	return b->overflow ? -1 : 0;
}

static void *
status_decode(struct rd *r, char **err)
{
	struct ev_status *s = xcalloc(1, sizeof *s);
	uint64_t st, nw, dropped, insecure;
	int64_t http, lat;
	const char *msg;
	size_t len;

	if (rd_uvarint(r, &st) < 0 || st > QS_ERROR || rd_svarint(r, &http) < 0 ||
	    rd_str(r, &msg, &len, MSG_MAX) < 0 || rd_uvarint(r, &nw) < 0 || nw > WARN_MAX)
		goto bad;
	s->state = (enum qstate)st;
	s->http = (int)http;
	if (len)
		s->error = xstrndup(msg, len);
	for (uint64_t i = 0; i < nw; i++) {
		if (rd_str(r, &msg, &len, MSG_MAX) < 0)
			goto bad;
		s->warnings = xreallocarray(s->warnings, s->nwarn + 1, sizeof *s->warnings);
		s->warnings[s->nwarn++] = xstrndup(msg, len);
	}
	if (rd_svarint(r, &lat) < 0 || rd_uvarint(r, &dropped) < 0 || rd_uvarint(r, &insecure) < 0)
		goto bad;
	s->latency_ms = lat;
	s->dropped = dropped;
	s->insecure = insecure != 0;
	return s;
bad:
	status_free(s);
	*err = xstrdup("malformed status event");
	return NULL;
}

const struct ev_ops status_ev_ops = {
	.name = "status",
	.free = status_free,
	.encode = status_encode,
	.decode = status_decode,
};

struct status_hist {
	tns			 *t;
	struct ev_status	**s;
	size_t			  n, cap;
	tns			  evicted_last_ok;	/* last OK among dropped entries */
	uint64_t		  evicted_dropped;
};

struct status_hist *
status_hist_new(size_t cap)
{
	struct status_hist *h = xcalloc(1, sizeof *h);
	h->cap = cap ? cap : 64;
	h->t = xcalloc(h->cap, sizeof *h->t);
	h->s = xcalloc(h->cap, sizeof *h->s);
	h->evicted_last_ok = TNS_NONE;
	return h;
}

void
status_hist_free(struct status_hist *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		status_free(h->s[i]);
	free(h->t);
	free(h->s);
	free(h);
}

void
status_hist_add(struct status_hist *h, tns t, struct ev_status *s)
{
	size_t i;

	if (h->n == h->cap) {
		if (h->s[0]->state == QS_OK)
			h->evicted_last_ok = h->t[0];
		h->evicted_dropped += h->s[0]->dropped;
		status_free(h->s[0]);
		memmove(h->t, h->t + 1, (h->n - 1) * sizeof *h->t);
		memmove(h->s, h->s + 1, (h->n - 1) * sizeof *h->s);
		h->n--;
	}
	/* keep sorted; answers almost always arrive in order */
	for (i = h->n; i > 0 && h->t[i - 1] > t; i--)
		;
	memmove(h->t + i + 1, h->t + i, (h->n - i) * sizeof *h->t);
	memmove(h->s + i + 1, h->s + i, (h->n - i) * sizeof *h->s);
	h->t[i] = t;
	h->s[i] = s;
	h->n++;
}

void
status_hist_at(const struct status_hist *h, tns at, struct qview *out)
{
	size_t lo = 0, hi = h ? h->n : 0;

	memset(out, 0, sizeof *out);
	out->state = QS_NONE;
	out->last_ok = TNS_NONE;
	if (!h)
		return;
	while (lo < hi) {	/* first entry with t > at */
		size_t mid = (lo + hi) / 2;
		if (h->t[mid] <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	out->dropped = h->evicted_dropped;
	if (lo == 0) {
		out->last_ok = h->evicted_last_ok != TNS_NONE && h->evicted_last_ok <= at ?
		    h->evicted_last_ok : TNS_NONE;
		return;
	}
	out->state = h->s[lo - 1]->state;
	out->since = h->t[lo - 1];
	out->last = h->s[lo - 1];
	for (size_t i = 0; i < lo; i++)
		out->dropped += h->s[i]->dropped;
	for (size_t i = lo; i > 0; i--)
		if (h->s[i - 1]->state == QS_OK) {
			out->last_ok = h->t[i - 1];
			break;
		}
	if (out->last_ok == TNS_NONE)
		out->last_ok = h->evicted_last_ok;
}

uint64_t
status_hist_digest(const struct status_hist *h, tns at)
{
	uint64_t d;

	if (!h || ((!h->n || h->t[0] > at) && h->evicted_last_ok == TNS_NONE))
		return 0;	/* nothing as of `at` */
	d = digest_u64(digest_u64(0, (uint64_t)h->evicted_last_ok), h->evicted_dropped);
	for (size_t i = 0; i < h->n && h->t[i] <= at; i++) {
		const struct ev_status *s = h->s[i];
		d = digest_u64(d, (uint64_t)h->t[i]);
		d = digest_u64(d, (uint64_t)s->state);
		d = digest_u64(d, (uint64_t)(int64_t)s->http);
		d = digest_str(d, s->error);
		for (size_t k = 0; k < s->nwarn; k++)
			d = digest_str(d, s->warnings[k]);
		d = digest_u64(d, (uint64_t)s->latency_ms);
		d = digest_u64(d, s->dropped);
		d = digest_u64(d, (uint64_t)s->insecure);
	}
	return d;
}
