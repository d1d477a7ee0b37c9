/* logs.c: `netlab logs [LAB] NODE`: the output of the node's daemons. */
#include <errno.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

int cmd_logs(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL, *path = NULL;
	_cleanup_close_ int fd = -1;
	ssize_t got = 0;
	char buf[65536];
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
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		util_log("logs: node %s of lab %s runs no daemon", node, name);
		return EXIT_FAIL;
	}
	/* copied as it is read: a log may be as large as logs-size */
	while (fd >= 0 && (got = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)got, stdout) != (size_t)got)
			break;
	if (fd < 0 || got < 0)
		return cmd_fail(-errno, "logs: cannot read '%s'", path);
	fflush(stdout);
	if (statvfs(path, &fs) == 0 && fs.f_bavail == 0)
		util_log(
			"logs: the logs of lab %s are full ([lab] logs-size = %lu MiB): what its daemons wrote since was lost",
			name, l->topo->logs_mib);
	return EXIT_OK;
}
