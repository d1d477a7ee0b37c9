/* assertion.h: the assertion language of [test] sections (docs/lab-tests.md). Pure. */
#ifndef NETLAB_ASSERTION_H
#define NETLAB_ASSERTION_H

#include "topo.h"

/* One assertion of a [test NAME] section (docs/lab-tests.md). */
enum topo_assert_kind { TOPO_REACH, TOPO_PATH, TOPO_ROUTE, TOPO_PORT, TOPO_RUNS };

struct topo_assert {
	enum topo_assert_kind kind;
	char *text; /* as written */
	char *src;  /* the node it runs from or on */
	char *dst;  /* REACH, PATH: a node name or an address */
	bool expect_ok; /* reachable / open / succeeds / present */
	char **via; /* PATH: the routers in order */
	size_t n_via;
	struct topo_prefix prefix; /* ROUTE */
	bool has_gw;
	struct topo_prefix gw;
	int proto; /* PORT: IPPROTO_TCP or IPPROTO_UDP */
	unsigned int port;
	char *cmd; /* RUNS */
	int line;
};

struct topo_test {
	char *name;
	struct topo_assert *asserts;
	size_t n_asserts;
	int line;
};

/* Parses one assertion ("h1 -> h2 reachable", ...). Returns 0, or -EINVAL with the reason added
 * to why. */
int topo_assert_parse(const char *text, struct topo_assert *a, struct topo_diag *why);
void topo_assert_clear(struct topo_assert *a);

#endif
