/* status.c: `netlab status [LAB|FILE] [--json]`: what each node's namespace holds, read and judged
 * once per node by lab/health_read.c, printed here as text or JSON. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "commands.h"
#include "health_read.h"
#include "net.h"
#include "out.h"
#include "util.h"

/* "down": taken down by netlab link; "peer down": its peer was; NULL: neither. */
static const char *link_state(const struct topo_node *n, const char *ifname)
{
	const struct topo_iface *ifc = topo_iface_find(n, ifname);

	if (!ifc || !ifc->cut)
		return NULL;
	return ifc->down ? "down" : "peer down";
}

static void print_text(const struct lab *l, const struct health_node *r)
{
	const struct net_info *info = &r->info;

	printf("node %s (%s): namespace %s, inode %ju: %s\n", r->n->name, topo_kind_str(r->n->kind),
	       r->n->netns, (uintmax_t)r->ino, r->health.n ? "NOT OK" : "ok");
	for (size_t p = 0; p < r->health.n; p++)
		printf("  problem: %s %s\n", health_kind_str(r->health.v[p].kind),
		       r->health.v[p].what);
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
			printf("%s%s%s%s%s", rt->n_nhs > 1 ? " nexthop" : "",
			       rt->nhs[h].via[0] ? " via " : "", rt->nhs[h].via,
			       rt->nhs[h].dev[0] ? " dev " : "", rt->nhs[h].dev);
		printf("\n");
	}
	for (size_t p = 0; p < r->n_procs; p++)
		printf("  process %d %s\n", (int)r->procs[p].pid, r->procs[p].comm);
	for (size_t d = 0; d < r->n_daemons; d++)
		printf("  daemon %d %s (log: netlab logs %s %s)\n", (int)r->daemons[d].pid,
		       r->daemons[d].running ? "running" : "EXITED", l->topo->name, r->n->name);
}

static const char *nonempty(const char *s)
{
	return s[0] ? s : NULL;
}

static void print_json(struct out_json *j, const struct health_node *r)
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

/* The lab's state word (health_lab_word) as status's header says it. */
static const char *state_text(const char *word)
{
	static const char *const text[][2] = {
		{ "partial", "PARTIAL (an up was interrupted: run netlab down)" },
		{ "applying",
		  "PARTLY CHANGED (an apply did not finish: shown as before it; run netlab down)" },
		{ "degraded", "DEGRADED" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(text); i++)
		if (strcmp(word, text[i][0]) == 0)
			return text[i][1];
	return word;
}

/* The namespaces an unfinished apply made for nodes the topology shown does not have. */
static void apply_extra(const struct lab *l)
{
	for (size_t k = 0; l->journal.applying && k < l->journal.n_netns; k++) {
		bool known = false;

		for (size_t i = 0; i < l->topo->n_nodes && !known; i++)
			known = strcmp(l->topo->nodes[i].netns, l->journal.netns[k].name) == 0;
		if (!known)
			printf("namespace %s: made by the unfinished apply\n",
			       l->journal.netns[k].name);
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
		const struct topo_iface *ifc =
			topo_iface_find(&t->nodes[l->ends[0].node], l->ends[0].ifname);
		_cleanup_free_ char *name = NULL;

		if (!ifc || !ifc->cut)
			continue;
		name = l->lan ?
			       util_xasprintf("%s:%s", l->ends[1].node_name, l->ends[0].node_name) :
			       util_xstrdup(l->name);
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
	_cleanup_lab_ struct lab *l = NULL;
	struct health_node *reps = NULL;
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
	if ((r = health_read_lab(l, &reps)) < 0)
		return cmd_fail(r, "status: cannot read lab %s", name);
	for (size_t i = 0; i < l->topo->n_nodes; i++)
		bad += reps[i].health.n != 0;
	state = health_lab_word(l, bad);
	if (a->json) {
		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "lab", l->topo->name);
		out_json_str(&j, "state", state);
		out_json_str(&j, "state_dir", l->st->dir);
		links_down(l->topo, &j);
		out_json_begin(&j, "nodes", '[');
	} else {
		printf("lab %s: %s, %zu nodes, %zu links (state in %s)\n", l->topo->name,
		       state_text(state), l->topo->n_nodes, l->topo->n_links, l->st->dir);
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
	}
	health_nodes_free(reps, l->topo->n_nodes);
	if (a->json) {
		out_json_end(&j, ']');
		out_json_end(&j, '}');
	}
	return bad || !l->journal.complete || l->journal.applying ? EXIT_FAIL : EXIT_OK;
}
