/* nodefd.h: the files a command holds on the nodes of a lab, within the open-file limit.
 *
 * Each node may have two files open: its network namespace (opened from its pin) and a netlink
 * socket inside it. Both are opened on demand and kept for reuse, but never more at once than the
 * open-file limit allows (raised to its hard limit, less a reserve for everything else): when the
 * budget is spent, the node used least recently has its files closed, and they are opened again
 * when asked for. A lab of any size thus runs within any limit of a few hundred files, and one of
 * a thousand nodes keeps every file open as before. Never prints but to say what limit was hit. */
#ifndef NETLAB_NODEFD_H
#define NETLAB_NODEFD_H

#include <stddef.h>

#include "nls.h"
#include "topo.h"
#include "attr.h"

/* Files kept free for everything else a command opens meanwhile (journal, pipes, a machine's
 * mounts, a command run in a node). */
#define NODEFD_RESERVE 64

struct nodefd {
	const struct topo *t;
	int orig; /* netlab's own network namespace (not owned) */
	size_t max; /* the most files open at once */
	size_t n_open; /* files open now */
	int *ns; /* per node: its network namespace, or -1 */
	struct nls *nl; /* per node: a socket inside it (.sk NULL: none) */
	size_t *prev, *next; /* nodes with a file open, least recently used first */
	size_t head, tail;
};

/* Raises the open-file limit to its hard limit and sets the budget to what is left of it. orig is
 * an fd on netlab's own network namespace, kept open by the caller. Returns 0, or -EMFILE after
 * saying that the limit is too low to work at all. */
_must_check_ int nodefd_init(struct nodefd *c, const struct topo *t, int orig);
/* Closes every file. */
void nodefd_free(struct nodefd *c);
/* Adopts fd, open on node i's network namespace (just made by the caller). */
void nodefd_put_ns(struct nodefd *c, size_t i, int fd);
/* Node i's network namespace, opened from its pin when not open: an fd the caller must not close,
 * valid until the next nodefd call, or -errno. */
_must_check_ int nodefd_ns(struct nodefd *c, size_t i);
/* A netlink socket inside node i, opened when not open; NULL with *err set to -errno. Valid until
 * the next nodefd call. */
struct nls *nodefd_nl(struct nodefd *c, size_t i, int *err);

#endif
