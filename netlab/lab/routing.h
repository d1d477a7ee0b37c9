/* routing.h: FRR and BIRD 2, from Debian's packages, in a node (frr = FILE, bird = FILE): their
 * configuration written into the node's own /etc, FRR started as its init script would (the node's
 * /run keeps its sockets and pid files apart from every other node's), BIRD as a daemon. */
#ifndef NETLAB_ROUTING_H
#define NETLAB_ROUTING_H

#include <stdbool.h>
#include <sys/types.h>

#include "topo.h"
#include "attr.h"

/* Debian's init script: its presence says FRR is installed (netlab starts FRR without it) */
#define ROUTING_FRR_INIT "/usr/lib/frr/frrinit.sh"
/* Where a node's FRR daemons log (its daemons file gives them --log), so netlab logs shows it */
#define ROUTING_FRR_LOG "/var/log/frr/frr.log"
#define ROUTING_VTYSH "/usr/bin/vtysh"
/* BIRD in the foreground (so that netlab follows it), as Debian's service runs it */
#define ROUTING_BIRD_CMD \
	"mkdir -p /run/bird && chown bird:bird /run/bird && exec bird -f -u bird -g bird -c /etc/bird/bird.conf"

/* The FRR daemons a configuration needs besides zebra and staticd (ospfd for "router ospf", ...),
 * as a NULL-terminated list of static strings in out (room for ROUTING_FRR_MAX + 1). Pure. */
#define ROUTING_FRR_MAX 16
size_t routing_frr_daemons(const char *conf, const char **out);
/* FRR's daemons file: the machine's (text) with each daemon in list switched on, and logging to
 * ROUTING_FRR_LOG. Pure; to be freed. */
char *routing_frr_daemons_file(const char *text, const char *const *list);

/* The shell command that starts FRR in a node as Debian's frrinit.sh would, from the node's
 * daemons file (daemons_text): the run directory, zebra and each daemon switched on (and staticd,
 * which Debian's scripts always start), with the file's options, then watchfrr watching them, then
 * one `vtysh -b` loading frr.conf into all. Without the scripts' bash (sourced per daemon) and
 * their vtysh per daemon, a router's start takes about half the CPU. Pure; to be freed. */
char *routing_frr_start(const char *daemons_text);

/* Writes node n's configuration files into its writable layer root (STATE/nodes/NODE/root), with
 * the owner and mode of the /etc/frr or /etc/bird below base ("": the machine's; else the node's
 * image's root filesystem), whose daemons file it starts from. Returns 0 or -errno after saying
 * why. */
_must_check_ int routing_write(const struct topo *t, const struct topo_node *n, const char *root,
			       const char *base);

/* The first FRR daemon node n needs (watchfrr, zebra, staticd, and those of its configuration)
 * that does not run in the node whose writable layer is root, or NULL when all run. */
const char *routing_frr_missing(const struct topo *t, const struct topo_node *n, const char *root);

/* FRR's own check of a configuration file (vtysh --dryrun, on the machine): each line it rejects
 * as "LINE<TAB>WHY" in *rejected (to be freed; "" when none). Returns 0, or -errno when vtysh
 * cannot be run (-ENOENT: FRR is not installed). */
_must_check_ int routing_frr_check(const char *path, char **rejected);

/* Whether node n's frr or bird file (relative to t's directory) holds something else than the copy
 * its writable layer at root holds (`apply`: the node is then replaced). */
bool routing_conf_changed(const struct topo *t, const struct topo_node *n, const char *root);

#endif
