/* etcnetns.h: the lab's /etc files (a hosts file naming every node) and the /etc/netns/NS entries
 * through which `ip netns exec` and `netlab exec` see them. Prints (once, with context). */
#ifndef NETLAB_ETCNETNS_H
#define NETLAB_ETCNETNS_H

#include "state.h"
#include "topo.h"

#define ETCNETNS_DIR "/etc/netns"
/* beside the labs' states: says netlab made /etc/netns, so that the last lab down removes it */
#define ETCNETNS_MARKER NETLAB_RUN_DIR "/.etc-netns-made-by-netlab"

/* ETCNETNS_DIR/ns, to be freed. */
char *etcnetns_path(const char *ns);
/* Writes the lab's etc directory (STATE_ETC_DIR: its hosts file) and makes ETCNETNS_DIR when
 * missing (with the marker). Returns 0 or -errno. */
int etcnetns_prepare(struct state *st, const struct topo *t);
/* Journals, then makes ETCNETNS_DIR/ns, a symlink to the lab's etc directory (one per node: one
 * unlink at down). Returns 0 or -errno. */
int etcnetns_link(struct state *st, const char *ns);
/* Removes the journal's /etc/netns links that still point at etc_dir, and ETCNETNS_DIR itself
 * when netlab made it and it is empty. Goes on past errors; returns the first. */
int etcnetns_remove(const struct state_journal *j, const char *etc_dir);

#endif
