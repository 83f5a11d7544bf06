/* logfilter: the log pane's include/exclude filters and search, and the
 * per-line bit masks that make toggling them instant.
 *
 * Every line of every key the pane shows has one byte: bit i says whether
 * filter slot i matches, bit LF_SEARCH whether the search pattern does,
 * LF_LIMIT that a pattern hit its PCRE2 limit on that line.  Masks are
 * indexed by the store's seq numbers (arrival order), so new lines are
 * appended and processed once — the work per update scales with the new
 * lines, never with the retained ones.  A pattern added later is computed
 * for the older lines in the background (newest seqs first), within a time
 * budget per frame; toggling a filter on or off only changes which bits
 * are consulted, so it re-reads nothing.
 * Filters combine like lnav's: a line is shown when it matches any
 * include filter that is on (or there is none) and no exclude filter
 * that is on. */
#ifndef SCRY_LOGFILTER_H
#define SCRY_LOGFILTER_H
#include <stddef.h>
#include <stdint.h>

#include "core/logstore.h"

#define LF_MAX		6	/* filter slots */
#define LF_SEARCH	6	/* bit of the search pattern */
#define LF_NBITS	7
#define LF_LIMIT	0x80	/* a pattern hit its limit on this line */
#define LF_KEYS		16

struct rx;

struct lfilter {
	char		*pat;		/* NULL: slot unused */
	int		 exclude;
	int		 on;
	struct rx	*rx;
};

struct lmask {
	char		*key;
	uint64_t	 base;		/* seq of m[0] */
	uint8_t		*m;
	size_t		 n, cap;
	uint64_t	 hi;		/* bits in use are computed for seqs in [lo[b], hi) */
	uint64_t	 lo[LF_NBITS];
};

struct lfset {
	struct lfilter	 f[LF_MAX];
	struct rx	*search;
	char		*search_pat;
	struct lmask	 km[LF_KEYS];
	size_t		 nk;
	uint64_t	 limit_lines;	/* lines on which a pattern in use hit a limit */
	uint64_t	 gen;		/* bumped when filters change */
};

void	lfset_init(struct lfset *s);
void	lfset_free(struct lfset *s);
/* Add a filter (smart case); returns its slot, or -1 with *err. */
int	lfset_add(struct lfset *s, const char *pat, int exclude, char **err);
void	lfset_remove(struct lfset *s, int slot);
void	lfset_toggle(struct lfset *s, int slot);
/* Number of slots in use; the newest slot in use (-1 none). */
int	lfset_count(const struct lfset *s);
int	lfset_newest(const struct lfset *s);
/* Set (or with an empty pattern clear) the search; -1 with *err. */
int	lfset_search(struct lfset *s, const char *pat, char **err);
/* Use key index i for `key` (resets its masks when the key changes). */
void	lfset_bind(struct lfset *s, size_t i, const char *key);
/* Compute bits for new lines, then older lines for patterns added later,
 * until done or *budget_us is spent (it is decreased).  Returns 1 while
 * work remains. */
int	lfset_update(struct lfset *s, size_t i, const struct logbuf *b, int64_t *budget_us);
/* Verdict for one line: 1 shown, 0 hidden, -1 not computed yet.
 * *search (if not NULL) gets 1/0/-1 for the search bit. */
int	lfset_pass(const struct lfset *s, size_t i, uint64_t seq, int *search, int *limit);
/* Share of (line, pattern) pairs computed, 0..1 (1 = everything). */
double	lfset_progress(const struct lfset *s, size_t i, const struct logbuf *b);
/* Does any filter apply (on)? */
int	lfset_active(const struct lfset *s);
/* Match the search on one line now (for n/N over lines not computed yet). */
int	lfset_search_line(struct lfset *s, const char *text, size_t len, int valid_utf);

#endif
