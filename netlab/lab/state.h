/* state.h: a lab's state under NETLAB_RUN_DIR/LAB/: the directory and its lock, the topology as
 * brought up, the paths of what lives there. Its journal (STATE_JOURNAL) is journal.h's. */
#ifndef NETLAB_STATE_H
#define NETLAB_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "nsfs.h"
#include "attr.h"

#define STATE_TOPOLOGY "topology.ini"
#define STATE_BASEDIR "basedir" /* the topology file's directory, for its relative paths */
#define STATE_PREFIX \
	"netns-prefix" /* the namespaces' prefix the lab runs with (up --name, --netns-prefix) */
#define STATE_LOGS_DIR                                                             \
	"nodes/.logs" /* a tmpfs in STATE_NODES_DIR: NODE.log, the daemons' output \
		       */
#define STATE_JOURNAL "journal"
#define STATE_ETC_DIR "etc" /* /etc/netns/NS links here; holds hosts */
#define STATE_NS_DIR "ns" /* a tmpfs: NODE.uts and NODE.mnt, the UTS and mount namespace pins */
#define STATE_ROOT \
	"root" /* only when netlab runs chrooted: where its root is in its mount namespace */
#define STATE_WARNINGS "warnings" /* what went wrong in a lab that came up (warnings.h) */
#define STATE_NODES_DIR "nodes" /* a tmpfs: NODE/root, what each node wrote (see machine.h) */
#define STATE_IFINDEX \
	"ifindex" /* "NODE IFACE IFINDEX" lines: the ifindexes apply gave (see topo.h) */

struct state {
	char *lab;
	char *dir;
	int dir_fd; /* flock()ed while the struct lives */
	int journal_fd; /* O_APPEND */
};

/* NETNS_RUN_DIR/STATE_PIN_TMP(LAB): the file up makes, journals, and links every pin file from
 * (so that no pin of another's can ever be taken for one of ours: a pin file of the lab's is a
 * link of it). Its name is the lab's alone; up removes it once the namespaces are made. */
#define STATE_PIN_TMP_FMT ".netlab.%s.tmp"

/* How long state_open waits for another netlab's lock on a lab (NETLAB_LOCK_TIMEOUT overrides). */
#define STATE_LOCK_TIMEOUT_S 300

enum {
	STATE_CREATE = 1, /* create the directory when missing */
	STATE_NOLOCK = 2, /* read only, without the lock (exec, shell: must not block down) */
};
/* Opens (and unless STATE_NOLOCK, locks) the lab's state directory.
 * Returns 0, -ENOENT (no such lab) or another -errno. */
_must_check_ int state_open(const char *lab, unsigned int flags, struct state **out);
void state_free(struct state *s);
static inline void state_freep(struct state **s)
{
	state_free(*s);
}
#define _cleanup_state_ __attribute__((cleanup(state_freep)))

/* DIR/name, to be freed. */
char *state_path(const struct state *s, const char *name);
/* NETNS_RUN_DIR/STATE_PIN_TMP_FMT for this lab, to be freed. */
char *state_pin_tmp_path(const struct state *s);
/* Removes the state directory and everything in it (pins must be gone already). */
_must_check_ int state_remove(struct state *s);
/* Removes path and everything under it (a node's files in the state); none is fine. */
_must_check_ int state_remove_tree(const char *path);
/* Names of the labs with a state directory, sorted. */
_must_check_ int state_list(char ***labs, size_t *n);

#endif
