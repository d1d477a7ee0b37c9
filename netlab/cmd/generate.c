/* generate.c: `netlab generate KIND ARGS... [--name LAB] [--netns-prefix P]`: a classic topology
 * on stdout (format/topo_generate.c writes it). */
#include <errno.h>
#include <stdio.h>

#include "commands.h"
#include "topo_generate.h"
#include "util.h"

int cmd_generate(const struct cmd_args *a)
{
	_cleanup_strbuf_ struct strbuf out = { 0 };
	struct topo_diag why = { 0 };
	int status = EXIT_OK;

	if (a->argc == 0) {
		fprintf(stderr, "netlab: generate: no kind given. Kinds:\n");
		for (size_t i = 0; i < generate_n_kinds; i++)
			fprintf(stderr, "  %-10s %-22s %s\n", generate_kinds[i].name,
				generate_kinds[i].args, generate_kinds[i].help);
		return EXIT_USAGE;
	}
	if (generate_topology(a->argv[0], a->argc - 1, a->argv + 1, a->name, a->netns_prefix, &out,
			      &why) < 0) {
		for (size_t i = 0; i < why.n; i++)
			status = cmd_usage_error("generate", "%s", why.msgs[i]);
		topo_diag_clear(&why);
		return status;
	}
	fputs(strbuf_str(&out), stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		return cmd_fail(-EIO, "generate: cannot write the topology");
	return EXIT_OK;
}
