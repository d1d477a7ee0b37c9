/* lab.c: loading a running lab's state and checking its namespaces. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "nsfs.h"
#include "strbuf.h"
#include "topo_ini.h"
#include "topo_set.h"
#include "util.h"

/* The namespaces' prefix the lab runs with, to be freed: NULL when the state does not say (a lab
 * brought up before netlab wrote it: its file's). */
static char *state_prefix(const struct state *st)
{
	_cleanup_free_ char *path = state_path(st, STATE_PREFIX);
	char *text = NULL;

	if (util_read_file(path, &text, NULL) < 0)
		return NULL;
	text[strcspn(text, "\n")] = '\0';
	return text;
}

int lab_load_topology(const struct state *st, struct topo **t)
{
	_cleanup_free_ char *path = state_path(st, STATE_TOPOLOGY), *prefix = state_prefix(st);
	struct topo_naming naming = { .name = st->lab, .prefix = prefix };

	return topo_load_as(path, prefix ? &naming : NULL, t);
}

int lab_write_topology(const struct state *st, const struct topo *t)
{
	_cleanup_free_ char *topo_path = state_path(st, STATE_TOPOLOGY),
			    *base_path = state_path(st, STATE_BASEDIR),
			    *prefix_path = state_path(st, STATE_PREFIX),
			    *prefix = util_xasprintf("%s\n", t->prefix);
	int r;

	if ((r = util_write_file_atomic(base_path, t->base_dir, strlen(t->base_dir), 0644)) < 0 ||
	    (r = util_write_file_atomic(prefix_path, prefix, strlen(prefix), 0644)) < 0 ||
	    (r = util_write_file_atomic(topo_path, t->text, t->text_len, 0600)) < 0)
		return r;
	return 0;
}

/* Compares t with the topology the lab was brought up from: its text, as is or without the [test]
 * sections of either, and the namespaces' prefix. */
static int same_text(const struct state *st, const struct topo *t, bool tests_aside)
{
	_cleanup_free_ char *path = state_path(st, STATE_TOPOLOGY), *old = NULL, *a = NULL,
			    *b = NULL, *prefix = state_prefix(st);
	int r = util_read_file(path, &old, NULL);

	if (r < 0)
		return r;
	if (prefix && strcmp(prefix, t->prefix) != 0)
		return 0;
	if (!tests_aside)
		return strcmp(old, t->text) == 0;
	a = topo_text_without_tests(old);
	b = topo_text_without_tests(t->text);
	return strcmp(a, b) == 0;
}

int lab_same_topology(const struct state *st, const struct topo *t)
{
	return same_text(st, t, false);
}

int lab_same_but_tests(const struct state *st, const struct topo *t)
{
	return same_text(st, t, true);
}

void lab_free(struct lab *l)
{
	if (!l)
		return;
	journal_clear(&l->journal);
	state_free(l->st);
	topo_free(l->topo);
	free(l->ns_status);
	free(l->ns_ino);
	free(l);
}

int lab_each_end(const struct topo *t, const char *name,
		 int (*fn)(void *arg, size_t node, const struct topo_iface *ifc), void *arg)
{
	int r = 0;

	for (size_t li = 0; li < t->n_links; li++) {
		const struct topo_link *lk = &t->links[li];

		if (!topo_link_in(t, lk, name))
			continue;
		for (int e = 0; e < 2; e++) {
			size_t i = lk->ends[e].node;
			int q = fn(arg, i, topo_iface_find(&t->nodes[i], lk->ends[e].ifname));

			r = r < 0 ? r : q;
		}
	}
	return r;
}

/* The model as in force: every `set` line of the journal (impairment, link state) replayed in
 * order. Each was checked before it was journaled; one that no longer applies counts as a bad line
 * of the journal (status and down say so). */
static void replay_sets(struct lab *l)
{
	for (size_t i = 0; i < l->journal.n_sets; i++) {
		_cleanup_free_ char *copy = util_xstrdup(l->journal.sets[i]);
		size_t max = strlen(copy) / 2 + 1; /* a word and its space take two characters at
						      least */
		_cleanup_free_ char **w = util_xcalloc(max, sizeof(*w));
		int n = util_split_words(copy, " ", 0, w, max);
		struct topo_diag why = { 0 };

		for (int k = 1; k < n; k++) /* w[0]: the link or LAN */
			if (topo_set_word(l->topo, w[0], w[k], &why) < 0)
				l->journal.n_bad++;
		topo_diag_clear(&why);
	}
}

/* The ifindexes apply gave (STATE_IFINDEX), on the interfaces that have them. */
static void read_ifindexes(struct lab *l)
{
	_cleanup_free_ char *path = state_path(l->st, STATE_IFINDEX), *text = NULL;
	char *save = NULL;

	if (util_read_file(path, &text, NULL) < 0)
		return; /* none: never applied */
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char node[TOPO_NAME_MAX + 1], ifname[TOPO_IFNAMSIZ];
		int ifindex;
		struct topo_node *n;
		struct topo_iface *ifc;

		if (sscanf(line, "%64s %15s %d", node, ifname, &ifindex) == 3 &&
		    ifindex >= TOPO_IFINDEX_BASE && (n = topo_node_find(l->topo, node)) &&
		    (ifc = topo_iface_find(n, ifname)))
			ifc->ifindex = ifindex;
	}
}

int lab_write_ifindexes(const struct state *st, const struct topo *t, const struct topo *before)
{
	_cleanup_free_ char *path = state_path(st, STATE_IFINDEX);
	_cleanup_strbuf_ struct strbuf sb = { 0 };

	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t k = 0; k < t->nodes[i].n_ifaces; k++)
			strbuf_addf(&sb, "%s %s %d\n", t->nodes[i].name, t->nodes[i].ifaces[k].name,
				    topo_iface_ifindex(&t->nodes[i].ifaces[k]));
	/* and those of before's interfaces that t lacks: true of the running lab until t is its
	 * topology */
	for (size_t i = 0; i < before->n_nodes; i++) {
		const struct topo_node *n = topo_node_find(t, before->nodes[i].name);

		for (size_t k = 0; k < before->nodes[i].n_ifaces; k++)
			if (!n || !topo_iface_find(n, before->nodes[i].ifaces[k].name))
				strbuf_addf(&sb, "%s %s %d\n", before->nodes[i].name,
					    before->nodes[i].ifaces[k].name,
					    topo_iface_ifindex(&before->nodes[i].ifaces[k]));
	}
	return util_write_file_atomic(path, strbuf_str(&sb), sb.len, 0644);
}

int lab_open(const char *name, unsigned int flags, enum lab_found *found, struct lab **out)
{
	_cleanup_lab_ struct lab *l = util_xcalloc(1, sizeof(*l));
	int r;

	*found = LAB_NOT_UP;
	if ((r = state_open(name, flags, &l->st)) == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if ((r = journal_load(l->st, &l->journal)) < 0)
		return r;
	r = lab_load_topology(l->st, &l->topo);
	if (r < 0 && r != -ENOENT)
		return r;
	/* no topology and no journal line: an up stopped before it wrote either (not damage) */
	if (r == -ENOENT && l->journal.n_lines == 0) {
		*found = LAB_HALF_MADE;
		return 0;
	}
	if (r == -ENOENT || l->topo->diag.n > 0 || !l->topo->name) {
		*found = LAB_DAMAGED;
		return 0;
	}
	{
		_cleanup_free_ char *path = state_path(l->st, STATE_BASEDIR), *dir = NULL;

		if (util_read_file(path, &dir, NULL) == 0 && *dir) {
			free(l->topo->base_dir);
			l->topo->base_dir = steal_pointer(&dir);
		}
	}
	read_ifindexes(l);
	replay_sets(l);
	l->ns_status = util_xcalloc(l->topo->n_nodes, sizeof(*l->ns_status));
	l->ns_ino = util_xcalloc(l->topo->n_nodes, sizeof(*l->ns_ino));
	for (size_t i = 0; i < l->topo->n_nodes; i++) {
		const char *ns = l->topo->nodes[i].netns;
		_cleanup_free_ char *pin = nsfs_netns_path(ns);
		const struct journal_netns *e = NULL;
		struct nsfs_id id;

		if (i < l->journal.n_netns && strcmp(l->journal.netns[i].name, ns) == 0)
			e = &l->journal.netns[i]; /* up journals them in node order */
		for (size_t k = l->journal.n_netns; !e && k-- > 0;) /* the last made */
			if (strcmp(l->journal.netns[k].name, ns) == 0)
				e = &l->journal.netns[k];
		l->ns_ino[i] = e ? e->id.ino : 0;
		if (nsfs_pin_stat(pin, &id) != NSFS_PIN_NS)
			l->ns_status[i] = LAB_NS_MISSING;
		else if (!e || !nsfs_id_equal(&id, &e->id))
			l->ns_status[i] = LAB_NS_REPLACED;
		else
			l->ns_status[i] = LAB_NS_OK;
	}
	*found = LAB_FOUND;
	*out = steal_pointer(&l);
	return 0;
}

int lab_check_nodes(const struct lab *l)
{
	for (size_t i = 0; i < l->topo->n_nodes; i++)
		if (l->ns_status[i] != LAB_NS_OK) {
			util_log("the namespace of node %s is %s: run netlab status %s",
				 l->topo->nodes[i].name, lab_ns_status_str(l->ns_status[i]),
				 l->topo->name);
			return UTIL_FAILED;
		}
	return 0;
}

int lab_change(struct lab **l, const char *name, char *const *words, size_t n,
	       int (*apply)(const struct lab *l, const char *name), struct topo_diag *why)
{
	_cleanup_free_ char *lab = util_xstrdup((*l)->topo->name);
	enum lab_found found;
	int r, err;

	for (size_t i = 0; i < n; i++)
		if ((r = topo_set_word((*l)->topo, name, words[i], why)) < 0)
			return r;
	/* journaled before the kernel changes, like everything else */
	if ((r = journal_set((*l)->st, name, words, n)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", lab);
	if ((err = apply(*l, name)) == 0)
		return 0;
	if ((r = journal_mark((*l)->st, JOURNAL_UNSET)) < 0)
		return log_errno(r, "cannot write the journal of lab %s", lab);
	lab_free(steal_pointer(l));
	if (lab_open(lab, 0, &found, l) < 0 || found != LAB_FOUND || apply(*l, name) < 0)
		util_log("could not put back what %s had before", name);
	return err; /* apply said why */
}

const char *lab_found_str(enum lab_found f)
{
	static const char *const words[] = {
		[LAB_FOUND] = "up",
		[LAB_NOT_UP] = "not up",
		[LAB_HALF_MADE] = "partial",
		[LAB_DAMAGED] = "damaged",
	};

	return words[f];
}

int lab_only(char **name)
{
	char **labs;
	size_t n;
	int r = state_list(&labs, &n);

	if (r < 0)
		return r;
	if (n == 1)
		*name = steal_pointer(&labs[0]);
	for (size_t i = 0; i < n; i++)
		free(labs[i]);
	free(labs);
	return n > INT_MAX ? INT_MAX : (int)n;
}

const char *lab_ns_status_str(enum lab_ns_status s)
{
	static const char *const words[] = {
		[LAB_NS_OK] = "ok", [LAB_NS_MISSING] = "missing", [LAB_NS_REPLACED] = "replaced"
	};

	return words[s];
}

int lab_image_user(const char *image, char **user)
{
	char **labs;
	size_t n;
	int r;

	*user = NULL;
	if ((r = state_list(&labs, &n)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *path =
			util_xasprintf("%s/%s/%s", NETLAB_RUN_DIR, labs[i], STATE_TOPOLOGY);
		_cleanup_topo_ struct topo *t = NULL;

		/* a lab whose topology cannot be read may use it: counted as a user */
		if (!*user && (topo_load(path, &t) < 0 || t->diag.n))
			*user = util_xstrdup(labs[i]);
		for (size_t k = 0; !*user && t && k < t->n_nodes; k++)
			if (t->nodes[k].image && strcmp(t->nodes[k].image, image) == 0)
				*user = util_xstrdup(labs[i]);
		free(labs[i]);
	}
	free(labs);
	return 0;
}
