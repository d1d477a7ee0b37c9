/* etcnetns.c: the lab's hosts file and its /etc/netns/NS links. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "etcnetns.h"
#include "strbuf.h"
#include "util.h"

char *etcnetns_path(const char *ns)
{
	return util_xasprintf("%s/%s", ETCNETNS_DIR, ns);
}

/* The lab's hosts file: localhost, then every address of every node under the node's name. */
static char *hosts_text(const struct topo *t)
{
	struct strbuf sb = { 0 };
	char b[64];

	strbuf_addf(
		&sb,
		"# written by netlab for lab %s\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
		t->name);
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i];
		bool alias = strcmp(n->hostname, n->name) != 0;

		for (size_t k = 0; k < n->n_ifaces; k++)
			for (size_t a = 0; a < n->ifaces[k].n_addrs; a++)
				strbuf_addf(&sb, "%s\t%s%s%s\n",
					    topo_prefix_str(&n->ifaces[k].addrs[a].p, false, b,
							    sizeof(b)),
					    n->name, alias ? " " : "", alias ? n->hostname : "");
	}
	return strbuf_detach(&sb);
}

/* /etc/netns is shared by every lab (and by iproute2's users): its making, marking and removal are
 * serialised between netlab commands by a lock file beside the labs' states (root's alone). The
 * file lives only while it is held: the holder unlinks it before letting go, so a waiter that got
 * the lock on an unlinked file tries again. Returns an fd holding the lock, or -errno. */
static int lock_etcnetns(void)
{
	for (;;) {
		int fd = open(ETCNETNS_LOCK, O_RDONLY | O_CREAT | O_CLOEXEC, 0600), r = 0;
		struct stat held, named;

		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX) < 0 || fstat(fd, &held) < 0)
			r = -errno;
		else if (stat(ETCNETNS_LOCK, &named) == 0 && named.st_ino == held.st_ino &&
			 named.st_dev == held.st_dev)
			return fd;
		close(fd);
		if (r < 0)
			return r;
	}
}

static void unlock_etcnetns(int *fd)
{
	if (*fd < 0)
		return;
	unlink(ETCNETNS_LOCK);
	close(*fd);
}
#define _cleanup_etcnetns_lock_ __attribute__((cleanup(unlock_etcnetns)))

static bool points_at(const char *link, const char *target)
{
	char buf[PATH_MAX];
	ssize_t len = readlink(link, buf, sizeof(buf) - 1);

	if (len < 0)
		return false;
	buf[len] = '\0';
	return strcmp(buf, target) == 0;
}

int etcnetns_remove_one(const char *etc_dir, const char *ns)
{
	_cleanup_free_ char *link = etcnetns_path(ns);

	if (points_at(link, etc_dir) && unlink(link) < 0 && errno != ENOENT)
		return log_errno(-errno, "cannot remove '%s'", link);
	return 0;
}

/* ETCNETNS_DIR/.netlab.LAB: a symlink to the lab's etc directory that the entries are hard links
 * of (a link costs no inode: on a file system without a journal, making thousands of inodes right
 * after thousands were freed costs a scan each, see docs/performance.md). Made anew (a new
 * inode) every SEED_LINKS entries, far below any file system's link limit. */
#define SEED_LINKS 4096
static int make_seed(const char *seed, const char *etc)
{
	if (unlink(seed) < 0 && errno != ENOENT)
		return log_errno(-errno, "cannot remove '%s'", seed);
	if (symlink(etc, seed) < 0)
		return log_errno(-errno, "cannot create '%s'", seed);
	return 0;
}

int etcnetns_add(struct state *st, const struct topo *t)
{
	_cleanup_free_ char *etc = state_path(st, STATE_ETC_DIR);
	_cleanup_free_ char *hosts = util_xasprintf("%s/hosts", etc);
	_cleanup_free_ char *text = hosts_text(t);
	_cleanup_free_ char *seed = util_xasprintf("%s/.netlab.%s", ETCNETNS_DIR, t->name);
	_cleanup_etcnetns_lock_ int lock = -1;
	size_t links = SEED_LINKS;
	int r = 0;

	if (mkdir(etc, 0755) < 0 && errno != EEXIST)
		return log_errno(-errno, "cannot create '%s'", etc);
	if ((r = util_write_file_atomic(hosts, text, strlen(text), 0644)) < 0)
		return log_errno(r, "cannot write '%s'", hosts);
	if ((lock = lock_etcnetns()) < 0)
		return log_errno(lock, "cannot lock '%s'", ETCNETNS_LOCK);
	if (mkdir(ETCNETNS_DIR, 0755) == 0) {
		if ((r = util_write_file_atomic(ETCNETNS_MARKER, "", 0, 0644)) < 0)
			return log_errno(r, "cannot write '%s'", ETCNETNS_MARKER);
	} else if (errno != EEXIST) {
		return log_errno(-errno, "cannot create '%s'", ETCNETNS_DIR);
	}
	if (lstat(seed, &(struct stat){ 0 }) == 0 && !points_at(seed, etc))
		return log_errno(-EEXIST, "cannot create '%s': something else made it", seed);
	for (size_t i = 0; i < t->n_nodes && r == 0; i++) {
		_cleanup_free_ char *entry = etcnetns_path(t->nodes[i].netns);

		if (links == SEED_LINKS) {
			if ((r = make_seed(seed, etc)) < 0)
				break;
			links = 0;
		}
		/* EEXIST: ours when it points at etc (apply: a node kept or replaced), else not
		 * ours (down removes only links that point at etc) */
		if (linkat(AT_FDCWD, seed, AT_FDCWD, entry, 0) == 0)
			links++;
		else if ((r = -errno) == -EEXIST && points_at(entry, etc))
			r = 0;
		else
			log_errno(r, "cannot create '%s'", entry);
	}
	/* the seed goes now; one left by an up that died before this points at etc too, and down
	 * removes it with the lab's entries */
	if (unlink(seed) < 0 && errno != ENOENT && r == 0)
		r = log_errno(-errno, "cannot remove '%s'", seed);
	return r;
}

int etcnetns_remove(const char *etc_dir)
{
	_cleanup_etcnetns_lock_ int lock = lock_etcnetns();
	DIR *d = opendir(ETCNETNS_DIR);
	struct dirent *e;
	int r = lock < 0 ? log_errno(lock, "cannot lock '%s'", ETCNETNS_LOCK) : 0;

	/* every entry that points at the lab's etc directory is the lab's, whatever the journal
	 * says (it may have been cut): a link is proof enough of whose it is */
	while (d && (e = readdir(d))) {
		char target[PATH_MAX];
		ssize_t len;

		if (e->d_type != DT_LNK && e->d_type != DT_UNKNOWN)
			continue;
		len = readlinkat(dirfd(d), e->d_name, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (strcmp(target, etc_dir) == 0 && unlinkat(dirfd(d), e->d_name, 0) < 0 &&
		    errno != ENOENT) {
			int q = log_errno(-errno, "cannot remove '%s/%s'", ETCNETNS_DIR, e->d_name);

			r = r < 0 ? r : q;
		}
	}
	if (d)
		closedir(d);
	/* netlab made /etc/netns: remove it once no lab (nor anybody) has anything in it */
	if (access(ETCNETNS_MARKER, F_OK) == 0 && rmdir(ETCNETNS_DIR) == 0)
		unlink(ETCNETNS_MARKER);
	return r;
}
