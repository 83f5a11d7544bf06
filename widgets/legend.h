/* legend: series names from a legend template ("{{destination_service}}")
 * or, without one, the label set as PromQL writes it. Names are raw text
 * (label values are untrusted): draw them through the canvas. */
#ifndef SCRY_LEGEND_H
#define SCRY_LEGEND_H
#include <stddef.h>

#include "core/labels.h"

void	legend_name(const struct labelset *ls, const char *tmpl, const char *expr,
	    char *dst, size_t n);

#endif
