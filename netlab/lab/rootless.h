/* rootless.h: netlab run by a user without root: every command works inside a user namespace of
 * that user's own, held with its mount, network, UTS and PID namespaces by one small holder
 * process per user (docs/rootless.md). Inside, the user is root over what the namespace holds, and
 * /run/netns and /run/netlab are the user's own (the latter is $XDG_RUNTIME_DIR/netlab/labs), so
 * the rest of netlab runs as it does for root. */
#ifndef NETLAB_ROOTLESS_H
#define NETLAB_ROOTLESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "attr.h"

/* Whether this process must go rootless: it is not root in the machine's user namespace. */
bool rootless_needed(void);
/* Enters the user's holder (starting it when there is none, when start is true), then forks: the
 * child runs in the holder's namespaces (its PID namespace too, so that /proc is its own), in the
 * working directory as before, and gets 1: it runs the command; the parent waits for it, passing
 * SIGINT, SIGTERM and SIGHUP on, and gets 2 with the child's exit status in *status. 0: no holder
 * and start false (no lab of the user's is up); -errno after saying why (no runtime directory of
 * the user's alone, no user namespace, ...). */
_must_check_ int rootless_enter(bool start, int *status);
/* For a command that needs no lab but must be root over the user's files (image build, list):
 * forks a child that is root in a new user namespace with the holder's id maps and a mount
 * namespace of its own, in the machine's network namespace (a build downloads packages). Returns 1
 * in the child, 2 with its exit status in *status here, or -errno after saying why. */
_must_check_ int rootless_userns(int *status);
/* Whether this process runs in the user's namespaces (rootless_enter's or rootless_userns's
 * child). */
bool rootless_active(void);
/* The user's data directory ($XDG_DATA_HOME, else ~/.local/share), or NULL outside. */
const char *rootless_data_home(void);
/* The holder entered (its pid, as the machine sees it), or 0 outside. */
pid_t rootless_holder(void);
/* A path under /run/netlab as the user sees it outside ($XDG_RUNTIME_DIR/netlab/labs/...), or
 * path itself for root; to be freed. */
char *rootless_outside(const char *path);
/* After a rootless down: ends the holder when no lab of the user's is left. */
void rootless_release(void);

#endif
