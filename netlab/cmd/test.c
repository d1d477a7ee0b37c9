/* test.c: `netlab test LAB|FILE [--format tap|junit|json]`: checks the [test] assertions of a
 * lab. For a FILE whose lab is not up, brings it up, checks, and takes it down again. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "down.h"
#include "labtest.h"
#include "out.h"
#include "up.h"
#include "util.h"

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

static void report_tap(const char *lab, const struct labtest_result *v, size_t n, size_t failed)
{
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
}

static void report_junit(const char *lab, const struct labtest_result *v, size_t n, size_t failed)
{
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
}

static void report_json(const char *lab, const struct labtest_result *v, size_t n, size_t failed)
{
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

static int run_tests(const char *name, enum cmd_format fmt)
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
	if ((r = cmd_check_nodes("test", l)) != EXIT_OK)
		return r;
	if ((r = labtest_run(l->topo, l->st->dir, &v, &n)) < 0)
		return cmd_fail(r, "test: cannot check lab %s", name);
	for (size_t i = 0; i < n; i++)
		failed += !v[i].ok;
	(fmt == FMT_TAP ? report_tap : fmt == FMT_JUNIT ? report_junit : report_json)(name, v, n, failed);
	labtest_free(v, n);
	return failed ? EXIT_FAIL : EXIT_OK;
}

/* netlab test FILE: on the lab of FILE when it is up from this very file; else brings it up for
 * the tests and takes it down after. */
static int test_file(const char *file, enum cmd_format fmt)
{
	_cleanup_topo_ struct topo *t = NULL;
	_cleanup_state_ struct state *st = NULL;
	int r, status;

	if ((r = cmd_load_topology(file, &t)) != EXIT_OK)
		return r;
	if (t->n_tests == 0) {
		util_log("test: %s has no [test] section", file);
		return EXIT_USAGE;
	}
	if (state_open(t->name, STATE_NOLOCK, &st) == 0) { /* already up: from this very file? */
		_cleanup_free_ char *mine = NULL;

		if (util_read_file(file, &mine, NULL) < 0 || lab_same_topology(st, mine) != 1) {
			util_log("test: lab %s is up from another version of %s: run 'netlab down %s' first, or 'netlab test %s'", t->name, file,
				 t->name, t->name);
			return EXIT_FAIL;
		}
		return run_tests(t->name, fmt);
	}
	if (up_file(file, t, stderr) < 0)
		return EXIT_FAIL;
	status = run_tests(t->name, fmt);
	if (state_open(t->name, 0, &st) == 0 && down_lab(st, true) < 0 && status == EXIT_OK)
		status = EXIT_FAIL;
	return status;
}

int cmd_test(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL;
	int r;

	if (a->argc != 1)
		return a->argc ? cmd_usage_error("test", "unexpected argument '%s'", a->argv[1])
			       : cmd_usage_error("test", "usage: netlab test LAB|FILE [--format tap|junit|json]");
	if (cmd_arg_is_file(a->argv[0]))
		return test_file(a->argv[0], a->format);
	if ((r = cmd_lab_name("test", a->argv[0], &name)) != EXIT_OK)
		return r;
	return run_tests(name, a->format);
}
