/* grade.c: `netlab grade TESTFILE SUBMISSION... [--jobs N] [--report DIR]`: each submission (a lab
 * file, or a Kathara lab directory imported on the fly) is brought up under a name of its own,
 * TESTFILE's [test] sections are checked on it, and it is taken down; many at once, each in a
 * process of its own, which hands its results back in a file of its work directory. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "grade.h"
#include "lab_down.h"
#include "lab_up.h"
#include "labtest.h"
#include "state.h"
#include "strbuf.h"
#include "topo_ini.h"
#include "util.h"

/* What one submission may take beyond its tests' longest within (up, down, a slow machine); then
 * SIGTERM, and GRADE_KILL_MS later SIGKILL. */
#define GRADE_SLACK_MS (300u * 1000u)
#define GRADE_KILL_MS (30u * 1000u)
/* The memory counted per lab for the default --jobs (a lab of a few FRR routers takes 60-100 MiB:
 * the rest is margin for bigger ones), and the most labs at once by default. */
#define GRADE_LAB_MIB 400
#define GRADE_JOBS_MAX 64
#define GRADE_RESULT "result"
#define GRADE_LOG "log"

static volatile sig_atomic_t grade_stop;

static void on_signal(int sig)
{
	grade_stop = sig;
}

unsigned int grade_section_max(const struct topo_test *s)
{
	return s->has_points ? s->points : (unsigned int)s->n_asserts;
}

/* Text on one line of a result file: backslash, tab and newline escaped. */
static void put_field(FILE *f, const char *s)
{
	fputc('\t', f);
	for (; s && *s; s++)
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
}

/* Undoes put_field in place; returns s. */
static char *unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

/* The first line of the submission's log that says what went wrong, to be freed (or NULL). */
static char *log_reason(const char *dir)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, GRADE_LOG), *text = NULL;

	if (util_read_file(path, &text, NULL) < 0)
		return NULL;
	for (char *line = text, *end; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (!strstr(line, "warning: ") && !strstr(line, "building image") &&
		    !strstr(line, "test hook"))
			return util_xstrdup(line);
	}
	return NULL;
}

/* The child's side: writes what happened to the submission into DIR/result: "zero" and why when
 * the submission is graded 0 whole (not a lab, did not come up), "problem" and why when it could
 * not be graded, then an "r" line per assertion checked. */
static int write_result(const char *dir, bool zero, const char *problem,
			const struct labtest_report *rep)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, GRADE_RESULT);
	_cleanup_strbuf_ struct strbuf sb = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int r;

	if (!f)
		return -errno;
	if (problem) {
		fputs(zero ? "zero" : "problem", f);
		put_field(f, problem);
		fputc('\n', f);
	}
	for (size_t i = 0; rep && i < rep->n; i++) {
		const struct labtest_result *res = &rep->v[i];

		fprintf(f, "r\t%zu\t%d\t%d", (size_t)(res->test - rep->sec[0].test), res->ok,
			!res->not_run);
		put_field(f, res->expected);
		put_field(f, res->detail);
		fputc('\n', f);
	}
	fclose(f);
	r = util_write_file_atomic(path, text, len, 0600);
	free(text);
	return r;
}

/* In the submission's own process: import (a directory), load, up, check, down. Never returns. */
static void grade_child(const char *testfile, const struct grade_sub *s)
{
	_cleanup_free_ char *log = util_xasprintf("%s/%s", s->dir, GRADE_LOG),
			    *prefix = util_xasprintf("%s-", s->lab), *file = NULL, *problem = NULL;
	_cleanup_topo_ struct topo *t = NULL, *tests = NULL;
	_cleanup_state_ struct state *st = NULL;
	struct cmd_args naming = { .cmd = "grade", .name = s->lab, .netns_prefix = prefix };
	struct labtest_report rep = { 0 };
	bool have_rep = false, zero;
	struct stat sb;
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), r;

	if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(EXIT_FAIL);
	close(fd);
	util_catch_stop_signals(on_signal);
	if (stat(s->path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		char *argv[] = { "kathara", (char *)s->path, NULL };
		struct cmd_args imp = { .cmd = "import", .argc = 2, .argv = argv, .name = s->lab };

		file = util_xasprintf("%s/netlab.ini", s->dir);
		imp.output = file;
		if (cmd_import(&imp) != EXIT_OK) {
			_cleanup_free_ char *why = log_reason(s->dir);

			problem =
				util_xasprintf("cannot be imported: %s", why ? why : "see its log");
		}
	} else {
		file = util_xstrdup(s->path);
	}
	if (!problem && cmd_load_topology_as(file, &naming, &t) != EXIT_OK) {
		_cleanup_free_ char *why = log_reason(s->dir);

		problem = util_xasprintf("not a valid lab: %s", why ? why : "see its log");
	}
	zero = problem != NULL; /* the student's: graded 0 */
	if (!problem && (topo_load_tests(testfile, NULL, &tests) < 0 || tests->diag.n))
		problem = util_xasprintf("cannot read %s", testfile);
	if (!problem && !grade_stop) {
		r = up_file(t, stdout);
		util_catch_stop_signals(on_signal);
		if (r != 0) {
			_cleanup_free_ char *why = log_reason(s->dir);

			problem = r > 0 ? util_xasprintf("lab %s was up already", s->lab) :
					  util_xasprintf("did not come up: %s",
							 why ? why : "see its log");
			zero = r < 0 && !grade_stop;
		}
	}
	if (!problem && !grade_stop) {
		SWAP(t->tests, tests->tests);
		SWAP(t->n_tests, tests->n_tests);
		SWAP(t->has_test_within, tests->has_test_within);
		SWAP(t->test_within_ms, tests->test_within_ms);
		if ((r = state_open(s->lab, STATE_NOLOCK, &st)) < 0 ||
		    (r = labtest_run(t, st->dir, &grade_stop, &rep)) < 0) {
			problem = util_xasprintf("not checked whole: %s",
						 r == -EINTR ? "interrupted" : strerror(-r));
			labtest_report_clear(&rep);
		} else {
			have_rep = true;
		}
		state_free(steal_pointer(&st));
		if (state_open(s->lab, 0, &st) == 0 && down_lab(st, true) < 0 && !problem)
			problem =
				util_xasprintf("could not be taken down (netlab down %s)", s->lab);
	}
	if (!problem && grade_stop)
		problem = util_xstrdup("interrupted");
	r = write_result(s->dir, zero, problem, have_rep ? &rep : NULL);
	if (have_rep)
		labtest_report_clear(&rep);
	_exit(r < 0 ? EXIT_FAIL : EXIT_OK);
}

/* The parent's side: reads what the submission's process wrote, and its points. */
static void read_result(const struct topo *tests, struct grade_sub *s)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", s->dir, GRADE_RESULT), *text = NULL;
	char *save = NULL;

	s->sec = util_xcalloc(tests->n_tests + 1, sizeof(*s->sec));
	for (size_t i = 0; i < tests->n_tests; i++) {
		s->sec[i].max_points = grade_section_max(&tests->tests[i]);
		s->sec[i].ok = true;
	}
	if (util_read_file(path, &text, NULL) < 0) {
		if (!s->problem)
			s->problem = util_xstrdup("its checking process ended without a result");
		s->graded = false;
	} else {
		s->graded = !s->problem;
	}
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[7] = { 0 };
		size_t n = 0;

		for (char *p = line; n < 7; n++) {
			f[n] = p;
			if (!(p = strchr(p, '\t')))
				break;
			*p++ = '\0';
		}
		if ((!strcmp(f[0], "problem") || !strcmp(f[0], "zero")) && f[1] && !s->problem) {
			s->problem = util_xstrdup(unescape(f[1]));
			s->graded = f[0][0] == 'z';
		} else if (!strcmp(f[0], "r") && n >= 5) {
			struct grade_result *r = util_grow(&s->res, &s->n_res, sizeof(*r));
			size_t sec = strtoul(f[1], NULL, 10);

			r->section = sec < tests->n_tests ? sec : 0;
			r->ok = f[2][0] == '1';
			r->checked = f[3][0] == '1';
			r->expected = *f[4] ? util_xstrdup(unescape(f[4])) : NULL;
			r->detail = *f[5] ? util_xstrdup(unescape(f[5])) : NULL;
		}
	}
	/* the assertions' text from the teacher's file, in order; those never checked fail */
	for (size_t i = 0, k = 0; i < tests->n_tests; i++)
		for (size_t a = 0; a < tests->tests[i].n_asserts; a++, k++) {
			struct grade_result *r;

			if (k >= s->n_res) {
				r = util_grow(&s->res, &s->n_res, sizeof(*r));
				r->section = i;
				r->detail = util_xstrdup(s->problem ? s->problem : "not checked");
			}
			r = &s->res[k];
			r->assertion = util_xstrdup(tests->tests[i].asserts[a].text);
		}
	for (size_t k = 0; k < s->n_res; k++) {
		struct grade_result *r = &s->res[k];
		struct grade_section *sec = &s->sec[r->section];

		s->passed += r->ok;
		s->failed += !r->ok && r->checked;
		s->not_checked += !r->checked;
		sec->ok &= r->ok;
		if (!tests->tests[r->section].has_points)
			sec->points += r->ok;
	}
	for (size_t i = 0; i < tests->n_tests; i++) {
		if (tests->tests[i].has_points)
			s->sec[i].points = s->sec[i].ok ? tests->tests[i].points : 0;
		s->points += s->sec[i].points;
		s->max_points += s->sec[i].max_points;
	}
}

/* Jobs by default: as many labs as memory carries at GRADE_LAB_MIB each, at most GRADE_JOBS_MAX
 * (labs mostly wait for routing to converge: the CPU is not what bounds them). */
static unsigned int default_jobs(size_t n)
{
	_cleanup_free_ char *text = NULL;
	unsigned long mib = 2048;
	const char *p;
	size_t jobs;

	if (util_read_file("/proc/meminfo", &text, NULL) == 0 &&
	    (p = strstr(text, "MemAvailable:")))
		mib = strtoul(p + 13, NULL, 10) / 1024;
	jobs = mib / GRADE_LAB_MIB;
	if (jobs > GRADE_JOBS_MAX)
		jobs = GRADE_JOBS_MAX;
	if (jobs > n)
		jobs = n;
	return jobs ? (unsigned int)jobs : 1;
}

static int start_one(const char *testfile, struct grade_sub *s)
{
	fflush(stdout);
	fflush(stderr);
	s->start_ms = util_now_ms();
	s->pid = fork();
	if (s->pid < 0)
		return -errno;
	if (s->pid == 0)
		grade_child(testfile, s);
	return 0;
}

/* A submission's process that ended: its results read; a lab it left (killed) taken down. */
static void finish_one(const struct topo *tests, struct grade_sub *s, int status, size_t done,
		       size_t n)
{
	_cleanup_state_ struct state *st = NULL;

	s->seconds = (double)(util_now_ms() - s->start_ms) / 1000;
	s->pid = 0;
	if (s->kill_sent || s->term_sent)
		s->problem =
			util_xasprintf("stopped after %.0f s (it did not end in time)", s->seconds);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		s->problem = util_xstrdup("its checking process failed (see its log)");
	read_result(tests, s);
	if ((s->kill_sent || s->term_sent) && state_open(s->lab, 0, &st) == 0 &&
	    down_lab(st, true) < 0)
		util_log("grade: %s: lab %s could not be taken down", s->path, s->lab);
	fprintf(stderr, "netlab: grade: [%zu/%zu] %s: %u of %u points%s%s (%.1f s)\n", done, n,
		s->path, s->points, s->max_points, s->problem ? "; " : "",
		s->problem ? s->problem : "", s->seconds);
}

/* Runs every submission, jobs at once, each bounded by limit_ms. Returns how many were run. */
static size_t run_all(const char *testfile, const struct topo *tests, struct grade_sub *subs,
		      size_t n, unsigned int jobs, uint64_t limit_ms)
{
	size_t next = 0, running = 0, done = 0;

	while (done < next || (next < n && !grade_stop)) {
		pid_t pid;
		int status;

		while (running < jobs && next < n && !grade_stop) {
			if (start_one(testfile, &subs[next]) < 0) {
				log_errno(-errno, "grade: cannot start a process for %s",
					  subs[next].path);
				grade_stop = SIGTERM;
				break;
			}
			next++;
			running++;
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			for (size_t i = 0; i < next; i++)
				if (subs[i].pid == pid) {
					finish_one(tests, &subs[i], status, ++done, n);
					running--;
				}
		for (size_t i = 0; i < next; i++) {
			struct grade_sub *s = &subs[i];
			uint64_t ran = s->pid ? util_now_ms() - s->start_ms : 0;

			if (s->pid && !s->term_sent && (ran > limit_ms || grade_stop)) {
				kill(s->pid, SIGTERM);
				s->term_sent = true;
			} else if (s->pid && s->term_sent && !s->kill_sent &&
				   ran > limit_ms + GRADE_KILL_MS) {
				kill(s->pid, SIGKILL);
				s->kill_sent = true;
			}
		}
		if (done < next || (next < n && !grade_stop))
			nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	return next;
}

/* The longest time a section of tests may wait, on any lab (a lab with daemons gets a default). */
static uint64_t longest_within(const struct topo *tests)
{
	uint64_t ms = tests->has_test_within ? tests->test_within_ms : TOPO_WITHIN_DAEMONS_MS;

	for (size_t i = 0; i < tests->n_tests; i++)
		if (tests->tests[i].has_within && tests->tests[i].within_ms > ms)
			ms = tests->tests[i].within_ms;
	return ms < TOPO_WITHIN_DAEMONS_MS ? TOPO_WITHIN_DAEMONS_MS : ms;
}

/* How long one submission may take: its tests' longest within and GRADE_SLACK_MS; the test hook
 * NETLAB_TEST_GRADE_LIMIT_MS=N sets it (a test of the bound need not wait minutes). */
static uint64_t limit_ms(const struct topo *tests)
{
	const char *hook = util_test_hook("NETLAB_TEST_GRADE_LIMIT_MS");
	unsigned long ms;

	if (hook && topo_parse_uint(hook, 1, 3600000, &ms) == 0)
		return ms;
	return longest_within(tests) + GRADE_SLACK_MS;
}

int cmd_grade(const struct cmd_args *a)
{
	_cleanup_topo_ struct topo *tests = NULL;
	_cleanup_free_ struct grade_sub *subs = NULL;
	_cleanup_free_ char *work = NULL;
	struct grade_class c;
	size_t n, ran;
	int r, status = EXIT_OK;

	if (a->argc < 2)
		return cmd_usage_error(
			"grade",
			"usage: netlab grade TESTFILE SUBMISSION... [--jobs N] [--report DIR]");
	if ((r = topo_load_tests(a->argv[0], NULL, &tests)) < 0)
		return cmd_usage_error("grade", "cannot read %s: %s", a->argv[0], strerror(-r));
	if (tests->diag.n) {
		cmd_print_problems(a->argv[0], &tests->diag);
		return EXIT_USAGE;
	}
	n = (size_t)a->argc - 1;
	for (size_t i = 0; i < n; i++) {
		struct stat sb;

		if (stat(a->argv[i + 1], &sb) < 0)
			return cmd_usage_error("grade", "%s: %s", a->argv[i + 1], strerror(errno));
	}
	if (a->report && (r = util_mkdir_p(a->report, 0755)) < 0)
		return cmd_fail(r, "grade: cannot make '%s'", a->report);
	work = util_xstrdup("/run/netlab/.grade.XXXXXX");
	if ((r = util_mkdir_p(NETLAB_RUN_DIR, 0755)) < 0 || !mkdtemp(work))
		return cmd_fail(r < 0 ? r : -errno, "grade: cannot make a work directory in %s",
				NETLAB_RUN_DIR);
	subs = util_xcalloc(n, sizeof(*subs));
	for (size_t i = 0; i < n; i++) {
		subs[i].path = a->argv[i + 1];
		subs[i].lab = util_xasprintf("grade%d-%zu", (int)getpid(), i + 1);
		subs[i].dir = util_xasprintf("%s/%zu", work, i + 1);
		if (mkdir(subs[i].dir, 0700) < 0) {
			r = cmd_fail(-errno, "grade: cannot make '%s'", subs[i].dir);
			if (state_remove_tree(work) < 0)
				util_log("grade: cannot remove '%s'", work);
			return r;
		}
	}
	util_catch_stop_signals(on_signal);
	ran = run_all(a->argv[0], tests, subs, n, a->jobs ? a->jobs : default_jobs(n),
		      limit_ms(tests));
	util_catch_stop_signals(NULL);
	for (size_t i = ran; i < n; i++) { /* never started: interrupted */
		subs[i].problem = util_xstrdup("not graded: interrupted");
		read_result(tests, &subs[i]);
	}
	c = (struct grade_class){ .tests = tests, .subs = subs, .n = n };
	grade_report_text(stdout, &c);
	if (a->report && grade_report_write(&c, a->report) < 0)
		status = EXIT_FAIL;
	for (size_t i = 0; i < n; i++) {
		if (!subs[i].graded)
			status = EXIT_FAIL;
		for (size_t k = 0; k < subs[i].n_res; k++) {
			free(subs[i].res[k].assertion);
			free(subs[i].res[k].expected);
			free(subs[i].res[k].detail);
		}
		free(subs[i].res);
		free(subs[i].sec);
		free(subs[i].problem);
		free(subs[i].lab);
		free(subs[i].dir);
	}
	if (state_remove_tree(work) < 0)
		util_log("grade: cannot remove '%s'", work);
	if (grade_stop) {
		util_log("grade: interrupted by signal %d: every lab it brought up is down",
			 (int)grade_stop);
		return EXIT_FAIL;
	}
	return status;
}
