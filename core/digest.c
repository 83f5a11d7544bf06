/* digest: 64-bit mixing (a multiply-xorshift finaliser over words). */
#include "core/digest.h"

#include <string.h>

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dULL;
	x ^= x >> 33;
	return x;
}

uint64_t
digest_u64(uint64_t h, uint64_t v)
{
	return mix(h ^ mix(v + 0x9e3779b97f4a7c15ULL));
}

uint64_t
digest_f64(uint64_t h, double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof u);
	return digest_u64(h, u);
}

uint64_t
digest_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t w;

	h = digest_u64(h, n);
	for (; n >= 8; s += 8, n -= 8) {	/* little-endian words on every host */
		w = (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 |
		    (uint64_t)s[3] << 24 | (uint64_t)s[4] << 32 | (uint64_t)s[5] << 40 |
		    (uint64_t)s[6] << 48 | (uint64_t)s[7] << 56;
		h = digest_u64(h, w);
	}
	w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)s[i] << (8 * i);
	return digest_u64(h, w);
}

uint64_t
digest_str(uint64_t h, const char *s)
{
	if (!s)
		return digest_u64(h, 0x5eedULL);
	return digest_bytes(h, s, strlen(s));
}
