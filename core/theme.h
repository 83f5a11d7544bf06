/* theme: semantic style roles and their mapping to colours/attributes.
 * Widgets only ever name roles; a theme file maps each role to a
 * foreground, a background and attributes.  The mapping degrades with the
 * terminal: 256 colours -> 8 colours -> monochrome (attributes only). */
#ifndef SCRY_THEME_H
#define SCRY_THEME_H
#include <stdint.h>

#include "core/diag.h"

enum role {
	ROLE_DEFAULT,
	ROLE_TEXT,
	ROLE_DIM,
	ROLE_TITLE,
	ROLE_BORDER,
	ROLE_FOCUS,		/* focused panel border and title */
	ROLE_AXIS,
	ROLE_GRID,
	ROLE_LEGEND,
	ROLE_SERIES1, ROLE_SERIES2, ROLE_SERIES3, ROLE_SERIES4,
	ROLE_SERIES5, ROLE_SERIES6, ROLE_SERIES7, ROLE_SERIES8,
	ROLE_OK,
	ROLE_WARN,
	ROLE_ERROR,
	ROLE_CRITICAL,
	ROLE_INFO,
	ROLE_STALE,
	ROLE_SELECTION,
	ROLE_CURSOR,		/* the shared time cursor */
	ROLE_TRACELINK,		/* trace ids in logs, exemplars */
	ROLE_MATCH,		/* search/filter matches */
	ROLE_ESCAPE,		/* visible escape forms of hostile bytes */
	ROLE_STATUSBAR,
	ROLE_STATUSKEY,
	ROLE_CMDLINE,
	ROLE_HELP,
	ROLE_BADGE,		/* warning badges (insecure TLS, dropped data) */
	ROLE_THRESHOLD,
	ROLE_MARKER,		/* annotations, change markers */
	ROLE_HEAT1, ROLE_HEAT2, ROLE_HEAT3, ROLE_HEAT4,
	ROLE_HEAT5, ROLE_HEAT6, ROLE_HEAT7, ROLE_HEAT8,
	ROLE_WARN_AREA,		/* graph area beyond a warn threshold (background) */
	ROLE_ERROR_AREA,	/* ... beyond an error/critical threshold */
	ROLE_COUNT
};
#define ROLE_SERIES(i)	((enum role)(ROLE_SERIES1 + ((unsigned)(i) % 8)))
#define ROLE_HEAT(i)	((enum role)(ROLE_HEAT1 + ((i) < 0 ? 0 : (i) > 7 ? 7 : (i))))

/* attribute bits, shared by themes and canvas cells */
#define CA_BOLD		0x01
#define CA_DIM		0x02
#define CA_UNDERLINE	0x04
#define CA_REVERSE	0x08
#define CA_ITALIC	0x10
#define CA_BLINK	0x20

#define COLOR_DEFAULT	(-1)

struct style {
	int16_t	fg;	/* COLOR_DEFAULT or 0..255 */
	int16_t	bg;
	uint8_t	attr;	/* CA_* */
};

enum colormode { CM_MONO, CM_8, CM_256 };

struct theme {
	char		*name;
	struct style	 role[ROLE_COUNT];
};

const char	*role_name(enum role r);
int		 role_from_name(const char *name);	/* -1 if unknown */
/* Built-in default (dark) theme. */
void		 theme_default(struct theme *t);
/* Parse theme text ("role = fg bg attrs" lines) over the defaults. */
int		 theme_parse(struct theme *t, const char *text, size_t len, const char *fname, struct diag *d);
/* Find NAME.theme in $XDG_CONFIG_HOME/scry/themes, ./themes, DATADIR/themes,
 * or a path; load it.  Returns 0, or -1 with a diagnostic. */
int		 theme_load(struct theme *t, const char *name_or_path, struct diag *d);
void		 theme_free(struct theme *t);
/* The style to use for a role under a colour mode (degraded as needed). */
struct style	 theme_style(const struct theme *t, enum role r, enum colormode cm);
/* 256-colour index -> nearest of the 8 basic colours. */
int		 color_to_8(int c);
/* Parse a colour word ("default", "red", "bright-blue", "214", "#ff8800"). */
int		 color_parse(const char *s, int16_t *out);

#endif
