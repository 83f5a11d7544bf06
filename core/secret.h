/* secret: credentials and their masking.
 * Secrets come from files, the environment or kubeconfig, never argv.
 * Every value read through this module is registered, and secret_mask*()
 * replaces registered values and secret-looking patterns (Authorization
 * headers, URL userinfo, token= style query parameters) with "<masked>".
 * Logs, errors, recordings and snapshots all pass through it. */
#ifndef SCRY_SECRET_H
#define SCRY_SECRET_H
#include <stddef.h>

#define SECRET_FILE_MAX	(64 * 1024)

/* Remember a value so it is masked wherever it appears (len >= 4). */
void	secret_register(const char *value);
/* Read a token/password file: refuses group/world-writable files and
 * files over SECRET_FILE_MAX, strips one trailing newline, registers the
 * value.  Returns an allocated string or NULL with *err set. */
char   *secret_read_file(const char *path, char **err);
/* Read the file named by environment variable `var` (e.g. SCRY_..._FILE). */
char   *secret_from_env_file(const char *var, char **err);
/* Mask in place; the result is truncated to cap-1 bytes if it grows. */
void	secret_mask_inplace(char *s, size_t cap);
/* Allocated masked copy. */
char   *secret_mask(const char *s);
/* Overwrite every occurrence of a registered secret in p[0..n) with '*'
 * of the same length (binary-safe: encodings keep their lengths).
 * Returns the number of occurrences.  Recordings pass through it. */
size_t	secret_scrub(void *p, size_t n);
/* Does a key name look like it holds a secret (token, password, ...)? */
int	secret_key_looks_secret(const char *key);
/* Wipe and free every registered secret (exit path). */
void	secret_wipe_all(void);
/* Free a secret string after wiping it. */
void	secret_free(char *s);

#endif
