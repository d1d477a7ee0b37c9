/* rootless.c: a user's holder process and entering it (docs/rootless.md).
 *
 * The holder is made in two steps: a child unshares a user namespace, netlab (outside) writes its
 * id maps (newuidmap/newgidmap with the user's subordinate ids, else a single mapping), then the
 * child, root inside, unshares mount, network, UTS, IPC and PID namespaces, gives itself a private
 * /run (with /run/netns, and /run/netlab bound to the user's $XDG_RUNTIME_DIR/netlab/labs), an /etc
 * it may write (an overlay: /etc/netns), and forks the holder, PID 1 of the new PID namespace,
 * which only waits. Every later command enters its namespaces (setns) and goes back to its
 * directory. The holder ends when a command finds no lab left and no other command running. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rootless.h"
#include "util.h"
#include "value.h"

#define HOLDER_FILE "holder" /* "PID USERNS-INODE": the holder, in the runtime directory */
#define HOLDER_LOCK "holder.lock" /* shared while a command runs, exclusive to start or end */
#define LABS_DIR "labs" /* the user's /run/netlab */

static int lock_fd = -1; /* HOLDER_LOCK, held shared for the command's life (close-on-exec) */
static int runtime_fd = -1; /* the runtime directory (hidden by the holder's /run once inside) */
static char *runtime; /* its path */
static pid_t holder_pid; /* the holder entered */
static bool active; /* this process runs in the user's namespaces */
static char *data_home; /* the user's $XDG_DATA_HOME, found outside */

bool rootless_needed(void)
{
	return geteuid() != 0;
}

/* $XDG_RUNTIME_DIR/netlab, or /tmp/netlab-UID without it; made 0700 and checked to be the user's
 * alone. */
static int runtime_dir(char **out)
{
	const char *x = getenv("XDG_RUNTIME_DIR");
	_cleanup_free_ char *dir = x && x[0] == '/' ? util_xasprintf("%s/netlab", x) :
						      util_xasprintf("/tmp/netlab-%u", getuid());
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot make '%s'", dir);
	if (lstat(dir, &st) < 0)
		return log_errno(-errno, "cannot read '%s'", dir);
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) {
		util_log(
			"'%s' is not a directory of yours alone (mode 0700): netlab keeps your labs' state there; remove it or set XDG_RUNTIME_DIR",
			dir);
		return -EPERM;
	}
	*out = steal_pointer(&dir);
	return 0;
}

/* The user's range in /etc/subuid or /etc/subgid ("NAME:START:COUNT" or "UID:START:COUNT"). */
static bool subids(const char *file, const char *name, unsigned int id, unsigned long *start,
		   unsigned long *count)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL, want[16];

	snprintf(want, sizeof(want), "%u", id);
	if (util_read_file(file, &text, NULL) < 0)
		return false;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *w[4];

		if (util_split_words(line, ":", 0, w, 4) == 3 &&
		    (!strcmp(w[0], name) || !strcmp(w[0], want)) &&
		    topo_parse_uint(w[1], 1, UINT32_MAX, start) == 0 &&
		    topo_parse_uint(w[2], 1, UINT32_MAX, count) == 0)
			return true;
	}
	return false;
}

/* Runs newuidmap or newgidmap PID 0 ID 1 1 START COUNT. */
static int run_map(const char *prog, pid_t pid, unsigned int id, unsigned long start,
		   unsigned long count)
{
	char p[16], i[16], s[24], c[24];
	pid_t k;
	int st;

	snprintf(p, sizeof(p), "%d", (int)pid);
	snprintf(i, sizeof(i), "%u", id);
	snprintf(s, sizeof(s), "%lu", start);
	snprintf(c, sizeof(c), "%lu", count);
	if ((k = fork()) < 0)
		return -errno;
	if (k == 0) {
		execlp(prog, prog, p, "0", i, "1", "1", s, c, (char *)NULL);
		_exit(127);
	}
	while (waitpid(k, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		util_log(
			"%s failed (%s %d): your subordinate ids may be wrong (/etc/subuid, /etc/subgid)",
			prog, WIFEXITED(st) ? "exit status" : "signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return UTIL_FAILED;
	}
	return 0;
}

/* Writes text to a /proc file of the holder's first process. */
static int write_proc(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return util_write_all(fd, text, strlen(text));
}

/* The holder's id maps: the user's subordinate ids when it has them and uidmap is there (daemons
 * that change user, FRR's frr and BIRD's bird, need them), else the user alone as root. */
static int write_maps(pid_t pid)
{
	struct passwd *pw = getpwuid(getuid());
	unsigned long us = 0, uc = 0, gs = 0, gc = 0;
	_cleanup_free_ char *setgroups = util_xasprintf("/proc/%d/setgroups", (int)pid),
			    *uid_map = util_xasprintf("/proc/%d/uid_map", (int)pid),
			    *gid_map = util_xasprintf("/proc/%d/gid_map", (int)pid),
			    *um = util_xasprintf("0 %u 1\n", getuid()),
			    *gm = util_xasprintf("0 %u 1\n", getgid());
	bool full = pw && subids("/etc/subuid", pw->pw_name, getuid(), &us, &uc) &&
		    subids("/etc/subgid", pw->pw_name, getuid(), &gs, &gc) &&
		    access("/usr/bin/newuidmap", X_OK) == 0 &&
		    access("/usr/bin/newgidmap", X_OK) == 0;
	int r;

	if (full)
		return (r = run_map("newuidmap", pid, getuid(), us, uc)) < 0 ?
			       r :
			       run_map("newgidmap", pid, getgid(), gs, gc);
	util_log(
		"warning: you have no subordinate ids (a line NAME:START:COUNT for you in /etc/subuid and /etc/subgid, and Debian's uidmap package): your labs run with your id alone, so daemons that change user (FRR, BIRD) cannot start");
	if ((r = write_proc(setgroups, "deny")) < 0 || (r = write_proc(uid_map, um)) < 0 ||
	    (r = write_proc(gid_map, gm)) < 0)
		return log_errno(r, "cannot write the id map of your user namespace");
	return 0;
}

static void on_child(int sig)
{
	(void)sig;
}

/* The holder's life: PID 1 of the labs' PID namespace, it reaps the processes orphaned there (a
 * daemon whose parent, netlab, has ended, once it ends too). */
static _Noreturn void reap_forever(void)
{
	sigset_t chld, none;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	signal(SIGCHLD, on_child);
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		sigsuspend(&none); /* until a SIGCHLD: none is lost, as it stays blocked between */
	}
}

/* In the holder's first process, root in the new user namespace: its other namespaces, its /run
 * and /etc; then the holder itself (PID 1 of the new PID namespace), whose pid goes to fd out. */
static void holder_setup(int out, const char *labs)
{
	_cleanup_free_ char *from = NULL;
	const char *what = "open";
	int dfd;
	pid_t g;

#define STEP(call)                 \
	do {                       \
		what = #call;      \
		if ((call) < 0)    \
			goto fail; \
	} while (0)
	STEP(unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID));
	STEP(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	/* the runtime directory, opened in the new mount namespace before /run covers it */
	STEP(dfd = open(labs, O_PATH | O_DIRECTORY | O_CLOEXEC));
	STEP(mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"));
	STEP(mkdir("/run/netns", 0755));
	STEP(mkdir("/run/netlab", 0700));
	STEP(mkdir("/run/.netlab-etc", 0700));
	STEP(mkdir("/run/.netlab-etc/upper", 0755));
	STEP(mkdir("/run/.netlab-etc/work", 0755));
	from = util_xasprintf("/proc/self/fd/%d", dfd);
	STEP(mount(from, "/run/netlab", NULL, MS_BIND, NULL));
	STEP(mount("overlay", "/etc", "overlay", 0,
		   "lowerdir=/etc,upperdir=/run/.netlab-etc/upper,workdir=/run/.netlab-etc/work"));
	/* the machine's /etc/netns (root's labs made it) is root's: the user's is a tmpfs over it
	 */
	if (access("/etc/netns", F_OK) == 0)
		STEP(mount("tmpfs", "/etc/netns", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"));
	STEP(g = fork());
#undef STEP
	if (g == 0) { /* the holder: PID 1 of the new PID namespace */
		char ok = 'r';

		setsid();
		prctl(PR_SET_NAME, "netlab-holder");
		if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
		    write(out, &ok, 1) != 1) {
			fprintf(stderr, "netlab: cannot mount your labs' /proc: %s\n",
				strerror(errno));
			_exit(1);
		}
		/* nothing of netlab's: no lock, no pipe, no terminal */
		syscall(SYS_close_range, 0, ~0U, 0);
		if (open("/dev/null", O_RDWR) != 0 || dup(0) != 1 || dup(0) != 2)
			_exit(1);
		reap_forever();
	}
	if (dprintf(out, "%d\n", (int)g) < 0)
		_exit(1);
	_exit(0);
fail:
	fprintf(stderr, "netlab: cannot make your namespaces: %s: %s\n", what, strerror(errno));
	_exit(1);
}

/* Forks a child that unshares a user namespace and, once this process has written its id maps
 * (write_maps), becomes root in it. Returns 0 in the child, its pid here, or -errno. */
static pid_t fork_userns(void)
{
	int up[2], go[2], r = 0;
	char c = 0;
	pid_t pid;

	if (pipe2(up, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(go, O_CLOEXEC) < 0) {
		r = -errno;
		close(up[0]);
		close(up[1]);
		return r;
	}
	if ((pid = fork()) < 0) {
		r = -errno;
		for (int i = 0; i < 2; i++) {
			close(up[i]);
			close(go[i]);
		}
		return r;
	}
	if (pid == 0) {
		close(up[0]);
		close(go[1]);
		if (unshare(CLONE_NEWUSER) < 0) {
			fprintf(stderr,
				"netlab: cannot make a user namespace: %s (is kernel.unprivileged_userns_clone 0?)\n",
				strerror(errno));
			_exit(1);
		}
		if (write(up[1], "u", 1) != 1 || read(go[0], &c, 1) != 1 || c != 'g')
			_exit(1);
		close(up[1]);
		close(go[0]);
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
			fprintf(stderr, "netlab: cannot become root in your user namespace: %s\n",
				strerror(errno));
			_exit(1);
		}
		return 0;
	}
	close(up[1]);
	close(go[0]);
	if (read(up[0], &c, 1) != 1 || c != 'u')
		r = UTIL_FAILED;
	if (r == 0 && (r = write_maps(pid)) == 0 && write(go[1], "g", 1) != 1)
		r = -errno;
	close(up[0]);
	close(go[1]);
	if (r < 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return r;
	}
	return pid;
}

/* Starts the holder; its pid into *holder. */
static int holder_start(pid_t *holder)
{
	_cleanup_free_ char *labs = util_xasprintf("%s/%s", runtime, LABS_DIR);
	int out[2], r = 0, st;
	char buf[32] = { 0 };
	size_t n = 0;
	pid_t pid;

	if (mkdir(labs, 0700) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot make '%s'", labs);
	if (pipe2(out, O_CLOEXEC) < 0)
		return -errno;
	if ((pid = fork_userns()) == 0) {
		close(out[0]);
		holder_setup(out[1], labs);
	}
	close(out[1]);
	if (pid < 0)
		r = pid;
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	for (ssize_t k; r == 0 && n < sizeof(buf) - 1 &&
			(k = read(out[0], buf + n, sizeof(buf) - 1 - n)) != 0;) /* to its end */
		if (k > 0)
			n += (size_t)k;
		else if (errno != EINTR)
			r = -errno;
	close(out[0]);
	if (r == 0 && WIFSIGNALED(st)) {
		util_log("the holder's first process was killed by signal %d", WTERMSIG(st));
		r = UTIL_FAILED;
	} else if (r == 0 && WIFEXITED(st) && WEXITSTATUS(st) != 0) {
		r = UTIL_FAILED; /* it said why */
	} else if (r == 0 &&
		   ((*holder = (pid_t)atoi(buf + strspn(buf, "r"))) <= 0 || !strchr(buf, 'r'))) {
		/* the pid ("PID\n", from the holder's parent) and the holder's "r" once it is
		 * ready, in either order: two processes write them */
		util_log("the holder did not say it was ready (it said '%s')", buf);
		r = UTIL_FAILED;
	}
	if (r == UTIL_FAILED)
		util_log("cannot start the process that holds your labs' namespaces");
	else if (r < 0)
		log_errno(r, "cannot start the process that holds your labs' namespaces");
	return r;
}

/* The holder of HOLDER_FILE when it is alive and the user's: its pid, else 0. */
static pid_t holder_alive(void)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", runtime, HOLDER_FILE), *text = NULL,
			    *ns = NULL, *proc = NULL;
	unsigned long long ino = 0;
	struct stat st;
	int pid = 0;

	if (util_read_file(path, &text, NULL) < 0 || sscanf(text, "%d %llu", &pid, &ino) != 2 ||
	    pid <= 0)
		return 0;
	proc = util_xasprintf("/proc/%d", pid);
	ns = util_xasprintf("/proc/%d/ns/user", pid);
	if (stat(proc, &st) < 0 || st.st_uid != getuid() || stat(ns, &st) < 0 ||
	    st.st_ino != (ino_t)ino)
		return 0;
	return (pid_t)pid;
}

static int holder_save(pid_t pid)
{
	_cleanup_free_ char *path = util_xasprintf("%s/%s", runtime, HOLDER_FILE),
			    *ns = util_xasprintf("/proc/%d/ns/user", (int)pid), *text = NULL;
	struct stat st;

	if (stat(ns, &st) < 0)
		return -errno;
	text = util_xasprintf("%d %llu\n", (int)pid, (unsigned long long)st.st_ino);
	return util_write_file_atomic(path, text, strlen(text), 0600);
}

static int enter(pid_t pid)
{
	static const struct {
		const char *name;
		int type;
	} order[] = { { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },  { "net", CLONE_NEWNET },
		      { "uts", CLONE_NEWUTS },	 { "ipc", CLONE_NEWIPC }, { "pid", CLONE_NEWPID } };
	int fds[6];
	char cwd[PATH_MAX];
	int r = 0;

	if (!getcwd(cwd, sizeof(cwd)))
		return log_errno(-errno, "cannot read the working directory");
	for (size_t i = 0; i < 6; i++) {
		_cleanup_free_ char *p = util_xasprintf("/proc/%d/ns/%s", (int)pid, order[i].name);

		fds[i] = open(p, O_RDONLY | O_CLOEXEC);
	}
	for (size_t i = 0; i < 6 && r == 0; i++)
		if (fds[i] < 0 || setns(fds[i], order[i].type) < 0)
			r = log_errno(-errno, "cannot enter your labs' %s namespace",
				      order[i].name);
	for (size_t i = 0; i < 6; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (r == 0 && chdir(cwd) < 0)
		r = log_errno(-errno, "cannot go back to '%s' in your labs' namespaces", cwd);
	return r;
}

static volatile pid_t command_pid;

static void forward(int sig)
{
	if (command_pid > 0)
		kill(command_pid, sig);
}

/* Waits for the command's process pid, passing SIGINT, SIGTERM and SIGHUP on; its exit status
 * into *status. Returns 2, or -errno. */
static int wait_command(pid_t pid, int *status)
{
	int st;

	command_pid = pid;
	util_catch_stop_signals(forward);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return log_errno(-errno, "cannot wait for the command");
	util_catch_stop_signals(NULL);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 2;
}

/* After setns into the holder's PID namespace, only a child is in it (and sees its own /proc):
 * the command runs there; this process waits. Returns 1 in the child, 2 with the child's exit
 * status in *status here, or -errno. */
static int run_inside(int *status)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0)
		return log_errno(-errno, "cannot start a process in your labs' namespaces");
	if (pid == 0) {
		active = true;
		return 1;
	}
	return wait_command(pid, status);
}

/* The directory of the user's data, outside any namespace (getpwuid inside would say root's):
 * $XDG_DATA_HOME, else ~/.local/share ($HOME, else the password file's). */
static void find_data_home(void)
{
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	struct passwd *pw;

	if (x && x[0] == '/')
		data_home = util_xstrdup(x);
	else if (home && home[0] == '/')
		data_home = util_xasprintf("%s/.local/share", home);
	else if ((pw = getpwuid(getuid())) && pw->pw_dir[0] == '/')
		data_home = util_xasprintf("%s/.local/share", pw->pw_dir);
	else /* as passwd's nobody: errors will name it */
		data_home = util_xstrdup("/nonexistent/.local/share");
}

int rootless_userns(int *status)
{
	pid_t pid;

	find_data_home();
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork_userns()) < 0) {
		util_log("cannot make a user namespace of yours");
		return (int)pid;
	}
	if (pid == 0) {
		/* SIGTERM with netlab's end (set now: becoming root cleared it) */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
			fprintf(stderr, "netlab: cannot make your mount namespace: %s\n",
				strerror(errno));
			_exit(1);
		}
		active = true;
		return 1;
	}
	return wait_command(pid, status);
}

bool rootless_active(void)
{
	return active;
}

const char *rootless_data_home(void)
{
	return data_home;
}

pid_t rootless_holder(void)
{
	return active ? holder_pid : 0;
}

char *rootless_outside(const char *path)
{
	size_t n = strlen("/run/netlab/");

	if (!active || !runtime || strncmp(path, "/run/netlab/", n) != 0)
		return util_xstrdup(path);
	return util_xasprintf("%s/%s/%s", runtime, LABS_DIR, path + n);
}

int rootless_enter(bool start, int *status)
{
	_cleanup_free_ char *lock = NULL;
	pid_t pid;
	int r;

	find_data_home();
	if ((r = runtime_dir(&runtime)) < 0)
		return r;
	if ((runtime_fd = open(runtime, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return log_errno(-errno, "cannot open '%s'", runtime);
	lock = util_xasprintf("%s/%s", runtime, HOLDER_LOCK);
	if ((lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return log_errno(-errno, "cannot open '%s'", lock);
	/* shared while the command runs: other commands enter too (a long `shell` blocks none),
	 * none ends the holder; exclusive only to start one */
	if (flock(lock_fd, LOCK_SH) < 0)
		return log_errno(-errno, "cannot lock '%s'", lock);
	if (!(pid = holder_alive())) {
		if (!start) {
			flock(lock_fd, LOCK_UN);
			return 0;
		}
		if (flock(lock_fd, LOCK_EX) < 0)
			return log_errno(-errno, "cannot lock '%s'", lock);
		if (!(pid = holder_alive())) { /* else another command started it meanwhile */
			if ((r = holder_start(&pid)) < 0) {
				flock(lock_fd, LOCK_UN);
				return r;
			}
			if ((r = holder_save(pid)) < 0) {
				kill(pid, SIGKILL); /* a holder no command could find */
				flock(lock_fd, LOCK_UN);
				return log_errno(r, "cannot keep your holder");
			}
		}
		if (flock(lock_fd, LOCK_SH) < 0)
			return log_errno(-errno, "cannot lock '%s'", lock);
	}
	holder_pid = pid;
	if ((r = enter(pid)) < 0)
		return r;
	return run_inside(status);
}

void rootless_release(void)
{
	DIR *d;
	struct dirent *e;
	bool labs = false;

	if (lock_fd < 0 || !holder_pid || flock(lock_fd, LOCK_EX | LOCK_NB) < 0)
		return; /* another command runs: it may be bringing a lab up */
	if (!(d = opendir("/run/netlab"))) /* the user's, inside */
		return;
	while ((e = readdir(d)))
		labs |= e->d_name[0] != '.';
	closedir(d);
	if (labs)
		return;
	unlinkat(runtime_fd, HOLDER_FILE, 0);
	kill(holder_pid, SIGKILL); /* PID 1 of its PID namespace: what still runs there ends too */
}
