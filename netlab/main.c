/* main.c: the command table, exit codes, and the one privilege check. */
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "rootless.h"
#include "util.h"

#define NETLAB_VERSION "0.1.0"

static const struct cmd cmds[] = {
	{ .name = "validate",
	  .fn = cmd_validate,
	  .options = OPT_QUIET,
	  .usage = "validate [-q] FILE...",
	  .help = "check topology files (no root needed)" },
	{ .name = "show",
	  .fn = cmd_show,
	  .options = OPT_JSON,
	  .usage = "show FILE [--json]",
	  .help = "print the resolved topology" },
	{ .name = "up",
	  .fn = cmd_up,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_NAMING,
	  .usage = "up FILE [--name LAB] [--netns-prefix P]",
	  .help = "create the lab's namespaces, links, addresses, routes",
	  .defaults =
		  "--name: the file's [lab] name; --netns-prefix: the file's, or LAB- with --name" },
	{ .name = "down",
	  .fn = cmd_down,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_ALL,
	  .usage = "down LAB|FILE|--all",
	  .help = "remove every trace of a lab" },
	{ .name = "list",
	  .fn = cmd_list,
	  .options = OPT_JSON,
	  .usage = "list [--json]",
	  .help = "the labs that are up" },
	{ .name = "status",
	  .fn = cmd_status,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_JSON,
	  .usage = "status [LAB|FILE] [--json]",
	  .help = "nodes, namespaces, interfaces, routes, processes" },
	{ .name = "exec",
	  .fn = cmd_exec,
	  .flags = CMD_NEEDS_ROOT | CMD_OPERANDS_END_OPTIONS,
	  .usage = "exec [LAB] NODE -- CMD...",
	  .help = "run a command inside a node" },
	{ .name = "shell",
	  .fn = cmd_shell,
	  .flags = CMD_NEEDS_ROOT,
	  .usage = "shell [LAB] NODE",
	  .help = "start a shell inside a node" },
	{ .name = "logs",
	  .fn = cmd_logs,
	  .flags = CMD_NEEDS_ROOT,
	  .usage = "logs [LAB] NODE",
	  .help = "the output of the node's daemons" },
	{ .name = "ping",
	  .fn = cmd_ping,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_JSON | OPT_COUNT | OPT_TIMEOUT | OPT_FAMILY | OPT_NODES,
	  .usage =
		  "ping [LAB] [--json] [--count N] [--timeout S] [-4|-6] [--from NODE,...] [--to NODE,...]",
	  .help = "all-pairs reachability matrix" },
	{ .name = "test",
	  .fn = cmd_test,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_FORMAT | OPT_NAMING,
	  .usage =
		  "test LAB|FILE|LAB TESTFILE [--format tap|junit|json] [--name LAB] [--netns-prefix P]",
	  .help = "check the lab's [test] assertions (or TESTFILE's)" },
	{ .name = "set",
	  .fn = cmd_set,
	  .flags = CMD_NEEDS_ROOT,
	  .usage = "set LAB LINK|LAN KEY=VALUE...",
	  .help = "change impairment on a running lab (KEY or KEY.NODE; VALUE off removes it)" },
	{ .name = "capture",
	  .fn = cmd_capture,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_WRITE | OPT_PACKETS,
	  .usage = "capture LAB NODE:IFACE|LINK|LAN [-w FILE] [-c N] [FILTER...]",
	  .help = "capture packets inside a node, as pcap (to FILE, or stdout for | tcpdump -r - or | wireshark -k -i -)" },
	{ .name = "graph",
	  .fn = cmd_graph,
	  .options = OPT_FORMAT,
	  .usage = "graph FILE|LAB [--format dot|svg|mermaid|html]",
	  .help = "draw the lab (from the file alone, or a running lab with its links' state)" },
	{ .name = "apply",
	  .fn = cmd_apply,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_DRY_RUN | OPT_NAMING,
	  .usage = "apply FILE [--dry-run] [--name LAB] [--netns-prefix P]",
	  .help = "change a running lab into the edited FILE: only what differs (nodes, links, addresses, routes, ...)" },
	{ .name = "link",
	  .fn = cmd_link,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_TIMES | OPT_INTERVAL,
	  .usage = "link LAB LINK|LAN down|up|flap [NODE] [--times N] [--interval S]",
	  .help = "take a link (or one end, or a LAN member) down, bring it back with its routes, or flap it" },
	{ .name = "generate",
	  .fn = cmd_generate,
	  .options = OPT_NAMING,
	  .usage = "generate KIND ARGS... [--name LAB] [--netns-prefix P]",
	  .help = "print a classic topology: single N, linear N, tree DEPTH FANOUT, ring N, star N, chain N, leaf-spine S L [H], lan N",
	  .defaults = "--name: KIND and its numbers (tree2-3); --netns-prefix: LAB-" },
	{ .name = "import",
	  .fn = cmd_import,
	  .options = OPT_OUTPUT | OPT_NAMING,
	  .usage = "import kathara DIR [-o FILE] [--name LAB] [--netns-prefix P]",
	  .help = "convert a Kathara lab (lab.conf, DEVICE.startup, DEVICE/) into a topology; say what was not converted",
	  .defaults = "--name: the lab directory's name, made a lab name; --netns-prefix: LAB-" },
	{ .name = "save",
	  .fn = cmd_save,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_OUTPUT | OPT_FORCE,
	  .usage = "save LAB [-o DIR] [--force]",
	  .help = "copy the running lab (its topology as in force, what each node changed in its files) into DIR, which netlab up DIR/LAB.ini starts from",
	  .defaults = "-o: ./LAB" },
	{ .name = "grade",
	  .fn = cmd_grade,
	  .flags = CMD_NEEDS_ROOT,
	  .options = OPT_JOBS | OPT_REPORT,
	  .usage = "grade TESTFILE SUBMISSION... [--jobs N] [--report DIR]",
	  .help = "grade a class: each submission (a lab file or a Kathara lab directory) up under a name of its own, TESTFILE's tests checked on it, down; many at once",
	  .defaults = "--jobs: as many labs as memory carries at 400 MiB each, at most 64" },
	{ .name = "image",
	  .fn = cmd_image,
	  .options = OPT_PACKAGES | OPT_JSON,
	  .usage = "image build NAME [--packages P,...] | list [--json] | rm NAME",
	  .help = "node images, built from Debian's packages with mmdebstrap (root's in /var/lib/netlab/images, a user's in ~/.local/share/netlab/images)",
	  .defaults =
		  "--packages: the recipe of NAME (base: Kathara's base tools; frr: base and FRR)" },
	{ .name = NULL },
};

/* Where a command runs for a user who is not root (docs/rootless.md). */
enum place {
	PLACE_HERE, /* as it is: needs no namespace (validate, show, graph FILE, ...) */
	PLACE_HOLDER, /* in the user's holder, started when there is none */
	PLACE_HOLDER_IF_UP, /* in the user's holder when one runs (list, graph LAB) */
	PLACE_USERNS, /* root in a user namespace of its own (image build, list: the user's store)
		       */
};

static enum place rootless_place(const struct cmd *c, const struct cmd_args *a)
{
	if (c->flags & CMD_NEEDS_ROOT)
		return PLACE_HOLDER;
	if (c->fn == cmd_list)
		return PLACE_HOLDER_IF_UP;
	if (c->fn == cmd_graph && a->argc == 1 && !cmd_arg_is_file(a->argv[0]))
		return PLACE_HOLDER_IF_UP;
	if (c->fn == cmd_image && a->argc >= 1) /* rm: no lab of the user's may use it */
		return strcmp(a->argv[0], "rm") == 0 ? PLACE_HOLDER : PLACE_USERNS;
	return PLACE_HERE;
}

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
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
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
	if (rootless_needed()) {
		/* without root: in the user's own namespaces (docs/rootless.md) */
		enum place p = rootless_place(c, &a);
		int status = EXIT_FAIL;

		if (p == PLACE_USERNS)
			r = rootless_userns(&status);
		else if (p != PLACE_HERE)
			r = rootless_enter(p == PLACE_HOLDER, &status);
		else
			r = 1;
		if (r < 0)
			return EXIT_FAIL;
		if (r == 0) { /* no holder: the user has no lab */
			if (c->fn == cmd_list) {
				printf("%s\n", a.json ? "[]" : "no lab is up");
				return EXIT_OK;
			}
			util_log("%s: lab %s is not up", c->name, a.argv[0]);
			return EXIT_FAIL;
		}
		if (r == 2) { /* the command ran in a child, inside */
			if (p != PLACE_USERNS)
				rootless_release();
			return status;
		}
	}
	return c->fn(&a);
}
