/* kernel_link.c: veth pairs and link state through libnl-route-3. */
#include <errno.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

#include "net.h"

static void link_putp(struct rtnl_link **l)
{
	if (*l)
		rtnl_link_put(*l);
}
#define _cleanup_link_ __attribute__((cleanup(link_putp)))

int link_veth_add(struct nls *n, const struct link_veth *v)
{
	_cleanup_link_ struct rtnl_link *veth = rtnl_link_veth_alloc();
	struct rtnl_link *ends[2];

	if (!veth)
		return -ENOMEM;
	ends[0] = veth;
	ends[1] = rtnl_link_veth_get_peer(veth);
	for (int i = 0; i < 2; i++) {
		rtnl_link_set_name(ends[i], v->name[i]);
		rtnl_link_set_ns_fd(ends[i], v->ns_fd[i]);
		rtnl_link_set_ifindex(ends[i], v->ifindex[i]);
		if (v->mtu)
			rtnl_link_set_mtu(ends[i], v->mtu);
		/* one queue each way, as it will run: made with one per CPU, the kernel trims
		 * them to one and waits for an RCU grace period to do it (veth_init_queues) */
		rtnl_link_set_num_tx_queues(ends[i], 1);
		rtnl_link_set_num_rx_queues(ends[i], 1);
		if (v->mac[i]) {
			struct nl_addr *a = nl_addr_build(AF_LLC, v->mac[i], 6);

			if (!a) {
				rtnl_link_put(ends[1]);
				return -ENOMEM;
			}
			rtnl_link_set_addr(ends[i], a);
			nl_addr_put(a);
		}
	}
	rtnl_link_put(ends[1]);
	nls_begin(n);
	return nls_result(n, rtnl_link_add(n->sk, veth, NLM_F_CREATE | NLM_F_EXCL));
}

int link_lo_up_here(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (r == 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* Admin up (with master > 0, into that bridge) or down. */
static int set_admin(struct nls *n, int ifindex, bool up, int master)
{
	_cleanup_link_ struct rtnl_link *orig = rtnl_link_alloc();
	_cleanup_link_ struct rtnl_link *change = rtnl_link_alloc();

	if (!orig || !change)
		return -ENOMEM;
	rtnl_link_set_ifindex(orig, ifindex);
	if (up)
		rtnl_link_set_flags(change, IFF_UP);
	else
		rtnl_link_unset_flags(change, IFF_UP);
	if (master > 0)
		rtnl_link_set_master(change, master);
	nls_begin(n);
	return nls_result(n, rtnl_link_change(n->sk, orig, change, 0));
}

int link_set_up(struct nls *n, int ifindex, int master)
{
	return set_admin(n, ifindex, true, master);
}

int link_set_down(struct nls *n, int ifindex)
{
	return set_admin(n, ifindex, false, 0);
}

int link_del(struct nls *n, int ifindex)
{
	_cleanup_link_ struct rtnl_link *l = rtnl_link_alloc();

	if (!l)
		return -ENOMEM;
	rtnl_link_set_ifindex(l, ifindex);
	nls_begin(n);
	return nls_result(n, rtnl_link_delete(n->sk, l));
}
