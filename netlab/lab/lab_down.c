/* lab_down.c: `down` from the lab's journal alone: stops the processes in its namespaces, unpins
 * them, removes its /etc/netns entries and its state directory. Idempotent and best-effort. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/mount.h>
#include <time.h>

#include "journal.h"
#include "lab.h"
#include "lab_down.h"
#include "cgroup.h"
#include "etcnetns.h"
#include "nsfs.h"
#include "parallel.h"
#include "procs.h"
#include "strbuf.h"
#include "topo_ini.h"
#include "util.h"

struct kill_set {
	const ino_t *net, *mnt; /* sorted */
	size_t n_net, n_mnt;
	size_t found;
	int sig; /* 0: only count */
};

static int cmp_ino(const void *a, const void *b)
{
	ino_t x = *(const ino_t *)a, y = *(const ino_t *)b;

	return x < y ? -1 : x > y;
}

static bool has_ino(const ino_t *v, size_t n, ino_t ino)
{
	return ino && n && bsearch(&ino, v, n, sizeof(*v), cmp_ino);
}

static void kill_in_set(const struct procs_entry *p, void *arg)
{
	struct kill_set *ks = arg;

	if (p->pid == getpid())
		return;
	if (has_ino(ks->net, ks->n_net, p->net_ino) || has_ino(ks->mnt, ks->n_mnt, p->mnt_ino)) {
		if (ks->sig)
			kill(p->pid, ks->sig);
		ks->found++;
	}
}

#define DOWN_TERM_TIMEOUT_MS 3000
/* One pass over /proc with ks (found counted anew); says why when /proc cannot be read. */
static int kill_pass(struct kill_set *ks, int sig)
{
	int r;

	ks->found = 0;
	ks->sig = sig;
	if ((r = procs_scan(kill_in_set, ks)) < 0)
		return log_errno(r, "cannot look for the lab's processes in /proc");
	return 0;
}

int down_kill_in(ino_t *net, size_t n_net, ino_t *mnt, size_t n_mnt)
{
	struct kill_set ks = { .net = net, .n_net = n_net, .mnt = mnt, .n_mnt = n_mnt };
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int r;

	if (n_net + n_mnt == 0)
		return 0;
	qsort(net, n_net, sizeof(*net), cmp_ino);
	qsort(mnt, n_mnt, sizeof(*mnt), cmp_ino);
	if ((r = kill_pass(&ks, SIGTERM)) < 0 || ks.found == 0)
		return r;
	for (int waited = 0; waited < DOWN_TERM_TIMEOUT_MS; waited += 10) {
		nanosleep(&pause, NULL);
		if ((r = kill_pass(&ks, 0)) < 0 || ks.found == 0)
			return r;
	}
	for (int tries = 0; tries < 200; tries++) {
		if ((r = kill_pass(&ks, tries == 0 ? SIGKILL : 0)) < 0 || ks.found == 0)
			return r;
		nanosleep(&pause, NULL);
	}
	util_log("%zu process%s in the lab's namespaces did not exit after SIGKILL", ks.found,
		 ks.found == 1 ? "" : "es");
	return ks.found > INT_MAX ? INT_MAX : (int)ks.found;
}

/* The nodes' mount namespaces' pins on the lab's tmpfs at ns_dir (its own by where it is: no
 * journal needed), and their inodes. Every process netlab starts in a node runs in one of them, so
 * they find the node's processes even when its network namespace pin was deleted by hand. */
static size_t mnt_pins(const char *ns_dir, char ***paths, ino_t **inos)
{
	DIR *d = opendir(ns_dir);
	struct dirent *e;
	size_t n = 0, m = 0;

	*paths = NULL;
	*inos = NULL;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct stat st;

		if (len < 5 || strcmp(e->d_name + len - 4, ".mnt") != 0 ||
		    fstatat(dirfd(d), e->d_name, &st, 0) < 0)
			continue;
		*(ino_t *)util_grow(inos, &n, sizeof(ino_t)) = st.st_ino;
		*(char **)util_grow(paths, &m, sizeof(char *)) =
			util_xasprintf("%s/%s", ns_dir, e->d_name);
	}
	closedir(d);
	return n;
}

/* The pin at path is the lab's when it holds the very namespace up journaled, or when it is the
 * very file up made for it, not yet mounted. Says in *kind what is there (NSFS_PIN_*, or < 0). */
static bool pin_is_ours(const struct journal_netns *e, const char *pin, struct nsfs_id *seen,
			int *kind)
{
	*kind = nsfs_pin_stat(pin, seen);
	if (*kind == NSFS_PIN_NS)
		return nsfs_id_equal(seen, &e->id);
	if (*kind == NSFS_PIN_FILE)
		return seen->ino == e->file_ino;
	return false;
}

static int first_err(int r, int q)
{
	return r < 0 ? r : q;
}

/* Logs the names in v (at most 5, then a count) after msg. */
static void log_names(const char *msg, char **v, size_t n)
{
	_cleanup_strbuf_ struct strbuf list = { 0 };

	for (size_t i = 0; i < n && i < 5; i++)
		strbuf_addf(&list, "%s'%s'", i ? ", " : "", v[i]);
	util_log("%s: %s%s", msg, strbuf_str(&list), n > 5 ? ", ..." : "");
	if (n > 5)
		util_log("(%zu namespaces in all)", n);
}

/* Which of the journal's pins are provably the lab's (ours[i]), with the inodes of the namespaces
 * they hold (for the process scan); unless quiet, says which were removed or replaced outside
 * netlab. Returns the number of inodes. */
static size_t sort_pins(const struct journal *j, bool quiet, bool *ours, ino_t *inos)
{
	_cleanup_free_ char **gone = util_xcalloc(j->n_netns, sizeof(char *));
	_cleanup_free_ char **replaced = util_xcalloc(j->n_netns, sizeof(char *));
	size_t n_inos = 0, n_gone = 0, n_replaced = 0;

	for (size_t i = 0; i < j->n_netns; i++) {
		_cleanup_free_ char *pin = nsfs_netns_path(j->netns[i].name);
		struct nsfs_id seen;
		int kind;

		ours[i] = pin_is_ours(&j->netns[i], pin, &seen, &kind);
		if (ours[i] && kind == NSFS_PIN_NS)
			inos[n_inos++] = seen.ino;
		else if (!ours[i] && kind > 0)
			replaced[n_replaced++] = j->netns[i].name;
		else if (!ours[i])
			gone[n_gone++] = j->netns[i].name;
	}
	if (!quiet && n_gone)
		log_names("already removed (by hand?)", gone, n_gone);
	if (!quiet && n_replaced)
		log_names("replaced by namespaces netlab did not create, left alone", replaced,
			  n_replaced);
	return n_inos;
}

/* Pins removed side by side (nsfs_unpin): each unmount waits for an RCU grace period, which
 * threads waiting at once share. */
struct unpin_batch {
	char **path; /* NULL: skipped */
	int *err;
};

#define DOWN_UNPIN_THREADS 16

static void unpin_one(size_t i, void *ctx)
{
	struct unpin_batch *b = ctx;

	b->err[i] = b->path[i] ? nsfs_unpin(b->path[i]) : 0;
}

/* Unpins path[0..n) (NULL ones skipped) on up to DOWN_UNPIN_THREADS threads; err[i] gets each
 * one's result. */
static void unpin_all(char **path, int *err, size_t n)
{
	struct unpin_batch b = { .path = path, .err = err };

	parallel_for(n, DOWN_UNPIN_THREADS, 64, unpin_one, &b);
}

/* Whether something is mounted at path (a directory in the state: ours by where it is). */
static bool mounted_at(const char *dir, const char *path)
{
	struct stat a, b;

	return stat(dir, &a) == 0 && stat(path, &b) == 0 && a.st_dev != b.st_dev;
}

/* Unmounts whatever is mounted at path, however many times (a half-made up may have mounted
 * twice). */
static int umount_all(const char *path)
{
	for (int i = 0; i < 16; i++)
		if (umount2(path, MNT_DETACH) < 0)
			return errno == EINVAL || errno == ENOENT ?
				       0 :
				       log_errno(-errno, "cannot unmount '%s'", path);
	return 0;
}

/* A journal that does not account for what up made (emptied, or cut by hand): up journals each
 * tmpfs before mounting it, so one mounted but not journaled says so. Then the namespaces of the
 * lab's topology that are pinned cannot be told from another's: they are named, nothing is
 * touched, the state stays, and down fails until they are gone. Returns 0 or UTIL_FAILED (said). */
static int check_damage(struct state *st, const struct journal *j, const bool *ours)
{
	_cleanup_free_ char *ns_dir = state_path(st, STATE_NS_DIR),
			    *nodes_dir = state_path(st, STATE_NODES_DIR);
	_cleanup_topo_ struct topo *t = NULL;
	_cleanup_free_ char **left = NULL;
	size_t n_left = 0;

	if ((j->ns_fs || !mounted_at(st->dir, ns_dir)) &&
	    (j->nodes_fs || !mounted_at(st->dir, nodes_dir)))
		return 0;
	if (lab_load_topology(st, &t) < 0)
		return 0;
	for (size_t i = 0; i < t->n_nodes; i++) {
		_cleanup_free_ char *pin = nsfs_netns_path(t->nodes[i].netns);
		bool proven = false;
		struct stat sb;

		for (size_t k = 0; k < j->n_netns && !proven; k++)
			proven = ours[k] && strcmp(j->netns[k].name, t->nodes[i].netns) == 0;
		if (!proven && lstat(pin, &sb) == 0)
			*(char **)util_grow(&left, &n_left, sizeof(char *)) = t->nodes[i].netns;
	}
	if (n_left == 0)
		return 0;
	util_log(
		"the journal of lab %s does not account for what up made (emptied or cut?): nothing proves that these namespaces of its topology are its own",
		st->lab);
	log_names("left alone", left, n_left);
	util_log(
		"nothing was removed; once they are gone ('ip netns del NAME' if they are the lab's), 'netlab down %s' removes the rest",
		st->lab);
	return UTIL_FAILED;
}

/* Unpins the pins in path[0..n) side by side; says which could not be, each with what it was
 * (kind). Returns 0 or the first error. */
static int unpin_said(char **path, size_t n, const char *kind)
{
	_cleanup_free_ int *err = util_xcalloc(n ? n : 1, sizeof(int));
	int r = 0;

	unpin_all(path, err, n);
	for (size_t i = 0; i < n; i++)
		if (err[i] < 0)
			r = first_err(r, log_errno(err[i], "cannot remove %s '%s'", kind, path[i]));
	return r;
}

static void free_paths(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The order is what keeps down at the kernel's pace: every unmount waits for an RCU grace period,
 * and a grace period waits behind the kernel's workers while they dismantle network namespaces
 * (each dying one is looked for in every one alive). So no network namespace dies before the last
 * unmount: the nodes' layers first; the pins in /run/netns then, and the nodes' mount namespaces
 * (each holding its node's /sys, of the node's network namespace), many side by side, their
 * network namespaces held by their second pins on the lab's tmpfs; that tmpfs last, in one
 * unmount, with which all the lab's network namespaces die at once. */
int down_lab(struct state *st, bool quiet)
{
	struct journal j;
	_cleanup_free_ ino_t *inos = NULL, *mnts = NULL;
	_cleanup_free_ bool *ours = NULL;
	char **pins, **mnt_paths = NULL;
	_cleanup_free_ char *etc = state_path(st, STATE_ETC_DIR), *tmp = state_pin_tmp_path(st);
	_cleanup_free_ char *ns_dir = state_path(st, STATE_NS_DIR),
			    *nodes_dir = state_path(st, STATE_NODES_DIR);
	size_t n_inos, n_mnts;
	int r, q;

	util_trace("start");
	if ((r = journal_load(st, &j)) < 0)
		return log_errno(r, "cannot read the journal of lab %s", st->lab);
	if (j.n_bad)
		util_log(
			"the journal of lab %s has %zu line%s netlab never writes or cut short (the first: line %d), ignored: nothing they name is touched",
			st->lab, j.n_bad, j.n_bad == 1 ? "" : "s", j.first_bad);
	inos = util_xcalloc(j.n_netns, sizeof(ino_t));
	ours = util_xcalloc(j.n_netns, sizeof(bool));
	n_inos = sort_pins(&j, quiet, ours, inos);
	if ((r = check_damage(st, &j, ours)) < 0) {
		journal_clear(&j);
		return r;
	}
	n_mnts = mnt_pins(ns_dir, &mnt_paths, &mnts);
	util_trace("down-start");
	if ((r = down_kill_in(inos, n_inos, mnts, n_mnts)) < 0) {
		/* /proc unreadable: nothing was stopped, and a namespace unpinned with its
		 * processes still in it would live on out of reach */
		util_log("nothing of lab %s was removed", st->lab);
		free_paths(mnt_paths, n_mnts);
		journal_clear(&j);
		return r;
	}
	r = r > 0 ? UTIL_FAILED : 0; /* some survived (said): the rest goes, and down fails */
	util_trace("kill");
	r = first_err(r, cgroup_lab_remove(st));
	/* the two tmpfs are the lab's by where they are: unmounted whatever the journal says (the
	 * logs' tmpfs, in the nodes' one, with it) */
	r = first_err(r, umount_all(nodes_dir));
	if (unlink(tmp) < 0 && errno != ENOENT)
		r = first_err(r, log_errno(-errno, "cannot remove '%s'", tmp));
	pins = util_xcalloc(j.n_netns ? j.n_netns : 1, sizeof(char *));
	for (size_t i = 0; i < j.n_netns; i++)
		pins[i] = ours[i] ? nsfs_netns_path(j.netns[i].name) : NULL;
	r = first_err(r, unpin_said(pins, j.n_netns, "network namespace pin"));
	free_paths(pins, j.n_netns);
	util_trace("netns");
	r = first_err(r, unpin_said(mnt_paths, n_mnts, "mount namespace pin"));
	free_paths(mnt_paths, n_mnts);
	util_trace("mnt");
	r = first_err(r, umount_all(ns_dir));
	util_trace("ns");
	r = first_err(r, etcnetns_remove(etc));
	journal_clear(&j);
	util_trace("etc");
	if ((q = state_remove(st)) < 0)
		r = first_err(r, log_errno(q, "cannot remove '%s'", st->dir));
	util_trace("state");
	return r;
}
