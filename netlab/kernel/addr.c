/* addr.c: interface addresses through libnl-route-3. */
#include <errno.h>
#include <linux/if_addr.h>
#include <sys/socket.h>

#include <netlink/route/addr.h>

#include "net.h"

/* Adds (add) or deletes ADDR/LEN on ifindex. */
static int addr_change(struct nls *n, int ifindex, const struct topo_prefix *p, bool add)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(p->family, p->addr, p->family == AF_INET ? 4 : 16);
	int r = -ENOMEM;

	if (a && local) {
		nl_addr_set_prefixlen(local, (int)p->len);
		rtnl_addr_set_ifindex(a, ifindex);
		rtnl_addr_set_local(a, local);
		if (p->family == AF_INET6 && add)
			rtnl_addr_set_flags(a, IFA_F_NODAD);
		nls_begin(n);
		r = nls_result(n, add ? rtnl_addr_add(n->sk, a, NLM_F_EXCL) :
					rtnl_addr_delete(n->sk, a, 0));
	}
	if (local)
		nl_addr_put(local);
	if (a)
		rtnl_addr_put(a);
	return r;
}

int addr_add(struct nls *n, int ifindex, const struct topo_prefix *p)
{
	return addr_change(n, ifindex, p, true);
}

int addr_del(struct nls *n, int ifindex, const struct topo_prefix *p)
{
	return addr_change(n, ifindex, p, false);
}
