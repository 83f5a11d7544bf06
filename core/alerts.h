/* alerts: firing/pending alerts from a source, as snapshots over time.
 * Each ev_alerts is the complete list at time t; the store keeps a bounded
 * history per key so the alerts panel and the replay timeline can show
 * the list as it was at any moment. */
#ifndef SCRY_ALERTS_H
#define SCRY_ALERTS_H
#include <stddef.h>

#include "core/event.h"
#include "core/labels.h"

/* Longest state or expression a recording keeps (the decoder's limit):
 * parsers cut longer ones with alert_strndup(). */
#define ALERT_STR_MAX	(64 * 1024)

struct alert {
	struct labelset	 labels;
	struct labelset	 annotations;
	char		*state;		/* "firing", "pending" */
	tns		 active_at;	/* TNS_NONE if unknown */
	double		 value;
	char		*expr;		/* rule expression when known */
};

struct ev_alerts {
	struct alert	*a;
	size_t		 n;
};

extern const struct ev_ops alerts_ev_ops;

struct ev_alerts *ev_alerts_new(void);
/* Allocated copy of s[0..n), cut at ALERT_STR_MAX (whole UTF-8 sequences). */
char		 *alert_strndup(const char *s, size_t n);
struct alert	 *ev_alerts_add(struct ev_alerts *e);
void		  ev_alerts_free(void *p);

struct alerts_hist;
struct alerts_hist *alerts_hist_new(size_t cap);
void		    alerts_hist_free(struct alerts_hist *h);
/* Takes ownership of e. */
void		    alerts_hist_add(struct alerts_hist *h, tns t, struct ev_alerts *e);
/* Latest snapshot at or before `at` (NULL if none); *when gets its time. */
const struct ev_alerts *alerts_hist_at(const struct alerts_hist *h, tns at, tns *when);
/* Iterate all snapshots (timeline markers): i from 0 while it returns non-NULL. */
const struct ev_alerts *alerts_hist_nth(const struct alerts_hist *h, size_t i, tns *when);

#endif
