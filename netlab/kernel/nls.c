/* nls.c: route sockets inside namespaces. libnl folds many kernel errnos into NLE_FAILURE, so an
 * error callback keeps the kernel's own errno for messages such as "Network is unreachable". */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include <linux/netlink.h>

#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "nls.h"
#include "nsfs.h"
#include "util.h"

/* The kernel's extended ack message (NLMSGERR_ATTR_MSG), asked for with NETLINK_EXT_ACK as
 * iproute2 does, kept in n with the error it explains (nls_ext_ack). */
static void keep_ext_ack(struct nls *n, const struct nlmsgerr *e)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	size_t off = sizeof(*e);
	const char *end = (const char *)nlh + nlh->nlmsg_len;
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN; /* the request is echoed first */
	for (a = (const struct nlattr *)((const char *)e + off);
	     (const char *)a + NLA_HDRLEN <= end && a->nla_len >= NLA_HDRLEN &&
	     (const char *)a + a->nla_len <= end;
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len)))
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && a->nla_len > NLA_HDRLEN &&
		    memchr((const char *)a + NLA_HDRLEN, '\0', a->nla_len - NLA_HDRLEN))
			snprintf(n->ext_ack, sizeof(n->ext_ack), "the kernel says: %s",
				 (const char *)a + NLA_HDRLEN);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nls *n = arg;

	(void)who;
	n->kerr = e->error;
	if (e->error)
		keep_ext_ack(n, e);
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
	errno = 0;
	r = nl_connect(n->sk, NETLINK_ROUTE);
	/* a failed socket() or bind(): its errno (EMFILE...) says more than libnl's code */
	if (r < 0)
		r = errno ? -errno : nls_result(n, r);
	if (ns_fd >= 0) {
		int back = nsfs_enter(orig_fd, CLONE_NEWNET);

		r = r < 0 ? r : back;
	}
	if (r < 0)
		goto fail;
	nl_socket_modify_err_cb(n->sk, NL_CB_CUSTOM, on_error, n);
	{
		int one = 1; /* the kernel's own words with each error, when it has some */

		setsockopt(nl_socket_get_fd(n->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
			   sizeof(one));
	}
	return 0;
fail:
	nl_socket_free(n->sk);
	n->sk = NULL;
	return r;
}

const char *nls_ext_ack(struct nls *n, int err)
{
	return n && err < 0 && err == n->kerr && n->ext_ack[0] ? n->ext_ack : NULL;
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
		{ NLE_MSG_OVERFLOW, EMSGSIZE },
		{ NLE_MSG_TRUNC, EMSGSIZE },
		{ NLE_NOATTR, ENODATA },
		{ NLE_PROTO_MISMATCH, EPROTONOSUPPORT },
		{ NLE_IMMUTABLE, EPERM },
		{ NLE_PARSE_ERR, EBADMSG },
		{ NLE_MSGTYPE_NOSUPPORT, EOPNOTSUPP },
		{ NLE_OBJ_MISMATCH, EINVAL },
		{ NLE_DUMP_INTR, EAGAIN },
		{ NLE_SEQ_MISMATCH, EPROTO },
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
