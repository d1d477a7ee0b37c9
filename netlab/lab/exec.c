/* exec.c: enter a node (network + UTS namespace, private mounts), as iproute2's netns_switch()
 * and bind_etc() do for `ip netns exec`; run commands and daemons inside it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>

#include "etcnetns.h"
#include "exec.h"
#include "nsfs.h"
#include "state.h"
#include "util.h"

static int bind_etc(const char *netns)
{
	_cleanup_free_ char *dir = etcnetns_path(netns);
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		_cleanup_free_ char *src = NULL, *dst = NULL;

		if (e->d_name[0] == '.')
			continue;
		src = util_xasprintf("%s/%s", dir, e->d_name);
		dst = util_xasprintf("/etc/%s", e->d_name);
		if (mount(src, dst, "none", MS_BIND, NULL) < 0 && r == 0)
			r = -errno;
	}
	closedir(d);
	return r;
}

/* files = DIR: each directory DIR/X is laid over /X (a read-only overlay: the node's files on top
 * of the machine's), each file DIR/X is bound over /X. */
static int mount_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)) && r == 0) {
		_cleanup_free_ char *src = NULL, *dst = NULL, *opts = NULL;
		struct stat s, t;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		src = util_xasprintf("%s/%s", dir, e->d_name);
		dst = util_xasprintf("/%s", e->d_name);
		if (stat(src, &s) < 0 || stat(dst, &t) < 0)
			r = -errno;
		else if (S_ISDIR(s.st_mode) != S_ISDIR(t.st_mode))
			r = -ENOTDIR;
		else if (S_ISDIR(s.st_mode)) {
			opts = util_xasprintf("lowerdir=%s:%s", src, dst);
			if (mount("netlab-files", dst, "overlay", MS_RDONLY, opts) < 0)
				r = -errno;
		} else if (mount(src, dst, "none", MS_BIND, NULL) < 0) {
			r = -errno;
		}
	}
	closedir(d);
	return r;
}

static int neg_errno(int ok)
{
	return ok < 0 ? -errno : 0;
}

/* The steps of exec_enter; each says what failed, once. */
#define STEP(expr, step)                                                                                         \
	do {                                                                                                     \
		if ((r = (expr)) < 0)                                                                            \
			return log_errno(r, "cannot %s of node %s of lab %s", (step), n->name, t->name); \
	} while (0)

int exec_enter(const struct topo *t, size_t i, const char *state_dir)
{
	const struct topo_node *n = &t->nodes[i];
	_cleanup_free_ char *pin = nsfs_netns_path(n->netns);
	_cleanup_free_ char *uts = util_xasprintf("%s/%s/%s", state_dir, STATE_UTS_DIR, n->name);
	_cleanup_close_ int net_fd = nsfs_open(pin), uts_fd = nsfs_open(uts);
	unsigned long sys_flags = 0;
	struct statvfs sv;
	int r;

	STEP(net_fd, "open the network namespace");
	STEP(uts_fd, "open the UTS namespace");
	STEP(nsfs_enter(net_fd, CLONE_NEWNET), "enter the network namespace");
	STEP(nsfs_enter(uts_fd, CLONE_NEWUTS), "enter the UTS namespace");
	STEP(neg_errno(unshare(CLONE_NEWNS)), "create a mount namespace");
	/* Keep our mounts to ourselves, and see the pins' removal when the lab goes down. */
	STEP(neg_errno(mount("", "/", "none", MS_SLAVE | MS_REC, NULL)), "make / a slave mount");
	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		sys_flags = MS_RDONLY;
	STEP(umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL ? -errno : 0, "unmount /sys");
	STEP(neg_errno(mount(n->netns, "/sys", "sysfs", sys_flags, NULL)), "mount /sys");
	if (n->files) {
		_cleanup_free_ char *dir = topo_path(t, n->files);

		STEP(mount_files(dir), "lay the node's files over /");
	}
	STEP(bind_etc(n->netns), "bind /etc/netns files over /etc");
	return 0;
}
#undef STEP

/* In a forked child: enters the node and runs c; never returns. */
static void child_run(const struct topo *t, size_t i, const char *state_dir, const struct topo_cmd *c, int out_fd)
{
	_cleanup_free_ char *script = c->script ? topo_path(t, c->text) : NULL;
	int devnull = open("/dev/null", O_RDONLY);

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	if (exec_enter(t, i, state_dir) < 0)
		_exit(126); /* it said why, on out_fd */
	setenv("NETLAB_LAB", t->name, 1);
	setenv("NETLAB_NODE", t->nodes[i].name, 1);
	if (script)
		execl("/bin/sh", "sh", script, (char *)NULL);
	else
		execl("/bin/sh", "sh", "-c", c->text, (char *)NULL);
	dprintf(2, "netlab: cannot run /bin/sh: %s\n", strerror(errno));
	_exit(127);
}

int exec_run(const struct topo *t, size_t i, const char *state_dir, const struct topo_cmd *c, char **output)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int p[2], status;
	pid_t pid;

	*output = NULL;
	if (!mem)
		return -ENOMEM;
	if (pipe2(p, O_CLOEXEC) < 0) {
		fclose(mem);
		free(buf);
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		int r = -errno;

		close(p[0]);
		close(p[1]);
		fclose(mem);
		free(buf);
		return r;
	}
	if (pid == 0) {
		close(p[0]);
		child_run(t, i, state_dir, c, p[1]);
	}
	close(p[1]);
	for (;;) {
		char chunk[4096];
		ssize_t got = read(p[0], chunk, sizeof(chunk));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		fwrite(chunk, 1, (size_t)got, mem);
	}
	close(p[0]);
	fclose(mem);
	*output = buf;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return status;
}

pid_t exec_daemon(const struct topo *t, size_t i, const char *state_dir, const struct topo_cmd *c, const char *log_path)
{
	int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	pid_t pid, r;

	if (fd < 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		setsid();
		child_run(t, i, state_dir, c, fd);
	}
	r = pid < 0 ? -errno : pid; /* before close() can change errno */
	close(fd);
	return r;
}
