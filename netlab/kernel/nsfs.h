/* nsfs.h: namespace pins as iproute2 makes them (bind mounts of /proc/.../ns/X onto files). */
#ifndef NETLAB_NSFS_H
#define NETLAB_NSFS_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>
#include "attr.h"

/* The path of the pin of network namespace name, NETNS_RUN_DIR/name (as `ip netns` names it), to
 * be freed. */
char *nsfs_netns_path(const char *name);
/* The pin of netlab's own network namespace, to open before entering others. */
#define NSFS_SELF_NET "/proc/thread-self/ns/net"

/* mkdir -p DIR, and make it a shared mount point (bound onto itself first where needed), so that
 * pins made later propagate to and vanish from every mount namespace, as `ip netns add` does; with
 * recursive, every mount below it too (as `ip netns add` does for /run/netns). Not recursive for a
 * directory holding private mounts of other labs: a mount namespace cannot be pinned on a shared
 * mount, and another lab's up may be pinning one there at that moment (EINVAL). */
_must_check_ int nsfs_prepare_dir(const char *dir, bool recursive);
/* Creates an empty pin file with O_EXCL: -EEXIST when something is there already. Stores the
 * file's inode in *ino when ino is not NULL. */
_must_check_ int nsfs_create_file(const char *path, ino_t *ino);
/* Makes path a hard link of the file (or symlink) from, unless something is at path already
 * (-EEXIST). Many pins linked from one file cost one inode: nothing to allocate per pin, and
 * nothing freed per pin when they go (see docs/performance.md). */
_must_check_ int nsfs_link(const char *from, const char *path);

/* A namespace as seen through a pin: its inode number, which the kernel gives again to a later
 * namespace once this one is gone, and the time its nsfs inode was made, which tells the two apart
 * (a pin keeps that inode alive). */
struct nsfs_id {
	ino_t ino;
	struct timespec time;
};
bool nsfs_id_equal(const struct nsfs_id *a, const struct nsfs_id *b);
/* Creates a new namespace of type nstype (CLONE_NEWNET or CLONE_NEWUTS), sets its host name when
 * hostname is not NULL, calls inside(arg) when not NULL while still in it, and returns to the
 * namespace open as orig_fd. Returns an fd open on the new namespace (its identity in *id), or
 * -errno. */
_must_check_ int nsfs_new(int nstype, int orig_fd, const char *hostname, int (*inside)(void *arg),
			  void *arg, struct nsfs_id *id);
/* nsfs_new, then pins the namespace onto path (created by nsfs_create_file) and closes it. */
_must_check_ int nsfs_new_pinned(const char *path, int nstype, int orig_fd, const char *hostname,
				 int (*inside)(void *arg), void *arg, struct nsfs_id *id);
/* Pins the namespace open as fd onto path (created by nsfs_create_file), from outside it: the way
 * to pin a mount namespace, which cannot be bound from inside itself. The parent of path must be a
 * private mount. */
_must_check_ int nsfs_pin_fd(int fd, const char *path);
/* Unmounts (MNT_DETACH) and removes a pin; a missing pin is success. */
_must_check_ int nsfs_unpin(const char *path);
/* Opens a pin or /proc/.../ns/X file. Returns an fd or -errno. */
_must_check_ int nsfs_open(const char *path);
/* What is at a pin's path: NSFS_PIN_NS (a namespace is mounted there: *id is its identity),
 * NSFS_PIN_FILE (a file without one: id->ino is the file's inode), or -ENOENT / -errno. */
enum { NSFS_PIN_FILE = 1, NSFS_PIN_NS = 2 };
_must_check_ int nsfs_pin_stat(const char *path, struct nsfs_id *id);
/* setns() wrapper returning 0 or -errno. */
_must_check_ int nsfs_enter(int fd, int nstype);

#endif
