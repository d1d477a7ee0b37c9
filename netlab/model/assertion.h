/* assertion.h: the assertion language of [test] sections (docs/lab-tests.md). Pure. */
#ifndef NETLAB_ASSERTION_H
#define NETLAB_ASSERTION_H

#include "value.h"
#include "attr.h"

/* One assertion of a [test NAME] section (docs/lab-tests.md). */
enum topo_assert_kind {
	TOPO_REACH,
	TOPO_PATH,
	TOPO_ROUTE,
	TOPO_PORT,
	TOPO_RUNS,
	TOPO_DAEMON,
	TOPO_IFACE,
	TOPO_HAS, /* NODE:IFACE has A/N [absent] */
	TOPO_OSPF, /* NODE ospf neighbor ID|ADDRESS full [dr|bdr|drother|ptp] | absent */
	TOPO_BGP, /* NODE bgp neighbor ADDRESS established|down */
	TOPO_BGP_ADV, /* NODE bgp advertises PREFIX to ADDRESS */
	TOPO_RESOLVES, /* NODE resolves NAME to ADDRESS [via SERVER] */
	TOPO_HTTP /* NODE http URL status N [contains "TEXT"] */
};

/* What a RUNS assertion checks: the exit status, or the output. */
enum topo_runs_check { TOPO_RUNS_STATUS, TOPO_RUNS_CONTAINS, TOPO_RUNS_MATCHES };

struct topo_assert {
	enum topo_assert_kind kind;
	char *text; /* as written */
	char *src; /* the node it runs from or on */
	char *dst; /* REACH, PATH: a node name or an address */
	bool expect_ok; /* reachable / open / succeeds / present / running / up; PATH: via (not
			   avoids) */
	char **via; /* PATH: the routers in order, or (avoids) the nodes it must not go through */
	size_t n_via;
	struct topo_prefix prefix; /* ROUTE */
	struct topo_prefix *gws; /* ROUTE: next hops the route must have (all of them) */
	size_t n_gws;
	int proto; /* PORT: IPPROTO_TCP or IPPROTO_UDP */
	unsigned int port;
	char *cmd; /* RUNS */
	enum topo_runs_check runs_check;
	char *pattern; /* RUNS contains/matches: the text or the extended regular expression */
	long count; /* RUNS contains/matches: lines that must match, or -1 for at least one */
	char *name; /* DAEMON: the process name; IFACE, HAS: the interface; RESOLVES: the name */
	char *peer; /* OSPF: the neighbor's router ID or address; BGP, BGP_ADV: its address */
	char *role; /* OSPF: dr, bdr, drother or ptp, or NULL */
	struct topo_prefix addr; /* HAS: the address and length; RESOLVES: the answer */
	bool has_server;
	struct topo_prefix server; /* RESOLVES: the server asked (else the node's resolv.conf) */
	char *url; /* HTTP: http://HOST[:PORT]/PATH */
	unsigned int status; /* HTTP */
	int line;
};

struct topo_test {
	char *name;
	struct topo_assert *asserts;
	size_t n_asserts;
	bool has_within;
	unsigned int within_ms; /* within = DURATION: retried until all hold, at most this long */
	size_t *needs; /* needs = NAME...: indexes of earlier sections that must have passed */
	size_t n_needs;
	bool has_points;
	unsigned int points; /* points = N: what the section is worth when it passes (grade) */
	int line;
};
#define TOPO_POINTS_MAX 10000

/* The longest `within` accepted, and the one a lab gets when it runs daemons (routing daemons,
 * `daemon` commands) or STP and says nothing (docs/lab-tests.md). */
#define TOPO_WITHIN_MAX_MS (3600u * 1000u)
#define TOPO_WITHIN_DAEMONS_MS (60u * 1000u)

/* Parses one assertion ("h1 -> h2 reachable", ...). Returns 0, or -EINVAL with the reason added
 * to why. */
_must_check_ int topo_assert_parse(const char *text, struct topo_assert *a, struct topo_diag *why);
void topo_assert_clear(struct topo_assert *a);

#endif
