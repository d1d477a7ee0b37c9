/* show.c: `netlab show FILE [--json]`: the resolved topology as a table or as JSON. */
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

static void print_mac(char *buf, const unsigned char *m)
{
	sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void json_mtu(struct out_json *j, unsigned int mtu)
{
	if (mtu)
		out_json_int(j, "mtu", mtu);
	else
		out_json_str(j, "mtu", NULL);
}

static void json_iface(struct out_json *j, const struct topo *t, const struct topo_iface *ifc)
{
	const struct topo_link *l = &t->links[ifc->link];
	const struct topo_end *me = &l->ends[ifc->end], *peer = &l->ends[!ifc->end];
	_cleanup_free_ char *peer_s = util_xasprintf("%s:%s", peer->node_name, peer->ifname);
	char b[64];

	out_json_begin(j, NULL, '{');
	out_json_str(j, "name", ifc->name);
	out_json_str(j, "link", l->name);
	out_json_str(j, "peer", peer_s);
	if (me->has_mac)
		print_mac(b, me->mac);
	out_json_str(j, "mac", me->has_mac ? b : NULL);
	json_mtu(j, l->mtu);
	topo_impair_str(&ifc->imp, b, sizeof(b));
	out_json_str(j, "impairment", ifc->imp.set ? b : NULL);
	if (ifc->vlan)
		out_json_int(j, "vlan", ifc->vlan);
	else
		out_json_str(j, "vlan", NULL);
	out_json_begin(j, "trunk", '[');
	for (size_t v = 0; v < ifc->n_trunk; v++)
		out_json_int(j, NULL, ifc->trunk[v]);
	out_json_end(j, ']');
	out_json_begin(j, "addresses", '[');
	for (size_t a = 0; a < ifc->n_addrs; a++)
		out_json_str(j, NULL, topo_prefix_str(&ifc->addrs[a].p, true, b, sizeof(b)));
	out_json_end(j, ']');
	out_json_end(j, '}');
}

static void json_node(struct out_json *j, const struct topo *t, const struct topo_node *n)
{
	char b[64];

	out_json_begin(j, NULL, '{');
	out_json_str(j, "name", n->name);
	out_json_str(j, "kind", topo_kind_str(n->kind));
	out_json_str(j, "hostname", n->hostname);
	out_json_str(j, "netns", n->netns);
	out_json_begin(j, "interfaces", '[');
	for (size_t k = 0; k < n->n_ifaces; k++)
		json_iface(j, t, &n->ifaces[k]);
	out_json_end(j, ']');
	out_json_begin(j, "routes", '[');
	for (size_t r = 0; r < n->n_routes; r++) {
		const struct topo_route *rt = &n->routes[r];

		out_json_begin(j, NULL, '{');
		out_json_str(j, "family", rt->dst.family == AF_INET6 ? "inet6" : "inet");
		out_json_str(j, "dst", route_dst(rt, b, sizeof(b)));
		out_json_str(j, "via",
			     rt->has_via ? topo_prefix_str(&rt->via, false, b, sizeof(b)) : NULL);
		out_json_str(j, "dev", rt->dev[0] ? rt->dev : NULL);
		out_json_end(j, '}');
	}
	out_json_end(j, ']');
	out_json_begin(j, "sysctls", '{');
	for (size_t s = 0; s < n->n_sysctls; s++)
		out_json_str(j, n->sysctls[s].key, n->sysctls[s].value);
	out_json_end(j, '}');
	out_json_bool(j, "stp", n->stp);
	out_json_begin(j, "exec", '[');
	for (size_t c = 0; c < n->n_execs; c++) {
		out_json_begin(j, NULL, '{');
		out_json_str(j, n->execs[c].script ? "startup" : "command", n->execs[c].text);
		out_json_end(j, '}');
	}
	out_json_end(j, ']');
	out_json_begin(j, "daemons", '[');
	for (size_t c = 0; c < n->n_daemons; c++)
		out_json_str(j, NULL, n->daemons[c].text);
	out_json_end(j, ']');
	out_json_str(j, "files", n->files);
	out_json_str(j, "frr", n->frr);
	out_json_str(j, "bird", n->bird);
	out_json_end(j, '}');
}

static void show_json(const struct topo *t)
{
	struct out_json j = { .f = stdout };

	out_json_begin(&j, NULL, '{');
	out_json_str(&j, "lab", t->name);
	out_json_str(&j, "file", t->file);
	out_json_str(&j, "netns_prefix", t->prefix);
	out_json_str(&j, "description", t->description);
	out_json_begin(&j, "nodes", '[');
	for (size_t i = 0; i < t->n_nodes; i++)
		json_node(&j, t, &t->nodes[i]);
	out_json_end(&j, ']');
	out_json_begin(&j, "links", '[');
	for (size_t i = 0; i < t->n_links; i++) {
		const struct topo_link *l = &t->links[i];

		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "name", l->name);
		out_json_begin(&j, "endpoints", '[');
		for (int e = 0; e < 2; e++) {
			_cleanup_free_ char *s =
				util_xasprintf("%s:%s", l->ends[e].node_name, l->ends[e].ifname);

			out_json_str(&j, NULL, s);
		}
		out_json_end(&j, ']');
		json_mtu(&j, l->mtu);
		out_json_end(&j, '}');
	}
	out_json_end(&j, ']');
	out_json_end(&j, '}');
}

static void show_text(const struct topo *t)
{
	char b[64], v[64];

	printf("lab %s (%s): %zu nodes, %zu links, namespace prefix '%s'\n\n", t->name, t->file,
	       t->n_nodes, t->n_links, t->prefix);
	printf("%-14s %-7s %-22s %-16s %-32s %s\n", "NODE", "KIND", "NAMESPACE", "INTERFACE",
	       "ADDRESSES", "PEER");
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i];

		if (n->n_ifaces == 0)
			printf("%-14s %-7s %-22s %-16s %-32s %s\n", n->name, topo_kind_str(n->kind),
			       n->netns, "-", "-", "-");
		for (size_t k = 0; k < n->n_ifaces; k++) {
			const struct topo_iface *ifc = &n->ifaces[k];
			const struct topo_end *peer = &t->links[ifc->link].ends[!ifc->end];
			_cleanup_strbuf_ struct strbuf addrs = { 0 };
			_cleanup_free_ char *peer_s =
				util_xasprintf("%s:%s", peer->node_name, peer->ifname);
			char imp[128] = "", vlan[64] = "";

			for (size_t a = 0; a < ifc->n_addrs; a++)
				strbuf_addf(&addrs, "%s%s", a ? "," : "",
					    topo_prefix_str(&ifc->addrs[a].p, true, b, sizeof(b)));

			if (ifc->imp.set) {
				imp[0] = ' ';
				imp[1] = '[';
				topo_impair_str(&ifc->imp, imp + 2, sizeof(imp) - 3);
				strcat(imp, "]");
			}
			if (ifc->vlan)
				snprintf(vlan, sizeof(vlan), " vlan %u", ifc->vlan);
			for (size_t t2 = 0; t2 < ifc->n_trunk; t2++)
				snprintf(vlan + strlen(vlan), sizeof(vlan) - strlen(vlan), "%s%u",
					 t2 ? "," : " trunk ", ifc->trunk[t2]);
			printf("%-14s %-7s %-22s %-16s %-32s %s%s%s\n", k ? "" : n->name,
			       k ? "" : topo_kind_str(n->kind), k ? "" : n->netns, ifc->name,
			       addrs.len ? strbuf_str(&addrs) : "-", peer_s, vlan, imp);
		}
	}
	printf("\n%-14s %-24s %-24s %s\n", "NODE", "ROUTE", "VIA", "DEV");
	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t r = 0; r < t->nodes[i].n_routes; r++) {
			const struct topo_route *rt = &t->nodes[i].routes[r];

			printf("%-14s %-24s %-24s %s\n", t->nodes[i].name,
			       route_dst(rt, b, sizeof(b)),
			       rt->has_via ? topo_prefix_str(&rt->via, false, v, sizeof(v)) : "-",
			       rt->dev[0] ? rt->dev : "-");
		}
}

int cmd_show(const struct cmd_args *a)
{
	_cleanup_topo_ struct topo *t = NULL;
	int r;

	if (a->argc != 1)
		return cmd_usage_error("show", a->argc ? "more than one topology file given" :
							 "no topology file given");
	if ((r = cmd_load_topology(a->argv[0], &t)) != EXIT_OK)
		return r;
	if (a->json)
		show_json(t);
	else
		show_text(t);
	return EXIT_OK;
}
