/* down.h: removing a lab, from its state alone. Prints (once, with context). */
#ifndef NETLAB_DOWN_H
#define NETLAB_DOWN_H

#include <stdbool.h>

#include "state.h"

/* Removes everything st's journal lists: processes in the lab's namespaces, pins, /etc/netns
 * entries, the state directory. Idempotent and best-effort: goes on past errors and returns the
 * first (-errno). quiet: no per-object messages. */
int down_lab(struct state *st, bool quiet);

#endif
