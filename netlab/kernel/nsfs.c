/* nsfs.c: creating, opening and removing namespace pins. Never prints. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nsfs.h"
#include "util.h"

char *nsfs_netns_path(const char *name)
{
	return util_xasprintf("%s/%s", NETNS_RUN_DIR, name);
}

/* What nsfs_prepare_dir may wait for the directories' locks, all calls of one command together. */
#define PREPARE_LOCK_WAIT_MS 5000
static int prepare_wait_left_ms = PREPARE_LOCK_WAIT_MS;

int nsfs_prepare_dir(const char *dir, bool recursive)
{
	unsigned long shared = MS_SHARED | (recursive ? MS_REC : 0);
	int r = util_mkdir_p(dir, 0755), lock;

	if (r < 0)
		return r;
	/* A mount point already (every time but the first after boot): made shared again, which two
	 * at once may do; no lock, so nobody holding it delays anything. */
	if (mount("", dir, "none", shared, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	/* Not a mount point yet: bind it onto itself, then make it shared. iproute2 (ip netns add)
	 * holds an flock on the directory while it does the same: two at once would bind it onto
	 * itself twice. Anybody who can read the directory can hold that lock, so it is waited for
	 * PREPARE_LOCK_WAIT_MS at most over all directories; then the worst is a second bind. */
	lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock < 0)
		return -errno;
	while (flock(lock, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK &&
	       prepare_wait_left_ms > 0) {
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
		prepare_wait_left_ms -= 10;
	}
	if (mount("", dir, "none", shared, NULL) == 0)
		r = 0;
	else if (errno != EINVAL)
		r = -errno;
	else if (mount(dir, dir, "none", MS_BIND | MS_REC, NULL) < 0 ||
		 mount("", dir, "none", shared, NULL) < 0)
		r = -errno;
	close(lock);
	return r;
}

int nsfs_create_file(const char *path, ino_t *ino)
{
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	struct stat st;
	int r = 0;

	if (fd < 0)
		return -errno;
	if (ino && fstat(fd, &st) < 0)
		r = -errno;
	else if (ino)
		*ino = st.st_ino;
	close(fd);
	return r;
}

int nsfs_link(const char *from, const char *path)
{
	return linkat(AT_FDCWD, from, AT_FDCWD, path, 0) < 0 ? -errno : 0;
}

bool nsfs_id_equal(const struct nsfs_id *a, const struct nsfs_id *b)
{
	return a->ino == b->ino && a->time.tv_sec == b->time.tv_sec &&
	       a->time.tv_nsec == b->time.tv_nsec;
}

static void id_of(const struct stat *st, struct nsfs_id *id)
{
	id->ino = st->st_ino;
	id->time = st->st_ctim;
}

int nsfs_new(int nstype, int orig_fd, const char *hostname, int (*inside)(void *arg), void *arg,
	     struct nsfs_id *id)
{
	const char *self = nstype == CLONE_NEWNET ? "/proc/thread-self/ns/net" :
						    "/proc/thread-self/ns/uts";
	struct stat st;
	int r = 0, fd = -1;

	if (unshare(nstype) < 0)
		return -errno;
	if (hostname && sethostname(hostname, strlen(hostname)) < 0)
		r = -errno;
	if (r == 0 && inside)
		r = inside(arg);
	if (r == 0 && (fd = open(self, O_RDONLY | O_CLOEXEC)) < 0)
		r = -errno;
	if (r == 0 && fstat(fd, &st) < 0)
		r = -errno;
	if (setns(orig_fd, nstype) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		if (fd >= 0)
			close(fd);
		return r;
	}
	id_of(&st, id);
	return fd;
}

int nsfs_new_pinned(const char *path, int nstype, int orig_fd, const char *hostname,
		    int (*inside)(void *arg), void *arg, struct nsfs_id *id)
{
	int fd = nsfs_new(nstype, orig_fd, hostname, inside, arg, id), r;

	if (fd < 0)
		return fd;
	r = nsfs_pin_fd(fd, path);
	close(fd);
	return r;
}

int nsfs_pin_fd(int fd, const char *path)
{
	char src[64];

	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	return mount(src, path, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
}

int nsfs_unpin(const char *path)
{
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return -errno;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int nsfs_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Every namespace file lives on the one nsfs instance: a pin holds a namespace when its device is
 * that of /proc/self/ns/net. */
static int check_nsfs(const struct stat *st)
{
	static dev_t nsfs_dev;
	struct stat self;

	if (!nsfs_dev) {
		if (stat("/proc/self/ns/net", &self) < 0)
			return -errno;
		nsfs_dev = self.st_dev;
	}
	return st->st_dev == nsfs_dev ? 0 : -EINVAL;
}

int nsfs_pin_stat(const char *path, struct nsfs_id *id)
{
	struct stat st;
	int r;

	if (stat(path, &st) < 0)
		return -errno;
	r = check_nsfs(&st);
	if (r == -EINVAL) {
		id->ino = st.st_ino;
		return NSFS_PIN_FILE;
	}
	if (r < 0)
		return r;
	id_of(&st, id);
	return NSFS_PIN_NS;
}

int nsfs_enter(int fd, int nstype)
{
	return setns(fd, nstype) < 0 ? -errno : 0;
}
