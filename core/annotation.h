/* annotation: a note the user pinned to a moment (the incident notebook).
 * Annotations are events too, so they are recorded and replayed. */
#ifndef SCRY_ANNOTATION_H
#define SCRY_ANNOTATION_H
#include <stddef.h>

#include "core/event.h"

struct ev_annotation {
	tns	 at;		/* the moment it is about */
	char	*text;
	int	 panel_id;	/* 0 = dashboard-wide */
	char	*ref;		/* attached log line / trace id, or NULL */
};

extern const struct ev_ops annotation_ev_ops;

struct ev_annotation *annotation_new(tns at, const char *text, int panel_id, const char *ref);
void		      annotation_free(void *p);

/* Sorted, bounded list of annotations. */
struct annotation_list {
	struct ev_annotation	**a;
	size_t			  n, cap, max;
};
void	annotation_list_add(struct annotation_list *l, struct ev_annotation *a);	/* takes it */
void	annotation_list_free(struct annotation_list *l);

#endif
