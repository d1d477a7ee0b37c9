/* diff.c: what `netlab apply` changes (see diff.h). */
#include <string.h>
#include <sys/socket.h>

#include "diff.h"
#include "util.h"

static bool cmds_eq(const struct topo_cmd *a, size_t na, const struct topo_cmd *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].script != b[i].script || strcmp(a[i].text, b[i].text) != 0)
			return false;
	return true;
}

static bool prefix_eq(const struct topo_prefix *a, const struct topo_prefix *b)
{
	return a->len == b->len && topo_prefix_same_addr(a, b);
}

bool diff_prefix_in(const struct topo_prefix *p, const struct topo_addr *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (prefix_eq(p, &v[i].p))
			return true;
	return false;
}

bool diff_route_in(const struct topo_route *r, const struct topo_route *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (prefix_eq(&r->dst, &v[i].dst) && r->dst.family == v[i].dst.family &&
		    r->has_via == v[i].has_via && (!r->has_via || prefix_eq(&r->via, &v[i].via)) &&
		    strcmp(r->dev, v[i].dev) == 0)
			return true;
	return false;
}

bool diff_impair_equal(const struct topo_impair *a, const struct topo_impair *b)
{
	if (a->set != b->set)
		return false;
	for (int f = 0; f < TOPO_IMPF_COUNT; f++)
		if ((a->set & (1u << f)) && a->v[f] != b->v[f])
			return false;
	return true;
}

static bool iface_vlans_eq(const struct topo_iface *a, const struct topo_iface *b)
{
	return a->vlan == b->vlan && a->n_trunk == b->n_trunk &&
	       (a->n_trunk == 0 || memcmp(a->trunk, b->trunk, a->n_trunk * sizeof(*a->trunk)) == 0);
}

/* Whether the interfaces with VLANs are the same ones, with the same VLANs. */
static bool vlans_eq(const struct topo_node *o, const struct topo_node *n)
{
	size_t with_o = 0, with_n = 0;

	for (size_t k = 0; k < o->n_ifaces; k++)
		with_o += o->ifaces[k].vlan || o->ifaces[k].n_trunk;
	for (size_t k = 0; k < n->n_ifaces; k++) {
		const struct topo_iface *ifc = &n->ifaces[k], *was;

		if (!ifc->vlan && !ifc->n_trunk)
			continue;
		with_n++;
		if (!(was = topo_iface_find(o, ifc->name)) || !iface_vlans_eq(was, ifc))
			return false;
	}
	return with_o == with_n;
}

/* Why node o must be replaced by n, or NULL when it can be changed in place. */
static const char *node_why(const struct topo_node *o, const struct topo_node *n)
{
	if (o->kind != n->kind)
		return "its kind changed";
	if (strcmp(o->hostname, n->hostname) != 0)
		return "its hostname changed";
	if (strcmp(o->netns, n->netns) != 0)
		return "its namespace name changed";
	if (!cmds_eq(o->execs, o->n_execs, n->execs, n->n_execs))
		return "its exec or startup commands changed";
	if (!cmds_eq(o->daemons, o->n_daemons, n->daemons, n->n_daemons))
		return "its daemons changed";
	if (!util_streq(o->files, n->files))
		return "its files changed";
	if (!util_streq(o->image, n->image))
		return "its image changed";
	if (o->memory_mib != n->memory_mib || o->cpus_centi != n->cpus_centi)
		return "its memory or cpus changed";
	if (!util_streq(o->frr, n->frr))
		return "its frr configuration changed";
	if (!util_streq(o->bird, n->bird))
		return "its bird configuration changed";
	if (o->stp != n->stp)
		return "its stp changed";
	if (!vlans_eq(o, n))
		return "its VLANs changed";
	for (size_t s = 0; s < o->n_sysctls; s++) {
		bool still = false;

		for (size_t k = 0; k < n->n_sysctls && !still; k++)
			still = strcmp(o->sysctls[s].key, n->sysctls[k].key) == 0;
		if (!still)
			return "a sysctl is no longer set (its default cannot be put back in place)";
	}
	return NULL;
}

/* Why old link o must be replaced by n (index in the new topology), or NULL. */
static const char *link_why(const struct diff *d, const struct topo_link *o,
			    const struct topo_link *n)
{
	for (int e = 0; e < 2; e++) {
		const struct topo_node *on = &d->old->nodes[o->ends[e].node];

		if (strcmp(o->ends[e].node_name, n->ends[e].node_name) != 0 ||
		    strcmp(o->ends[e].ifname, n->ends[e].ifname) != 0)
			return "its ends changed";
		if (o->ends[e].has_mac != n->ends[e].has_mac ||
		    (o->ends[e].has_mac && memcmp(o->ends[e].mac, n->ends[e].mac, 6) != 0))
			return "a MAC address changed";
		if (d->node_gone[o->ends[e].node])
			return "a node at its end is replaced";
		if (topo_iface_find(on, o->ends[e].ifname)->down)
			return "it was down on purpose (netlab link)";
	}
	if (o->mtu != n->mtu)
		return "its MTU changed";
	if (o->lan != n->lan)
		return "it became or stopped being a LAN member";
	return NULL;
}

const struct topo_iface *diff_old_iface(const struct diff *d, size_t i,
					const struct topo_iface *ifc)
{
	size_t ol = d->link[ifc->link] == DIFF_KEEP ? d->link_old[ifc->link] : DIFF_NONE;

	if (d->node[i] != DIFF_KEEP || ol == DIFF_NONE)
		return NULL;
	return topo_iface_find(&d->old->nodes[d->node_old[i]],
			       d->old->links[ol].ends[ifc->end].ifname);
}

bool diff_iface_new(const struct diff *d, size_t i, const struct topo_iface *ifc)
{
	return d->node[i] != DIFF_KEEP || d->link[ifc->link] != DIFF_KEEP;
}

/* Whether kept node i changes in place: an interface made or gone, addresses, impairment, routes
 * or sysctls. */
static bool node_touched(const struct diff *d, size_t i)
{
	const struct topo_node *n = &d->new->nodes[i], *o = &d->old->nodes[d->node_old[i]];

	for (size_t k = 0; k < o->n_ifaces; k++)
		if (d->link_gone[o->ifaces[k].link])
			return true;
	for (size_t k = 0; k < n->n_ifaces; k++) {
		const struct topo_iface *ifc = &n->ifaces[k], *was = diff_old_iface(d, i, ifc);

		if (!was || ifc->n_addrs != was->n_addrs ||
		    !diff_impair_equal(&ifc->imp, &was->imp))
			return true;
		for (size_t a = 0; a < ifc->n_addrs; a++)
			if (!diff_prefix_in(&ifc->addrs[a].p, was->addrs, was->n_addrs))
				return true;
	}
	if (n->n_routes != o->n_routes || n->n_sysctls != o->n_sysctls)
		return true;
	for (size_t k = 0; k < n->n_routes; k++)
		if (!diff_route_in(&n->routes[k], o->routes, o->n_routes))
			return true;
	for (size_t s = 0; s < n->n_sysctls; s++) {
		bool same = false;

		for (size_t k = 0; k < o->n_sysctls && !same; k++)
			same = strcmp(o->sysctls[k].key, n->sysctls[s].key) == 0 &&
			       strcmp(o->sysctls[k].value, n->sysctls[s].value) == 0;
		if (!same)
			return true;
	}
	return false;
}

/* The lowest ifindex from TOPO_IFINDEX_BASE that no interface of the node has yet, other than
 * avoid (the peer's). */
static int free_ifindex(const struct topo_node *node, int avoid)
{
	for (int x = TOPO_IFINDEX_BASE;; x++) {
		bool used = x == avoid;

		for (size_t k = 0; k < node->n_ifaces && !used; k++)
			used = node->ifaces[k].ifindex == x;
		if (!used)
			return x;
	}
}

/* Kept interfaces keep their ifindex; the others take free ones, in link order. */
static void give_ifindexes(struct diff *d, struct topo *new)
{
	for (size_t i = 0; i < new->n_nodes; i++)
		for (size_t k = 0; k < new->nodes[i].n_ifaces; k++) {
			struct topo_iface *ifc = &new->nodes[i].ifaces[k];
			const struct topo_iface *was = diff_old_iface(d, i, ifc);

			ifc->ifindex = was ? topo_iface_ifindex(was) : 0;
		}
	for (size_t l = 0; l < new->n_links; l++) {
		int peer = 0;

		if (d->link[l] == DIFF_KEEP)
			continue;
		for (int e = 0; e < 2; e++) {
			struct topo_node *node = &new->nodes[new->links[l].ends[e].node];
			struct topo_iface *ifc =
				topo_iface_find(node, new->links[l].ends[e].ifname);

			ifc->ifindex = free_ifindex(node, peer);
			peer = ifc->ifindex;
		}
	}
}

void diff_make(const struct topo *old, struct topo *new, const bool *force, bool tests,
	       struct diff *d)
{
	memset(d, 0, sizeof(*d));
	d->old = old;
	d->new = new;
	d->node = util_xcalloc(new->n_nodes + 1, sizeof(*d->node));
	d->node_why = util_xcalloc(new->n_nodes + 1, sizeof(*d->node_why));
	d->node_old = util_xcalloc(new->n_nodes + 1, sizeof(*d->node_old));
	d->node_touched = util_xcalloc(new->n_nodes + 1, sizeof(*d->node_touched));
	d->node_gone = util_xcalloc(old->n_nodes + 1, sizeof(*d->node_gone));
	d->link = util_xcalloc(new->n_links + 1, sizeof(*d->link));
	d->link_why = util_xcalloc(new->n_links + 1, sizeof(*d->link_why));
	d->link_old = util_xcalloc(new->n_links + 1, sizeof(*d->link_old));
	d->link_gone = util_xcalloc(old->n_links + 1, sizeof(*d->link_gone));
	d->tests = tests;
	for (size_t o = 0; o < old->n_nodes; o++)
		d->node_gone[o] = true;
	for (size_t i = 0; i < new->n_nodes; i++) {
		const struct topo_node *was = topo_node_find(old, new->nodes[i].name);

		d->node_old[i] = was ? (size_t)(was - old->nodes) : DIFF_NONE;
		d->node[i] = was ? DIFF_KEEP : DIFF_ADD;
		if (was && (force && force[i]))
			d->node_why[i] = "its frr or bird configuration's contents changed";
		else if (was)
			d->node_why[i] = node_why(was, &new->nodes[i]);
		if (d->node_why[i])
			d->node[i] = DIFF_REPLACE;
		if (was && !d->node_why[i])
			d->node_gone[d->node_old[i]] = false;
	}
	for (size_t o = 0; o < old->n_links; o++)
		d->link_gone[o] = true;
	for (size_t l = 0; l < new->n_links; l++) {
		const struct topo_link *was = topo_link_find(old, new->links[l].name);

		d->link_old[l] = was ? (size_t)(was - old->links) : DIFF_NONE;
		d->link[l] = was ? DIFF_KEEP : DIFF_ADD;
		if (was && (d->link_why[l] = link_why(d, was, &new->links[l])))
			d->link[l] = DIFF_REPLACE;
		if (d->link[l] == DIFF_KEEP)
			d->link_gone[d->link_old[l]] = false;
	}
	for (size_t i = 0; i < new->n_nodes; i++)
		d->node_touched[i] = d->node[i] == DIFF_KEEP && node_touched(d, i);
	give_ifindexes(d, new);
	/* one plan line per change: count them by making the plan */
	{
		_cleanup_strbuf_ struct strbuf sb = { 0 };
		const char *s;

		diff_plan(d, &sb);
		for (s = strbuf_str(&sb); *s; s++)
			d->n_changes += *s == '\n';
	}
}

void diff_clear(struct diff *d)
{
	free(d->node);
	free(d->node_why);
	free(d->node_old);
	free(d->node_touched);
	free(d->node_gone);
	free(d->link);
	free(d->link_why);
	free(d->link_old);
	free(d->link_gone);
	memset(d, 0, sizeof(*d));
}

static void add_route(struct strbuf *sb, char sign, const struct topo_route *r)
{
	char b[160];

	strbuf_addf(sb, " %c %s", sign, topo_route_str(r, b, sizeof(b)));
}

static void link_line(struct strbuf *out, char sign, const struct topo_link *l)
{
	strbuf_addf(out, "%c link %s: %s:%s - %s:%s", sign, l->name, l->ends[0].node_name,
		    l->ends[0].ifname, l->ends[1].node_name, l->ends[1].ifname);
}

/* The in-place changes of kept node i. */
static void plan_node(const struct diff *d, size_t i, struct strbuf *out)
{
	const struct topo_node *n = &d->new->nodes[i], *o = &d->old->nodes[d->node_old[i]];
	char b[64], was_s[160], now_s[160];

	for (size_t k = 0; k < n->n_ifaces; k++) {
		const struct topo_iface *ifc = &n->ifaces[k], *was = diff_old_iface(d, i, ifc);
		_cleanup_strbuf_ struct strbuf sb = { 0 };

		if (!was)
			continue;
		for (size_t a = 0; a < ifc->n_addrs; a++)
			if (!diff_prefix_in(&ifc->addrs[a].p, was->addrs, was->n_addrs))
				strbuf_addf(&sb, " + %s",
					    topo_prefix_str(&ifc->addrs[a].p, true, b, sizeof(b)));
		for (size_t a = 0; a < was->n_addrs; a++)
			if (!diff_prefix_in(&was->addrs[a].p, ifc->addrs, ifc->n_addrs))
				strbuf_addf(&sb, " - %s",
					    topo_prefix_str(&was->addrs[a].p, true, b, sizeof(b)));
		if (sb.len)
			strbuf_addf(out, "~ %s:%s addresses:%s\n", n->name, ifc->name,
				    strbuf_str(&sb));
		if (!diff_impair_equal(&ifc->imp, &was->imp)) {
			topo_impair_str(&ifc->imp, now_s, sizeof(now_s));
			topo_impair_str(&was->imp, was_s, sizeof(was_s));
			strbuf_addf(out, "~ %s:%s impairment: %s (was %s)\n", n->name, ifc->name,
				    now_s, was_s);
		}
	}
	for (size_t s = 0; s < n->n_sysctls; s++) {
		const struct topo_sysctl *sc = &n->sysctls[s];
		const char *before = NULL;

		for (size_t k = 0; k < o->n_sysctls && !before; k++)
			if (strcmp(o->sysctls[k].key, sc->key) == 0)
				before = o->sysctls[k].value;
		if (!before || strcmp(before, sc->value) != 0)
			strbuf_addf(out, "~ %s sysctl %s = %s%s%s%s\n", n->name, sc->key, sc->value,
				    before ? " (was " : "", before ? before : "",
				    before ? ")" : "");
	}
	{
		_cleanup_strbuf_ struct strbuf sb = { 0 };

		for (size_t k = 0; k < n->n_routes; k++)
			if (!diff_route_in(&n->routes[k], o->routes, o->n_routes))
				add_route(&sb, '+', &n->routes[k]);
		for (size_t k = 0; k < o->n_routes; k++)
			if (!diff_route_in(&o->routes[k], n->routes, n->n_routes))
				add_route(&sb, '-', &o->routes[k]);
		if (sb.len)
			strbuf_addf(out, "~ %s routes:%s\n", n->name, strbuf_str(&sb));
	}
}

void diff_plan(const struct diff *d, struct strbuf *out)
{
	for (size_t o = 0; o < d->old->n_nodes; o++)
		if (!topo_node_find(d->new, d->old->nodes[o].name))
			strbuf_addf(out, "- node %s (%s)\n", d->old->nodes[o].name,
				    topo_kind_str(d->old->nodes[o].kind));
	for (size_t o = 0; o < d->old->n_links; o++)
		if (!topo_link_find(d->new, d->old->links[o].name)) {
			link_line(out, '-', &d->old->links[o]);
			strbuf_addf(out, "\n");
		}
	for (size_t i = 0; i < d->new->n_nodes; i++) {
		const struct topo_node *n = &d->new->nodes[i];

		if (d->node[i] == DIFF_ADD)
			strbuf_addf(out, "+ node %s (%s)\n", n->name, topo_kind_str(n->kind));
		else if (d->node[i] == DIFF_REPLACE)
			strbuf_addf(out, "~ node %s (%s) replaced: %s\n", n->name,
				    topo_kind_str(n->kind), d->node_why[i]);
	}
	for (size_t l = 0; l < d->new->n_links; l++) {
		if (d->link[l] == DIFF_KEEP)
			continue;
		link_line(out, d->link[l] == DIFF_ADD ? '+' : '~', &d->new->links[l]);
		strbuf_addf(out, "%s%s\n", d->link[l] == DIFF_REPLACE ? " replaced: " : "",
			    d->link[l] == DIFF_REPLACE ? d->link_why[l] : "");
	}
	for (size_t i = 0; i < d->new->n_nodes; i++)
		if (d->node_touched[i])
			plan_node(d, i, out);
	if (d->tests)
		strbuf_addf(out, "~ tests (netlab test reads them from the lab's topology)\n");
}
