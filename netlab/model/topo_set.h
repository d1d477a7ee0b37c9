/* topo_set.h: the changes `netlab set` and `netlab link` make to a running lab's model, and the
 * words the journal keeps of them. Pure. */
#ifndef NETLAB_TOPO_SET_H
#define NETLAB_TOPO_SET_H

#include "topo.h"

/* `netlab set`: changes impairment KEY (or KEY.NODE, one end or one LAN member) of the link or LAN
 * called name to value ("off" removes it), and the interfaces' impairment in force. Returns 0, or
 * -ENOENT (no such link or LAN, or NODE is not one of its ends), -EINVAL/-ERANGE (bad key or
 * value), with the reason added to why. */
_must_check_ int topo_set_impair(struct topo *t, const char *name, const char *key,
				 const char *value, struct topo_diag *why);
/* `netlab link`: takes the interfaces of the links name stands for down (down true) or back up;
 * node: that end only (of a LAN: that member's own interface), NULL: every end. Sets each
 * interface's down, and the cut of both ends of every link it changed. Returns 0 or -ENOENT (with
 * the reason added to why). */
_must_check_ int topo_set_state(struct topo *t, const char *name, const char *node, bool down,
				struct topo_diag *why);
/* One word of `netlab set` (and of the journal's set lines): KEY=VALUE with KEY an impairment
 * (topo_set_impair) or state / state.NODE with VALUE up or down (topo_set_state). Returns 0 or
 * -errno with the reason added to why. */
_must_check_ int topo_set_word(struct topo *t, const char *name, const char *word,
			       struct topo_diag *why);

#endif
