/* proxy: environment proxy resolution shared by curl and websockets. */
#include "sources/proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

static const char *
env2(const char *a, const char *b)
{
	const char *v = getenv(a);
	if ((!v || !*v) && b)
		v = getenv(b);
	return v && *v ? v : NULL;
}

/* host (no port, brackets stripped) of a URL into dst. */
static int
url_host(const char *url, char *dst, size_t n, char *scheme, size_t sn)
{
	const char *p = strstr(url, "://"), *h, *e;
	size_t l;

	if (!p)
		return -1;
	l = (size_t)(p - url) < sn - 1 ? (size_t)(p - url) : sn - 1;
	memcpy(scheme, url, l);
	scheme[l] = '\0';
	h = p + 3;
	if ((e = strchr(h, '@')) && e < h + strcspn(h, "/?#"))
		h = e + 1;
	if (*h == '[') {
		h++;
		e = strchr(h, ']');
	} else
		e = h + strcspn(h, ":/?#");
	if (!e || (size_t)(e - h) >= n)
		return -1;
	memcpy(dst, h, (size_t)(e - h));
	dst[e - h] = '\0';
	return 0;
}

static int
cidr_match(const char *host, const char *entry)
{
	char net[64];
	const char *slash = strchr(entry, '/');
	unsigned char a[16], b[16];
	char *end;
	long bits;
	int fam;

	if (!slash || (size_t)(slash - entry) >= sizeof net)
		return 0;
	memcpy(net, entry, (size_t)(slash - entry));
	net[slash - entry] = '\0';
	bits = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end)
		return 0;
	fam = strchr(net, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(fam, net, a) != 1 || inet_pton(fam, host, b) != 1)
		return 0;
	if (bits < 0 || bits > (fam == AF_INET ? 32 : 128))
		return 0;
	for (int i = 0; i < bits; i++)
		if (((a[i / 8] >> (7 - i % 8)) & 1) != ((b[i / 8] >> (7 - i % 8)) & 1))
			return 0;
	return 1;
}

int
proxy_host_exempt(const char *host, const char *no_proxy)
{
	char *list, *save = NULL;
	int hit = 0;

	if (!no_proxy || !*no_proxy)
		return 0;
	list = xstrdup(no_proxy);
	for (char *t = strtok_r(list, ", ", &save); t && !hit; t = strtok_r(NULL, ", ", &save)) {
		size_t hl = strlen(host), tl;
		char *colon;
		if (strcmp(t, "*") == 0) {
			hit = 1;
			break;
		}
		if (strchr(t, '/')) {
			hit = cidr_match(host, t);
			continue;
		}
		if (t[0] == '[' && (colon = strchr(t, ']')))
			*colon = '\0', t++;
		else if ((colon = strrchr(t, ':')) && !strchr(colon + 1, ':') && strchr(t, ':') == colon)
			*colon = '\0';	/* host:port entries match the host */
		if (*t == '.')
			t++;
		tl = strlen(t);
		if (!tl)
			continue;
		if (hl == tl && strcasecmp(host, t) == 0)
			hit = 1;	// NOLINT(bugprone-branch-clone): exact name and domain suffix: two rules, as curl states them
		else if (hl > tl && host[hl - tl - 1] == '.' && strcasecmp(host + hl - tl, t) == 0)
			hit = 1;
	}
	free(list);
	return hit;
}

char *
proxy_for_url(const char *url)
{
	char host[256], scheme[16];
	const char *p;

	if (url_host(url, host, sizeof host, scheme, sizeof scheme) < 0)
		return NULL;
	for (char *s = scheme; *s; s++)
		*s = (char)tolower((unsigned char)*s);
	if (proxy_host_exempt(host, env2("no_proxy", "NO_PROXY")))
		return NULL;
	if (strcmp(scheme, "https") == 0 || strcmp(scheme, "wss") == 0)
		p = env2("https_proxy", "HTTPS_PROXY");
	else
		p = env2("http_proxy", NULL);
	if (!p)
		p = env2("all_proxy", "ALL_PROXY");
	return p ? xstrdup(p) : NULL;
}
