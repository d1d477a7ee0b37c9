/* health.c: a node's declared network against what its namespace holds (see health.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "health.h"
#include "util.h"

void health_add(struct health *h, enum health_kind kind, const char *fmt, ...)
{
	struct health_problem *p = util_grow(&h->v, &h->n, sizeof(*p));
	va_list ap;

	va_start(ap, fmt);
	p->what = util_xvasprintf(fmt, ap);
	va_end(ap);
	p->kind = kind;
}

static bool route_matches(const struct net_route *nr, const struct topo_route *r)
{
	struct topo_prefix dst = { .family = nr->family }, via;

	if (nr->family != r->dst.family)
		return false;
	if (strcmp(nr->dst, "default") != 0 && topo_prefix_parse(nr->dst, false, &dst) < 0)
		return false;
	if (dst.len != r->dst.len || (dst.len && !topo_prefix_contains(&r->dst, &dst)))
		return false;
	/* a multipath route holds the declared one when one of its next hops is it */
	for (size_t k = 0; k < nr->n_nhs; k++)
		if ((!r->has_via || (topo_prefix_parse(nr->nhs[k].via, false, &via) == 0 &&
				     topo_prefix_same_addr(&via, &r->via))) &&
		    (!r->dev[0] || strcmp(nr->nhs[k].dev, r->dev) == 0))
			return true;
	return false;
}

void health_net(const struct topo_node *n, const struct net_info *info, struct health *h)
{
	for (size_t k = 0; k < n->n_ifaces; k++) {
		const struct topo_iface *ifc = &n->ifaces[k];
		const struct net_iface *got = net_info_iface(info, ifc->name);
		char buf[64];

		if (!got) {
			health_add(h, HEALTH_INTERFACE, "%s is missing", ifc->name);
			continue;
		}
		if (ifc->down && net_state_up(got->state))
			health_add(h, HEALTH_INTERFACE,
				   "%s is %s, but was taken down by netlab link", ifc->name,
				   got->state);
		if (ifc->cut)
			continue; /* down on purpose, or its peer is: no carrier, and no IPv6
				     addresses */
		if (!net_state_up(got->state))
			health_add(h, HEALTH_INTERFACE, "%s is %s", ifc->name, got->state);
		for (size_t a = 0; a < ifc->n_addrs; a++)
			if (!net_iface_has(got, &ifc->addrs[a].p))
				health_add(h, HEALTH_ADDRESS, "%s missing on %s",
					   topo_prefix_str(&ifc->addrs[a].p, true, buf,
							   sizeof(buf)),
					   ifc->name);
	}
	for (size_t k = 0; k < n->n_routes; k++) {
		const struct topo_route *r = &n->routes[k];
		bool found = false;
		char dst[64], via[64];

		if (topo_route_cut(n, r))
			/* through a link that is down on purpose: the kernel removed it */
			continue;
		for (size_t i = 0; i < info->n_routes && !found; i++)
			found = route_matches(&info->routes[i], r);
		if (found)
			continue;
		health_add(h, HEALTH_ROUTE, "%s%s%s%s%s missing",
			   r->dst.len ? topo_prefix_str(&r->dst, true, dst, sizeof(dst)) :
					"default",
			   r->has_via ? " via " : "",
			   r->has_via ? topo_prefix_str(&r->via, false, via, sizeof(via)) : "",
			   r->dev[0] ? " dev " : "", r->dev);
	}
}

const char *health_kind_str(enum health_kind k)
{
	static const char *const names[] = { "namespace", "daemon", "interface", "address",
					     "route" };

	return names[k];
}

void health_clear(struct health *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->v[i].what);
	free(h->v);
	h->v = NULL;
	h->n = 0;
}
