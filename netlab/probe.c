/* probe.c: ICMP echo (ping) and TTL-limited echo (traceroute) from inside nodes. One raw socket per
 * node and address family, opened inside the node's network namespace; all probes of all nodes are
 * in flight at once, so unreachable pairs cost one timeout in total, not one each. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "apply.h"
#include "nsfs.h"
#include "probe.h"
#include "util.h"

#define PROBE_MAGIC 0x4e4c4142u /* "NLAB" */

struct payload {
	uint32_t magic;
	uint32_t index;
	uint64_t sent_ns;
};

struct echo {
	uint8_t type, code;
	uint16_t cksum, id, seq;
	struct payload p;
} __attribute__((packed));

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint16_t cksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* A raw ICMP socket of family af inside node i's namespace. */
static int open_icmp(const struct topo *t, size_t i, int af, int orig)
{
	_cleanup_free_ char *pin = apply_netns_path(t->nodes[i].netns);
	_cleanup_close_ int ns = nsfs_open(pin);
	int fd, r, big = 4 << 20;

	if (ns < 0)
		return ns;
	if ((r = nsfs_enter(ns, CLONE_NEWNET)) < 0)
		return r;
	fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	r = fd < 0 ? -errno : 0;
	if (nsfs_enter(orig, CLONE_NEWNET) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		return r;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	if (af == AF_INET6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
	return fd;
}

static int send_echo(int fd, const struct topo_prefix *dst, uint16_t id, uint16_t seq, uint32_t index)
{
	struct echo e = { .type = dst->family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST, .id = htons(id), .seq = htons(seq) };
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;

	e.p.magic = PROBE_MAGIC;
	e.p.index = index;
	e.p.sent_ns = now_ns();
	if (dst->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, dst->addr, 4);
		sl = sizeof(*sin);
		e.cksum = cksum(&e, sizeof(e)); /* ICMPv6 checksums are the kernel's job */
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, dst->addr, 16);
		sl = sizeof(*sin6);
	}
	if (sendto(fd, &e, sizeof(e), 0, (struct sockaddr *)&ss, sl) < 0)
		return -errno;
	return 0;
}

/* What one received ICMP message is: an echo reply or a time exceeded quoting our request. */
struct icmp_in {
	bool reply, exceeded;
	uint16_t id, seq;
	struct payload p; /* valid for replies */
	struct topo_prefix from;
};

static bool parse_icmp(int af, const uint8_t *buf, size_t len, const struct sockaddr_storage *ss, struct icmp_in *in)
{
	const uint8_t *icmp = buf;
	size_t ilen = len;

	memset(in, 0, sizeof(*in));
	if (af == AF_INET) {
		size_t hl;

		if (len < 20)
			return false;
		hl = (size_t)(buf[0] & 0x0f) * 4;
		if (hl < 20 || len < hl + 8)
			return false;
		icmp = buf + hl;
		ilen = len - hl;
		in->from.family = AF_INET;
		memcpy(in->from.addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		in->from.len = 32;
	} else {
		if (len < 8)
			return false;
		in->from.family = AF_INET6;
		memcpy(in->from.addr, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
		in->from.len = 128;
	}
	if ((af == AF_INET && icmp[0] == ICMP_ECHOREPLY) || (af == AF_INET6 && icmp[0] == ICMP6_ECHO_REPLY)) {
		struct echo e;

		if (ilen < sizeof(e))
			return false;
		memcpy(&e, icmp, sizeof(e));
		if (e.p.magic != PROBE_MAGIC)
			return false;
		in->reply = true;
		in->id = ntohs(e.id);
		in->seq = ntohs(e.seq);
		in->p = e.p;
		return true;
	}
	if ((af == AF_INET && icmp[0] == ICMP_TIME_EXCEEDED) || (af == AF_INET6 && icmp[0] == ICMP6_TIME_EXCEEDED)) {
		/* the quoted request: its IP header, then its first 8 bytes (type, code, sum, id, seq) */
		const uint8_t *q = icmp + 8;
		size_t qlen = ilen - 8, qhl;

		if (af == AF_INET) {
			if (qlen < 20)
				return false;
			qhl = (size_t)(q[0] & 0x0f) * 4;
		} else {
			qhl = 40;
		}
		if (qlen < qhl + 8)
			return false;
		in->exceeded = true;
		in->id = (uint16_t)(q[qhl + 4] << 8 | q[qhl + 5]);
		in->seq = (uint16_t)(q[qhl + 6] << 8 | q[qhl + 7]);
		return true;
	}
	return false;
}

/* Reads every waiting message of fd, calling fn for each ICMP message of ours. */
static void drain(int fd, int af, uint16_t id, void (*fn)(const struct icmp_in *in, void *arg), void *arg)
{
	for (;;) {
		uint8_t buf[2048];
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct icmp_in in;
		ssize_t got = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &sl);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (parse_icmp(af, buf, (size_t)got, &ss, &in) && in.id == id)
			fn(&in, arg);
	}
}

struct run_ctx {
	struct probe *v;
	size_t n;
	unsigned int count;
	size_t done; /* probes with count replies */
	uint16_t id;
};

static void on_reply(const struct icmp_in *in, void *arg)
{
	struct run_ctx *c = arg;
	struct probe *p;
	double ms;

	if (!in->reply || in->p.index >= c->n)
		return;
	p = &c->v[in->p.index];
	if (p->received >= p->sent)
		return; /* a duplicate */
	ms = (double)(now_ns() - in->p.sent_ns) / 1e6;
	if (p->received == 0 || ms < p->rtt_min)
		p->rtt_min = ms;
	if (ms > p->rtt_max)
		p->rtt_max = ms;
	p->rtt_sum += ms;
	if (++p->received == c->count)
		c->done++;
}

int probe_run(const struct topo *t, struct probe *v, size_t n, unsigned int count, unsigned int timeout_ms)
{
	struct run_ctx c = { .v = v, .n = n, .count = count, .id = (uint16_t)(getpid() & 0xffff) };
	_cleanup_free_ int *fds = util_xcalloc(t->n_nodes * 2, sizeof(int));
	_cleanup_free_ struct pollfd *pfd = NULL;
	_cleanup_free_ int *pfd_af = NULL;
	_cleanup_close_ int orig = nsfs_open("/proc/thread-self/ns/net");
	size_t n_pfd = 0;
	uint64_t deadline, next_round, next_retry;
	unsigned int round = 0;
	int r = 0;

	if (orig < 0)
		return orig;
	if (count == 0 || n == 0)
		return 0;
	util_raise_nofile(t->n_nodes * 2);
	for (size_t i = 0; i < t->n_nodes * 2; i++)
		fds[i] = -1;
	for (size_t k = 0; k < n && r == 0; k++) {
		int slot = (int)(v[k].src * 2 + (v[k].dst.family == AF_INET6));

		v[k].sent = v[k].received = 0;
		v[k].rtt_min = v[k].rtt_max = v[k].rtt_sum = 0;
		if (fds[slot] >= 0)
			continue;
		fds[slot] = open_icmp(t, v[k].src, v[k].dst.family, orig);
		if (fds[slot] < 0) {
			r = fds[slot];
			break;
		}
		pfd = util_xrealloc(pfd, (n_pfd + 1) * sizeof(*pfd));
		pfd_af = util_xrealloc(pfd_af, (n_pfd + 1) * sizeof(int));
		pfd[n_pfd] = (struct pollfd){ .fd = fds[slot], .events = POLLIN };
		pfd_af[n_pfd++] = v[k].dst.family;
	}
	next_round = now_ns();
	next_retry = next_round + (uint64_t)PROBE_RETRY_MS * 1000000u;
	deadline = next_round + (uint64_t)(count - 1) * PROBE_INTERVAL_MS * 1000000u + (uint64_t)timeout_ms * 1000000u;
	while (r == 0 && c.done < n) {
		uint64_t now = now_ns();
		int wait_ms;

		if (now >= deadline)
			break;
		if (round < count && now >= next_round) {
			for (size_t k = 0; k < n; k++) {
				int fd = fds[v[k].src * 2 + (v[k].dst.family == AF_INET6)];

				if (send_echo(fd, &v[k].dst, c.id, (uint16_t)round, (uint32_t)k) == 0)
					v[k].sent++;
			}
			round++;
			next_round = now + (uint64_t)PROBE_INTERVAL_MS * 1000000u;
		} else if (round == count && now >= next_retry) {
			/* no answer yet: ask again (a first packet may wait on ARP/ND resolution) */
			for (size_t k = 0; k < n; k++)
				if (v[k].received == 0 &&
				    send_echo(fds[v[k].src * 2 + (v[k].dst.family == AF_INET6)], &v[k].dst, c.id, (uint16_t)round, (uint32_t)k) == 0)
					v[k].sent++;
			next_retry = now + (uint64_t)PROBE_RETRY_MS * 1000000u;
		}
		now = now_ns();
		wait_ms = (int)((deadline - now) / 1000000u) + 1;
		if (round < count && (int)((next_round - now) / 1000000u) + 1 < wait_ms)
			wait_ms = (int)((next_round - now) / 1000000u) + 1;
		if (round == count && next_retry > now && (int)((next_retry - now) / 1000000u) + 1 < wait_ms)
			wait_ms = (int)((next_retry - now) / 1000000u) + 1;
		if (poll(pfd, n_pfd, wait_ms) < 0 && errno != EINTR)
			r = -errno;
		for (size_t q = 0; q < n_pfd; q++)
			if (pfd[q].revents & POLLIN)
				drain(pfd[q].fd, pfd_af[q], c.id, on_reply, &c);
	}
	for (size_t i = 0; i < t->n_nodes * 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return r;
}

struct trace_ctx {
	uint16_t id, seq;
	bool got, reached;
	struct topo_prefix from;
};

static void on_trace(const struct icmp_in *in, void *arg)
{
	struct trace_ctx *c = arg;

	if (in->seq != c->seq || c->got)
		return;
	c->got = true;
	c->reached = in->reply;
	c->from = in->from;
}

int probe_trace(const struct topo *t, size_t src, const struct topo_prefix *dst, struct topo_prefix *hops, size_t max_hops,
		size_t *n_hops, bool *reached, unsigned int wait_ms)
{
	_cleanup_close_ int orig = nsfs_open("/proc/thread-self/ns/net");
	_cleanup_close_ int fd = -1;
	struct trace_ctx c = { .id = (uint16_t)(getpid() & 0xffff) };

	*n_hops = 0;
	*reached = false;
	if (orig < 0)
		return orig;
	if ((fd = open_icmp(t, src, dst->family, orig)) < 0)
		return fd;
	for (int ttl = 1, silent = 0; (size_t)ttl <= max_hops && !*reached && silent < PROBE_TRACE_SILENT; ttl++) {
		uint64_t end = now_ns() + (uint64_t)wait_ms * 1000000u;
		int r;

		if (dst->family == AF_INET)
			r = setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
		else
			r = setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
		if (r < 0)
			return -errno;
		c.seq = (uint16_t)(0x8000 + ttl);
		c.got = false;
		if ((r = send_echo(fd, dst, c.id, c.seq, 0)) < 0)
			return r;
		while (!c.got) {
			uint64_t now = now_ns();
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (now >= end)
				break;
			if (poll(&p, 1, (int)((end - now) / 1000000u) + 1) > 0)
				drain(fd, dst->family, c.id, on_trace, &c);
		}
		memset(&hops[*n_hops], 0, sizeof(hops[0]));
		if (c.got)
			hops[*n_hops] = c.from;
		(*n_hops)++;
		*reached = c.got && c.reached;
		silent = c.got ? 0 : silent + 1;
	}
	return 0;
}
