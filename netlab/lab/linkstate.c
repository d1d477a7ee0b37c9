/* linkstate.c: link state in force on a running lab (see linkstate.h). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "impairment.h"
#include "linkstate.h"
#include "net.h"
#include "nodefd.h"
#include "nsfs.h"
#include "util.h"

/* A socket in each node the change touches, opened once (within the open-file limit): the nodes
 * touched are those whose routes are put back. */
struct socks {
	const struct lab *l;
	struct nodefd fd;
	bool *touched; /* per node */
	int *err; /* per node: why its socket could not be opened */
};

static struct nls *node_sock(struct socks *s, size_t i)
{
	const struct topo_node *n = &s->l->topo->nodes[i];
	struct nls *sk;
	int r;

	if (s->err[i])
		return NULL;
	s->touched[i] = true;
	if (s->l->ns_status[i] != LAB_NS_OK) {
		s->err[i] = util_log_errno(-ENOENT, "the namespace of node %s is gone: skipped",
					   n->name);
		return NULL;
	}
	if (!(sk = nodefd_nl(&s->fd, i, &r)))
		s->err[i] = log_errno(r, "cannot open a netlink socket in node %s", n->name);
	return sk;
}

static int first(int r, int q)
{
	return r < 0 ? r : q;
}

/* One end's admin state. */
static int end_state(void *arg, size_t i, const struct topo_iface *ifc)
{
	struct socks *s = arg;
	const struct topo_node *n = &s->l->topo->nodes[i];
	struct nls *sk = node_sock(s, i);
	int r;

	if (!sk)
		return s->err[i];
	if (ifc->down) {
		if ((r = link_set_down(sk, topo_iface_ifindex(ifc))) < 0)
			return log_errno_why(r, nls_ext_ack(sk, r), "cannot take '%s:%s' down",
					     n->name, ifc->name);
		return 0;
	}
	if ((r = link_set_up(sk, topo_iface_ifindex(ifc),
			     lab_node_is_bridge(n) ? LAB_BRIDGE_IFINDEX : 0)) < 0)
		return log_errno_why(r, nls_ext_ack(sk, r), "cannot bring up '%s:%s'", n->name,
				     ifc->name);
	return 0;
}

/* An end that is up: its addresses (the kernel drops IPv6 ones when it goes down) and impairment.
 */
static int end_config(void *arg, size_t i, const struct topo_iface *ifc)
{
	struct socks *s = arg;
	const struct topo_node *n = &s->l->topo->nodes[i];
	struct nls *sk = node_sock(s, i);
	char b[64];
	int r;

	if (ifc->down)
		return 0;
	if (!sk)
		return s->err[i];
	for (size_t a = 0; a < ifc->n_addrs; a++)
		if ((r = addr_add(sk, topo_iface_ifindex(ifc), &ifc->addrs[a].p)) < 0 &&
		    r != -EEXIST)
			return log_errno_why(r, nls_ext_ack(sk, r),
					     "cannot add address %s to '%s:%s'",
					     topo_prefix_str(&ifc->addrs[a].p, true, b, sizeof(b)),
					     n->name, ifc->name);
	return impairment_apply(sk, n, ifc, &ifc->imp);
}

/* -EAGAIN while an end that should carry traffic (up, and its peer too) has no carrier yet. */
static int end_waiting(void *arg, size_t i, const struct topo_iface *ifc)
{
	struct socks *s = arg;
	struct nls *sk = node_sock(s, i);
	char state[32];

	if (ifc->cut || !sk)
		return 0;
	if (net_link_state(sk, ifc->name, state, sizeof(state)) < 0 || !net_state_up(state))
		return -EAGAIN;
	return 0;
}

/* The kernel turns a veth's carrier on in its link watch, which batches events and may take up to
 * a second on a busy machine: until then the link drops what is sent. Waits for it (at most
 * LINKSTATE_CARRIER_MS), so that the link carries traffic when `netlab link up` returns and IPv6
 * addresses go on after both ends are up. */
#define LINKSTATE_CARRIER_MS 5000
static void wait_carrier(struct socks *s, const char *name)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < LINKSTATE_CARRIER_MS / 10; i++) {
		if (lab_each_end(s->l->topo, name, end_waiting, s) != -EAGAIN)
			return;
		nanosleep(&tick, NULL);
	}
	util_log("%s: an end still has no carrier %d s after it was brought up", name,
		 LINKSTATE_CARRIER_MS / 1000);
}

/* The routes of node i that the topology declares and whose path is not cut. */
static int restore_routes(struct socks *s, size_t i)
{
	const struct topo_node *n = &s->l->topo->nodes[i];
	struct nls *sk = node_sock(s, i);
	int r = 0;

	if (!sk)
		return s->err[i];
	for (size_t k = 0; k < n->n_routes; k++) {
		const struct topo_route *rt = &n->routes[k];
		const struct topo_iface *dev = rt->dev[0] ? topo_iface_find(n, rt->dev) : NULL;
		char b[160];
		int q;

		if (topo_route_cut(n, rt))
			continue;
		q = route_add(sk, rt, dev ? topo_iface_ifindex(dev) : 0);
		if (q < 0 && q != -EEXIST)
			r = first(r, log_errno_why(q, nls_ext_ack(sk, q),
						   "cannot put back route %s in node %s",
						   topo_route_str(rt, b, sizeof(b)), n->name));
	}
	return r;
}

int linkstate_apply_named(const struct lab *l, const char *name)
{
	const struct topo *t = l->topo;
	_cleanup_close_ int orig = nsfs_open(NSFS_SELF_NET);
	struct socks s = { .l = l };
	int r;

	if (orig < 0)
		return log_errno(orig, "cannot open netlab's own namespace");
	if ((r = nodefd_init(&s.fd, t, orig)) < 0)
		return r;
	s.touched = util_xcalloc(t->n_nodes ? t->n_nodes : 1, sizeof(*s.touched));
	s.err = util_xcalloc(t->n_nodes ? t->n_nodes : 1, sizeof(*s.err));
	/* every end's admin state first: IPv6 addresses go on after both ends are up */
	r = lab_each_end(t, name, end_state, &s);
	wait_carrier(&s, name);
	r = first(r, lab_each_end(t, name, end_config, &s));
	for (size_t i = 0; i < t->n_nodes; i++)
		if (s.touched[i] && !s.err[i])
			r = first(r, restore_routes(&s, i));
	nodefd_free(&s.fd);
	free(s.touched);
	free(s.err);
	return r;
}
