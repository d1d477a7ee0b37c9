/* apply.h: bringing a lab up and down. The layer that prints (with context) and rolls back. */
#ifndef NETLAB_APPLY_H
#define NETLAB_APPLY_H

#include <signal.h>

#include "state.h"
#include "topo.h"

#define APPLY_ETC_NETNS "/etc/netns"
#define APPLY_ETC_MARKER NETLAB_RUN_DIR "/.etc-netns-made-by-netlab"
#define APPLY_BRIDGE_NAME "br0"	 /* the bridge of a switch or LAN node */
#define APPLY_BRIDGE_IFINDEX 10

struct nls;
struct topo_iface;
/* Sets the egress impairment of one interface of node n (socket sk in its namespace), printing
 * why not. An impairment with set == 0 and line != 0 removes what is there. */
int apply_impairment(struct nls *sk, const struct topo_node *n, const struct topo_iface *ifc, const struct topo_impair *imp);
/* The ifindex netlab gives an interface of the lab. */
int apply_ifindex(const struct topo_iface *ifc);

/* Creates every object of t, journaling each in st before making it. On any failure, or when
 * *stop becomes non-zero (a signal), removes everything it made. Returns 0 or -errno. */
int apply_up(const struct topo *t, struct state *st, const volatile sig_atomic_t *stop);

/* Removes everything st's journal lists: processes in the lab's namespaces, pins, /etc/netns
 * entries, the state directory. Idempotent and best-effort: goes on past errors and returns the
 * first. quiet: no per-object messages. */
int apply_down(struct state *st, bool quiet);

/* Path of the pin of namespace name (NETNS_RUN_DIR/name), to be freed. */
char *apply_netns_path(const char *name);

#endif
