/* lab_exec.c: enter a node (its network, UTS and mount namespaces, as `nsenter` does); run commands
 * and daemons inside it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "lab_exec.h"
#include "machine.h"
#include "nsfs.h"
#include "state.h"
#include "strbuf.h"
#include "util.h"

/* The steps of exec_enter; each says what failed, once. */
#define STEP(expr, step)                                                                       \
	do {                                                                                   \
		if ((r = (expr)) < 0)                                                          \
			return log_errno(r, "cannot %s of node %s of lab %s", (step), n->name, \
					 t->name);                                             \
	} while (0)

/* A node's processes start with an open-file limit of EXEC_NOFILE (a login's on Debian), not the
 * hard limit netlab raised its own to: FRR's daemons size their event loops by it (zebra took 7.9
 * MiB with 20,000, 5.5 MiB with 1,024). A process may raise it again, up to the hard limit. */
static int node_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur <= EXEC_NOFILE)
		return 0;
	rl.rlim_cur = EXEC_NOFILE;
	return setrlimit(RLIMIT_NOFILE, &rl) < 0 ? -errno : 0;
}

int exec_enter(const struct topo *t, size_t i, const char *state_dir)
{
	const struct topo_node *n = &t->nodes[i];
	_cleanup_free_ char *pin = nsfs_netns_path(n->netns);
	_cleanup_free_ char *uts = machine_ns_pin(state_dir, n->name, "uts"),
			    *mnt = machine_ns_pin(state_dir, n->name, "mnt");
	_cleanup_close_ int net_fd = nsfs_open(pin), uts_fd = nsfs_open(uts),
			    mnt_fd = nsfs_open(mnt);
	_cleanup_free_ char *cwd = getcwd(NULL, 0), *root = machine_read_root(state_dir);
	struct stat outer;
	/* the /sys netlab sees, which the node has until its own is mounted (machine_sys) */
	dev_t sys_dev = stat("/sys", &outer) == 0 ? outer.st_dev : (dev_t)-1;
	int r;

	/* first: the limits hold from the node's first process on (cgroup.h) */
	STEP(cgroup_node_join(state_dir, n), "join the cgroup (memory, cpus)");
	STEP(net_fd, "open the network namespace");
	STEP(uts_fd, "open the UTS namespace");
	STEP(mnt_fd, "open the mount namespace");
	STEP(nsfs_enter(net_fd, CLONE_NEWNET), "enter the network namespace");
	STEP(nsfs_enter(uts_fd, CLONE_NEWUTS), "enter the UTS namespace");
	STEP(nsfs_enter(mnt_fd, CLONE_NEWNS), "enter the mount namespace");
	/* a node with an image: the namespace's root is the image's, netlab's root is not in it */
	STEP(machine_enter_root(n->image ? NULL : root),
	     "go to netlab's root in the mount namespace");
	STEP(machine_sys(n->netns, sys_dev), "mount /sys");
	/* entering a mount namespace moves to its /: stay where the caller was when the node sees
	 * it */
	if (!cwd || chdir(cwd) < 0)
		STEP(chdir("/") < 0 ? -errno : 0, "change directory to /");
	STEP(node_nofile(), "set the open-file limit");
	return 0;
}
#undef STEP

/* The name under which sh reads a startup script inside the node: its path when the node sees that
 * same file there, else the descriptor netlab opened before entering it (a lab under /tmp, which
 * the node has its own of). */
static const char *script_in_node(const char *path, int fd, char *buf, size_t size)
{
	struct stat want, got;

	if (fstat(fd, &want) == 0 && stat(path, &got) == 0 && want.st_dev == got.st_dev &&
	    want.st_ino == got.st_ino)
		return path;
	snprintf(buf, size, "/proc/self/fd/%d", fd);
	return buf;
}

/* Closes every descriptor from fd up: a command or daemon inherits only its stdin, stdout and
 * stderr, never netlab's nor its caller's (a pipe held open by a daemon would keep `netlab up |
 * tee` waiting for ever). */
static void close_from(int fd)
{
	if (close_range((unsigned int)fd, ~0U, 0) < 0)
		for (int k = fd; k < 1024; k++)
			close(k);
}

/* In a forked child: enters the node and runs c; never returns. */
static void child_run(const struct topo *t, size_t i, const char *state_dir,
		      const struct topo_cmd *c, int out_fd)
{
	_cleanup_free_ char *script = c->script ? topo_path(t, c->text) : NULL;
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC),
	    script_fd = script ? open(script, O_RDONLY) : -1;
	int script_err = errno;
	char fd_path[64];

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (devnull > 0)
		dup2(devnull, 0); /* the copy on 0 is inherited; devnull itself closes on exec */
	else if (devnull == 0)
		fcntl(0, F_SETFD, 0);
	dup2(out_fd, 1);
	dup2(out_fd, 2);
	if (exec_enter(t, i, state_dir) < 0)
		_exit(126); /* it said why, on out_fd */
	setenv("NETLAB_LAB", t->name, 1);
	setenv("NETLAB_NODE", t->nodes[i].name, 1);
	if (script && script_fd < 0) {
		dprintf(2, "netlab: cannot open %s: %s\n", script, strerror(script_err));
		_exit(127);
	}
	if (script) {
		const char *name = script_in_node(script, script_fd, fd_path, sizeof(fd_path));

		/* sh reads the script through /proc/self/fd/3 when it cannot through its path; the
		 * trap says nothing of the sourcing itself (no BASH_SOURCE there), whose status is
		 * the script's last command's, said already */
		if (name != script && (script_fd = dup2(script_fd, 3)) == 3)
			snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/3");
		close_from(name != script ? 4 : 3);
		execl("/bin/bash", "bash", "-c",
		      "trap 'netlab_s=$?; [ -n \"${BASH_SOURCE[0]}\" ] && printf \"" EXEC_FAILED_MARK
		      "%d: exit status %d: %s\\n\" \"$LINENO\" \"$netlab_s\" \"$BASH_COMMAND\" >&2' ERR; . \"$0\"",
		      name, (char *)NULL);
		execl("/bin/sh", "sh", name, (char *)NULL); /* no bash in the node: sh, untrapped */
	} else {
		close_from(3);
		execl("/bin/sh", "sh", "-c", c->text, (char *)NULL);
	}
	dprintf(2, "netlab: cannot run /bin/sh: %s\n", strerror(errno));
	_exit(127);
}

/* Copies what the command writes on fd into kept until the command (pid) has exited, then what is
 * left in the pipe: a process it left running in the background (`sleep 20 &`) may hold the pipe
 * open for ever, and up must not wait for it. When *stop becomes non-zero (a signal to up), the
 * command's process group gets SIGTERM, then SIGKILL after a second, and the result is -EINTR:
 * also once the command has closed its output (then a pidfd wakes the wait when it exits).
 * Returns the command's wait status or -errno. */
static int read_until_exit(int fd, pid_t pid, struct keptbuf *kept,
			   const volatile sig_atomic_t *stop, unsigned int timeout_ms)
{
	uint64_t deadline = timeout_ms ? util_now_ms() + timeout_ms : 0;
	bool timed_out = false;
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	bool exited = false, eof = false, stopped = false;
	int status = 0, polls_since_stop = 0;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd pfd[2] = { { .fd = eof ? -1 : fd, .events = POLLIN },
					 { .fd = pidfd, .events = POLLIN } };
		char chunk[4096];
		ssize_t got;
		pid_t w;

		if (!exited && (w = waitpid(pid, &status, WNOHANG)) != 0) {
			if (w < 0 && errno != EINTR)
				return -errno;
			exited = w == pid;
		}
		if (!eof) {
			got = read(fd, chunk, sizeof(chunk));
			if (got > 0) {
				keptbuf_add(kept, chunk, (size_t)got);
				continue;
			}
			eof = got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR);
		}
		if (exited)
			break;
		if (!stopped && deadline && util_now_ms() >= deadline)
			timed_out = true;
		if (((stop && *stop) || timed_out) && !stopped) {
			stopped = true;
			kill(-pid, SIGTERM);
		} else if (stopped && ++polls_since_stop == 20) {
			kill(-pid, SIGKILL);
		}
		poll(pfd, 2, 50); /* output, the command's exit, or the next look at *stop */
	}
	if (timed_out)
		return -ETIME;
	return stopped ? -EINTR : status;
}

/* Forks c's process in node i, its output on a pipe (*fd, non-blocking), in a process group of its
 * own with group. Returns its pid or -errno. */
static pid_t spawn(const struct topo *t, size_t i, const char *state_dir, const struct topo_cmd *c,
		   bool group, int *fd)
{
	int p[2], r;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	if ((pid = fork()) < 0) {
		r = -errno;
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (pid == 0) {
		close(p[0]);
		if (group)
			setpgid(0, 0);
		child_run(t, i, state_dir, c, p[1]);
	}
	if (group)
		setpgid(pid, pid); /* as the child does: whichever runs first */
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	*fd = p[0];
	return pid;
}

int exec_run(const struct topo *t, size_t i, const char *state_dir, const struct topo_cmd *c,
	     char **output, const volatile sig_atomic_t *stop, unsigned int timeout_ms)
{
	struct keptbuf kept;
	int fd, status;
	pid_t pid;

	*output = NULL;
	/* a group of its own, to be stopped as one */
	if ((pid = spawn(t, i, state_dir, c, stop || timeout_ms, &fd)) < 0)
		return (int)pid;
	keptbuf_init(&kept, EXEC_OUTPUT_MAX);
	status = read_until_exit(fd, pid, &kept, stop, timeout_ms);
	close(fd);
	*output = keptbuf_detach(&kept);
	return status;
}

/* A job of exec_batch that runs: its process, output and exit. */
struct running {
	struct exec_job *job;
	pid_t pid;
	int fd, pidfd;
	bool exited;
	int status;
	uint64_t started, termed; /* when it started, and was sent SIGTERM (0: not) */
	bool timed_out;
	struct keptbuf kept;
};

/* Reads what r's command wrote so far; at EOF, closes its end. */
static void drain(struct running *r)
{
	char chunk[4096];
	ssize_t got;

	while (r->fd >= 0) {
		if ((got = read(r->fd, chunk, sizeof(chunk))) > 0) {
			keptbuf_add(&r->kept, chunk, (size_t)got);
			continue;
		}
		if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
			close(r->fd);
			r->fd = -1;
		}
		if (got < 0 && errno == EINTR)
			continue;
		break;
	}
}

/* Stops r's command: SIGTERM, then SIGKILL a second later. */
static void stop_running(struct running *r, uint64_t now)
{
	if (!r->termed) {
		r->termed = now;
		kill(-r->pid, SIGTERM);
	} else if (r->termed != UINT64_MAX && now >= r->termed + 1000) {
		r->termed = UINT64_MAX; /* killed */
		kill(-r->pid, SIGKILL);
	}
}

void exec_batch(const struct topo *t, const char *state_dir, struct exec_job *v, size_t n,
		size_t width, const volatile sig_atomic_t *stop, unsigned int timeout_ms)
{
	_cleanup_free_ struct running *run = util_xcalloc(width ? width : 1, sizeof(*run));
	_cleanup_free_ struct pollfd *pfd = util_xcalloc(2 * (width ? width : 1), sizeof(*pfd));
	size_t next = 0, n_run = 0;
	bool stopped = false;

	for (size_t k = 0; k < n; k++) {
		v[k].status = -EINTR; /* what a job stopped or never started gets */
		v[k].output = NULL;
		v[k].started_ms = 0;
	}
	while (next < n || n_run) {
		uint64_t now = util_now_ms();
		size_t np = 0;

		while (!stopped && n_run < width && next < n) {
			struct running *r = &run[n_run];
			struct exec_job *j = &v[next++];
			pid_t pid = spawn(t, j->node, state_dir, j->cmd, true, &r->fd);

			if (pid < 0) {
				j->status = (int)pid;
				continue;
			}
			*r = (struct running){ .job = j, .pid = pid, .fd = r->fd, .started = now };
			j->started_ms = now;
			r->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
			keptbuf_init(&r->kept, EXEC_OUTPUT_MAX);
			n_run++;
		}
		if (stop && *stop) { /* stopped as one: the running, and the rest */
			stopped = true;
			next = n;
		}
		for (size_t k = 0; k < n_run; k++) {
			struct running *r = &run[k];

			if (!stopped && timeout_ms && !r->termed && now >= r->started + timeout_ms)
				r->timed_out = true;
			if (stopped || r->timed_out)
				stop_running(r, now);
		}
		for (size_t k = 0; k < n_run;) {
			struct running *r = &run[k];

			drain(r);
			if (!r->exited && waitpid(r->pid, &r->status, WNOHANG) == r->pid)
				r->exited = true;
			if (r->exited) { /* what is left in the pipe, not what a child left holds */
				drain(r);
				if (r->fd >= 0)
					close(r->fd);
				if (r->pidfd >= 0)
					close(r->pidfd);
				r->job->status = r->status;
				if (stopped || r->timed_out)
					r->job->status = r->timed_out ? -ETIME : -EINTR;
				r->job->output = keptbuf_detach(&r->kept);
				*r = run[--n_run];
				continue;
			}
			if (r->fd >= 0)
				pfd[np++] = (struct pollfd){ .fd = r->fd, .events = POLLIN };
			pfd[np++] = (struct pollfd){ .fd = r->pidfd, .events = POLLIN };
			k++;
		}
		if (n_run)
			poll(pfd, np, 50); /* output, an exit, or the next look at *stop */
	}
}

pid_t exec_daemon(const struct topo *t, size_t i, const char *state_dir, const struct topo_cmd *c,
		  const char *log_path)
{
	int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
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
