/* main: the unit-test runner.  Usage: unit-runner [substring]
 * SCRY_UNIT_SKIP="name,name" leaves those tests out, each named in a
 * "# skipped" line (make valgrind: brute-force tests ASan already runs). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/log.h"
#include "tests/unit/t.h"

struct t_case {
	const char	*name, *file;
	t_fn		 fn;
};

static struct t_case	cases[2048];
static size_t		ncases;
static int		failed_now;
static char		fixture_dir[4096];

void
t_register(const char *name, const char *file, t_fn fn)
{
	if (ncases < sizeof cases / sizeof *cases)
		cases[ncases++] = (struct t_case){ name, file, fn };
}

void
t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (failed_now++ < 5) {
		printf("#   %s:%d: ", file, line);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
}

const char *
t_fixture(const char *rel)
{
	static char buf[8192];
	snprintf(buf, sizeof buf, "%s/%s", fixture_dir, rel);
	return buf;
}

/* Is name one of the comma-separated names in list? */
static int
listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

static int
by_file(const void *a, const void *b)
{
	const struct t_case *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : strcmp(x->name, y->name);
}

int
main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL, *fd = getenv("SCRY_FIXTURES");
	const char *skip = getenv("SCRY_UNIT_SKIP");
	size_t pass = 0, fail = 0;

	setlocale(LC_ALL, "");	/* as scry does: tests/run.sh sets LC_ALL=C.UTF-8 */
	snprintf(fixture_dir, sizeof fixture_dir, "%s", fd ? fd : "tests/fixtures");
	qsort(cases, ncases, sizeof *cases, by_file);
	for (size_t i = 0; i < ncases; i++) {
		if (only && !strstr(cases[i].name, only) && !strstr(cases[i].file, only))
			continue;
		if (listed(skip, cases[i].name)) {
			printf("# skipped: unit %s (SCRY_UNIT_SKIP)\n", cases[i].name);
			continue;
		}
		failed_now = 0;
		cases[i].fn();
		if (failed_now) {
			printf("not ok - unit %s (%s)\n", cases[i].name, cases[i].file);
			fail++;
		} else {
			printf("ok - unit %s\n", cases[i].name);
			pass++;
		}
		fflush(stdout);
	}
	log_close();
	printf("# unit: %zu passed, %zu failed\n", pass, fail);
	return fail ? 1 : 0;
}
