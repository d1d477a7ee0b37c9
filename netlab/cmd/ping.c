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

/* One probe: every field in JSON; in text, only an unreachable one, the first 20 (*shown). */
static void print_result(struct out *o, const struct topo *t, const struct probe *p, size_t *shown)
{
	static const char *const rtt_keys[3] = { "rtt_min_ms", "rtt_avg_ms", "rtt_max_ms" };
	const double rtt[3] = { p->rtt_min, p->received ? p->rtt_sum / p->received : 0,
				p->rtt_max };
	char b[64], num[32];

	if (!o->json && (p->received || (*shown)++ >= 20))
		return;
	out_begin(o, NULL, '{');
	out_str(o, "src", "  unreachable: %s", t->nodes[p->src].name);
	out_str(o, "dst", " -> %s", t->nodes[p->dst_node].name);
	out_str(o, "address", " (%s)\n", topo_prefix_str(&p->dst, false, b, sizeof(b)));
	out_str(o, "family", NULL, p->dst.family == AF_INET6 ? "inet6" : "inet");
	out_bool(o, "reachable", NULL, p->received > 0);
	out_int(o, "sent", NULL, p->sent);
	out_int(o, "received", NULL, p->received);
	snprintf(num, sizeof(num), "%.1f",
		 p->sent ? 100.0 * (p->sent - p->received) / p->sent : 100.0);
	out_str(o, "loss_percent", NULL, num);
	for (int i = 0; i < 3; i++) {
		snprintf(num, sizeof(num), "%.3f", rtt[i]);
		out_str(o, rtt_keys[i], NULL, p->received ? num : NULL);
	}
	out_end(o, '}');
}

/* The report, text and JSON in one pass over the probes (the text's matrix aside). */
static void print_report(struct out *o, const char *lab, const struct topo *t,
			 const struct probe *v, size_t n, size_t reached, const struct cmd_args *a)
{
	size_t shown = 0;

	out_begin(o, NULL, '{');
	out_str(o, "lab", NULL, lab);
	out_int(o, "count", NULL, a->count);
	out_int(o, "timeout_ms", NULL, a->timeout_ms);
	if (!o->json)
		print_matrix(t, v, n);
	out_int(o, "pairs", NULL, (long long)n);
	out_int(o, "reachable", "%lld", (long long)reached);
	out_text(o, " of %zu pairs reachable\n", n);
	out_begin(o, "results", '[');
	for (size_t k = 0; k < n; k++)
		print_result(o, t, &v[k], &shown);
	out_end(o, ']');
	if (shown > 20)
		out_text(o, "  ... and %zu more\n", shown - 20);
	out_end(o, '}');
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
	print_report(&(struct out){ .j = { .f = stdout }, .json = a->json }, name, l->topo, v, n,
		     reached, a);
	return reached == n ? EXIT_OK : EXIT_FAIL;
}
