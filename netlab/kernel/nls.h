/* nls.h: a libnl route socket bound inside one network namespace, and errno conversion. */
#ifndef NETLAB_NLS_H
#define NETLAB_NLS_H

#include <netlink/netlink.h>

#include "util.h"
#include "attr.h"

struct nls {
	struct nl_sock *sk;
	int kerr; /* the kernel's own errno (negative) for the last failed request, or 0 */
	char ext_ack[200]; /* its words on that failure (NETLINK_EXT_ACK), or "" */
};

/* Opens a NETLINK_ROUTE socket inside the namespace ns_fd (-1: the current one), then returns
 * to orig_fd. Returns 0 or -errno. */
_must_check_ int nls_open_in(struct nls *n, int ns_fd, int orig_fd);
void nls_close(struct nls *n);
/* Converts a libnl result (0 or -NLE_*) to 0 or -errno, preferring the kernel's exact errno. */
_must_check_ int nls_result(struct nls *n, int nle);
/* Clears the recorded kernel error (and its message); call before each request. */
static inline void nls_begin(struct nls *n)
{
	n->kerr = 0;
	n->ext_ack[0] = '\0';
}
/* "the kernel says: ..." when err is the failure of n's last request and the kernel said why;
 * else NULL. For util_log_errno_why. */
const char *nls_ext_ack(struct nls *n, int err);

#endif
