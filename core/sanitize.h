/* sanitize: turn untrusted bytes into harmless display glyphs.
 *
 * Every byte of text that reaches the terminal passes through here (the
 * canvas calls it).  Policy (reference/robustness.md §1.4):
 *  - strict UTF-8: overlongs, surrogates, > U+10FFFF and truncated
 *    sequences show each bad byte as \xHH;
 *  - C0 controls (incl. ESC, CR, BS, LF) and DEL become caret forms ^[ ^M ^?;
 *    so an escape sequence can never pass: its ESC shows as ^[ and the rest
 *    as plain text;
 *  - C1 (U+0080..U+009F), bidi overrides/isolates, zero-width and other
 *    invisible format characters become <U+XXXX> placeholders;
 *  - TAB is expanded to the next multiple of 8 columns (relative to the
 *    start of the text);
 *  - a base character keeps at most SAN_MAX_COMBINING combining marks;
 *    further ones become placeholders;
 *  - code points with no width (wcwidth < 0) become placeholders.
 * Escape-form glyphs are marked so the canvas can draw them in the
 * "escape" style: evidence stays visible, never silently dropped. */
#ifndef SCRY_SANITIZE_H
#define SCRY_SANITIZE_H
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define SAN_MAX_COMBINING	1

enum glyph_kind {
	G_TEXT,		/* printable text, width 1 or 2 */
	G_ESC,		/* part of an escape form (^[, \xff, <U+202E>) */
	G_COMB,		/* combining mark for the previous glyph, width 0 */
	G_BREAK,	/* a line feed, only with SAN_BREAK_LF */
};

struct glyph {
	uint32_t	cp;
	uint8_t		width;
	uint8_t		kind;
	uint32_t	src;	/* byte offset in the input this glyph came from */
};

/* flags */
#define SAN_STRIP_SGR	0x01	/* hide complete "ESC [ digits;... m" colour sequences */
#define SAN_BREAK_LF	0x02	/* report LF as G_BREAK (multi-line detail views) */
#define SAN_NO_TABS	0x04	/* show TAB as ^I instead of expanding it */

struct san {
	const unsigned char	*s;
	size_t			 len;
	size_t			 pos;
	unsigned		 flags;
	int			 col;		/* columns produced so far (tabs) */
	int			 ncomb;		/* combining marks on current base */
	struct glyph		 pend[12];	/* queued escape-form glyphs */
	int			 npend, ipend;
};

void	san_init(struct san *sn, const char *s, size_t len, unsigned flags);
/* Next glyph; returns 0 at the end of input. */
int	san_next(struct san *sn, struct glyph *g);

/* Columns a code point occupies (-1 if unprintable), independent of the
 * user's locale: measured with wcwidth under a UTF-8 LC_CTYPE. */
int	uc_width(uint32_t cp);
/* Is cp one of the invisible/format characters we always make visible? */
int	uc_is_invisible(uint32_t cp);
/* Strict UTF-8 decode of one code point at s[0..len); returns bytes used
 * (1..4) and sets *cp, or 0 for an invalid/truncated sequence. */
size_t	utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Encode cp into out (>= 4 bytes); returns bytes written. */
size_t	utf8_encode(uint32_t cp, char *out);
/* How many bytes of s[0..n) to keep so at most max remain, never
 * splitting a UTF-8 sequence at the cut (n itself when n <= max). */
size_t	utf8_cut(const char *s, size_t n, size_t max);
/* Is the whole buffer valid UTF-8 (strict)? */
int	utf8_valid(const char *s, size_t len);

/* Bytes of s that fit in maxw columns (at least one glyph's bytes when
 * maxw > 0 and the text is not empty, so wrapping always advances);
 * *cols gets the columns they use.  Stops at a line feed. */
size_t	san_fit(const char *s, size_t len, int maxw, unsigned flags, int *cols);
/* Like san_fit, but prefers to break after a space (word wrap). */
size_t	san_wrap(const char *s, size_t len, int maxw, unsigned flags);
/* Display width of untrusted text after sanitising. */
int	san_width(const char *s, size_t len, unsigned flags);
/* Append the sanitised, displayable form of s to b as UTF-8 (escape forms
 * as plain text).  Used where text leaves scry other than via the canvas
 * (snapshots of errors, exports, the log file). */
void	san_to_buf(struct buf *b, const char *s, size_t len, unsigned flags);
/* Allocated sanitised copy, at most maxcols columns ("…" when cut; 0 = no limit). */
char   *san_dup(const char *s, size_t len, int maxcols);

#endif
