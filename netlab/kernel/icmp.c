/* icmp.c: building echo requests and parsing replies and time-exceeded errors. */
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <string.h>
#include <sys/socket.h>

#include "icmp.h"

uint16_t icmp_cksum(const void *data, size_t len)
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

void icmp_echo_build(struct icmp_echo *e, int af, uint16_t id, uint16_t seq, uint32_t index,
		     uint64_t sent_ns)
{
	memset(e, 0, sizeof(*e));
	e->type = af == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	e->id = htons(id);
	e->seq = htons(seq);
	e->p.magic = ICMP_PROBE_MAGIC;
	e->p.index = index;
	e->p.sent_ns = sent_ns;
	if (af == AF_INET)
		e->cksum = icmp_cksum(e, sizeof(*e));
}

bool icmp_parse(int af, const uint8_t *buf, size_t len, struct icmp_in *in)
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
	} else if (len < 8) {
		return false;
	}
	if ((af == AF_INET && icmp[0] == ICMP_ECHOREPLY) ||
	    (af == AF_INET6 && icmp[0] == ICMP6_ECHO_REPLY)) {
		struct icmp_echo e;

		if (ilen < sizeof(e))
			return false;
		memcpy(&e, icmp, sizeof(e));
		if (e.p.magic != ICMP_PROBE_MAGIC)
			return false;
		in->reply = true;
		in->id = ntohs(e.id);
		in->seq = ntohs(e.seq);
		in->p = e.p;
		return true;
	}
	if ((af == AF_INET && icmp[0] == ICMP_TIME_EXCEEDED) ||
	    (af == AF_INET6 && icmp[0] == ICMP6_TIME_EXCEEDED)) {
		/* the quoted request: its IP header, then its first 8 bytes (type, code, sum, id,
		 * seq) */
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
