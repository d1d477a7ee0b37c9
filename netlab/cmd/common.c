/* common.c: what several commands share: the option parser (getopt_long, one table of options),
 * usage errors and failures, loading a topology, and naming a running lab. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "commands.h"
#include "topo_ini.h"
#include "util.h"

/* Every option, declared once: its names, whether it takes a value, its OPT_* bit (one option
 * each: set_option stores it by that bit) and its line in a command's --help. getopt_long's
 * tables are made from it. A command's own defaults are in its cmd.defaults. */
static const struct opt_def {
	const char *name; /* --NAME, or NULL */
	char letter; /* -L, or 0 */
	bool value; /* takes a value */
	unsigned int opt;
	const char *help; /* NULL: on the line of the option before */
} opt_defs[] = {
	{ "quiet", 'q', false, OPT_QUIET, "-q, --quiet        print nothing for a good file" },
	{ "json", 0, false, OPT_JSON, "--json             print JSON" },
	{ "all", 0, false, OPT_ALL, "--all              every lab that is up" },
	{ "count", 0, true, OPT_COUNT,
	  "--count N          echo requests per pair, 1 to 100 (default 1)" },
	{ "timeout", 0, true, OPT_TIMEOUT,
	  "--timeout SECONDS  how long to wait for replies (default 2)" },
	{ NULL, '4', false, OPT_IPV4, "-4, -6             IPv4 or IPv6 addresses only" },
	{ NULL, '6', false, OPT_IPV6, NULL },
	{ "format", 0, true, OPT_FORMAT,
	  "--format FORMAT    test: tap (default), junit, json; graph: dot (default), svg, mermaid, html" },
	{ NULL, 'w', true, OPT_WRITE,
	  "-w FILE            write the packets to FILE (default: stdout, which must not be a terminal)" },
	{ NULL, 'c', true, OPT_PACKETS, "-c N               stop after N packets" },
	{ "times", 0, true, OPT_TIMES, "--times N          how many flaps, 1 to 100 (default 1)" },
	{ "interval", 0, true, OPT_INTERVAL,
	  "--interval SECONDS time down, then up, in each flap (default 1)" },
	{ "dry-run", 0, false, OPT_DRY_RUN,
	  "--dry-run          print what would change, change nothing" },
	{ "from", 0, true, OPT_FROM, "--from NODE,...    probe only from these nodes" },
	{ "to", 0, true, OPT_TO, "--to NODE,...      probe only the addresses of these nodes" },
	{ "name", 0, true, OPT_NAME, "--name LAB         the lab's name" },
	{ "netns-prefix", 0, true, OPT_PREFIX,
	  "--netns-prefix P   the namespaces' prefix (may be empty)" },
	{ NULL, 'o', true, OPT_OUTPUT,
	  "-o PATH            where to write: import: the topology FILE (default: DIR/netlab.ini), its scripts into FILE's name + .d/; save: the DIR" },
	{ "packages", 0, true, OPT_PACKAGES,
	  "--packages P,...   the image's Debian packages (default: the recipe of its name: base, frr)" },
	{ "jobs", 'j', true, OPT_JOBS, "-j, --jobs N       how many labs at once, 1 to 1000" },
	{ "report", 0, true, OPT_REPORT,
	  "--report DIR       write report.csv, report.html and junit.xml into DIR" },
	{ "force", 0, false, OPT_FORCE,
	  "--force            replace what an earlier run wrote there" },
	{ "help", 'h', false, 0, "-h, --help         this help" },
};

/* getopt_long's value for opt_defs[i]: its letter, else 256 + i. */
static int opt_val(size_t i)
{
	return opt_defs[i].letter ? opt_defs[i].letter : 256 + (int)i;
}

/* The option getopt_long returned val for, or NULL. */
static const struct opt_def *opt_find(int val)
{
	for (size_t i = 0; i < ARRAY_SIZE(opt_defs); i++)
		if (opt_val(i) == val)
			return &opt_defs[i];
	return NULL;
}

/* The option as the user wrote it ("-c", "--count", "--bogus"), for messages. */
static char *opt_word(int val, char *arg_word)
{
	const struct opt_def *d = opt_find(val == '?' || val == ':' ? optopt : val);

	if (d && d->letter && !(arg_word[0] == '-' && arg_word[1] == '-'))
		return util_xasprintf("-%c", d->letter);
	if (d && d->name)
		return util_xasprintf("--%s", d->name);
	if (val == '?' && optopt)
		return util_xasprintf("-%c", optopt);
	return util_xasprintf("%.*s", (int)strcspn(arg_word, "="), arg_word);
}

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
	util_vlog_errno_why(err, NULL, fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

int cmd_fail_why(int err, const char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vlog_errno_why(err, why, fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

static void print_help(const struct cmd *c)
{
	printf("usage: netlab %s\n%s\n\nOptions:\n", c->usage, c->help);
	for (size_t i = 0; i < ARRAY_SIZE(opt_defs); i++)
		if ((!opt_defs[i].opt || (c->options & opt_defs[i].opt)) && opt_defs[i].help)
			printf("  %s\n", opt_defs[i].help);
	if (c->defaults)
		printf("\nDefaults: %s\n", c->defaults);
}

const char *const cmd_format_names[FMT_COUNT] = {
	[FMT_TAP] = "tap", [FMT_JUNIT] = "junit",     [FMT_JSON] = "json", [FMT_DOT] = "dot",
	[FMT_SVG] = "svg", [FMT_MERMAID] = "mermaid", [FMT_HTML] = "html",
};

/* Plain decimal seconds ("2", "0.5"): no sign, exponent, nan or inf; from 1 ms to 3600 s. */
static int parse_seconds(const char *s, unsigned int *ms)
{
	_cleanup_free_ char *with_unit = util_xasprintf("%ss", s);

	if (topo_parse_duration(with_unit, 3600 * 1000, ms) < 0 || *ms == 0)
		return -EINVAL;
	return 0;
}

/* A number from 1 to max for option word; returns EXIT_OK or a usage error. */
static int parse_count(const struct cmd_args *a, const char *word, const char *arg,
		       unsigned long max, unsigned long *v)
{
	if (topo_parse_uint(arg, 1, max, v) < 0)
		return cmd_usage_error(a->cmd, "%s: '%s' is not a number from 1 to %lu", word, arg,
				       max);
	return EXIT_OK;
}

/* Stores the value of option opt (its OPT_* bit), given as word; returns EXIT_OK or a usage error.
 */
static int set_option(struct cmd_args *a, unsigned int opt, const char *word, const char *arg)
{
	unsigned long n;
	int r = EXIT_OK;

	switch (opt) {
	case OPT_QUIET:
		a->quiet = true;
		break;
	case OPT_JSON:
		a->json = true;
		break;
	case OPT_ALL:
		a->all = true;
		break;
	case OPT_DRY_RUN:
		a->dry_run = true;
		break;
	case OPT_FORCE:
		a->force = true;
		break;
	case OPT_IPV4:
		a->family = AF_INET;
		break;
	case OPT_IPV6:
		a->family = AF_INET6;
		break;
	case OPT_COUNT:
		if ((r = parse_count(a, word, arg, 100, &n)) == EXIT_OK)
			a->count = (unsigned int)n;
		break;
	case OPT_TIMES:
		if ((r = parse_count(a, word, arg, 100, &n)) == EXIT_OK)
			a->times = (unsigned int)n;
		break;
	case OPT_PACKETS:
		if ((r = parse_count(a, word, arg, 1000000000, &n)) == EXIT_OK)
			a->packets = n;
		break;
	case OPT_JOBS:
		if ((r = parse_count(a, word, arg, 1000, &n)) == EXIT_OK)
			a->jobs = (unsigned int)n;
		break;
	case OPT_REPORT:
		a->report = arg;
		break;
	case OPT_TIMEOUT:
	case OPT_INTERVAL:
		if (parse_seconds(arg, opt == OPT_TIMEOUT ? &a->timeout_ms : &a->interval_ms) < 0)
			return cmd_usage_error(a->cmd, "%s: '%s' is not a number of seconds", word,
					       arg);
		break;
	case OPT_WRITE:
		a->write = arg;
		break;
	case OPT_OUTPUT:
		a->output = arg;
		break;
	case OPT_PACKAGES:
		if (!*arg ||
		    strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789+-.:,") != strlen(arg))
			return cmd_usage_error(a->cmd,
					       "%s: '%s' is not a list of Debian packages (a,b,c)",
					       word, arg);
		a->packages = arg;
		break;
	case OPT_FROM:
		a->from = arg;
		break;
	case OPT_TO:
		a->to = arg;
		break;
	case OPT_NAME:
		if (!topo_lab_name_valid(arg, TOPO_NAME_MAX))
			return cmd_usage_error(
				a->cmd,
				"%s: '%s' is not a lab name (1-64 of A-Z a-z 0-9 - _ ., starting with a letter or digit)",
				word, arg);
		a->name = arg;
		break;
	case OPT_PREFIX:
		if (*arg && !topo_lab_name_valid(arg, TOPO_NAME_MAX))
			return cmd_usage_error(
				a->cmd,
				"%s: '%s' is not a namespace prefix (the alphabet of lab names)",
				word, arg);
		a->netns_prefix = arg;
		break;
	case OPT_FORMAT:
		for (size_t f = 0; f < ARRAY_SIZE(cmd_format_names); f++)
			if (cmd_format_names[f] && strcmp(arg, cmd_format_names[f]) == 0)
				a->format = (enum cmd_format)f;
		if (a->format == FMT_DEFAULT)
			return cmd_usage_error(
				a->cmd,
				"--format: '%s' is not tap, junit, json, dot, svg, mermaid or html",
				arg);
		break;
	}
	return r;
}

int cmd_parse(const struct cmd *c, int argc, char **argv, struct cmd_args *a)
{
	struct option longopts[ARRAY_SIZE(opt_defs) + 1] = { 0 };
	char shortopts[2 * ARRAY_SIZE(opt_defs) + 3] = "", *p = shortopts;
	size_t n_long = 0;
	int val;

	*p++ = (c->flags & CMD_OPERANDS_END_OPTIONS) ? '+' : ':';
	if (c->flags & CMD_OPERANDS_END_OPTIONS)
		*p++ = ':';
	for (size_t i = 0; i < ARRAY_SIZE(opt_defs); i++) {
		if (opt_defs[i].name)
			longopts[n_long++] = (struct option){ opt_defs[i].name,
							      opt_defs[i].value ?
								      required_argument :
								      no_argument,
							      NULL, opt_val(i) };
		if (opt_defs[i].letter) {
			*p++ = opt_defs[i].letter;
			if (opt_defs[i].value)
				*p++ = ':';
		}
	}
	*a = (struct cmd_args){
		.cmd = c->name, .count = 1, .times = 1, .timeout_ms = 2000, .interval_ms = 1000
	};
	opterr = 0;
	optind = 1;
	while ((val = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		_cleanup_free_ char *word =
			opt_word(val, argv[optind - 1 < argc ? optind - 1 : argc - 1]);
		const struct opt_def *d = opt_find(val == ':' ? optopt : val);
		int r;

		if (val == 'h') {
			print_help(c);
			return -1;
		}
		if (val == '?' || !d || !(c->options & d->opt))
			return cmd_usage_error(c->name, "unknown option '%s'", word);
		if (val == ':')
			return cmd_usage_error(c->name, "option '%s' needs a value", word);
		if ((r = set_option(a, d->opt, word, optarg)) != EXIT_OK)
			return r;
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	return EXIT_OK;
}

void cmd_print_problems(const char *file, const struct topo_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->msgs[i]);
	if (d->more)
		fprintf(stderr, "netlab: %s: %zu problems found (the first %zu shown)\n", file,
			d->n + d->more, d->n);
	else
		fprintf(stderr, "netlab: %s: %zu problem%s found\n", file, d->n,
			d->n == 1 ? "" : "s");
}

int cmd_load_topology(const char *file, struct topo **out)
{
	return cmd_load_topology_as(file, NULL, out);
}

int cmd_load_topology_as(const char *file, const struct cmd_args *a, struct topo **out)
{
	_cleanup_topo_ struct topo *t = NULL;
	struct topo_naming naming = { a ? a->name : NULL, a ? a->netns_prefix : NULL };
	int r = topo_load_as(file, &naming, &t);

	if (r < 0) { /* an input that is not there or not a file: invalid input, named like the
			others */
		fprintf(stderr, "%s: cannot read it: %s\n", file, util_read_strerror(r));
		return EXIT_USAGE;
	}
	topo_check(t);
	if (t->diag.n > 0) {
		cmd_print_problems(file, &t->diag);
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
		util_log(
			"(a file '%s' is here: LAB|FILE is a file only with a '/' or a .ini suffix; write ./%s to use it)",
			arg, arg);
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
		util_log(
			"%s: lab %s was left half made by an up stopped as it began: run 'netlab down %s'",
			cmd, name, name);
		return EXIT_FAIL;
	case LAB_DAMAGED:
		util_log("%s: the state of lab %s is damaged or incomplete: run 'netlab down %s'",
			 cmd, name, name);
		return EXIT_FAIL;
	}
	return EXIT_FAIL;
}

int cmd_change_status(const char *cmd, int r, struct topo_diag *why)
{
	int status = EXIT_OK;

	if (r < 0)
		status = why->n ? EXIT_USAGE : EXIT_FAIL;

	for (size_t i = 0; i < why->n; i++)
		util_log("%s: %s", cmd, why->msgs[i]);
	topo_diag_clear(why);
	return status;
}
