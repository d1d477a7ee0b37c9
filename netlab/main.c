/* main.c: global options, the command table and exit codes. */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

#define NETLAB_VERSION "0.1.0"

enum { NEEDS_ROOT = 1 };

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	unsigned int flags;
	const char *usage, *help;
} cmds[] = {
	{ "validate", cmd_validate, 0, "validate [-q] FILE...", "check topology files (no root needed)" },
	{ "show", cmd_show, 0, "show FILE [--json]", "print the resolved topology" },
	{ "up", cmd_up, NEEDS_ROOT, "up FILE", "create the lab's namespaces, links, addresses, routes" },
	{ "down", cmd_down, NEEDS_ROOT, "down LAB|FILE|--all", "remove every trace of a lab" },
	{ "list", cmd_list, 0, "list [--json]", "the labs that are up" },
	{ "status", cmd_status, NEEDS_ROOT, "status [LAB|FILE] [--json]", "nodes, namespaces, interfaces, routes, processes" },
	{ "exec", cmd_exec, NEEDS_ROOT, "exec [LAB] NODE -- CMD...", "run a command inside a node" },
	{ "shell", cmd_shell, NEEDS_ROOT, "shell [LAB] NODE", "start a shell inside a node" },
	{ "logs", cmd_logs, NEEDS_ROOT, "logs [LAB] NODE", "the output of the node's daemons" },
	{ "ping", cmd_ping, NEEDS_ROOT, "ping [LAB] [--json] [--count N] [--timeout S] [-4|-6]", "all-pairs reachability matrix" },
	{ "test", cmd_test, NEEDS_ROOT, "test LAB|FILE [--format tap|junit|json]", "check the lab's [test] assertions" },
	{ "set", cmd_set, NEEDS_ROOT, "set LAB LINK|LAN KEY=VALUE...", "change impairment on a running lab (KEY or KEY.NODE; VALUE off removes it)" },
	{ NULL, NULL, 0, NULL, NULL },
};

static void usage(FILE *f)
{
	fputs("usage: netlab [--help] [--version] COMMAND [ARGS...]\n\n"
	      "Builds virtual networks out of Linux network namespaces, from an INI topology file.\n\n"
	      "Commands:\n",
	      f);
	for (const struct cmd *c = cmds; c->name; c++) {
		if (strlen(c->usage) <= 28)
			fprintf(f, "  %-28s %s\n", c->usage, c->help);
		else
			fprintf(f, "  %s\n  %-28s %s\n", c->usage, "", c->help);
	}
	fputs("\nExit status: 0 success, 1 failure, 2 usage error or invalid topology.\n"
	      "See netlab(8) and docs/ for the topology format.\n",
	      f);
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "netlab: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'netlab --help'.\n");
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("netlab %s\n", NETLAB_VERSION);
		return EXIT_OK;
	}
	for (const struct cmd *c = cmds; c->name; c++) {
		if (strcmp(argv[1], c->name) != 0)
			continue;
		for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
			if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
				printf("usage: netlab %s\n%s\n", c->usage, c->help);
				return EXIT_OK;
			}
		if ((c->flags & NEEDS_ROOT) && geteuid() != 0) {
			util_log("%s: needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN): run it with sudo", c->name);
			return EXIT_FAIL;
		}
		return c->fn(argc - 1, argv + 1);
	}
	if (argv[1][0] == '-')
		util_log("unknown option '%s'", argv[1]);
	else
		util_log("unknown command '%s'", argv[1]);
	fprintf(stderr, "Try 'netlab --help'.\n");
	return EXIT_USAGE;
}
