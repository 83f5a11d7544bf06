/* paths: data-file lookup and bounded whole-file reads. */
#include "core/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xalloc.h"

char *
paths_config_dir(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (x && *x == '/')
		return xasprintf("%s/scry", x);
	if (home && *home)
		return xasprintf("%s/.config/scry", home);
	return NULL;
}

static char *
exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(dirname(buf));
}

static void
candidates(const char *rel, char *cands[3])
{
	char *dir;

	cands[0] = cands[1] = NULL;
	if ((dir = paths_config_dir())) {
		cands[0] = xasprintf("%s/%s", dir, rel);
		free(dir);
	}
	if ((dir = exe_dir())) {
		cands[1] = xasprintf("%s/%s", dir, rel);
		free(dir);
	}
	cands[2] = xasprintf("%s/%s", SCRY_DATADIR, rel);
}

char *
paths_describe(const char *rel)
{
	char *c[3], *out = NULL, *tmp;
	int n = 0;

	candidates(rel, c);
	for (int i = 0; i < 3; i++) {
		if (!c[i])
			continue;
		tmp = xasprintf("%s%s%s", out ? out : "", !out ? "" : i == 2 ? " or " : ", ", c[i]);
		free(out);
		out = tmp;
		free(c[i]);
		n++;
	}
	return out ? out : xstrdup(rel);
}

char *
paths_find_data(const char *rel)
{
	char *cands[3], *found = NULL;
	struct stat st;

	candidates(rel, cands);
	for (int i = 0; i < 3; i++) {
		if (!found && cands[i] && stat(cands[i], &st) == 0 && S_ISREG(st.st_mode))
			found = cands[i];
		else
			free(cands[i]);
	}
	return found;
}

char *
paths_read_file(const char *path, size_t max, size_t *lenp, struct diag *d)
{
	struct stat st;
	char *data;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "not a file");
		close(fd);
		return NULL;
	}
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "file is %lld bytes; the limit is %zu",
		    (long long)st.st_size, max);
		close(fd);
		return NULL;
	}
	data = xmalloc(max < 65536 ? max + 1 : 65536);
	size_t cap = max < 65536 ? max + 1 : 65536;
	for (;;) {
		ssize_t n;
		if (len + 1 >= cap) {
			if (cap > max) {
				diag_add(d, DIAG_ERROR, path, 0, 0, "file exceeds the limit of %zu bytes", max);
				free(data);
				close(fd);
				return NULL;
			}
			cap *= 2;
			data = xrealloc(data, cap);
		}
		n = read(fd, data + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_add(d, DIAG_ERROR, path, 0, 0, "read error: %s", strerror(errno));
			free(data);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > max) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "file exceeds the limit of %zu bytes", max);
		free(data);
		return NULL;
	}
	data[len] = '\0';
	if (lenp)
		*lenp = len;
	return data;
}
