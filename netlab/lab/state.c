/* state.c: the lab state directory and its lock (saying so while it waits for it). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>

#include "state.h"
#include "topo.h"
#include "util.h"

char *state_path(const struct state *s, const char *name)
{
	return util_xasprintf("%s/%s", s->dir, name);
}

char *state_pin_tmp_path(const struct state *s)
{
	return util_xasprintf("%s/" STATE_PIN_TMP_FMT, NETNS_RUN_DIR, s->lab);
}

void state_free(struct state *s)
{
	if (!s)
		return;
	if (s->journal_fd >= 0)
		close(s->journal_fd);
	if (s->dir_fd >= 0)
		close(s->dir_fd); /* releases the flock */
	free(s->lab);
	free(s->dir);
	free(s);
}

/* Takes the directory's lock, waiting for another netlab that holds it (saying so once) up to
 * NETLAB_LOCK_TIMEOUT seconds (default STATE_LOCK_TIMEOUT_S). Returns 0 or -errno (-ETIMEDOUT). */
static int lock_dir(const struct state *s)
{
	const char *env = getenv("NETLAB_LOCK_TIMEOUT");
	unsigned long limit = STATE_LOCK_TIMEOUT_S, waited_ms = 0;
	struct timespec tick = { 0, 100 * 1000 * 1000 };

	if (env && topo_parse_uint(env, 0, 86400, &limit) < 0)
		limit = STATE_LOCK_TIMEOUT_S;
	for (;;) {
		if (flock(s->dir_fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (waited_ms == 0)
			util_log("waiting for lab %s: another netlab command holds its lock (%s)",
				 s->lab, s->dir);
		if (waited_ms >= limit * 1000) {
			util_log("gave up waiting for the lock of lab %s after %lu s", s->lab,
				 limit);
			return -ETIMEDOUT;
		}
		if (nanosleep(&tick, NULL) < 0 && errno == EINTR)
			return -EINTR; /* a signal netlab catches (up): stop waiting */
		waited_ms += 100;
	}
}

int state_open(const char *lab, unsigned int flags, struct state **out)
{
	bool create = flags & STATE_CREATE;
	struct state *s = util_xcalloc(1, sizeof(*s));
	struct stat a, b;
	int r;

	s->dir_fd = s->journal_fd = -1;
	s->lab = util_xstrdup(lab);
	s->dir = util_xasprintf("%s/%s", NETLAB_RUN_DIR, lab);
	if (create && mkdir(NETLAB_RUN_DIR, 0755) < 0 && errno != EEXIST)
		goto fail_errno;
	/* root's alone: no other user may read it, write into it, or hold its lock */
	if (create && mkdir(s->dir, 0700) < 0 && errno != EEXIST)
		goto fail_errno;
	s->dir_fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0)
		goto fail_errno;
	if (!(flags & STATE_NOLOCK) && (r = lock_dir(s)) < 0)
		goto fail;
	/* A `down` may have removed the directory while we waited for the lock. */
	if (fstat(s->dir_fd, &a) < 0)
		goto fail_errno;
	if (stat(s->dir, &b) < 0 || a.st_ino != b.st_ino) {
		r = create ? -EAGAIN : -ENOENT;
		goto fail;
	}
	if (!(flags & STATE_NOLOCK)) {
		s->journal_fd = openat(s->dir_fd, STATE_JOURNAL,
				       O_WRONLY | O_APPEND | O_CLOEXEC | (create ? O_CREAT : 0),
				       0644);
		if (s->journal_fd < 0 && !(errno == ENOENT && !create))
			goto fail_errno;
	}
	*out = s;
	return 0;
fail_errno:
	r = -errno;
fail:
	state_free(s);
	return r;
}

static int remove_tree_at(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int r = 0;

	if (fd < 0 && errno != ENOTDIR && errno != ELOOP)
		return errno == ENOENT ? 0 : -errno;
	if (fd < 0) /* not a directory, or a symlink: unlinked as it is */
		return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((e = readdir(d))) {
		int q;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		q = remove_tree_at(dirfd(d), e->d_name);
		if (q < 0 && r == 0)
			r = q;
	}
	closedir(d);
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT && r == 0)
		r = -errno;
	return r;
}

int state_remove(struct state *s)
{
	return remove_tree_at(AT_FDCWD, s->dir);
}

int state_remove_tree(const char *path)
{
	return remove_tree_at(AT_FDCWD, path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list(char ***labs, size_t *n)
{
	DIR *d = opendir(NETLAB_RUN_DIR);
	struct dirent *e;

	*labs = NULL;
	*n = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		*(char **)util_grow(labs, n, sizeof(char *)) = util_xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*labs, *n, sizeof(char *), cmp_str);
	return 0;
}
