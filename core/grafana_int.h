/* grafana_int: state shared by the parts of the Grafana converter
 * (grafana.c: document and layout; grafana_panel.c: panel types;
 * grafana_field.c: field config; grafana_ds.c: data sources and
 * variables).  Not for use outside core/grafana*.c. */
#ifndef SCRY_GRAFANA_INT_H
#define SCRY_GRAFANA_INT_H
#include <stddef.h>

#include "core/buf.h"
#include "core/grafana.h"

struct gdsvar {
	char	*name;		/* variable name */
	char	*type;		/* plugin type it selects ("prometheus") */
	char	*current;	/* selected datasource name/uid, or NULL */
};

struct gcount {
	char	*from, *to;
	int	 n;
};

struct gconv {
	const struct gf_opts	*o;
	const char		*file;
	cJSON			*out;		/* the scry dashboard */
	cJSON			*sources;	/* out.sources */
	cJSON			*report;	/* out.import.report (array of strings) */
	struct gdsvar		*dsv;
	size_t			 ndsv, capdsv;
	struct gcount		*cnt;
	size_t			 ncnt, capcnt;
	int			 unsupported;
	int			 npanels;
	struct buf		 notes;		/* notes of the panel being converted */
	int			 nnotes;
	cJSON			*dsseen;	/* reference -> source, reported once each */
	int			 cosmetic;	/* colour/line-style overrides left to scry */
};

/* A resolved Grafana datasource reference. */
struct gds {
	char		 name[128];	/* scry source name; "" = by type */
	char		 ref[160];	/* the reference as written, for the report */
	char		 type[40];	/* plugin type ("prometheus", "loki", ...) or "" */
	int		 mixed;		/* "-- Mixed --": per-query sources */
	int		 inherit;	/* no reference: the panel's / the default */
	int		 unsupported;	/* a type scry has no source for */
};

/* grafana.c */
void	gc_report(struct gconv *gc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void	gc_note(struct gconv *gc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void	gc_count(struct gconv *gc, const char *from, const char *to);
char	*gc_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *gc_str(const cJSON *o, const char *key);
const cJSON *gc_obj(const cJSON *o, const char *key);
/* Does scry's regex engine take this pattern, with a capture group?
 * *why says why not (static text). */
int	gc_regex_ok(const char *re, const char **why);
/* Is s[0..n) a list of name op "value" matchers (op = != =~ !~)? */
int	gc_matchers_ok(const char *s, size_t n);
const cJSON *gc_arr(const cJSON *o, const char *key);
int	gc_bool(const cJSON *o, const char *key, int def);
int	gc_num(const cJSON *o, const char *key, double *out);
void	gc_add_str(cJSON *o, const char *key, const char *v);
void	gc_add_num(cJSON *o, const char *key, double v);
void	gc_add_bool(cJSON *o, const char *key, int v);
cJSON	*gc_add_obj(cJSON *o, const char *key);
cJSON	*gc_add_arr(cJSON *o, const char *key);

/* grafana_ds.c */
void	gc_datasource(struct gconv *gc, const cJSON *ref, struct gds *out);
/* The scry source for a resolved reference, creating it in out.sources. */
const char *gc_source_for(struct gconv *gc, const struct gds *d, const char *fallback_type);
void	gc_variables(struct gconv *gc, const cJSON *templating, cJSON *out_vars);
/* Derived fields of the Loki datasource a scry source came from, or NULL. */
const cJSON *gc_derived_fields(struct gconv *gc, const char *source);

/* grafana_field.c */
/* Unit, decimals, min, max, thresholds from fieldConfig.defaults or the
 * legacy keys (yaxes, format, thresholds) into the scry panel. */
void	gc_field_defaults(struct gconv *gc, const cJSON *gp, cJSON *panel, int want_thresholds);
/* Series overrides of a graph-like panel: hidden, negated and stacked
 * series into options; everything else noted. */
void	gc_series_overrides(struct gconv *gc, const cJSON *gp, cJSON *opts);
/* Column overrides of a table into options.columns. */
void	gc_column_overrides(struct gconv *gc, const cJSON *gp, cJSON *opts);
/* fieldConfig.defaults.mappings (or legacy valueMaps) into options.mappings. */
void	gc_value_mappings(struct gconv *gc, const cJSON *gp, cJSON *opts);
/* Grafana thresholds {"mode", "steps"} (or the legacy string/array forms)
 * into a scry "thresholds" array; NULL when there are none. */
cJSON	*gc_thresholds(struct gconv *gc, const cJSON *th, double min, double max, const char *unit);

/* grafana_panel.c */
cJSON	*gc_panel(struct gconv *gc, const cJSON *gp, const char *path);

#endif
