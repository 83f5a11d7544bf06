/* fuzz target: label sets as text (core/labeltext.h), as a replayed
 * recording's series probe answers carry them: whatever parses formats
 * to a canonical text that parses back to the same set. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/labeltext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct labelset ls, again;
	struct buf b;

	if (labeltext_parse((const char *)data, size, &ls) < 0)
		return 0;
	buf_init(&b, 2 * size + 16);
	if (labeltext_format(&ls, &b) < 0)
		abort();
	if (labeltext_parse(b.data, b.len, &again) < 0 || !labels_equal(&ls, &again))
		abort();
	labels_free(&again);
	labels_free(&ls);
	buf_free(&b);
	return 0;
}
