/* down.c: `netlab down LAB|FILE`, `netlab down --all`. */
#include <errno.h>

#include "commands.h"
#include "lab_down.h"
#include "util.h"

static int down_one(const char *lab)
{
	_cleanup_state_ struct state *st = NULL;
	int r = state_open(lab, 0, &st);

	if (r == -ENOENT) {
		printf("lab %s is not up\n", lab);
		cmd_hint_file(lab);
		return EXIT_OK;
	}
	if (r < 0)
		return cmd_fail(r, "cannot open the state of lab %s", lab);
	if (down_lab(st, false) < 0)
		return EXIT_FAIL;
	printf("lab %s is down\n", lab);
	return EXIT_OK;
}

static int down_all(void)
{
	char **labs;
	size_t n;
	int status = EXIT_OK, r;

	if ((r = state_list(&labs, &n)) < 0)
		return cmd_fail(r, "cannot list %s", NETLAB_RUN_DIR);
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

int cmd_down(const struct cmd_args *a)
{
	_cleanup_free_ char *lab = NULL;
	int r;

	if (a->all && a->argc == 0)
		return down_all();
	if (a->all || a->argc != 1)
		return cmd_usage_error("down", "expected one LAB, FILE or --all");
	if ((r = cmd_lab_name("down", a->argv[0], &lab)) != EXIT_OK)
		return r;
	return down_one(lab);
}
