/* libFuzzer target: the regex wrapper — compile any pattern, match it on
 * the same bytes as UTF-8 and as raw bytes (limits must always hold).
 * fuzz-sources: */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/regex.h"
#include "core/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t split = size ? data[0] % (size > 64 ? 64 : size) : 0;
	const char *pat = (const char *)data + (size ? 1 : 0);
	size_t plen = split, slen;
	const char *subj;
	char *err = NULL;
	struct rx *r;

	if (size < 1 + plen)
		return 0;
	subj = pat + plen;
	slen = size - 1 - plen;
	if (!(r = rx_compile(pat, plen, RX_SMARTCASE, &err))) {
		free(err);
		return 0;
	}
	rx_match(r, subj, slen, 0, utf8_valid(subj, slen), 1, NULL, NULL);
	rx_match(r, subj, slen, 0, 0, 0, NULL, NULL);
	rx_free(r);
	return 0;
}
