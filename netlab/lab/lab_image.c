/* lab_image.c: node images built with mmdebstrap (lab_image.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab_image.h"
#include "rootless.h"
#include "strbuf.h"
#include "util.h"

/* The networking tools of Kathará's kathara/base image (KatharaFramework/Docker-Images,
 * base/Dockerfile), as Debian 12 packages; without its compilers and editors' extras. */
#define BASE_PACKAGES                                                                            \
	"bash,procps,psmisc,init-system-helpers,less,nano,vim-tiny,iproute2,iputils-ping,"       \
	"iputils-tracepath,iputils-arping,traceroute,mtr-tiny,net-tools,netbase,ifupdown,"       \
	"isc-dhcp-client,bridge-utils,ethtool,ndisc6,radvd,iptables,arptables,nftables,tcpdump," \
	"iperf3,hping3,netcat-openbsd,telnet,curl,wget,links,openssh-client,rsync,bind9,"        \
	"bind9-utils,bind9-dnsutils,apache2"

const char *image_recipe(const char *name)
{
	if (strcmp(name, "base") == 0)
		return BASE_PACKAGES;
	if (strcmp(name, "frr") == 0)
		return BASE_PACKAGES ",frr,frr-pythontools";
	return NULL;
}

const char *image_dir(void)
{
	static char *user;

	if (!rootless_active())
		return IMAGE_DIR;
	if (!user)
		user = util_xasprintf("%s/netlab/images", rootless_data_home());
	return user;
}

char *image_rootfs(const char *name)
{
	return util_xasprintf("%s/%s/rootfs", image_dir(), name);
}

bool image_exists(const char *name)
{
	_cleanup_free_ char *root = image_rootfs(name);
	struct stat st;

	return stat(root, &st) == 0 && S_ISDIR(st.st_mode);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Removes dir and all below it, on its own file system only (never through a mount). */
static int remove_tree(const char *dir)
{
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 ? -errno : 0;
}

/* Removes what a build or a removal killed before it ended left (".NAME.XXXXXX"): every build
 * and removal holds the lock while such a directory exists, so with the lock held it is stale. */
static void remove_stale(void)
{
	DIR *d = opendir(image_dir());
	struct dirent *e;

	while (d && (e = readdir(d))) {
		_cleanup_free_ char *path = NULL;
		int r;

		if (e->d_name[0] != '.' || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		path = util_xasprintf("%s/%s", image_dir(), e->d_name);
		if ((r = remove_tree(path)) < 0)
			log_errno(r, "cannot remove '%s', left by a build or removal cut short",
				  path);
		else
			util_log("removed '%s', left by a build or removal cut short", path);
	}
	if (d)
		closedir(d);
}

/* Holds the image store's lock (builds and removals one at a time), having removed what was left by
 * those cut short: an fd to close, or -errno. A build's mmdebstrap holds the lock too (it inherits
 * the fd), so a build whose netlab was killed holds it until mmdebstrap has ended. */
static int lock_images(void)
{
	int fd, r;

	if ((r = util_mkdir_p(image_dir(), 0755)) < 0)
		return log_errno(r, "cannot make '%s'", image_dir());
	if ((fd = open(image_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return log_errno(-errno, "cannot open '%s'", image_dir());
	if ((r = flock(fd, LOCK_EX | LOCK_NB)) < 0 && errno == EWOULDBLOCK) {
		util_log("waiting for another image build or removal to end ('%s' is locked)",
			 image_dir());
		r = flock(fd, LOCK_EX);
	}
	if (r < 0) {
		r = -errno;
		close(fd);
		return log_errno(r, "cannot lock '%s'", image_dir());
	}
	remove_stale();
	return fd;
}

/* The suite this machine runs (VERSION_CODENAME of /etc/os-release), to be freed: images are of the
 * same Debian as the machine, whose FRR and tools netlab knows. */
static char *suite(void)
{
	_cleanup_free_ char *text = NULL;
	const char *p;

	if (util_read_file("/etc/os-release", &text, NULL) == 0 &&
	    (p = strstr(text, "\nVERSION_CODENAME=")) && p[18] && p[18] != '\n')
		return util_xasprintf("%.*s", (int)strcspn(p + 18, "\n\""), p + 18);
	return util_xstrdup("bookworm");
}

static volatile sig_atomic_t build_stop;

enum { LOCK_FD_CHILD = 200 }; /* where mmdebstrap gets the store's lock */

static void on_signal(int sig)
{
	build_stop = sig;
}

/* Runs mmdebstrap into root, holding the image store's lock (the fd lock) until it ends, with its
 * temporary files in work (never the caller's TMPDIR: a user's build runs as the user namespace's
 * root, who may not write there); its output goes to stderr. SIGINT, SIGTERM or SIGHUP to netlab
 * stop it (SIGTERM to it, then -EINTR once it has ended), and so does netlab's death. Returns its
 * wait status or -errno. */
static int run_mmdebstrap(const char *root, const char *work, const char *packages, int lock)
{
	_cleanup_free_ char *include = util_xasprintf("--include=%s", packages), *dist = suite();
	pid_t parent = getpid(), pid = fork();
	int st;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* netlab killed: the build stops too, and the next one removes what it left */
		/* the lock on a high fd, out of the way of the fds mmdebstrap passes to apt */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent ||
		    fcntl(lock, F_DUPFD, LOCK_FD_CHILD) < 0 || setenv("TMPDIR", work, 1) < 0)
			_exit(127);
		dup2(2, 1);
		execlp("mmdebstrap", "mmdebstrap", "--variant=essential", include,
		       /* Kathará's images call bind's service bind too */
		       "--customize-hook=if [ -e \"$1/etc/init.d/named\" ]; then ln -sf named \"$1/etc/init.d/bind\"; fi",
		       /* mmdebstrap copies the machine's: a node has its own name */
		       "--customize-hook=rm -f \"$1/etc/hostname\"", dist, root, (char *)NULL);
		fprintf(stderr,
			"netlab: cannot run mmdebstrap: %s (Debian's mmdebstrap package: make deps)\n",
			strerror(errno));
		_exit(127);
	}
	for (bool sent = false;;) {
		if (waitpid(pid, &st, 0) == pid)
			break;
		if (errno != EINTR)
			return -errno;
		if (build_stop && !sent) {
			kill(pid, SIGTERM);
			sent = true;
		}
	}
	return build_stop ? -EINTR : st;
}

int image_build(const char *name, const char *packages)
{
	_cleanup_free_ char *final = util_xasprintf("%s/%s", image_dir(), name),
			    *tmp = util_xasprintf("%s/.%s.XXXXXX", image_dir(), name), *root = NULL,
			    *work = NULL, *meta = NULL;
	_cleanup_close_ int lock = lock_images();
	_cleanup_strbuf_ struct strbuf info = { 0 };
	struct stat st;
	int r;

	if (lock < 0)
		return lock;
	if (!packages && !(packages = image_recipe(name))) {
		util_log(
			"image %s: no recipe of that name (base, frr): give its packages (--packages)",
			name);
		return -EINVAL;
	}
	if (lstat(final, &st) == 0)
		return -EEXIST;
	if (!mkdtemp(tmp))
		return log_errno(-errno, "cannot make a directory in '%s'", image_dir());
	chmod(tmp, 0755); /* mkdtemp's 0700: anybody may list the images */
	root = util_xasprintf("%s/rootfs", tmp);
	work = util_xasprintf("%s/work", tmp);
	if (mkdir(work, 0700) < 0) {
		r = log_errno(-errno, "image %s: cannot make '%s'", name, work);
		remove_tree(tmp);
		return r;
	}
	util_log("building image %s (Debian's packages, with mmdebstrap): %s", name, packages);
	build_stop = 0;
	util_catch_stop_signals(on_signal);
	r = run_mmdebstrap(root, work, packages, lock);
	util_catch_stop_signals(NULL);
	if (r >= 0 && WIFEXITED(r) && WEXITSTATUS(r) == 0 && remove_tree(work) < 0)
		util_log("image %s: cannot remove '%s'", name, work);
	if (r < 0 || !WIFEXITED(r) || WEXITSTATUS(r) != 0) {
		if (r >= 0 && WIFSIGNALED(r))
			util_log("image %s: mmdebstrap was killed by signal %d", name, WTERMSIG(r));
		else if (r >= 0)
			util_log(
				"image %s: mmdebstrap failed with exit status %d (its output above)",
				name, WEXITSTATUS(r));
		else if (r == -EINTR)
			util_log("image %s: interrupted by signal %d", name, (int)build_stop);
		else
			log_errno(r, "image %s: cannot run mmdebstrap", name);
		if (remove_tree(tmp) < 0)
			util_log("image %s: cannot remove '%s'", name, tmp);
		util_log("image %s: nothing was kept", name);
		return r < 0 ? r : UTIL_FAILED;
	}
	meta = util_xasprintf("%s/packages", tmp);
	strbuf_addf(&info, "%s\n", packages);
	if ((r = util_write_file_atomic(meta, strbuf_str(&info), info.len, 0644)) < 0 ||
	    (rename(tmp, final) < 0 && (r = -errno))) {
		log_errno(r, "image %s: cannot put it in place", name);
		if (remove_tree(tmp) < 0)
			util_log("image %s: cannot remove '%s'", name, tmp);
		return r;
	}
	return 0;
}

static unsigned long long tree_bytes;

static int count_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)path;
	(void)flag;
	(void)f;
	tree_bytes += (unsigned long long)st->st_blocks * 512;
	return 0;
}

int image_list(struct image_info **v)
{
	DIR *d = opendir(image_dir());
	struct dirent *e;
	size_t n = 0;

	*v = NULL;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		_cleanup_free_ char *dir = NULL, *meta = NULL, *text = NULL;
		struct image_info *i;
		struct stat st;

		if (e->d_name[0] == '.' || !image_exists(e->d_name))
			continue;
		dir = util_xasprintf("%s/%s", image_dir(), e->d_name);
		meta = util_xasprintf("%s/packages", dir);
		i = util_grow(v, &n, sizeof(**v));
		i->name = util_xstrdup(e->d_name);
		if (util_read_file(meta, &text, NULL) == 0)
			text[strcspn(text, "\n")] = '\0';
		i->packages = text ? steal_pointer(&text) : util_xstrdup("?");
		tree_bytes = 0;
		nftw(dir, count_one, 16, FTW_PHYS | FTW_MOUNT);
		i->bytes = tree_bytes;
		i->built = stat(meta, &st) == 0 ? st.st_mtime : 0;
	}
	closedir(d);
	for (size_t a = 1; a < n; a++) /* by name */
		for (size_t b = a; b > 0 && strcmp((*v)[b - 1].name, (*v)[b].name) > 0; b--)
			SWAP((*v)[b - 1], (*v)[b]);
	return (int)n;
}

void image_list_free(struct image_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].packages);
	}
	free(v);
}

int image_remove(const char *name)
{
	_cleanup_free_ char *dir = util_xasprintf("%s/%s", image_dir(), name),
			    *gone = util_xasprintf("%s/.%s.removing.XXXXXX", image_dir(), name);
	_cleanup_close_ int lock = lock_images();
	int r;

	if (lock < 0)
		return lock;
	if (!image_exists(name))
		return -ENOENT;
	/* out of its name first: a removal cut short leaves no half image under it */
	if (!mkdtemp(gone) || rmdir(gone) < 0 || rename(dir, gone) < 0)
		return log_errno(-errno, "image %s: cannot remove '%s'", name, dir);
	if ((r = remove_tree(gone)) < 0)
		return log_errno(r, "image %s: cannot remove '%s'", name, gone);
	return 0;
}
