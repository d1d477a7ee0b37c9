/* logs.c: `netlab logs [LAB] NODE`: the output of the node's startup script and daemons, then its
 * FRR's log. */
#include <errno.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "commands.h"
#include "machine.h"
#include "routing.h"
#include "util.h"

/* Copies the file at path to stdout as it reads it (a log may be as large as logs-size). Returns
 * 0, -ENOENT when there is none, or -errno after saying why. */
static int copy_out(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char buf[65536];
	ssize_t got = 0;

	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	while (fd >= 0 && (got = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)got, stdout) != (size_t)got)
			break;
	if (fd < 0 || got < 0)
		return log_errno(-errno, "logs: cannot read '%s'", path);
	fflush(stdout);
	return 0;
}

int cmd_logs(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL, *path = NULL, *root = NULL, *frr = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	const struct topo_node *n;
	const char *node;
	struct statvfs fs;
	int r, q = -ENOENT;

	if (a->argc < 1 || a->argc > 2)
		return cmd_usage_error("logs", "usage: netlab logs [LAB] NODE");
	node = a->argv[a->argc - 1];
	if ((r = cmd_resolve_lab("logs", a->argc == 2 ? a->argv[0] : NULL, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("logs", name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	if (!(n = topo_node_find(l->topo, node))) {
		util_log("logs: lab %s has no node '%s'", name, node);
		return EXIT_USAGE;
	}
	path = util_xasprintf("%s/%s/%s.log", l->st->dir, STATE_LOGS_DIR, node);
	if ((r = copy_out(path)) < 0 && r != -ENOENT)
		return EXIT_FAIL;
	if (r == 0 && statvfs(path, &fs) == 0 && fs.f_bavail == 0)
		util_log(
			"logs: the logs of lab %s are full ([lab] logs-size = %lu MiB): what its daemons wrote since was lost",
			name, l->topo->logs_mib);
	if (n->frr) { /* FRR's own log, in the node's /var (its layer) */
		root = machine_root(l->st->dir, node);
		frr = util_xasprintf("%s%s", root, ROUTING_FRR_LOG);
		if (r == 0)
			printf("netlab: FRR's log (%s in the node):\n", ROUTING_FRR_LOG);
		fflush(stdout);
		if ((q = copy_out(frr)) < 0 && q != -ENOENT)
			return EXIT_FAIL;
	}
	if (r == -ENOENT && q == -ENOENT) {
		util_log("logs: node %s of lab %s has no log (no startup script, daemon or FRR)",
			 node, name);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
