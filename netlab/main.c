/* main.c: the command table, exit codes, and the one privilege check. */
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

#define NETLAB_VERSION "0.1.0"

static const struct cmd cmds[] = {
	{ "validate", cmd_validate, 0, OPT_QUIET, "validate [-q] FILE...", "check topology files (no root needed)" },
	{ "show", cmd_show, 0, OPT_JSON, "show FILE [--json]", "print the resolved topology" },
	{ "up", cmd_up, CMD_NEEDS_ROOT, 0, "up FILE", "create the lab's namespaces, links, addresses, routes" },
	{ "down", cmd_down, CMD_NEEDS_ROOT, OPT_ALL, "down LAB|FILE|--all", "remove every trace of a lab" },
	{ "list", cmd_list, 0, OPT_JSON, "list [--json]", "the labs that are up" },
	{ "status", cmd_status, CMD_NEEDS_ROOT, OPT_JSON, "status [LAB|FILE] [--json]", "nodes, namespaces, interfaces, routes, processes" },
	{ "exec", cmd_exec, CMD_NEEDS_ROOT | CMD_OPERANDS_END_OPTIONS, 0, "exec [LAB] NODE -- CMD...", "run a command inside a node" },
	{ "shell", cmd_shell, CMD_NEEDS_ROOT, 0, "shell [LAB] NODE", "start a shell inside a node" },
	{ "logs", cmd_logs, CMD_NEEDS_ROOT, 0, "logs [LAB] NODE", "the output of the node's daemons" },
	{ "ping", cmd_ping, CMD_NEEDS_ROOT, OPT_JSON | OPT_COUNT | OPT_TIMEOUT | OPT_FAMILY | OPT_NODES,
	  "ping [LAB] [--json] [--count N] [--timeout S] [-4|-6] [--from NODE,...] [--to NODE,...]", "all-pairs reachability matrix" },
	{ "test", cmd_test, CMD_NEEDS_ROOT, OPT_FORMAT, "test LAB|FILE|LAB TESTFILE [--format tap|junit|json]", "check the lab's [test] assertions (or TESTFILE's)" },
	{ "set", cmd_set, CMD_NEEDS_ROOT, 0, "set LAB LINK|LAN KEY=VALUE...",
	  "change impairment on a running lab (KEY or KEY.NODE; VALUE off removes it)" },
	{ "capture", cmd_capture, CMD_NEEDS_ROOT, OPT_WRITE | OPT_PACKETS, "capture LAB NODE:IFACE|LINK|LAN [-w FILE] [-c N] [FILTER...]",
	  "capture packets inside a node, as pcap (to FILE, or stdout for | tcpdump -r - or | wireshark -k -i -)" },
	{ "graph", cmd_graph, 0, OPT_FORMAT, "graph FILE|LAB [--format dot|svg|mermaid|html]",
	  "draw the lab (from the file alone, or a running lab with its links' state)" },
	{ "apply", cmd_apply, CMD_NEEDS_ROOT, OPT_DRY_RUN, "apply FILE [--dry-run]",
	  "change a running lab into the edited FILE: only what differs (nodes, links, addresses, routes, ...)" },
	{ "link", cmd_link, CMD_NEEDS_ROOT, OPT_COUNT | OPT_INTERVAL, "link LAB LINK|LAN down|up|flap [NODE] [--count N] [--interval S]",
	  "take a link (or one end, or a LAN member) down, bring it back with its routes, or flap it" },
	{ "generate", cmd_generate, 0, OPT_NAMING, "generate KIND ARGS... [--name LAB] [--netns-prefix P]",
	  "print a classic topology: single N, linear N, tree DEPTH FANOUT, ring N, star N, chain N, leaf-spine S L [H], lan N" },
	{ "import", cmd_import, 0, OPT_OUTPUT | OPT_NAMING, "import kathara DIR [-o FILE] [--name LAB] [--netns-prefix P]",
	  "convert a Kathara lab (lab.conf, DEVICE.startup, DEVICE/) into a topology; say what was not converted" },
	{ NULL, NULL, 0, 0, NULL, NULL },
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
	      "'netlab COMMAND --help' shows a command's options; see netlab(8) and docs/ for the topology format.\n",
	      f);
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	struct cmd_args a;
	int r;

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
	for (c = cmds; c->name && strcmp(argv[1], c->name) != 0; c++)
		;
	if (!c->name) {
		util_log("unknown %s '%s'", argv[1][0] == '-' ? "option" : "command", argv[1]);
		fprintf(stderr, "Try 'netlab --help'.\n");
		return EXIT_USAGE;
	}
	if ((r = cmd_parse(c, argc - 1, argv + 1, &a)) != EXIT_OK)
		return r < 0 ? EXIT_OK : r; /* -1: --help was printed */
	if ((c->flags & CMD_NEEDS_ROOT) && geteuid() != 0) {
		util_log("%s: needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN): run it with sudo", c->name);
		return EXIT_FAIL;
	}
	return c->fn(&a);
}
