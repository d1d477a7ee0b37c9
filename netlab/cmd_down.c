/* cmd_down.c: `netlab down LAB|FILE`, `netlab down --all`; and the LAB|FILE argument rule shared
 * by the commands that name a running lab. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "apply.h"
#include "commands.h"
#include "util.h"

int cmd_lab_name(const char *cmd, const char *arg, char **lab)
{
	struct stat st;

	if (strchr(arg, '/') || (stat(arg, &st) == 0 && S_ISREG(st.st_mode))) {
		_cleanup_topo_ struct topo *t = NULL;
		int r = cmd_load_topology(arg, &t);

		if (r != EXIT_OK)
			return r;
		*lab = util_xstrdup(t->name);
		return EXIT_OK;
	}
	if (!topo_lab_name_valid(arg, TOPO_NAME_MAX))
		return cmd_usage_error(cmd, "'%s' is neither a lab name nor a topology file", arg);
	*lab = util_xstrdup(arg);
	return EXIT_OK;
}

static int down_one(const char *lab)
{
	_cleanup_state_ struct state *st = NULL;
	int r = state_open(lab, 0, &st);

	if (r == -ENOENT) {
		printf("lab %s is not up\n", lab);
		return EXIT_OK;
	}
	if (r < 0)
		return log_errno(r, "cannot open the state of lab %s", lab), EXIT_FAIL;
	if (apply_down(st, false) < 0)
		return EXIT_FAIL;
	printf("lab %s is down\n", lab);
	return EXIT_OK;
}

int cmd_down(int argc, char **argv)
{
	_cleanup_free_ char *lab = NULL;
	int r;

	if (argc == 2 && strcmp(argv[1], "--all") == 0) {
		char **labs;
		size_t n;
		int status = EXIT_OK;

		if ((r = state_list(&labs, &n)) < 0)
			return log_errno(r, "cannot list %s", NETLAB_RUN_DIR), EXIT_FAIL;
		for (size_t i = 0; i < n; i++) {
			r = down_one(labs[i]);
			status = r > status ? r : status;
			free(labs[i]);
		}
		free(labs);
		if (n == 0)
			printf("no lab is up\n");
		return status;
	}
	if (argc != 2 || (argv[1][0] == '-' && argv[1][1]))
		return cmd_usage_error("down", "expected one LAB, FILE or --all");
	r = cmd_lab_name("down", argv[1], &lab);
	if (r != EXIT_OK)
		return r;
	return down_one(lab);
}
