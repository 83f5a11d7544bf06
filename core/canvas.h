/* canvas: a grid of cells (code point + role + attributes).
 *
 * Widgets draw only through a canvas.  canvas_sub() gives a view onto a
 * rectangle of a parent canvas with its own origin; every drawing call
 * clips to the view, so a widget can never draw outside its panel.  Text
 * from anywhere passes through the sanitiser (canvas_text); single glyphs
 * (canvas_put) are for scry's own drawing characters and are checked too.
 * A wide glyph that would straddle the right edge becomes a space.
 * The terminal layer and --snapshot both render the same canvas. */
#ifndef SCRY_CANVAS_H
#define SCRY_CANVAS_H
#include <stddef.h>
#include <stdint.h>

#include "core/theme.h"

#define CF_WIDE_TAIL	0x01	/* right half of a wide glyph */

struct cell {
	uint32_t	ch;	/* code point; ' ' for blank */
	uint32_t	comb;	/* one combining mark, or 0 */
	uint8_t		role;	/* enum role */
	uint8_t		attr;	/* CA_* added to the role's style */
	uint8_t		flags;	/* CF_* */
	uint8_t		pad;
};

struct rect {
	int	x, y, w, h;
};

struct canvas {
	struct cell	*cells;		/* shared with the root canvas */
	int		 stride;	/* cells per row of the root */
	int		 ox, oy;	/* origin of this view in the root */
	int		 w, h;		/* size of this view */
	int		 owner;		/* this canvas owns cells */
};

struct canvas	*canvas_new(int w, int h);
void		 canvas_free(struct canvas *cv);
void		 canvas_resize(struct canvas *cv, int w, int h);
/* A view onto r (in cv's coordinates), clipped to cv. */
struct canvas	 canvas_sub(const struct canvas *cv, struct rect r);
struct cell	*canvas_cell(const struct canvas *cv, int x, int y);	/* NULL outside */
void		 canvas_fill(struct canvas *cv, struct rect r, uint32_t ch, enum role role, uint8_t attr);
void		 canvas_clear(struct canvas *cv, enum role role);
/* Put one trusted glyph (box drawing, braille, markers).  Controls and
 * invisible characters are refused (drawn as '?'). */
void		 canvas_put(struct canvas *cv, int x, int y, uint32_t ch, enum role role, uint8_t attr);
/* Change role/attr of existing cells in r (selection, cursor column). */
void		 canvas_restyle(struct canvas *cv, struct rect r, int role, uint8_t attr_or);

/* A byte range of the text drawn with another role/attr (matches, links). */
struct text_span {
	size_t		start, end;	/* byte offsets into the text */
	uint8_t		role;
	uint8_t		attr;
};

struct text_opts {
	enum role		 role;
	uint8_t			 attr;
	unsigned		 san;		/* SAN_* flags */
	int			 skip;		/* columns to skip (horizontal scroll) */
	int			 ellipsis;	/* mark cut text with … in the last column */
	const struct text_span	*spans;		/* sorted by start, may overlap */
	size_t			 nspans;
};

/* Draw untrusted text at (x,y), at most maxw columns (<0: to the edge).
 * Returns the columns drawn; *consumed (if not NULL) gets the bytes of
 * input that fit (for wrapping). */
int	canvas_text(struct canvas *cv, int x, int y, int maxw, const char *s, size_t len,
	    const struct text_opts *o, size_t *consumed);
/* Convenience: NUL-terminated text with a role. */
int	canvas_str(struct canvas *cv, int x, int y, int maxw, const char *s, enum role role, uint8_t attr);
/* Trusted printf-formatted text (our own strings). */
int	canvas_printf(struct canvas *cv, int x, int y, int maxw, enum role role, uint8_t attr,
	    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Right-aligned text ending at column xr (exclusive). Returns start column. */
int	canvas_str_right(struct canvas *cv, int xr, int y, const char *s, enum role role, uint8_t attr);

/* Box drawing; ascii selects +-| instead of line characters. */
void	canvas_box(struct canvas *cv, struct rect r, enum role role, uint8_t attr, int ascii);
void	canvas_hline(struct canvas *cv, int x, int y, int w, uint32_t ch, enum role role, uint8_t attr);
void	canvas_vline(struct canvas *cv, int x, int y, int h, uint32_t ch, enum role role, uint8_t attr);

/* Plain-text rendering of the whole canvas (one line per row, trailing
 * spaces trimmed), for snapshots and tests; appended to b. */
struct buf;
void	canvas_to_text(const struct canvas *cv, struct buf *b);
/* The same, with every glyph mapped by canvas_ascii() when ascii is set
 * (a terminal or snapshot in a non-UTF-8 locale). */
void	canvas_dump(const struct canvas *cv, struct buf *b, int ascii);
/* ASCII stand-in for a glyph: line drawing becomes - | +, blocks #, the
 * ellipsis '.', anything else outside ASCII '?'. */
uint32_t canvas_ascii(uint32_t cp);
/* Text of one row of the view (tests). Allocated. */
char   *canvas_row_text(const struct canvas *cv, int y);
/* Do two canvases of equal size differ in row y? */
int	canvas_row_differs(const struct canvas *a, const struct canvas *b, int y);

#endif
