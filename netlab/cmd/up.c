/* up.c: `netlab up FILE`. */
#include "commands.h"
#include "lab_up.h"

int cmd_up(const struct cmd_args *a)
{
	_cleanup_topo_ struct topo *t = NULL;
	int r;

	if (a->argc != 1)
		return cmd_usage_error("up", a->argc == 0 ? "no topology file given" :
							    "expected exactly one topology file");
	if ((r = cmd_load_topology_as(a->argv[0], a, &t)) != EXIT_OK)
		return r;
	return up_file(t, stdout) < 0 ? EXIT_FAIL : EXIT_OK;
}
