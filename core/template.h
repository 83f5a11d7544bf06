/* template: variable expansion in queries, as Grafana defines it.
 *   $var ${var} [[var]] ${var:format}   dashboard variables
 *   $__interval $__interval_ms $__rate_interval $__range $__range_s $__range_ms
 * Multi-value variables expand as a regex alternation "(a|b)" by default;
 * formats: raw {a,b}, regex (a|b), pipe a|b, csv a,b, json ["a","b"],
 * singlequote 'a','b', doublequote "a","b", glob {a,b}, text a + b,
 * queryparam var-x=a&var-x=b.  "All" (include_all) expands to the
 * variable's all_value, else to every known value, else to ".*".
 * Unknown variables are left as written, so a typo stays visible. */
#ifndef SCRY_TEMPLATE_H
#define SCRY_TEMPLATE_H
#include "core/ts.h"

struct dashboard;

struct tmpl_time {
	tns	interval;	/* step of the query; 0 = leave time variables */
	tns	scrape;		/* scrape interval for $__rate_interval (default 15s) */
	tns	range;
};

/* Expand dashboard variables (db may be NULL) and, when t is not NULL and
 * t->interval > 0, the time variables.  Allocated result. */
char	*tmpl_expand(const char *expr, const struct dashboard *db, const struct tmpl_time *t);
/* For titles and legends: values as text ("a + b", "All"), not regex. */
char	*tmpl_expand_text(const char *s, const struct dashboard *db);
/* Does expr mention any time variable? */
int	 tmpl_has_time_vars(const char *expr);
/* $__rate_interval per Grafana: max(interval + scrape, 4 * scrape). */
tns	 tmpl_rate_interval(tns interval, tns scrape);

#endif
