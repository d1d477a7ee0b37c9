/* client.c: a DNS query (RFC 1035, over UDP) and an HTTP/1.0 GET, made from the current network
 * namespace, for the resolves and http assertions. The packet and response parsing is pure. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "strbuf.h"
#include "util.h"

enum { DNS_HEADER = 12, DNS_TYPE_A = 1, DNS_TYPE_AAAA = 28, DNS_CLASS_IN = 1 };

int client_dns_query(const char *name, int family, uint16_t id, unsigned char *buf, size_t size)
{
	size_t n = DNS_HEADER, len = strlen(name);
	uint16_t type = family == AF_INET6 ? DNS_TYPE_AAAA : DNS_TYPE_A;

	if (len == 0 || len > 253 || size < 512)
		return -EINVAL;
	memset(buf, 0, DNS_HEADER);
	buf[0] = (unsigned char)(id >> 8);
	buf[1] = (unsigned char)id;
	buf[2] = 0x01; /* recursion desired */
	buf[5] = 1; /* one question */
	for (const char *p = name; *p;) {
		size_t l = strcspn(p, ".");

		if (l == 0 || l > 63)
			return -EINVAL;
		buf[n++] = (unsigned char)l;
		memcpy(buf + n, p, l);
		n += l;
		p += l + (p[l] == '.');
	}
	buf[n++] = 0;
	buf[n++] = (unsigned char)(type >> 8);
	buf[n++] = (unsigned char)type;
	buf[n++] = 0;
	buf[n++] = DNS_CLASS_IN;
	return (int)n;
}

/* Skips a (possibly compressed) name at *off; false when it runs out of the message. */
static bool skip_name(const unsigned char *m, size_t len, size_t *off)
{
	for (int labels = 0; *off < len && labels < 128; labels++) {
		unsigned char l = m[*off];

		if (l == 0) {
			(*off)++;
			return true;
		}
		if ((l & 0xc0) == 0xc0) {
			*off += 2;
			return *off <= len;
		}
		*off += 1 + l;
	}
	return false;
}

int client_dns_answer(const unsigned char *m, size_t len, uint16_t id, int family,
		      struct topo_prefix *out, size_t max, int *rcode)
{
	size_t off = DNS_HEADER, n = 0;
	unsigned int qd, an;
	uint16_t want = family == AF_INET6 ? DNS_TYPE_AAAA : DNS_TYPE_A;

	if (len < DNS_HEADER || (m[0] << 8 | m[1]) != id || !(m[2] & 0x80))
		return -EINVAL;
	*rcode = m[3] & 0x0f;
	qd = (unsigned int)(m[4] << 8 | m[5]);
	an = (unsigned int)(m[6] << 8 | m[7]);
	for (unsigned int i = 0; i < qd; i++) {
		if (!skip_name(m, len, &off) || off + 4 > len)
			return -EINVAL;
		off += 4;
	}
	for (unsigned int i = 0; i < an; i++) {
		unsigned int type, rdlen;

		if (!skip_name(m, len, &off) || off + 10 > len)
			return -EINVAL;
		type = (unsigned int)(m[off] << 8 | m[off + 1]);
		rdlen = (unsigned int)(m[off + 8] << 8 | m[off + 9]);
		off += 10;
		if (off + rdlen > len)
			return -EINVAL;
		if (type == want && rdlen == (family == AF_INET6 ? 16u : 4u) && n < max) {
			out[n] = (struct topo_prefix){ .family = family, .len = rdlen * 8 };
			memcpy(out[n++].addr, m + off, rdlen);
		}
		off += rdlen;
	}
	return (int)n;
}

static socklen_t to_sockaddr(const struct topo_prefix *a, unsigned int port,
			     struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		memcpy(&s6->sin6_addr, a->addr, 16);
		return sizeof(*s6);
	}
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	memcpy(&((struct sockaddr_in *)ss)->sin_addr, a->addr, 4);
	return sizeof(struct sockaddr_in);
}

static int64_t left_ms(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(end->tv_sec - now.tv_sec) * 1000 + (end->tv_nsec - now.tv_nsec) / 1000000;
}

static struct timespec deadline(unsigned int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/* Waits until fd is ready for events, or end. Returns 0, or -ETIMEDOUT or -errno. */
static int wait_fd(int fd, short events, const struct timespec *end)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int64_t ms = left_ms(end);
		int r;

		if (ms <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, (int)ms);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

int client_dns(const struct topo_prefix *server, const char *name, int family,
	       unsigned int timeout_ms, struct topo_prefix *out, size_t max, int *rcode)
{
	unsigned char q[512], ans[4096];
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(server, 53, &ss);
	struct timespec end = deadline(timeout_ms);
	uint16_t id = (uint16_t)(rand() ^ getpid());
	int qlen = client_dns_query(name, family, id, q, sizeof(q)), r;
	_cleanup_close_ int fd = -1;

	if (qlen < 0)
		return qlen;
	if ((fd = socket(server->family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 || send(fd, q, (size_t)qlen, 0) < 0)
		return -errno;
	for (;;) { /* an answer to another query (a late one) is not ours: wait on */
		ssize_t n;

		if ((r = wait_fd(fd, POLLIN, &end)) < 0)
			return r;
		if ((n = recv(fd, ans, sizeof(ans), 0)) < 0)
			return -errno;
		if ((r = client_dns_answer(ans, (size_t)n, id, family, out, max, rcode)) >= 0)
			return r;
	}
}

int client_url_split(const char *url, char **host, unsigned int *port, char **path)
{
	const char *h = url + 7, *end, *slash;
	unsigned long p = 80;

	*host = *path = NULL;
	if (strncmp(url, "http://", 7))
		return -EINVAL;
	slash = h + strcspn(h, "/");
	if (*h == '[') {
		if (!(end = memchr(h, ']', (size_t)(slash - h))))
			return -EINVAL;
		*host = util_xasprintf("%.*s", (int)(end - h - 1), h + 1);
		end++;
	} else {
		end = h + strcspn(h, ":/");
		*host = util_xasprintf("%.*s", (int)(end - h), h);
	}
	if (*end == ':') {
		_cleanup_free_ char *ps = util_xasprintf("%.*s", (int)(slash - end - 1), end + 1);

		if (topo_parse_uint(ps, 1, 65535, &p) < 0)
			goto bad;
	}
	if (!**host || (*end != ':' && end != slash))
		goto bad;
	*port = (unsigned int)p;
	*path = util_xstrdup(*slash ? slash : "/");
	return 0;
bad:
	free(*host);
	*host = NULL;
	return -EINVAL;
}

int client_http_status(const char *response)
{
	unsigned int code;

	if (strncmp(response, "HTTP/", 5) || sscanf(response + 5, "%*[0-9.] %3u", &code) != 1 ||
	    code < 100 || code > 599)
		return -EINVAL;
	return (int)code;
}

int client_http_get(const struct topo_prefix *addr, unsigned int port, const char *host,
		    const char *path, unsigned int timeout_ms, char **response)
{
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(addr, port, &ss);
	struct timespec end = deadline(timeout_ms);
	_cleanup_close_ int fd =
		socket(addr->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	_cleanup_free_ char *req = util_xasprintf(
		"GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: netlab\r\nConnection: close\r\n\r\n",
		path, host);
	struct strbuf got = { 0 };
	size_t sent = 0, len = strlen(req);
	int r, err = 0;
	socklen_t el = sizeof(err);

	*response = NULL;
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		return -errno;
	if ((r = wait_fd(fd, POLLOUT, &end)) < 0)
		return r;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err)
		return err ? -err : -errno;
	while (sent < len) {
		ssize_t n = send(fd, req + sent, len - sent, MSG_NOSIGNAL);

		if (n < 0 && errno != EAGAIN)
			return -errno;
		if (n < 0 && (r = wait_fd(fd, POLLOUT, &end)) < 0)
			return r;
		sent += n > 0 ? (size_t)n : 0;
	}
	for (;;) {
		char buf[16384];
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n == 0 || got.len >= CLIENT_HTTP_BODY_MAX)
			break;
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			strbuf_release(&got);
			return -errno;
		}
		if (n < 0) {
			if ((r = wait_fd(fd, POLLIN, &end)) < 0) {
				if (got.len)
					break; /* what came in time */
				strbuf_release(&got);
				return r;
			}
			continue;
		}
		strbuf_add(&got, buf, (size_t)n);
	}
	*response = strbuf_detach(&got);
	return 0;
}
