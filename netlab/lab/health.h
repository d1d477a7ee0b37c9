/* health.h: whether a node of a running lab still is what its topology declares: every declared
 * interface present and up, every declared address on its interface, every declared route and
 * gateway in the main table, every daemon running; what a link taken down by `netlab link` lacks
 * is expected, not a problem. Used by `status`. The comparison with what the
 * kernel holds (health_net) is pure; the caller adds what it found about processes. */
#ifndef NETLAB_HEALTH_H
#define NETLAB_HEALTH_H

#include <stddef.h>

#include "net.h"
#include "topo.h"

enum health_kind {
	HEALTH_NAMESPACE,
	HEALTH_DAEMON,
	HEALTH_INTERFACE,
	HEALTH_ADDRESS,
	HEALTH_ROUTE
};

struct health_problem {
	enum health_kind kind;
	char *what; /* "eth0 is DOWN", "10.0.0.1/24 missing on eth0", ... */
};

struct health {
	struct health_problem *v;
	size_t n;
};

void health_add(struct health *h, enum health_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Adds every difference between what node n declares and info (read from its namespace). */
void health_net(const struct topo_node *n, const struct net_info *info, struct health *h);
const char *health_kind_str(enum health_kind k);
void health_clear(struct health *h);

#endif
