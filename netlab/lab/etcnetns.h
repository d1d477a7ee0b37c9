/* etcnetns.h: the lab's /etc files (a hosts file naming every node) and the /etc/netns/NS entries
 * through which `ip netns exec` and `netlab exec` see them. Prints (once, with context). */
#ifndef NETLAB_ETCNETNS_H
#define NETLAB_ETCNETNS_H

#include "state.h"
#include "topo.h"
#include "attr.h"

#define ETCNETNS_DIR "/etc/netns"
/* beside the labs' states: says netlab made /etc/netns, so that the last lab down removes it */
#define ETCNETNS_MARKER NETLAB_RUN_DIR "/.etc-netns-made-by-netlab"
/* serialises the making, marking and removal of ETCNETNS_DIR between netlab commands; there only
 * while a command holds it */
#define ETCNETNS_LOCK NETLAB_RUN_DIR "/.etc-netns.lock"

/* ETCNETNS_DIR/ns, to be freed. */
char *etcnetns_path(const char *ns);
/* Writes the lab's etc directory (STATE_ETC_DIR: its hosts file), makes ETCNETNS_DIR when
 * missing (with the marker) and ETCNETNS_DIR/NS for every node, a symlink to the etc directory
 * (hard links of one symlink: see make_seed; one unlink each at down; one already there pointing
 * at it is left as it is). Returns 0 or -errno. */
_must_check_ int etcnetns_add(struct state *st, const struct topo *t);
/* Removes ETCNETNS_DIR/NS when it points at etc_dir (apply, a node removed). */
_must_check_ int etcnetns_remove_one(const char *etc_dir, const char *ns);
/* Removes the ETCNETNS_DIR links that point at etc_dir (the lab's: no journal needed), and
 * ETCNETNS_DIR itself when netlab made it and it is empty. Goes on past errors; returns the first.
 */
_must_check_ int etcnetns_remove(const char *etc_dir);

#endif
