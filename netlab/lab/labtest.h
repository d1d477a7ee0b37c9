/* labtest.h: checks a running lab's [test] assertions. Never prints. */
#ifndef NETLAB_LABTEST_H
#define NETLAB_LABTEST_H

#include "assertion.h"

struct labtest_result {
	const struct topo_test *test;
	const struct topo_assert *a;
	bool ok;
	char *detail; /* what was seen, when it matters */
};

/* Checks every assertion of every [test] section of t, which is up with its state in state_dir.
 * Returns 0 with *out (n_out entries, in file order) or -errno. */
int labtest_run(const struct topo *t, const char *state_dir, struct labtest_result **out, size_t *n_out);
void labtest_free(struct labtest_result *v, size_t n);

#endif
