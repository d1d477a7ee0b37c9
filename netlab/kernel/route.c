/* route.c: static routes through libnl-route-3. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <netlink/route/route.h>

#include "net.h"

/* Adds (add) or deletes the route. */
static int route_change(struct nls *n, const struct topo_route *rt, int ifindex, bool add)
{
	int alen = rt->dst.family == AF_INET ? 4 : 16;
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = nl_addr_build(rt->dst.family, rt->dst.addr, alen);
	struct nl_addr *gw = rt->has_via ? nl_addr_build(rt->via.family, rt->via.addr, alen) : NULL;
	int ret = -ENOMEM;

	if (!r || !nh || !dst || (rt->has_via && !gw))
		goto out;
	nl_addr_set_prefixlen(dst, (int)rt->dst.len);
	rtnl_route_set_family(r, (uint8_t)rt->dst.family);
	rtnl_route_set_dst(r, dst);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_scope(r, rt->has_via ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	if (gw)
		rtnl_route_nh_set_gateway(nh, gw);
	if (ifindex)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_add_nexthop(r, nh);
	nh = NULL; /* owned by the route now */
	nls_begin(n);
	ret = nls_result(n, add ? rtnl_route_add(n->sk, r, NLM_F_EXCL) :
				  rtnl_route_delete(n->sk, r, 0));
out:
	if (nh)
		rtnl_route_nh_free(nh);
	if (gw)
		nl_addr_put(gw);
	if (dst)
		nl_addr_put(dst);
	if (r)
		rtnl_route_put(r);
	return ret;
}

int route_add(struct nls *n, const struct topo_route *rt, int ifindex)
{
	return route_change(n, rt, ifindex, true);
}

int route_del(struct nls *n, const struct topo_route *rt, int ifindex)
{
	return route_change(n, rt, ifindex, false);
}
