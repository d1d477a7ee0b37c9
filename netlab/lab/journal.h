/* journal.h: a lab's journal (STATE_JOURNAL in its state directory): one typed record a line, for
 * every object netlab makes or changes, written before the object is made, so that down can remove
 * everything from the state alone, even after a kill. This module alone writes and reads it.
 *
 * The records (the words of each line, checked on reading as strictly as a topology):
 *   netns NAME INO SEC NSEC FILEINO  a network namespace up (or apply) made (journal_netns)
 *   ns-fs, nodes-fs                   the state's two tmpfs, before they are mounted
 *   daemon NODE PID                   a daemon up started
 *   complete                          up finished
 *   set NAME WORD...                  `netlab set`, `netlab link`: KEY=VALUE words on a link
 *   unset                             the set before did not take effect (the kernel refused it)
 *   apply-begin, apply-done           around an apply (the sets before an apply-done are no
 *                                     longer in force: the applied topology is)
 *   gone NETNS INO NODE               apply removed node NODE: that netns record, and the
 *                                     node's daemon records, no longer count */
#ifndef NETLAB_JOURNAL_H
#define NETLAB_JOURNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "attr.h"
#include "nsfs.h"
#include "state.h"

/* The records with no words after their kind. */
enum journal_mark {
	JOURNAL_NS_FS,
	JOURNAL_NODES_FS,
	JOURNAL_COMPLETE,
	JOURNAL_UNSET,
	JOURNAL_APPLY_BEGIN,
	JOURNAL_APPLY_DONE,
};

/* Each appends one record to st's journal (opened with its lock). Returns 0 or -errno (-EINVAL
 * for a word a record cannot hold: empty, or with a space or a newline). */
_must_check_ int journal_mark(struct state *st, enum journal_mark m);
_must_check_ int journal_netns(struct state *st, const char *name, const struct nsfs_id *id,
			       ino_t file_ino);
_must_check_ int journal_daemon(struct state *st, const char *node, pid_t pid);
_must_check_ int journal_set(struct state *st, const char *name, char *const *words, size_t n);
_must_check_ int journal_gone(struct state *st, const char *netns, ino_t ino, const char *node);

/* A network namespace up made: journaled, before its pin got its name, as
 * "netns NAME INO SEC NSEC FILEINO". What is at NETNS_RUN_DIR/NAME is the lab's only when it is
 * that namespace (id) or, before the namespace was mounted on it, a link of that very file
 * (file_ino, the inode of STATE_PIN_TMP when the pin was linked from it). */
struct journal_netns {
	char *name;
	struct nsfs_id id;
	ino_t file_ino;
};

/* What the journal says was created. */
struct journal {
	struct journal_netns *netns;
	size_t n_netns;
	bool ns_fs; /* the tmpfs at DIR/ns holding the UTS and mount namespace pins */
	bool nodes_fs; /* the tmpfs at DIR/nodes holding the nodes' writable layers */
	struct journal_daemon {
		char *node;
		pid_t pid;
	} * daemons;
	size_t n_daemons;
	char **sets; /* `netlab set` lines: "NAME KEY=VALUE ...", in order (a line "unset" takes
		      * back the one before it: the kernel refused it) */
	size_t n_sets;
	size_t n_lines; /* any line at all: up got as far as writing one */
	bool complete; /* up finished */
	bool applying; /* an apply began and did not finish ("apply-begin" without "apply-done") */
	size_t n_bad; /* lines ignored: a name, inode or PID netlab never writes */
	int first_bad; /* the first such line's number */
};

/* Reads st's journal (none: an empty one). Returns 0 or -errno. */
_must_check_ int journal_load(const struct state *st, struct journal *j);
void journal_clear(struct journal *j);

#endif
