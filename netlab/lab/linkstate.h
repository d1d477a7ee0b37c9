/* linkstate.h: `netlab link`: putting the link state in force (each interface's down, see topo.h)
 * on a running lab's interfaces, and bringing back, when a link comes up again, everything the
 * topology declares through it. Prints (once, with context). */
#ifndef NETLAB_LINKSTATE_H
#define NETLAB_LINKSTATE_H

#include "lab.h"
#include "attr.h"

/* For every end of the links name stands for (topo_link_in): takes it down when its down is set,
 * else brings it up (a bridge port back into its bridge) and puts back its addresses and
 * impairment, then the routes of its node that do not go through a cut link (the kernel removed
 * some when the interface went down; what is already there is left as it is). Goes on past
 * errors; returns the first. */
_must_check_ int linkstate_apply_named(const struct lab *l, const char *name);

#endif
