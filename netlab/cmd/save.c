/* save.c: `netlab save LAB [-o DIR] [--force]`: a copy of the running lab that `netlab up
 * DIR/LAB.ini` starts from: its topology as in force (after apply and set), and what each node
 * changed in its files (an FRR `write memory`, an edited /etc file) as that node's `files`. */
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "lab.h"
#include "machine.h"
#include "state.h"
#include "strbuf.h"
#include "topo_ini.h"
#include "util.h"

#define SAVE_MARK ".netlab-save" /* in every directory save writes: what --force may replace */

/* What of a node's writable layers is not kept: what lives only while it runs. */
static const char *const transient[] = { "run",	    "tmp",	 "var/tmp", "var/run",
					 "var/log", "var/cache", NULL };

/* The [defaults ...] sections, which may hold those keys too. */
static const char *const defaults[] = { "", "router", "host", "switch" };

/* The keys that name a file or directory relative to the topology's directory. */
static const char *const path_keys[] = { "startup", "frr", "bird", "files" };

/* text with key of [type name] set to value, replacing text. */
static void set_key(char **text, const char *type, const char *name, const char *key,
		    const char *value)
{
	char *next = topo_text_set(*text, type, name, key, value);

	free(*text);
	*text = next;
}

/* Every relative path of [type name] made absolute (t's directory): the copy lives elsewhere. */
static void absolute_paths(char **text, const struct topo *t, const char *type, const char *name)
{
	for (size_t k = 0; k < ARRAY_SIZE(path_keys); k++) {
		_cleanup_free_ char *v = topo_text_get(*text, type, name, path_keys[k]),
				    *abs = NULL;

		if (!v || !*v || v[0] == '/')
			continue;
		abs = topo_path(t, v);
		set_key(text, type, name, path_keys[k], abs);
	}
}

/* The impairment `netlab set` changed, into the text (link state is not kept: a saved lab comes
 * up with every link up). */
static void replay_sets(char **text, const struct lab *l)
{
	for (size_t i = 0; i < l->journal.n_sets; i++) {
		_cleanup_free_ char *copy = util_xstrdup(l->journal.sets[i]);
		size_t max = strlen(copy) / 2 + 1;
		_cleanup_free_ char **w = util_xcalloc(max, sizeof(*w));
		int n = util_split_words(copy, " ", 0, w, max);
		const struct topo_node *lan = n > 0 ? topo_node_find(l->topo, w[0]) : NULL;
		const char *type = lan && lan->kind == TOPO_LAN ? "lan" : "link";

		for (int k = 1; k < n; k++) {
			char *eq = strchr(w[k], '=');

			if (!eq || !strncmp(w[k], "state", 5))
				continue;
			*eq = '\0';
			set_key(text, type, w[0], w[k], strcmp(eq + 1, "off") ? eq + 1 : NULL);
		}
	}
}

static int rmdir_empty(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP)
		rmdir(path); /* fails, as it should, when something is in it */
	return 0;
}

/* Node n's files into dir/NODE (its own `files` first, then what it changed); sets its keys. */
static int save_node(const struct lab *l, const struct topo_node *n, const char *dir, char **text)
{
	_cleanup_free_ char *root = machine_root(l->st->dir, n->name),
			    *to = util_xasprintf("%s/%s", dir, n->name), *frr = NULL;
	struct stat sb;
	int r;

	absolute_paths(text, l->topo, "node", n->name);
	if (stat(root, &sb) < 0)
		return 0; /* a LAN or switch: no files of its own */
	if ((r = util_mkdir_p(to, 0755)) < 0)
		return log_errno(r, "save: cannot make '%s'", to);
	if (n->files) {
		_cleanup_free_ char *from = topo_path(l->topo, n->files);

		if ((r = util_copy_tree(from, to, NULL)) < 0)
			return log_errno(r, "save: cannot copy node %s's files from '%s'", n->name,
					 from);
	}
	if ((r = util_copy_tree(root, to, transient)) < 0)
		return log_errno(r, "save: cannot copy what node %s changed from '%s'", n->name,
				 root);
	nftw(to, rmdir_empty, 16, FTW_DEPTH | FTW_PHYS); /* the layers' empty places */
	if (stat(to, &sb) < 0) /* nothing to keep */
		return 0;
	set_key(text, "node", n->name, "files", n->name);
	frr = util_xasprintf("%s/etc/frr/frr.conf", to);
	if (n->frr && stat(frr, &sb) == 0) { /* FRR's write memory: what it starts from */
		_cleanup_free_ char *rel = util_xasprintf("%s/etc/frr/frr.conf", n->name);

		set_key(text, "node", n->name, "frr", rel);
	}
	return 0;
}

/* Puts the finished copy tmp in place as dir; an older save there is replaced (force). */
static int put_in_place(const char *tmp, const char *dir, bool force)
{
	_cleanup_free_ char *mark = util_xasprintf("%s/%s", dir, SAVE_MARK), *old = NULL;
	struct stat sb;
	int r;

	if (lstat(dir, &sb) == 0) {
		if (!force) {
			util_log("save: '%s' exists: --force replaces it", dir);
			return -EEXIST;
		}
		if (!S_ISDIR(sb.st_mode) || lstat(mark, &sb) < 0) {
			util_log("save: '%s' exists and is no netlab save: it is not replaced",
				 dir);
			return -EEXIST;
		}
		old = util_xasprintf("%s.old.XXXXXX", dir);
		if (!mkdtemp(old) || rmdir(old) < 0 || rename(dir, old) < 0)
			return log_errno(-errno, "save: cannot move '%s' aside", dir);
	}
	if (rename(tmp, dir) < 0) {
		r = log_errno(-errno, "save: cannot put '%s' in place", dir);
		if (old && rename(old, dir) < 0)
			util_log("save: the older save is in '%s'", old);
		return r;
	}
	if (old && (r = state_remove_tree(old)) < 0)
		log_errno(r, "save: cannot remove the older save, moved to '%s'", old);
	return 0;
}

int cmd_save(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL, *dir = NULL, *tmp = NULL, *text = NULL, *file = NULL,
			    *mark = NULL, *parent = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	const struct topo *t;
	int r;

	if (a->argc != 1)
		return cmd_usage_error("save", "usage: netlab save LAB [-o DIR] [--force]");
	if ((r = cmd_lab_name("save", a->argv[0], &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("save", name, 0, &l)) != EXIT_OK)
		return r;
	if (!l->journal.complete) {
		util_log("save: lab %s is not completely up", name);
		return EXIT_FAIL;
	}
	t = l->topo;
	dir = util_xstrdup(a->output ? a->output : name);
	parent = util_xstrdup(dir);
	tmp = util_xasprintf("%s/.netlab-save.XXXXXX", dirname(parent));
	if (!mkdtemp(tmp))
		return cmd_fail(-errno, "save: cannot make a directory beside '%s'", dir);
	text = util_xstrdup(t->text); /* the state's topology.ini, as the lab was loaded from it */
	/* named as it runs (up --name, --netns-prefix), whatever the file said */
	set_key(&text, "lab", "", "name", t->name);
	set_key(&text, "lab", "", "netns-prefix", t->prefix);
	if (t->shared && t->shared[0] != '/') {
		_cleanup_free_ char *abs = topo_path(t, t->shared);

		set_key(&text, "lab", "", "shared", abs);
	}
	for (size_t k = 0; k < ARRAY_SIZE(defaults); k++)
		absolute_paths(&text, t, "defaults", defaults[k]);
	replay_sets(&text, l);
	for (size_t i = 0; i < t->n_nodes && r >= 0; i++)
		if (t->nodes[i].kind != TOPO_LAN)
			r = save_node(l, &t->nodes[i], tmp, &text);
	file = util_xasprintf("%s/%s.ini", tmp, t->name);
	mark = util_xasprintf("%s/%s", tmp, SAVE_MARK);
	if (r >= 0 && ((r = util_write_file_atomic(file, text, strlen(text), 0600)) < 0 ||
		       (r = util_write_file_atomic(mark, "", 0, 0644)) < 0))
		log_errno(r, "save: cannot write '%s'", file);
	if (r >= 0 && chmod(tmp, 0755) < 0)
		r = log_errno(-errno, "save: cannot make '%s' readable", tmp);
	if (r >= 0)
		r = put_in_place(tmp, dir, a->force);
	if (r < 0) {
		if (state_remove_tree(tmp) < 0)
			util_log("save: cannot remove '%s'", tmp);
		return r == -EEXIST ? EXIT_USAGE : EXIT_FAIL;
	}
	printf("lab %s saved in %s (netlab up %s/%s.ini starts it again)\n", name, dir, dir,
	       t->name);
	return EXIT_OK;
}
