/* secret: registry of secret values and the single masking function. */
#include "core/secret.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/xalloc.h"

#define MASK	"<masked>"

static char		**secrets;
static size_t		  nsecrets, capsecrets;
static pthread_mutex_t	  secret_mu = PTHREAD_MUTEX_INITIALIZER;

void
secret_register(const char *value)
{
	if (!value || strlen(value) < 4)
		return;
	pthread_mutex_lock(&secret_mu);
	for (size_t i = 0; i < nsecrets; i++)
		if (strcmp(secrets[i], value) == 0) {
			pthread_mutex_unlock(&secret_mu);
			return;
		}
	xgrow(&secrets, &capsecrets, nsecrets + 1, sizeof *secrets);
	secrets[nsecrets++] = xstrdup(value);
	pthread_mutex_unlock(&secret_mu);
}

char *
secret_read_file(const char *path, char **err)
{
	struct stat st;
	char *data;
	ssize_t n;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = xasprintf("cannot read secret file %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		*err = xasprintf("secret file %s is not a regular file", path);
		return NULL;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(fd);
		*err = xasprintf("secret file %s is group- or world-writable; refusing it", path);
		return NULL;
	}
	if (st.st_size > SECRET_FILE_MAX) {
		close(fd);
		*err = xasprintf("secret file %s is larger than %d bytes", path, SECRET_FILE_MAX);
		return NULL;
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		n = read(fd, data + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	data[len] = '\0';
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		data[--len] = '\0';
	secret_register(data);
	return data;
}

char *
secret_from_env_file(const char *var, char **err)
{
	const char *path = getenv(var);
	if (!path || !*path)
		return NULL;
	return secret_read_file(path, err);
}

int
secret_key_looks_secret(const char *key)
{
	static const char *words[] = { "token", "secret", "password", "passwd",
	    "apikey", "api_key", "api-key", "authorization", "auth", "cookie",
	    "credential", "private", "signature", "client-key", "sig" };
	char low[128];
	size_t i;

	for (i = 0; i < sizeof low - 1 && key[i]; i++)
		low[i] = (char)tolower((unsigned char)key[i]);
	low[i] = '\0';
	/* "unauthorized: ..." starts an error message, not a header */
	if (strncmp(low, "unauth", 6) == 0)
		return 0;
	for (i = 0; i < sizeof words / sizeof *words; i++) {
		if (strcmp(words[i], "sig") == 0) {
			if (strcmp(low, "sig") == 0)
				return 1;
			continue;
		}
		if (strstr(low, words[i]))
			return 1;
	}
	return 0;
}

/* Mask registered values. */
static void
mask_values(struct buf *b, const char *s)
{
	size_t i = 0, n = strlen(s);

	while (i < n) {
		size_t best = 0;
		for (size_t k = 0; k < nsecrets; k++) {
			size_t l = strlen(secrets[k]);
			if (l <= n - i && l > best && memcmp(s + i, secrets[k], l) == 0)
				best = l;
		}
		if (best) {
			buf_puts(b, MASK);
			i += best;
		} else
			buf_putc(b, s[i++]);
	}
}

/* Mask "Authorization: ...", URL userinfo and token-like query params. */
static void
mask_patterns(struct buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;

	while (i < n) {
		const char *p = s + i;
		/* header-style "Name: value" where Name looks secret */
		if ((i == 0 || s[i - 1] == '\n' || s[i - 1] == ' ') && isalpha((unsigned char)*p)) {
			size_t k = 0;
			char name[64];
			while (k < sizeof name - 1 && (isalnum((unsigned char)p[k]) || p[k] == '-' || p[k] == '_'))
				name[k] = p[k], k++;
			name[k] = '\0';
			if (k && p[k] == ':' && p[k + 1] == ' ' && secret_key_looks_secret(name)) {
				buf_append(out, p, k + 2);
				buf_puts(out, MASK);
				i += k + 2;
				while (i < n && s[i] != '\n')
					i++;
				continue;
			}
		}
		/* scheme://user:pass@host */
		if (p[0] == ':' && p[1] == '/' && p[2] == '/') {
			const char *at = NULL, *q = p + 3;
			while (*q && *q != '/' && *q != ' ' && *q != '?' && *q != '#') {
				if (*q == '@')
					at = q;
				q++;
			}
			if (at) {
				const char *colon = memchr(p + 3, ':', (size_t)(at - (p + 3)));
				buf_append(out, p, 3);
				if (colon) {
					buf_append(out, p + 3, (size_t)(colon - (p + 3)) + 1);
					buf_puts(out, MASK);
				} else
					buf_puts(out, MASK);
				i = (size_t)(at - s);
				continue;
			}
		}
		/* ?token=... or &access_token=... */
		if ((*p == '?' || *p == '&') && i + 1 < n) {
			const char *eq = p + 1;
			char name[64];
			size_t k = 0;
			while (*eq && *eq != '=' && *eq != '&' && k < sizeof name - 1)
				name[k++] = *eq++;
			name[k] = '\0';
			if (*eq == '=' && secret_key_looks_secret(name)) {
				buf_append(out, p, (size_t)(eq - p) + 1);
				buf_puts(out, MASK);
				i = (size_t)(eq - s) + 1;
				while (i < n && s[i] != '&' && s[i] != ' ' && s[i] != '#' && s[i] != '\n')
					i++;
				continue;
			}
		}
		buf_putc(out, *p);
		i++;
	}
}

char *
secret_mask(const char *s)
{
	struct buf a, b;

	buf_init(&a, 16 * 1024 * 1024);
	buf_init(&b, 16 * 1024 * 1024);
	pthread_mutex_lock(&secret_mu);
	mask_values(&a, s);
	pthread_mutex_unlock(&secret_mu);
	mask_patterns(&b, a.data ? a.data : "");
	buf_free(&a);
	return buf_steal(&b, NULL);
}

void
secret_mask_inplace(char *s, size_t cap)
{
	char *m;
	size_t n;

	if (!cap)
		return;
	m = secret_mask(s);
	n = strlen(m);
	if (n > cap - 1)
		n = cap - 1;
	memcpy(s, m, n);
	s[n] = '\0';
	free(m);
}

void
secret_free(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

void
secret_wipe_all(void)
{
	pthread_mutex_lock(&secret_mu);
	for (size_t i = 0; i < nsecrets; i++)
		secret_free(secrets[i]);
	free(secrets);
	secrets = NULL;
	nsecrets = capsecrets = 0;
	pthread_mutex_unlock(&secret_mu);
}

size_t
secret_scrub(void *p, size_t n)
{
	size_t hits = 0;

	pthread_mutex_lock(&secret_mu);
	for (size_t k = 0; k < nsecrets; k++) {
		size_t l = strlen(secrets[k]);
		char *s = p, *end = s + n, *m;
		while (l && (size_t)(end - s) >= l && (m = memmem(s, (size_t)(end - s), secrets[k], l))) {
			memset(m, '*', l);
			s = m + l;
			hits++;
		}
	}
	pthread_mutex_unlock(&secret_mu);
	return hits;
}
