/* lab_apply.c: `netlab apply`: the removals, then up's phases over what is added or changed, then
 * the new topology in the state. Like up, it journals every namespace before making it, so that
 * down removes everything from the journal alone whenever apply stops. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "journal.h"
#include "cgroup.h"
#include "lab_apply.h"
#include "lab_down.h"
#include "etcnetns.h"
#include "machine.h"
#include "net.h"
#include "strbuf.h"
#include "nsfs.h"
#include "routing.h"
#include "lab_up.h"
#include "topo_ini.h"
#include "util.h"

void apply_plan(const struct lab *l, struct topo *t, struct diff *d)
{
	_cleanup_free_ bool *force = util_xcalloc(t->n_nodes + 1, sizeof(bool));
	_cleanup_free_ char *old_tests = topo_text_tests(l->topo->text),
			    *new_tests = topo_text_tests(t->text);

	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct topo_node *n = &t->nodes[i], *was = topo_node_find(l->topo, n->name);
		_cleanup_free_ char *root = NULL;

		if (!was || (!n->frr && !n->bird))
			continue;
		root = machine_root(l->st->dir, n->name);
		force[i] = routing_conf_changed(t, n, root);
	}
	diff_make(l->topo, t, force, strcmp(old_tests, new_tests) != 0, d);
}

/* Deletes, from inside kept node o, every link of it that goes (its peer end goes with it). */
static int delete_links(const struct lab *l, const struct diff *d, size_t o, int orig)
{
	const struct topo_node *n = &l->topo->nodes[o];
	_cleanup_free_ char *pin = nsfs_netns_path(n->netns);
	_cleanup_close_ int fd = -1;
	struct nls sk = { 0 };
	int r = 0;

	for (size_t k = 0; k < n->n_ifaces; k++) {
		const struct topo_iface *ifc = &n->ifaces[k];

		if (!d->link_gone[ifc->link])
			continue;
		if (fd < 0 && (fd = nsfs_open(pin)) < 0)
			return log_errno(fd, "cannot open namespace '%s' (node %s)", n->netns,
					 n->name);
		if (!sk.sk && (r = nls_open_in(&sk, fd, orig)) < 0)
			return log_errno(r, "cannot open a netlink socket in node %s", n->name);
		/* -ENODEV: its peer's node deleted it already */
		if ((r = link_del(&sk, topo_iface_ifindex(ifc))) < 0 && r != -ENODEV) {
			log_errno_why(r, nls_ext_ack(&sk, r), "cannot delete '%s:%s' (link %s)",
				      n->name, ifc->name, l->topo->links[ifc->link].name);
			break;
		}
		r = 0;
	}
	nls_close(&sk);
	return r;
}

/* Stops the processes of the nodes that go: in their network namespaces, or their mount ones.
 * Returns 0 or -errno (said). */
static int stop_nodes(const struct lab *l, const struct diff *d)
{
	_cleanup_free_ ino_t *net = util_xcalloc(l->topo->n_nodes + 1, sizeof(ino_t)),
			     *mnt = util_xcalloc(l->topo->n_nodes + 1, sizeof(ino_t));
	size_t n_net = 0, n_mnt = 0;
	int r;

	for (size_t o = 0; o < l->topo->n_nodes; o++) {
		_cleanup_free_ char *pin = NULL;
		struct stat st;

		if (!d->node_gone[o])
			continue;
		net[n_net++] = l->ns_ino[o];
		pin = machine_ns_pin(l->st->dir, l->topo->nodes[o].name, "mnt");
		if (stat(pin, &st) == 0)
			mnt[n_mnt++] = st.st_ino;
	}
	r = down_kill_in(net, n_net, mnt, n_mnt);
	return r > 0 ? UTIL_FAILED : r; /* some survived, or /proc unreadable: said */
}

/* Removes node o, its processes stopped: its pins, cgroup, files, log, /etc/netns entry, and its
 * network namespace (then journaled as gone). */
static int remove_node(const struct lab *l, size_t o)
{
	const struct topo_node *n = &l->topo->nodes[o];
	_cleanup_free_ char *uts = machine_ns_pin(l->st->dir, n->name, "uts"),
			    *mnt = machine_ns_pin(l->st->dir, n->name, "mnt"),
			    *hold = machine_ns_pin(l->st->dir, n->name, "net");
	_cleanup_free_ char *files =
		util_xasprintf("%s/%s/%s", l->st->dir, STATE_NODES_DIR, n->name);
	_cleanup_free_ char *log =
		util_xasprintf("%s/%s/%s.log", l->st->dir, STATE_LOGS_DIR, n->name);
	_cleanup_free_ char *etc = state_path(l->st, STATE_ETC_DIR),
			    *pin = nsfs_netns_path(n->netns);
	int r;

	if ((r = nsfs_unpin(mnt)) < 0 || (r = nsfs_unpin(uts)) < 0 || (r = nsfs_unpin(hold)) < 0)
		return log_errno(r, "cannot remove the namespace pins of node %s", n->name);
	if ((r = cgroup_node_remove(l->st->dir, n->name)) < 0)
		return r;
	if ((r = state_remove_tree(files)) < 0)
		return log_errno(r, "cannot remove '%s'", files);
	if (unlink(log) < 0 && errno != ENOENT)
		return log_errno(-errno, "cannot remove '%s'", log);
	if ((r = etcnetns_remove_one(etc, n->netns)) < 0)
		return r;
	if ((r = nsfs_unpin(pin)) < 0)
		return log_errno(r, "cannot remove namespace '%s' (node %s)", n->netns, n->name);
	if ((r = journal_gone(l->st, n->netns, l->ns_ino[o], n->name)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", l->topo->name);
	return 0;
}

static int removals(const struct lab *l, const struct diff *d)
{
	_cleanup_close_ int orig = nsfs_open(NSFS_SELF_NET);
	int r;

	if (orig < 0)
		return log_errno(orig, "cannot open netlab's own namespace");
	for (size_t o = 0; o < l->topo->n_nodes; o++)
		if (!d->node_gone[o] && (r = delete_links(l, d, o, orig)) < 0)
			return r;
	if ((r = stop_nodes(l, d)) < 0)
		return r;
	for (size_t o = 0; o < l->topo->n_nodes; o++)
		if (d->node_gone[o] && (r = remove_node(l, o)) < 0)
			return r;
	return 0;
}

/* t becomes the lab's topology: its ifindexes, its text and directory, then "apply-done". */
static int commit(struct lab *l, const struct topo *t)
{
	int r;

	if ((r = lab_write_ifindexes(l->st, t, l->topo)) < 0 ||
	    (r = lab_write_topology(l->st, t)) < 0)
		return log_errno(r, "cannot write the state of lab %s in '%s'", t->name,
				 l->st->dir);
	if ((r = journal_mark(l->st, JOURNAL_APPLY_DONE)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", t->name);
	return 0;
}

int apply_run(struct lab *l, const struct topo *t, const struct diff *d,
	      const volatile sig_atomic_t *stop)
{
	int r;

	if ((r = journal_mark(l->st, JOURNAL_APPLY_BEGIN)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", t->name);
	if ((r = removals(l, d)) < 0)
		return r;
	if (*stop) {
		util_log("interrupted");
		return -EINTR;
	}
	if ((r = up_apply(t, l->st, d, stop)) < 0)
		return r;
	return commit(l, t);
}

static volatile sig_atomic_t apply_stop;

static void on_signal(int sig)
{
	apply_stop = sig;
}

/* Refuses a lab an apply cannot change: one an apply or up left unfinished, or whose nodes'
 * namespaces are not the ones up made. Returns 0 or -errno after saying why. */
static int check_lab(const struct lab *l, const char *file)
{
	const char *name = l->topo->name;

	if (l->journal.applying) {
		util_log(
			"apply: an earlier apply to lab %s did not finish: 'netlab down %s' removes the lab, then 'netlab up %s'",
			name, name, file);
		return UTIL_FAILED;
	}
	if (!l->journal.complete) {
		util_log("apply: lab %s is half made (an interrupted up): 'netlab down %s' first",
			 name, name);
		return UTIL_FAILED;
	}
	return lab_check_nodes(l); /* apply needs the lab as up made it */
}

int apply_file(struct lab *l, struct topo *t, const char *file, bool dry_run, FILE *out)
{
	_cleanup_strbuf_ struct strbuf plan = { 0 };
	struct diff d;
	size_t n_changes;
	int r;

	if ((r = check_lab(l, file)) < 0)
		return r;
	if (!util_streq(t->shared, l->topo->shared)) {
		util_log(
			"apply: [lab] shared changed: the nodes keep the /shared they were made with ('netlab down %s', then 'netlab up %s')",
			t->name, file);
		return UTIL_FAILED;
	}
	apply_plan(l, t, &d);
	diff_plan(&d, &plan);
	n_changes = d.n_changes;
	if (t->layers_mib != l->topo->layers_mib || t->logs_mib != l->topo->logs_mib) {
		strbuf_addf(&plan,
			    "~ lab: layers-size %lu MiB (was %lu), logs-size %lu MiB (was %lu)\n",
			    t->layers_mib, l->topo->layers_mib, t->logs_mib, l->topo->logs_mib);
		n_changes++;
	}
	if (n_changes == 0 && lab_same_topology(l->st, t) == 1) {
		fprintf(out, "lab %s: nothing to change\n", t->name);
		diff_clear(&d);
		return 0;
	}
	if (n_changes == 0) /* comments, spacing, order: the text is still the lab's from now on */
		fprintf(out,
			"lab %s: nothing to change but the file's text (comments, spacing, order)\n",
			t->name);
	fprintf(out, "%s", strbuf_str(&plan));
	if (dry_run) {
		fprintf(out, "(dry run: nothing changed)\n");
		diff_clear(&d);
		return 0;
	}
	fflush(out);
	if ((r = up_check_clashes(t, &d)) < 0 || (r = up_images(t)) < 0 ||
	    (r = up_resize(t, l->st)) < 0) {
		util_log("apply: nothing was changed");
		diff_clear(&d);
		return r;
	}
	util_catch_stop_signals(on_signal);
	r = apply_run(l, t, &d, &apply_stop);
	util_catch_stop_signals(NULL);
	apply_stop = 0;
	diff_clear(&d);
	if (r < 0) {
		util_log(
			"apply: lab %s is partly changed: 'netlab status %s' shows it, 'netlab down %s' removes it",
			t->name, t->name, t->name);
		return r;
	}
	if (n_changes)
		fprintf(out, "lab %s changed: %zu change%s\n", t->name, n_changes,
			n_changes == 1 ? "" : "s");
	return 0;
}
