/* nls.c: route sockets inside namespaces. libnl folds many kernel errnos into NLE_FAILURE, so an
 * error callback keeps the kernel's own errno for messages such as "Network is unreachable". */
#include <errno.h>
#include <sched.h>

#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "nls.h"
#include "nsfs.h"

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nls *n = arg;

	(void)who;
	n->kerr = e->error;
	return NL_STOP;
}

int nls_open_in(struct nls *n, int ns_fd, int orig_fd)
{
	int r = 0;

	n->kerr = 0;
	n->sk = nl_socket_alloc();
	if (!n->sk)
		return -ENOMEM;
	if (ns_fd >= 0 && (r = nsfs_enter(ns_fd, CLONE_NEWNET)) < 0)
		goto fail;
	r = nls_result(n, nl_connect(n->sk, NETLINK_ROUTE));
	if (ns_fd >= 0) {
		int back = nsfs_enter(orig_fd, CLONE_NEWNET);

		r = r < 0 ? r : back;
	}
	if (r < 0)
		goto fail;
	nl_socket_modify_err_cb(n->sk, NL_CB_CUSTOM, on_error, n);
	return 0;
fail:
	nl_socket_free(n->sk);
	n->sk = NULL;
	return r;
}

void nls_close(struct nls *n)
{
	if (n->sk)
		nl_socket_free(n->sk);
	n->sk = NULL;
}

int nls_result(struct nls *n, int nle)
{
	static const struct {
		int nle, err;
	} map[] = {
		{ NLE_EXIST, EEXIST },
		{ NLE_NOMEM, ENOMEM },
		{ NLE_PERM, EPERM },
		{ NLE_NOACCESS, EACCES },
		{ NLE_BUSY, EBUSY },
		{ NLE_OBJ_NOTFOUND, ENOENT },
		{ NLE_NODEV, ENODEV },
		{ NLE_INVAL, EINVAL },
		{ NLE_RANGE, ERANGE },
		{ NLE_OPNOTSUPP, EOPNOTSUPP },
		{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
		{ NLE_AGAIN, EAGAIN },
		{ NLE_INTR, EINTR },
		{ NLE_BAD_SOCK, EBADF },
		{ NLE_MSGSIZE, EMSGSIZE },
		{ NLE_NOADDR, EADDRNOTAVAIL },
	};

	if (nle >= 0)
		return 0;
	if (n && n->kerr < 0)
		return n->kerr;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].nle == -nle)
			return -map[i].err;
	return -EPROTO;
}
