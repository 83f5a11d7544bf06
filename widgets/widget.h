/* widget: the interface every panel type implements.
 *
 * A widget class is a const struct of function pointers (one file per
 * class: graph.c, stat.c, logs.c, ...) listed in widgets/registry.c.
 * Widgets read the store through the context (time window, cursor) and
 * draw onto a canvas of exactly their panel's inside; they never call
 * libcurl or ncurses.  Input reaches them only as keys; they ask the app
 * for anything beyond their panel (pivots, messages) through wctx->api. */
#ifndef SCRY_WIDGET_H
#define SCRY_WIDGET_H
#include <stddef.h>
#include <stdint.h>

#include "core/braille.h"
#include "core/canvas.h"
#include "core/dashboard.h"
#include "core/store.h"
#include "core/view.h"

struct panel;

/* App services a widget may call (implemented in tui/). */
struct wapi {
	/* Open a temporary panel over the screen (pivot); Esc returns.
	 * cfg is copied.  Returns 0 or -1. */
	int	(*push)(void *app, const struct dash_panel *cfg, const char *why);
	/* Move the shared time cursor. */
	void	(*set_cursor)(void *app, tns t);
	/* One-line message in the status bar. */
	void	(*message)(void *app, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
	/* Ask the app to refetch the panel's data now. */
	void	(*refetch)(void *app, struct panel *p);
	/* Like push, but the pushed view shows the window [start, end]
	 * (paused) with the time cursor at `cursor` (TNS_NONE: none); Esc
	 * restores the window it came from.  Returns 0 or -1. */
	int	(*push_window)(void *app, const struct dash_panel *cfg, const char *why, tns start,
		    tns end, tns cursor);
	/* Open the command line with a one-character label (kind); on Enter
	 * the app calls the focused widget's prompt() with the text. */
	void	(*prompt)(void *app, int kind, const char *label);
	/* Draw again soon: work was left for the next frame (time budget). */
	void	(*again)(void *app);
	/* Copy text to the terminal's clipboard (OSC 52, only on request).
	 * Returns 0 or -1 with *err. */
	int	(*copy)(void *app, const char *text, size_t len, char **err);
	/* Open the generated page of one service (issue 9: --service, the
	 * topology's Enter on a node).  Optional: NULL when the app cannot;
	 * returns 0 or -1 (the app says why). */
	int	(*open_service)(void *app, const char *service);
	/* Set the app-wide focus service (NULL: clear it): graphs, logs and
	 * pods show only what belongs to it (widgets/focus.h); Esc clears it
	 * and the status bar shows it.  ns may be NULL or "". */
	void	(*set_focus)(void *app, const char *service, const char *ns);
};

/* Everything a widget may read while drawing or handling a key. */
struct wctx {
	struct store		*store;
	const struct view	*view;
	tns			 now;		/* live now or replay's virtual now */
	tns			 start, end;	/* the window at `now` */
	enum glyphset		 gs;		/* braille / block / ascii */
	enum colormode		 cm;		/* 256 / 8 colours / mono (density glyphs) */
	int			 ascii;		/* no line-drawing characters */
	int			 focused;
	int			 inside;	/* zoomed or a pivot view: the widget owns the keys */
	const struct dashboard	*db;
	const struct wapi	*api;
	void			*app;
	const char		*focus;		/* the focus service, or NULL (widgets/focus.h) */
	const char		*focus_ns;	/* its namespace, or NULL */
};

/* What a panel needs fetched: one entry per query and kind. */
struct need {
	size_t		 qi;		/* index into cfg->q */
	const char	*kind;		/* "range", "instant", "alerts", ... */
	tns		 step;		/* range: wanted resolution; 0 otherwise */
	int		 limit;
	tns		 start, end;	/* an explicit window (both 0: the view's) */
	tns		 before;	/* logs: also load lines older than this (0: no) */
	/* Generated queries (the topology): an expression instead of
	 * cfg->q[qi] (the widget keeps it alive until its next needs()), a
	 * source by name instead of the query's or the panel's, and for
	 * instant queries the evaluation time (0: the window's end; a change
	 * of it refetches at once). */
	const char	*expr;
	const char	*source;
	tns		 at;
	/* Auxiliary data (graph exemplars, the topology's pods): its errors
	 * and waits do not make the panel "stale", "error" or "waiting"; the
	 * widget says what is missing itself. */
	int		 aux;
};

#define NEED_MAX	16

/* A panel on screen: config, widget state, geometry, its data keys. */
struct panel {
	const struct dash_panel		*cfg;
	const struct widget_class	*cls;
	void				*w;		/* widget state */
	struct rect			 r;		/* outer rectangle incl. border */
	int				 visible;
	struct need			 need[NEED_MAX];
	char				*key[NEED_MAX];	/* query key for need[i] (NULL: no source) */
	size_t				 nneed;
	char				*nosrc;		/* why there is no data source, or NULL */
	char				*error;		/* configuration problem of this panel, or NULL */
	int				 insecure;	/* a source has TLS verification off */
	int				 owns_cfg;	/* pushed panels own a copy of cfg */
	int				 collapsed;	/* rows: children hidden (runtime) */
};

struct widget_class {
	const char		 *name;		/* the panel "type" */
	const char		 *help;
	const char *const	 *source_types;	/* accepted source types; NULL = none needed */
	const char *const	 *option_keys;	/* keys accepted inside "options" */
	/* Parse options into p->w; report problems with positions. */
	int	(*init)(struct panel *p, const struct jdoc *doc, struct diag *dg);
	void	(*free)(struct panel *p);
	/* Fill needs for an inside of w x h cells; returns how many. */
	size_t	(*needs)(struct panel *p, const struct wctx *c, int w, int h, struct need *out, size_t max);
	void	(*draw)(struct panel *p, struct canvas *cv, const struct wctx *c);
	/* Returns WK_* flags. */
	int	(*key)(struct panel *p, int key, const struct wctx *c);
	/* '/' search inside the panel; optional. */
	int	(*search)(struct panel *p, const char *pattern, const struct wctx *c, char **err);
	/* The text of a prompt the widget opened with wapi.prompt; optional. */
	int	(*prompt)(struct panel *p, int kind, const char *text, const struct wctx *c, char **err);
	/* Has the store any data to draw for this panel? Optional (default:
	 * any of its keys has data). */
	int	(*has_data)(struct panel *p, const struct wctx *c);
	/* The selected item an annotation can be attached to (a log line, a
	 * trace id): copy it into buf and return 1, or return 0.  Optional. */
	int	(*selection)(struct panel *p, const struct wctx *c, char *buf, size_t n);
	/* `:export WHAT FILE`: write it and return 1, 0 when this widget has
	 * no WHAT, -1 with *err.  Optional. */
	int	(*export)(struct panel *p, const char *what, const char *path, const struct wctx *c,
		    char **err);
};

/* Key codes: printable keys are their Unicode code point; the rest
 * are these (mapped from ncurses by tui/term.c). */
enum {
	K_ESC = 27,
	K_ENTER = '\n',
	K_BASE = 0x110000,
	K_UP, K_DOWN, K_LEFT, K_RIGHT, K_PGUP, K_PGDN, K_HOME, K_END,
	K_BTAB, K_BACKSPACE, K_DELETE, K_RESIZE, K_MOUSE,
	K_F1, K_F2, K_F3, K_F4, K_F5,
	K_CTRL_C = 3, K_CTRL_L = 12, K_CTRL_U = 21, K_CTRL_W = 23,
	K_CTRL_D = 4, K_CTRL_B = 2, K_CTRL_F = 6, K_TAB = 9,
};

#define WK_IGNORED	0
#define WK_HANDLED	1
#define WK_REFETCH	2
#define WK_RELAYOUT	4	/* geometry changed (row collapsed/expanded) */

/* registry.c */
extern const struct widget_class *const widget_classes[];
const struct widget_class *widget_class_find(const char *type);
/* Validate every panel of a dashboard against its class (--check). */
void	widgets_check(const struct dashboard *db, struct diag *dg);

/* Helpers shared by widgets (widget.c). */
/* A "nice" step for a window drawn over `dots` horizontal dots. */
tns	widget_step(tns range, int dots, tns min_step);
/* Wall-clock labels for [a, b] along row y from column x0, w wide. */
void	widget_time_axis(struct canvas *cv, int x0, int w, int y, tns a, tns b, int utc);
/* The smallest useful step for the panel: its "min_step" option when set
 * (opt > 0), else the scrape interval of its source (the source's
 * "scrape_interval", default 15s), as Grafana's min interval: a finer step
 * only repeats samples. */
tns	widget_min_step(const struct panel *p, const struct wctx *c, tns opt);
/* Colour role for value v against the panel's thresholds (or dflt). */
enum role widget_threshold_role(const struct dash_panel *cfg, double v, enum role dflt);
/* One sparkline row over [a, b]: each cell shows the largest finite value
 * of its time slice on the glyph ladder (blank where there are no points:
 * gaps stay visible).  lo/hi NAN = the row's own range. */
void	widget_sparkline(struct canvas *cv, int x, int y, int w, const struct series *s,
	    tns a, tns b, double lo, double hi, enum glyphset gs, enum role role);
/* Has s any point (NaN included) inside [a, b]?  Series the store keeps
 * from other windows but without points in this one are not listed. */
int	widget_series_in(const struct series *s, tns a, tns b);
/* The expression of panel query qi, or "" (panels without queries). */
const char *widget_expr(const struct dash_panel *cfg, size_t qi);

#endif
