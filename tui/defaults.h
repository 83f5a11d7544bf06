/* defaults: data compiled into the binary (generated from dashboards/). */
#ifndef SCRY_DEFAULTS_H
#define SCRY_DEFAULTS_H
#include <stddef.h>

/* dashboards/incident.json: the built-in incident overview. */
extern const char	default_dashboard_json[];
extern const size_t	default_dashboard_json_len;

#endif
