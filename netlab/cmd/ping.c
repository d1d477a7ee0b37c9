/* ping.c: `netlab ping [LAB|FILE] [--json] [--count N] [--timeout SECONDS] [-4|-6] [--from NODES]
 * [--to NODES]`: every node (or those of --from) to every address of every other node (or of those
 * of --to), in parallel, as a reachability matrix. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "commands.h"
#include "lab.h"
#include "out.h"
#include "probe.h"
#include "util.h"

/* Marks in sel the nodes named in list (comma-separated); all of them when list is NULL. Returns
 * EXIT_OK or a usage error naming an unknown node. */
static int select_nodes(const struct topo *t, const char *opt, const char *list, bool *sel)
{
	_cleanup_free_ char *copy = list ? util_xstrdup(list) : NULL;
	char *save;

	for (size_t i = 0; i < t->n_nodes; i++)
		sel[i] = !list;
	for (char *w = copy ? strtok_r(copy, ",", &save) : NULL; w;
	     w = strtok_r(NULL, ",", &save)) {
		const struct topo_node *n = topo_node_find(t, w);

		if (!n)
			return cmd_usage_error("ping", "%s: lab %s has no node '%s'", opt, t->name,
					       w);
		sel[n - t->nodes] = true;
	}
	return EXIT_OK;
}

/* Probes from every node of from to every address (of family, 0: both) of every other node of to;
 * a node only probes the families it has addresses of. */
static size_t ping_all_pairs(const struct topo *t, int family, const bool *from, const bool *to,
			     struct probe **out)
{
	struct probe *v = NULL;
	size_t n = 0;

	for (size_t s = 0; s < t->n_nodes; s++)
		for (size_t d = 0; d < t->n_nodes && from[s]; d++) {
			const struct topo_node *dn = &t->nodes[d];

			if (s == d || !to[d])
				continue;
			for (size_t k = 0; k < dn->n_ifaces; k++)
				for (size_t a = 0; a < dn->ifaces[k].n_addrs; a++) {
					const struct topo_prefix *p = &dn->ifaces[k].addrs[a].p;
					struct probe *pr;

					if ((family && p->family != family) ||
					    !topo_node_has_family(&t->nodes[s], p->family))
						continue;
					pr = util_grow(&v, &n, sizeof(*pr));
					pr->src = s;
					pr->dst_node = d;
					pr->dst = *p;
					pr->dst.len = topo_prefix_maxlen(p->family);
				}
		}
	*out = v;
	return n;
}

/* A matrix cell: of a destination's addresses probed, how many answered. */
static const char *cell(size_t total, size_t answered)
{
	if (total == 0)
		return ".";
	if (answered == total)
		return "ok";
	return answered == 0 ? "--" : "~";
}

/* The matrix, in one pass over the probes (ping_all_pairs makes them grouped by source). */
static void print_matrix(const struct topo *t, const struct probe *v, size_t n)
{
	size_t w = 4;
	bool *is_src = util_xcalloc(t->n_nodes, sizeof(bool)),
	     *is_dst = util_xcalloc(t->n_nodes, sizeof(bool));
	size_t *total = util_xcalloc(t->n_nodes, sizeof(size_t)),
	       *ok = util_xcalloc(t->n_nodes, sizeof(size_t));

	for (size_t k = 0; k < n; k++) {
		is_src[v[k].src] = true;
		is_dst[v[k].dst_node] = true;
	}
	for (size_t i = 0; i < t->n_nodes; i++)
		if (is_src[i] || is_dst[i])
			w = strlen(t->nodes[i].name) > w ? strlen(t->nodes[i].name) : w;
	printf("%-*s", (int)w + 1, "from\\to");
	for (size_t d = 0; d < t->n_nodes; d++)
		if (is_dst[d])
			printf(" %-*s", (int)w, t->nodes[d].name);
	printf("\n");
	for (size_t k = 0; k < n;) {
		size_t s = v[k].src;

		memset(total, 0, t->n_nodes * sizeof(size_t));
		memset(ok, 0, t->n_nodes * sizeof(size_t));
		for (; k < n && v[k].src == s; k++) {
			total[v[k].dst_node]++;
			ok[v[k].dst_node] += v[k].received > 0;
		}
		printf("%-*s", (int)w + 1, t->nodes[s].name);
		for (size_t d = 0; d < t->n_nodes; d++)
			if (is_dst[d])
				printf(" %-*s", (int)w, s == d ? "" : cell(total[d], ok[d]));
		printf("\n");
	}
	printf("(ok: every address answered, --: none, ~: some, .: no address of a family the source has)\n");
	free(is_src);
	free(is_dst);
	free(total);
	free(ok);
}

static void print_json(const char *lab, const struct topo *t, const struct probe *v, size_t n,
		       size_t reached, const struct cmd_args *a)
{
	struct out_json j = { .f = stdout };
	char b[64], num[32];

	out_json_begin(&j, NULL, '{');
	out_json_str(&j, "lab", lab);
	out_json_int(&j, "count", a->count);
	out_json_int(&j, "timeout_ms", a->timeout_ms);
	out_json_int(&j, "pairs", (long long)n);
	out_json_int(&j, "reachable", (long long)reached);
	out_json_begin(&j, "results", '[');
	for (size_t k = 0; k < n; k++) {
		const struct probe *p = &v[k];
		const double rtt[3] = { p->rtt_min, p->received ? p->rtt_sum / p->received : 0,
					p->rtt_max };
		static const char *const rtt_keys[3] = { "rtt_min_ms", "rtt_avg_ms", "rtt_max_ms" };

		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "src", t->nodes[p->src].name);
		out_json_str(&j, "dst", t->nodes[p->dst_node].name);
		out_json_str(&j, "address", topo_prefix_str(&p->dst, false, b, sizeof(b)));
		out_json_str(&j, "family", p->dst.family == AF_INET6 ? "inet6" : "inet");
		out_json_bool(&j, "reachable", p->received > 0);
		out_json_int(&j, "sent", p->sent);
		out_json_int(&j, "received", p->received);
		snprintf(num, sizeof(num), "%.1f",
			 p->sent ? 100.0 * (p->sent - p->received) / p->sent : 100.0);
		out_json_str(&j, "loss_percent", num);
		for (int i = 0; i < 3; i++) {
			snprintf(num, sizeof(num), "%.3f", rtt[i]);
			out_json_str(&j, rtt_keys[i], p->received ? num : NULL);
		}
		out_json_end(&j, '}');
	}
	out_json_end(&j, ']');
	out_json_end(&j, '}');
}

static void print_text(const struct topo *t, const struct probe *v, size_t n, size_t reached)
{
	size_t shown = 0;
	char b[64];

	print_matrix(t, v, n);
	printf("%zu of %zu pairs reachable\n", reached, n);
	for (size_t k = 0; k < n && shown < 20; k++)
		if (!v[k].received) {
			printf("  unreachable: %s -> %s (%s)\n", t->nodes[v[k].src].name,
			       t->nodes[v[k].dst_node].name,
			       topo_prefix_str(&v[k].dst, false, b, sizeof(b)));
			shown++;
		}
	if (n - reached > shown)
		printf("  ... and %zu more\n", n - reached - shown);
}

int cmd_ping(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_free_ struct probe *v = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	_cleanup_free_ bool *from = NULL, *to = NULL;
	size_t n, reached = 0;
	int r;

	if (a->argc > 1)
		return cmd_usage_error("ping", "unexpected argument '%s'", a->argv[1]);
	if ((r = cmd_resolve_lab("ping", a->argc ? a->argv[0] : NULL, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("ping", name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	if (lab_check_nodes(l) < 0)
		return EXIT_FAIL;
	from = util_xcalloc(l->topo->n_nodes + 1, sizeof(bool));
	to = util_xcalloc(l->topo->n_nodes + 1, sizeof(bool));
	if ((r = select_nodes(l->topo, "--from", a->from, from)) != EXIT_OK ||
	    (r = select_nodes(l->topo, "--to", a->to, to)) != EXIT_OK)
		return r;
	n = ping_all_pairs(l->topo, a->family, from, to, &v);
	if ((r = probe_run(l->topo, v, n, a->count, a->timeout_ms)) < 0)
		return cmd_fail(
			r,
			r == -EMFILE ?
				"ping: cannot send probes: the open-file limit ('ulimit -n') leaves too few files for their sockets" :
				"ping: cannot send probes");
	for (size_t k = 0; k < n; k++)
		reached += v[k].received > 0;
	if (a->json)
		print_json(name, l->topo, v, n, reached, a);
	else
		print_text(l->topo, v, n, reached);
	return reached == n ? EXIT_OK : EXIT_FAIL;
}
