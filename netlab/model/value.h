/* value.h: the values a topology is written in, and the problems found in them: addresses and
 * prefixes, MAC addresses, numbers, names; a list of problems (topo_diag). Pure. */
#ifndef NETLAB_VALUE_H
#define NETLAB_VALUE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "attr.h"

#define TOPO_IFNAMSIZ 16 /* IFNAMSIZ: 15 bytes plus NUL */
#define TOPO_NAME_MAX 64 /* lab, node and link names */
#define TOPO_NETNS_MAX 255 /* a file name under /run/netns */
#define TOPO_HOSTNAME_MAX 64 /* HOST_NAME_MAX */

/* An address with its prefix length (192.168.1.1/24), or a network (10.0.0.0/8). */
struct topo_prefix {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned int len;
};

/* Problems found in what a user wrote (a topology file, an assertion, a `set` word), each one
 * message; the loader's are formatted as "FILE:LINE: message". The model's one error channel
 * besides a -errno return: the command layer prints them. */
struct topo_diag {
	char **msgs;
	size_t n; /* messages kept, at most TOPO_DIAG_MAX */
	size_t more; /* problems found past those: counted, not kept (a small file can hold many) */
};
#define TOPO_DIAG_MAX 1000
void topo_diag_add(struct topo_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void topo_diag_clear(struct topo_diag *d);
/* Adds "PREFIXmessage". */
void topo_diag_vadd(struct topo_diag *d, const char *prefix, const char *fmt, va_list ap);

/* Address helpers. topo_prefix_parse accepts "ADDR/LEN", and "ADDR" when need_len is false
 * (the length is then the full one). Returns 0 or -EINVAL. */
_must_check_ int topo_prefix_parse(const char *s, bool need_len, struct topo_prefix *p);
/* Formats as "ADDR/LEN" (with_len) or "ADDR"; buf needs 64 bytes. */
const char *topo_prefix_str(const struct topo_prefix *p, bool with_len, char *buf, size_t size);
unsigned int topo_prefix_maxlen(int family);
/* True when a lies within network net (net->len bits compared). */
bool topo_prefix_contains(const struct topo_prefix *net, const struct topo_prefix *a);
/* True when the address has bits set beyond its prefix length. */
bool topo_prefix_has_host_bits(const struct topo_prefix *p);
bool topo_prefix_same_addr(const struct topo_prefix *a, const struct topo_prefix *b);
/* Why p cannot be an interface's address (unspecified, loopback, multicast; for IPv4 with a prefix
 * shorter than /31, the network or the broadcast address), or NULL when it can. */
const char *topo_prefix_iface_problem(const struct topo_prefix *p);
/* Parses "aa:bb:cc:dd:ee:ff". Returns 0 or -EINVAL. */
_must_check_ int topo_mac_parse(const char *s, unsigned char mac[6]);
/* Strict decimal: no sign, no leading zero, within [min, max]. Returns 0 or -EINVAL/-ERANGE. */
_must_check_ int topo_parse_uint(const char *s, unsigned long min, unsigned long max,
				 unsigned long *out);
/* Parses a size: a whole number of MiB or GiB ("64M", "2G"; also "64MiB", lowercase too), within
 * [min_mib, max_mib] MiB. Returns 0 or -EINVAL/-ERANGE. */
_must_check_ int topo_parse_size_mib(const char *s, unsigned long min_mib, unsigned long max_mib,
				     unsigned long *mib);

/* Parses a number of CPUs as Kathara's [cpus] and Docker's --cpus: "0.5", "2", "1.25" (at most two
 * decimals), more than 0 and at most TOPO_CPUS_MAX, into hundredths. Returns 0 or -EINVAL/-ERANGE.
 */
#define TOPO_CPUS_MAX 1024
#define TOPO_MEMORY_MIN_MIB 4 /* [node] memory = SIZE: less, and a shell cannot start */
#define TOPO_MEMORY_MAX_MIB (1024 * 1024)
_must_check_ int topo_parse_cpus(const char *s, unsigned long *centi);

/* Name rules (documented in docs/topology.md). */
bool topo_name_valid(const char *s, size_t max); /* node and link names */
bool topo_lab_name_valid(const char *s, size_t max); /* lab name and netns prefix */
bool topo_hostname_valid(const char *s);

#endif
