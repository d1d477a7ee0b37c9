/* impairment.c: link impairment in force on a running lab's interfaces. */
#include <errno.h>

#include "impairment.h"
#include "net.h"
#include "nsfs.h"
#include "util.h"

int impairment_apply(struct nls *sk, const struct topo_node *n, const struct topo_iface *ifc,
		     const struct topo_impair *imp)
{
	const char *qd = (imp->set & TOPO_IMP_NETEM) ? "netem" : "tbf";
	char what[160];
	int r;

	if (!imp->set && !imp->line)
		return 0; /* never had any: nothing to remove */
	r = qdisc_apply(sk, topo_iface_ifindex(ifc), imp);
	if (r == 0)
		return 0;
	topo_impair_str(imp, what, sizeof(what));
	if (r == -ENOENT)
		return log_errno_why(
			r, nls_ext_ack(sk, r),
			"cannot apply '%s' to '%s:%s': this kernel lacks the %s qdisc (sch_%s module)",
			what, n->name, ifc->name, qd, qd);
	return log_errno_why(r, nls_ext_ack(sk, r), "cannot apply '%s' to '%s:%s'", what, n->name,
			     ifc->name);
}

struct apply_ctx {
	const struct lab *l;
	int orig;
};

/* Opens a socket in node i and applies ifc's impairment there. */
static int apply_in_node(void *arg, size_t i, const struct topo_iface *ifc)
{
	const struct apply_ctx *c = arg;
	const struct topo_node *n = &c->l->topo->nodes[i];
	_cleanup_free_ char *pin = nsfs_netns_path(n->netns);
	_cleanup_close_ int fd = -1;
	struct nls sk = { 0 };
	int r;

	if (c->l->ns_status[i] != LAB_NS_OK || (fd = nsfs_open(pin)) < 0) {
		util_log("the namespace of node %s is gone: skipped", n->name);
		return -ENOENT;
	}
	if ((r = nls_open_in(&sk, fd, c->orig)) < 0)
		return log_errno(r, "cannot open a netlink socket in node %s", n->name);
	r = impairment_apply(&sk, n, ifc, &ifc->imp);
	nls_close(&sk);
	return r;
}

int impairment_apply_named(const struct lab *l, const char *name)
{
	_cleanup_close_ int orig = nsfs_open(NSFS_SELF_NET);
	struct apply_ctx c = { .l = l, .orig = orig };

	if (orig < 0)
		return log_errno(orig, "cannot open netlab's own namespace");
	return lab_each_end(l->topo, name, apply_in_node, &c);
}
