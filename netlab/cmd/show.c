/* show.c: `netlab show FILE [--json]`: the resolved topology, as text or JSON from one pass. */
#include <string.h>
#include <sys/socket.h>

#include "commands.h"
#include "out.h"
#include "strbuf.h"
#include "util.h"

static const char *route_dst(const struct topo_route *r, char *buf, size_t size)
{
	if (r->dst.len == 0)
		return "default";
	return topo_prefix_str(&r->dst, true, buf, size);
}

/* mtu N, or JSON's null (and no text) for the kernel's default. */
static void print_mtu(struct out *o, unsigned int mtu)
{
	if (mtu)
		out_int(o, "mtu", " mtu %lld", mtu);
	else
		out_str(o, "mtu", NULL, NULL);
}

static void print_iface(struct out *o, const struct topo *t, const struct topo_iface *ifc)
{
	const struct topo_link *l = &t->links[ifc->link];
	const struct topo_end *me = &l->ends[ifc->end], *peer = &l->ends[!ifc->end];
	_cleanup_free_ char *peer_s = util_xasprintf("%s:%s", peer->node_name, peer->ifname);
	char b[64], mac[18];

	out_begin(o, NULL, '{');
	out_str(o, "name", "  %-16s", ifc->name);
	out_begin(o, "addresses", '[');
	for (size_t a = 0; a < ifc->n_addrs; a++)
		out_str(o, NULL, a ? ",%s" : " %s",
			topo_prefix_str(&ifc->addrs[a].p, true, b, sizeof(b)));
	out_end(o, ']');
	out_text(o, "%s", ifc->n_addrs ? "" : " -");
	out_str(o, "link", NULL, l->name);
	out_str(o, "peer", " peer %s", peer_s);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", me->mac[0], me->mac[1],
		 me->mac[2], me->mac[3], me->mac[4], me->mac[5]);
	out_str(o, "mac", me->has_mac ? " mac %s" : NULL, me->has_mac ? mac : NULL);
	print_mtu(o, l->mtu);
	if (ifc->vlan)
		out_int(o, "vlan", " vlan %lld", ifc->vlan);
	else
		out_str(o, "vlan", NULL, NULL);
	out_begin(o, "trunk", '[');
	for (size_t v = 0; v < ifc->n_trunk; v++)
		out_int(o, NULL, v ? ",%lld" : " trunk %lld", ifc->trunk[v]);
	out_end(o, ']');
	topo_impair_str(&ifc->imp, b, sizeof(b));
	out_str(o, "impairment", ifc->imp.set ? " [%s]" : NULL, ifc->imp.set ? b : NULL);
	out_text(o, "\n");
	out_end(o, '}');
}

static void print_route(struct out *o, const struct topo_route *rt)
{
	char d[64], v[64];

	out_begin(o, NULL, '{');
	out_str(o, "family", NULL, rt->dst.family == AF_INET6 ? "inet6" : "inet");
	out_str(o, "dst", "  route %s", route_dst(rt, d, sizeof(d)));
	out_str(o, "via", rt->has_via ? " via %s" : NULL,
		rt->has_via ? topo_prefix_str(&rt->via, false, v, sizeof(v)) : NULL);
	out_str(o, "dev", rt->dev[0] ? " dev %s" : NULL, rt->dev[0] ? rt->dev : NULL);
	out_text(o, "\n");
	out_end(o, '}');
}

static void print_node(struct out *o, const struct topo *t, const struct topo_node *n)
{
	char cpus[32];

	out_begin(o, NULL, '{');
	out_str(o, "name", "node %s", n->name);
	out_str(o, "kind", " (%s)", topo_kind_str(n->kind));
	out_str(o, "netns", ": namespace %s", n->netns);
	out_str(o, "hostname", ", hostname %s\n", n->hostname);
	out_begin(o, "interfaces", '[');
	for (size_t k = 0; k < n->n_ifaces; k++)
		print_iface(o, t, &n->ifaces[k]);
	out_end(o, ']');
	out_begin(o, "routes", '[');
	for (size_t r = 0; r < n->n_routes; r++)
		print_route(o, &n->routes[r]);
	out_end(o, ']');
	out_begin(o, "sysctls", '{');
	for (size_t s = 0; s < n->n_sysctls; s++) {
		out_text(o, "  sysctl %s =", n->sysctls[s].key);
		out_str(o, n->sysctls[s].key, " %s\n", n->sysctls[s].value);
	}
	out_end(o, '}');
	out_bool(o, "stp", NULL, n->stp);
	out_text(o, "%s", n->stp ? "  stp on\n" : "");
	out_begin(o, "exec", '[');
	for (size_t c = 0; c < n->n_execs; c++) {
		const char *key = n->execs[c].script ? "startup" : "command";

		out_begin(o, NULL, '{');
		out_text(o, "  %s", n->execs[c].script ? "startup" : "exec");
		out_str(o, key, " %s\n", n->execs[c].text);
		out_end(o, '}');
	}
	out_end(o, ']');
	out_begin(o, "daemons", '[');
	for (size_t c = 0; c < n->n_daemons; c++)
		out_str(o, NULL, "  daemon %s\n", n->daemons[c].text);
	out_end(o, ']');
	out_str(o, "files", n->files ? "  files %s\n" : NULL, n->files);
	out_str(o, "frr", n->frr ? "  frr %s\n" : NULL, n->frr);
	out_str(o, "bird", n->bird ? "  bird %s\n" : NULL, n->bird);
	snprintf(cpus, sizeof(cpus), "%lu.%02lu", n->cpus_centi / 100, n->cpus_centi % 100);
	out_str(o, "image", n->image ? "  image %s\n" : NULL, n->image);
	out_int(o, "memory_mib", n->memory_mib ? "  memory %lld MiB\n" : NULL,
		(long long)n->memory_mib);
	out_str(o, "cpus", n->cpus_centi ? "  cpus %s\n" : NULL, n->cpus_centi ? cpus : NULL);
	out_end(o, '}');
}

static void print_link(struct out *o, const struct topo_link *l)
{
	out_begin(o, NULL, '{');
	out_str(o, "name", "link %s:", l->name);
	out_begin(o, "endpoints", '[');
	for (int e = 0; e < 2; e++) {
		_cleanup_free_ char *s =
			util_xasprintf("%s:%s", l->ends[e].node_name, l->ends[e].ifname);

		out_str(o, NULL, e ? " - %s" : " %s", s);
	}
	out_end(o, ']');
	print_mtu(o, l->mtu);
	out_text(o, "\n");
	out_end(o, '}');
}

int cmd_show(const struct cmd_args *a)
{
	_cleanup_topo_ struct topo *t = NULL;
	struct out o = { .j = { .f = stdout }, .json = a->json };
	int r;

	if (a->argc != 1)
		return cmd_usage_error("show", a->argc ? "more than one topology file given" :
							 "no topology file given");
	if ((r = cmd_load_topology(a->argv[0], &t)) != EXIT_OK)
		return r;
	out_begin(&o, NULL, '{');
	out_str(&o, "lab", "lab %s", t->name);
	out_str(&o, "file", " (%s)", t->file);
	out_text(&o, ": %zu nodes, %zu links", t->n_nodes, t->n_links);
	out_str(&o, "netns_prefix", ", namespace prefix '%s'\n", t->prefix);
	out_str(&o, "description", t->description ? "%s\n" : NULL, t->description);
	out_begin(&o, "nodes", '[');
	for (size_t i = 0; i < t->n_nodes; i++)
		print_node(&o, t, &t->nodes[i]);
	out_end(&o, ']');
	out_begin(&o, "links", '[');
	for (size_t i = 0; i < t->n_links; i++)
		print_link(&o, &t->links[i]);
	out_end(&o, ']');
	out_end(&o, '}');
	return EXIT_OK;
}
