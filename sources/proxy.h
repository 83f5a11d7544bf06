/* proxy: the single proxy / no_proxy resolver for every transport.
 * libcurl and libwebsockets read the environment differently (lws reads
 * only http_proxy and ignores no_proxy), so scry decides once and tells
 * both explicitly.  Rules follow curl's: http_proxy (lower case only, as
 * curl ignores HTTP_PROXY against "httpoxy"), https_proxy / HTTPS_PROXY,
 * all_proxy / ALL_PROXY; no_proxy / NO_PROXY is a comma list of host
 * names (suffix match, optional leading dot), IP addresses, CIDR blocks
 * and "*". */
#ifndef SCRY_PROXY_H
#define SCRY_PROXY_H

/* The proxy URL for a target URL (http://, https://, ws://, wss://), or
 * NULL for a direct connection.  Allocated. */
char	*proxy_for_url(const char *url);
/* Does no_proxy exempt this host? */
int	 proxy_host_exempt(const char *host, const char *no_proxy);

#endif
