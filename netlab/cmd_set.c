/* cmd_set.c: `netlab set LAB LINK|LAN KEY=VALUE...`: changes link impairment on a running lab.
 * The values in force are the topology's, changed by every `set` before (kept in the journal). */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "apply.h"
#include "commands.h"
#include "lab.h"
#include "net.h"
#include "nsfs.h"
#include "util.h"

/* Applies "KEY=VALUE" words to the model. Returns 0, or an exit status after saying why. */
static int set_words(struct topo *t, const char *name, char **words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *w = util_xstrdup(words[i]);
		char *eq = strchr(w, '='), err[256];

		if (!eq || eq == w || !eq[1]) {
			util_log("set: '%s' is not KEY=VALUE", words[i]);
			return EXIT_USAGE;
		}
		*eq = '\0';
		if (topo_set_impair(t, name, w, eq + 1, err, sizeof(err)) < 0) {
			util_log("set: %s", err);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/* Re-applies the impairment in force on every interface of the link or LAN called name. */
static int apply_to_kernel(struct lab *l, const char *name)
{
	_cleanup_close_ int orig = nsfs_open("/proc/thread-self/ns/net");
	struct topo *t = l->topo;
	int status = EXIT_OK;

	for (size_t li = 0; li < t->n_links; li++) {
		struct topo_link *lk = &t->links[li];
		const struct topo_node *lan = topo_node_find(t, name);

		if (lan && lan->kind == TOPO_LAN ? !(lk->lan && lk->ends[1].node == (size_t)(lan - t->nodes)) : strcmp(lk->name, name) != 0)
			continue;
		for (int e = 0; e < 2; e++) {
			const struct topo_node *n = &t->nodes[lk->ends[e].node];
			const struct topo_iface *ifc = topo_iface_find(n, lk->ends[e].ifname);
			_cleanup_free_ char *pin = apply_netns_path(n->netns);
			_cleanup_close_ int fd = nsfs_open(pin);
			struct nls sk = { 0 };
			int r;

			if (l->ns_status[lk->ends[e].node] != LAB_NS_OK || fd < 0) {
				util_log("set: the namespace of node %s is gone: skipped", n->name);
				status = EXIT_FAIL;
				continue;
			}
			if ((r = nls_open_in(&sk, fd, orig)) < 0) {
				log_errno(r, "set: cannot open a netlink socket in node %s", n->name);
				status = EXIT_FAIL;
				continue;
			}
			if (apply_impairment(&sk, n, ifc, &ifc->imp) < 0)
				status = EXIT_FAIL;
			nls_close(&sk);
		}
	}
	return status;
}

int cmd_set(int argc, char **argv)
{
	_cleanup_free_ char *name = NULL, *line = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	int r;

	if (argc < 4)
		return cmd_usage_error("set", "usage: netlab set LAB LINK|LAN KEY=VALUE... (KEY or KEY.NODE; VALUE off removes it)");
	if ((r = cmd_lab_name("set", argv[1], &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("set", name, 0, &l)) != EXIT_OK)
		return r;
	/* the values in force: the topology's, then every earlier set, in order */
	for (size_t i = 0; i < l->journal.n_sets; i++) {
		_cleanup_free_ char *copy = util_xstrdup(l->journal.sets[i]);
		char *words[64], *save;
		size_t n = 0;

		for (char *w = strtok_r(copy, " ", &save); w && n < 64; w = strtok_r(NULL, " ", &save))
			words[n++] = w;
		if (n >= 1)
			set_words(l->topo, words[0], words + 1, n - 1);
	}
	if ((r = set_words(l->topo, argv[2], argv + 3, (size_t)argc - 3)) != EXIT_OK)
		return r;
	line = util_xstrdup(argv[2]);
	for (int i = 3; i < argc; i++) {
		char *nx = util_xasprintf("%s %s", line, argv[i]);

		free(line);
		line = nx;
	}
	if (strchr(line, '\n'))
		return cmd_usage_error("set", "values cannot hold a newline");
	if ((r = apply_to_kernel(l, argv[2])) != EXIT_OK)
		return r;
	if ((r = state_record(l->st, "set %s\n", line)) < 0)
		return log_errno(r, "set: cannot write the journal of lab %s", name), EXIT_FAIL;
	return EXIT_OK;
}
