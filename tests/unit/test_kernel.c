/* test_kernel.c: pure parts of the kernel layer: libnl error codes to errno (kernel/nls.c), and the
 * ICMP messages probes send and parse (kernel/icmp.c). No privileges needed. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <sys/socket.h>

#include <netlink/errno.h>

#include "icmp.h"
#include "net.h"
#include "nls.h"
#include "tap.h"

/* An IPv4 packet: a 20-byte header (ihl 5), then msg. */
static size_t ipv4(uint8_t *buf, const void *msg, size_t len)
{
	memset(buf, 0, 20);
	buf[0] = 0x45;
	memcpy(buf + 20, msg, len);
	return 20 + len;
}

int main(void)
{
	static const struct {
		int nle, err;
	} map[] = {
		{ NLE_EXIST, EEXIST },	       { NLE_NOMEM, ENOMEM },	      { NLE_PERM, EPERM },
		{ NLE_OBJ_NOTFOUND, ENOENT },  { NLE_NODEV, ENODEV },	      { NLE_INVAL, EINVAL },
		{ NLE_RANGE, ERANGE },	       { NLE_OPNOTSUPP, EOPNOTSUPP }, { NLE_BUSY, EBUSY },
		{ NLE_NOADDR, EADDRNOTAVAIL },
	};
	struct nls n = { 0 };
	struct icmp_echo e;
	struct icmp_in in;
	uint8_t pkt[256];
	size_t len;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		ok(nls_result(NULL, -map[i].nle) == -map[i].err, "-NLE %d -> %s", map[i].nle,
		   strerror(map[i].err));
	ok(nls_result(NULL, 0) == 0 && nls_result(NULL, 5) == 0, "success stays 0");
	ok(nls_result(NULL, -NLE_FAILURE) == -EPROTO,
	   "an error with no errno equivalent is EPROTO");
	n.kerr = -ENETUNREACH;
	ok(nls_result(&n, -NLE_FAILURE) == -ENETUNREACH,
	   "the kernel's own errno wins over libnl's folded code");
	nls_begin(&n);
	ok(n.kerr == 0 && nls_result(&n, -NLE_EXIST) == -EEXIST,
	   "nls_begin forgets the last kernel error");
	{
		/* no descriptor left: the socket's own errno, not a folded "Protocol error" */
		struct rlimit old, none;
		struct nls m = { 0 };
		int r;

		getrlimit(RLIMIT_NOFILE, &old);
		none = old;
		none.rlim_cur = 3;
		setrlimit(RLIMIT_NOFILE, &none);
		r = nls_open_in(&m, -1, -1);
		setrlimit(RLIMIT_NOFILE, &old);
		ok(r == -EMFILE,
		   "a socket that cannot be opened for want of descriptors says EMFILE (got %s)",
		   strerror(-r));
		nls_close(&m);
	}
	if (geteuid() == 0 && unshare(CLONE_NEWNET) == 0) {
		/* in a network namespace of this test's own: a route through a gateway on no subnet
		 */
		struct topo_route rt = { .has_via = true };
		struct nls m = { 0 };
		int r;

		must(topo_prefix_parse("10.9.0.0/16", true, &rt.dst));
		must(topo_prefix_parse("10.1.1.1", false, &rt.via));
		r = nls_open_in(&m, -1, -1);
		ok(r == 0, "a route socket in a new namespace");
		r = route_add(&m, &rt, 0);
		ok(r == -ENETUNREACH, "the kernel refuses a gateway on no subnet (got %s)",
		   strerror(-r));
		ok(nls_ext_ack(&m, r) != NULL, "and says why in its extended ack: '%s'",
		   nls_ext_ack(&m, r) ? nls_ext_ack(&m, r) : "(nothing)");
		ok(nls_ext_ack(&m, -EEXIST) == NULL, "which explains that error alone");
		nls_close(&m);
	} else {
		ok(1, "# skip the kernel's extended ack needs root");
		ok(1, "# skip");
		ok(1, "# skip");
		ok(1, "# skip");
	}

	icmp_echo_build(&e, AF_INET, 0x1234, 7, 42, 99);
	ok(e.type == ICMP_ECHO && ntohs(e.id) == 0x1234 && ntohs(e.seq) == 7 &&
		   e.p.magic == ICMP_PROBE_MAGIC,
	   "IPv4 echo request");
	ok(icmp_cksum(&e, sizeof(e)) == 0, "its checksum verifies");
	icmp_echo_build(&e, AF_INET6, 1, 2, 3, 4);
	ok(e.type == ICMP6_ECHO_REQUEST && e.cksum == 0, "IPv6 echo request (the kernel sums it)");

	icmp_echo_build(&e, AF_INET, 0x1234, 7, 42, 99);
	e.type = ICMP_ECHOREPLY;
	len = ipv4(pkt, &e, sizeof(e));
	ok(icmp_parse(AF_INET, pkt, len, &in) && in.reply && in.id == 0x1234 && in.seq == 7 &&
		   in.p.index == 42 && in.p.sent_ns == 99,
	   "an IPv4 echo reply of ours");
	ok(!icmp_parse(AF_INET, pkt, len - 1, &in), "a truncated reply is refused");
	pkt[0] = 0x4f; /* ihl 15: 60 bytes of header, longer than the packet's ICMP part allows */
	ok(!icmp_parse(AF_INET, pkt, 60, &in), "a header length past the data is refused");
	pkt[0] = 0x44; /* ihl 4: shorter than an IPv4 header */
	ok(!icmp_parse(AF_INET, pkt, len, &in), "a header length under 20 is refused");
	e.p.magic = 0;
	len = ipv4(pkt, &e, sizeof(e));
	ok(!icmp_parse(AF_INET, pkt, len, &in), "a reply without our magic is not ours");

	icmp_echo_build(&e, AF_INET6, 5, 6, 1, 2);
	e.type = ICMP6_ECHO_REPLY;
	ok(icmp_parse(AF_INET6, (uint8_t *)&e, sizeof(e), &in) && in.reply && in.id == 5 &&
		   in.seq == 6,
	   "an IPv6 echo reply (no IP header)");
	ok(!icmp_parse(AF_INET6, (uint8_t *)&e, 7, &in), "7 bytes are not a message");
	{
		/* time exceeded: 8 bytes of ICMP, then the quoted IPv4 header and 8 bytes of our
		 * request */
		uint8_t te[8 + 20 + 8] = { ICMP_TIME_EXCEEDED };

		icmp_echo_build(&e, AF_INET, 0xabcd, 0x8003, 0, 0);
		te[8] = 0x45;
		memcpy(te + 28, &e, 8);
		len = ipv4(pkt, te, sizeof(te));
		ok(icmp_parse(AF_INET, pkt, len, &in) && in.exceeded && in.id == 0xabcd &&
			   in.seq == 0x8003,
		   "an IPv4 time exceeded quoting our request");
		ok(!icmp_parse(AF_INET, pkt, len - 1, &in),
		   "with the quote cut short it is refused");
	}
	{
		uint8_t te[8 + 40 + 8] = { ICMP6_TIME_EXCEEDED };

		icmp_echo_build(&e, AF_INET6, 0x0102, 0x8001, 0, 0);
		memcpy(te + 48, &e, 8);
		ok(icmp_parse(AF_INET6, te, sizeof(te), &in) && in.exceeded && in.id == 0x0102 &&
			   in.seq == 0x8001,
		   "an IPv6 time exceeded");
		ok(!icmp_parse(AF_INET6, te, sizeof(te) - 1, &in), "cut short: refused");
	}
	pkt[20] = ICMP_DEST_UNREACH;
	ok(!icmp_parse(AF_INET, pkt, 64, &in), "other ICMP types are not ours");
	return tap_done();
}
