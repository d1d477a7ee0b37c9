/* util.h: cleanup helpers and the one error-reporting idiom shared by the command layer. */
#ifndef NETLAB_UTIL_H
#define NETLAB_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "attr.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void util_freep(void *p)
{
	free(*(void **)p);
}

static inline void util_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void util_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define _cleanup_free_ __attribute__((cleanup(util_freep)))
#define _cleanup_close_ __attribute__((cleanup(util_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(util_fclosep)))

static inline void *util_steal(void *pp)
{
	void **p = pp;
	void *v = *p;

	*p = NULL;
	return v;
}
#define steal_pointer(pp) util_steal(pp)
#define SWAP(a, b)                         \
	do {                               \
		__typeof__(a) swap_ = (a); \
		(a) = (b);                 \
		(b) = swap_;               \
	} while (0)

/* Prints "netlab: MESSAGE" on stderr. */
void util_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* What a function returns, after saying why, for a failure that has no errno of its own (a
 * command that exited non-zero, a daemon that died): a value no errno has. */
#define UTIL_FAILED (-4096)

/* Prints "netlab: MESSAGE: strerror(-err)" and returns err (a negative errno). */
int util_log_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_errno util_log_errno
/* The same with why, what explains err in the words of whoever failed (the kernel's extended
 * ack for a netlink request: nls_ext_ack; libpcap's message), when there are some (NULL or ""
 * when not): "netlab: MESSAGE: strerror(-err) (WHY)". Errnos alone ("Invalid argument") often do
 * not say what was wrong; the words travel with the error they explain, from the call that
 * failed to the one message. */
int util_log_errno_why(int err, const char *why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int util_vlog_errno_why(int err, const char *why, const char *fmt, va_list ap);
#define log_errno_why util_log_errno_why

/* -errno after a call that failed, or -fallback when the call left errno 0 (set errno = 0 before
 * a call that may fail without setting it). */
static inline int util_errno_or(int fallback)
{
	return errno > 0 ? -errno : -fallback;
}
/* Writes all of data to fd (retrying short writes and EINTR). Returns 0 or -errno. */
_must_check_ int util_write_all(int fd, const void *data, size_t len);

/* With NETLAB_TRACE set, prints on stderr how long it took since the last call (benchmarks). */
void util_trace(const char *phase);
/* The one word splitter. Splits s in place at runs of the characters of seps into w[0..max-1]
 * (no empty words). With UTIL_WORDS_QUOTED a word that starts with a double quote runs to the
 * next double quote, separators and all; it keeps its opening quote as a marker and loses the
 * closing one. Returns the number of words, max + 1 when there are more (w holds the first max),
 * or -EINVAL for a quote left open. */
enum { UTIL_WORDS_QUOTED = 1 };
int util_split_words(char *s, const char *seps, unsigned int flags, char **w, size_t max);
/* s without white space at either end (cut in place). */
char *util_trim(char *s);
/* Whether a and b are the same string, or both NULL. */
static inline bool util_streq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The value of the test hook NAME (NETLAB_TEST_*) in a test build (make check's: TEST_HOOKS=1);
 * NULL in any other build, so that an installed netlab, which runs as root, ignores them. */
const char *util_test_hook(const char *name);

/* Allocation that aborts on failure: only for small bookkeeping, never for user input sizes. */
void *util_xmalloc(size_t n);
void *util_xcalloc(size_t n, size_t m);
void *util_xrealloc(void *p, size_t n);
char *util_xstrdup(const char *s);
char *util_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *util_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grows *arr (of *n elements of size sz) by one zeroed element and returns it. */
void *util_grow(void *arr_p, size_t *n, size_t sz);

/* Raises the open-file limit to its hard limit (stored in *limit) and returns how many more files
 * may be opened (the listing of /proc/self/fd counted as open), or -errno. */
_must_check_ int util_nofile_free(size_t *limit);
/* Writes data to path atomically: a new file beside it of a name nobody can plant (created with
 * O_EXCL, so never through a symlink), given mode, then renamed over path (a symlink at path is
 * replaced, not followed). Returns 0 or -errno. */
_must_check_ int util_write_file_atomic(const char *path, const char *data, size_t len, int mode);
/* The first half of util_write_file_atomic: writes a new file beside path (path.XXXXXX, O_EXCL)
 * and gives its name in *tmp (to be freed), for the caller to rename or remove. */
_must_check_ int util_write_file_tmp(const char *path, const char *data, size_t len, int mode,
				     char **tmp);
/* Writes a new file name in the directory dirfd (O_EXCL, O_NOFOLLOW: never an existing file, nor
 * through a symlink), of that mode. Returns 0 or -errno. */
_must_check_ int util_write_file_at(int dirfd, const char *name, const char *data, size_t len,
				    int mode);
/* mkdir -p: makes path and its missing parents with mode. Returns 0 or -errno. */
_must_check_ int util_mkdir_p(const char *path, unsigned int mode);
/* Copies the tree from into to (made when missing; what is there is kept unless replaced):
 * directories, regular files and symbolic links, with their modes and owners; not sockets, FIFOs
 * or devices; nothing whose path relative to from is in skip (NULL-terminated, or NULL). Not
 * reentrant. Returns 0 or the first -errno (the rest is copied). */
_must_check_ int util_copy_tree(const char *from, const char *to, const char *const *skip);
/* The uid a file's owner shows as when the user namespace does not map it (a rootless lab's view
 * of the machine's frr or bird: /proc/sys/kernel/overflowuid, 65534). */
uid_t util_overflow_uid(void);
/* Reads a whole file into a NUL-terminated buffer: a regular file, or a pipe or FIFO (opened
 * without waiting for a writer; then waits up to 10 s for its first data). Returns 0 or -errno:
 * -EISDIR, -UTIL_ENOTFILE (a device or socket), -ETIMEDOUT (a silent pipe), -EFBIG (over 64 MiB).
 */
#define UTIL_ENOTFILE ENOTSUP
_must_check_ int util_read_file(const char *path, char **data, size_t *len);
/* openat2 of rel beneath dirfd, refusing any symlink on the way and any way out of dirfd
 * ("..", an absolute path): -ELOOP, -EXDEV. For what a user's directory holds, read as root.
 * Returns the fd (O_CLOEXEC) or -errno. */
_must_check_ int util_open_beneath(int dirfd, const char *rel, int flags);
/* util_read_file of rel beneath dirfd (util_open_beneath: no symlink, no way out; no FIFO), its
 * permission bits into *mode when not NULL. */
_must_check_ int util_read_file_beneath(int dirfd, const char *rel, char **data, size_t *len,
					unsigned int *mode);
/* What util_read_file's error r means, for a message. */
const char *util_read_strerror(int r);
/* A memfd named name holding data; its path (/proc/self/fd/N) in path. Returns the fd (to close
 * when done) or -errno. For libraries that read only named files. */
_must_check_ int util_memfd_path(const char *name, const char *data, size_t len, char *path,
				 size_t size);

/* SIGINT, SIGTERM and SIGHUP call handler (NULL: their default actions again), without SA_RESTART
 * so that a wait in progress (nanosleep, poll, a libpcap read) ends: how up, link flap and capture
 * stop cleanly. */
void util_catch_stop_signals(void (*handler)(int));
/* CLOCK_MONOTONIC in milliseconds. */
uint64_t util_now_ms(void);

#endif
