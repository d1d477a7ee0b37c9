/* nls.h: a libnl route socket bound inside one network namespace, and errno conversion. */
#ifndef NETLAB_NLS_H
#define NETLAB_NLS_H

#include <netlink/netlink.h>

#include "util.h"
#include "attr.h"

struct nls {
	struct nl_sock *sk;
	int kerr; /* the kernel's own errno (negative) for the last failed request, or 0 */
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
	util_error_detail(0, NULL);
}

#endif
