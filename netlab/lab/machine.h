/* machine.h: a node's own filesystem, so that a node is a small machine: a mount namespace made by
 * up and pinned beside its UTS namespace, in which
 *   /etc, /var/lib, /var/log   are overlays: the machine's directory at the bottom, the lab's hosts
 *                              file (for /etc), the node's files (files = DIR: DIR/etc, ...), and
 *                              on top the node's writable layer in STATE/nodes/NODE/root;
 *   /tmp, /var/tmp, /run       are the node's own, empty at start (or seeded from DIR/tmp, ...);
 *   /sys                       shows the node's network namespace;
 *   any other directory DIR/X  is an overlay on /X the same way (/X must exist on the machine).
 * Nothing is written to the machine's own files; down removes STATE and with it every layer.
 * Prints (once, with context). */
#ifndef NETLAB_MACHINE_H
#define NETLAB_MACHINE_H

#include <sys/types.h>

#include "state.h"
#include "topo.h"
#include "attr.h"

/* STATE_DIR/ns/NODE.TYPE (TYPE "uts" or "mnt"): the pin of a node's UTS or mount namespace, to be
 * freed. */
char *machine_ns_pin(const char *state_dir, const char *node, const char *type);
/* The nsenter command that enters node's network, mount and UTS namespaces from a shell (its
 * netns pinned as netns; without root through the user's holder), to be freed. */
char *machine_nsenter(const char *state_dir, const char *node, const char *netns);

/* STATE_DIR/nodes/NODE/root: the node's writable layers as the machine sees them, to be freed. */
char *machine_root(const char *state_dir, const char *node);

/* Where netlab's root is in its mount namespace when it runs chrooted (STATE_ROOT, written by
 * machine_template), to be freed; NULL when it does not. Read it before entering a node. */
char *machine_read_root(const char *state_dir);
/* After entering a node's mount namespace: goes to root (from machine_read_root; NULL: stays), as
 * the node's mounts are there. Returns 0 or -errno. */
_must_check_ int machine_enter_root(const char *root);

/* In a node's mount namespace (at netlab's root there): mounts the node's own /sys, of its network
 * namespace netns (the mount's source, a label), unless /sys is already another device than outer,
 * that of the /sys netlab sees outside the node. up leaves a node without an image the template's
 * /sys (the one netlab sees): the first process to enter it mounts the node's (lab_exec.c).
 * Mounting them all at up made up quadratic: the kernel looks each new sysfs up among all the
 * others (docs/performance.md). Of two processes entering at once, the second finds the first's
 * mount (the kernel's EBUSY) and takes it as its own. Returns 0 or -errno. */
_must_check_ int machine_sys(const char *netns, dev_t outer);

/* Makes the lab's template mount namespace, of which every node's is a copy: made once, so that
 * making a node's costs the same whatever the lab's size (see template_fill). Needs the lab's
 * STATE_NODES_DIR and STATE_ETC_DIR. Returns an fd of it (close it when every node is made), or
 * -errno after saying why; the caller's mount namespace and directory are restored. */
_must_check_ int machine_template(struct state *st, int orig_mnt);

/* Makes node i's mount namespace, a copy of the template tmpl, inside its network namespace (open
 * as net_fd), and pins it; the caller's namespaces (orig_net, orig_mnt) and working directory are
 * restored. Returns 0 or -errno after saying why. */
_must_check_ int machine_make(const struct topo *t, size_t i, struct state *st, int tmpl,
			      int net_fd, int orig_net, int orig_mnt);
/* After the last machine_make: lets netlab run on every CPU again (machine_make may have kept it
 * on one, see unshare_pinnable), before it starts the nodes' commands and daemons. */
void machine_cpus_restore(void);

#endif
