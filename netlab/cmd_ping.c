/* cmd_ping.c: `netlab ping [LAB|FILE] [--json] [--count N] [--timeout SECONDS] [-4|-6]`: every node to
 * every address of every other node, in parallel, as a reachability matrix. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "commands.h"
#include "lab.h"
#include "out.h"
#include "probe.h"
#include "util.h"

static bool node_has_family(const struct topo_node *n, int family)
{
	for (size_t k = 0; k < n->n_ifaces; k++)
		for (size_t a = 0; a < n->ifaces[k].n_addrs; a++)
			if (!family || n->ifaces[k].addrs[a].p.family == family)
				return true;
	return false;
}

/* Probes from every node to every address (of family, 0: both) of every other node; a node only
 * probes the families it has addresses of. */
static size_t ping_all_pairs(const struct topo *t, int family, struct probe **out)
{
	struct probe *v = NULL;
	size_t n = 0;

	for (size_t s = 0; s < t->n_nodes; s++)
		for (size_t d = 0; d < t->n_nodes; d++) {
			const struct topo_node *dn = &t->nodes[d];

			if (s == d)
				continue;
			for (size_t k = 0; k < dn->n_ifaces; k++)
				for (size_t a = 0; a < dn->ifaces[k].n_addrs; a++) {
					const struct topo_prefix *p = &dn->ifaces[k].addrs[a].p;
					struct probe *pr;

					if ((family && p->family != family) || !node_has_family(&t->nodes[s], p->family))
						continue;
					pr = util_grow(&v, &n, sizeof(*pr));
					pr->src = s;
					pr->dst = *p;
					pr->dst.len = topo_prefix_maxlen(p->family);
				}
		}
	*out = v;
	return n;
}

static void print_matrix(const struct topo *t, const struct probe *v, size_t n)
{
	size_t w = 4;
	bool *is_src = util_xcalloc(t->n_nodes, sizeof(bool)), *is_dst = util_xcalloc(t->n_nodes, sizeof(bool));

	for (size_t k = 0; k < n; k++) {
		is_src[v[k].src] = true;
		is_dst[topo_addr_owner(t, &v[k].dst) - t->nodes] = true;
	}
	for (size_t i = 0; i < t->n_nodes; i++)
		if (is_src[i] || is_dst[i])
			w = strlen(t->nodes[i].name) > w ? strlen(t->nodes[i].name) : w;
	printf("%-*s", (int)w + 1, "from\\to");
	for (size_t d = 0; d < t->n_nodes; d++)
		if (is_dst[d])
			printf(" %-*s", (int)w, t->nodes[d].name);
	printf("\n");
	for (size_t s = 0; s < t->n_nodes; s++) {
		if (!is_src[s])
			continue;
		printf("%-*s", (int)w + 1, t->nodes[s].name);
		for (size_t d = 0; d < t->n_nodes; d++) {
			size_t total = 0, ok = 0;

			if (!is_dst[d])
				continue;
			for (size_t k = 0; k < n; k++)
				if (v[k].src == s && topo_addr_owner(t, &v[k].dst) == &t->nodes[d]) {
					total++;
					ok += v[k].received > 0;
				}
			printf(" %-*s", (int)w, s == d ? "" : total == 0 ? "." : ok == total ? "ok" : ok == 0 ? "--" : "~");
		}
		printf("\n");
	}
	printf("(ok: every address answered, --: none, ~: some, .: no address of a family the source has)\n");
	free(is_src);
	free(is_dst);
}

static int parse_seconds(const char *s, unsigned int *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v <= 0 || v > 3600 || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	*ms = (unsigned int)(v * 1000 + 0.5);
	return 0;
}

int cmd_ping(int argc, char **argv)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_free_ struct probe *v = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	const char *arg = NULL;
	unsigned long count = 1;
	unsigned int timeout_ms = 2000;
	int family = 0, r;
	bool json = false;
	size_t n, reached = 0;
	char b[64];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "-4") || !strcmp(argv[i], "-6"))
			family = argv[i][1] == '4' ? AF_INET : AF_INET6;
		else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
			if (topo_parse_uint(argv[++i], 1, 100, &count) < 0)
				return cmd_usage_error("ping", "--count: '%s' is not a number from 1 to 100", argv[i]);
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if (parse_seconds(argv[++i], &timeout_ms) < 0)
				return cmd_usage_error("ping", "--timeout: '%s' is not a number of seconds", argv[i]);
		} else if (argv[i][0] == '-' || arg)
			return cmd_usage_error("ping", "unexpected argument '%s'", argv[i]);
		else
			arg = argv[i];
	}
	if ((r = cmd_resolve_lab("ping", arg, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("ping", name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	for (size_t i = 0; i < l->topo->n_nodes; i++)
		if (l->ns_status[i] != LAB_NS_OK) {
			util_log("ping: the namespace of node %s is %s: run netlab status %s", l->topo->nodes[i].name, lab_ns_status_str(l->ns_status[i]), name);
			return EXIT_FAIL;
		}
	n = ping_all_pairs(l->topo, family, &v);
	if ((r = probe_run(l->topo, v, n, (unsigned int)count, timeout_ms)) < 0)
		return log_errno(r, "ping: cannot send probes"), EXIT_FAIL;
	for (size_t k = 0; k < n; k++)
		reached += v[k].received > 0;
	if (json) {
		struct out_json j = { .f = stdout };

		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "lab", name);
		out_json_int(&j, "count", (long long)count);
		out_json_int(&j, "timeout_ms", timeout_ms);
		out_json_int(&j, "pairs", (long long)n);
		out_json_int(&j, "reachable", (long long)reached);
		out_json_begin(&j, "results", '[');
		for (size_t k = 0; k < n; k++) {
			char num[32];

			out_json_begin(&j, NULL, '{');
			out_json_str(&j, "src", l->topo->nodes[v[k].src].name);
			out_json_str(&j, "dst", topo_addr_owner(l->topo, &v[k].dst)->name);
			out_json_str(&j, "address", topo_prefix_str(&v[k].dst, false, b, sizeof(b)));
			out_json_str(&j, "family", v[k].dst.family == AF_INET6 ? "inet6" : "inet");
			out_json_bool(&j, "reachable", v[k].received > 0);
			out_json_int(&j, "sent", v[k].sent);
			out_json_int(&j, "received", v[k].received);
			snprintf(num, sizeof(num), "%.1f", v[k].sent ? 100.0 * (v[k].sent - v[k].received) / v[k].sent : 100.0);
			out_json_str(&j, "loss_percent", num);
			if (v[k].received) {
				snprintf(num, sizeof(num), "%.3f", v[k].rtt_min);
				out_json_str(&j, "rtt_min_ms", num);
				snprintf(num, sizeof(num), "%.3f", v[k].rtt_sum / v[k].received);
				out_json_str(&j, "rtt_avg_ms", num);
				snprintf(num, sizeof(num), "%.3f", v[k].rtt_max);
				out_json_str(&j, "rtt_max_ms", num);
			} else {
				out_json_str(&j, "rtt_min_ms", NULL);
				out_json_str(&j, "rtt_avg_ms", NULL);
				out_json_str(&j, "rtt_max_ms", NULL);
			}
			out_json_end(&j, '}');
		}
		out_json_end(&j, ']');
		out_json_end(&j, '}');
	} else {
		size_t shown = 0;

		print_matrix(l->topo, v, n);
		printf("%zu of %zu pairs reachable\n", reached, n);
		for (size_t k = 0; k < n && shown < 20; k++)
			if (!v[k].received) {
				printf("  unreachable: %s -> %s (%s)\n", l->topo->nodes[v[k].src].name, topo_addr_owner(l->topo, &v[k].dst)->name,
				       topo_prefix_str(&v[k].dst, false, b, sizeof(b)));
				shown++;
			}
		if (n - reached > shown)
			printf("  ... and %zu more\n", n - reached - shown);
	}
	return reached == n ? EXIT_OK : EXIT_FAIL;
}
