/* validate.c: `netlab validate [-q] FILE...`. */
#include "commands.h"
#include "util.h"

int cmd_validate(const struct cmd_args *a)
{
	int status = EXIT_OK;

	if (a->argc == 0)
		return cmd_usage_error("validate", "no topology file given");
	for (int i = 0; i < a->argc; i++) {
		_cleanup_topo_ struct topo *t = NULL;
		int r = cmd_load_topology(a->argv[i], &t);

		if (r > status)
			status = r;
		if (r == EXIT_OK && !a->quiet)
			printf("%s: ok: lab %s, %zu node%s, %zu link%s\n", a->argv[i], t->name,
			       t->n_nodes, t->n_nodes == 1 ? "" : "s", t->n_links,
			       t->n_links == 1 ? "" : "s");
	}
	return status;
}
