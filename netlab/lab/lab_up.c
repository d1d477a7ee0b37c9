/* lab_up.c: `up`: orchestration, journal, rollback and messages.
 *
 * up, in phases, so that the work stays linear in the lab's size and each namespace gets one
 * netlink socket, reused for all its work (nodefd.c: reopened only when the open-file limit made
 * it close the socket of a node used long ago):
 *   1. per node: a network namespace (forwarding and no-DAD sysctls set from inside it) and a
 *      UTS namespace (hostname), each pinned (the UTS one, and later the mount one, on a tmpfs
 *      in STATE);
 *   2. per link: one veth pair, each end created directly in its node under its final name and a
 *      fixed ifindex (see topo_iface_ifindex), through a socket in netlab's namespace;
 *   3. per node: a socket inside the node; its sysctls; lo up; a switch's or LAN's bridge; every
 *      interface up (and into the bridge); VLANs; impairment qdiscs;
 *   4. per node: addresses (IPv6 without DAD, after both ends are up), then routes;
 *   5. the lab's hosts file and /etc/netns/NS (a symlink to it);
 *   6. per node: its mount namespace, the node's own filesystem (machine.c);
 *   7. exec and startup commands, then daemons; then "complete" in the journal.
 * Every object is written to the journal before it is made; down reads only the journal. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "journal.h"
#include "diff.h"
#include "lab_down.h"
#include "etcnetns.h"
#include "lab_exec.h"
#include "impairment.h"
#include "cgroup.h"
#include "lab.h"
#include "machine.h"
#include "net.h"
#include "lab_image.h"
#include "nodefd.h"
#include "warnings.h"
#include "nsfs.h"
#include "routing.h"
#include "lab_up.h"
#include "util.h"

struct up {
	const struct topo *t;
	const struct diff *d; /* apply: what changes (NULL: up, everything) */
	struct state *st;
	const volatile sig_atomic_t *stop;
	int orig_net, orig_uts, orig_mnt;
	struct nodefd fd; /* each node's namespace and socket, within the open-file limit */
	struct nls host;
	ino_t seed_ino; /* the pin files' seed (state_pin_tmp_path) */
	size_t seed_links; /* pins linked from it */
	uint64_t last_start_ms; /* the latest start of a node's FRR or a daemon (check_daemons) */
};

/* Whether up makes node i (apply: a node added or replaced). */
static bool make_node(const struct up *u, size_t i)
{
	return !u->d || u->d->node[i] != DIFF_KEEP;
}

/* Whether node i is worked on: made, or (apply) changed in place. */
static bool work_node(const struct up *u, size_t i)
{
	return make_node(u, i) || u->d->node_touched[i];
}

static bool make_iface(const struct up *u, size_t i, const struct topo_iface *ifc)
{
	return !u->d || diff_iface_new(u->d, i, ifc);
}

/* FRR starts at once per CPU (up_frr) */
#define UP_FRR_WIDTH 16

static int check_stop(struct up *u)
{
	if (*u->stop) {
		util_log(u->d ? "interrupted" : "interrupted: removing what was created");
		return -EINTR;
	}
	return 0;
}

int up_check_clashes(const struct topo *t, const struct diff *d)
{
	int r = 0;

	for (size_t i = 0; i < t->n_nodes; i++) {
		if (d && (d->node[i] == DIFF_KEEP ||
			  (d->node[i] == DIFF_REPLACE &&
			   strcmp(d->old->nodes[d->node_old[i]].netns, t->nodes[i].netns) == 0)))
			continue; /* its pin and /etc/netns entry are the lab's */
		_cleanup_free_ char *pin = nsfs_netns_path(t->nodes[i].netns);
		_cleanup_free_ char *etc = etcnetns_path(t->nodes[i].netns);
		struct stat st;

		if (lstat(pin, &st) == 0) {
			util_log(
				"namespace '%s' (node %s) already exists and is not part of lab %s: refusing to touch it",
				t->nodes[i].netns, t->nodes[i].name, t->name);
			r = -EEXIST;
		}
		if (lstat(etc, &st) == 0) {
			util_log(
				"'%s' (node %s) already exists and is not part of lab %s: refusing to touch it",
				etc, t->nodes[i].name, t->name);
			r = -EEXIST;
		}
	}
	return r;
}

static int node_sysctl(const struct topo_node *n, const char *key, const char *value)
{
	int r = sysctl_write(key, value);

	if (r < 0)
		return log_errno(r, "cannot set sysctl %s = %s in node %s", key, value, n->name);
	return 0;
}

/* The sysctls a node's new namespace gets before anything else, and the one that failed. */
struct early {
	const struct topo_node *n;
	const char *key, *value; /* the sysctl that could not be set, or NULL */
	bool lo; /* lo could not be brought up */
};

/* Sets key = value; optional: a key this kernel may not have (ENOENT is fine). Returns 0 or
 * -errno, the key kept in e. */
static int early_sysctl(struct early *e, const char *key, const char *value, bool optional)
{
	int r = sysctl_write(key, value);

	if (r < 0 && !(optional && r == -ENOENT)) {
		e->key = key;
		e->value = value;
		return r;
	}
	return 0;
}

/* A switch or LAN forwards frames and has no address: no IPv6 on its bridge and ports (else each
 * joins multicast groups and receives every IPv6 multicast frame it floods), and, where the host
 * has br_netfilter, no iptables on bridged frames (else each frame the bridge forwards goes through
 * the namespace's IPv6 routing and empty netfilter tables). Measured on 1,000 switches in a line
 * with a host each: see docs/performance.md. A node's own sysctl keys set them back. */
static int bridge_sysctls_early(struct early *e)
{
	static const char *const off[] = { "net.bridge.bridge-nf-call-iptables",
					   "net.bridge.bridge-nf-call-ip6tables",
					   "net.bridge.bridge-nf-call-arptables" };
	int r;

	if ((r = early_sysctl(e, "net.ipv6.conf.default.disable_ipv6", "1", false)) < 0 ||
	    (r = early_sysctl(e, "net.ipv6.conf.all.disable_ipv6", "1", false)) < 0)
		return r;
	for (size_t k = 0; k < ARRAY_SIZE(off); k++) /* ENOENT: no br_netfilter, nothing to do */
		if ((r = early_sysctl(e, off[k], "0", true)) < 0)
			return r;
	return 0;
}

/* Whether sysctl key is of one of node n's interfaces (net.ipv4.conf.eth0.rp_filter): set once
 * the interface is made, before it is up; the node's others are set as its namespace is made,
 * before any interface exists (so that conf.default.* holds for them all). */
static bool sysctl_of_iface(const struct topo_node *n, const char *key)
{
	static const char *const per_iface[] = { "net.ipv4.conf.", "net.ipv6.conf.",
						 "net.ipv4.neigh.", "net.ipv6.neigh." };

	for (size_t p = 0; p < ARRAY_SIZE(per_iface); p++) {
		size_t len = strlen(per_iface[p]);
		const char *name;

		if (strncmp(key, per_iface[p], len) != 0)
			continue;
		name = key + len;
		for (size_t k = 0; k < n->n_ifaces; k++) {
			size_t l = strlen(n->ifaces[k].name);

			if (strncmp(name, n->ifaces[k].name, l) == 0 && name[l] == '.')
				return true;
		}
	}
	return false;
}

/* Whether node n's veth ends are brought up as soon as each is made (phase 2), rather than in
 * phase 3 (where a sysctl of an interface is set first, or a bridge's port joins it), and its lo as
 * its namespace is made. Why: the kernel queues a link event for each veth made down, handles
 * those of veths still down 100 a second, and walks them all whenever a veth comes up (linkwatch,
 * with interrupts off): all made first, then brought up one by one, n links cost n^2/2 steps. */
static bool veth_made_up(const struct topo_node *n)
{
	if (lab_node_is_bridge(n))
		return false;
	for (size_t s = 0; s < n->n_sysctls; s++)
		if (sysctl_of_iface(n, n->sysctls[s].key))
			return false;
	return true;
}

/* Runs inside a node's new network namespace, before any interface exists: forwarding, and no
 * duplicate address detection on the interfaces to come (they copy conf/default). No DAD also for
 * the link-local addresses: a router sends neighbour solicitations for forwarded packets only
 * from a non-tentative link-local address. Returns 0 or -errno (the sysctl in arg, a struct
 * early). */
static int node_sysctls_early(void *arg)
{
	struct early *e = arg;
	const char *fwd = e->n->kind == TOPO_ROUTER ? "1" : "0";
	int r;

	if ((r = early_sysctl(e, "net.ipv6.conf.default.accept_dad", "0", false)) < 0 ||
	    (r = early_sysctl(e, "net.ipv4.ip_forward", fwd, false)) < 0 ||
	    (r = early_sysctl(e, "net.ipv6.conf.all.forwarding", fwd, false)) < 0)
		return r;
	for (size_t s = 0; s < e->n->n_sysctls; s++) /* the node's own, but its interfaces' */
		if (!sysctl_of_iface(e->n, e->n->sysctls[s].key) &&
		    (r = early_sysctl(e, e->n->sysctls[s].key, e->n->sysctls[s].value, false)) < 0)
			return r;
	/* lo up now, before the lab's veths keep the kernel's workers busy (veth_made_up) */
	if (veth_made_up(e->n) && (r = link_lo_up_here()) < 0) {
		e->lo = true;
		return r;
	}
	return lab_node_is_bridge(e->n) ? bridge_sysctls_early(e) : 0;
}

static void test_hook(struct up *u, const char *phase);

/* The file every pin file is linked from, made anew (under another inode) every PIN_SEED_LINKS
 * pins: far below any file system's link limit (ext4's is 65,000). */
#define PIN_SEED_LINKS 4096
static int pin_seed(struct up *u)
{
	_cleanup_free_ char *seed = state_pin_tmp_path(u->st);
	int r;

	if (u->seed_links > 0 && u->seed_links < PIN_SEED_LINKS)
		return 0;
	if (unlink(seed) < 0 && errno != ENOENT)
		return log_errno(-errno, "cannot remove '%s'", seed);
	if ((r = nsfs_create_file(seed, &u->seed_ino)) < 0)
		return log_errno(r, "cannot create namespace pin '%s'", seed);
	u->seed_links = 0;
	return 0;
}

/* Node i's network namespace, pinned as `ip netns add` pins it, and its UTS namespace. The pin's
 * file is a link of the lab's seed file, journaled with the namespace's identity and the seed's
 * inode before the link gets the pin's name (never over anything): down removes a pin only when it
 * is provably that one, so a pin of another lab or of iproute2's is never taken for ours, even when
 * up was killed at any point or its journal could not be written. One inode for all pins, rather
 * than a file each, is what keeps up and down linear on a file system without a journal (see
 * docs/performance.md). */
static int up_namespace(struct up *u, size_t i)
{
	const struct topo_node *n = &u->t->nodes[i];
	_cleanup_free_ char *pin = nsfs_netns_path(n->netns), *seed = state_pin_tmp_path(u->st);
	_cleanup_free_ char *uts = machine_ns_pin(u->st->dir, n->name, "uts"),
			    *hold = machine_ns_pin(u->st->dir, n->name, "net");
	struct early early = { .n = n };
	struct nsfs_id id;
	int r, fd;

	fd = nsfs_new(CLONE_NEWNET, u->orig_net, NULL, node_sysctls_early, &early, &id);
	if (fd < 0 && early.key)
		return log_errno(fd, "cannot set sysctl %s = %s in node %s", early.key, early.value,
				 n->name);
	if (fd < 0 && early.lo)
		return log_errno(fd, "cannot bring up 'lo' in node %s", n->name);
	if (fd < 0)
		return log_errno(fd, "cannot create network namespace '%s' (node %s)", n->netns,
				 n->name);
	nodefd_put_ns(&u->fd, i, fd); /* fd stays valid until the next nodefd call */
	if ((r = pin_seed(u)) < 0)
		return r;
	if ((r = journal_netns(u->st, n->netns, &id, u->seed_ino)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", u->t->name);
	if (util_test_hook("NETLAB_TEST_STOP_AFTER")) {
		_cleanup_free_ char *phase = util_xasprintf("journaled:%s", n->netns);

		test_hook(u, phase);
	}
	r = nsfs_link(seed, pin);
	if (r == -EEXIST)
		return log_errno(
			r,
			"cannot create namespace '%s' (node %s): something else created it meanwhile; left alone",
			n->netns, n->name);
	if (r < 0)
		return log_errno(r, "cannot create namespace pin '%s'", pin);
	u->seed_links++;
	if ((r = nsfs_pin_fd(fd, pin)) < 0)
		return log_errno(r, "cannot pin network namespace '%s' (node %s)", n->netns,
				 n->name);
	if ((r = nsfs_create_file(hold, NULL)) < 0 || (r = nsfs_pin_fd(fd, hold)) < 0)
		return log_errno(r, "cannot pin network namespace '%s' (node %s) on '%s'", n->netns,
				 n->name, hold);
	if ((r = nsfs_create_file(uts, NULL)) < 0)
		return log_errno(r, "cannot create UTS namespace pin '%s'", uts);
	if ((r = nsfs_new_pinned(uts, CLONE_NEWUTS, u->orig_uts, n->hostname, NULL, NULL, &id)) < 0)
		return log_errno(r, "cannot create UTS namespace of node %s (hostname '%s')",
				 n->name, n->hostname);
	return 0;
}

/* Mounts (or with remount, resizes) a tmpfs of the lab's at dir, of mib MiB. */
static int lab_tmpfs(const char *dir, const char *source, unsigned long flags, unsigned long mib,
		     bool remount)
{
	_cleanup_free_ char *opts = util_xasprintf("mode=0755,size=%lum", mib);

	if (remount)
		return mount("", dir, NULL, MS_REMOUNT | flags, opts) < 0 ? -errno : 0;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mount(source, dir, "tmpfs", flags, opts) < 0)
		return -errno;
	return mount("", dir, NULL, MS_PRIVATE, NULL) < 0 ? -errno : 0;
}

/* The lab's bounds: the nodes' layers ([lab] layers-size) and the daemons' logs (logs-size), each a
 * tmpfs of that size, the logs' in the nodes' one (journaled with it: down detaches both in one
 * step); with remount (apply, up_resize), resized: the kernel refuses less than what is written. */
static int lab_bounds(const struct topo *t, struct state *st, bool remount)
{
	_cleanup_free_ char *nodes_dir = state_path(st, STATE_NODES_DIR),
			    *logs_dir = state_path(st, STATE_LOGS_DIR);
	int r;

	if ((r = lab_tmpfs(nodes_dir, "netlab-nodes", MS_NOSUID | MS_NODEV, t->layers_mib,
			   remount)) < 0)
		return log_errno(r, "cannot %s a tmpfs of %lu MiB on '%s' (layers-size)",
				 remount ? "resize to" : "mount", t->layers_mib, nodes_dir);
	if ((r = lab_tmpfs(logs_dir, "netlab-logs", MS_NOSUID | MS_NODEV | MS_NOEXEC, t->logs_mib,
			   remount)) < 0)
		return log_errno(r, "cannot %s a tmpfs of %lu MiB on '%s' (logs-size)",
				 remount ? "resize to" : "mount", t->logs_mib, logs_dir);
	return 0;
}

int up_resize(const struct topo *t, struct state *st)
{
	return lab_bounds(t, st, true);
}

static int up_namespaces(struct up *u)
{
	_cleanup_free_ char *ns_dir = state_path(u->st, STATE_NS_DIR);
	int r;

	/* The UTS and mount namespace pins live on a tmpfs of their own, so that down detaches them
	 * all at once; a private one, as a mount namespace may only be pinned where its pin does
	 * not propagate (and so that no node's mount namespace sees the pins made after it). */
	if (u->d)
		goto nodes; /* apply: they are there (and resized: up_resize) */
	if (mkdir(ns_dir, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", ns_dir);
	if ((r = journal_mark(u->st, JOURNAL_NS_FS)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", u->t->name);
	if (mount("netlab-ns", ns_dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0755,size=4m") < 0)
		return log_errno(-errno, "cannot mount a tmpfs on '%s'", ns_dir);
	if (mount("", ns_dir, NULL, MS_PRIVATE, NULL) < 0)
		return log_errno(-errno, "cannot make '%s' a private mount", ns_dir);
	/* and the nodes' writable layers on another, which down detaches in one step too */
	if ((r = journal_mark(u->st, JOURNAL_NODES_FS)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", u->t->name);
	if ((r = lab_bounds(u->t, u->st, false)) < 0)
		return r;
nodes:
	for (size_t i = 0; i < u->t->n_nodes; i++)
		if (make_node(u, i) && ((r = check_stop(u)) < 0 || (r = up_namespace(u, i)) < 0))
			return r; /* down removes the seed */
	if (u->seed_links > 0) {
		_cleanup_free_ char *seed = state_pin_tmp_path(u->st);

		if (unlink(seed) < 0)
			return log_errno(-errno, "cannot remove '%s'", seed);
	}
	return 0;
}

/* Node i's netlink socket into *nl (opened when needed). Returns 0 or -errno after saying why. */
static int node_nl(struct up *u, size_t i, struct nls **nl)
{
	int r;

	if (!(*nl = nodefd_nl(&u->fd, i, &r)))
		return log_errno(r, "cannot open a netlink socket in namespace '%s'",
				 u->t->nodes[i].netns);
	return 0;
}

/* A new link's end, up at once when its node's interfaces are (veth_made_up). */
static int veth_up_now(struct up *u, const struct topo_end *end)
{
	const struct topo_node *n = &u->t->nodes[end->node];
	const struct topo_iface *ifc = topo_iface_find(n, end->ifname);
	struct nls *nl;
	int r;

	if (!veth_made_up(n))
		return 0;
	if ((r = node_nl(u, end->node, &nl)) < 0)
		return r;
	if ((r = link_set_up(nl, topo_iface_ifindex(ifc), 0)) < 0)
		return log_errno_why(r, nls_ext_ack(nl, r), "cannot bring up '%s:%s'", n->name,
				     ifc->name);
	return 0;
}

static int up_links(struct up *u)
{
	const struct topo *t = u->t;
	int r;

	if ((r = nls_open_in(&u->host, -1, -1)) < 0)
		return log_errno(r, "cannot open a netlink socket");
	for (size_t i = 0; i < t->n_links; i++) {
		const struct topo_link *l = &t->links[i];
		struct link_veth v = { .mtu = l->mtu };

		if (u->d && u->d->link[i] == DIFF_KEEP)
			continue;
		if ((r = check_stop(u)) < 0)
			return r;
		for (int e = 0; e < 2; e++) {
			const struct topo_end *end = &l->ends[e];
			const struct topo_node *n = &t->nodes[end->node];

			v.name[e] = end->ifname;
			if ((v.ns_fd[e] = nodefd_ns(&u->fd, end->node)) < 0)
				return log_errno(v.ns_fd[e], "cannot open namespace '%s' (node %s)",
						 n->netns, n->name);
			v.ifindex[e] = topo_iface_ifindex(topo_iface_find(n, end->ifname));
			v.mac[e] = end->has_mac ? end->mac : NULL;
		}
		r = link_veth_add(&u->host, &v);
		if (r < 0)
			return log_errno_why(r, nls_ext_ack(&u->host, r),
					     "cannot create veth pair '%s:%s' - '%s:%s' (link %s)",
					     l->ends[0].node_name, l->ends[0].ifname,
					     l->ends[1].node_name, l->ends[1].ifname, l->name);
		for (int e = 0; e < 2; e++)
			if ((r = veth_up_now(u, &l->ends[e])) < 0)
				return r;
	}
	return 0;
}

static bool node_has_vlans(const struct topo_node *n)
{
	for (size_t k = 0; k < n->n_ifaces; k++)
		if (n->ifaces[k].vlan || n->ifaces[k].n_trunk)
			return true;
	return false;
}

/* A switch or LAN node: its bridge, br0, which all its interfaces join. */
static int up_bridge(struct up *u, size_t i, struct nls *nl)
{
	const struct topo_node *n = &u->t->nodes[i];
	int r;

	if (!lab_node_is_bridge(n) || !make_node(u, i))
		return 0;
	r = bridge_add(nl, LAB_BRIDGE_NAME, LAB_BRIDGE_IFINDEX, n->stp, node_has_vlans(n));
	if (r == -EOPNOTSUPP && node_has_vlans(n))
		return log_errno_why(
			r, nls_ext_ack(nl, r),
			"cannot create VLAN-aware bridge '%s:%s': this kernel has no bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)",
			n->name, LAB_BRIDGE_NAME);
	if (r < 0)
		return log_errno_why(r, nls_ext_ack(nl, r), "cannot create bridge '%s:%s'", n->name,
				     LAB_BRIDGE_NAME);
	if ((r = link_set_up(nl, LAB_BRIDGE_IFINDEX, 0)) < 0)
		return log_errno_why(r, nls_ext_ack(nl, r), "cannot bring up '%s:%s'", n->name,
				     LAB_BRIDGE_NAME);
	return 0;
}

static int up_bridge_vlans(struct up *u, size_t i, struct nls *nl)
{
	const struct topo_node *n = &u->t->nodes[i];
	int r;

	for (size_t k = 0; k < n->n_ifaces && lab_node_is_bridge(n) && make_node(u, i); k++) {
		const struct topo_iface *ifc = &n->ifaces[k];

		if (!ifc->vlan && !ifc->n_trunk)
			continue; /* stays in the default VLAN 1, untagged */
		if ((r = bridge_port_vlans(nl, topo_iface_ifindex(ifc), ifc->vlan, ifc->trunk,
					   ifc->n_trunk)) < 0)
			return log_errno_why(r, nls_ext_ack(nl, r),
					     "cannot set the VLANs of switch port '%s:%s'", n->name,
					     ifc->name);
	}
	return 0;
}

/* The interface's impairment: all of it on a new interface; on a kept one (apply) only when it
 * changed, a removed one taken away. */
static int up_impairment(struct up *u, size_t i, struct nls *nl, const struct topo_iface *ifc)
{
	const struct topo_iface *was = make_iface(u, i, ifc) ? NULL : diff_old_iface(u->d, i, ifc);
	struct topo_impair imp = ifc->imp;

	if (was && diff_impair_equal(&was->imp, &ifc->imp))
		return 0;
	if (was && was->imp.set)
		imp.line = imp.line ? imp.line : 1; /* set or not, what is there is replaced */
	return impairment_apply(nl, &u->t->nodes[i], ifc, &imp);
}

/* Node i's sysctls, written from inside its namespace: a new node's of its interfaces (the others
 * were set as its namespace was made), all of a kept one's (apply). */
static int up_sysctls(struct up *u, size_t i)
{
	const struct topo_node *n = &u->t->nodes[i];
	bool all = !make_node(u, i), any = all;
	int r, fd;

	for (size_t s = 0; s < n->n_sysctls && !any; s++)
		any = sysctl_of_iface(n, n->sysctls[s].key);
	if (!any || n->n_sysctls == 0)
		return 0;
	if ((fd = nodefd_ns(&u->fd, i)) < 0)
		return log_errno(fd, "cannot open namespace '%s' (node %s)", n->netns, n->name);
	if ((r = nsfs_enter(fd, CLONE_NEWNET)) < 0)
		return log_errno(r, "cannot enter namespace '%s'", n->netns);
	for (size_t s = 0; s < n->n_sysctls && r == 0; s++)
		if (all || sysctl_of_iface(n, n->sysctls[s].key))
			r = node_sysctl(n, n->sysctls[s].key, n->sysctls[s].value);
	if (nsfs_enter(u->orig_net, CLONE_NEWNET) < 0 && r == 0)
		r = log_errno(-errno, "cannot return to netlab's own namespace");
	return r;
}

/* Phase 3, in node i: its sysctls, lo, bridge, links, VLANs, impairment. */
static int up_node_links(struct up *u, size_t i)
{
	const struct topo_node *n = &u->t->nodes[i];
	bool made_up = veth_made_up(n);
	struct nls *nl;
	int r;

	if ((r = up_sysctls(u, i)) < 0)
		return r;
	if ((r = node_nl(u, i, &nl)) < 0)
		return r;
	if (!made_up && (r = link_set_up(nl, 1, 0)) < 0)
		return log_errno_why(r, nls_ext_ack(nl, r), "cannot bring up 'lo' in node %s",
				     n->name);
	if ((r = up_bridge(u, i, nl)) < 0)
		return r;
	for (size_t k = 0; k < n->n_ifaces && !made_up; k++)
		if (make_iface(u, i, &n->ifaces[k]) &&
		    (r = link_set_up(nl, topo_iface_ifindex(&n->ifaces[k]),
				     lab_node_is_bridge(n) ? LAB_BRIDGE_IFINDEX : 0)) < 0)
			return log_errno_why(r, nls_ext_ack(nl, r), "cannot bring up '%s:%s'",
					     n->name, n->ifaces[k].name);
	if ((r = up_bridge_vlans(u, i, nl)) < 0)
		return r;
	for (size_t k = 0; k < n->n_ifaces; k++)
		if ((r = up_impairment(u, i, nl, &n->ifaces[k])) < 0)
			return r;
	return 0;
}

/* The addresses of interface ifc of node i: all of them on a new interface; on a kept one (apply)
 * those no longer declared are deleted and the new ones added. */
static int up_iface_addrs(struct up *u, size_t i, struct nls *nl, const struct topo_iface *ifc)
{
	const struct topo_node *n = &u->t->nodes[i];
	const struct topo_iface *was = make_iface(u, i, ifc) ? NULL : diff_old_iface(u->d, i, ifc);
	char b[64];
	int r;

	for (size_t a = 0; was && a < was->n_addrs; a++) {
		const struct topo_prefix *p = &was->addrs[a].p;

		if (!diff_prefix_in(p, ifc->addrs, ifc->n_addrs) &&
		    (r = addr_del(nl, topo_iface_ifindex(ifc), p)) < 0 && r != -EADDRNOTAVAIL)
			return log_errno_why(r, nls_ext_ack(nl, r),
					     "cannot delete address %s of '%s:%s'",
					     topo_prefix_str(p, true, b, sizeof(b)), n->name,
					     ifc->name);
	}
	for (size_t a = 0; a < ifc->n_addrs; a++) {
		const struct topo_prefix *p = &ifc->addrs[a].p;

		if (was && diff_prefix_in(p, was->addrs, was->n_addrs))
			continue;
		if ((r = addr_add(nl, topo_iface_ifindex(ifc), p)) < 0)
			return log_errno_why(r, nls_ext_ack(nl, r),
					     "cannot add address %s to '%s:%s'",
					     topo_prefix_str(p, true, b, sizeof(b)), n->name,
					     ifc->name);
	}
	return 0;
}

/* The routes of node i: all of them on a new node; on a kept one (apply) those no longer declared
 * are deleted, and every declared one is added when missing (the kernel deleted those through
 * deleted interfaces). */
static int up_routes(struct up *u, size_t i, struct nls *nl)
{
	const struct topo_node *n = &u->t->nodes[i];
	const struct topo_node *old = make_node(u, i) ? NULL : &u->d->old->nodes[u->d->node_old[i]];
	char b[160];
	int r;

	for (size_t k = 0; old && k < old->n_routes; k++) {
		const struct topo_route *rt = &old->routes[k];

		if (!diff_route_in(rt, n->routes, n->n_routes) && (r = route_del(nl, rt, 0)) < 0 &&
		    r != -ESRCH && r != -ENOENT)
			return log_errno_why(r, nls_ext_ack(nl, r),
					     "cannot delete route %s in node %s",
					     topo_route_str(rt, b, sizeof(b)), n->name);
	}
	for (size_t k = 0; k < n->n_routes; k++) {
		const struct topo_route *rt = &n->routes[k];
		const struct topo_iface *dev = rt->dev[0] ? topo_iface_find(n, rt->dev) : NULL;

		if ((r = route_add(nl, rt, dev ? topo_iface_ifindex(dev) : 0)) < 0 &&
		    !(old && r == -EEXIST))
			return log_errno_why(r, nls_ext_ack(nl, r),
					     "cannot add route %s in node %s",
					     topo_route_str(rt, b, sizeof(b)), n->name);
	}
	return 0;
}

static int up_node_addrs(struct up *u, size_t i)
{
	const struct topo_node *n = &u->t->nodes[i];
	struct nls *nl;
	int r;

	if ((r = node_nl(u, i, &nl)) < 0)
		return r;
	for (size_t k = 0; k < n->n_ifaces; k++)
		if ((r = up_iface_addrs(u, i, nl, &n->ifaces[k])) < 0)
			return r;
	return up_routes(u, i, nl);
}

/* The lab's hosts file, and /etc/netns/NS for every node. */
static int up_hosts(struct up *u)
{
	return etcnetns_add(u->st, u->t);
}

/* Adds a warning on node i: kept for status (warnings.h), and said now with say. */
static int warn_node(struct up *u, size_t i, const char *text, bool say)
{
	int r;

	if (say)
		util_log("warning: node %s: %s", u->t->nodes[i].name, text);
	if ((r = warnings_add(u->st, u->t->nodes[i].name, text)) < 0)
		return log_errno(r, "cannot write the state of lab %s", u->t->name);
	return 0;
}

/* Node i's memory and cpus limits (cgroup.h); where they cannot be applied, a warning on each node
 * that asks for them, said once (*said). */
static int up_limits(struct up *u, size_t i, bool *said)
{
	_cleanup_free_ char *why = NULL, *text = NULL;
	int r;

	if ((r = cgroup_node_make(u->st, &u->t->nodes[i], &why)) <= 0)
		return r;
	text = util_xasprintf("memory and cpus not applied: %s", why);
	r = warn_node(u, i, text, !*said);
	*said = true;
	return r;
}

/* Every node's mount namespace, each a copy of the lab's template, and its limits. */
static int up_machines(struct up *u)
{
	_cleanup_close_ int tmpl = machine_template(u->st, u->orig_mnt);
	bool said = false;
	int r;

	if (tmpl < 0)
		return tmpl;
	for (size_t i = 0; i < u->t->n_nodes; i++) {
		int fd;

		if (!make_node(u, i))
			continue;
		if ((r = check_stop(u)) < 0 || (r = up_limits(u, i, &said)) < 0)
			return r;
		if ((fd = nodefd_ns(&u->fd, i)) < 0)
			return log_errno(fd, "cannot open namespace '%s' (node %s)",
					 u->t->nodes[i].netns, u->t->nodes[i].name);
		r = machine_make(u->t, i, u->st, tmpl, fd, u->orig_net, u->orig_mnt);
		if (r < 0) {
			machine_cpus_restore();
			return r;
		}
	}
	machine_cpus_restore();
	return 0;
}

/* The line of out just before at (not a mark of another failed line), to be freed: what a failed
 * startup line printed last, most often why it failed ("" when none). */
static char *output_before(const char *out, const char *at)
{
	const char *start = at > out ? at - 1 : at;

	while (start > out && start[-1] != '\n')
		start--;
	if (start == at || strncmp(start, EXEC_FAILED_MARK, strlen(EXEC_FAILED_MARK)) == 0)
		return util_xstrdup("");
	return util_xasprintf("%.*s", (int)(at - 1 - start), start);
}

/* A startup script ran to its end (as Kathará runs one): its output is appended to the node's log
 * (netlab logs), each line that failed and a final status not 0 become warnings, and up goes on.
 * Returns 0 or -errno. */
static int startup_done(struct up *u, size_t i, const struct topo_cmd *cmd, int st, const char *out)
{
	_cleanup_free_ char *log =
		util_xasprintf("%s/%s/%s.log", u->st->dir, STATE_LOGS_DIR, u->t->nodes[i].name);
	_cleanup_close_ int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	size_t marks = 0;
	int r = 0;

	if (fd >= 0 && *out) {
		dprintf(fd, "netlab: startup %s:\n", cmd->text);
		if (util_write_all(fd, out, strlen(out)) < 0 ||
		    (out[strlen(out) - 1] != '\n' && util_write_all(fd, "\n", 1) < 0))
			util_log("node %s: its startup's output could not all be kept in '%s'",
				 u->t->nodes[i].name, log);
	}
	for (const char *p = out; (p = strstr(p, EXEC_FAILED_MARK)) && r == 0; p++) {
		_cleanup_free_ char *before = NULL, *text = NULL;
		size_t len = strcspn(p, "\n");

		if (p != out && p[-1] != '\n')
			continue;
		before = output_before(out, p);
		text = util_xasprintf("startup %s line %.*s%s%s%s", cmd->text,
				      (int)(len - strlen(EXEC_FAILED_MARK)),
				      p + strlen(EXEC_FAILED_MARK),
				      *before ? " (the output before it: " : "", before,
				      *before ? ")" : "");
		r = warn_node(u, i, text, true);
		marks++;
	}
	if (r == 0 && !marks && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		_cleanup_free_ char *text =
			WIFEXITED(st) ? util_xasprintf("startup %s ended with exit status %d",
						       cmd->text, WEXITSTATUS(st)) :
					util_xasprintf("startup %s was killed by signal %d",
						       cmd->text, WTERMSIG(st));

		r = warn_node(u, i, text, true);
	}
	return r;
}

/* What came of cmd, run in node i (label: "exec", "startup", "frr"): st its wait status (or
 * -errno), out its output. A startup script is forgiven (startup_done); another command's failure
 * says so, shows the command's output and returns UTIL_FAILED. */
static int cmd_done(struct up *u, size_t i, const struct topo_cmd *cmd, const char *label, int st,
		    const char *out)
{
	const char *name = u->t->nodes[i].name;

	if (st == -EINTR)
		return check_stop(u); /* stopped by a signal: says so */
	if (st < 0)
		return log_errno(st, "cannot run %s '%s' in node %s", label, cmd->text, name);
	if (cmd->script)
		return startup_done(u, i, cmd, st, out ? out : "");
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		util_log("%s '%s' in node %s failed with exit status %d%s", label, cmd->text, name,
			 WEXITSTATUS(st), out && *out ? "; its output:" : " (no output)");
	else
		util_log("%s '%s' in node %s was killed by signal %d%s", label, cmd->text, name,
			 WTERMSIG(st), out && *out ? "; its output:" : " (no output)");
	if (out && *out)
		fprintf(stderr, "%s%s", out, out[strlen(out) - 1] == '\n' ? "" : "\n");
	return UTIL_FAILED;
}

/* Runs cmd in node i and waits for it: cmd_done. */
static int run_cmd(struct up *u, size_t i, const struct topo_cmd *cmd, const char *label)
{
	_cleanup_free_ char *out = NULL;
	int st = exec_run(u->t, i, u->st->dir, cmd, &out, u->stop, 0);

	return cmd_done(u, i, cmd, label, st, out);
}

/* Starts FRR in every node made that runs it, many at once (UP_FRR_WIDTH per CPU), as Debian's
 * frrinit.sh would but without its scripts (routing_frr_start, from the node's daemons file):
 * starting FRR is mostly CPU, half of it the scripts'. Each is checked as run_cmd would; the first
 * failure is returned, once all have ended. */
static int up_frr(struct up *u)
{
	_cleanup_free_ struct exec_job *v = util_xcalloc(u->t->n_nodes, sizeof(*v));
	_cleanup_free_ struct topo_cmd *cmds = util_xcalloc(u->t->n_nodes, sizeof(*cmds));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = 0;
	int r = 0, q;

	for (size_t i = 0; i < u->t->n_nodes; i++) {
		const char *name = u->t->nodes[i].name;
		_cleanup_free_ char *file = NULL, *text = NULL, *root = NULL;

		if (!make_node(u, i) || !u->t->nodes[i].frr)
			continue;
		root = machine_root(u->st->dir, name);
		file = util_xasprintf("%s/etc/frr/daemons", root);
		if ((q = util_read_file(file, &text, NULL)) < 0) {
			r = log_errno(q, "node %s: frr: cannot read '%s'", name, file);
			break;
		}
		cmds[n].text = routing_frr_start(text);
		v[n] = (struct exec_job){ .node = i, .cmd = &cmds[n] };
		n++;
	}
	if (r == 0)
		exec_batch(u->t, u->st->dir, v, n, UP_FRR_WIDTH * (size_t)(cpus > 0 ? cpus : 1),
			   u->stop, 0);
	for (size_t k = 0; k < n; k++) {
		if (v[k].started_ms > u->last_start_ms)
			u->last_start_ms = v[k].started_ms;
		if (!r &&
		    (q = cmd_done(u, v[k].node, v[k].cmd, "frr", v[k].status, v[k].output)) < 0)
			r = q;
		free(v[k].output);
		free(cmds[k].text);
	}
	return r;
}

/* A daemon started by this up, watched through its first moments. */
struct started {
	pid_t pid;
	size_t node;
	const char *text;
};

/* Starts cmd in the background in node i, its output appended to the node's log, and journals it.
 */
static int start_daemon(struct up *u, size_t i, const struct topo_cmd *cmd, struct started **v,
			size_t *n)
{
	_cleanup_free_ char *log =
		util_xasprintf("%s/%s/%s.log", u->st->dir, STATE_LOGS_DIR, u->t->nodes[i].name);
	struct started *s;
	pid_t pid;
	int r;

	pid = exec_daemon(u->t, i, u->st->dir, cmd, log);
	if (pid < 0)
		return log_errno(pid, "cannot start daemon '%s' in node %s", cmd->text,
				 u->t->nodes[i].name);
	s = util_grow(v, n, sizeof(**v));
	*s = (struct started){ .pid = pid, .node = i, .text = cmd->text };
	u->last_start_ms = util_now_ms();
	if ((r = journal_daemon(u->st, u->t->nodes[i].name, pid)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", u->t->name);
	return 0;
}

/* Prints the last lines of a daemon's log (read from its last 64 KiB: a log may be as large as
 * logs-size). */
static void show_log_tail(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char text[65536];
	size_t lines = 0;
	const char *p;
	ssize_t len;
	off_t end;

	if (fd < 0 || (end = lseek(fd, 0, SEEK_END)) <= 0 ||
	    (len = pread(fd, text, sizeof(text) - 1,
			 end > (off_t)sizeof(text) - 1 ? end - (off_t)sizeof(text) + 1 : 0)) <= 0) {
		fprintf(stderr, "(its log '%s' is empty)\n", path);
		return;
	}
	text[len] = '\0';
	for (p = text + len; p > text && lines <= 20; p--)
		lines += p[-1] == '\n';
	fprintf(stderr, "%s%s", p == text ? p : p + 1, text[len - 1] == '\n' ? "" : "\n");
}

/* Daemons must still run DAEMON_SETTLE_MS after their start (those that exit early, even with
 * status 0, fail up: a daemon stays in the foreground); FRR's daemons by their pid files. Waited
 * from the latest start: those started before it had their time meanwhile (in a lab of 100 FRR
 * routers, the first ones seconds before). */
#define DAEMON_SETTLE_MS 1000
static int check_daemons(struct up *u, const struct started *v, size_t n)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	bool frr = false;

	for (size_t i = 0; i < u->t->n_nodes; i++)
		frr |= make_node(u, i) && u->t->nodes[i].frr != NULL;
	if (n == 0 && !frr)
		return 0;
	for (bool last = false; !last;) {
		last = util_now_ms() >= u->last_start_ms + DAEMON_SETTLE_MS;
		for (size_t k = 0; k < n; k++) {
			const char *node = u->t->nodes[v[k].node].name;
			_cleanup_free_ char *log = NULL;
			int st;

			if (waitpid(v[k].pid, &st, WNOHANG) != v[k].pid)
				continue;
			log = util_xasprintf("%s/%s/%s.log", u->st->dir, STATE_LOGS_DIR, node);
			if (WIFEXITED(st))
				util_log(
					"daemon '%s' in node %s exited within its first second, with status %d; the end of its log:",
					v[k].text, node, WEXITSTATUS(st));
			else
				util_log(
					"daemon '%s' in node %s was killed by signal %d within its first second; the end of its log:",
					v[k].text, node, WTERMSIG(st));
			show_log_tail(log);
			return UTIL_FAILED;
		}
		if (!last)
			nanosleep(&tick, NULL);
	}
	for (size_t i = 0; i < u->t->n_nodes; i++) {
		const struct topo_node *node = &u->t->nodes[i];
		_cleanup_free_ char *root =
			node->frr && make_node(u, i) ? machine_root(u->st->dir, node->name) : NULL;
		const char *missing = root ? routing_frr_missing(u->t, node, root) : NULL;

		if (missing) {
			util_log(
				"FRR's %s in node %s is not running a second after its start (its pid file: %s/run/frr/%s.pid)",
				missing, node->name, root, missing);
			return UTIL_FAILED;
		}
	}
	return 0;
}

/* exec, exec.N and startup of every node, in order, then its routing daemons and daemons: after
 * the whole network is wired. A failing command fails up (which then removes the lab) and shows
 * its output; so does a daemon that does not survive its first second. */
/* FRR's own check (vtysh --dryrun) of the configuration of each FRR node made, once per file: FRR
 * drops a line it rejects (a typo: `netwrok`) with no word, so each is a warning on the node
 * ("frr FILE:LINE: FRR rejects it: ..."), said once per file. */
static int check_frr_confs(struct up *u)
{
	const struct topo *t = u->t;
	_cleanup_free_ char **files = util_xcalloc(t->n_nodes + 1, sizeof(char *)),
			    **rejected = util_xcalloc(t->n_nodes + 1, sizeof(char *));
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; i < t->n_nodes && r == 0; i++) {
		const struct topo_node *node = &t->nodes[i];
		size_t k = 0;
		bool say;

		if (!node->frr || !make_node(u, i))
			continue;
		while (k < n && strcmp(files[k], node->frr) != 0)
			k++;
		if ((say = k == n)) {
			_cleanup_free_ char *path = topo_path(t, node->frr);

			files[n] = node->frr;
			if (routing_frr_check(path, &rejected[n]) < 0)
				rejected[n] = util_xstrdup(""); /* no vtysh: FRR's start says so */
			n++;
		}
		for (const char *l = rejected[k]; *l && r == 0; l = strchr(l, '\n') + 1) {
			const char *tab = strchr(l, '\t');
			_cleanup_free_ char *text = util_xasprintf(
				"frr %s:%.*s: FRR rejects it: %.*s", node->frr, (int)(tab - l), l,
				(int)strcspn(tab + 1, "\n"), tab + 1);

			r = warn_node(u, i, text, say);
		}
	}
	for (size_t k = 0; k < n; k++)
		free(rejected[k]);
	return r;
}

static int up_commands(struct up *u)
{
	static const struct topo_cmd bird = { .text = ROUTING_BIRD_CMD };
	_cleanup_free_ struct started *v = NULL;
	size_t n = 0;
	int r;

	for (size_t i = 0; i < u->t->n_nodes; i++) {
		const struct topo_node *node = &u->t->nodes[i];

		for (size_t c = 0; c < node->n_execs && make_node(u, i); c++)
			if ((r = check_stop(u)) < 0 ||
			    (r = run_cmd(u, i, &node->execs[c],
					 node->execs[c].script ? "startup" : "exec")) < 0)
				return r;
	}
	util_trace("execs");
	if ((r = check_frr_confs(u)) < 0)
		return r;
	util_trace("frr-check");
	if ((r = up_frr(u)) < 0)
		return r;
	util_trace("frr-start");
	for (size_t i = 0; i < u->t->n_nodes; i++) {
		const struct topo_node *node = &u->t->nodes[i];

		if (!make_node(u, i))
			continue;
		if ((r = check_stop(u)) < 0)
			return r;
		if (node->bird && (r = start_daemon(u, i, &bird, &v, &n)) < 0)
			return r;
		for (size_t c = 0; c < node->n_daemons; c++)
			if ((r = start_daemon(u, i, &node->daemons[c], &v, &n)) < 0)
				return r;
	}
	return check_daemons(u, v, n);
}

/* The test hook NETLAB_TEST_STOP_AFTER=PHASE makes up wait at the end of that phase (up to 60 s)
 * for a signal, so that tests can interrupt it at a known point; "journaled:NETNS" is the moment
 * a namespace is journaled and its pin not yet named. */
static void test_hook(struct up *u, const char *phase)
{
	const char *hook = util_test_hook("NETLAB_TEST_STOP_AFTER");
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	if (!hook || strcmp(hook, phase) != 0)
		return;
	fprintf(stderr, "netlab: test hook: stopped after %s\n", phase);
	for (int i = 0; i < 6000 && !*u->stop; i++)
		nanosleep(&tick, NULL);
}

/* The end of a phase: traced (NETLAB_TRACE), the test hook, and a stop when a signal came. */
static int phase_done(struct up *u, const char *phase)
{
	util_trace(phase);
	test_hook(u, phase);
	return check_stop(u);
}

static int up_all(struct up *u)
{
	int r;

	util_trace("start");
	if ((r = nsfs_prepare_dir(NETNS_RUN_DIR, true)) < 0)
		return log_errno(r, "cannot prepare '%s'", NETNS_RUN_DIR);
	if ((r = up_namespaces(u)) < 0 || (r = phase_done(u, "namespaces")) < 0)
		return r;
	if ((r = up_links(u)) < 0 || (r = phase_done(u, "veths")) < 0)
		return r;
	for (size_t i = 0; i < u->t->n_nodes; i++)
		if (work_node(u, i) && ((r = check_stop(u)) < 0 || (r = up_node_links(u, i)) < 0))
			return r;
	if ((r = phase_done(u, "links-up")) < 0)
		return r;
	for (size_t i = 0; i < u->t->n_nodes; i++)
		if (work_node(u, i) && ((r = check_stop(u)) < 0 || (r = up_node_addrs(u, i)) < 0))
			return r;
	if ((r = phase_done(u, "addr-routes")) < 0)
		return r;
	if ((r = up_hosts(u)) < 0 || (r = phase_done(u, "hosts")) < 0)
		return r;
	if ((r = up_machines(u)) < 0 || (r = phase_done(u, "machines")) < 0)
		return r;
	if ((r = up_commands(u)) < 0 || (r = phase_done(u, "commands")) < 0)
		return r;
	if (u->d)
		return 0; /* apply says when it is done */
	if ((r = journal_mark(u->st, JOURNAL_COMPLETE)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", u->t->name);
	test_hook(u, "complete"); /* from here on, a signal no longer undoes the lab */
	return 0;
}

/* The phases, with netlab's own namespaces open and every file closed at the end. Apply's kept
 * nodes are opened through their pins, which apply checked. */
static int run(const struct topo *t, struct state *st, const struct diff *d,
	       const volatile sig_atomic_t *stop)
{
	struct up u = { .t = t,
			.d = d,
			.st = st,
			.stop = stop,
			.orig_net = -1,
			.orig_uts = -1,
			.orig_mnt = -1 };
	int r;

	u.orig_net = nsfs_open(NSFS_SELF_NET);
	u.orig_uts = nsfs_open("/proc/thread-self/ns/uts");
	u.orig_mnt = nsfs_open("/proc/thread-self/ns/mnt");
	if ((r = u.orig_net) < 0 || (r = u.orig_uts) < 0 || (r = u.orig_mnt) < 0)
		r = log_errno(r, "cannot open netlab's own namespaces");
	else if ((r = nodefd_init(&u.fd, t, u.orig_net)) == 0)
		r = up_all(&u);
	nls_close(&u.host);
	nodefd_free(&u.fd);
	if (u.orig_net >= 0)
		close(u.orig_net);
	if (u.orig_uts >= 0)
		close(u.orig_uts);
	if (u.orig_mnt >= 0)
		close(u.orig_mnt);
	return r;
}

/* Removes what a failed up made; says so when some of it stays. */
static void roll_back(struct state *st)
{
	if (down_lab(st, true) < 0)
		util_log("lab %s was not removed whole: see above, then run 'netlab down %s'",
			 st->lab, st->lab);
}

int up_lab(const struct topo *t, struct state *st, const volatile sig_atomic_t *stop)
{
	int r;

	if ((r = up_check_clashes(t, NULL)) < 0) {
		roll_back(st);
		return r;
	}
	if ((r = run(t, st, NULL, stop)) < 0) {
		util_log("bringing up lab %s failed: removing what was created", t->name);
		roll_back(st);
	}
	return r;
}

int up_apply(const struct topo *t, struct state *st, const struct diff *d,
	     const volatile sig_atomic_t *stop)
{
	return run(t, st, d, stop);
}

static volatile sig_atomic_t up_stop;

static void on_signal(int sig)
{
	up_stop = sig;
}

/* Refuses a lab whose state says it is up or half made. Returns 1 when it is up from the same
 * text (nothing to do), 0 when it is free, or -errno after saying why not. */
static int check_state(struct state *st, const struct topo *t)
{
	struct journal j;
	bool complete, started;
	int r;

	if ((r = journal_load(st, &j)) < 0)
		return log_errno(r, "cannot read the state of lab %s", t->name);
	complete = j.complete;
	started = j.n_lines > 0; /* even one line (a tmpfs, a cut one): up had begun */
	journal_clear(&j);
	if (complete) {
		if ((r = lab_same_topology(st, t)) == 1)
			return 1;
		if (r < 0)
			return log_errno(r, "cannot read the state of lab %s", t->name);
		util_log(
			"lab %s is already up with a different topology: 'netlab apply FILE' changes it to this one, 'netlab down %s' removes it",
			t->name, t->name);
		return -EEXIST;
	}
	if (started) {
		util_log(
			"lab %s was left half made by an interrupted up: run 'netlab down %s' first",
			t->name, t->name);
		return -EEXIST;
	}
	return 0;
}

int up_images(const struct topo *t)
{
	for (size_t i = 0; i < t->n_nodes; i++) {
		const char *name = t->nodes[i].image;
		bool seen = false;
		int r;

		for (size_t k = 0; k < i && !seen && name; k++)
			seen = t->nodes[k].image && strcmp(t->nodes[k].image, name) == 0;
		if (!name || seen || image_exists(name))
			continue;
		if (!image_recipe(name)) {
			util_log(
				"node %s: image %s is not built here: 'netlab image build %s --packages P,...' builds it (base and frr are built by up)",
				t->nodes[i].name, name, name);
			return -ENOENT;
		}
		if ((r = image_build(name, NULL)) < 0 && r != -EEXIST)
			return r;
	}
	return 0;
}

int up_file(const struct topo *t, FILE *out)
{
	_cleanup_state_ struct state *st = NULL;
	struct warning *warnings = NULL;
	int r, n_warnings;

	if ((r = up_images(t)) < 0) /* before anything of the lab is made */
		return r;

	/* From before the state exists: a signal during its making removes it too. */
	util_catch_stop_signals(on_signal); /* up then removes what it made */
	if ((r = nsfs_prepare_dir(NETLAB_RUN_DIR, false)) < 0) {
		r = log_errno(r, "cannot prepare '%s'", NETLAB_RUN_DIR);
		goto out;
	}
	if ((r = state_open(t->name, STATE_CREATE, &st)) < 0) {
		r = log_errno(r, "cannot create the state of lab %s in %s", t->name,
			      NETLAB_RUN_DIR);
		goto out;
	}
	if ((r = check_state(st, t)) != 0) {
		if (r == 1)
			fprintf(out, "lab %s is already up: nothing changed\n", t->name);
		goto out;
	}
	if ((r = lab_write_topology(st, t)) < 0) {
		log_errno(r, "cannot write the state of lab %s in '%s'", t->name, st->dir);
		roll_back(st);
		goto out;
	}
	r = up_lab(t, st, &up_stop);
	if (r < 0)
		goto out;
	/* A signal after the journal said complete does not undo the lab: say what is true. */
	n_warnings = warnings_read(st->dir, &warnings);
	fprintf(out, "lab %s is up: %zu node%s, %zu link%s", t->name, t->n_nodes,
		t->n_nodes == 1 ? "" : "s", t->n_links, t->n_links == 1 ? "" : "s");
	if (n_warnings > 0)
		fprintf(out, ", with %d warning%s (above; netlab status %s shows them)", n_warnings,
			n_warnings == 1 ? "" : "s", t->name);
	fprintf(out, "\n");
	warnings_free(warnings, n_warnings > 0 ? (size_t)n_warnings : 0);
	if (up_stop)
		util_log(
			"signal %d came after the lab was up: it stays up ('netlab down %s' removes it)",
			(int)up_stop, t->name);
out:
	up_stop = 0;
	util_catch_stop_signals(NULL);
	return r;
}
