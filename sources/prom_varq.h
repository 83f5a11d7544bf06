/* prom_varq: dashboard variable queries of the Prometheus source. */
#ifndef SCRY_PROM_VARQ_H
#define SCRY_PROM_VARQ_H

#include "core/series.h"

/* Dashboard variable queries, as Grafana's Prometheus data source
 * writes them:
 *   label_values(LABEL)               /api/v1/label/LABEL/values
 *   label_values(SELECTOR, LABEL)     ... ?match[]=SELECTOR
 *   label_names([SELECTOR])           /api/v1/labels
 *   metrics(REGEX)                    metric names matching REGEX
 *   query_result(EXPR)                instant query; one value per series,
 *                                     'name{labels} value timestamp_ms' */
enum prom_varq_kind { PVQ_LABEL_VALUES, PVQ_LABEL_NAMES, PVQ_METRICS, PVQ_QUERY_RESULT };

struct prom_varq {
	enum prom_varq_kind	 kind;
	char			*label;		/* label_values */
	char			*match;		/* selector or NULL */
	char			*arg;		/* metrics regex, query_result expression */
};

int	prom_varq_parse(const char *expr, struct prom_varq *q, char **err);
void	prom_varq_free(struct prom_varq *q);
/* query_result's text for one series: 'up{job="a"} 1 1704067200000'. */
char   *prom_varq_result_text(const struct ev_series_one *s);

#endif
