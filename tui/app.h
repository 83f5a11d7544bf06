/* app: the running program — dashboard, store, sources, panels, view,
 * focus, overlays — and the loop glue between them.
 *
 * Data flows one way: sources emit events -> app_emit() (record, apply to
 * the store, mark dirty) -> render() draws panels from the store onto the
 * canvas -> the terminal (or --snapshot) shows the canvas.  Keys flow the
 * other way only as intent: they change the view, focus or a widget's
 * state, or ask the scheduler for data. */
#ifndef SCRY_APP_H
#define SCRY_APP_H
#include <stddef.h>
#include <stdint.h>

#include "core/braille.h"
#include "core/canvas.h"
#include "core/dashboard.h"
#include "core/loop.h"
#include "core/sched.h"
#include "core/store.h"
#include "core/theme.h"
#include "core/vclock.h"
#include "core/view.h"
#include "sources/source.h"
#include "widgets/widget.h"

enum color_opt { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct options {
	const char	*dashboard;
	const char	*prom_url, *loki_url, *tempo_url, *jaeger_url;
	const char	*context, *namespace, *kubeconfig;
	const char	*request_timeout;	/* kubectl --request-timeout */
	int		 all_namespaces;
	const char	*theme;
	tns		 range, refresh;
	const char	*record, *replay;
	int		 snapshot;
	int		 cols, rows;		/* --size */
	tns		 at;			/* --at, TNS_NONE if unset */
	const char	*at_str;		/* --at as given (replay re-reads it) */
	enum color_opt	 color;
	const char	*check;
	const char	*log_file;
	int		 utc;
	int		 mouse;
	int		 max_fps;
	const char	*glyphs;		/* braille, block, ascii or NULL (auto) */
	tns		 timeout;		/* --snapshot wait */
	int		 debug;
	/* imports (Grafana dashboards, SLO files) */
	const char	*convert;		/* --convert FILE */
	const char	*dsmap[64];		/* --map-datasource KEY=NAME */
	size_t		 ndsmap;
	const char	*grafana_ds;		/* --grafana-datasources FILE */
	const char	*slo[32];		/* --slo FILE */
	size_t		 nslo;
	const char	*service;		/* --service NAME: open its generated page */
	size_t		 log_bytes;		/* --log-buffer, 0 = default */
	int		 demo;			/* bare scry: replaying the bundled demo */
};

/* Load a dashboard as the options say (file, Grafana import, --slo);
 * NULL with errors in dg.  Used by the terminal, --check and --convert. */
struct dashboard *app_open_dashboard(const struct options *o, const char *path, struct diag *dg);
/* The --convert text (allocated) or NULL with errors in dg. */
char	*app_convert_dashboard(const struct options *o, struct diag *dg);

/* A fetch unit the app has asked the scheduler for. */
struct unit {
	struct source	*src;
	char		*expr_tmpl;	/* query with dashboard variables expanded */
	char		*kind;
	tns		 range;		/* window width when requested */
	const cJSON	*qcfg;
	int		 limit;
	tns		 start, end;	/* explicit window from the need (0: the view's) */
	tns		 before;
	tns		 at;		/* instant: evaluation time from the need (0: the window end) */
};

/* Panels pushed over the screen by pivots; Esc pops. */
struct overlay {
	struct panel	 panel;
	struct dash_panel cfg;
	char		*why;
	int		 saved_focus;
	int		 saved_zoom;
	struct view	 saved_view;
	int		 saved_scroll;	/* dashboard scroll and whether it follows the focus */
	int		 saved_follow;
};

enum mode { MODE_NORMAL, MODE_COMMAND, MODE_SEARCH, MODE_HELP, MODE_LOG, MODE_VARS, MODE_NOTE,
	MODE_PROMPT };

struct recorder;
struct replay;

struct app {
	struct options		 opt;
	struct dashboard	*db;
	struct store		*store;
	struct loop		*loop;
	struct sched		 sched;
	struct source_env	 env;
	struct source		**src;		/* parallel to db->src (NULL if unavailable) */
	char			**src_err;	/* why a source could not be created */
	struct panel		*panels;	/* parallel to db->panels */
	size_t			 npanels;
	struct overlay		*ov;		/* stack of pushed panels */
	size_t			 nov, capov;
	struct view		 view;
	struct theme		 theme;
	enum colormode		 cm;
	enum glyphset		 gs;
	int			 ascii;		/* no UTF-8 line drawing */
	int			 focus;		/* index into panels, -1 none */
	int			 zoom;		/* zoomed panel index or -1 */
	int			 scroll;	/* dashboard vertical scroll (rows) */
	int			 content_h;	/* dashboard height in rows */
	enum mode		 mode;
	char			 input[512];	/* command line / search text */
	int			 prompt_kind;	/* MODE_PROMPT: what the widget asked for */
	char			 prompt_label[16];
	int			 again;		/* a widget has work for the next frame */
	size_t			 ninput;
	size_t			 input_cur;
	char			 msg[256];
	int			 msg_error;
	int64_t			 msg_until;	/* monotonic ms */
	int			 help_scroll;
	int			 log_scroll;
	int			 cols, rows;	/* screen size */
	struct canvas		*cv;
	int			 dirty;		/* something to redraw */
	int			 relayout;
	uint64_t		 drawn_gen;	/* store generation last drawn */
	int64_t			 last_frame_ms;
	uint64_t		 frame_timer;
	uint64_t		 tick_timer;
	uint64_t		 sched_timer;
	int			 quit;		/* 0, or exit code + 1 */
	int			 quit_signal;	/* re-raise this after restore */
	int			 tty;		/* running on the terminal */
	uint64_t		 frames;	/* frames drawn (bench, tests) */
	int			 timed;		/* the last frame shows something that
						   changes with time (ages, a live graph) */
	int			 repaint;	/* Ctrl-L: full repaint on the next frame */
	int			 follow_focus;	/* scroll the dashboard to the focus */
	int			 mouse_x, mouse_y, mouse_btn;	/* behind K_MOUSE */
	void			*vars;		/* variable picker state (tui/vars.c) */
	tns			 replay_now;	/* virtual now in replay (or frozen for a
						   snapshot), 0 live */
	/* recording and replay (tui/timeline.c, tui/notes.c) */
	struct recorder		*rec;		/* --record */
	uint64_t		 rec_timer;
	tns			 rec_digest_at;	/* last digest recorded */
	struct replay		*rp;		/* --replay */
	int			 note_attach;	/* note prompt: 0 dashboard, 1 panel, 2 + ref */
	char			 note_ref[256];	/* the focused widget's selection */
	tns			 note_at;	/* the moment the note is about */
	struct vclock		 clock;		/* SCRY_DEMO_CLOCK (demo, tests): live now
						   is virtual and refreshes speed up */
	void			*svc;		/* generated service pages (tui/svcview.c) */
	/* the focus service (widgets/focus.h): "" none */
	char			 focus_svc[256];
	char			 focus_ns[256];
};

int	app_init(struct app *a, const struct options *o, char **err);
void	app_free(struct app *a);
/* The time the screen shows as "now" (wall clock, the demo clock, --at, or
 * replay). */
tns	app_now(const struct app *a);
/* Build panels and their fetch units for the current size. */
void	app_layout(struct app *a);
/* Start due fetches; arm the scheduler timer. */
void	app_schedule(struct app *a);
/* Render everything onto a->cv. */
void	app_render(struct app *a);
void	app_message(struct app *a, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Handle one key (ncurses key code or wide char). */
void	app_key(struct app *a, int key);
/* Request a redraw soon (respecting the frame cap). */
void	app_dirty(struct app *a);
/* Run a ':' command line. */
void	app_command(struct app *a, const char *line);
/* Run a '/' search in the focused panel. */
void	app_search(struct app *a, const char *pattern);
/* Hand the text of a widget's prompt to the focused widget. */
void	app_widget_prompt(struct app *a, int kind, const char *text);
/* The widget context for drawing or keys. */
void	app_wctx(struct app *a, struct wctx *c, int focused);
struct panel *app_focused(struct app *a);
/* Panels for every panel of a->db (after a->db changed), and their end. */
void	app_panels_create(struct app *a);
void	app_panels_free(struct app *a);
int	app_push(struct app *a, const struct dash_panel *cfg, const char *why);
/* Push with its own time window (paused at end) and cursor. */
int	app_push_window(struct app *a, const struct dash_panel *cfg, const char *why, tns start,
	    tns end, tns cursor);
void	app_pop(struct app *a);
/* Set (service non-NULL, non-empty) or clear the focus service. */
void	app_set_focus(struct app *a, const char *service, const char *ns);
/* Panel-state text and role for the frame badge; "" if fresh. */
void	app_panel_state(struct app *a, struct panel *p, char *badge, size_t n, enum role *role,
	    int *has_data, const struct ev_status **last, int *state);

/* Rows the dashboard gets (the screen minus status bar and timeline). */
int	app_body_rows(const struct app *a);
/* Start recording into a new file (--record). 0 or -1 with *err. */
int	app_record(struct app *a, const char *path, char **err);
/* Finish the recording, if any (exit paths); prints problems to stderr. */
void	app_end_recording(struct app *a);

/* timeline.c: the replay bar, replay keys, the recording badge */
void	timeline_draw(struct app *a, struct canvas *cv, int y);
int	timeline_key(struct app *a, int key);
/* " REC 1.2 MB " style badge text for the status bar; "" if none. */
void	timeline_badge(struct app *a, char *dst, size_t n, enum role *role);
/* :goto in replay: move the virtual now; returns 1 if it handled it. */
int	timeline_goto(struct app *a, const char *arg);
/* A time inside the recording: RFC3339, unix seconds, HH:MM[:SS] on the
 * recording's day, now-10m (from its end) or +10m (from its start). */
int	timeline_parse_time(struct app *a, const char *s, tns *t, char **err);

/* notes.c: annotations and the incident notebook */
void	notes_open_prompt(struct app *a);
/* Tab in the note prompt: cycle what the note is attached to. */
void	notes_cycle_attach(struct app *a);
/* Enter in the note prompt. */
void	notes_commit(struct app *a, const char *text);
/* The prompt's label ("note 02:17:42 · panel P99 latency"). */
void	notes_prompt_label(struct app *a, char *dst, size_t n);
void	notes_add(struct app *a, tns at, const char *text, int panel_id, const char *ref);
/* :export notes FILE.md */
int	notes_export(struct app *a, const char *path, char **err);
/* :w [FILE] */
void	notes_save(struct app *a, const char *path);

/* layout.c */
void	layout_compute(struct app *a, int top, int height);
int	layout_move_focus(struct app *a, int dx, int dy);
int	layout_next_focus(struct app *a, int dir);

/* render.c */
void	render_panel(struct app *a, struct panel *p, struct canvas *cv, int focused);
void	render_statusbar(struct app *a, struct canvas *cv, int y);
void	render_help(struct app *a, struct canvas *cv);
void	render_log(struct app *a, struct canvas *cv);

/* keys.c: the key table as data */
struct keydef {
	const char	*keys;		/* how it is written in help */
	const char	*help;
	const char	*context;	/* "global", "graph", "logs", ... */
};
extern const struct keydef keydefs[];
extern const size_t nkeydefs;

#endif
