/* cmd_test.c: `netlab test LAB|FILE [--format tap|junit|json]`: checks the [test] assertions of a
 * lab. For a FILE whose lab is not up, brings it up, checks, and takes it down again. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "apply.h"
#include "commands.h"
#include "lab.h"
#include "labtest.h"
#include "out.h"
#include "util.h"

enum format { FMT_TAP, FMT_JUNIT, FMT_JSON };

static void xml_quote(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", stdout); break;
		case '>': fputs("&gt;", stdout); break;
		case '&': fputs("&amp;", stdout); break;
		case '"': fputs("&quot;", stdout); break;
		case '\n': fputs("&#10;", stdout); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fputc(*s, stdout);
		}
	}
}

static void report(const char *lab, const struct labtest_result *v, size_t n, enum format fmt)
{
	size_t failed = 0;

	for (size_t i = 0; i < n; i++)
		failed += !v[i].ok;
	if (fmt == FMT_TAP) {
		printf("1..%zu\n", n);
		for (size_t i = 0; i < n; i++) {
			printf("%sok %zu - [%s] %s\n", v[i].ok ? "" : "not ", i + 1, v[i].test->name, v[i].a->text);
			if (v[i].detail) {
				_cleanup_free_ char *d = util_xstrdup(v[i].detail);
				char *save;

				for (char *line = strtok_r(d, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
					printf("# %s\n", line);
			}
		}
		printf("# lab %s: %zu passed, %zu failed\n", lab, n - failed, failed);
	} else if (fmt == FMT_JUNIT) {
		printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"");
		xml_quote(lab);
		printf("\" tests=\"%zu\" failures=\"%zu\">\n", n, failed);
		for (size_t i = 0; i < n;) {
			const struct topo_test *tt = v[i].test;
			size_t end = i, f = 0;

			while (end < n && v[end].test == tt)
				f += !v[end++].ok;
			printf("  <testsuite name=\"");
			xml_quote(tt->name);
			printf("\" tests=\"%zu\" failures=\"%zu\">\n", end - i, f);
			for (; i < end; i++) {
				printf("    <testcase classname=\"");
				xml_quote(lab);
				printf(".");
				xml_quote(tt->name);
				printf("\" name=\"");
				xml_quote(v[i].a->text);
				if (v[i].ok) {
					printf("\"/>\n");
					continue;
				}
				printf("\">\n      <failure message=\"");
				xml_quote(v[i].detail ? v[i].detail : "assertion failed");
				printf("\"/>\n    </testcase>\n");
			}
			printf("  </testsuite>\n");
		}
		printf("</testsuites>\n");
	} else {
		struct out_json j = { .f = stdout };

		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "lab", lab);
		out_json_int(&j, "passed", (long long)(n - failed));
		out_json_int(&j, "failed", (long long)failed);
		out_json_begin(&j, "results", '[');
		for (size_t i = 0; i < n; i++) {
			out_json_begin(&j, NULL, '{');
			out_json_str(&j, "test", v[i].test->name);
			out_json_str(&j, "assertion", v[i].a->text);
			out_json_bool(&j, "ok", v[i].ok);
			out_json_str(&j, "detail", v[i].detail);
			out_json_end(&j, '}');
		}
		out_json_end(&j, ']');
		out_json_end(&j, '}');
	}
}

static int run_tests(const char *name, enum format fmt)
{
	_cleanup_lab_ struct lab *l = NULL;
	struct labtest_result *v = NULL;
	size_t n = 0, failed = 0;
	int r;

	if ((r = cmd_open_lab("test", name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	if (!l->journal.complete) {
		util_log("test: lab %s is not completely up: run 'netlab down %s'", name, name);
		return EXIT_FAIL;
	}
	if (l->topo->n_tests == 0) {
		util_log("test: lab %s has no [test] section", name);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < l->topo->n_nodes; i++)
		if (l->ns_status[i] != LAB_NS_OK) {
			util_log("test: the namespace of node %s is %s: run netlab status %s", l->topo->nodes[i].name, lab_ns_status_str(l->ns_status[i]), name);
			return EXIT_FAIL;
		}
	if ((r = labtest_run(l->topo, l->st->dir, &v, &n)) < 0)
		return log_errno(r, "test: cannot check lab %s", name), EXIT_FAIL;
	report(name, v, n, fmt);
	for (size_t i = 0; i < n; i++)
		failed += !v[i].ok;
	labtest_free(v, n);
	return failed ? EXIT_FAIL : EXIT_OK;
}

int cmd_test(int argc, char **argv)
{
	_cleanup_free_ char *name = NULL;
	enum format fmt = FMT_TAP;
	const char *arg = NULL;
	struct stat sb;
	int r;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "tap"))
				fmt = FMT_TAP;
			else if (!strcmp(argv[i], "junit"))
				fmt = FMT_JUNIT;
			else if (!strcmp(argv[i], "json"))
				fmt = FMT_JSON;
			else
				return cmd_usage_error("test", "--format: '%s' is not tap, junit or json", argv[i]);
		} else if (argv[i][0] == '-' || arg) {
			return cmd_usage_error("test", "unexpected argument '%s'", argv[i]);
		} else {
			arg = argv[i];
		}
	}
	if (!arg)
		return cmd_usage_error("test", "usage: netlab test LAB|FILE [--format tap|junit|json]");
	if (strchr(arg, '/') || (stat(arg, &sb) == 0 && S_ISREG(sb.st_mode))) {
		_cleanup_topo_ struct topo *t = NULL;
		_cleanup_state_ struct state *st = NULL;
		int status;

		if ((r = cmd_load_topology(arg, &t)) != EXIT_OK)
			return r;
		if (t->n_tests == 0) {
			util_log("test: %s has no [test] section", arg);
			return EXIT_USAGE;
		}
		if (state_open(t->name, STATE_NOLOCK, &st) == 0) { /* already up: from this very file? */
			_cleanup_free_ char *mine = NULL, *theirs = NULL, *path = state_path(st, STATE_TOPOLOGY);

			if (util_read_file(arg, &mine, NULL) < 0 || util_read_file(path, &theirs, NULL) < 0 || strcmp(mine, theirs) != 0) {
				util_log("test: lab %s is up from another version of %s: run 'netlab down %s' first, or 'netlab test %s'", t->name, arg,
					 t->name, t->name);
				return EXIT_FAIL;
			}
			return run_tests(t->name, fmt);
		}
		/* not up: bring it up for the tests, and take it down after */
		if ((r = cmd_bring_up(arg, t, stderr)) != EXIT_OK)
			return r;
		status = run_tests(t->name, fmt);
		if (state_open(t->name, 0, &st) == 0 && apply_down(st, true) < 0 && status == EXIT_OK)
			status = EXIT_FAIL;
		return status;
	}
	if ((r = cmd_lab_name("test", arg, &name)) != EXIT_OK)
		return r;
	return run_tests(name, fmt);
}
