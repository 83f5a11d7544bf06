/* log: bounded ring of recent log lines plus an optional 0600 file.
 * Invariant: every stored line has been through secret_mask() and the
 * sanitiser (a log file read with cat, or stderr, is a terminal too). */
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/sanitize.h"
#include "core/secret.h"
#include "core/xalloc.h"

#define LOG_RING	512
#define LOG_LINE_MAX	1024

static char		*ring[LOG_RING];
static size_t		 ring_head, ring_n;
static int		 log_fd = -1;
static int		 to_stderr;
static enum log_level	 level = LOG_INFO;
static pthread_mutex_t	 log_mu = PTHREAD_MUTEX_INITIALIZER;

int
log_open_file(const char *path, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) < 0) {
		/* best effort: a file we do not own keeps its mode */
	}
	log_fd = fd;
	return 0;
}

void
log_set_level(enum log_level lvl)
{
	level = lvl;
}

void
log_to_stderr(int on)
{
	to_stderr = on;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *names[] = { "error", "warn", "info", "debug" };
	char raw[LOG_LINE_MAX], msg[LOG_LINE_MAX], line[LOG_LINE_MAX + 64];
	struct timespec ts;
	struct buf b;
	struct tm tm;
	va_list ap;

	if (lvl > level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	secret_mask_inplace(raw, sizeof raw);
	/* messages quote backends (errors, names): control, C1, bidi and
	 * invalid bytes become their visible escape forms */
	buf_init(&b, sizeof msg - 1);
	san_to_buf(&b, raw, strlen(raw), SAN_NO_TABS);
	snprintf(msg, sizeof msg, "%s", b.data ? b.data : "");
	buf_free(&b);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, ts.tv_nsec / 1000000, names[lvl], msg);

	pthread_mutex_lock(&log_mu);
	if (ring_n == LOG_RING) {
		free(ring[ring_head]);
		ring[ring_head] = xstrdup(line);
		ring_head = (ring_head + 1) % LOG_RING;
	} else {
		ring[(ring_head + ring_n) % LOG_RING] = xstrdup(line);
		ring_n++;
	}
	if (log_fd >= 0) {
		size_t n = strlen(line);
		line[n] = '\n';
		if (write(log_fd, line, n + 1) < 0) {
			/* nowhere left to report it */
		}
		line[n] = '\0';
	}
	pthread_mutex_unlock(&log_mu);
	if (to_stderr)
		fprintf(stderr, "scry: %s\n", msg);
}

size_t
log_count(void)
{
	return ring_n;
}

const char *
log_line(size_t i)
{
	if (i >= ring_n)
		return NULL;
	return ring[(ring_head + i) % LOG_RING];
}

void
log_close(void)
{
	pthread_mutex_lock(&log_mu);
	for (size_t i = 0; i < ring_n; i++)
		free(ring[(ring_head + i) % LOG_RING]);
	ring_n = ring_head = 0;
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	pthread_mutex_unlock(&log_mu);
}
