/* state.c: the lab state directory, its lock and its journal. Never prints. */
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
			util_log("waiting for lab %s: another netlab command holds its lock (%s)", s->lab, s->dir);
		if (waited_ms >= limit * 1000) {
			util_log("gave up waiting for the lock of lab %s after %lu s", s->lab, limit);
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
		s->journal_fd = openat(s->dir_fd, STATE_JOURNAL, O_WRONLY | O_APPEND | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
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

int state_record(struct state *s, const char *fmt, ...)
{
	_cleanup_free_ char *line = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	if (s->journal_fd < 0)
		return -EBADF;
	return util_write_all(s->journal_fd, line, (size_t)r);
}

/* A strictly decimal number from 1 up to max (no sign, no leading zero), or -1. */
static intmax_t journal_number(const char *s, uintmax_t max)
{
	unsigned long v;

	if (!s || topo_parse_uint(s, 0, max > ULONG_MAX ? ULONG_MAX : (unsigned long)max, &v) < 0)
		return -1;
	return (intmax_t)v;
}

/* Splits line at single spaces into at most max words. Returns their number. */
static size_t split_words(char *line, char **w, size_t max)
{
	size_t n = 0;

	for (char *p = line; p && n < max; n++) {
		w[n] = p;
		p = strchr(p, ' ');
		if (p)
			*p++ = '\0';
	}
	return n;
}

/* "gone NETNS INO NODE": apply removed node NODE, its namespace and its daemons: they no longer
 * count. False when no such namespace was journaled. */
static bool journal_gone(struct state_journal *j, const char *netns, ino_t ino, const char *node)
{
	size_t i = j->n_netns, kept = 0;

	for (; i > 0; i--) /* the last one journaled */
		if (strcmp(j->netns[i - 1].name, netns) == 0 && j->netns[i - 1].id.ino == ino)
			break;
	if (i-- == 0)
		return false;
	free(j->netns[i].name);
	memmove(&j->netns[i], &j->netns[i + 1], (j->n_netns - i - 1) * sizeof(*j->netns));
	j->n_netns--;
	for (size_t d = 0; d < j->n_daemons; d++) {
		if (strcmp(j->daemons[d].node, node) == 0)
			free(j->daemons[d].node);
		else
			j->daemons[kept++] = j->daemons[d];
	}
	j->n_daemons = kept;
	return true;
}

/* One journal line, checked field by field as strictly as a topology: names as a topology allows
 * them (a netns name as a lab name: no '/', no leading '.'), inodes, times and PIDs as plain
 * numbers in range. Anything else would make down act on paths or processes outside the lab.
 * Returns false for a line netlab never writes. */
static bool journal_line(struct state_journal *j, char *line)
{
	char *w[8];
	size_t n = split_words(line, w, 8);
	intmax_t a, b, c, d;

	if (n == 1 && strcmp(w[0], "complete") == 0)
		return j->complete = true;
	if (n == 1 && strcmp(w[0], "ns-fs") == 0)
		return j->ns_fs = true;
	if (n == 1 && strcmp(w[0], "nodes-fs") == 0)
		return j->nodes_fs = true;
	if (n == 1 && strcmp(w[0], "apply-begin") == 0)
		return j->applying = true;
	if (n == 1 && strcmp(w[0], "apply-done") == 0) {
		for (size_t i = 0; i < j->n_sets; i++)
			free(j->sets[i]); /* the applied topology is in force now */
		j->n_sets = 0;
		j->applying = false;
		return true;
	}
	if (n == 4 && strcmp(w[0], "gone") == 0 && (a = journal_number(w[2], UINTMAX_MAX)) > 1 && topo_name_valid(w[3], TOPO_NAME_MAX))
		return journal_gone(j, w[1], (ino_t)a, w[3]);
	if (n == 1 && strcmp(w[0], "unset") == 0 && j->n_sets > 0) {
		free(j->sets[--j->n_sets]); /* the last set did not take effect */
		return true;
	}
	if (strcmp(w[0], "netns") == 0 && n == 6 && topo_lab_name_valid(w[1], TOPO_NETNS_MAX) &&
	    (a = journal_number(w[2], UINTMAX_MAX)) > 1 && (b = journal_number(w[3], INTMAX_MAX)) >= 0 &&
	    (c = journal_number(w[4], 999999999)) >= 0 && (d = journal_number(w[5], UINTMAX_MAX)) > 1) {
		struct state_netns *e = util_grow(&j->netns, &j->n_netns, sizeof(*e));

		e->name = util_xstrdup(w[1]);
		e->id.ino = (ino_t)a;
		e->id.time.tv_sec = (time_t)b;
		e->id.time.tv_nsec = (long)c;
		e->file_ino = (ino_t)d;
		return true;
	}
	if (strcmp(w[0], "daemon") == 0 && n == 3 && topo_name_valid(w[1], TOPO_NAME_MAX) &&
	    (a = journal_number(w[2], INT_MAX)) > 1) {
		struct state_daemon *dm = util_grow(&j->daemons, &j->n_daemons, sizeof(*dm));

		dm->node = util_xstrdup(w[1]);
		dm->pid = (pid_t)a;
		return true;
	}
	return false;
}

int state_journal_load(const struct state *s, struct state_journal *j)
{
	_cleanup_free_ char *path = state_path(s, STATE_JOURNAL), *text = NULL;
	int r, lineno = 0;

	memset(j, 0, sizeof(*j));
	r = util_read_file(path, &text, NULL);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	for (char *line = text, *next; *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (!next) {
			j->n_lines++;
			/* cut short (a full file system, a kill): not a line netlab wrote */
			if (j->n_bad++ == 0)
				j->first_bad = lineno;
			break;
		}
		*next++ = '\0';
		if (!*line)
			continue;
		j->n_lines++;
		if (strncmp(line, "set ", 4) == 0) {
			*(char **)util_grow(&j->sets, &j->n_sets, sizeof(char *)) = util_xstrdup(line + 4);
			continue;
		}
		if (!journal_line(j, line) && j->n_bad++ == 0)
			j->first_bad = lineno;
	}
	return 0;
}

void state_journal_clear(struct state_journal *j)
{
	for (size_t i = 0; i < j->n_netns; i++)
		free(j->netns[i].name);
	for (size_t i = 0; i < j->n_daemons; i++)
		free(j->daemons[i].node);
	for (size_t i = 0; i < j->n_sets; i++)
		free(j->sets[i]);
	free(j->daemons);
	free(j->sets);
	free(j->netns);
	memset(j, 0, sizeof(*j));
}

static int remove_tree_at(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int r = 0;

	if (fd < 0)
		return errno == ENOTDIR || errno == ELOOP ? (unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0)
							  : (errno == ENOENT ? 0 : -errno);
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
