/* diff.h: `netlab apply`: what differs between a running lab's model (as in force: its topology
 * with every `netlab set` and `netlab link` of its journal) and an edited topology of the same lab,
 * and the plan that follows from it. Pure.
 *
 * Nodes and links are matched by name. A node whose machine changed (kind, hostname, namespace,
 * exec/startup commands, daemons, files, frr/bird, STP, VLANs, a sysctl no longer set) is
 * replaced: removed and made again, with its links; otherwise it is kept, its processes untouched,
 * and what changed of it (addresses, routes, sysctls set, impairment, links added or removed) is
 * changed in place. A link whose ends, MTU or MACs changed, that was down on purpose, or that has
 * a replaced node at an end, is replaced (its veth deleted and made again). */
#ifndef NETLAB_DIFF_H
#define NETLAB_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"
#include "topo.h"

enum diff_change {
	DIFF_KEEP,
	DIFF_ADD,
	DIFF_REPLACE,
};

#define DIFF_NONE SIZE_MAX

struct diff {
	const struct topo *old, *new;
	enum diff_change *node; /* per new node */
	const char **node_why; /* per new node replaced: why (static text) */
	size_t *node_old; /* per new node: its index in old, or DIFF_NONE */
	bool *node_touched; /* per new node kept: something of it changes in place */
	bool *node_gone; /* per old node: its namespace goes (removed or replaced) */
	enum diff_change *link; /* per new link */
	const char **link_why; /* per new link replaced: why */
	size_t *link_old; /* per new link: its index in old, or DIFF_NONE */
	bool *link_gone; /* per old link: its veth goes (removed or replaced) */
	bool tests; /* the [test] sections differ */
	size_t n_changes; /* lines of the plan: 0 when there is nothing to do */
};

/* Compares old (a running lab's model) with new (the same lab, edited). force (per new node, may
 * be NULL) replaces a node whose files changed in ways the model cannot see (its frr or bird
 * configuration's contents). tests: whether the [test] sections' text differs. Gives every
 * interface of new its ifindex: a kept interface keeps its own, a new one takes the lowest free
 * one of its node (never its peer's). */
void diff_make(const struct topo *old, struct topo *new, const bool *force, bool tests,
	       struct diff *d);
void diff_clear(struct diff *d);

/* Whether interface ifc of new node i is to be made (its node or its link is not kept). */
bool diff_iface_new(const struct diff *d, size_t i, const struct topo_iface *ifc);
/* The running lab's interface that interface ifc of new node i is, when it is kept; else NULL. */
const struct topo_iface *diff_old_iface(const struct diff *d, size_t i,
					const struct topo_iface *ifc);
/* Whether two impairments are the same. */
bool diff_impair_equal(const struct topo_impair *a, const struct topo_impair *b);
/* Whether route r is among the n routes v. */
bool diff_route_in(const struct topo_route *r, const struct topo_route *v, size_t n);
bool diff_prefix_in(const struct topo_prefix *p, const struct topo_addr *v, size_t n);

/* The plan, one change a line ("+ node r3 (router)", "- link r1-h2", "~ r1:eth1 addresses: ...").
 */
void diff_plan(const struct diff *d, struct strbuf *out);

#endif
