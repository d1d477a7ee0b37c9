/* set.c: `netlab set LAB LINK|LAN KEY=VALUE...`: changes link impairment on a running lab. The
 * values in force are the topology's, changed by every `set` before (kept in the journal). */
#include <errno.h>
#include <string.h>

#include "commands.h"
#include "impairment.h"
#include "util.h"

int cmd_set(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	struct topo_diag why = { 0 };
	int r;

	if (a->argc < 3)
		return cmd_usage_error(
			"set",
			"usage: netlab set LAB LINK|LAN KEY=VALUE... (KEY or KEY.NODE; VALUE off removes it)");
	for (int i = 2; i < a->argc; i++)
		if (strncmp(a->argv[i], "state=", 6) == 0 || strncmp(a->argv[i], "state.", 6) == 0)
			return cmd_usage_error(
				"set",
				"a link's state is changed by 'netlab link LAB LINK down|up [NODE]'");
	for (int i = 1; i < a->argc; i++)
		if (strpbrk(a->argv[i], " \n"))
			return cmd_usage_error(
				"set", "'%s': a name or KEY=VALUE word holds no space or newline",
				a->argv[i]);
	if ((r = cmd_lab_name("set", a->argv[0], &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("set", name, 0, &l)) != EXIT_OK)
		return r;
	r = lab_change(&l, a->argv[1], a->argv + 2, (size_t)a->argc - 2, impairment_apply_named,
		       &why);
	return cmd_change_status("set", r, &why);
}
