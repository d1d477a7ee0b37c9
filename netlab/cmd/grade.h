/* grade.h: `netlab grade`'s class of submissions and their results (grade.c runs them,
 * grade_report.c writes them out). */
#ifndef NETLAB_GRADE_H
#define NETLAB_GRADE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "assertion.h"
#include "attr.h"
#include "topo.h"

/* One assertion of the teacher's file, as checked on one submission. */
struct grade_result {
	size_t section; /* its [test] section's index in the teacher's file */
	bool ok, checked;
	char *assertion, *expected, *detail;
};

/* One section of the teacher's file, on one submission. */
struct grade_section {
	bool ok;
	unsigned int points, max_points;
};

struct grade_sub {
	const char *path; /* as given */
	char *lab; /* the lab name it runs under */
	char *problem; /* why it was graded 0 whole (did not come up, ...), or NULL */
	bool graded; /* false: it could not be (stopped, or its process failed) */
	struct grade_section *sec; /* one per section of the teacher's file */
	struct grade_result *res;
	size_t n_res;
	unsigned int passed, failed, not_checked, points, max_points;
	double seconds;
	/* while it runs */
	pid_t pid;
	uint64_t start_ms;
	bool term_sent, kill_sent;
	char *dir; /* its own work directory: its log, its result, an imported lab */
};

struct grade_class {
	const struct topo *tests; /* the teacher's file */
	struct grade_sub *subs;
	size_t n;
};

/* What section s of the teacher's file is worth: its points, or one per assertion. */
unsigned int grade_section_max(const struct topo_test *s);

/* grade_report.c: the class as report.csv, report.html and junit.xml in dir. Returns 0 or -errno
 * (after saying which file could not be written). */
_must_check_ int grade_report_write(const struct grade_class *c, const char *dir);
/* A line per submission on f, and the class's total. */
void grade_report_text(FILE *f, const struct grade_class *c);

#endif
