/* list.c: `netlab list [--json]`: the labs that are up. */
#include "commands.h"
#include "health_read.h"
#include "out.h"
#include "util.h"

int cmd_list(const struct cmd_args *a)
{
	struct out_json j = { .f = stdout };
	char **labs;
	size_t n;
	int r, status = EXIT_OK;

	if (a->argc > 0)
		return cmd_usage_error("list", "unexpected argument '%s'", a->argv[0]);
	if ((r = state_list(&labs, &n)) < 0)
		return cmd_fail(r, "cannot list %s", NETLAB_RUN_DIR);
	if (a->json)
		out_json_begin(&j, NULL, '[');
	else if (n)
		printf("%-24s %-8s %s\n", "LAB", "NODES", "STATE");
	for (size_t i = 0; i < n; i++) {
		_cleanup_lab_ struct lab *l = NULL;
		enum lab_found found = LAB_NOT_UP;
		int q = lab_open(labs[i], STATE_NOLOCK, &found, &l);
		const char *st = lab_found_str(found);
		size_t nodes = found == LAB_FOUND ? l->topo->n_nodes : 0;

		if (q < 0) {
			/* not a fact about the lab: this user cannot read its state */
			status = cmd_fail(q, "list: cannot read the state of lab %s", labs[i]);
			st = "unreadable";
		} else if (found == LAB_FOUND) {
			st = health_lab_word(l, 0); /* nodes are not read: status does that */
		}

		if (a->json) {
			out_json_begin(&j, NULL, '{');
			out_json_str(&j, "lab", labs[i]);
			out_json_str(&j, "state", st);
			out_json_int(&j, "nodes", (long long)nodes);
			out_json_end(&j, '}');
		} else {
			printf("%-24s %-8zu %s\n", labs[i], nodes, st);
		}
		free(labs[i]);
	}
	free(labs);
	if (a->json)
		out_json_end(&j, ']');
	else if (n == 0)
		printf("no lab is up\n");
	return status;
}
