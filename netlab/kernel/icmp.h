/* icmp.h: the ICMP and ICMPv6 messages netlab's probes send and read back: echo requests
 * carrying a payload of ours, echo replies, and time-exceeded errors quoting a request. Pure: no
 * sockets here (lab/probe.c sends and receives); the parser reads lab traffic, so it is fuzzed. */
#ifndef NETLAB_ICMP_H
#define NETLAB_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ICMP_PROBE_MAGIC 0x4e4c4142u /* "NLAB" */

struct icmp_payload {
	uint32_t magic;
	uint32_t index; /* the probe it belongs to */
	uint64_t sent_ns;
};

struct icmp_echo {
	uint8_t type, code;
	uint16_t cksum, id, seq;
	struct icmp_payload p;
} __attribute__((packed));

/* Fills an echo request of family af (AF_INET or AF_INET6). ICMPv6 checksums are the kernel's. */
void icmp_echo_build(struct icmp_echo *e, int af, uint16_t id, uint16_t seq, uint32_t index,
		     uint64_t sent_ns);

/* What one received message is: an echo reply of ours, or a time exceeded quoting a request. */
struct icmp_in {
	bool reply, exceeded;
	uint16_t id, seq;
	struct icmp_payload p; /* valid for replies */
};

/* Parses what a raw socket of family af received (for AF_INET, with its IP header). Returns false
 * for anything else, including truncated messages. */
bool icmp_parse(int af, const uint8_t *buf, size_t len, struct icmp_in *in);

/* The Internet checksum (RFC 1071) of data, in network byte order. */
uint16_t icmp_cksum(const void *data, size_t len);

#endif
