/* down.c: `down` from the lab's journal alone: stops the processes in its namespaces, unpins them,
 * removes its /etc/netns entries and its state directory. Idempotent and best-effort. */
#include <errno.h>
#include <signal.h>
#include <sys/mount.h>
#include <time.h>

#include "down.h"
#include "etcnetns.h"
#include "nsfs.h"
#include "procs.h"
#include "strbuf.h"
#include "util.h"

struct kill_set {
	ino_t *inos;
	size_t n;
	size_t found;
	int sig; /* 0: only count */
};

static void kill_in_set(pid_t pid, ino_t ino, void *arg)
{
	struct kill_set *ks = arg;

	if (pid == getpid())
		return;
	for (size_t i = 0; i < ks->n; i++)
		if (ks->inos[i] == ino) {
			if (ks->sig)
				kill(pid, ks->sig);
			ks->found++;
			return;
		}
}

/* Stops every process in the given namespaces: SIGTERM, then SIGKILL to those still there after
 * DOWN_TERM_TIMEOUT_MS, then waits (up to 2 s) until none is left. */
#define DOWN_TERM_TIMEOUT_MS 3000
static void kill_all_in(ino_t *inos, size_t n)
{
	struct kill_set ks = { .inos = inos, .n = n, .sig = SIGTERM };
	struct timespec pause = { 0, 10 * 1000 * 1000 };

	if (n == 0)
		return;
	procs_scan(kill_in_set, &ks);
	if (ks.found == 0)
		return;
	for (int waited = 0; waited < DOWN_TERM_TIMEOUT_MS; waited += 10) {
		nanosleep(&pause, NULL);
		ks.found = 0;
		ks.sig = 0;
		procs_scan(kill_in_set, &ks);
		if (ks.found == 0)
			return;
	}
	for (int tries = 0; tries < 200; tries++) {
		ks.found = 0;
		ks.sig = tries == 0 ? SIGKILL : 0;
		procs_scan(kill_in_set, &ks);
		if (ks.found == 0)
			return;
		nanosleep(&pause, NULL);
	}
	util_log("some processes in the lab's namespaces did not exit after SIGKILL");
}

/* The pin belongs to the lab when it holds the namespace the journal recorded (or, when up died
 * before recording the inode, when it holds any namespace or none). */
static bool pin_is_ours(const struct state_netns *e, const char *pin, ino_t *ino)
{
	int r = nsfs_pin_ino(pin, ino);

	if (r < 0) {
		*ino = 0;
		return r != -ENOENT; /* -EINVAL: our empty pin file, not mounted yet */
	}
	return e->ino == 0 || e->ino == *ino;
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

/* Which of the journal's pins still hold the lab's namespaces (ours[i]), with their inodes (for the
 * process scan); unless quiet, says which were removed or replaced outside netlab. Returns the
 * number of inodes. */
static size_t sort_pins(const struct state_journal *j, bool quiet, bool *ours, ino_t *inos)
{
	_cleanup_free_ char **gone = util_xcalloc(j->n_netns, sizeof(char *));
	_cleanup_free_ char **replaced = util_xcalloc(j->n_netns, sizeof(char *));
	size_t n_inos = 0, n_gone = 0, n_replaced = 0;

	for (size_t i = 0; i < j->n_netns; i++) {
		_cleanup_free_ char *pin = nsfs_netns_path(j->netns[i].name);
		ino_t ino;

		if (j->netns[i].unowned)
			continue;
		ours[i] = pin_is_ours(&j->netns[i], pin, &ino);
		if (ours[i] && ino)
			inos[n_inos++] = ino;
		else if (!ours[i] && ino)
			replaced[n_replaced++] = j->netns[i].name;
		else if (!ours[i])
			gone[n_gone++] = j->netns[i].name;
	}
	if (!quiet && n_gone)
		log_names("already removed (by hand?)", gone, n_gone);
	if (!quiet && n_replaced)
		log_names("replaced by namespaces netlab did not create, left alone", replaced, n_replaced);
	return n_inos;
}

int down_lab(struct state *st, bool quiet)
{
	struct state_journal j;
	_cleanup_free_ ino_t *inos = NULL;
	_cleanup_free_ bool *ours = NULL;
	_cleanup_free_ char *etc = state_path(st, STATE_ETC_DIR);
	_cleanup_free_ char *ns_dir = state_path(st, STATE_NS_DIR), *nodes_dir = state_path(st, STATE_NODES_DIR);
	size_t n_inos;
	int r, q;

	util_trace("start");
	if ((r = state_journal_load(st, &j)) < 0)
		return log_errno(r, "cannot read the journal of lab %s", st->lab);
	if (j.n_bad)
		util_log("the journal of lab %s has %zu line%s netlab never writes (the first: line %d), ignored: nothing they name is touched",
			 st->lab, j.n_bad, j.n_bad == 1 ? "" : "s", j.first_bad);
	inos = util_xcalloc(j.n_netns, sizeof(ino_t));
	ours = util_xcalloc(j.n_netns, sizeof(bool));
	n_inos = sort_pins(&j, quiet, ours, inos);
	util_trace("down-start");
	kill_all_in(inos, n_inos);
	util_trace("kill");
	if (j.ns_fs && umount2(ns_dir, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		r = first_err(r, log_errno(-errno, "cannot unmount '%s'", ns_dir));
	if (j.nodes_fs && umount2(nodes_dir, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		r = first_err(r, log_errno(-errno, "cannot unmount '%s'", nodes_dir));
	util_trace("ns");
	for (size_t i = 0; i < j.n_netns; i++) {
		_cleanup_free_ char *pin = nsfs_netns_path(j.netns[i].name);

		if (ours[i] && (q = nsfs_unpin(pin)) < 0)
			r = first_err(r, log_errno(q, "cannot remove namespace '%s'", j.netns[i].name));
	}
	util_trace("netns");
	r = first_err(r, etcnetns_remove(&j, etc));
	state_journal_clear(&j);
	util_trace("etc");
	if ((q = state_remove(st)) < 0)
		r = first_err(r, log_errno(q, "cannot remove '%s'", st->dir));
	util_trace("state");
	return r;
}
