/* exec.h: entering a node the way `ip netns exec` does. */
#ifndef NETLAB_EXEC_H
#define NETLAB_EXEC_H

#include "lab.h"

/* Moves the calling process into node i of lab l: its network and UTS namespaces, a private
 * mount namespace with a fresh /sys, and the node's /etc/netns files bound over /etc. Returns 0
 * or -errno; prints nothing. */
int exec_enter(const struct lab *l, size_t i);

#endif
