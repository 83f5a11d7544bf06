/* rowfilter: a regex filter for table rows (pods, events, log lines).
 * PCRE2 with UTF, smart case (case-insensitive unless the pattern has an
 * upper-case letter), and limits on pattern size, match steps, depth and
 * heap so a hostile pattern or line cannot freeze a frame
 * (robustness.md: PCRE2 defaults allow ~0.1 s per failing line). */
#ifndef SCRY_ROWFILTER_H
#define SCRY_ROWFILTER_H
#include <stddef.h>

struct rowfilter {
	void	*re;		/* pcre2_code_8 */
	void	*md;		/* pcre2_match_data_8 */
	void	*mc;		/* pcre2_match_context_8 */
	char	*pattern;	/* NULL: no filter */
};

/* Set (or with NULL/"" clear) the pattern; -1 with *err on a bad one. */
int	rowfilter_set(struct rowfilter *f, const char *pattern, char **err);
/* 1 if s matches (or there is no filter); start and end (if not NULL)
 * get the bytes of the first match. */
int	rowfilter_match(const struct rowfilter *f, const char *s, size_t n, size_t *start, size_t *end);
int	rowfilter_active(const struct rowfilter *f);
void	rowfilter_free(struct rowfilter *f);

#endif
