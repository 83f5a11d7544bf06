/* regex: the one PCRE2 wrapper (log filters, search, trace-id extractors).
 *
 * Every pattern is compiled with hard limits so a hostile or careless
 * pattern can never freeze the screen (reference/robustness.md T11):
 *  - pattern length <= RX_PATTERN_MAX bytes, parentheses nesting <= 64;
 *  - PCRE2_NEVER_BACKSLASH_C (\C could split a UTF-8 character);
 *  - match limit 100,000, depth limit 10,000, heap limit 8 MiB; patterns
 *    may lower these with (*LIMIT_MATCH=N) but never raise them;
 *  - JIT when available (falls back to the interpreter otherwise).
 * Subjects are matched in UTF mode with PCRE2_NO_UTF_CHECK when the
 * caller says they were validated once on ingest; invalid UTF-8 subjects
 * are matched byte-wise by a second, lazily compiled non-UTF program.
 * A limit hit is not an error: rx_match() returns RX_LIMIT so the caller
 * can mark that one line, and the hit is counted.
 * Not thread-safe: one match block per compiled pattern (the UI thread). */
#ifndef SCRY_REGEX_H
#define SCRY_REGEX_H
#include <stddef.h>
#include <stdint.h>

#define RX_PATTERN_MAX		4096
#define RX_MATCH_LIMIT		100000
#define RX_DEPTH_LIMIT		10000
#define RX_HEAP_LIMIT_KIB	8192

/* compile flags */
#define RX_CASELESS	0x1	/* case-insensitive */
#define RX_SMARTCASE	0x2	/* caseless unless the pattern has an upper-case letter */
#define RX_LITERAL	0x4	/* the pattern is a fixed string */

/* match results */
#define RX_NOMATCH	0
#define RX_MATCH	1
#define RX_LIMIT	(-1)	/* match, depth or heap limit hit on this subject */
#define RX_ERROR	(-2)	/* any other matching error */

struct rx;

/* Compile; NULL with *err ("missing ) at offset 7") on failure. */
struct rx	*rx_compile(const char *pat, size_t len, unsigned flags, char **err);
void		 rx_free(struct rx *r);
/* Match s[0..len); valid_utf: s is known to be valid UTF-8.  On a match,
 * ms and me (if not NULL) get the byte range of capture group `group` (0 =
 * the whole match; if the group did not participate, the whole match).
 * `from` is the offset to start at (for finding every match). */
int		 rx_match(struct rx *r, const char *s, size_t len, size_t from, int valid_utf,
		    int group, size_t *ms, size_t *me);
/* Number of capture groups in the pattern. */
int		 rx_groups(const struct rx *r);
/* Subjects on which a limit was hit, since compilation. */
uint64_t	 rx_limit_hits(const struct rx *r);
const char	*rx_pattern(const struct rx *r);
int		 rx_jit(const struct rx *r);	/* compiled with JIT? */

#endif
