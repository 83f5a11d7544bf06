/* golden: expected-output files for unit tests. */
#include "tests/unit/golden.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/paths.h"
#include "core/xalloc.h"
#include "tests/unit/t.h"

char *
golden_read(const char *fixture, size_t *len)
{
	return paths_read_file(t_fixture(fixture), 64u << 20, len, NULL);
}

int
golden_check(const char *file, int line, const char *fixture, const char *got)
{
	const char *upd = getenv("SCRY_UPDATE_GOLDEN");
	char *want;
	size_t n = 0;
	int ok;

	if (upd && *upd == '1') {
		FILE *f = fopen(t_fixture(fixture), "w");
		if (!f || fputs(got, f) < 0 || fclose(f) != 0) {
			t_fail(file, line, "cannot write %s", t_fixture(fixture));
			return 0;
		}
		printf("# updated %s\n", fixture);
		return 1;
	}
	want = golden_read(fixture, &n);
	if (!want) {
		t_fail(file, line, "missing golden file %s", t_fixture(fixture));
		return 0;
	}
	ok = strcmp(want, got) == 0;
	if (!ok) {
		size_t i = 0;
		while (want[i] && want[i] == got[i])
			i++;
		t_fail(file, line, "%s differs at byte %zu:\n# want: %.300s\n# got:  %.300s", fixture, i,
		    want + (i > 40 ? i - 40 : 0), got + (i > 40 ? i - 40 : 0));
	}
	free(want);
	return ok;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
golden_list(const char *dir, const char *ext)
{
	DIR *d = opendir(t_fixture(dir));
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, cap = 0, el = strlen(ext);

	if (!d)
		return xcalloc(1, sizeof *v);
	// cppcheck-suppress readdirCalled ; readdir_r is deprecated (glibc), one DIR per call here
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l <= el || strcmp(e->d_name + l - el, ext) != 0)
			continue;
		xgrow(&v, &cap, n + 2, sizeof *v);
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (!v)
		return xcalloc(1, sizeof *v);
	qsort(v, n, sizeof *v, cmp);
	v[n] = NULL;
	return v;
}

void
golden_list_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}
