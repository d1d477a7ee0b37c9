/* util.c: logging, allocation and whole-file helpers. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include <time.h>

#include "util.h"

void util_log(const char *fmt, ...)
{
	va_list ap;

	fputs("netlab: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int util_vlog_errno_why(int err, const char *why, const char *fmt, va_list ap)
{
	fputs("netlab: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (err == UTIL_FAILED)
		fputs(": failed", stderr);
	else
		fprintf(stderr, ": %s", strerror(err < 0 ? -err : err));
	if (why && *why)
		fprintf(stderr, " (%s)", why);
	fputc('\n', stderr);
	return err;
}

int util_log_errno_why(int err, const char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vlog_errno_why(err, why, fmt, ap);
	va_end(ap);
	return err;
}

int util_log_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vlog_errno_why(err, NULL, fmt, ap);
	va_end(ap);
	return err;
}

static void *util_oom(void *p)
{
	if (!p) {
		fputs("netlab: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *util_xmalloc(size_t n)
{
	return util_oom(malloc(n ? n : 1));
}

void *util_xcalloc(size_t n, size_t m)
{
	return util_oom(calloc(n ? n : 1, m ? m : 1));
}

void *util_xrealloc(void *p, size_t n)
{
	return util_oom(realloc(p, n ? n : 1));
}

char *util_xstrdup(const char *s)
{
	return util_oom(strdup(s));
}

char *util_xvasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;

	return util_oom(vasprintf(&s, fmt, ap) < 0 ? NULL : s);
}

char *util_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = util_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void *util_grow(void *arr_p, size_t *n, size_t sz)
{
	char **arr = arr_p;

	*arr = util_xrealloc(*arr, (*n + 1) * sz);
	memset(*arr + *n * sz, 0, sz);
	return *arr + (*n)++ * sz;
}

int util_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w;

		errno = 0;
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return util_errno_or(EIO); /* a write of 0 bytes sets no errno */
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

void util_catch_stop_signals(void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler ? handler : SIG_DFL };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

uint64_t util_now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
}

void util_trace(const char *phase)
{
	static struct timespec last;
	struct timespec now;

	if (!getenv("NETLAB_TRACE"))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (last.tv_sec)
		fprintf(stderr, "netlab: trace: %-12s %8.3f ms\n", phase,
			(double)(now.tv_sec - last.tv_sec) * 1e3 +
				(double)(now.tv_nsec - last.tv_nsec) / 1e6);
	last = now;
}

int util_split_words(char *s, const char *seps, unsigned int flags, char **w, size_t max)
{
	size_t n = 0;

	for (char *p = s;;) {
		p += strspn(p, seps);
		if (!*p)
			return (int)n;
		if (n == max)
			return (int)max + 1;
		w[n++] = p;
		if ((flags & UTIL_WORDS_QUOTED) && *p == '"') {
			if (!(p = strchr(p + 1, '"')))
				return -EINVAL;
		} else {
			p += strcspn(p, seps);
		}
		if (*p)
			*p++ = '\0';
	}
}

char *util_trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

const char *util_test_hook(const char *name)
{
#ifdef NETLAB_TEST_HOOKS
	return getenv(name);
#else
	(void)name;
	return NULL;
#endif
}

/* Writes data to fd, of that mode, synced; closes fd. */
static int write_new(int fd, const char *data, size_t len, int mode)
{
	int r = fchmod(fd, (mode_t)mode) < 0 ? -errno : 0;

	if (r == 0)
		r = util_write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	return r;
}

int util_write_file_tmp(const char *path, const char *data, size_t len, int mode, char **tmp)
{
	/* a new file of a name nobody could plant (mkostemp: O_EXCL, so never through a symlink) */
	char *name = util_xasprintf("%s.XXXXXX", path);
	int fd = mkostemp(name, O_CLOEXEC), r;

	*tmp = NULL;
	if (fd < 0) {
		r = -errno;
		free(name);
		return r;
	}
	if ((r = write_new(fd, data, len, mode)) < 0) {
		unlink(name);
		free(name);
		return r;
	}
	*tmp = name;
	return 0;
}

int util_write_file_atomic(const char *path, const char *data, size_t len, int mode)
{
	_cleanup_free_ char *tmp = NULL;
	int r = util_write_file_tmp(path, data, len, mode, &tmp);

	if (r == 0 && rename(tmp, path) < 0) {
		r = -errno;
		unlink(tmp);
	}
	return r;
}

int util_write_file_at(int dirfd, const char *name, const char *data, size_t len, int mode)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int r;

	if (fd < 0)
		return -errno;
	if ((r = write_new(fd, data, len, mode)) < 0)
		unlinkat(dirfd, name, 0);
	return r;
}

/* Waits up to UTIL_FIFO_WAIT_MS for a pipe opened O_NONBLOCK to have data or its writer gone. */
#define UTIL_FIFO_WAIT_MS 10000
static int wait_fifo(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, UTIL_FIFO_WAIT_MS);

	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

/* util_read_file on an open fd (O_NONBLOCK), its mode into *mode when not NULL. */
static int read_fd(int fd, char **data, size_t *len, unsigned int *mode)
{
	_cleanup_free_ char *buf = NULL;
	size_t cap = 0, n = 0;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (mode)
		*mode = st.st_mode & 07777;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		return -UTIL_ENOTFILE;
	if (S_ISFIFO(st.st_mode)) {
		int r = wait_fifo(fd);

		if (r < 0)
			return r;
		if (fcntl(fd, F_SETFL, 0) < 0)
			return -errno;
	}
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 4096;
			if (cap > (64u << 20))
				return -EFBIG;
			buf = util_xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (!buf)
		buf = util_xcalloc(1, 1);
	buf[n] = '\0';
	*data = steal_pointer(&buf);
	if (len)
		*len = n;
	return 0;
}

int util_read_file(const char *path, char **data, size_t *len)
{
	/* O_NONBLOCK: opening a FIFO must not wait forever for a writer */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return read_fd(fd, data, len, NULL);
}

int util_open_beneath(int dirfd, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC | O_NOFOLLOW),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

int util_read_file_beneath(int dirfd, const char *rel, char **data, size_t *len, unsigned int *mode)
{
	_cleanup_close_ int fd = util_open_beneath(dirfd, rel, O_RDONLY | O_NONBLOCK);
	struct stat st;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISFIFO(st.st_mode))
		return -UTIL_ENOTFILE; /* a lab directory's files are files */
	return read_fd(fd, data, len, mode);
}

const char *util_read_strerror(int r)
{
	if (r == -UTIL_ENOTFILE)
		return "not a regular file or a pipe";
	if (r == -ETIMEDOUT)
		return "nothing came through the pipe in 10 s";
	return strerror(-r);
}

int util_memfd_path(const char *name, const char *data, size_t len, char *path, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	if ((r = util_write_all(fd, data, len)) < 0) {
		close(fd);
		return r;
	}
	snprintf(path, size, "/proc/self/fd/%d", fd);
	return fd;
}

int util_nofile_free(size_t *limit)
{
	struct rlimit rl;
	DIR *d;
	struct dirent *e;
	size_t open_now = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			return -errno;
	}
	if (!(d = opendir("/proc/self/fd")))
		return -errno;
	while ((e = readdir(d)))
		open_now += e->d_name[0] != '.';
	closedir(d);
	if (rl.rlim_cur > INT_MAX)
		rl.rlim_cur = INT_MAX;
	*limit = rl.rlim_cur;
	return open_now >= rl.rlim_cur ? 0 : (int)(rl.rlim_cur - open_now);
}

int util_mkdir_p(const char *path, unsigned int mode)
{
	_cleanup_free_ char *parent = NULL;
	char *slash;
	int r;

	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -errno;
	/* a parent is missing: make it, then try again */
	parent = util_xstrdup(path);
	slash = strrchr(parent, '/');
	if (!slash || slash == parent)
		return -ENOENT;
	*slash = '\0';
	if ((r = util_mkdir_p(parent, mode)) < 0)
		return r;
	return mkdir(path, mode) < 0 && errno != EEXIST ? -errno : 0;
}

static const char *copy_dst;
static size_t copy_base_len;
static const char *const *copy_skip;
static int copy_err;

static int copy_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)f;
	const char *rel = path + copy_base_len + (path[copy_base_len] == '/');
	_cleanup_free_ char *to = util_xasprintf("%s%s%s", copy_dst, *rel ? "/" : "", rel);
	int r = 0;

	for (const char *const *s = copy_skip; *rel && s && *s; s++)
		if (!strcmp(rel, *s))
			return FTW_SKIP_SUBTREE;
	if (flag == FTW_D) {
		if (mkdir(to, st->st_mode & 07777) < 0 && errno != EEXIST)
			r = -errno;
		else if (chmod(to, st->st_mode & 07777) < 0 ||
			 lchown(to, st->st_uid, st->st_gid) < 0)
			r = -errno;
	} else if (flag == FTW_SL) {
		_cleanup_free_ char *target = util_xcalloc(PATH_MAX, 1);
		ssize_t n = readlink(path, target, PATH_MAX - 1);

		unlink(to);
		if (n < 0 || symlink(target, to) < 0 || lchown(to, st->st_uid, st->st_gid) < 0)
			r = -errno;
	} else if (flag == FTW_F && S_ISREG(st->st_mode)) {
		_cleanup_close_ int in = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		_cleanup_close_ int out = -1;
		char buf[65536];
		ssize_t n;

		unlink(to);
		out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (in < 0 || out < 0)
			r = -errno;
		while (r == 0 && (n = read(in, buf, sizeof(buf))) != 0)
			if (n < 0 || util_write_all(out, buf, (size_t)n) < 0)
				r = n < 0 ? -errno : -EIO;
		if (r == 0 && (fchown(out, st->st_uid, st->st_gid) < 0 ||
			       fchmod(out, st->st_mode & 07777) < 0))
			r = -errno;
	} /* sockets, FIFOs, devices (an overlay's whiteouts): not copied */
	if (r < 0 && !copy_err)
		copy_err = r;
	return FTW_CONTINUE;
}

int util_copy_tree(const char *from, const char *to, const char *const *skip)
{
	copy_dst = to;
	copy_skip = skip;
	copy_base_len = strlen(from);
	copy_err = 0;
	if (nftw(from, copy_one, 16, FTW_PHYS | FTW_MOUNT | FTW_ACTIONRETVAL) < 0)
		return -errno;
	return copy_err;
}

uid_t util_overflow_uid(void)
{
	_cleanup_free_ char *text = NULL;

	return util_read_file("/proc/sys/kernel/overflowuid", &text, NULL) == 0 ?
		       (uid_t)strtoul(text, NULL, 10) :
		       65534;
}
