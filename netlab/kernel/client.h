/* client.h: the two clients the resolves and http assertions use, made by netlab itself inside a
 * node's network namespace (the caller enters it): a DNS query over UDP and an HTTP/1.0 GET. No
 * program of the node (dig, curl) is needed. */
#ifndef NETLAB_CLIENT_H
#define NETLAB_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"
#include "attr.h"

#define CLIENT_DNS_MAX 32 /* addresses kept of an answer */
#define CLIENT_HTTP_BODY_MAX (1024 * 1024) /* bytes kept of a page */

/* A DNS query for name's A (family AF_INET) or AAAA records; len bytes into buf (at least 512).
 * Returns the length, or -EINVAL for a name that is no DNS name. */
_must_check_ int client_dns_query(const char *name, int family, uint16_t id, unsigned char *buf,
				  size_t size);
/* The addresses of family in answer (len bytes) to query id, into out (at most max); *rcode: the
 * answer's RCODE (0: no error, 3: no such name). Returns how many, or -EINVAL (not an answer to
 * it). */
_must_check_ int client_dns_answer(const unsigned char *ans, size_t len, uint16_t id, int family,
				   struct topo_prefix *out, size_t max, int *rcode);
/* Asks server (port 53) in the current network namespace, waiting timeout_ms. Returns how many
 * addresses (0 to max) with *rcode set, or -errno (-ETIMEDOUT: no answer). */
_must_check_ int client_dns(const struct topo_prefix *server, const char *name, int family,
			    unsigned int timeout_ms, struct topo_prefix *out, size_t max,
			    int *rcode);

/* url "http://HOST[:PORT]/PATH" split: host (an address in [] for IPv6), port (80), path ("/"),
 * each to be freed. Returns 0 or -EINVAL. */
_must_check_ int client_url_split(const char *url, char **host, unsigned int *port, char **path);
/* The status code of an HTTP response's first line ("HTTP/1.1 200 OK"), or -EINVAL. */
_must_check_ int client_http_status(const char *response);
/* GET path from addr:port (Host: host) in the current network namespace, waiting timeout_ms in
 * all; *response: what came back (headers and body, at most CLIENT_HTTP_BODY_MAX bytes), to be
 * freed. Returns 0 or -errno (-ETIMEDOUT, -ECONNREFUSED, ...). */
_must_check_ int client_http_get(const struct topo_prefix *addr, unsigned int port,
				 const char *host, const char *path, unsigned int timeout_ms,
				 char **response);

#endif
