/* apply.c: `netlab apply FILE [--dry-run]`: changes the running lab FILE names into what FILE now
 * says, changing only what differs; prints the plan first (--dry-run: only the plan). */
#include "commands.h"
#include "lab_apply.h"
#include "util.h"

int cmd_apply(const struct cmd_args *a)
{
	_cleanup_topo_ struct topo *t = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	int r;

	if (a->argc != 1)
		return cmd_usage_error("apply", "expected one FILE");
	if ((r = cmd_load_topology_as(a->argv[0], a, &t)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("apply", t->name, 0, &l)) != EXIT_OK) {
		if (r == EXIT_USAGE) /* not up */
			util_log("apply: 'netlab up %s' brings it up", a->argv[0]);
		return r;
	}
	return apply_file(l, t, a->argv[0], a->dry_run, stdout) < 0 ? EXIT_FAIL : EXIT_OK;
}
