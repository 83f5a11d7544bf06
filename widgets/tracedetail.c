/* tracedetail: build the detail lines of one span.  Invariant: every
 * line's text is allocated and freed by tracedetail_free(); values are
 * kept raw (the canvas sanitises when drawing). */
#include "widgets/tracedetail.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#define MAX_LINES	20000

static void
add(struct dlines *d, enum role role, uint8_t attr, int indent, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
add(struct dlines *d, enum role role, uint8_t attr, int indent, const char *fmt, ...)
{
	va_list ap;
	struct dline *l;

	if (d->n >= MAX_LINES)
		return;
	xgrow(&d->l, &d->cap, d->n + 1, sizeof *d->l);
	l = &d->l[d->n++];
	va_start(ap, fmt);
	l->text = xvasprintf(fmt, ap);
	va_end(ap);
	l->role = (uint8_t)role;
	l->attr = attr;
	l->indent = (uint8_t)indent;
}

void
tracedetail_free(struct dlines *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->l[i].text);
	free(d->l);
	memset(d, 0, sizeof *d);
}

static void
clock_ms(char *dst, size_t n, tns t, int utc)
{
	char c[16];
	tns ms = ((t % NS_PER_S) + NS_PER_S) % NS_PER_S / NS_PER_MS;

	ts_fmt_clock(c, sizeof c, t, utc, 1);
	snprintf(dst, n, "%s.%03lld", c, (long long)ms);
}

static const char *
kind_name(int k)
{
	static const char *const names[] = { "unspecified", "internal", "server", "client",
		"producer", "consumer" };
	return k >= 0 && k < 6 ? names[k] : "?";
}

static void
attrs(struct dlines *d, const char *title, const struct span_attr *a, uint32_t n)
{
	if (!n)
		return;
	add(d, ROLE_TITLE, CA_BOLD, 0, "%s (%u)", title, n);
	for (uint32_t i = 0; i < n; i++)
		add(d, ROLE_TEXT, 0, 4, "%s = %s", a[i].key, a[i].val);
}

static void
marks(struct dlines *d, const struct tracetree *tt, int32_t i)
{
	const struct tt_node *nd = &tt->nd[i];
	const struct span *s = &tt->t->s[i];
	char a[32], b[32];

	if (nd->flags & TT_ORPHAN)
		add(d, ROLE_WARN, 0, 2, "! orphan: parent %s is not in this trace; shown at the root",
		    s->parent_id);
	if (nd->flags & TT_CYCLE)
		add(d, ROLE_WARN, 0, 2, "! cycle: its parent link (%s) closed a loop of parent "
		    "links and was cut here", *s->parent_id ? s->parent_id : "itself");
	if (nd->flags & TT_DUP)
		add(d, ROLE_WARN, 0, 2, "! duplicate span id %s: several spans share it; children "
		    "attach to the first", s->span_id);
	if (nd->flags & TT_NOID)
		add(d, ROLE_WARN, 0, 2, "! no span id: nothing can name it as a parent");
	if (nd->flags & TT_NEGDUR) {
		trace_fmt_dur(a, sizeof a, s->dur);
		add(d, ROLE_WARN, 0, 2, "! negative duration %s (end before start): drawn as zero", a);
	}
	if (nd->flags & TT_OUTSIDE) {
		trace_fmt_dur(a, sizeof a, nd->start - tt->start);
		trace_fmt_dur(b, sizeof b, nd->end - tt->start);
		add(d, ROLE_WARN, 0, 2, "! outside the trace window: %s .. %s from the trace start "
		    "(clipped, marked with arrows)", a, b);
	}
	if (nd->flags & TT_SKEW)
		add(d, ROLE_WARN, 0, 2, "! clock skew: %s its parent",
		    nd->parent >= 0 && nd->start < tt->nd[nd->parent].start ? "starts before" :
		    "ends after");
}

static void
events(struct dlines *d, const struct tracetree *tt, const struct span *s)
{
	char off[32];

	if (!s->nev)
		return;
	add(d, ROLE_TITLE, CA_BOLD, 0, "events (%u)", s->nev);
	for (uint32_t i = 0; i < s->nev; i++) {
		const struct span_event *e = &s->ev[i];
		trace_fmt_dur(off, sizeof off, trace_sat_sub(e->t, s->start));
		add(d, ROLE_INFO, 0, 2, "%s%s  %s", e->t < s->start ? "" : "+", off, e->name);
		for (uint32_t k = 0; k < e->nattr; k++)
			add(d, ROLE_TEXT, 0, 6, "%s = %s", e->attr[k].key, e->attr[k].val);
	}
	(void)tt;
}

void
tracedetail_build(struct dlines *d, const struct tracetree *tt, int32_t i, int utc, int ascii)
{
	const struct span *s = &tt->t->s[i];
	const struct tt_node *nd = &tt->nd[i];
	const struct trace_res *r = s->res < tt->t->nres ? &tt->t->res[s->res] : NULL;
	const char *svc = r && *r->service ? r->service : "(unknown service)";
	char st[32], off[32], du[32], self[32], crit[32];

	tracedetail_free(d);
	add(d, ROLE_SERIES(nd->svc), CA_BOLD, 0, "%s %s %s", svc, ascii ? "-" : "\xc2\xb7",
	    *s->name ? s->name : "(no name)");
	add(d, ROLE_TEXT, 0, 0, "span %s   parent %s%s   kind %s", *s->span_id ? s->span_id : "-",
	    *s->parent_id ? s->parent_id : "(root)", s->follows ? " (follows from)" : "",
	    kind_name(s->kind));
	clock_ms(st, sizeof st, s->start, utc);
	trace_fmt_dur(off, sizeof off, nd->start - tt->start);
	trace_fmt_dur(du, sizeof du, s->dur);
	trace_fmt_dur(self, sizeof self, nd->self);
	trace_fmt_dur(crit, sizeof crit, nd->crit);
	add(d, ROLE_TEXT, 0, 0, "start %s (+%s)   duration %s   self %s   critical path %s", st, off,
	    du, self, nd->crit ? crit : "-");
	if (s->status == SS_ERROR)
		add(d, ROLE_ERROR, CA_BOLD, 0, "status ERROR%s%s", *s->status_msg ? ": " : "", s->status_msg);
	else
		add(d, s->status == SS_OK ? ROLE_OK : ROLE_DIM, 0, 0, "status %s%s%s",
		    s->status == SS_OK ? "OK" : "unset", *s->status_msg ? ": " : "", s->status_msg);
	marks(d, tt, i);
	attrs(d, "attributes", s->attr, s->nattr);
	if (r)
		attrs(d, "resource", r->attr, r->nattr);
	events(d, tt, s);
}
