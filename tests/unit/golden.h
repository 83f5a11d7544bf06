/* golden: compare a test's output with an expected file under
 * tests/fixtures.  With SCRY_UPDATE_GOLDEN=1 in the environment the file
 * is rewritten instead (review the diff before committing it). */
#ifndef SCRY_GOLDEN_H
#define SCRY_GOLDEN_H
#include <stddef.h>

/* Returns 1 if equal (or updated), 0 and reports a failure otherwise. */
int	golden_check(const char *file, int line, const char *fixture, const char *got);
/* Read a fixture whole (NUL-terminated, allocated) or NULL. */
char   *golden_read(const char *fixture, size_t *len);
/* Sorted names of fixture files in dir ending in ext (NULL-terminated). */
char  **golden_list(const char *dir, const char *ext);
void	golden_list_free(char **v);

#define GOLDEN(fixture, got)	golden_check(__FILE__, __LINE__, fixture, got)

#endif
