/* lab.h: a running lab as its state describes it: the topology it was brought up from and the
 * journal, with each node's namespace checked against what up recorded. Shared by status, exec,
 * shell. Never prints. */
#ifndef NETLAB_LAB_H
#define NETLAB_LAB_H

#include <stdbool.h>
#include <sys/types.h>

#include "journal.h"
#include "state.h"
#include "topo.h"
#include "attr.h"

/* The bridge of a switch or LAN node, and its fixed ifindex. */
#define LAB_BRIDGE_NAME "br0"
#define LAB_BRIDGE_IFINDEX 10

/* Whether the node is a switch or a LAN: its interfaces are ports of its bridge. */
static inline bool lab_node_is_bridge(const struct topo_node *n)
{
	return n->kind == TOPO_SWITCH || n->kind == TOPO_LAN;
}

/* Calls fn(arg, node index, interface) on both ends of every link name stands for (topo_link_in:
 * the [link NAME], or every member's link to [lan NAME]). Goes on past errors; returns the first.
 */
_must_check_ int lab_each_end(const struct topo *t, const char *name,
			      int (*fn)(void *arg, size_t node, const struct topo_iface *ifc),
			      void *arg);

enum lab_ns_status {
	LAB_NS_OK, /* the pin holds the namespace up created */
	LAB_NS_MISSING, /* no pin: deleted outside netlab (ip netns del) */
	LAB_NS_REPLACED, /* a pin with another namespace: not ours */
};

struct lab {
	struct state *st;
	struct topo *topo;
	struct journal journal;
	enum lab_ns_status *ns_status; /* per node */
	ino_t *ns_ino; /* per node: the inode up recorded */
};

/* What lab_open found of a lab: facts about its state, not errors. */
enum lab_found {
	LAB_FOUND, /* up (or partly made or changed: its journal says): *out holds it */
	LAB_NOT_UP, /* no state of that name */
	LAB_HALF_MADE, /* an up stopped before it wrote the topology or the journal */
	LAB_DAMAGED, /* a state netlab did not write so: an unreadable topology */
};

/* Opens the running lab named name (flags as state_open): its topology with every `netlab set` and
 * `netlab link` of the journal in force. Returns 0 with *found set (and *out with LAB_FOUND), or
 * -errno when the state cannot be read at all (EACCES: another user's). */
_must_check_ int lab_open(const char *name, unsigned int flags, enum lab_found *found,
			  struct lab **out);
const char *lab_found_str(enum lab_found f);
void lab_free(struct lab *l);
static inline void lab_freep(struct lab **l)
{
	lab_free(*l);
}
#define _cleanup_lab_ __attribute__((cleanup(lab_freep)))

/* Writes STATE_IFINDEX: the ifindex of every interface of t, and of those of before (the lab's
 * topology until then) that t lacks. Returns 0 or -errno. */
_must_check_ int lab_write_ifindexes(const struct state *st, const struct topo *t,
				     const struct topo *before);

/* Whether the running lab was brought up from exactly t (its text, and its namespaces' prefix): 1
 * yes, 0 no, or -errno. */
_must_check_ int lab_same_topology(const struct state *st, const struct topo *t);
/* The same, [test] and [defaults test] sections aside (those may be edited on a running lab). */
_must_check_ int lab_same_but_tests(const struct state *st, const struct topo *t);

/* The lab's topology from its state (STATE_TOPOLOGY, named as it runs: its state's lab name and
 * STATE_PREFIX). Returns 0 (problems in (*t)->diag) or -errno. */
_must_check_ int lab_load_topology(const struct state *st, struct topo **t);
/* Writes t as the lab's topology: its file's directory, its namespaces' prefix, its text (last).
 * Returns 0 or -errno. */
_must_check_ int lab_write_topology(const struct state *st, const struct topo *t);

/* Every node's namespace is the one up made; else says which is not and returns UTIL_FAILED. */
_must_check_ int lab_check_nodes(const struct lab *l);

/* Changes the running lab *l (opened with its lock) by words (KEY=VALUE) on its link or LAN
 * name, the one sequence of `netlab set` and `netlab link`: in the model, journaled, then in the
 * kernel by apply(*l, name). When the kernel refuses part of it, the journal takes the change back,
 * *l is opened anew and what was in force before is put back. Returns 0 or -errno: with a message
 * in *why when the model refused a word (nothing changed), else after saying why. */
_must_check_ int lab_change(struct lab **l, const char *name, char *const *words, size_t n,
			    int (*apply)(const struct lab *l, const char *name),
			    struct topo_diag *why);

/* How many labs are up (or -errno); with exactly one, *name is its name. */
_must_check_ int lab_only(char **name);
/* The first lab that is up (half made or damaged too) and has a node of image name: its name in
 * *user (to be freed), or NULL. Returns 0 or -errno. */
_must_check_ int lab_image_user(const char *image, char **user);
const char *lab_ns_status_str(enum lab_ns_status s);

#endif
