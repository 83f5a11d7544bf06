/* dashboard: the model of a dashboard file (man/scry-dashboard.5).
 * core parses the generic structure (title, time, sources, variables,
 * panels and their grid positions); widget- and source-specific options
 * stay as JSON (with positions) for their classes to validate.
 * The parsed dashboard is immutable while the UI runs, except for
 * variable values chosen by the user. */
#ifndef SCRY_DASHBOARD_H
#define SCRY_DASHBOARD_H
#include <stddef.h>

#include "core/diag.h"
#include "core/jdoc.h"
#include "core/theme.h"
#include "core/ts.h"

#define DASH_FILE_MAX	(16 * 1024 * 1024)

struct slo;
struct slo_set;
#define GRID_COLS	24

struct dash_source {
	char		*name;		/* key in "sources" */
	char		*type;		/* prometheus, loki, kubectl, tempo, jaeger, ... */
	char		*url;		/* may be NULL (kubectl) */
	const cJSON	*cfg;		/* the whole source object (auth, tls, ...) */
	cJSON		*over;		/* command-line overrides (owned), or NULL */
	int		 from_cli;	/* created or overridden by a command-line option */
};

struct dash_query {
	char		*expr;		/* query text; templates unexpanded */
	char		*legend;	/* "{{destination_service}}" or NULL */
	char		*source;	/* source name, NULL = the panel's */
	char		*ref;		/* "A", "B", ... */
	int		 hide;
	const cJSON	*cfg;		/* the query object (extra per-kind keys) or NULL */
};

struct dash_threshold {
	double		value;
	enum role	role;
};

struct dash_panel {
	int			 id;
	char			*type;		/* widget class name */
	char			*title;
	char			*description;
	char			*source;	/* default source for its queries */
	struct dash_query	*q;
	size_t			 nq;
	char			*unit;
	int			 decimals;	/* -1 = auto */
	double			 min, max;	/* NAN = auto */
	struct dash_threshold	*th;
	size_t			 nth;
	int			 x, y, w, h;	/* 24-column grid */
	tns			 refresh;	/* 0 = dashboard default */
	int			 collapsed;	/* rows: hidden children */
	int			 parent_row;	/* index of its row panel, -1 */
	const cJSON		*cfg;		/* the whole panel object */
	const cJSON		*options;	/* "options" object or NULL */
	char			*path;		/* "panels[3]" for messages */
	const struct slo	*slo;		/* slo panels: the SLO shown (queries generated) */
};

struct dash_var {
	char		 *name;
	char		 *type;		/* query, custom, interval, constant, textbox, datasource */
	char		 *source;
	char		 *query;	/* label_values(...) etc. */
	char		**values;	/* custom/known values */
	size_t		  nvalues;
	char		**current;	/* selected value(s) */
	size_t		  ncurrent;
	int		  multi;
	int		  include_all;
	char		 *all_value;	/* what "All" expands to, or NULL */
	char		 *regex;
	const cJSON	 *cfg;
};

/* A trace-id extractor (top-level "trace_ids"): a PCRE2 pattern whose first
 * capture group is the id.  regex NULL stands for the built-in defaults. */
struct dash_extractor {
	char		*name;
	char		*regex;
};

struct dashboard {
	char			*path;
	char			*title;
	tns			 range;		/* default time range */
	tns			 refresh;	/* default refresh interval */
	struct dash_source	*src;
	size_t			 nsrc;
	struct dash_panel	*panels;
	size_t			 npanels;
	struct dash_var		*vars;
	size_t			 nvars;
	struct slo_set		*slos;		/* "slos" and "slo_files" (never NULL after parse) */
	char			*import_report;	/* what an import converted and how, or NULL */
	struct dash_extractor	*trace_ids;	/* in order; empty + !trace_ids_set = defaults */
	size_t			 ntrace_ids;
	int			 trace_ids_set;
	struct jdoc		 doc;		/* keeps cfg pointers valid */
};

/* Parse dashboard text.  Errors and warnings go to dg; returns NULL when
 * there is any error. */
struct dashboard *dashboard_parse(const char *text, size_t len, const char *name, struct diag *dg);
struct dashboard *dashboard_load(const char *path, struct diag *dg);
/* A DASHBOARD argument: a path (it contains '/', ends in ".json" or names
 * an existing file) or a name, looked up as dashboards/NAME.json under
 * $XDG_CONFIG_HOME/scry, beside the binary, then in the data directory.
 * Returns the allocated path, or NULL with a diagnostic. */
char		 *dashboard_find(const char *arg, struct diag *dg);
void		  dashboard_free(struct dashboard *db);
struct dash_source *dashboard_source(const struct dashboard *db, const char *name);
/* Add or override a source from the command line (e.g. -p URL). */
struct dash_source *dashboard_set_source(struct dashboard *db, const char *name, const char *type,
		    const char *url);
/* Replace db's sources by copies of from's, in the same order (a
 * generated page shares the running app's source instances, which are
 * parallel to the sources array).  The copies' cfg point into from's
 * document: from must outlive db. */
void		  dashboard_adopt_sources(struct dashboard *db, const struct dashboard *from);
/* Set a command-line override for a source option ("context", ...). */
void		  dashboard_source_override(struct dash_source *s, const char *key, const char *value);
/* A source option: the override if set, else the dashboard value. */
const cJSON	 *dash_source_opt(const struct dash_source *s, const char *key);
/* The panel's source for query i (query's own, panel's, or NULL). */
const char	 *dashboard_query_source(const struct dash_panel *p, size_t i);
/* Loading with imports (core/dashboard_open.c). */
struct gf_opts;
struct dash_load_opts {
	const struct gf_opts	*grafana;	/* Grafana import options, or NULL */
	const char *const	*slo_files;	/* --slo: an slo panel per SLO in each */
	size_t			 nslo_files;
};
/* A scry or Grafana dashboard file (path NULL: only the SLO files). */
struct dashboard *dashboard_open(const char *path, const struct dash_load_opts *o, struct diag *dg);
/* The scry JSON text `scry --convert` prints (allocated), or NULL. */
char		 *dashboard_convert(const char *path, const struct dash_load_opts *o, struct diag *dg);
/* Grafana gridPos height units of the whole dashboard. */
int		  dashboard_grid_height(const struct dashboard *db);

#endif
