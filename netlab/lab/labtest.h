/* labtest.h: checks a running lab's [test] assertions, the sections side by side (a round of each
 * in turn), each retried until all its assertions hold or its `within`, counted from the start of
 * the run, has passed; a section that needs another waits for it. Never prints. */
#ifndef NETLAB_LABTEST_H
#define NETLAB_LABTEST_H

#include <signal.h>

#include "assertion.h"
#include "topo.h"
#include "attr.h"

/* Time between two rounds of a section whose assertions do not all hold yet. */
#define LABTEST_ROUND_MS 1000
/* How long a `runs` command may run: its section's `within`, and at least this. */
#define LABTEST_RUNS_MIN_MS 10000

struct labtest_result {
	const struct topo_test *test;
	const struct topo_assert *a;
	bool ok;
	bool not_run; /* not checked: a section it needs failed */
	bool unfit; /* names a node, address or interface the lab lacks: fails, never checked */
	char *expected; /* on failure: what should have been seen */
	char *detail; /* what was seen (the last round's), when it matters */
};

struct labtest_section {
	const struct topo_test *test;
	bool ok;
	unsigned int rounds;
	unsigned int within_ms;
	unsigned long ms; /* from the start of the run to its last round's end */
};

struct labtest_report {
	struct labtest_result *v; /* every assertion, in file order */
	size_t n;
	struct labtest_section *sec; /* every section, in file order */
	size_t n_sec;
	unsigned long ms; /* the whole run */
};

/* Checks every [test] section of t, which is up with its state in state_dir (t may hold other
 * [test] sections than the lab was brought up with: one that names a node, address or interface
 * the lab lacks fails, saying so). When *stop becomes non-zero (a signal), the
 * command running is stopped and no more is checked. Returns 0 with *out filled, -EINTR (stopped:
 * *out holds what was checked), or -errno. */
_must_check_ int labtest_run(const struct topo *t, const char *state_dir,
			     const volatile sig_atomic_t *stop, struct labtest_report *out);
void labtest_report_clear(struct labtest_report *r);

#endif
