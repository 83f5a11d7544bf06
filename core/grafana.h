/* grafana: import of Grafana dashboard JSON into scry's dashboard model.
 *
 * grafana_convert() turns a Grafana dashboard (any schemaVersion, also
 * the {"dashboard": ..., "meta": ...} form of Grafana's HTTP API) into a
 * scry dashboard document (man/scry-dashboard.5), which is what
 * `scry --convert` prints and what `scry grafana.json` parses.  Every
 * Grafana panel becomes exactly one scry panel: panel types scry cannot
 * draw become a text panel that names the type, says why, and lists the
 * queries; nothing is dropped silently.  What was converted, approximated
 * or left out is written to the document's "import.report" (shown by
 * :import-report).
 *
 * Data sources map to scry sources: --map-datasource KEY=NAME (KEY is a
 * datasource uid, name, "$variable", plugin type or "-- Mixed --"), then a
 * Grafana provisioning file (--grafana-datasources) by uid or name, then
 * one scry source per plugin type ("prometheus", "loki", "tempo",
 * "jaeger"). */
#ifndef SCRY_GRAFANA_H
#define SCRY_GRAFANA_H
#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/diag.h"
#include "core/jdoc.h"

struct gf_opts {
	const char *const	*map;		/* "KEY=NAME" strings */
	size_t			 nmap;
	/* Grafana datasource provisioning ("datasources": [...]), or NULL:
	 * names, uids, types, URLs and Loki derived fields. */
	const cJSON		*provisioning;
};

/* Does this JSON look like a Grafana dashboard rather than a scry one? */
int	grafana_detect(const cJSON *root);
/* Convert; NULL with an error in dg when root is not a dashboard at all.
 * The caller owns (cJSON_Delete) the result. */
cJSON	*grafana_convert(const cJSON *root, const char *file, const struct gf_opts *o,
	    struct diag *dg);
/* Check "KEY=NAME" (for the command line); returns 0 or -1. */
int	grafana_map_valid(const char *s);
/* Read a provisioning file (YAML or JSON: {"datasources": [...]}) into
 * doc; returns the datasources array or NULL with an error in dg. */
const cJSON *grafana_load_provisioning(struct jdoc *doc, const char *path, struct diag *dg);
/* Grafana colour name / #hex / rgb() -> scry role name ("ok", "warn",
 * "error", "critical", "info", "text"). */
const char *grafana_color_role(const char *color);
/* Grafana unit id -> the scry unit to use (buf may be used); *note
 * (static text) is set when the unit is approximated, NULL when exact. */
const char *grafana_unit(const char *id, char *buf, size_t n, const char **note);

#endif
