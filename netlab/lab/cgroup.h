/* cgroup.h: a node's memory and cpus limits ([node] memory = SIZE, cpus = N; Kathara's [mem] and
 * [cpus]) as a cgroup v2 of its own, where every process netlab starts in the node goes
 * (docs/machines.md, "Memory and CPUs").
 *
 * The lab's cgroups are LAB/node-NODE under a base: root's is netlab/ at the root of cgroup v2; a
 * user's (rootless) is netlab/ in the highest cgroup of the user's own above the user's process
 * (the subtree systemd delegates: user@UID.service), usable only when netlab itself runs in that
 * subtree (the kernel lets a process move others only within a subtree it owns). The lab's
 * directory is kept in the state (STATE_CGROUP) before it is made: down removes it from the state
 * alone. Where neither works, the limits are not applied and up says why. */
#ifndef NETLAB_CGROUP_H
#define NETLAB_CGROUP_H

#include "attr.h"
#include "state.h"
#include "topo.h"

/* Whether node n asks for limits. */
bool cgroup_wanted(const struct topo_node *n);
/* Makes node n's cgroup with its limits (the lab's first, once). Returns 0, 1 when limits cannot
 * be applied here (*why says why, to be freed), or -errno after saying why. */
_must_check_ int cgroup_node_make(struct state *st, const struct topo_node *n, char **why);
/* Moves the calling process into node n's cgroup, when the lab has one for it. Returns 0 or
 * -errno. */
_must_check_ int cgroup_node_join(const char *state_dir, const struct topo_node *n);
/* Removes node's cgroup (its processes ended), if any. Returns 0 or -errno after saying why. */
_must_check_ int cgroup_node_remove(const char *state_dir, const char *node);
/* Removes the lab's cgroups (their processes ended), if any. Returns 0 or -errno after saying
 * why. */
_must_check_ int cgroup_lab_remove(struct state *st);

#endif
