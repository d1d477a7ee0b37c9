/* test.c: `netlab test LAB|FILE [--format tap|junit|json]`: checks the [test] assertions of a
 * lab. For a FILE whose lab is not up, brings it up, checks, and takes it down again. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "commands.h"
#include "lab_down.h"
#include "labtest.h"
#include "out.h"
#include "strbuf.h"
#include "lab_up.h"
#include "topo_ini.h"
#include "util.h"

static void xml_quote(const char *s)
{
	out_xml_quote(stdout, s, true);
}

/* The lines of a result's details: what was expected, what was seen. */
static void each_detail_line(const struct labtest_result *r,
			     void (*fn)(const char *prefix, const char *line, void *ctx), void *ctx)
{
	const char *parts[2] = { r->expected, r->detail };
	const char *names[2] = { "expected: ", "seen: " };

	for (int p = 0; p < 2; p++) {
		_cleanup_free_ char *d = parts[p] ? util_xstrdup(parts[p]) : NULL;
		char *save;
		bool first = true;

		for (char *line = d ? strtok_r(d, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save), first = false)
			fn(first ? (r->expected || r->ok ? names[p] : "") : "  ", line, ctx);
	}
}

static void tap_line(const char *prefix, const char *line, void *ctx)
{
	(void)ctx;
	printf("# %s%s\n", prefix, line);
}

static void report_tap(const char *lab, const struct labtest_report *rep, size_t failed)
{
	printf("1..%zu\n", rep->n);
	for (size_t i = 0; i < rep->n; i++) {
		const struct labtest_result *r = &rep->v[i];

		printf("%sok %zu - [%s] %s\n", r->ok ? "" : "not ", i + 1, r->test->name,
		       r->a->text);
		each_detail_line(r, tap_line, NULL);
	}
	for (size_t s = 0; s < rep->n_sec; s++) {
		const struct labtest_section *sec = &rep->sec[s];

		if (sec->rounds > 1)
			printf("# [%s] %s after %.1f s (%u rounds; within %.1f s)\n",
			       sec->test->name, sec->ok ? "held" : "still failed",
			       (double)sec->ms / 1000, sec->rounds, (double)sec->within_ms / 1000);
	}
	printf("# lab %s: %zu passed, %zu failed in %.1f s\n", lab, rep->n - failed, failed,
	       (double)rep->ms / 1000);
}

static void junit_line(const char *prefix, const char *line, void *ctx)
{
	struct strbuf *msg = ctx;

	strbuf_addf(msg, "%s%s%s", msg->len ? "\n" : "", prefix, line);
}

static void report_junit(const char *lab, const struct labtest_report *rep, size_t failed)
{
	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"");
	xml_quote(lab);
	printf("\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n", rep->n, failed,
	       (double)rep->ms / 1000);
	for (size_t i = 0, s = 0; i < rep->n; s++) {
		const struct labtest_section *sec = &rep->sec[s];
		size_t end = i, f = 0;

		while (end < rep->n && rep->v[end].test == sec->test)
			f += !rep->v[end++].ok;
		if (end == i)
			continue;
		printf("  <testsuite name=\"");
		xml_quote(sec->test->name);
		printf("\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n", end - i, f,
		       (double)sec->ms / 1000);
		for (; i < end; i++) {
			const struct labtest_result *r = &rep->v[i];
			struct strbuf msg = { 0 };

			printf("    <testcase classname=\"");
			xml_quote(lab);
			printf(".");
			xml_quote(sec->test->name);
			printf("\" name=\"");
			xml_quote(r->a->text);
			if (r->ok) {
				printf("\"/>\n");
				continue;
			}
			each_detail_line(r, junit_line, &msg);
			printf("\">\n      <failure message=\"");
			xml_quote(msg.len ? strbuf_str(&msg) : "assertion failed");
			printf("\"/>\n    </testcase>\n");
			strbuf_release(&msg);
		}
		printf("  </testsuite>\n");
	}
	printf("</testsuites>\n");
}

static void report_json(const char *lab, const struct labtest_report *rep, size_t failed)
{
	struct out_json j = { .f = stdout };

	out_json_begin(&j, NULL, '{');
	out_json_str(&j, "lab", lab);
	out_json_int(&j, "passed", (long long)(rep->n - failed));
	out_json_int(&j, "failed", (long long)failed);
	out_json_int(&j, "ms", (long long)rep->ms);
	out_json_begin(&j, "sections", '[');
	for (size_t s = 0; s < rep->n_sec; s++) {
		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "name", rep->sec[s].test->name);
		out_json_bool(&j, "ok", rep->sec[s].ok);
		out_json_int(&j, "rounds", rep->sec[s].rounds);
		out_json_int(&j, "ms", (long long)rep->sec[s].ms);
		out_json_int(&j, "within_ms", rep->sec[s].within_ms);
		out_json_end(&j, '}');
	}
	out_json_end(&j, ']');
	out_json_begin(&j, "results", '[');
	for (size_t i = 0; i < rep->n; i++) {
		const struct labtest_result *r = &rep->v[i];

		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "test", r->test->name);
		out_json_str(&j, "assertion", r->a->text);
		out_json_bool(&j, "ok", r->ok);
		out_json_bool(&j, "checked", !r->not_run);
		out_json_str(&j, "expected", r->expected);
		out_json_str(&j, "detail", r->detail);
		out_json_end(&j, '}');
	}
	out_json_end(&j, ']');
	out_json_end(&j, '}');
}

/* SIGINT, SIGTERM or SIGHUP: the checks stop (the command they run too), and a lab that test FILE
 * brought up is taken down. */
static volatile sig_atomic_t test_stop;

static void on_signal(int sig)
{
	test_stop = sig;
}

/* Checks the [test] sections of t (the running lab's own, or edited ones) against lab l. */
static int check_lab(const struct lab *l, const struct topo *t, enum cmd_format fmt)
{
	struct labtest_report rep;
	size_t failed = 0;
	int r;

	r = labtest_run(t, l->st->dir, &test_stop, &rep);
	if (r == -EINTR) {
		labtest_report_clear(&rep);
		util_log("test: interrupted by signal %d: lab %s was not checked whole",
			 (int)test_stop, t->name);
		return EXIT_FAIL;
	}
	if (r < 0)
		return cmd_fail(r, "test: cannot check lab %s", t->name);
	for (size_t i = 0; i < rep.n; i++)
		failed += !rep.v[i].ok;
	if (fmt == FMT_JUNIT)
		report_junit(t->name, &rep, failed);
	else if (fmt == FMT_JSON)
		report_json(t->name, &rep, failed);
	else
		report_tap(t->name, &rep, failed);
	labtest_report_clear(&rep);
	return failed ? EXIT_FAIL : EXIT_OK;
}

/* Opens running lab name for testing: completely up, every node's namespace its own. */
static int open_for_test(const char *name, struct lab **out)
{
	_cleanup_lab_ struct lab *l = NULL;
	int r;

	if ((r = cmd_open_lab("test", name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	if (!l->journal.complete) {
		util_log("test: lab %s is not completely up: run 'netlab down %s'", name, name);
		return EXIT_FAIL;
	}
	if (lab_check_nodes(l) < 0)
		return EXIT_FAIL;
	*out = steal_pointer(&l);
	return EXIT_OK;
}

static int run_tests(const char *name, enum cmd_format fmt)
{
	_cleanup_lab_ struct lab *l = NULL;
	int r;

	if ((r = open_for_test(name, &l)) != EXIT_OK)
		return r;
	if (l->topo->n_tests == 0) {
		util_log(
			"test: lab %s has no [test] section (a file of tests for it: netlab test %s TESTFILE)",
			name, name);
		return EXIT_USAGE;
	}
	return check_lab(l, l->topo, fmt);
}

/* netlab test FILE on a lab that is up from FILE, or from FILE with other [test] sections: checks
 * FILE's tests. 1 when the lab is up from another topology. */
static int test_running(const char *file, const struct topo *t, const struct state *st,
			enum cmd_format fmt)
{
	_cleanup_lab_ struct lab *l = NULL;
	int r;

	if ((r = lab_same_but_tests(st, t)) < 0)
		return cmd_fail(r, "test: cannot read the topology of lab %s", t->name);
	if (r == 0) {
		util_log(
			"test: lab %s is up from another version of %s (they differ beyond their [test] sections): run 'netlab down %s' first",
			t->name, file, t->name);
		return EXIT_FAIL;
	}
	if ((r = open_for_test(t->name, &l)) != EXIT_OK)
		return r;
	return check_lab(l, t, fmt); /* the same nodes in the same order: t's tests fit the lab */
}

/* The test hook NETLAB_TEST_PAUSE_MS=N: test FILE waits N ms between finding its lab not up and
 * bringing it up, so that a test can slip a concurrent `up` in there. */
static void test_pause(void)
{
	const char *env = util_test_hook("NETLAB_TEST_PAUSE_MS");
	unsigned long ms;

	if (env && topo_parse_uint(env, 0, 60000, &ms) == 0)
		nanosleep(&(struct timespec){ (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L },
			  NULL);
}

/* netlab test FILE: on the lab of FILE when it is up from this file (its [test] sections may have
 * been edited since); else brings it up for the tests and takes it down after. */
static int test_file(const char *file, const struct cmd_args *a, enum cmd_format fmt)
{
	_cleanup_topo_ struct topo *t = NULL;
	_cleanup_state_ struct state *st = NULL;
	int r, status;

	if ((r = cmd_load_topology_as(file, a, &t)) != EXIT_OK)
		return r;
	if (t->n_tests == 0) {
		util_log("test: %s has no [test] section", file);
		return EXIT_USAGE;
	}
	if (state_open(t->name, STATE_NOLOCK, &st) == 0)
		return test_running(file, t, st, fmt);
	test_pause();
	r = up_file(t, stderr); /* which catches the signals while it works, then lets them go */
	util_catch_stop_signals(on_signal);
	if (r < 0)
		return EXIT_FAIL;
	status = run_tests(t->name, fmt);
	if (r == 1) /* another `up` of this file came first: its lab, not ours to take down */
		return status;
	if (state_open(t->name, 0, &st) == 0 && down_lab(st, true) < 0 && status == EXIT_OK)
		status = EXIT_FAIL;
	return status;
}

/* netlab test LAB TESTFILE: TESTFILE's [test] sections against the running lab. */
static int test_with_file(const char *name, const char *file, enum cmd_format fmt)
{
	_cleanup_lab_ struct lab *l = NULL;
	_cleanup_topo_ struct topo *tests = NULL;
	int r;

	if ((r = open_for_test(name, &l)) != EXIT_OK)
		return r;
	/* what the lab lacks is no problem of the file: it fails when checked */
	if ((r = topo_load_tests(file, NULL, &tests)) < 0)
		return cmd_usage_error("test", "cannot read %s: %s", file, strerror(-r));
	if (tests->diag.n) {
		cmd_print_problems(file, &tests->diag);
		return EXIT_USAGE;
	}
	/* the lab's own tests give way to the file's */
	SWAP(l->topo->tests, tests->tests);
	SWAP(l->topo->n_tests, tests->n_tests);
	SWAP(l->topo->has_test_within, tests->has_test_within);
	SWAP(l->topo->test_within_ms, tests->test_within_ms);
	return check_lab(l, l->topo, fmt);
}

int cmd_test(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL;
	enum cmd_format fmt = a->format == FMT_DEFAULT ? FMT_TAP : a->format;
	int r;

	if (fmt > FMT_JSON)
		return cmd_usage_error("test", "--format: '%s' is not tap, junit or json",
				       cmd_format_names[fmt]);
	if (a->argc < 1 || a->argc > 2)
		return a->argc ?
			       cmd_usage_error("test", "unexpected argument '%s'", a->argv[2]) :
			       cmd_usage_error(
				       "test",
				       "usage: netlab test LAB|FILE [--format tap|junit|json], netlab test LAB TESTFILE");
	util_catch_stop_signals(on_signal);
	if (a->argc == 1 && cmd_arg_is_file(a->argv[0]))
		return test_file(a->argv[0], a, fmt);
	if (a->name || a->netns_prefix)
		return cmd_usage_error("test", "--name and --netns-prefix go with a lab FILE");
	if ((r = cmd_lab_name("test", a->argv[0], &name)) != EXIT_OK)
		return r;
	return a->argc == 2 ? test_with_file(name, a->argv[1], fmt) : run_tests(name, fmt);
}
