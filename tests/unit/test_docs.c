/* Unit tests: the KEYS section of man/scry.1 is the key table of
 * tui/keys.c, rendered as mdoc.  With SCRY_UPDATE_GOLDEN=1 the section
 * between the BEGIN KEYS and END KEYS comments is rewritten. */
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/paths.h"
#include "tests/unit/t.h"
#include "tui/app.h"

/* Every word as a literal (\& keeps mdoc from reading : [ ] < > as punctuation). */
static void
keys_mdoc(struct buf *b)
{
	const char *ctx = NULL;

	for (size_t i = 0; i < nkeydefs; i++) {
		const char *k = keydefs[i].keys;
		if (!ctx || strcmp(ctx, keydefs[i].context) != 0) {
			if (ctx)
				buf_puts(b, ".El\n");
			ctx = keydefs[i].context;
			buf_printf(b, ".Ss %s\n.Bl -tag -width \"PgUp PgDn\" -compact\n", ctx);
		}
		buf_puts(b, ".It Cm");
		while (*k) {
			size_t n = strcspn(k, " ");
			buf_printf(b, " \\&%.*s", (int)n, k);
			k += n;
			while (*k == ' ')
				k++;
		}
		buf_printf(b, "\n%s\n", keydefs[i].help);
	}
	buf_puts(b, ".El\n");
}

TEST(docs_man_keys_match_key_table)
{
	const char *top = getenv("SCRY_TOP") ? getenv("SCRY_TOP") : ".";
	char path[4096], *man, *begin, *end, *nl;
	const char *upd;
	struct buf want;
	size_t len;

	snprintf(path, sizeof path, "%s/man/scry.1", top);
	man = paths_read_file(path, 1 << 20, &len, NULL);
	CHECK(man != NULL);
	if (!man)
		return;
	begin = strstr(man, ".\\\" BEGIN KEYS");
	end = strstr(man, ".\\\" END KEYS");
	CHECK(begin && end && begin < end);
	if (!begin || !end || !(nl = strchr(begin, '\n'))) {
		free(man);
		return;
	}
	buf_init(&want, 1 << 20);
	keys_mdoc(&want);
	if ((upd = getenv("SCRY_UPDATE_GOLDEN")) && strcmp(upd, "1") == 0) {
		FILE *f = fopen(path, "w");
		if (f) {
			fwrite(man, 1, (size_t)(nl + 1 - man), f);
			fputs(want.data, f);
			fputs(end, f);
			fclose(f);
			printf("# updated man/scry.1 KEYS\n");
		}
	} else if ((size_t)(end - (nl + 1)) != want.len || memcmp(nl + 1, want.data, want.len) != 0)
		t_fail(__FILE__, __LINE__, "man/scry.1 KEYS differs from tui/keys.c; "
		    "run SCRY_UPDATE_GOLDEN=1 make test TESTS=unit");
	buf_free(&want);
	free(man);
}

TEST(docs_help_overlay_fits)
{
	/* every key column fits the 16 columns the overlay gives it */
	for (size_t i = 0; i < nkeydefs; i++) {
		CHECK(strlen(keydefs[i].keys) <= 16);
		CHECK(strlen(keydefs[i].help) <= 76 - 4 - 19);
	}
}
