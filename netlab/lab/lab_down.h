/* lab_down.h: removing a lab, from its state alone. Prints (once, with context). */
#ifndef NETLAB_LAB_DOWN_H
#define NETLAB_LAB_DOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "attr.h"
#include "state.h"

/* Removes everything st's journal lists: processes in the lab's namespaces, pins, /etc/netns
 * entries, the state directory. Idempotent and best-effort: goes on past errors and returns the
 * first (-errno). quiet: no per-object messages. */
_must_check_ int down_lab(struct state *st, bool quiet);

/* Stops every process in the given network or mount namespaces (the arrays are sorted): SIGTERM,
 * then SIGKILL to those still there after 3 s, then waits (up to 2 s) until none is left.
 * Returns how many are still there (said when any), or -errno when /proc cannot be read (said). */
_must_check_ int down_kill_in(ino_t *net, size_t n_net, ino_t *mnt, size_t n_mnt);

#endif
