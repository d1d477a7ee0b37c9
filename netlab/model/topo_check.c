/* topo_check.c: semantic validation of a loaded topology. Reports every problem, not just the
 * first; never stops early. Pure code: no I/O besides the diagnostics list. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assertion.h"
#include "inikeys.h"
#include "topo.h"
#include "util.h"

/* Whether an interface must not take name: the loopback, the names /proc/sys/net/ipv4/conf
 * reserves, and a key of a node in the key table (an interface key with such a name would be read
 * as that key). */
static bool reserved_ifname(const char *name)
{
	return strcmp(name, "lo") == 0 || strcmp(name, "all") == 0 ||
	       strcmp(name, "default") == 0 || topo_ini_key_listed("node", name);
}

static void check_names(struct topo *t)
{
	for (size_t i = 0; i < t->n_nodes; i++) {
		struct topo_node *n = &t->nodes[i];

		if (strlen(n->netns) > TOPO_NETNS_MAX)
			topo_error(t, n->line,
				   "namespace name '%.40s...' of node %s is longer than %d bytes",
				   n->netns, n->name, TOPO_NETNS_MAX);
	}
	for (size_t i = 0; i < t->n_links; i++) {
		struct topo_link *l = &t->links[i];

		for (int e = 0; e < 2; e++)
			if (l->ends[e].resolved && reserved_ifname(l->ends[e].ifname))
				topo_error(t, l->line, "[link %s] interface name '%s' is reserved",
					   l->name, l->ends[e].ifname);
		if (l->ends[0].resolved && l->ends[1].resolved &&
		    l->ends[0].node == l->ends[1].node)
			topo_error(
				t, l->line,
				"[link %s] joins node %s to itself: a link joins two different nodes",
				l->name, l->ends[0].node_name);
	}
}

struct addr_ref {
	const struct topo_addr *a;
	const struct topo_node *n;
	const struct topo_iface *ifc;
};

static int addr_ref_cmp(const void *x, const void *y)
{
	const struct addr_ref *a = x, *b = y;
	int c = a->a->p.family - b->a->p.family;

	if (c == 0)
		c = memcmp(a->a->p.addr, b->a->p.addr, 16);
	return c ? c : a->a->line - b->a->line;
}

/* No address twice in the lab: sorted, so that equal addresses are neighbours. */
static void check_dup_addrs(struct topo *t)
{
	_cleanup_free_ struct addr_ref *v = NULL;
	size_t n = 0;
	char b[64];

	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t j = 0; j < t->nodes[i].n_ifaces; j++)
			for (size_t k = 0; k < t->nodes[i].ifaces[j].n_addrs; k++)
				*(struct addr_ref *)util_grow(&v, &n, sizeof(*v)) =
					(struct addr_ref){ &t->nodes[i].ifaces[j].addrs[k],
							   &t->nodes[i], &t->nodes[i].ifaces[j] };
	if (n)
		qsort(v, n, sizeof(*v), addr_ref_cmp);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (!topo_prefix_same_addr(&v[i].a->p, &v[first].a->p)) {
			first = i;
			continue;
		}
		topo_error(t, v[i].a->line,
			   "address %s of %s:%s is already used by %s:%s (line %d)",
			   topo_prefix_str(&v[i].a->p, false, b, sizeof(b)), v[i].n->name,
			   v[i].ifc->name, v[first].n->name, v[first].ifc->name, v[first].a->line);
	}
}

static void check_addrs(struct topo *t)
{
	char b1[64];

	for (size_t i = 0; i < t->n_nodes; i++) {
		struct topo_node *n = &t->nodes[i];

		for (size_t j = 0; j < n->n_ifaces; j++) {
			struct topo_iface *ifc = &n->ifaces[j];

			for (size_t k = 0; k < ifc->n_addrs; k++) {
				struct topo_addr *a = &ifc->addrs[k];
				const char *why = topo_prefix_iface_problem(&a->p);

				if (why)
					topo_error(t, a->line, "[node %s] %s: %s %s", n->name,
						   ifc->name,
						   topo_prefix_str(&a->p, true, b1, sizeof(b1)),
						   why);
			}
		}
	}
	check_dup_addrs(t);
}

static struct topo_iface *end_iface(struct topo *t, const struct topo_end *e)
{
	struct topo_node *n;

	if (!e->resolved)
		return NULL;
	n = &t->nodes[e->node];
	if (e->iface && e->iface <= n->n_ifaces &&
	    strcmp(n->ifaces[e->iface - 1].name, e->ifname) == 0)
		return &n->ifaces[e->iface - 1]; /* as the loader attached it: no search */
	return topo_iface_find(n, e->ifname);
}

static void check_links(struct topo *t)
{
	char b[64];

	for (size_t i = 0; i < t->n_links; i++) {
		struct topo_link *l = &t->links[i];
		struct topo_iface *ends[2] = { end_iface(t, &l->ends[0]),
					       end_iface(t, &l->ends[1]) };

		if (!ends[0] || !ends[1])
			continue;
		for (int e = 0; e < 2; e++) {
			struct topo_iface *me = ends[e], *peer = ends[!e];

			for (size_t k = 0; k < me->n_addrs; k++) {
				struct topo_addr *a = &me->addrs[k];
				bool ok = false;

				if (!topo_iface_has_family(peer, a->p.family))
					continue;
				for (size_t m = 0; m < peer->n_addrs && !ok; m++)
					ok = peer->addrs[m].p.len == a->p.len &&
					     topo_prefix_contains(&a->p, &peer->addrs[m].p);
				if (!ok)
					topo_error(
						t, a->line,
						"[link %s] %s:%s has %s, but no address of %s:%s is on that subnet",
						l->name, l->ends[e].node_name, me->name,
						topo_prefix_str(&a->p, true, b, sizeof(b)),
						l->ends[!e].node_name, peer->name);
			}
		}
		if (l->mtu && l->mtu < 1280 &&
		    (topo_iface_has_family(ends[0], AF_INET6) ||
		     topo_iface_has_family(ends[1], AF_INET6)))
			topo_error(
				t, l->line,
				"[link %s] mtu %u is below 1280, the IPv6 minimum, but the link has IPv6 addresses",
				l->name, l->mtu);
		if (l->ends[0].has_mac && l->ends[1].has_mac &&
		    !memcmp(l->ends[0].mac, l->ends[1].mac, 6))
			topo_error(t, l->ends[1].mac_line,
				   "[link %s] both ends have the same MAC address", l->name);
	}
}

/* The interface of n whose subnet holds addr, or NULL. */
static struct topo_iface *connected_iface(struct topo_node *n, const struct topo_prefix *addr,
					  bool *is_own)
{
	*is_own = false;
	for (size_t j = 0; j < n->n_ifaces; j++)
		for (size_t k = 0; k < n->ifaces[j].n_addrs; k++) {
			if (topo_prefix_same_addr(&n->ifaces[j].addrs[k].p, addr))
				*is_own = true;
			if (topo_prefix_contains(&n->ifaces[j].addrs[k].p, addr))
				return &n->ifaces[j];
		}
	return NULL;
}

static bool is_link_local6(const struct topo_prefix *p)
{
	return p->family == AF_INET6 && p->addr[0] == 0xfe && (p->addr[1] & 0xc0) == 0x80;
}

static void check_routes(struct topo *t)
{
	char b1[64], b2[64];

	for (size_t i = 0; i < t->n_nodes; i++) {
		struct topo_node *n = &t->nodes[i];

		for (size_t r = 0; r < n->n_routes; r++) {
			struct topo_route *rt = &n->routes[r];
			struct topo_iface *dev = NULL, *via_if = NULL;
			const char *what = rt->dst.family == AF_INET ? "gateway" : "gateway6";
			bool own = false;

			if (rt->dst.len)
				what = "route";

			topo_prefix_str(&rt->dst, true, b1, sizeof(b1));
			for (size_t q = 0; q < r; q++)
				if (n->routes[q].dst.family == rt->dst.family &&
				    n->routes[q].dst.len == rt->dst.len &&
				    topo_prefix_contains(&rt->dst, &n->routes[q].dst)) {
					topo_error(
						t, rt->line,
						"[node %s] a route to %s is already given at line %d",
						n->name, b1, n->routes[q].line);
					break;
				}
			for (size_t j = 0; j < n->n_ifaces && rt->dst.len; j++)
				for (size_t k = 0; k < n->ifaces[j].n_addrs; k++) {
					const struct topo_prefix *a = &n->ifaces[j].addrs[k].p;

					if (a->len == rt->dst.len &&
					    topo_prefix_contains(&rt->dst, a))
						topo_error(
							t, rt->line,
							"[node %s] route to %s: that subnet is connected to %s already",
							n->name, b1, n->ifaces[j].name);
				}
			if (rt->dev[0] && !(dev = topo_iface_find(n, rt->dev))) {
				topo_error(t, rt->line,
					   "[node %s] route to %s: node %s has no interface '%s'",
					   n->name, b1, n->name, rt->dev);
				continue;
			}
			if (!rt->has_via)
				continue;
			topo_prefix_str(&rt->via, false, b2, sizeof(b2));
			if (is_link_local6(&rt->via)) {
				if (!dev)
					topo_error(
						t, rt->line,
						"[node %s] %s via link-local %s needs 'dev IFNAME'",
						n->name, what, b2);
				continue;
			}
			via_if = connected_iface(n, &rt->via, &own);
			if (own)
				topo_error(
					t, rt->line,
					"[node %s] %s to %s: next hop %s is the node's own address",
					n->name, what, b1, b2);
			else if (!via_if)
				topo_error(t, rt->line,
					   "[node %s] %s %s is on no subnet connected to node %s",
					   n->name, rt->dst.len ? "next hop" : what, b2, n->name);
			else if (dev && dev != via_if)
				topo_error(t, rt->line,
					   "[node %s] route to %s: next hop %s is on %s, not on %s",
					   n->name, b1, b2, via_if->name, dev->name);
		}
	}
}

static void check_macs(struct topo *t)
{
	for (size_t i = 0; i < t->n_links; i++)
		for (int e = 0; e < 2; e++) {
			struct topo_end *a = &t->links[i].ends[e];

			if (!a->has_mac)
				continue;
			for (size_t j = i + 1; j < t->n_links; j++)
				for (int f = 0; f < 2; f++)
					if (t->links[j].ends[f].has_mac &&
					    !memcmp(a->mac, t->links[j].ends[f].mac, 6))
						topo_error(
							t, t->links[j].ends[f].mac_line,
							"[link %s] MAC address is already used by [link %s]",
							t->links[j].name, t->links[i].name);
		}
}

static void check_impair(struct topo *t, const struct topo_impair *imp, const char *what)
{
	if ((imp->set & TOPO_IMP_JITTER) && !(imp->set & TOPO_IMP_DELAY))
		topo_error(t, imp->line, "%s: jitter needs a delay", what);
	if ((imp->set & TOPO_IMP_REORDER) && !(imp->set & TOPO_IMP_DELAY))
		topo_error(
			t, imp->line,
			"%s: reorder needs a delay (netem reorders by sending some packets at once)",
			what);
}

/* Switches, LANs, impairment, commands and files. */
static void check_features(struct topo *t)
{
	for (size_t i = 0; i < t->n_nodes; i++) {
		struct topo_node *n = &t->nodes[i];
		bool bridge = n->kind == TOPO_SWITCH || n->kind == TOPO_LAN;

		for (size_t k = 0; k < n->n_ifaces; k++) {
			_cleanup_free_ char *what =
				util_xasprintf("[node %s] %s", n->name, n->ifaces[k].name);

			if (bridge && n->ifaces[k].n_addrs)
				topo_error(t, n->ifaces[k].line,
					   "[node %s] %s: a switch port has no address", n->name,
					   n->ifaces[k].name);
			if (n->kind != TOPO_LAN)
				check_impair(t, &n->ifaces[k].imp, what);
		}
		if (bridge && n->n_routes)
			topo_error(t, n->routes[0].line,
				   "[node %s] a switch has no routes or gateways", n->name);
		for (size_t c = 0; c < n->n_execs; c++) {
			_cleanup_free_ char *path =
				n->execs[c].script ? topo_path(t, n->execs[c].text) : NULL;
			struct stat st;

			if (path && access(path, R_OK) < 0)
				topo_error(t, n->execs[c].line,
					   "[node %s] startup: cannot read '%s': %s", n->name, path,
					   strerror(errno));
			else if (path && (stat(path, &st) < 0 || !S_ISREG(st.st_mode)))
				topo_error(
					t, n->execs[c].line,
					"[node %s] startup: '%s' is not a regular file (a script is)",
					n->name, path);
		}
		for (int d = 0; d < 2; d++) {
			const char *f = d ? n->bird : n->frr;
			_cleanup_free_ char *path = f ? topo_path(t, f) : NULL;
			struct stat st;

			if (path &&
			    (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || access(path, R_OK) < 0))
				topo_error(t, d ? n->bird_line : n->frr_line,
					   "[node %s] %s: cannot read the configuration file '%s'",
					   n->name, d ? "bird" : "frr", path);
		}
		if (n->files) {
			_cleanup_free_ char *path = topo_path(t, n->files);
			struct stat st;

			if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
				topo_error(t, n->files_line,
					   "[node %s] files: '%s' is not a directory", n->name,
					   path);
		}
	}
	if (t->shared) {
		_cleanup_free_ char *path = topo_path(t, t->shared);
		struct stat st;

		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			topo_error(t, t->shared_line, "[lab] shared: '%s' is not a directory",
				   path);
	}
	/* On a LAN, every address of a member shares its subnet with some other member. */
	for (size_t i = 0; i < t->n_nodes; i++) {
		struct topo_node *lan = &t->nodes[i];
		char b[64];

		if (lan->kind != TOPO_LAN)
			continue;
		for (size_t k = 0; k < lan->n_ifaces; k++) {
			struct topo_iface *me =
				end_iface(t, &t->links[lan->ifaces[k].link].ends[0]);

			for (size_t a = 0; me && a < me->n_addrs; a++) {
				bool ok = false, others = false;

				for (size_t m = 0; m < lan->n_ifaces && !ok; m++) {
					struct topo_iface *o =
						m == k ? NULL :
							 end_iface(t, &t->links[lan->ifaces[m].link]
									       .ends[0]);

					for (size_t b2 = 0; o && b2 < o->n_addrs && !ok; b2++) {
						others |= o->addrs[b2].p.family ==
							  me->addrs[a].p.family;
						ok = o->addrs[b2].p.len == me->addrs[a].p.len &&
						     topo_prefix_contains(&me->addrs[a].p,
									  &o->addrs[b2].p);
					}
				}
				if (others && !ok)
					topo_error(
						t, me->addrs[a].line,
						"[lan %s] %s has %s, but no other member is on that subnet",
						lan->name, me->name,
						topo_prefix_str(&me->addrs[a].p, true, b,
								sizeof(b)));
			}
		}
	}
}

/* [test] assertions name nodes of the lab and addresses of the lab only (no traffic leaves it). */
bool topo_assert_fits(const struct topo_assert *a, const struct topo *lab, char *why, size_t size)
{
	const struct topo_node *src = topo_node_find(lab, a->src);

	if (!src) {
		snprintf(why, size, "no node '%s' in this lab", a->src);
		return false;
	}
	if ((a->kind == TOPO_REACH || a->kind == TOPO_PATH) &&
	    (src->kind == TOPO_LAN || src->kind == TOPO_SWITCH)) {
		snprintf(why, size, "%s is a switch or LAN and sends no traffic", a->src);
		return false;
	}
	if (a->dst) {
		struct topo_prefix p;
		const struct topo_node *dn = topo_node_find(lab, a->dst);
		bool any = false;

		if (topo_prefix_parse(a->dst, false, &p) == 0) {
			if (!topo_addr_owner(lab, &p)) {
				snprintf(why, size, "%s: no such address in this lab", a->dst);
				return false;
			}
		} else if (!dn) {
			snprintf(why, size, "'%s' is neither a node nor an address of this lab",
				 a->dst);
			return false;
		} else {
			for (size_t f = 0; f < dn->n_ifaces; f++)
				any |= dn->ifaces[f].n_addrs > 0;
			if (!any) {
				snprintf(why, size, "node %s has no address", a->dst);
				return false;
			}
		}
	}
	for (size_t v = 0; v < a->n_via; v++)
		if (!topo_node_find(lab, a->via[v])) {
			snprintf(why, size, "no node '%s' in this lab", a->via[v]);
			return false;
		}
	if (a->kind == TOPO_IFACE && !topo_iface_find(src, a->name)) {
		snprintf(why, size, "node %s has no interface '%s'", a->src, a->name);
		return false;
	}
	return true;
}

void topo_check_tests(struct topo *t, const struct topo *lab)
{
	for (size_t i = 0; i < t->n_tests; i++)
		for (size_t k = 0; k < t->tests[i].n_asserts; k++) {
			const struct topo_assert *a = &t->tests[i].asserts[k];
			char why[2 * TOPO_NAME_MAX + 128];

			if (!topo_assert_fits(a, lab, why, sizeof(why)))
				topo_error(t, a->line, "[test %s] '%s': %s", t->tests[i].name,
					   a->text, why);
		}
}

size_t topo_check(struct topo *t)
{
	if (t->diag.n > 0 && (!t->name || t->n_nodes == 0))
		return t->diag.n; /* nothing meaningful to check */
	check_names(t);
	check_addrs(t);
	check_links(t);
	check_routes(t);
	check_macs(t);
	check_features(t);
	topo_check_tests(t, t);
	return t->diag.n;
}
