/* digest: a fast 64-bit mixing hash for store digests (store_digest).
 * Not cryptographic: it detects accidental differences between a store
 * built live and the same store rebuilt from a recording. */
#ifndef SCRY_DIGEST_H
#define SCRY_DIGEST_H
#include <stddef.h>
#include <stdint.h>

uint64_t	digest_u64(uint64_t h, uint64_t v);
uint64_t	digest_f64(uint64_t h, double v);
uint64_t	digest_bytes(uint64_t h, const void *p, size_t n);
uint64_t	digest_str(uint64_t h, const char *s);	/* NULL and "" differ */

#endif
