/* logs: state shared by the log pane's files (logs.c: the widget,
 * logdetail.c: the detail view, loglens.c: trace links and the lens). */
#ifndef SCRY_LOGS_WIDGET_H
#define SCRY_LOGS_WIDGET_H
#include <stddef.h>
#include <stdint.h>

#include "core/logline.h"
#include "widgets/logfilter.h"
#include "widgets/logview.h"
#include "widgets/widget.h"

struct lsel {
	int		k;		/* -1: nothing selected */
	tns		t;
	uint64_t	seq;
};

struct logs_state {
	/* options */
	int			 limit;
	int			 wrap;
	int			 dim;
	char			*label;		/* stream label to show; NULL = pod, app, ... */
	tns			 lens_window;
	char			*lens_trace;	/* set: this pane is a trace lens */
	tns			 lens_at;
	/* filters and the timeline */
	struct lfset		 fs;
	struct logview		 lv;
	char			*keys[LF_KEYS];
	/* what the user sees */
	int			 follow, paused;
	struct lsel		 sel;
	int			 selrow;
	int			 hscroll;
	int			 detail, detail_scroll;
	int			 rows;		/* text rows at the last draw (page size) */
	int			 want_older;
	int			 older_pending;
	int64_t			 older_since;
	uint64_t		 older_gen[LF_KEYS];
	tns			 oldest[LF_KEYS];
	int			 lens_placed;
	struct extractors	 ex;
	int			 ex_ready;
	int			 label_w;
	uint64_t		 label_gen;
	char			*msg;		/* one-shot note for the status row */
	int64_t			 hl_deadline;	/* highlighting stops here (this frame) */
};

/* logdetail.c */
void	logdetail_draw(struct logs_state *s, const struct lline *l, struct canvas *cv,
	    const struct wctx *c);
int	logdetail_key(struct logs_state *s, struct panel *p, int key, const struct wctx *c);

/* loglens.c */
/* The trace id of a line (text extractors, then stream labels): 1 and an
 * allocated id, with its byte range in the text (or ms == me). */
int	loglens_trace_id(struct logs_state *s, const struct wctx *c, const struct lline *l,
	    char **id, size_t *ms, size_t *me);
/* Enter on a line with a trace id: the trace's waterfall above the lens
 * (widgets/tracelogs.c) when a tempo or jaeger source is configured and
 * the id is a hex trace id, else the trace lens.  force_lens (L) skips
 * the waterfall.  Either pushes a view (Esc restores this one, cursor
 * included) and puts the time cursor on the line while it is open. */
int	loglens_open(struct logs_state *s, struct panel *p, const struct wctx *c, const char *id,
	    tns at, int force_lens);
void	loglens_extractors(struct logs_state *s, const struct dashboard *db);

/* logs.c, for the helpers */
const struct labelset *logs_stream(const struct logs_state *s, const struct lline *l);
int	logs_copy(struct logs_state *s, const struct wctx *c, const char *text, size_t len,
	    const char *what);

#endif
