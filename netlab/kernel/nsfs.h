/* nsfs.h: namespace pins as iproute2 makes them (bind mounts of /proc/.../ns/X onto files). */
#ifndef NETLAB_NSFS_H
#define NETLAB_NSFS_H

#include <sys/types.h>

/* The path of the pin of network namespace name, NETNS_RUN_DIR/name (as `ip netns` names it), to
 * be freed. */
char *nsfs_netns_path(const char *name);
/* The pin of netlab's own network namespace, to open before entering others. */
#define NSFS_SELF_NET "/proc/thread-self/ns/net"

/* mkdir -p DIR, and make it a shared mount point (bound onto itself first where needed), so that
 * pins made later propagate to and vanish from every mount namespace, as `ip netns add` does. */
int nsfs_prepare_dir(const char *dir);
/* Creates an empty pin file with O_EXCL: -EEXIST when something is there already. */
int nsfs_create_file(const char *path);
/* Creates a new namespace of type nstype (CLONE_NEWNET or CLONE_NEWUTS), sets its host name when
 * hostname is not NULL, calls inside(arg) when not NULL while still in it, bind-mounts it onto
 * path (created by nsfs_create_file), and returns to the namespace open as orig_fd. Stores the
 * new namespace's inode in *ino. */
int nsfs_new_pinned(const char *path, int nstype, int orig_fd, const char *hostname, int (*inside)(void *arg), void *arg,
		    ino_t *ino);
/* Pins the namespace open as fd onto path (created by nsfs_create_file), from outside it: the way
 * to pin a mount namespace, which cannot be bound from inside itself. The parent of path must be a
 * private mount. */
int nsfs_pin_fd(int fd, const char *path);
/* Unmounts (MNT_DETACH) and removes a pin; a missing pin is success. */
int nsfs_unpin(const char *path);
/* Opens a pin or /proc/.../ns/X file. Returns an fd or -errno. */
int nsfs_open(const char *path);
/* The inode of the namespace pinned at path; -ENOENT when there is no pin, -EINVAL when the file
 * is there but no namespace is mounted on it. */
int nsfs_pin_ino(const char *path, ino_t *ino);
/* setns() wrapper returning 0 or -errno. */
int nsfs_enter(int fd, int nstype);

#endif
