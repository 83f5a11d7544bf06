/* yaml: YAML files (Sloth, OpenSLO, Grafana provisioning) read with
 * libyaml into the same cJSON trees and position tables as JSON (jdoc),
 * so every consumer uses the jd_* getters and reports file:line:column.
 *
 * The root is always an array with one element per YAML document
 * ("---"-separated).  Plain scalars resolve as YAML 1.2's core schema
 * (null, true/false, numbers including .inf/.nan); quoted scalars and
 * !!str stay strings.  Aliases are copied, "<<" merge keys merge.
 * Bounded: at most YAML_NODES_MAX nodes in all (aliases included, so an
 * alias bomb fails cleanly) and YAML_DEPTH_MAX nesting. */
#ifndef SCRY_YAML_H
#define SCRY_YAML_H
#include <stddef.h>

#include "core/diag.h"
#include "core/jdoc.h"

#define YAML_FILE_MAX	(4 * 1024 * 1024)
#define YAML_NODES_MAX	200000
#define YAML_DEPTH_MAX	128

/* Parse; on error adds "file:line:col: ..." and returns -1 (d is then
 * freed). */
int	yaml_parse(struct jdoc *d, const char *text, size_t len, const char *file, struct diag *dg);
/* Read and parse a file (at most YAML_FILE_MAX bytes). */
int	yaml_load(struct jdoc *d, const char *path, struct diag *dg);

#endif
