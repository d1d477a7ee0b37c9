/* machine.c: a node's mount namespace and its writable layers (see machine.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "machine.h"
#include "nsfs.h"
#include "strbuf.h"
#include "util.h"

char *machine_ns_pin(const char *state_dir, const char *node, const char *type)
{
	return util_xasprintf("%s/%s/%s.%s", state_dir, STATE_NS_DIR, node, type);
}

/* One place of the node's filesystem: an overlay over the machine's directory, or a fresh
 * directory of the node's (seeded from the node's files when seed is set). */
struct layer {
	char *path; /* relative to /: "etc", "var/lib" */
	bool fresh;
	mode_t mode; /* of a fresh place */
	char *seed;  /* DIR/path, or NULL */
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
	{ "etc", false, 0 },  { "var/lib", false, 0 }, { "var/log", false, 0 },
	{ "var/tmp", true, 01777 }, { "tmp", true, 01777 },     { "run", true, 0755 },
};

/* Places a node's files may not seed: the kernel's, and the runtime directory. */
static const char *const refused[] = { "proc", "sys", "dev", "run", "var/run" };

static struct layer *plan_find(struct plan *p, const char *path)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->l[i].path, path) == 0)
			return &p->l[i];
	return NULL;
}

/* Adds the entries of DIR/rel (rel "" or "var") to the plan: each seeds a standard place, or
 * becomes an overlay of its own; "var" is walked one level down. */
static int plan_files(struct plan *p, const struct topo_node *n, const char *dir, const char *rel)
{
	_cleanup_free_ char *here = rel[0] ? util_xasprintf("%s/%s", dir, rel) : util_xstrdup(dir);
	DIR *d = opendir(here);
	struct dirent *e;
	int r = 0;

	if (!d)
		return log_errno(-errno, "node %s: files: cannot read '%s'", n->name, here);
	while ((e = readdir(d)) && r == 0) {
		_cleanup_free_ char *path = rel[0] ? util_xasprintf("%s/%s", rel, e->d_name) : util_xstrdup(e->d_name);
		_cleanup_free_ char *src = util_xasprintf("%s/%s", dir, path), *dst = util_xasprintf("/%s", path);
		struct layer *l;
		struct stat s, m;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(refused); i++)
			if (strcmp(path, refused[i]) == 0) {
				util_log("node %s: files: '%s': %s is %s; netlab does not lay files over it", n->name, src, dst,
					 strcmp(path, "run") && strcmp(path, "var/run") ? "the kernel's" : "the node's runtime directory, empty at start");
				r = -EINVAL;
			}
		if (r < 0)
			break;
		if (stat(src, &s) < 0) {
			r = log_errno(-errno, "node %s: files: cannot read '%s'", n->name, src);
			break;
		}
		if (!S_ISDIR(s.st_mode)) {
			util_log("node %s: files: '%s' is not a directory: files at the top of the node's directory (or of var/) are not supported; put them in a directory such as etc/",
				 n->name, src);
			r = -EINVAL;
			break;
		}
		if (!rel[0] && strcmp(path, "var") == 0) {
			r = plan_files(p, n, dir, "var");
			continue;
		}
		if ((l = plan_find(p, path))) {
			l->seed = steal_pointer(&src);
			continue;
		}
		if (stat(dst, &m) < 0 || !S_ISDIR(m.st_mode)) {
			util_log("node %s: files: '%s' would be laid over %s, which is not a directory on this machine (netlab does not create directories in the machine's /)",
				 n->name, src, dst);
			r = -ENOTDIR;
			break;
		}
		l = util_grow(&p->l, &p->n, sizeof(*l));
		/* an overlay of its own, mounted before the standard places: move it to the front */
		memmove(p->l + 1, p->l, (p->n - 1) * sizeof(*l));
		p->l[0] = (struct layer){ .path = steal_pointer(&path), .seed = steal_pointer(&src) };
	}
	closedir(d);
	return r;
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
	if (n->files) {
		_cleanup_free_ char *dir = topo_path(t, n->files);

		return plan_files(p, n, dir, "");
	}
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
	_cleanup_free_ char *up = util_xasprintf("%s/%s", root, l->path), *wk = util_xasprintf("%s/%s", work, l->path);
	_cleanup_free_ char *machine = util_xasprintf("/%s", l->path);
	struct stat m;
	int r;

	if ((r = util_mkdir_p(up, 0755)) < 0)
		return r;
	if ((!l->fresh || l->seed) && (r = util_mkdir_p(wk, 0700)) < 0)
		return r;
	if (l->fresh)
		return chmod(up, l->mode) < 0 ? -errno : 0;
	if (stat(machine, &m) < 0)
		return -errno;
	if (chmod(up, m.st_mode & 07777) < 0 || chown(up, m.st_uid, m.st_gid) < 0)
		return -errno;
	return 0;
}

/* Inside the node's new mount namespace: mounts layer l (not /run). */
static int mount_layer(const struct layer *l, const char *root, const char *work, const char *etc_dir)
{
	_cleanup_free_ char *dst = util_xasprintf("/%s", l->path);
	_cleanup_free_ char *up = util_xasprintf("%s/%s", root, l->path), *wk = util_xasprintf("%s/%s", work, l->path);
	_cleanup_strbuf_ struct strbuf o = { 0 };

	if (l->fresh && !l->seed)
		return mount(up, dst, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
	strbuf_addf(&o, "lowerdir=");
	if (l->seed) {
		add_escaped(&o, l->seed);
		strbuf_addf(&o, "%s", l->fresh ? "" : ":");
	}
	if (strcmp(l->path, "etc") == 0) { /* the lab's hosts file */
		add_escaped(&o, etc_dir);
		strbuf_addf(&o, ":");
	}
	if (!l->fresh)
		add_escaped(&o, dst);
	strbuf_addf(&o, ",upperdir=");
	add_escaped(&o, up);
	strbuf_addf(&o, ",workdir=");
	add_escaped(&o, wk);
	return mount("netlab", dst, "overlay", 0, strbuf_str(&o)) < 0 ? -errno : 0;
}

/* /run last: the copies of /run/netns and of the labs' states (their pins) are detached first, so
 * that this namespace holds no other namespace alive; the node's own directory, whose path is under
 * what is detached, is cloned as a mount beforehand (open_tree), then attached on /run. */
static int mount_run(const char *root)
{
	_cleanup_free_ char *up = util_xasprintf("%s/run", root);
	_cleanup_close_ int fd = open_tree(AT_FDCWD, up, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	const char *detach[] = { NETNS_RUN_DIR, NETLAB_RUN_DIR, "/run" };

	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < ARRAY_SIZE(detach); i++)
		if (umount2(detach[i], MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
			return -errno;
	return move_mount(fd, "", AT_FDCWD, "/run", MOVE_MOUNT_F_EMPTY_PATH) < 0 ? -errno : 0;
}

/* Inside the node's network namespace and its new mount namespace. */
static int mount_all(const struct topo_node *n, const struct plan *p, const char *root, const char *work, const char *etc_dir)
{
	unsigned long sys_flags = 0;
	struct statvfs sv;
	int r;

	/* keep the node's mounts to itself; still see what the machine mounts later */
	if (mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return log_errno(-errno, "node %s: cannot make / a slave mount", n->name);
	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		sys_flags = MS_RDONLY;
	if (umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL)
		return log_errno(-errno, "node %s: cannot unmount /sys", n->name);
	if (mount(n->netns, "/sys", "sysfs", sys_flags, NULL) < 0)
		return log_errno(-errno, "node %s: cannot mount /sys", n->name);
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->l[i].path, "run") == 0)
			r = mount_run(root);
		else
			r = mount_layer(&p->l[i], root, work, etc_dir);
		if (r < 0)
			return log_errno(r, "node %s: cannot mount its /%s%s%s", n->name, p->l[i].path, p->l[i].seed ? " seeded from " : "",
					 p->l[i].seed ? p->l[i].seed : "");
	}
	return 0;
}

int machine_make(const struct topo *t, size_t i, struct state *st, int net_fd, int orig_net, int orig_mnt)
{
	const struct topo_node *n = &t->nodes[i];
	_cleanup_free_ char *pin = machine_ns_pin(st->dir, n->name, "mnt");
	_cleanup_free_ char *node_dir = util_xasprintf("%s/%s/%s", st->dir, STATE_NODES_DIR, n->name);
	_cleanup_free_ char *root = util_xasprintf("%s/root", node_dir), *work = util_xasprintf("%s/work", node_dir);
	_cleanup_free_ char *etc_dir = state_path(st, STATE_ETC_DIR);
	_cleanup_close_ int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), self = -1;
	struct plan p;
	int r, q;

	if ((r = plan_make(t, n, &p)) < 0)
		goto out;
	for (size_t k = 0; k < p.n; k++)
		if ((r = make_dirs(&p.l[k], root, work)) < 0) {
			log_errno(r, "node %s: cannot make its directory for /%s in '%s'", n->name, p.l[k].path, node_dir);
			goto out;
		}
	if ((r = nsfs_create_file(pin)) < 0) {
		log_errno(r, "cannot create mount namespace pin '%s'", pin);
		goto out;
	}
	if ((r = nsfs_enter(net_fd, CLONE_NEWNET)) < 0) {
		log_errno(r, "cannot enter namespace '%s'", n->netns);
		goto out;
	}
	if (unshare(CLONE_NEWNS) < 0)
		r = log_errno(-errno, "node %s: cannot create a mount namespace", n->name);
	else if ((r = mount_all(n, &p, root, work, etc_dir)) == 0 && (self = nsfs_open("/proc/thread-self/ns/mnt")) < 0)
		r = log_errno(self, "node %s: cannot open its mount namespace", n->name);
	/* back to netlab's own namespaces and directory, whatever happened */
	if ((q = nsfs_enter(orig_mnt, CLONE_NEWNS)) < 0 || (q = nsfs_enter(orig_net, CLONE_NEWNET)) < 0 ||
	    (cwd >= 0 && fchdir(cwd) < 0 && (q = -errno) < 0)) {
		if (r == 0)
			r = log_errno(q, "cannot return to netlab's own namespaces");
	}
	if (r == 0 && (r = nsfs_pin_fd(self, pin)) < 0)
		log_errno(r, "cannot pin the mount namespace of node %s on '%s'", n->name, pin);
out:
	plan_clear(&p);
	return r;
}
