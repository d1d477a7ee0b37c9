/* netinfo.c: reads a namespace's links, addresses and routes through libnl caches (status). */
#include <errno.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "net.h"
#include "strbuf.h"
#include "util.h"

static void cache_freep(struct nl_cache **c)
{
	if (*c)
		nl_cache_free(*c);
}
#define _cleanup_cache_ __attribute__((cleanup(cache_freep)))

static void prefix_str(struct nl_addr *a, char *buf, size_t size)
{
	if (!a || nl_addr_get_prefixlen(a) == 0)
		snprintf(buf, size, "default");
	else
		nl_addr2str(a, buf, size);
}

/* The link's operational state as `ip` prints it: UP, DOWN, LOWERLAYERDOWN, UNKNOWN, ...
 * The kernel sets the flags IFF_UP and IFF_LOWER_UP (carrier) at once, but the operational state
 * later, from a work queue (linkwatch; up to a second on a busy machine): so the flags decide
 * whether a link is up, and a state that has not caught up with them yet is not reported. */
static void operstate(struct rtnl_link *l, char *buf, size_t size)
{
	unsigned int flags = rtnl_link_get_flags(l);
	uint8_t st = rtnl_link_get_operstate(l);

	if (!(flags & IFF_UP))
		st = IF_OPER_DOWN;
	else if (!(flags & IFF_LOWER_UP))
		st = IF_OPER_LOWERLAYERDOWN;
	else if (st == IF_OPER_DOWN || st == IF_OPER_LOWERLAYERDOWN || st == IF_OPER_NOTPRESENT)
		st = IF_OPER_UP;
	rtnl_link_operstate2str(st, buf, size);
	for (char *p = buf; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
}

/* An interface's position in out->ifaces, by ifindex (sorted: one lookup per address or qdisc,
 * not a scan of every address per interface). */
struct by_index {
	int ifindex;
	size_t pos;
};

static int cmp_index(const void *a, const void *b)
{
	int x = ((const struct by_index *)a)->ifindex, y = ((const struct by_index *)b)->ifindex;

	return x < y ? -1 : x > y;
}

static struct net_iface *iface_at(struct net_info *out, const struct by_index *ix, int ifindex)
{
	struct by_index key = { .ifindex = ifindex },
			*f = bsearch(&key, ix, out->n_ifaces, sizeof(*ix), cmp_index);

	return f ? &out->ifaces[f->pos] : NULL;
}

struct impair_ctx {
	struct net_info *out;
	const struct by_index *ix;
};

static void impair_fn(int ifindex, const struct topo_impair *imp, void *arg)
{
	struct impair_ctx *c = arg;
	struct net_iface *ifc = iface_at(c->out, c->ix, ifindex);

	if (ifc)
		topo_impair_str(imp, ifc->impair, sizeof(ifc->impair));
}

/* A new cache of kind ops ("route/link", "route/route") filled by the dump that req asks for
 * (freed here), with NETLINK_GET_STRICT_CHK on when strict: the kernel then filters by req's
 * header. Returns 0 or a libnl error. */
static int dump_cache(struct nls *n, const char *ops, struct nl_msg *req, bool strict,
		      struct nl_cache **out)
{
	int fd = nl_socket_get_fd(n->sk), on = strict, r = -NLE_NOMEM;
	struct nl_cache *c = nl_cache_alloc(nl_cache_ops_lookup_safe(ops));

	if (c && req && setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof(on)) == 0) {
		r = nl_send_auto(n->sk, req);
		if (r >= 0)
			r = nl_cache_pickup(n->sk, c);
		on = 0;
		setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof(on));
	} else if (c && req) {
		r = -nl_syserr2nlerr(errno); /* a kernel before 4.20 */
	}
	nlmsg_free(req);
	if (r < 0 && c)
		nl_cache_free(c);
	else if (r >= 0)
		*out = c;
	return r < 0 ? r : 0;
}

/* The main table's routes of family (AF_UNSPEC: all): a dump the kernel filters itself by its
 * rtm_table (libnl's own asks for every table, and a node's local tables hold most of its
 * routes). */
static int main_routes(struct nls *n, int family, struct nl_cache **out)
{
	struct rtmsg rtm = { .rtm_family = (unsigned char)family, .rtm_table = RT_TABLE_MAIN };
	struct nl_msg *req = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_DUMP);

	if (req && nlmsg_append(req, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(req);
		req = NULL;
	}
	return dump_cache(n, "route/route", req, true, out);
}

/* Every link, without its statistics (RTEXT_FILTER_SKIP_STATS: the kernel sums each counter over
 * every CPU for them, IPv6's dozens among them, and nothing here reads them). */
static int links_nostats(struct nls *n, struct nl_cache **out)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *req = nlmsg_alloc_simple(RTM_GETLINK, NLM_F_DUMP);

	if (req && (nlmsg_append(req, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
		    nla_put_u32(req, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) < 0)) {
		nlmsg_free(req);
		req = NULL;
	}
	return dump_cache(n, "route/link", req, false, out);
}

int net_info_get(struct nls *n, struct net_info *out)
{
	_cleanup_free_ struct by_index *ix = NULL;
	struct impair_ctx ic;
	_cleanup_cache_ struct nl_cache *links = NULL, *addrs = NULL, *routes = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	nls_begin(n);
	if ((r = nls_result(n, links_nostats(n, &links))) < 0)
		return r;
	nls_begin(n);
	if ((r = nls_result(n, rtnl_addr_alloc_cache(n->sk, &addrs))) < 0)
		return r;
	nls_begin(n);
	if ((r = nls_result(n, main_routes(n, AF_UNSPEC, &routes))) < 0)
		return r;
	ix = util_xcalloc(nl_cache_nitems(links) + 1, sizeof(*ix));
	for (struct nl_object *o = nl_cache_get_first(links); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		struct net_iface *ifc = util_grow(&out->ifaces, &out->n_ifaces, sizeof(*ifc));

		ix[out->n_ifaces - 1] =
			(struct by_index){ rtnl_link_get_ifindex(l), out->n_ifaces - 1 };
		snprintf(ifc->name, sizeof(ifc->name), "%s", rtnl_link_get_name(l));
		operstate(l, ifc->state, sizeof(ifc->state));
		if (rtnl_link_get_master(l) > 0)
			rtnl_link_i2name(links, rtnl_link_get_master(l), ifc->master,
					 sizeof(ifc->master));
	}
	qsort(ix, out->n_ifaces, sizeof(*ix), cmp_index);
	for (struct nl_object *ao = nl_cache_get_first(addrs); ao; ao = nl_cache_get_next(ao)) {
		struct rtnl_addr *a = (struct rtnl_addr *)ao;
		struct net_iface *ifc = iface_at(out, ix, rtnl_addr_get_ifindex(a));
		char buf[80];

		if (!ifc)
			continue;
		nl_addr2str(rtnl_addr_get_local(a), buf, sizeof(buf));
		*(char **)util_grow(&ifc->addrs, &ifc->n_addrs, sizeof(char *)) = util_xstrdup(buf);
	}
	ic = (struct impair_ctx){ out, ix };
	if ((r = qdisc_read_all(n, impair_fn, &ic)) < 0)
		return r;
	for (struct nl_object *o = nl_cache_get_first(routes); o; o = nl_cache_get_next(o)) {
		struct rtnl_route *rt = (struct rtnl_route *)o;
		struct net_route *nr;

		if (rtnl_route_get_table(rt) != RT_TABLE_MAIN ||
		    rtnl_route_get_type(rt) != RTN_UNICAST)
			continue;
		nr = util_grow(&out->routes, &out->n_routes, sizeof(*nr));
		nr->family = rtnl_route_get_family(rt);
		prefix_str(rtnl_route_get_dst(rt), nr->dst, sizeof(nr->dst));
		for (int k = 0; k < rtnl_route_get_nnexthops(rt); k++) {
			struct net_nexthop *x = util_grow(&nr->nhs, &nr->n_nhs, sizeof(*x));
			struct rtnl_nexthop *nh = rtnl_route_nexthop_n(rt, k);

			if (rtnl_route_nh_get_gateway(nh))
				nl_addr2str(rtnl_route_nh_get_gateway(nh), x->via, sizeof(x->via));
			rtnl_link_i2name(links, rtnl_route_nh_get_ifindex(nh), x->dev,
					 sizeof(x->dev));
		}
	}
	return 0;
}

void net_info_clear(struct net_info *info)
{
	for (size_t i = 0; i < info->n_ifaces; i++) {
		for (size_t k = 0; k < info->ifaces[i].n_addrs; k++)
			free(info->ifaces[i].addrs[k]);
		free(info->ifaces[i].addrs);
	}
	free(info->ifaces);
	for (size_t i = 0; i < info->n_routes; i++)
		free(info->routes[i].nhs);
	free(info->routes);
	memset(info, 0, sizeof(*info));
}

static bool addr_is(struct nl_addr *a, const struct topo_prefix *p)
{
	return a && nl_addr_get_family(a) == p->family &&
	       memcmp(nl_addr_get_binary_addr(a), p->addr, p->family == AF_INET ? 4 : 16) == 0;
}

/* Whether route rt goes to exactly dst, through each of gws. */
static bool route_is(struct rtnl_route *rt, const struct topo_prefix *dst,
		     const struct topo_prefix *gws, size_t n_gws)
{
	struct nl_addr *d = rtnl_route_get_dst(rt);

	if (!d || (unsigned int)nl_addr_get_prefixlen(d) != dst->len ||
	    (dst->len && !addr_is(d, dst)))
		return false;
	for (size_t g = 0; g < n_gws; g++) {
		bool found = false;

		for (int k = 0; k < rtnl_route_get_nnexthops(rt) && !found; k++)
			found = addr_is(rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(rt, k)),
					&gws[g]);
		if (!found)
			return false;
	}
	return true;
}

/* One route as `ip route` prints it: "DST [via GW] dev DEV", a multipath route's next hops as
 * "nexthop via GW dev DEV". */
static void route_line(struct nl_cache *links, struct rtnl_route *rt, struct strbuf *sb)
{
	char buf[80];
	int nn = rtnl_route_get_nnexthops(rt);

	prefix_str(rtnl_route_get_dst(rt), buf, sizeof(buf));
	strbuf_addf(sb, "%s", buf);
	for (int k = 0; k < nn; k++) {
		struct rtnl_nexthop *nh = rtnl_route_nexthop_n(rt, k);
		char dev[TOPO_IFNAMSIZ] = "";

		if (nn > 1)
			strbuf_addf(sb, " nexthop");
		if (rtnl_route_nh_get_gateway(nh))
			strbuf_addf(sb, " via %s",
				    nl_addr2str(rtnl_route_nh_get_gateway(nh), buf, sizeof(buf)));
		if (links &&
		    rtnl_link_i2name(links, rtnl_route_nh_get_ifindex(nh), dev, sizeof(dev)))
			strbuf_addf(sb, " dev %s", dev);
	}
	strbuf_addf(sb, "\n");
}

int net_route_find(struct nls *n, const struct topo_prefix *dst, const struct topo_prefix *gws,
		   size_t n_gws, char **seen)
{
	_cleanup_cache_ struct nl_cache *routes = NULL, *links = NULL;
	struct strbuf sb = { 0 };
	int r, found = 0, lines = 0;

	*seen = NULL;
	nls_begin(n);
	if ((r = nls_result(n, main_routes(n, dst->family, &routes))) < 0)
		return r;
	nls_begin(n);
	if (nls_result(n, links_nostats(n, &links)) < 0)
		links = NULL;
	for (struct nl_object *o = nl_cache_get_first(routes); o; o = nl_cache_get_next(o)) {
		struct rtnl_route *rt = (struct rtnl_route *)o;

		if (rtnl_route_get_table(rt) != RT_TABLE_MAIN ||
		    rtnl_route_get_type(rt) != RTN_UNICAST)
			continue;
		found |= route_is(rt, dst, gws, n_gws);
		if (lines++ < 20)
			route_line(links, rt, &sb);
	}
	if (lines > 20)
		strbuf_addf(&sb, "(%d routes more)\n", lines - 20);
	*seen = strbuf_detach(&sb);
	return found;
}

int net_link_state(struct nls *n, const char *name, char *state, size_t size)
{
	struct rtnl_link *l = NULL;
	int r;

	nls_begin(n);
	if ((r = nls_result(n, rtnl_link_get_kernel(n->sk, 0, name, &l))) < 0)
		return r;
	operstate(l, state, size);
	rtnl_link_put(l);
	return 0;
}

/* /proc/net/{tcp,udp}[6]: "sl local_address rem_address st ...", local as HEXADDR:HEXPORT. */
static int port_in(const char *file, int proto, unsigned int port)
{
	_cleanup_free_ char *text = NULL;
	char *save;
	int r = util_read_file(file, &text, NULL);

	if (r < 0)
		return r == -ENOENT ? 0 : r;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char local[80], remote[80];
		unsigned int st, lport;
		char *colon;

		if (sscanf(line, " %*[^:]: %79s %79s %x", local, remote, &st) != 3 ||
		    !(colon = strrchr(local, ':')))
			continue;
		lport = (unsigned int)strtoul(colon + 1, NULL, 16);
		if (lport == port && (proto == IPPROTO_UDP || st == 0x0A /* TCP_LISTEN */))
			return 1;
	}
	return 0;
}

int net_port_open(int proto, unsigned int port)
{
	const char *base = proto == IPPROTO_TCP ? "/proc/thread-self/net/tcp" :
						  "/proc/thread-self/net/udp";
	_cleanup_free_ char *v6 = util_xasprintf("%s6", base);
	int r = port_in(base, proto, port);

	return r != 0 ? r : port_in(v6, proto, port);
}
