/* common.c: what several commands share: the option parser (getopt_long, one table of options),
 * usage errors and failures, loading a topology, and naming a running lab. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "commands.h"
#include "util.h"

enum { OPTV_JSON = 256, OPTV_ALL, OPTV_COUNT, OPTV_TIMEOUT, OPTV_FORMAT, OPTV_INTERVAL, OPTV_DRY_RUN, OPTV_FROM, OPTV_TO, OPTV_NAME, OPTV_PREFIX };

static const struct option long_opts[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "json", no_argument, NULL, OPTV_JSON },
	{ "all", no_argument, NULL, OPTV_ALL },
	{ "count", required_argument, NULL, OPTV_COUNT },
	{ "timeout", required_argument, NULL, OPTV_TIMEOUT },
	{ "format", required_argument, NULL, OPTV_FORMAT },
	{ "interval", required_argument, NULL, OPTV_INTERVAL },
	{ "dry-run", no_argument, NULL, OPTV_DRY_RUN },
	{ "from", required_argument, NULL, OPTV_FROM },
	{ "to", required_argument, NULL, OPTV_TO },
	{ "name", required_argument, NULL, OPTV_NAME },
	{ "netns-prefix", required_argument, NULL, OPTV_PREFIX },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* What each option's getopt value is, and its line in a command's --help. */
static const struct {
	int val;
	unsigned int opt;
	const char *help;
} opt_info[] = {
	{ 'q', OPT_QUIET, "-q, --quiet        print nothing for a good file" },
	{ OPTV_JSON, OPT_JSON, "--json             print JSON" },
	{ OPTV_ALL, OPT_ALL, "--all              every lab that is up" },
	{ OPTV_COUNT, OPT_COUNT, "--count N          how many, 1 to 100 (default 1): echo requests per pair; flaps" },
	{ OPTV_TIMEOUT, OPT_TIMEOUT, "--timeout SECONDS  how long to wait for replies (default 2)" },
	{ '4', OPT_FAMILY, "-4, -6             IPv4 or IPv6 addresses only" },
	{ '6', OPT_FAMILY, NULL },
	{ OPTV_FORMAT, OPT_FORMAT, "--format FORMAT    test: tap (default), junit, json; graph: dot (default), svg, mermaid, html" },
	{ 'w', OPT_WRITE, "-w FILE            write the packets to FILE (default: stdout, which must not be a terminal)" },
	{ 'c', OPT_PACKETS, "-c N               stop after N packets" },
	{ OPTV_INTERVAL, OPT_INTERVAL, "--interval SECONDS time down, then up, in each flap (default 1)" },
	{ OPTV_DRY_RUN, OPT_DRY_RUN, "--dry-run          print what would change, change nothing" },
	{ OPTV_FROM, OPT_NODES, "--from NODE,...    probe only from these nodes" },
	{ OPTV_TO, OPT_NODES, "--to NODE,...      probe only the addresses of these nodes" },
	{ OPTV_NAME, OPT_NAMING, "--name LAB         the lab's name (default: KIND and its numbers, tree2-3)" },
	{ OPTV_PREFIX, OPT_NAMING, "--netns-prefix P   the namespaces' prefix (default: LAB-; may be empty)" },
	{ 'o', OPT_OUTPUT, "-o FILE            write the topology to FILE (default: DIR/netlab.ini), its scripts into FILE's name + .d/" },
};

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "netlab: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'netlab %s --help'.\n", cmd);
	return EXIT_USAGE;
}

int cmd_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vlog_errno(err, fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

static void print_help(const struct cmd *c)
{
	printf("usage: netlab %s\n%s\n", c->usage, c->help);
	if (c->options)
		printf("\nOptions:\n");
	for (size_t i = 0; i < ARRAY_SIZE(opt_info); i++)
		if ((c->options & opt_info[i].opt) && opt_info[i].help)
			printf("  %s\n", opt_info[i].help);
	printf("  -h, --help         this help\n");
}

const char *const cmd_format_names[FMT_COUNT] = {
	[FMT_TAP] = "tap", [FMT_JUNIT] = "junit", [FMT_JSON] = "json", [FMT_DOT] = "dot", [FMT_SVG] = "svg", [FMT_MERMAID] = "mermaid", [FMT_HTML] = "html",
};

/* Plain decimal seconds ("2", "0.5"): no sign, exponent, nan or inf; from 1 ms to 3600 s. */
static int parse_seconds(const char *s, unsigned int *ms)
{
	_cleanup_free_ char *with_unit = util_xasprintf("%ss", s);

	if (topo_parse_duration(with_unit, 3600 * 1000, ms) < 0 || *ms == 0)
		return -EINVAL;
	return 0;
}

/* Stores the value of one option (opt_info's val); returns EXIT_OK or a usage error. */
static int set_option(struct cmd_args *a, int val, const char *arg)
{
	unsigned long count;

	switch (val) {
	case 'q': a->quiet = true; break;
	case OPTV_JSON: a->json = true; break;
	case OPTV_ALL: a->all = true; break;
	case OPTV_DRY_RUN: a->dry_run = true; break;
	case '4': a->family = AF_INET; break;
	case '6': a->family = AF_INET6; break;
	case OPTV_COUNT:
		if (topo_parse_uint(arg, 1, 100, &count) < 0)
			return cmd_usage_error(a->cmd, "--count: '%s' is not a number from 1 to 100", arg);
		a->count = (unsigned int)count;
		break;
	case OPTV_TIMEOUT:
		if (parse_seconds(arg, &a->timeout_ms) < 0)
			return cmd_usage_error(a->cmd, "--timeout: '%s' is not a number of seconds", arg);
		break;
	case 'w': a->write = arg; break;
	case OPTV_FROM: a->from = arg; break;
	case OPTV_TO: a->to = arg; break;
	case OPTV_NAME: a->name = arg; break;
	case 'o': a->output = arg; break;
	case OPTV_PREFIX: a->netns_prefix = arg; break;
	case 'c':
		if (topo_parse_uint(arg, 1, 1000000000, &count) < 0)
			return cmd_usage_error(a->cmd, "-c: '%s' is not a number of packets from 1 to 1000000000", arg);
		a->packets = count;
		break;
	case OPTV_INTERVAL:
		if (parse_seconds(arg, &a->interval_ms) < 0)
			return cmd_usage_error(a->cmd, "--interval: '%s' is not a number of seconds", arg);
		break;
	case OPTV_FORMAT:
		for (size_t f = 0; f < ARRAY_SIZE(cmd_format_names); f++)
			if (cmd_format_names[f] && strcmp(arg, cmd_format_names[f]) == 0)
				a->format = (enum cmd_format)f;
		if (a->format == FMT_DEFAULT)
			return cmd_usage_error(a->cmd, "--format: '%s' is not tap, junit, json, dot, svg, mermaid or html", arg);
		break;
	}
	return EXIT_OK;
}

int cmd_parse(const struct cmd *c, int argc, char **argv, struct cmd_args *a)
{
	const char *shortopts = (c->flags & CMD_OPERANDS_END_OPTIONS) ? "+:qh46w:c:o:" : ":qh46w:c:o:";
	int val, idx = -1;

	*a = (struct cmd_args){ .cmd = c->name, .count = 1, .timeout_ms = 2000, .interval_ms = 1000 };
	opterr = 0;
	optind = 1;
	while ((val = getopt_long(argc, argv, shortopts, long_opts, &idx)) != -1) {
		_cleanup_free_ char *word = idx >= 0 ? util_xasprintf("--%s", long_opts[idx].name) : util_xstrdup(argv[optind - 1]);
		unsigned int opt = 0;
		int r;

		idx = -1;
		if (val == 'h') {
			print_help(c);
			return -1;
		}
		if (val == ':')
			return cmd_usage_error(c->name, "option '%s' needs a value", word);
		for (size_t i = 0; i < ARRAY_SIZE(opt_info); i++)
			if (opt_info[i].val == val)
				opt = opt_info[i].opt;
		if (val == '?' || !(c->options & opt)) {
			if (val == '?' && optopt && strncmp(word, "--", 2) != 0)
				return cmd_usage_error(c->name, "unknown option '-%c'", optopt);
			return cmd_usage_error(c->name, "unknown option '%s'", word);
		}
		if ((r = set_option(a, val, optarg)) != EXIT_OK)
			return r;
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	return EXIT_OK;
}

int cmd_load_topology(const char *file, struct topo **out)
{
	_cleanup_topo_ struct topo *t = NULL;
	int r = topo_load(file, &t);

	if (r < 0) { /* an input that is not there or not a file: invalid input, named like the others */
		fprintf(stderr, "%s: cannot read it: %s\n", file, util_read_strerror(r));
		return EXIT_USAGE;
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

bool cmd_arg_is_file(const char *arg)
{
	size_t n = strlen(arg);

	return strchr(arg, '/') || (n > 4 && strcmp(arg + n - 4, ".ini") == 0);
}

void cmd_hint_file(const char *arg)
{
	struct stat st;

	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode))
		util_log("(a file '%s' is here: LAB|FILE is a file only with a '/' or a .ini suffix; write ./%s to use it)", arg, arg);
}

int cmd_lab_name(const char *cmd, const char *arg, char **lab)
{
	if (cmd_arg_is_file(arg)) {
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

int cmd_resolve_lab(const char *cmd, const char *arg, char **lab)
{
	int r;

	if (arg)
		return cmd_lab_name(cmd, arg, lab);
	r = lab_only(lab);
	if (r < 0)
		return cmd_fail(r, "cannot list %s", NETLAB_RUN_DIR);
	if (r == 0) {
		util_log("%s: no lab is up", cmd);
		return EXIT_USAGE;
	}
	if (r > 1) {
		util_log("%s: more than one lab is up: name one (see 'netlab list')", cmd);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_open_lab(const char *cmd, const char *name, unsigned int flags, struct lab **out)
{
	enum lab_found found;
	int r = lab_open(name, flags, &found, out);

	if (r < 0)
		return cmd_fail(r, "%s: cannot open the state of lab %s", cmd, name);
	switch (found) {
	case LAB_FOUND:
		return EXIT_OK;
	case LAB_NOT_UP:
		util_log("%s: lab %s is not up", cmd, name);
		cmd_hint_file(name);
		return EXIT_USAGE;
	case LAB_HALF_MADE:
		util_log("%s: lab %s was left half made by an up stopped as it began: run 'netlab down %s'", cmd, name, name);
		return EXIT_FAIL;
	case LAB_DAMAGED:
		util_log("%s: the state of lab %s is damaged or incomplete: run 'netlab down %s'", cmd, name, name);
		return EXIT_FAIL;
	}
	return EXIT_FAIL;
}

int cmd_check_nodes(const char *cmd, const struct lab *l)
{
	for (size_t i = 0; i < l->topo->n_nodes; i++)
		if (l->ns_status[i] != LAB_NS_OK) {
			util_log("%s: the namespace of node %s is %s: run netlab status %s", cmd, l->topo->nodes[i].name,
				 lab_ns_status_str(l->ns_status[i]), l->topo->name);
			return EXIT_FAIL;
		}
	return EXIT_OK;
}
