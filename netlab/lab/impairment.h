/* impairment.h: putting a link's impairment in force on its interfaces (at up, and for `netlab
 * set` on a running lab). Prints (once, with context). */
#ifndef NETLAB_IMPAIRMENT_H
#define NETLAB_IMPAIRMENT_H

#include "lab.h"
#include "nls.h"
#include "attr.h"

/* Sets the egress impairment of interface ifc of node n (sk: a socket in its namespace). An
 * impairment with set == 0 and line != 0 removes what is there. Returns 0 or -errno. */
_must_check_ int impairment_apply(struct nls *sk, const struct topo_node *n,
				  const struct topo_iface *ifc, const struct topo_impair *imp);
/* Re-applies the impairment in force (l->topo's) on every interface of the links that name stands
 * for (topo_link_in). Goes on past errors; returns the first. */
_must_check_ int impairment_apply_named(const struct lab *l, const char *name);

#endif
