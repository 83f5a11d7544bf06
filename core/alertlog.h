/* alertlog: alert transitions (pending, firing, resolved) derived from a
 * time-ordered sequence of complete alert snapshots (ev_alerts), for the
 * replay timeline and the incident notebook.  An alert is identified by
 * its label set; it resolves when it leaves the list. */
#ifndef SCRY_ALERTLOG_H
#define SCRY_ALERTLOG_H
#include <stddef.h>
#include <stdint.h>

#include "core/alerts.h"

enum alert_change_kind { AC_PENDING, AC_FIRING, AC_RESOLVED };

/* Called for each transition; label is "alertname (subject)" (raw). */
typedef void (*alertlog_fn)(void *ctx, tns t, enum alert_change_kind k, const char *label);

struct alertlog {
	struct alertlog_seen {
		uint64_t	 id;
		int		 firing;
		char		*label;
	}		*seen;
	size_t		 n;
};

void	alertlog_init(struct alertlog *l);
void	alertlog_free(struct alertlog *l);
/* Feed the next snapshot (its time t); reports the transitions since the
 * previous one. */
void	alertlog_feed(struct alertlog *l, tns t, const struct ev_alerts *e, alertlog_fn fn, void *ctx);
/* "HighLatency (order)": alertname and the first of service,
 * destination_service_name, ..., instance.  Allocated. */
char   *alert_label(const struct alert *al);

#endif
