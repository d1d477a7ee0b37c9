/* apply.c: `up` and `down` orchestration, rollback and messages.
 *
 * up, in phases, so that the work stays linear in the lab's size and each namespace gets one
 * netlink socket, reused for all its work:
 *   1. per node: a network namespace (forwarding and no-DAD sysctls set from inside it) and a UTS
 *      namespace (hostname), each pinned;
 *   2. per link: one veth pair, each end created directly in its node under its final name and a
 *      fixed ifindex (see apply_ifindex), through a socket in netlab's namespace;
 *   3. per node: a socket inside the node; its sysctls; lo up; a switch's or LAN's bridge; every
 *      interface up (and into the bridge); VLANs; impairment qdiscs;
 *   4. per node: addresses (IPv6 without DAD, after both ends are up), then routes;
 *   5. the lab's hosts file and /etc/netns/NS (a symlink to it);
 *   6. exec and startup commands, then daemons; then "complete" in the journal.
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

#include "apply.h"
#include "exec.h"
#include "net.h"
#include "nsfs.h"
#include "procs.h"
#include "util.h"

#define APPLY_IFINDEX_BASE 100 /* above the fallback tunnel devices a new namespace may hold */

char *apply_netns_path(const char *name)
{
	return util_xasprintf("%s/%s", NETNS_RUN_DIR, name);
}

/* Every interface of the lab gets its own ifindex, so the two ends of a veth never share one: the
 * kernel treats a veth whose ifindex equals its peer's as a non-urgent link event and delays its
 * carrier (and IPv6 link-local address) by up to a second. */
int apply_ifindex(const struct topo_iface *ifc)
{
	return APPLY_IFINDEX_BASE + 2 * (int)ifc->link + ifc->end;
}

struct up {
	const struct topo *t;
	struct state *st;
	const volatile sig_atomic_t *stop;
	int orig_net, orig_uts;
	int *ns_fd;
	struct nls *nl;
	struct nls host;
};

static int check_stop(struct up *u)
{
	if (*u->stop) {
		util_log("interrupted: removing what was created");
		return -EINTR;
	}
	return 0;
}

/* Refuses to start when any pin or /etc/netns entry of the lab already exists. */
static int check_clashes(const struct topo *t)
{
	int r = 0;

	for (size_t i = 0; i < t->n_nodes; i++) {
		_cleanup_free_ char *pin = apply_netns_path(t->nodes[i].netns);
		_cleanup_free_ char *etc = util_xasprintf("%s/%s", APPLY_ETC_NETNS, t->nodes[i].netns);
		struct stat st;

		if (lstat(pin, &st) == 0) {
			util_log("namespace '%s' (node %s) already exists and is not part of lab %s: refusing to touch it", t->nodes[i].netns, t->nodes[i].name, t->name);
			r = -EEXIST;
		}
		if (lstat(etc, &st) == 0) {
			util_log("'%s' (node %s) already exists and is not part of lab %s: refusing to touch it", etc, t->nodes[i].name, t->name);
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

/* Runs inside a node's new network namespace, before any interface exists: forwarding, and no
 * duplicate address detection on the interfaces to come (they copy conf/default). No DAD also for
 * the link-local addresses: a router sends neighbour solicitations for forwarded packets only
 * from a non-tentative link-local address. Returns -ECANCELED after saying why. */
static int node_sysctls_early(void *arg)
{
	const struct topo_node *n = arg;
	const char *fwd = n->kind == TOPO_ROUTER ? "1" : "0";

	if (node_sysctl(n, "net.ipv6.conf.default.accept_dad", "0") < 0 || node_sysctl(n, "net.ipv4.ip_forward", fwd) < 0 ||
	    node_sysctl(n, "net.ipv6.conf.all.forwarding", fwd) < 0)
		return -ECANCELED;
	return 0;
}

static int up_namespaces(struct up *u)
{
	_cleanup_free_ char *uts_dir = state_path(u->st, STATE_UTS_DIR);
	int r;

	/* The UTS pins live on a tmpfs of their own, so that down detaches them all at once. */
	if (mkdir(uts_dir, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", uts_dir);
	if ((r = state_record(u->st, "uts-fs\n")) < 0)
		return log_errno(r, "cannot write the journal of lab %s", u->t->name);
	if (mount("netlab-uts", uts_dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=4m") < 0)
		return log_errno(-errno, "cannot mount a tmpfs on '%s'", uts_dir);
	for (size_t i = 0; i < u->t->n_nodes; i++) {
		const struct topo_node *n = &u->t->nodes[i];
		_cleanup_free_ char *pin = apply_netns_path(n->netns);
		_cleanup_free_ char *uts = util_xasprintf("%s/%s", uts_dir, n->name);
		ino_t ino;

		if ((r = check_stop(u)) < 0)
			return r;
		if ((r = state_record(u->st, "netns %s\n", n->netns)) < 0)
			return log_errno(r, "cannot write the journal of lab %s", u->t->name);
		r = nsfs_create_file(pin);
		if (r == -EEXIST) {
			state_record(u->st, "netns-unowned %s\n", n->netns);
			return log_errno(r, "cannot create namespace '%s' (node %s): something else created it meanwhile; left alone", n->netns, n->name);
		}
		if (r < 0)
			return log_errno(r, "cannot create namespace pin '%s'", pin);
		r = nsfs_new_pinned(pin, CLONE_NEWNET, u->orig_net, NULL, node_sysctls_early, (void *)n, &ino);
		if (r == -ECANCELED)
			return r; /* node_sysctls_early said why */
		if (r < 0)
			return log_errno(r, "cannot create network namespace '%s' (node %s)", n->netns, n->name);
		if ((r = state_record(u->st, "netns-ino %s %ju\n", n->netns, (uintmax_t)ino)) < 0)
			return log_errno(r, "cannot write the journal of lab %s", u->t->name);
		if ((r = nsfs_open(pin)) < 0)
			return log_errno(r, "cannot open namespace '%s'", n->netns);
		u->ns_fd[i] = r;

		if ((r = nsfs_create_file(uts)) < 0)
			return log_errno(r, "cannot create UTS namespace pin '%s'", uts);
		if ((r = nsfs_new_pinned(uts, CLONE_NEWUTS, u->orig_uts, n->hostname, NULL, NULL, &ino)) < 0)
			return log_errno(r, "cannot create UTS namespace of node %s (hostname '%s')", n->name, n->hostname);
	}
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

		if ((r = check_stop(u)) < 0)
			return r;
		for (int e = 0; e < 2; e++) {
			const struct topo_end *end = &l->ends[e];
			const struct topo_node *n = &t->nodes[end->node];

			v.name[e] = end->ifname;
			v.ns_fd[e] = u->ns_fd[end->node];
			v.ifindex[e] = apply_ifindex(topo_iface_find(n, end->ifname));
			v.mac[e] = end->has_mac ? end->mac : NULL;
		}
		r = link_veth_add(&u->host, &v);
		if (r < 0)
			return log_errno(r, "cannot create veth pair '%s:%s' - '%s:%s' (link %s)", l->ends[0].node_name, l->ends[0].ifname,
					 l->ends[1].node_name, l->ends[1].ifname, l->name);
	}
	return 0;
}

static bool node_is_bridge(const struct topo_node *n)
{
	return n->kind == TOPO_SWITCH || n->kind == TOPO_LAN;
}

static bool node_has_vlans(const struct topo_node *n)
{
	for (size_t k = 0; k < n->n_ifaces; k++)
		if (n->ifaces[k].vlan || n->ifaces[k].n_trunk)
			return true;
	return false;
}

/* A switch or LAN node: its bridge, br0, which all its interfaces join. */
static int up_bridge(struct up *u, size_t i)
{
	const struct topo_node *n = &u->t->nodes[i];
	int r;

	if (!node_is_bridge(n))
		return 0;
	r = bridge_add(&u->nl[i], APPLY_BRIDGE_NAME, APPLY_BRIDGE_IFINDEX, n->stp, node_has_vlans(n));
	if (r == -EOPNOTSUPP && node_has_vlans(n))
		return log_errno(r, "cannot create VLAN-aware bridge '%s:%s': this kernel has no bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)",
				 n->name, APPLY_BRIDGE_NAME);
	if (r < 0)
		return log_errno(r, "cannot create bridge '%s:%s'", n->name, APPLY_BRIDGE_NAME);
	if ((r = link_set_up(&u->nl[i], APPLY_BRIDGE_IFINDEX, 0)) < 0)
		return log_errno(r, "cannot bring up '%s:%s'", n->name, APPLY_BRIDGE_NAME);
	return 0;
}

static int up_bridge_vlans(struct up *u, size_t i)
{
	const struct topo_node *n = &u->t->nodes[i];
	int r;

	for (size_t k = 0; k < n->n_ifaces && node_is_bridge(n); k++) {
		const struct topo_iface *ifc = &n->ifaces[k];

		if (!ifc->vlan && !ifc->n_trunk)
			continue; /* stays in the default VLAN 1, untagged */
		if ((r = bridge_port_vlans(&u->nl[i], apply_ifindex(ifc), ifc->vlan, ifc->trunk, ifc->n_trunk)) < 0)
			return log_errno(r, "cannot set the VLANs of switch port '%s:%s'", n->name, ifc->name);
	}
	return 0;
}

int apply_impairment(struct nls *sk, const struct topo_node *n, const struct topo_iface *ifc, const struct topo_impair *imp)
{
	char what[160];
	int r;

	if (!imp->set && !imp->line)
		return 0; /* never had any: nothing to remove */
	r = qdisc_apply(sk, apply_ifindex(ifc), imp);
	if (r == 0)
		return 0;
	topo_impair_str(imp, what, sizeof(what));
	if (r == -ENOENT)
		return log_errno(r, "cannot apply '%s' to '%s:%s': this kernel lacks the %s qdisc (sch_%s module)", what, n->name, ifc->name,
				 (imp->set & TOPO_IMP_NETEM) ? "netem" : "tbf", (imp->set & TOPO_IMP_NETEM) ? "netem" : "tbf");
	return log_errno(r, "cannot apply '%s' to '%s:%s'", what, n->name, ifc->name);
}

/* Phase 3, inside node i's namespace: its socket, sysctls, lo, bridge, links, VLANs, impairment. */
static int up_node_links(struct up *u, size_t i)
{
	const struct topo_node *n = &u->t->nodes[i];
	int r;

	if ((r = nsfs_enter(u->ns_fd[i], CLONE_NEWNET)) < 0)
		return log_errno(r, "cannot enter namespace '%s'", n->netns);
	r = nls_open_in(&u->nl[i], -1, -1);
	if (r < 0) {
		log_errno(r, "cannot open a netlink socket in namespace '%s'", n->netns);
		goto out;
	}
	for (size_t s = 0; s < n->n_sysctls; s++)
		if ((r = node_sysctl(n, n->sysctls[s].key, n->sysctls[s].value)) < 0)
			goto out;
	if ((r = link_set_up(&u->nl[i], 1, 0)) < 0) {
		log_errno(r, "cannot bring up 'lo' in node %s", n->name);
		goto out;
	}
	if ((r = up_bridge(u, i)) < 0)
		goto out;
	for (size_t k = 0; k < n->n_ifaces; k++)
		if ((r = link_set_up(&u->nl[i], apply_ifindex(&n->ifaces[k]), node_is_bridge(n) ? APPLY_BRIDGE_IFINDEX : 0)) < 0) {
			log_errno(r, "cannot bring up '%s:%s'", n->name, n->ifaces[k].name);
			goto out;
		}
	if ((r = up_bridge_vlans(u, i)) < 0)
		goto out;
	for (size_t k = 0; k < n->n_ifaces; k++)
		if ((r = apply_impairment(&u->nl[i], n, &n->ifaces[k], &n->ifaces[k].imp)) < 0)
			goto out;
out:
	if (nsfs_enter(u->orig_net, CLONE_NEWNET) < 0 && r == 0)
		r = log_errno(-errno, "cannot return to netlab's own namespace");
	return r;
}

static int up_node_addrs(struct up *u, size_t i)
{
	const struct topo_node *n = &u->t->nodes[i];
	char b[64], v[64];
	int r;

	for (size_t k = 0; k < n->n_ifaces; k++)
		for (size_t a = 0; a < n->ifaces[k].n_addrs; a++) {
			const struct topo_prefix *p = &n->ifaces[k].addrs[a].p;

			if ((r = addr_add(&u->nl[i], apply_ifindex(&n->ifaces[k]), p)) < 0)
				return log_errno(r, "cannot add address %s to '%s:%s'", topo_prefix_str(p, true, b, sizeof(b)), n->name, n->ifaces[k].name);
		}
	for (size_t k = 0; k < n->n_routes; k++) {
		const struct topo_route *rt = &n->routes[k];
		const struct topo_iface *dev = rt->dev[0] ? topo_iface_find(n, rt->dev) : NULL;

		if ((r = route_add(&u->nl[i], rt, dev ? apply_ifindex(dev) : 0)) < 0)
			return log_errno(r, "cannot add route %s%s%s in node %s", rt->dst.len ? topo_prefix_str(&rt->dst, true, b, sizeof(b)) : "default",
					 rt->has_via ? " via " : "", rt->has_via ? topo_prefix_str(&rt->via, false, v, sizeof(v)) : "", n->name);
	}
	return 0;
}

/* The lab's hosts file: localhost, then every address of every node under the node's name. */
static char *hosts_text(const struct topo *t)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	char b[64];

	if (!f)
		return NULL;
	fprintf(f, "# written by netlab for lab %s\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", t->name);
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		bool alias = strcmp(n->hostname, n->name) != 0;

		for (size_t k = 0; k < n->n_ifaces; k++)
			for (size_t a = 0; a < n->ifaces[k].n_addrs; a++)
				fprintf(f, "%s\t%s%s%s\n", topo_prefix_str(&n->ifaces[k].addrs[a].p, false, b, sizeof(b)), n->name,
					alias ? " " : "", alias ? n->hostname : "");
	}
	fclose(f);
	return text;
}

/* /etc/netns/NS is a symlink to the lab's etc directory, which holds the hosts file: `ip netns
 * exec` and `netlab exec` bind its entries over /etc. One symlink per node, one unlink at down. */
static int up_hosts(struct up *u)
{
	_cleanup_free_ char *etc = state_path(u->st, STATE_ETC_DIR);
	_cleanup_free_ char *hosts = util_xasprintf("%s/hosts", etc);
	_cleanup_free_ char *text = hosts_text(u->t);
	int r;

	if (!text)
		return log_errno(-ENOMEM, "cannot build the hosts file");
	if (mkdir(etc, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", etc);
	if ((r = util_write_file_atomic(hosts, text, strlen(text), 0644)) < 0)
		return log_errno(r, "cannot write '%s'", hosts);
	/* /etc/netns is shared by every lab (and by iproute2's users): a marker beside the labs' states
	 * says netlab made it, so that the last lab down removes it again. */
	if (mkdir(APPLY_ETC_NETNS, 0755) == 0) {
		if ((r = util_write_file_atomic(APPLY_ETC_MARKER, "", 0, 0644)) < 0)
			return log_errno(r, "cannot write '%s'", APPLY_ETC_MARKER);
	} else if (errno != EEXIST) {
		return log_errno(-errno, "cannot create '%s'", APPLY_ETC_NETNS);
	}
	for (size_t i = 0; i < u->t->n_nodes; i++) {
		const char *ns = u->t->nodes[i].netns;
		_cleanup_free_ char *link = util_xasprintf("%s/%s", APPLY_ETC_NETNS, ns);

		if ((r = check_stop(u)) < 0)
			return r;
		if ((r = state_record(u->st, "etc %s\n", ns)) < 0)
			return log_errno(r, "cannot write the journal of lab %s", u->t->name);
		if (symlink(etc, link) < 0) {
			r = -errno;
			if (r == -EEXIST)
				state_record(u->st, "etc-unowned %s\n", ns);
			return log_errno(r, "cannot create '%s'", link);
		}
	}
	return 0;
}

/* exec, exec.N and startup of every node, in order, then its daemons: after the whole network
 * is wired. A failing command fails up (which then removes the lab) and shows its output. */
static int up_commands(struct up *u)
{
	_cleanup_free_ char *logs = state_path(u->st, STATE_LOGS_DIR);
	int r;

	for (size_t i = 0; i < u->t->n_nodes; i++) {
		const struct topo_node *n = &u->t->nodes[i];

		for (size_t c = 0; c < n->n_execs; c++) {
			const struct topo_cmd *cmd = &n->execs[c];
			_cleanup_free_ char *out = NULL;
			int st;

			if ((r = check_stop(u)) < 0)
				return r;
			st = exec_run(u->t, i, u->st->dir, cmd, &out);
			if (st < 0)
				return log_errno(st, "cannot run %s '%s' in node %s", cmd->script ? "startup" : "exec", cmd->text, n->name);
			if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
				continue;
			if (WIFEXITED(st))
				util_log("%s '%s' in node %s failed with exit status %d%s", cmd->script ? "startup" : "exec", cmd->text, n->name,
					 WEXITSTATUS(st), out && *out ? "; its output:" : " (no output)");
			else
				util_log("%s '%s' in node %s was killed by signal %d%s", cmd->script ? "startup" : "exec", cmd->text, n->name,
					 WTERMSIG(st), out && *out ? "; its output:" : " (no output)");
			if (out && *out)
				fprintf(stderr, "%s%s", out, out[strlen(out) - 1] == '\n' ? "" : "\n");
			return -ECANCELED;
		}
	}
	for (size_t i = 0; i < u->t->n_nodes; i++) {
		const struct topo_node *n = &u->t->nodes[i];
		_cleanup_free_ char *log = util_xasprintf("%s/%s.log", logs, n->name);

		for (size_t c = 0; c < n->n_daemons; c++) {
			pid_t pid;

			if (mkdir(logs, 0755) < 0 && errno != EEXIST)
				return log_errno(-errno, "cannot create '%s'", logs);
			pid = exec_daemon(u->t, i, u->st->dir, &n->daemons[c], log);
			if (pid < 0)
				return log_errno(pid, "cannot start daemon '%s' in node %s", n->daemons[c].text, n->name);
			if ((r = state_record(u->st, "daemon %s %d\n", n->name, (int)pid)) < 0)
				return log_errno(r, "cannot write the journal of lab %s", u->t->name);
		}
	}
	return 0;
}

/* With NETLAB_TRACE set, prints how long each phase of up took (for benchmarks). */
static void trace_phase(const char *phase)
{
	static struct timespec last;
	struct timespec now;

	if (!getenv("NETLAB_TRACE"))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (last.tv_sec)
		fprintf(stderr, "netlab: trace: %-12s %8.3f ms\n", phase,
			(double)(now.tv_sec - last.tv_sec) * 1e3 + (double)(now.tv_nsec - last.tv_nsec) / 1e6);
	last = now;
}

static int up_all(struct up *u)
{
	int r;

	trace_phase("start");

	if ((r = util_raise_nofile(2 * u->t->n_nodes)) < 0)
		return log_errno(r, "cannot raise the open-file limit for %zu nodes", u->t->n_nodes);
	if ((r = nsfs_prepare_dir(NETNS_RUN_DIR)) < 0)
		return log_errno(r, "cannot prepare '%s'", NETNS_RUN_DIR);
	if ((r = up_namespaces(u)) < 0)
		return r;
	trace_phase("namespaces");
	if ((r = up_links(u)) < 0)
		return r;
	trace_phase("veths");
	for (size_t i = 0; i < u->t->n_nodes; i++)
		if ((r = check_stop(u)) < 0 || (r = up_node_links(u, i)) < 0)
			return r;
	trace_phase("links-up");
	for (size_t i = 0; i < u->t->n_nodes; i++)
		if ((r = check_stop(u)) < 0 || (r = up_node_addrs(u, i)) < 0)
			return r;
	trace_phase("addr-routes");
	if ((r = up_hosts(u)) < 0)
		return r;
	trace_phase("hosts");
	if ((r = up_commands(u)) < 0)
		return r;
	trace_phase("commands");
	if ((r = check_stop(u)) < 0)
		return r;
	if ((r = state_record(u->st, "complete\n")) < 0)
		return log_errno(r, "cannot write the journal of lab %s", u->t->name);
	return 0;
}

int apply_up(const struct topo *t, struct state *st, const volatile sig_atomic_t *stop)
{
	struct up u = { .t = t, .st = st, .stop = stop, .orig_net = -1, .orig_uts = -1 };
	int r;

	if ((r = check_clashes(t)) < 0) {
		apply_down(st, true);
		return r;
	}
	u.ns_fd = util_xcalloc(t->n_nodes, sizeof(int));
	u.nl = util_xcalloc(t->n_nodes, sizeof(struct nls));
	for (size_t i = 0; i < t->n_nodes; i++)
		u.ns_fd[i] = -1;
	u.orig_net = nsfs_open("/proc/thread-self/ns/net");
	u.orig_uts = nsfs_open("/proc/thread-self/ns/uts");
	if (u.orig_net < 0 || u.orig_uts < 0)
		r = log_errno(u.orig_net < 0 ? u.orig_net : u.orig_uts, "cannot open netlab's own namespaces");
	else
		r = up_all(&u);
	nls_close(&u.host);
	for (size_t i = 0; i < t->n_nodes; i++) {
		nls_close(&u.nl[i]);
		if (u.ns_fd[i] >= 0)
			close(u.ns_fd[i]);
	}
	free(u.nl);
	free(u.ns_fd);
	if (u.orig_net >= 0)
		close(u.orig_net);
	if (u.orig_uts >= 0)
		close(u.orig_uts);
	if (r < 0) {
		util_log("bringing up lab %s failed: removing what was created", t->name);
		apply_down(st, true);
	}
	return r;
}

/* ---- down ---- */

struct kill_set {
	ino_t *inos;
	size_t n;
	size_t found;
	int sig; /* 0: only count */
};

static void kill_in_set(pid_t pid, ino_t ino, void *arg)
{
	struct kill_set *ks = arg;

	if (pid == getpid())
		return;
	for (size_t i = 0; i < ks->n; i++)
		if (ks->inos[i] == ino) {
			if (ks->sig)
				kill(pid, ks->sig);
			ks->found++;
			return;
		}
}

/* Stops every process in the given namespaces: SIGTERM, then SIGKILL to those still there after
 * DOWN_TERM_TIMEOUT_MS, then waits (up to 2 s) until none is left. */
#define DOWN_TERM_TIMEOUT_MS 3000
static void kill_all_in(ino_t *inos, size_t n)
{
	struct kill_set ks = { .inos = inos, .n = n, .sig = SIGTERM };
	struct timespec pause = { 0, 10 * 1000 * 1000 };

	if (n == 0)
		return;
	procs_scan(kill_in_set, &ks);
	if (ks.found == 0)
		return;
	for (int waited = 0; waited < DOWN_TERM_TIMEOUT_MS; waited += 10) {
		nanosleep(&pause, NULL);
		ks.found = 0;
		ks.sig = 0;
		procs_scan(kill_in_set, &ks);
		if (ks.found == 0)
			return;
	}
	for (int tries = 0; tries < 200; tries++) {
		ks.found = 0;
		ks.sig = tries == 0 ? SIGKILL : 0;
		procs_scan(kill_in_set, &ks);
		if (ks.found == 0)
			return;
		nanosleep(&pause, NULL);
	}
	util_log("some processes in the lab's namespaces did not exit after SIGKILL");
}

/* The pin belongs to the lab when it holds the namespace the journal recorded (or, when up died
 * before recording the inode, when it holds any namespace or none). */
static bool pin_is_ours(const struct state_netns *e, const char *pin, ino_t *ino)
{
	int r = nsfs_pin_ino(pin, ino);

	if (r < 0) {
		*ino = 0;
		return r != -ENOENT; /* -EINVAL: our empty pin file, not mounted yet */
	}
	return e->ino == 0 || e->ino == *ino;
}

static int first_err(int r, int q)
{
	return r < 0 ? r : q;
}

/* Logs the names in v (at most 5, then a count) after msg. */
static void log_names(const char *msg, char **v, size_t n)
{
	_cleanup_free_ char *list = util_xstrdup("");

	for (size_t i = 0; i < n && i < 5; i++) {
		char *nx = util_xasprintf("%s%s'%s'", list, i ? ", " : "", v[i]);

		free(list);
		list = nx;
	}
	util_log("%s: %s%s", msg, list, n > 5 ? ", ..." : "");
	if (n > 5)
		util_log("(%zu namespaces in all)", n);
}

/* Removes the lab's /etc/netns links (those still pointing at its etc directory). */
static int remove_etc_links(const struct state_journal *j, const char *etc)
{
	int r = 0;

	for (size_t i = 0; i < j->n_etc; i++) {
		_cleanup_free_ char *link = util_xasprintf("%s/%s", APPLY_ETC_NETNS, j->etc[i].name);
		char target[PATH_MAX];
		ssize_t len;

		if (j->etc[i].unowned)
			continue;
		len = readlink(link, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (strcmp(target, etc) == 0 && unlink(link) < 0 && errno != ENOENT)
			r = first_err(r, log_errno(-errno, "cannot remove '%s'", link));
	}
	/* netlab made /etc/netns: remove it once no lab (nor anybody) has anything in it */
	if (access(APPLY_ETC_MARKER, F_OK) == 0 && rmdir(APPLY_ETC_NETNS) == 0)
		unlink(APPLY_ETC_MARKER);
	return r;
}

int apply_down(struct state *st, bool quiet)
{
	struct state_journal j;
	_cleanup_free_ ino_t *inos = NULL;
	_cleanup_free_ bool *ours = NULL;
	_cleanup_free_ char **gone = NULL, **replaced = NULL;
	_cleanup_free_ char *etc = state_path(st, STATE_ETC_DIR);
	_cleanup_free_ char *uts_dir = state_path(st, STATE_UTS_DIR);
	size_t n_inos = 0, n_gone = 0, n_replaced = 0;
	int r;

	trace_phase("start");
	r = state_journal_load(st, &j);
	if (r < 0)
		return log_errno(r, "cannot read the journal of lab %s", st->lab);
	inos = util_xcalloc(j.n_netns, sizeof(ino_t));
	ours = util_xcalloc(j.n_netns, sizeof(bool));
	gone = util_xcalloc(j.n_netns, sizeof(char *));
	replaced = util_xcalloc(j.n_netns, sizeof(char *));
	for (size_t i = 0; i < j.n_netns; i++) {
		_cleanup_free_ char *pin = apply_netns_path(j.netns[i].name);
		ino_t ino;

		if (j.netns[i].unowned)
			continue;
		ours[i] = pin_is_ours(&j.netns[i], pin, &ino);
		if (ours[i] && ino)
			inos[n_inos++] = ino;
		else if (!ours[i] && ino)
			replaced[n_replaced++] = j.netns[i].name;
		else if (!ours[i])
			gone[n_gone++] = j.netns[i].name;
	}
	if (!quiet && n_gone)
		log_names("already removed (by hand?)", gone, n_gone);
	if (!quiet && n_replaced)
		log_names("replaced by namespaces netlab did not create, left alone", replaced, n_replaced);
	trace_phase("down-start");
	kill_all_in(inos, n_inos);
	trace_phase("kill");
	if (j.uts_fs && umount2(uts_dir, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		r = first_err(r, log_errno(-errno, "cannot unmount '%s'", uts_dir));
	trace_phase("uts");
	for (size_t i = 0; i < j.n_netns; i++) {
		_cleanup_free_ char *pin = apply_netns_path(j.netns[i].name);
		int q;

		if (!ours[i])
			continue;
		if ((q = nsfs_unpin(pin)) < 0)
			r = first_err(r, log_errno(q, "cannot remove namespace '%s'", j.netns[i].name));
	}
	trace_phase("netns");
	r = first_err(r, remove_etc_links(&j, etc));
	state_journal_clear(&j);
	trace_phase("etc");
	{
		int q = state_remove(st);

		if (q < 0)
			r = first_err(r, log_errno(q, "cannot remove '%s'", st->dir));
	}
	trace_phase("state");
	return r;
}
