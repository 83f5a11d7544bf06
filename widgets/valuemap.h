/* valuemap: value mappings of stat, gauge, bar and table panels, as
 * Grafana's fieldConfig "mappings" express them (and --convert writes):
 *   "mappings": [
 *     {"value": "1", "text": "UP", "role": "ok"},      exact value
 *     {"from": 0, "to": 0.5, "text": "low"},            range, inclusive
 *     {"match": "null", "text": "N/A"},                  null (no data), nan,
 *                                                        null+nan, true, false
 *     {"regex": "^5..$", "text": "server error"}        the formatted value
 *   ]
 * The first mapping that matches gives the text shown instead of the
 * value, and its role (colour) when it has one; "text" may be empty to
 * keep the value and only colour it. */
#ifndef SCRY_VALUEMAP_H
#define SCRY_VALUEMAP_H
#include <stddef.h>

#include "core/jdoc.h"

struct vmap;

struct valuemap {
	struct vmap	*m;
	size_t		 n;
};

/* Parse options.mappings (absent: an empty map); errors go to dg. */
int	valuemap_init(struct valuemap *vm, const struct jdoc *doc, struct diag *dg, const cJSON *options,
	    const char *path);
void	valuemap_free(struct valuemap *vm);
/* The text for v (shown as `formatted`), or NULL when no mapping matches;
 * *role is set to the mapping's role, or left alone when it has none. */
const char *valuemap_apply(const struct valuemap *vm, double v, const char *formatted, int *role);

#endif
