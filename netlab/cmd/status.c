/* status.c: `netlab status [LAB|FILE] [--json]`: what each node's namespace holds, read and judged
 * once per node by lab/health_read.c, printed here as text or JSON. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "commands.h"
#include "health_read.h"
#include "machine.h"
#include "net.h"
#include "out.h"
#include "rootless.h"
#include "util.h"
#include "warnings.h"

/* "down": taken down by netlab link; "peer down": its peer was; NULL: neither. */
static const char *link_state(const struct topo_node *n, const char *ifname)
{
	const struct topo_iface *ifc = topo_iface_find(n, ifname);

	if (!ifc || !ifc->cut)
		return NULL;
	return ifc->down ? "down" : "peer down";
}

static const char *nonempty(const char *s)
{
	return s[0] ? s : NULL;
}

static void print_iface(struct out *o, const struct topo_node *n, const struct net_iface *ifc)
{
	const char *ls = link_state(n, ifc->name);

	out_begin(o, NULL, '{');
	out_str(o, "name", "  %-16s", ifc->name);
	out_str(o, "state", " %-8s", ifc->state);
	out_str(o, "master", ifc->master[0] ? " port of %s" : NULL, nonempty(ifc->master));
	out_begin(o, "addresses", '[');
	for (size_t a = 0; a < ifc->n_addrs; a++)
		out_str(o, NULL, " %s", ifc->addrs[a]);
	out_end(o, ']');
	out_str(o, "impairment", ifc->impair[0] ? " [%s]" : NULL, nonempty(ifc->impair));
	out_str(o, "link", ls ? " (link %s on purpose: netlab link)" : NULL, ls);
	out_text(o, "\n");
	out_end(o, '}');
}

static void print_route(struct out *o, const struct net_route *rt)
{
	out_begin(o, NULL, '{');
	out_str(o, "family", NULL, rt->family == AF_INET6 ? "inet6" : "inet");
	out_str(o, "dst", "  route %s", rt->dst);
	/* the first next hop's, as before multipath routes were shown */
	out_str(o, "via", NULL, rt->n_nhs ? nonempty(rt->nhs[0].via) : NULL);
	out_str(o, "dev", NULL, rt->n_nhs ? nonempty(rt->nhs[0].dev) : NULL);
	out_begin(o, "nexthops", '[');
	for (size_t h = 0; h < rt->n_nhs; h++) {
		out_begin(o, NULL, '{');
		out_text(o, "%s", rt->n_nhs > 1 ? " nexthop" : "");
		out_str(o, "via", rt->nhs[h].via[0] ? " via %s" : NULL, nonempty(rt->nhs[h].via));
		out_str(o, "dev", rt->nhs[h].dev[0] ? " dev %s" : NULL, nonempty(rt->nhs[h].dev));
		out_end(o, '}');
	}
	out_end(o, ']');
	out_text(o, "\n");
	out_end(o, '}');
}

/* One node, as text and JSON in one pass; its warnings are those of w (n_w) naming it. */
static void print_node(struct out *o, const struct lab *l, const struct health_node *r,
		       const struct warning *w, size_t n_w)
{
	const struct net_info *info = &r->info;
	_cleanup_free_ char *enter = machine_nsenter(l->st->dir, r->n->name, r->n->netns);

	out_begin(o, NULL, '{');
	out_str(o, "name", "node %s", r->n->name);
	out_str(o, "kind", " (%s)", topo_kind_str(r->n->kind));
	out_str(o, "hostname", NULL, r->n->hostname);
	out_str(o, "netns", ": namespace %s", r->n->netns);
	out_int(o, "inode", ", inode %lld", (long long)r->ino);
	out_str(o, "status", NULL, lab_ns_status_str(r->status));
	out_str(o, "error", NULL, r->err ? strerror(-r->err) : NULL);
	out_bool(o, "ok", NULL, r->health.n == 0);
	out_text(o, ": %s\n", r->health.n ? "NOT OK" : "ok");
	out_str(o, "nsenter", "  enter: %s\n", enter);
	out_begin(o, "problems", '[');
	for (size_t p = 0; p < r->health.n; p++) {
		out_begin(o, NULL, '{');
		out_str(o, "kind", "  problem: %s", health_kind_str(r->health.v[p].kind));
		out_str(o, "what", " %s\n", r->health.v[p].what);
		out_end(o, '}');
	}
	out_end(o, ']');
	out_begin(o, "warnings", '[');
	for (size_t k = 0; k < n_w; k++)
		if (strcmp(w[k].node, r->n->name) == 0)
			out_str(o, NULL, "  warning: %s\n", w[k].text);
	out_end(o, ']');
	out_begin(o, "interfaces", '[');
	for (size_t k = 0; k < info->n_ifaces; k++)
		print_iface(o, r->n, &info->ifaces[k]);
	out_end(o, ']');
	out_begin(o, "routes", '[');
	for (size_t k = 0; k < info->n_routes; k++)
		print_route(o, &info->routes[k]);
	out_end(o, ']');
	out_begin(o, "processes", '[');
	for (size_t p = 0; p < r->n_procs; p++) {
		out_begin(o, NULL, '{');
		out_int(o, "pid", "  process %lld", r->procs[p].pid);
		out_str(o, "comm", " %s\n", r->procs[p].comm);
		out_end(o, '}');
	}
	out_end(o, ']');
	out_begin(o, "daemons", '[');
	for (size_t d = 0; d < r->n_daemons; d++) {
		out_begin(o, NULL, '{');
		out_int(o, "pid", "  daemon %lld", r->daemons[d].pid);
		out_bool(o, "running", NULL, r->daemons[d].running);
		out_text(o, " %s (log: netlab logs %s %s)\n",
			 r->daemons[d].running ? "running" : "EXITED", l->topo->name, r->n->name);
		out_end(o, '}');
	}
	out_end(o, ']');
	out_end(o, '}');
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
static void links_down(struct out *o, const struct topo *t)
{
	size_t n = 0;

	out_begin(o, "links_down", '[');
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
		out_str(o, NULL, n ? ", %s" : "links down on purpose (netlab link): %s", name);
		n++;
	}
	out_end(o, ']');
	if (n)
		out_text(o, "\n");
}

int cmd_status(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	struct health_node *reps = NULL;
	struct out o = { .j = { .f = stdout }, .json = a->json };
	struct warning *warnings = NULL;
	_cleanup_free_ char *dir = NULL;
	const char *state;
	size_t bad = 0;
	int r, n_warnings;

	if (a->argc > 1)
		return cmd_usage_error("status", "unexpected argument '%s'", a->argv[1]);
	if ((r = cmd_resolve_lab("status", a->argc ? a->argv[0] : NULL, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("status", name, 0, &l)) != EXIT_OK)
		return r;
	if ((r = health_read_lab(l, &reps)) < 0)
		return cmd_fail(r, "status: cannot read lab %s", name);
	if ((n_warnings = warnings_read(l->st->dir, &warnings)) < 0) {
		health_nodes_free(reps, l->topo->n_nodes);
		return cmd_fail(n_warnings, "status: cannot read the warnings of lab %s", name);
	}
	for (size_t i = 0; i < l->topo->n_nodes; i++)
		bad += reps[i].health.n != 0;
	state = health_lab_word(l, bad);
	dir = rootless_outside(l->st->dir);
	out_begin(&o, NULL, '{');
	out_str(&o, "lab", "lab %s", l->topo->name);
	out_str(&o, "state", NULL, state);
	out_text(&o, ": %s", state_text(state));
	out_text(&o, ", %zu nodes, %zu links", l->topo->n_nodes, l->topo->n_links);
	out_str(&o, "state_dir", " (state in %s)\n", dir);
	links_down(&o, l->topo);
	if (!o.json)
		apply_extra(l);
	if (bad)
		out_text(&o, "%zu of %zu nodes not ok\n", bad, l->topo->n_nodes);
	if (n_warnings)
		out_text(
			&o,
			"%d warning%s (up went on past them: a startup line that failed, a line FRR rejects, limits not applied)\n",
			n_warnings, n_warnings == 1 ? "" : "s");
	out_begin(&o, "nodes", '[');
	for (size_t i = 0; i < l->topo->n_nodes; i++)
		print_node(&o, l, &reps[i], warnings, (size_t)n_warnings);
	out_end(&o, ']');
	out_end(&o, '}');
	health_nodes_free(reps, l->topo->n_nodes);
	warnings_free(warnings, (size_t)n_warnings);
	return bad || !l->journal.complete || l->journal.applying ? EXIT_FAIL : EXIT_OK;
}
