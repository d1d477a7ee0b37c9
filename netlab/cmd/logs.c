/* logs.c: `netlab logs [LAB] NODE`: the output of the node's daemons. */
#include <errno.h>
#include <sys/statvfs.h>

#include "commands.h"
#include "util.h"

int cmd_logs(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL, *path = NULL, *text = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	const char *node;
	struct statvfs fs;
	int r;

	if (a->argc < 1 || a->argc > 2)
		return cmd_usage_error("logs", "usage: netlab logs [LAB] NODE");
	node = a->argv[a->argc - 1];
	if ((r = cmd_resolve_lab("logs", a->argc == 2 ? a->argv[0] : NULL, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("logs", name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	if (!topo_node_find(l->topo, node)) {
		util_log("logs: lab %s has no node '%s'", name, node);
		return EXIT_USAGE;
	}
	path = util_xasprintf("%s/%s/%s.log", l->st->dir, STATE_LOGS_DIR, node);
	r = util_read_file(path, &text, NULL);
	if (r == -ENOENT) {
		util_log("logs: node %s of lab %s runs no daemon", node, name);
		return EXIT_FAIL;
	}
	if (r < 0)
		return cmd_fail(r, "logs: cannot read '%s'", path);
	fputs(text, stdout);
	if (statvfs(path, &fs) == 0 && fs.f_bavail == 0)
		util_log(
			"logs: the logs of lab %s are full ([lab] logs-size = %lu MiB): what its daemons wrote since was lost",
			name, l->topo->logs_mib);
	return EXIT_OK;
}
