/* paths: where scry finds its data files and how it reads small files.
 * Lookup order for a relative data file (themes/x.theme, dashboards/y.json):
 *   $XDG_CONFIG_HOME/scry/ (default ~/.config/scry/), the directory of the
 *   running binary (a source checkout), then SCRY_DATADIR (installed). */
#ifndef SCRY_PATHS_H
#define SCRY_PATHS_H
#include <stddef.h>

#include "core/diag.h"

/* Allocated path of the first existing candidate, or NULL. */
char	*paths_find_data(const char *rel);
/* The candidates paths_find_data() tries, as "A, B or C" (allocated). */
char	*paths_describe(const char *rel);
/* $XDG_CONFIG_HOME/scry (allocated; not created). */
char	*paths_config_dir(void);
/* Read a whole file of at most max bytes; NUL-terminated.  On error adds
 * a diagnostic naming the file and returns NULL. */
char	*paths_read_file(const char *path, size_t max, size_t *len, struct diag *d);

#endif
