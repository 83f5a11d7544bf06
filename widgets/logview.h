/* logview: one merged, time-ordered timeline over the log keys of a pane.
 *
 * Each key's lines are already in time order in the store; the merged
 * order is (time, key index, position in the key).  A cursor (struct
 * mcur) sits *between* lines: pos[k] lines of key k come before it.
 * Moving it one line is a k-way choice over the keys, so walking costs
 * O(keys) per line and nothing is copied: the pane touches only the lines
 * it draws (plus the hidden ones it steps over).
 * Visibility combines the level threshold, the filters (logfilter.h) and
 * the time limit (lines after the window end of a paused/panned view). */
#ifndef SCRY_LOGVIEW_H
#define SCRY_LOGVIEW_H
#include <stddef.h>
#include <stdint.h>

#include "core/logstore.h"
#include "widgets/logfilter.h"

struct lline {
	int			 k;		/* key index */
	size_t			 pos;		/* position in that key */
	uint64_t		 seq;
	const struct lrec	*r;
	const char		*text;
};

struct mcur {
	size_t	pos[LF_KEYS];
};

struct logview {
	size_t			 nk;
	const struct logbuf	*b[LF_KEYS];	/* NULL: no lines for that key yet */
	const struct lfset	*fs;
	int			 level_min;	/* LV_NONE = every line */
	tns			 until;		/* hide lines after this (TNS_NONE: none) */
	int			 dim;		/* filtered-out lines are shown dimmed */
	/* the focus service (widgets/focus.h): only its streams are shown */
	char			 focus[256], focus_ns[256];	/* "" none */
	uint8_t			*fok[LF_KEYS];	/* per stream id: belongs to the focus */
	uint32_t		 nfok[LF_KEYS];
	size_t			 capfok[LF_KEYS];
	const struct logbuf	*fokb[LF_KEYS];	/* the buffer the cache was built for */
};

void	lv_begin(const struct logview *v, struct mcur *c);
void	lv_end(const struct logview *v, struct mcur *c);
/* The line before/after the cursor, moving past it; 0 at either end. */
int	lv_prev(const struct logview *v, struct mcur *c, struct lline *out);
int	lv_next(const struct logview *v, struct mcur *c, struct lline *out);
/* 1 shown (then *dimmed says whether filtered out in dim mode), 0 hidden. */
int	lv_shown(const struct logview *v, const struct lline *l, int *dimmed);
/* Skip hidden lines; 0 at either end (after scanning at most `max`
 * lines when max > 0). */
int	lv_prev_shown(const struct logview *v, struct mcur *c, struct lline *out, size_t max);
int	lv_next_shown(const struct logview *v, struct mcur *c, struct lline *out, size_t max);
/* The cursor just before line (k, t, seq) (where it would be if evicted). */
void	lv_cursor_at(const struct logview *v, int k, tns t, uint64_t seq, struct mcur *c);
/* Lines held in all keys. */
size_t	lv_total(const struct logview *v);
/* Follow the focus service (NULL: none): caches which streams belong to
 * it, extended for new streams; call before drawing. */
void	lv_focus(struct logview *v, const char *svc, const char *ns);
void	lv_free(struct logview *v);

#endif
