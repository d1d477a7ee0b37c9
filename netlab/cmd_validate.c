/* cmd_validate.c: `netlab validate [-q] FILE...`, and the shared topology loading step. */
#include <string.h>

#include "commands.h"
#include "util.h"

int cmd_load_topology(const char *file, struct topo **out)
{
	_cleanup_topo_ struct topo *t = NULL;
	int r = topo_load(file, &t);

	if (r < 0) {
		log_errno(r, "cannot read '%s'", file);
		return EXIT_FAIL;
	}
	topo_check(t);
	for (size_t i = 0; i < t->diag.n; i++)
		fprintf(stderr, "%s\n", t->diag.msgs[i]);
	if (t->diag.n > 0) {
		fprintf(stderr, "netlab: %s: %zu problem%s found\n", file, t->diag.n, t->diag.n == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	*out = steal_pointer(&t);
	return EXIT_OK;
}

int cmd_validate(int argc, char **argv)
{
	bool quiet = false;
	int status = EXIT_OK, nfiles = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
			quiet = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return cmd_usage_error("validate", "unknown option '%s'", argv[i]);
	}
	for (int i = 1; i < argc; i++) {
		_cleanup_topo_ struct topo *t = NULL;
		int r;

		if (argv[i][0] == '-' && argv[i][1])
			continue;
		nfiles++;
		r = cmd_load_topology(argv[i], &t);
		if (r > status)
			status = r;
		if (r == EXIT_OK && !quiet)
			printf("%s: ok: lab %s, %zu node%s, %zu link%s\n", argv[i], t->name, t->n_nodes,
			       t->n_nodes == 1 ? "" : "s", t->n_links, t->n_links == 1 ? "" : "s");
	}
	if (nfiles == 0)
		return cmd_usage_error("validate", "no topology file given");
	return status;
}
