/* machine.c: a node's mount namespace and its writable layers (see machine.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lab_image.h"
#include "machine.h"
#include "nsfs.h"
#include "rootless.h"
#include "routing.h"
#include "strbuf.h"
#include "util.h"

char *machine_ns_pin(const char *state_dir, const char *node, const char *type)
{
	return util_xasprintf("%s/%s/%s.%s", state_dir, STATE_NS_DIR, node, type);
}

int machine_sys(const char *netns, dev_t outer)
{
	unsigned long flags = 0;
	int err;
	struct statvfs sv;
	struct stat st;

	if (stat("/sys", &st) < 0 || st.st_dev != outer)
		return 0; /* the node's own already (or an image's, mounted by up), or none */
	/* read-only like the machine's: in a user namespace the kernel refuses more */
	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	if (mount(netns, "/sys", "sysfs", flags, NULL) == 0)
		return 0;
	err = -errno;
	/* EBUSY: another process entering the node at once mounted it first (the kernel refuses the
	 * same file system twice on one mount point) */
	if (err == -EBUSY && stat("/sys", &st) == 0 && st.st_dev != outer)
		return 0;
	return err;
}

char *machine_nsenter(const char *state_dir, const char *node, const char *netns)
{
	pid_t h = rootless_holder();
	/* without root, the holder's namespace files, seen from outside through its /proc */
	_cleanup_free_ char *via = h ? util_xasprintf("/proc/%d/root", (int)h) : util_xstrdup(""),
			    *net = nsfs_netns_path(netns);
	struct strbuf b = { 0 };

	strbuf_addf(&b, "nsenter");
	if (h)
		strbuf_addf(&b, " --user=/proc/%d/ns/user", (int)h);
	strbuf_addf(&b, " --net=%s%s", via, net);
	for (size_t i = 0; i < 2; i++) {
		static const char *const type[] = { "mount", "uts" }, *const file[] = { "mnt",
											"uts" };
		_cleanup_free_ char *pin = machine_ns_pin(state_dir, node, file[i]);

		if (access(pin, F_OK) == 0)
			strbuf_addf(&b, " --%s=%s%s", type[i], via, pin);
	}
	return strbuf_detach(&b);
}

char *machine_root(const char *state_dir, const char *node)
{
	return util_xasprintf("%s/%s/%s/root", state_dir, STATE_NODES_DIR, node);
}

/* One place of the node's filesystem: an overlay over the machine's directory, or a fresh
 * directory of the node's (seeded from the node's files when seed is set). */
struct layer {
	char *path; /* relative to /: "etc", "var/tmp" */
	bool fresh;
	mode_t mode; /* of a fresh place */
	bool owned;
	uid_t uid; /* owned: of a fresh place (else root) */
	gid_t gid;
	char *seed; /* DIR/path, or NULL */
};

struct plan {
	struct layer *l;
	size_t n;
};

static void plan_clear(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->l[i].path);
		free(p->l[i].seed);
	}
	free(p->l);
}

/* The standard places, in mount order: overlays first (they keep the machine's files visible, so
 * that sources below them can still be reached), then the fresh places, which hide what was
 * there; /run last, as the lab's own state lives under it. */
static const struct {
	const char *path;
	bool fresh;
	mode_t mode;
} places[] = {
	{ "etc", false, 0 },	{ "var", false, 0 },   { "var/tmp", true, 01777 },
	{ "tmp", true, 01777 }, { "run", true, 0755 },
};

static struct layer *plan_find(struct plan *p, const char *path)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->l[i].path, path) == 0)
			return &p->l[i];
	return NULL;
}

/* Whether DIR/path may seed the node: not the kernel's places, not the runtime directory. */
static bool seed_allowed(const struct topo_node *n, const char *src, const char *path)
{
	static const char *const kernel[] = { "proc", "sys", "dev" };

	for (size_t i = 0; i < ARRAY_SIZE(kernel); i++)
		if (strcmp(path, kernel[i]) == 0) {
			util_log(
				"node %s: files: '%s': /%s is the kernel's; netlab lays no files over it",
				n->name, src, path);
			return false;
		}
	if (strcmp(path, "run") == 0 || strcmp(path, "var/run") == 0) {
		util_log(
			"node %s: files: '%s': /%s is the node's runtime directory, empty at start; netlab lays no files over it",
			n->name, src, path);
		return false;
	}
	return true;
}

/* Whether path lies below dir. */
static bool path_inside(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	return strncmp(path, dir, len) == 0 && path[len] == '/';
}

/* DIR/var: seeds /var, and DIR/var/tmp seeds /var/tmp; DIR/var/run is refused. */
static int plan_var(struct plan *p, const struct topo_node *n, const char *dir)
{
	_cleanup_free_ char *run = util_xasprintf("%s/var/run", dir),
			    *tmp = util_xasprintf("%s/var/tmp", dir);
	struct stat s;

	if (lstat(run, &s) == 0 && !seed_allowed(n, run, "var/run"))
		return -EINVAL;
	if (stat(tmp, &s) == 0 && S_ISDIR(s.st_mode))
		plan_find(p, "var/tmp")->seed = steal_pointer(&tmp);
	return 0;
}

/* Adds the entries of DIR to the plan: each seeds a standard place, or becomes an overlay of its
 * own over the machine's directory of that name. */
static int plan_files(struct plan *p, const struct topo_node *n, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	if (!d)
		return log_errno(-errno, "node %s: files: cannot read '%s'", n->name, dir);
	while ((e = readdir(d)) && r == 0) {
		_cleanup_free_ char *src = util_xasprintf("%s/%s", dir, e->d_name),
				    *dst = util_xasprintf("/%s", e->d_name);
		struct layer *l;
		struct stat s, m;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		l = plan_find(p, e->d_name);
		if (!seed_allowed(n, src, e->d_name)) {
			r = -EINVAL;
		} else if (stat(src, &s) < 0) {
			r = log_errno(-errno, "node %s: files: cannot read '%s'", n->name, src);
		} else if (!S_ISDIR(s.st_mode)) {
			util_log(
				"node %s: files: '%s' is not a directory: put files in the directories they belong to (etc/, root/, ...)",
				n->name, src);
			r = -EINVAL;
		} else if ((!l || !l->fresh) && path_inside(src, dst)) {
			/* the machine's /X is a lower layer of the overlay on /X: overlayfs refuses
			 * overlapping layers */
			util_log(
				"node %s: files: '%s' lies inside %s: an overlay cannot lie over its own source (move the lab out of %s)",
				n->name, src, dst, dst);
			r = -ELOOP;
		} else if (l) {
			l->seed = steal_pointer(&src);
			if (strcmp(e->d_name, "var") == 0)
				r = plan_var(p, n, dir);
		} else if (stat(dst, &m) < 0 || !S_ISDIR(m.st_mode)) {
			util_log(
				"node %s: files: '%s' would be laid over %s, which is not a directory on this machine (netlab makes no directory in the machine's /)",
				n->name, src, dst);
			r = -ENOTDIR;
		} else {
			/* an overlay of its own, mounted before the standard places: at the front
			 */
			l = util_grow(&p->l, &p->n, sizeof(*l));
			memmove(p->l + 1, p->l, (p->n - 1) * sizeof(*l));
			p->l[0] = (struct layer){ .path = util_xstrdup(e->d_name),
						  .seed = steal_pointer(&src) };
		}
	}
	closedir(d);
	return r;
}

/* In a rootless lab, FRR cannot write the machine's (or image's) /var/log/frr, whose owner the user
 * namespace does not map (docs/rootless.md): the node gets a fresh one, FRR's, before /run. */
static void plan_frr_log(const struct topo_node *n, struct plan *p)
{
	_cleanup_free_ char *root = n->image ? image_rootfs(n->image) : util_xstrdup(""),
			    *dir = util_xasprintf("%s/var/log/frr", root);
	struct passwd *pw;
	struct stat st;
	struct layer *l;

	if (!n->frr || stat(dir, &st) < 0 || st.st_uid != util_overflow_uid() ||
	    !(pw = getpwnam("frr")))
		return;
	l = util_grow(&p->l, &p->n, sizeof(*l));
	memmove(l, l - 1, sizeof(*l)); /* /run stays last */
	l[-1] = (struct layer){ .path = util_xstrdup("var/log/frr"),
				.fresh = true,
				.mode = st.st_mode & 07777,
				.owned = true,
				.uid = pw->pw_uid,
				.gid = pw->pw_gid };
}

static int plan_make(const struct topo *t, const struct topo_node *n, struct plan *p)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < ARRAY_SIZE(places); i++) {
		struct layer *l = util_grow(&p->l, &p->n, sizeof(*l));

		l->path = util_xstrdup(places[i].path);
		l->fresh = places[i].fresh;
		l->mode = places[i].mode;
	}
	plan_frr_log(n, p);
	if (n->files) {
		_cleanup_free_ char *dir = topo_path(t, n->files);

		return plan_files(p, n, dir);
	}
	return 0;
}

/* Where the template namespace shows the lab's etc directory (the hosts file), below /run (the
 * lab's layers, STATE/nodes). */
#define TEMPLATE_ETC "/run/.lab-etc"

/* Where netlab is, to come back to after making a namespace: its mount and network namespaces,
 * root and working directory. Entering a mount namespace moves to the namespace's root, which is
 * not netlab's own when it runs chrooted (as in a VM whose init chroots into the real root). */
struct home {
	int mnt, net; /* not owned */
	int root, cwd;
};

static void home_open(struct home *h, int orig_mnt, int orig_net)
{
	h->mnt = orig_mnt;
	h->net = orig_net;
	h->root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	h->cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static void home_close(struct home *h)
{
	if (h->root >= 0)
		close(h->root);
	if (h->cwd >= 0)
		close(h->cwd);
}

/* Back home; with root_path, also says where netlab's root is in its mount namespace ("/" unless
 * chrooted), to be freed. Returns 0 or -errno after saying why. */
static int back_home(const struct home *h, char **root_path)
{
	int r;

	if (h->root < 0)
		return log_errno(-EBADF, "cannot return to netlab's own root");
	if ((r = nsfs_enter(h->mnt, CLONE_NEWNS)) < 0 ||
	    (h->net >= 0 && (r = nsfs_enter(h->net, CLONE_NEWNET)) < 0))
		return log_errno(r, "cannot return to netlab's own namespaces");
	if (fchdir(h->root) < 0 || (root_path && !(*root_path = getcwd(NULL, 0))) ||
	    chroot(".") < 0 || fchdir(h->cwd >= 0 ? h->cwd : h->root) < 0)
		return log_errno(-errno, "cannot return to netlab's own root and directory");
	return 0;
}

/* Appends path to an overlay option, its ',' ':' and '\' escaped. */
static void add_escaped(struct strbuf *sb, const char *path)
{
	for (const char *c = path; *c; c++)
		strbuf_addf(sb, "%s%c", strchr(",:\\", *c) ? "\\" : "", *c);
}

/* The node's directories for layer l: ROOT/path (its writable layer) and WORK/path (overlayfs's
 * work directory), with the machine's directory's mode and owner (or the fresh place's mode). */
static int make_dirs(const struct layer *l, const char *root, const char *work)
{
	_cleanup_free_ char *up = util_xasprintf("%s/%s", root, l->path),
			    *wk = util_xasprintf("%s/%s", work, l->path);
	_cleanup_free_ char *machine = util_xasprintf("/%s", l->path);
	struct stat m;
	int r;

	if ((r = util_mkdir_p(up, 0755)) < 0)
		return r;
	if ((!l->fresh || l->seed) && (r = util_mkdir_p(wk, 0700)) < 0)
		return r;
	if (l->fresh)
		return chmod(up, l->mode) < 0 || (l->owned && chown(up, l->uid, l->gid) < 0) ?
			       -errno :
			       0;
	if (stat(machine, &m) < 0)
		return -errno;
	if (chmod(up, m.st_mode & 07777) < 0)
		return -errno;
	/* EINVAL: an owner the user namespace of a rootless lab does not map (docs/rootless.md):
	 * the layer stays the user's */
	if (chown(up, m.st_uid, m.st_gid) < 0 && errno != EINVAL)
		return -errno;
	return 0;
}

/* Inside the node's new mount namespace: mounts layer l; root and work are the node's directories
 * as the template shows them (/run/NODE/root, /run/NODE/work). */
static int mount_layer(const struct layer *l, const char *root, const char *work)
{
	_cleanup_free_ char *dst = util_xasprintf("/%s", l->path);
	_cleanup_free_ char *up = util_xasprintf("%s/%s", root, l->path),
			    *wk = util_xasprintf("%s/%s", work, l->path);
	_cleanup_strbuf_ struct strbuf o = { 0 };

	if (l->fresh && !l->seed)
		return mount(up, dst, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
	strbuf_addf(&o, "lowerdir=");
	if (l->seed) {
		add_escaped(&o, l->seed);
		strbuf_addf(&o, "%s", l->fresh ? "" : ":");
	}
	if (strcmp(l->path, "etc") == 0) /* the lab's hosts file */
		strbuf_addf(&o, "%s:", TEMPLATE_ETC);
	if (!l->fresh)
		add_escaped(&o, dst);
	strbuf_addf(&o, ",upperdir=");
	add_escaped(&o, up);
	strbuf_addf(&o, ",workdir=");
	add_escaped(&o, wk);
	return mount("netlab", dst, "overlay", 0, strbuf_str(&o)) < 0 ? -errno : 0;
}

/* Inside the node's network namespace and its new mount namespace (a copy of the template): the
 * layers in order; /run, the last, covers the template's /run (the lab's layers), whose copy holds
 * nothing but them. The node's /sys comes with its first process (machine_sys). */
static int mount_all(const struct topo_node *n, const struct plan *p)
{
	_cleanup_free_ char *root = util_xasprintf("/run/%s/root", n->name),
			    *work = util_xasprintf("/run/%s/work", n->name);
	int r;

	for (size_t i = 0; i < p->n; i++)
		if ((r = mount_layer(&p->l[i], root, work)) < 0)
			return log_errno(r, "node %s: cannot mount its /%s%s%s", n->name,
					 p->l[i].path, p->l[i].seed ? " seeded from " : "",
					 p->l[i].seed ? p->l[i].seed : "");
	return 0;
}

/* Inside the node's network namespace and its new mount namespace, for a node with an image: its
 * root becomes an overlay of the image's root filesystem (and its files = DIR above it) under its
 * writable layer, with the kernel's /proc (as the template has it), a /sys of its network, the
 * machine's /dev and the lab's hosts file; then pivot_root, so that whoever enters the namespace
 * later is in that root, and the machine's files are out of the node's reach. */
static int mount_image(const struct topo_node *n, const char *image, const char *seed,
		       const char *shared)
{
	_cleanup_free_ char *root = util_xasprintf("/run/%s/root", n->name),
			    *work = util_xasprintf("/run/%s/work", n->name),
			    *mnt = util_xasprintf("/run/%s/mnt", n->name);
	_cleanup_strbuf_ struct strbuf o = { 0 };
	static const char *const binds[] = { "proc", "dev" };
	int fd;

	strbuf_addf(&o, "lowerdir=");
	if (seed) {
		add_escaped(&o, seed);
		strbuf_addf(&o, ":");
	}
	add_escaped(&o, image);
	strbuf_addf(&o, ",upperdir=");
	add_escaped(&o, root);
	strbuf_addf(&o, ",workdir=");
	add_escaped(&o, work);
	if (mount("netlab", mnt, "overlay", 0, strbuf_str(&o)) < 0)
		return log_errno(-errno, "node %s: cannot lay its image '%s' under its layer",
				 n->name, image);
	if (chdir(mnt) < 0)
		return log_errno(-errno, "node %s: cannot enter '%s'", n->name, mnt);
	for (size_t i = 0; i < ARRAY_SIZE(binds); i++) {
		_cleanup_free_ char *src = util_xasprintf("/%s", binds[i]);

		if (mkdir(binds[i], 0755) < 0 && errno != EEXIST)
			return log_errno(-errno, "node %s: cannot make /%s in its root", n->name,
					 binds[i]);
		if (mount(src, binds[i], NULL, MS_BIND | MS_REC, NULL) < 0)
			return log_errno(-errno, "node %s: cannot mount /%s in its root", n->name,
					 binds[i]);
	}
	if ((mkdir("sys", 0555) < 0 && errno != EEXIST) ||
	    mount(n->netns, "sys", "sysfs", MS_RDONLY, NULL) < 0)
		return log_errno(-errno, "node %s: cannot mount /sys in its root", n->name);
	/* never through a symlink (files = DIR may hold one): it would name the machine's files */
	if ((fd = open("etc/hosts", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		return log_errno(-errno, "node %s: cannot lay the lab's hosts file on /etc/hosts",
				 n->name);
	close(fd);
	if (mount(TEMPLATE_ETC "/hosts", "etc/hosts", NULL, MS_BIND, NULL) < 0)
		return log_errno(-errno, "node %s: cannot lay the lab's hosts file on /etc/hosts",
				 n->name);
	if (shared && ((mkdir("shared", 0755) < 0 && errno != EEXIST) ||
		       mount(shared, "shared", NULL, MS_BIND | MS_REC, NULL) < 0))
		return log_errno(-errno, "node %s: cannot mount the lab's shared '%s' on /shared",
				 n->name, shared);
	/* the node's root becomes the namespace's: the old one stacked under it, then detached */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return log_errno(-errno, "node %s: cannot make its image its root (pivot_root)",
				 n->name);
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return log_errno(-errno, "node %s: cannot leave the machine's root", n->name);
	return 0;
}

/* [lab] shared = DIR on /shared of a node without an image: over the machine's /shared, which must
 * be there (netlab makes no directory in the machine's /); a node with an image has its own. */
static int mount_shared(const struct topo_node *n, const char *shared)
{
	struct stat st;

	if (stat("/shared", &st) < 0 || !S_ISDIR(st.st_mode)) {
		util_log(
			"node %s: [lab] shared: this machine has no /shared directory, and netlab makes none in the machine's /: give the node an image (image = base), which has its own",
			n->name);
		return -ENOENT;
	}
	if (mount(shared, "/shared", NULL, MS_BIND | MS_REC, NULL) < 0)
		return log_errno(-errno, "node %s: cannot mount the lab's shared '%s' on /shared",
				 n->name, shared);
	return 0;
}

/* Attaches the clone open as fd on path (in the current mount namespace). */
static int attach(int fd, const char *path)
{
	return move_mount(fd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0 ? -errno : 0;
}

/* In the template (so in every node): the machine's sysctls and /proc/sysrq-trigger read-only, the
 * node's own network's (/proc/sys/net: what the reading process's network namespace holds) still
 * writable, as container runtimes do. Not a security boundary (docs/machines.md): a node's root
 * could remount them; it keeps a lab's `sysctl -w kernel.X` from changing the machine. */
static int proc_read_only(void)
{
	static const char *const ro[] = { "/proc/sys", "/proc/sysrq-trigger" };
	bool bound[ARRAY_SIZE(ro)] = { false };

	for (size_t i = 0; i < ARRAY_SIZE(ro); i++) {
		if (access(ro[i], F_OK) < 0)
			continue; /* a kernel without it (CONFIG_MAGIC_SYSRQ) */
		if (mount(ro[i], ro[i], NULL, MS_BIND | MS_REC, NULL) < 0)
			return log_errno(-errno, "cannot bind '%s' in a new mount namespace",
					 ro[i]);
		bound[i] = true;
	}
	if (bound[0] && mount("/proc/sys/net", "/proc/sys/net", NULL, MS_BIND | MS_REC, NULL) < 0)
		return log_errno(-errno, "cannot bind '/proc/sys/net' in a new mount namespace");
	for (size_t i = 0; i < ARRAY_SIZE(ro); i++)
		if (bound[i] &&
		    mount(NULL, ro[i], NULL,
			  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  NULL) < 0)
			return log_errno(-errno,
					 "cannot make '%s' read-only in a new mount namespace",
					 ro[i]);
	return 0;
}

/* In the template: the machine's mounts under /sys (cgroups, debugfs, ...) detached. A node's own
 * /sys, mounted over the machine's (machine_sys), hides them, and every mount a node's namespace
 * copies costs its up and its down (about a third of a node's mounts here). Best effort: without
 * root the kernel locks them to the machine's /sys, and they stay. */
static void detach_under_sys(void)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;

	if (util_read_file("/proc/self/mountinfo", &text, NULL) < 0)
		return;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *w[6]; /* the fifth word is the mount point */

		if (util_split_words(line, " ", 0, w, 6) >= 5 && strncmp(w[4], "/sys/", 5) == 0 &&
		    !strchr(w[4], '\\')) /* no escaped character: the path as it is */
			umount2(w[4], MNT_DETACH); /* EINVAL: gone with its parent */
	}
}

/* Inside the new template namespace: no mount propagates out; /run/netns and the labs' states (with
 * every namespace pin in them) detached, so that no node's namespace, a copy of this one, holds
 * another namespace alive or grows with the lab; the lab's layers (nodes_fd) attached on /run
 * and its etc directory (etc_fd) on TEMPLATE_ETC, as sources for the nodes' mounts. */
static int template_fill(int nodes_fd, int etc_fd)
{
	const char *detach[] = { NETNS_RUN_DIR, NETLAB_RUN_DIR, "/run" };
	int r;

	if (mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return log_errno(-errno, "cannot make / a slave mount in a new mount namespace");
	for (size_t i = 0; i < ARRAY_SIZE(detach); i++)
		if (umount2(detach[i], MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
			return log_errno(-errno, "cannot detach '%s' in a new mount namespace",
					 detach[i]);
	detach_under_sys();
	if ((r = attach(nodes_fd, "/run")) < 0 || (r = attach(etc_fd, TEMPLATE_ETC)) < 0)
		return log_errno(r, "cannot attach the lab's layers in a new mount namespace");
	if (mount("", "/run", NULL, MS_PRIVATE | MS_REC, NULL) < 0)
		return log_errno(-errno,
				 "cannot make the lab's layers private in a new mount namespace");
	return proc_read_only();
}

char *machine_read_root(const char *state_dir)
{
	_cleanup_free_ char *file = util_xasprintf("%s/%s", state_dir, STATE_ROOT);
	char *root = NULL;

	return util_read_file(file, &root, NULL) == 0 ? root : NULL;
}

int machine_enter_root(const char *root)
{
	if (!root)
		return 0;
	return chroot(root) < 0 || chdir("/") < 0 ? -errno : 0;
}

int machine_template(struct state *st, int orig_mnt)
{
	_cleanup_free_ char *nodes = state_path(st, STATE_NODES_DIR),
			    *etc = state_path(st, STATE_ETC_DIR);
	_cleanup_free_ char *etc_point =
		util_xasprintf("%s%s", nodes, TEMPLATE_ETC + strlen("/run"));
	_cleanup_close_ int nodes_fd = -1, etc_fd = -1;
	_cleanup_free_ char *root = NULL, *root_file = state_path(st, STATE_ROOT);
	struct home h;
	int r, q, fd = -1;

	if (mkdir(etc_point, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", etc_point);
	nodes_fd = open_tree(AT_FDCWD, nodes, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	etc_fd = open_tree(AT_FDCWD, etc, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (nodes_fd < 0 || etc_fd < 0)
		return log_errno(-errno, "cannot clone the mounts of '%s'",
				 nodes_fd < 0 ? nodes : etc);
	home_open(&h, orig_mnt, -1);
	if (unshare(CLONE_NEWNS) < 0)
		r = log_errno(-errno, "cannot create a mount namespace");
	else if ((r = template_fill(nodes_fd, etc_fd)) == 0 &&
		 (fd = nsfs_open("/proc/thread-self/ns/mnt")) < 0)
		r = log_errno(fd, "cannot open a new mount namespace");
	if ((q = back_home(&h, &root)) < 0 && r == 0)
		r = q;
	home_close(&h);
	/* netlab chrooted: commands entering a node go to the same place in its namespace
	 * (lab_exec.c) */
	if (r == 0 && strcmp(root, "/") != 0 &&
	    (r = util_write_file_atomic(root_file, root, strlen(root), 0644)) < 0)
		log_errno(r, "cannot write '%s'", root_file);
	if (r < 0 && fd >= 0)
		close(fd);
	return r < 0 ? r : fd;
}

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID _IOR(0xb7, 0x5, uint64_t) /* Linux 6.10 */
#endif

/* The kernel's id of the mount namespace open as fd, or 0 when it does not say (before 6.10). */
static uint64_t mnt_ns_id(int fd)
{
	uint64_t id = 0;

	return ioctl(fd, NS_GET_MNTNS_ID, &id) == 0 ? id : 0;
}

/* Linux (6.18 here) gives namespaces ids from per-CPU batches: a mount namespace made now on one
 * CPU may have a smaller id than one made earlier on another (measured: 206914 on CPU 0 after
 * 210072 on CPU 1). The kernel pins (bind mounts) a mount namespace only when its id is above the
 * caller's own (mnt_ns_loop, else EINVAL): when netlab runs in a mount namespace of its own (a
 * container, `unshare -m`), a node's made on the wrong CPU cannot be pinned. So such a namespace is
 * made again on the next CPU netlab may run on, and up stays on the first CPU that gives one above
 * until machine_cpus_restore. */
static cpu_set_t saved_cpus;
static bool cpus_pinned;

void machine_cpus_restore(void)
{
	if (cpus_pinned)
		sched_setaffinity(0, sizeof(saved_cpus), &saved_cpus);
	cpus_pinned = false;
}

/* How many mount namespaces unshare_pinnable may make on one CPU, waiting for the CPU's next batch
 * of ids (above every id given so far): measured here, batches are a few thousand apart. */
#define PINNABLE_TRIES 100000
#define STR_(x) #x
#define STR(x) STR_(x)

/* In the template (tmpl), at netlab's root there (chroot_path): unshares a mount namespace the
 * caller (home_id) can pin: on this CPU, else on the next ones netlab may run on, else again on the
 * last until its batch of ids is used up. Returns 0 or -errno (-EINVAL: none above). */
static int unshare_pinnable(int tmpl, const char *chroot_path, uint64_t home_id)
{
	int cpu = -1, r;

	for (long tries = 0;; tries++) {
		_cleanup_close_ int self = -1;
		uint64_t id;
		cpu_set_t one;

		if (unshare(CLONE_NEWNS) < 0)
			return -errno;
		self = open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC);
		id = self >= 0 ? mnt_ns_id(self) : 0;
		if (!home_id || !id || id > home_id)
			return 0;
		if (tries >= PINNABLE_TRIES)
			return -EINVAL;
		if (!cpus_pinned && sched_getaffinity(0, sizeof(saved_cpus), &saved_cpus) < 0)
			return -errno;
		if (cpu < CPU_SETSIZE) {
			do
				cpu++;
			while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &saved_cpus));
		}
		if (cpu < CPU_SETSIZE) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			if (sched_setaffinity(0, sizeof(one), &one) < 0)
				return -errno;
			cpus_pinned = true;
		}
		if ((r = nsfs_enter(tmpl, CLONE_NEWNS)) < 0 ||
		    (r = machine_enter_root(chroot_path)) < 0)
			return r;
	}
}

int machine_make(const struct topo *t, size_t i, struct state *st, int tmpl, int net_fd,
		 int orig_net, int orig_mnt)
{
	const struct topo_node *n = &t->nodes[i];
	_cleanup_free_ char *pin = machine_ns_pin(st->dir, n->name, "mnt");
	_cleanup_free_ char *node_dir =
		util_xasprintf("%s/%s/%s", st->dir, STATE_NODES_DIR, n->name);
	_cleanup_free_ char *root = machine_root(st->dir, n->name),
			    *work = util_xasprintf("%s/work", node_dir);
	_cleanup_free_ char *chroot_path = machine_read_root(st->dir);
	/* /shared for the lab's hosts and routers; its switches and LANs run nothing */
	bool bridge = n->kind == TOPO_SWITCH || n->kind == TOPO_LAN;
	_cleanup_free_ char *image = NULL, *seed = NULL,
			    *shared = t->shared && !bridge ? topo_path(t, t->shared) : NULL;
	_cleanup_close_ int self = -1;
	struct home h;
	struct plan p;
	int r, q;

	memset(&p, 0, sizeof(p));
	if (n->image) {
		_cleanup_free_ char *mnt = util_xasprintf("%s/mnt", node_dir);

		image = image_rootfs(n->image);
		seed = n->files ? topo_path(t, n->files) : NULL;
		if ((r = util_mkdir_p(root, 0755)) < 0 || (r = util_mkdir_p(work, 0700)) < 0 ||
		    (r = util_mkdir_p(mnt, 0755)) < 0) {
			log_errno(r, "node %s: cannot make its directories in '%s'", n->name,
				  node_dir);
			goto out;
		}
	} else if ((r = plan_make(t, n, &p)) < 0) {
		goto out;
	}
	for (size_t k = 0; k < p.n; k++)
		if ((r = make_dirs(&p.l[k], root, work)) < 0) {
			log_errno(r, "node %s: cannot make its directory for /%s in '%s'", n->name,
				  p.l[k].path, node_dir);
			goto out;
		}
	if ((r = routing_write(t, n, root, image ? image : "")) < 0)
		goto out;
	if ((r = nsfs_create_file(pin, NULL)) < 0) {
		log_errno(r, "cannot create mount namespace pin '%s'", pin);
		goto out;
	}
	if ((r = nsfs_enter(net_fd, CLONE_NEWNET)) < 0) {
		log_errno(r, "cannot enter namespace '%s'", n->netns);
		goto out;
	}
	home_open(&h, orig_mnt, orig_net);
	if ((r = nsfs_enter(tmpl, CLONE_NEWNS)) < 0)
		log_errno(r, "node %s: cannot enter the lab's template mount namespace", n->name);
	else if ((r = machine_enter_root(chroot_path)) < 0)
		log_errno(
			r,
			"node %s: cannot go to netlab's root in the lab's template mount namespace",
			n->name);
	else if ((r = unshare_pinnable(tmpl, chroot_path, mnt_ns_id(orig_mnt))) < 0)
		log_errno(
			r, "node %s: cannot create a mount namespace%s", n->name,
			r == -EINVAL ?
				" netlab can pin: the kernel gave each of " STR(
					PINNABLE_TRIES) " an id below netlab's own mount namespace's (mnt_ns_loop)" :
				"");
	else if ((r = image ? mount_image(n, image, seed, shared) : mount_all(n, &p)) == 0 &&
		 (r = image || !shared ? 0 : mount_shared(n, shared)) == 0 &&
		 (self = nsfs_open("/proc/thread-self/ns/mnt")) < 0)
		r = log_errno(self, "node %s: cannot open its mount namespace", n->name);
	if ((q = back_home(&h, NULL)) < 0 && r == 0)
		r = q;
	home_close(&h);
	if (r == 0 && (r = nsfs_pin_fd(self, pin)) < 0)
		log_errno(r, "cannot pin the mount namespace of node %s on '%s'", n->name, pin);
out:
	plan_clear(&p);
	return r;
}
