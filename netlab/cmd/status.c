/* status.c: `netlab status [LAB|FILE] [--json]`: what each node's namespace holds, read once per
 * node, then printed as text or JSON. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "commands.h"
#include "health.h"
#include "machine.h"
#include "net.h"
#include "nsfs.h"
#include "out.h"
#include "procs.h"
#include "routing.h"
#include "util.h"

struct proc_ent {
	pid_t pid;
	ino_t ino;
};

struct proc_list {
	struct proc_ent *v;
	size_t n;
};

static void collect_proc(const struct procs_entry *p, void *arg)
{
	struct proc_list *pl = arg;
	struct proc_ent *e = util_grow(&pl->v, &pl->n, sizeof(*e));

	e->pid = p->pid;
	e->ino = p->net_ino;
}

/* One node as status sees it. */
struct node_report {
	const struct topo_node *n;
	enum lab_ns_status status;
	ino_t ino;
	int err; /* reading its namespace failed: -errno */
	struct net_info info;
	struct node_proc {
		pid_t pid;
		char comm[64];
	} *procs;
	size_t n_procs;
	struct node_daemon {
		pid_t pid;
		bool running;
	} *daemons;
	size_t n_daemons;
	struct health health; /* what differs from what the topology declares */
};

static const char *ns_status_text(enum lab_ns_status s)
{
	return s == LAB_NS_MISSING ? "MISSING (deleted outside netlab?)" : "REPLACED (the pin now holds a namespace netlab did not create)";
}

static void gather(const struct lab *l, size_t i, const struct proc_list *pl, int orig_fd, struct node_report *r)
{
	const struct topo_node *n = &l->topo->nodes[i];

	*r = (struct node_report){ .n = n, .status = l->ns_status[i], .ino = l->ns_ino[i] };
	if (r->status != LAB_NS_OK)
		health_add(&r->health, HEALTH_NAMESPACE, "%s %s", n->netns, ns_status_text(r->status));
	if (r->status == LAB_NS_OK) {
		_cleanup_free_ char *pin = nsfs_netns_path(n->netns);
		_cleanup_close_ int fd = nsfs_open(pin);
		struct nls sk = { 0 };

		r->err = fd < 0 ? fd : nls_open_in(&sk, fd, orig_fd);
		if (r->err == 0)
			r->err = net_info_get(&sk, &r->info);
		nls_close(&sk);
		if (r->err)
			health_add(&r->health, HEALTH_NAMESPACE, "cannot read %s: %s", n->netns, strerror(-r->err));
		else
			health_net(n, &r->info, &r->health);
		for (size_t p = 0; p < pl->n; p++) {
			struct node_proc *np;

			if (pl->v[p].ino != r->ino)
				continue;
			np = util_grow(&r->procs, &r->n_procs, sizeof(*np));
			np->pid = pl->v[p].pid;
			procs_comm(np->pid, np->comm, sizeof(np->comm));
		}
	}
	for (size_t d = 0; d < l->journal.n_daemons; d++) {
		const struct journal_daemon *dm = &l->journal.daemons[d];
		struct node_daemon *nd;

		if (strcmp(dm->node, n->name) != 0)
			continue;
		nd = util_grow(&r->daemons, &r->n_daemons, sizeof(*nd));
		nd->pid = dm->pid;
		for (size_t p = 0; p < pl->n; p++)
			nd->running |= pl->v[p].pid == dm->pid && pl->v[p].ino == r->ino;
		if (!nd->running)
			health_add(&r->health, HEALTH_DAEMON, "%d has exited (its log: netlab logs %s %s)", (int)dm->pid, l->topo->name, n->name);
	}
	if (n->frr && r->status == LAB_NS_OK) {
		_cleanup_free_ char *root = machine_root(l->st->dir, n->name);
		const char *missing = routing_frr_missing(l->topo, n, root);

		if (missing)
			health_add(&r->health, HEALTH_DAEMON, "FRR's %s is not running", missing);
	}
}

static void report_clear(struct node_report *r)
{
	net_info_clear(&r->info);
	free(r->procs);
	free(r->daemons);
	health_clear(&r->health);
}

/* "down": taken down by netlab link; "peer down": its peer was; NULL: neither. */
static const char *link_state(const struct topo_node *n, const char *ifname)
{
	const struct topo_iface *ifc = topo_iface_find(n, ifname);

	return !ifc || !ifc->cut ? NULL : ifc->down ? "down" : "peer down";
}

static void print_text(const struct lab *l, const struct node_report *r)
{
	const struct net_info *info = &r->info;

	printf("node %s (%s): namespace %s, inode %ju: %s\n", r->n->name, topo_kind_str(r->n->kind), r->n->netns, (uintmax_t)r->ino,
	       r->health.n ? "NOT OK" : "ok");
	for (size_t p = 0; p < r->health.n; p++)
		printf("  problem: %s %s\n", health_kind_str(r->health.v[p].kind), r->health.v[p].what);
	for (size_t k = 0; k < info->n_ifaces; k++) {
		const struct net_iface *ifc = &info->ifaces[k];

		printf("  %-16s %-8s", ifc->name, ifc->state);
		if (ifc->master[0])
			printf(" port of %s", ifc->master);
		for (size_t a = 0; a < ifc->n_addrs; a++)
			printf(" %s", ifc->addrs[a]);
		if (ifc->impair[0])
			printf(" [%s]", ifc->impair);
		if (link_state(r->n, ifc->name))
			printf(" (link %s on purpose: netlab link)", link_state(r->n, ifc->name));
		printf("\n");
	}
	for (size_t k = 0; k < info->n_routes; k++) {
		const struct net_route *rt = &info->routes[k];

		printf("  route %s", rt->dst);
		for (size_t h = 0; h < rt->n_nhs; h++)
			printf("%s%s%s%s%s", rt->n_nhs > 1 ? " nexthop" : "", rt->nhs[h].via[0] ? " via " : "", rt->nhs[h].via,
			       rt->nhs[h].dev[0] ? " dev " : "", rt->nhs[h].dev);
		printf("\n");
	}
	for (size_t p = 0; p < r->n_procs; p++)
		printf("  process %d %s\n", (int)r->procs[p].pid, r->procs[p].comm);
	for (size_t d = 0; d < r->n_daemons; d++)
		printf("  daemon %d %s (log: netlab logs %s %s)\n", (int)r->daemons[d].pid, r->daemons[d].running ? "running" : "EXITED",
		       l->topo->name, r->n->name);
}

static const char *nonempty(const char *s)
{
	return s[0] ? s : NULL;
}

static void print_json(struct out_json *j, const struct node_report *r)
{
	const struct net_info *info = &r->info;

	out_json_begin(j, NULL, '{');
	out_json_str(j, "name", r->n->name);
	out_json_str(j, "kind", topo_kind_str(r->n->kind));
	out_json_str(j, "hostname", r->n->hostname);
	out_json_str(j, "netns", r->n->netns);
	out_json_int(j, "inode", (long long)r->ino);
	out_json_str(j, "status", lab_ns_status_str(r->status));
	out_json_str(j, "error", r->err ? strerror(-r->err) : NULL);
	out_json_bool(j, "ok", r->health.n == 0);
	out_json_begin(j, "problems", '[');
	for (size_t p = 0; p < r->health.n; p++) {
		out_json_begin(j, NULL, '{');
		out_json_str(j, "kind", health_kind_str(r->health.v[p].kind));
		out_json_str(j, "what", r->health.v[p].what);
		out_json_end(j, '}');
	}
	out_json_end(j, ']');
	out_json_begin(j, "interfaces", '[');
	for (size_t k = 0; k < info->n_ifaces; k++) {
		const struct net_iface *ifc = &info->ifaces[k];

		out_json_begin(j, NULL, '{');
		out_json_str(j, "name", ifc->name);
		out_json_str(j, "state", ifc->state);
		out_json_str(j, "master", nonempty(ifc->master));
		out_json_str(j, "impairment", nonempty(ifc->impair));
		out_json_str(j, "link", link_state(r->n, ifc->name));
		out_json_begin(j, "addresses", '[');
		for (size_t a = 0; a < ifc->n_addrs; a++)
			out_json_str(j, NULL, ifc->addrs[a]);
		out_json_end(j, ']');
		out_json_end(j, '}');
	}
	out_json_end(j, ']');
	out_json_begin(j, "routes", '[');
	for (size_t k = 0; k < info->n_routes; k++) {
		const struct net_route *rt = &info->routes[k];

		out_json_begin(j, NULL, '{');
		out_json_str(j, "family", rt->family == AF_INET6 ? "inet6" : "inet");
		out_json_str(j, "dst", rt->dst);
		/* the first next hop's, as before multipath routes were shown */
		out_json_str(j, "via", rt->n_nhs ? nonempty(rt->nhs[0].via) : NULL);
		out_json_str(j, "dev", rt->n_nhs ? nonempty(rt->nhs[0].dev) : NULL);
		out_json_begin(j, "nexthops", '[');
		for (size_t h = 0; h < rt->n_nhs; h++) {
			out_json_begin(j, NULL, '{');
			out_json_str(j, "via", nonempty(rt->nhs[h].via));
			out_json_str(j, "dev", nonempty(rt->nhs[h].dev));
			out_json_end(j, '}');
		}
		out_json_end(j, ']');
		out_json_end(j, '}');
	}
	out_json_end(j, ']');
	out_json_begin(j, "processes", '[');
	for (size_t p = 0; p < r->n_procs; p++) {
		out_json_begin(j, NULL, '{');
		out_json_int(j, "pid", r->procs[p].pid);
		out_json_str(j, "comm", r->procs[p].comm);
		out_json_end(j, '}');
	}
	out_json_end(j, ']');
	out_json_begin(j, "daemons", '[');
	for (size_t d = 0; d < r->n_daemons; d++) {
		out_json_begin(j, NULL, '{');
		out_json_int(j, "pid", r->daemons[d].pid);
		out_json_bool(j, "running", r->daemons[d].running);
		out_json_end(j, '}');
	}
	out_json_end(j, ']');
	out_json_end(j, '}');
}

/* The namespaces an unfinished apply made for nodes the topology shown does not have. */
static void apply_extra(const struct lab *l)
{
	for (size_t k = 0; l->journal.applying && k < l->journal.n_netns; k++) {
		bool known = false;

		for (size_t i = 0; i < l->topo->n_nodes && !known; i++)
			known = strcmp(l->topo->nodes[i].netns, l->journal.netns[k].name) == 0;
		if (!known)
			printf("namespace %s: made by the unfinished apply\n", l->journal.netns[k].name);
	}
}

/* The links (a LAN member's: "LAN:NODE") with an end taken down by netlab link, for the header. */
static void links_down(const struct topo *t, struct out_json *j)
{
	size_t n = 0;

	if (j)
		out_json_begin(j, "links_down", '[');
	for (size_t i = 0; i < t->n_links; i++) {
		const struct topo_link *l = &t->links[i];
		const struct topo_iface *ifc = topo_iface_find(&t->nodes[l->ends[0].node], l->ends[0].ifname);
		_cleanup_free_ char *name = NULL;

		if (!ifc || !ifc->cut)
			continue;
		name = l->lan ? util_xasprintf("%s:%s", l->ends[1].node_name, l->ends[0].node_name) : util_xstrdup(l->name);
		if (j)
			out_json_str(j, NULL, name);
		else
			printf("%s %s", n ? "," : "links down on purpose (netlab link):", name);
		n++;
	}
	if (j)
		out_json_end(j, ']');
	else if (n)
		printf("\n");
}

int cmd_status(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_free_ struct node_report *reps = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	_cleanup_close_ int orig_fd = -1;
	struct proc_list pl = { 0 };
	struct out_json j = { .f = stdout };
	const char *state;
	size_t bad = 0;
	int r;

	if (a->argc > 1)
		return cmd_usage_error("status", "unexpected argument '%s'", a->argv[1]);
	if ((r = cmd_resolve_lab("status", a->argc ? a->argv[0] : NULL, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("status", name, 0, &l)) != EXIT_OK)
		return r;
	if ((orig_fd = nsfs_open(NSFS_SELF_NET)) < 0)
		return cmd_fail(orig_fd, "cannot open netlab's own namespace");
	if ((r = procs_scan(collect_proc, &pl)) < 0) {
		free(pl.v);
		return cmd_fail(r, "cannot read the processes in /proc");
	}
	reps = util_xcalloc(l->topo->n_nodes, sizeof(*reps));
	for (size_t i = 0; i < l->topo->n_nodes; i++) {
		gather(l, i, &pl, orig_fd, &reps[i]);
		bad += reps[i].health.n != 0;
	}
	free(pl.v);
	state = !l->journal.complete ? "partial" : l->journal.applying ? "applying" : bad ? "degraded" : "up";
	if (a->json) {
		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "lab", l->topo->name);
		out_json_str(&j, "state", state);
		out_json_str(&j, "state_dir", l->st->dir);
		links_down(l->topo, &j);
		out_json_begin(&j, "nodes", '[');
	} else {
		printf("lab %s: %s, %zu nodes, %zu links (state in %s)\n", l->topo->name,
		       !l->journal.complete ? "PARTIAL (an up was interrupted: run netlab down)" :
		       l->journal.applying  ? "PARTLY CHANGED (an apply did not finish: shown as before it; run netlab down)" :
		       bad		    ? "DEGRADED" :
					      "up",
		       l->topo->n_nodes, l->topo->n_links, l->st->dir);
		links_down(l->topo, NULL);
		apply_extra(l);
		if (bad)
			printf("%zu of %zu nodes not ok\n", bad, l->topo->n_nodes);
	}
	for (size_t i = 0; i < l->topo->n_nodes; i++) {
		if (a->json)
			print_json(&j, &reps[i]);
		else
			print_text(l, &reps[i]);
		report_clear(&reps[i]);
	}
	if (a->json) {
		out_json_end(&j, ']');
		out_json_end(&j, '}');
	}
	return bad || !l->journal.complete || l->journal.applying ? EXIT_FAIL : EXIT_OK;
}
