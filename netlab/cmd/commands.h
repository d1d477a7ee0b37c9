/* commands.h: every netlab command, the one option parser they share (getopt_long, in common.c),
 * and the helpers several commands need. Each command returns the process exit status. */
#ifndef NETLAB_COMMANDS_H
#define NETLAB_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "lab.h"
#include "topo.h"
#include "attr.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* The options of all commands, a bit each (declared with their names and help in common.c's
 * opt_defs): each means one thing everywhere; a command names the ones it takes. */
enum cmd_opt {
	OPT_QUIET = 1 << 0, /* -q, --quiet */
	OPT_JSON = 1 << 1, /* --json */
	OPT_ALL = 1 << 2, /* --all */
	OPT_COUNT = 1 << 3, /* --count N: echo requests per pair (1 to 100) */
	OPT_TIMEOUT = 1 << 4, /* --timeout SECONDS */
	OPT_IPV4 = 1 << 5, /* -4 */
	OPT_IPV6 = 1 << 6, /* -6 */
	OPT_FORMAT = 1 << 7, /* --format FORMAT */
	OPT_INTERVAL = 1 << 8, /* --interval SECONDS */
	OPT_WRITE = 1 << 9, /* -w FILE */
	OPT_PACKETS = 1 << 10, /* -c N: packets */
	OPT_DRY_RUN = 1 << 11, /* --dry-run */
	OPT_FROM = 1 << 12, /* --from NODE,... */
	OPT_TO = 1 << 13, /* --to NODE,... */
	OPT_NAME = 1 << 14, /* --name LAB */
	OPT_PREFIX = 1 << 15, /* --netns-prefix PREFIX */
	OPT_OUTPUT = 1 << 16, /* -o FILE */
	OPT_TIMES = 1 << 17, /* --times N: flaps (1 to 100) */
	OPT_PACKAGES = 1 << 18, /* --packages P,...: an image's Debian packages */
	OPT_JOBS = 1 << 19, /* --jobs N: labs at once (1 to 1000) */
	OPT_REPORT = 1 << 20, /* --report DIR */
	OPT_FORCE = 1 << 21, /* --force */
	OPT_FAMILY = OPT_IPV4 | OPT_IPV6,
	OPT_NODES = OPT_FROM | OPT_TO,
	OPT_NAMING = OPT_NAME | OPT_PREFIX,
};

/* --format: FMT_DEFAULT when not given; each command takes some (test: the first three). */
enum cmd_format {
	FMT_DEFAULT,
	FMT_TAP,
	FMT_JUNIT,
	FMT_JSON,
	FMT_DOT,
	FMT_SVG,
	FMT_MERMAID,
	FMT_HTML,
	FMT_COUNT
};
extern const char *const cmd_format_names[FMT_COUNT];

/* A command line, parsed. */
struct cmd_args {
	const char *cmd; /* the command's name */
	bool quiet, json, all, dry_run, force;
	unsigned int count; /* --count, default 1 */
	unsigned int times; /* --times, default 1 */
	unsigned int timeout_ms; /* default 2000 */
	unsigned int interval_ms; /* default 1000 */
	const char *write; /* -w FILE, or NULL */
	const char *output; /* -o FILE, or NULL */
	const char *packages; /* --packages P,..., or NULL */
	const char *from, *to; /* --from, --to: comma-separated node names, or NULL */
	const char *name, *netns_prefix; /* --name, --netns-prefix, or NULL */
	unsigned long packets; /* -c N, or 0 */
	unsigned int jobs; /* --jobs N, or 0 */
	const char *report; /* --report DIR, or NULL */
	int family; /* 0, AF_INET or AF_INET6 */
	enum cmd_format format;
	int argc; /* the operands, in order */
	char **argv;
};

struct cmd {
	const char *name;
	int (*fn)(const struct cmd_args *a);
	unsigned int flags; /* CMD_* */
	unsigned int options; /* OPT_* it takes */
	const char *usage, *help;
	/* what --help says of its options' defaults not said there, or NULL */
	const char *defaults;
};
enum {
	CMD_NEEDS_ROOT = 1,
	CMD_OPERANDS_END_OPTIONS = 2, /* options stop at the first operand (exec: the node's
					 command) */
};

/* Parses argv (argv[0]: the command's name) for command c into *a. Returns EXIT_OK, EXIT_USAGE
 * after saying why, or -1 when --help was asked for (and printed). */
_must_check_ int cmd_parse(const struct cmd *c, int argc, char **argv, struct cmd_args *a);

_must_check_ int cmd_validate(const struct cmd_args *a);
_must_check_ int cmd_show(const struct cmd_args *a);
_must_check_ int cmd_up(const struct cmd_args *a);
_must_check_ int cmd_down(const struct cmd_args *a);
_must_check_ int cmd_status(const struct cmd_args *a);
_must_check_ int cmd_list(const struct cmd_args *a);
_must_check_ int cmd_exec(const struct cmd_args *a);
_must_check_ int cmd_shell(const struct cmd_args *a);
_must_check_ int cmd_logs(const struct cmd_args *a);
_must_check_ int cmd_image(const struct cmd_args *a);
_must_check_ int cmd_set(const struct cmd_args *a);
_must_check_ int cmd_apply(const struct cmd_args *a);
_must_check_ int cmd_link(const struct cmd_args *a);
_must_check_ int cmd_graph(const struct cmd_args *a);
_must_check_ int cmd_capture(const struct cmd_args *a);
_must_check_ int cmd_ping(const struct cmd_args *a);
_must_check_ int cmd_test(const struct cmd_args *a);
_must_check_ int cmd_generate(const struct cmd_args *a);
_must_check_ int cmd_import(const struct cmd_args *a);
_must_check_ int cmd_grade(const struct cmd_args *a);
_must_check_ int cmd_save(const struct cmd_args *a);

/* Prints "netlab: CMD: MESSAGE" and a hint to CMD --help on stderr; returns EXIT_USAGE. */
_must_check_ int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints "netlab: MESSAGE: strerror(-err)" on stderr; returns EXIT_FAIL. */
_must_check_ int cmd_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with why (util_log_errno_why). */
_must_check_ int cmd_fail_why(int err, const char *why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Loads and checks FILE, printing every problem on stderr. Returns EXIT_OK with *out set, or
 * EXIT_USAGE (invalid topology) / EXIT_FAIL (unreadable file). */
_must_check_ int cmd_load_topology(const char *file, struct topo **out);
/* The same, named as --name and --netns-prefix say (when given). */
_must_check_ int cmd_load_topology_as(const char *file, const struct cmd_args *a,
				      struct topo **out);
/* Prints the problems found in file, then how many ("N problems found", and how many shown). */
void cmd_print_problems(const char *file, const struct topo_diag *d);
/* Whether a LAB|FILE argument names a file: it has a '/' or ends in ".ini". Any other word is a lab
 * name, even when a file of that name is in the current directory (a file someone planted there
 * must never stand for a lab). */
bool cmd_arg_is_file(const char *arg);
/* After "lab ARG is not up": says so when ARG is also a file here (./ARG names it). */
void cmd_hint_file(const char *arg);
/* Resolves a LAB|FILE argument to a lab name: a file is loaded for its [lab] name; anything else
 * must be a valid lab name. Returns an exit status. */
_must_check_ int cmd_lab_name(const char *cmd, const char *arg, char **lab);
/* Resolves an optional LAB|FILE argument; with none, the only lab that is up. Returns an exit
 * status. */
_must_check_ int cmd_resolve_lab(const char *cmd, const char *arg, char **lab);
/* Opens the running lab name (flags as state_open), printing why not. Returns an exit status. */
_must_check_ int cmd_open_lab(const char *cmd, const char *name, unsigned int flags,
			      struct lab **out);
/* The exit status of lab_change's result r (a word the model refused, in why: a usage error;
 * cleared). */
_must_check_ int cmd_change_status(const char *cmd, int r, struct topo_diag *why);

#endif
