/* cmd_status.c: `netlab list [--json]` and `netlab status [LAB|FILE] [--json]`. */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>

#include "apply.h"
#include "commands.h"
#include "lab.h"
#include "net.h"
#include "nsfs.h"
#include "out.h"
#include "procs.h"
#include "util.h"

struct proc_ent {
	pid_t pid;
	ino_t ino;
};

struct proc_list {
	struct proc_ent *v;
	size_t n;
};

static void collect_proc(pid_t pid, ino_t ino, void *arg)
{
	struct proc_list *pl = arg;
	struct proc_ent *e = util_grow(&pl->v, &pl->n, sizeof(*e));

	e->pid = pid;
	e->ino = ino;
}

static void proc_comm(pid_t pid, char *buf, size_t size)
{
	_cleanup_free_ char *path = util_xasprintf("/proc/%d/comm", (int)pid), *text = NULL;

	snprintf(buf, size, "?");
	if (util_read_file(path, &text, NULL) == 0) {
		text[strcspn(text, "\n")] = '\0';
		snprintf(buf, size, "%s", text);
	}
}

int cmd_resolve_lab(const char *cmd, const char *arg, char **lab)
{
	int r;

	if (arg)
		return cmd_lab_name(cmd, arg, lab);
	r = lab_only(lab);
	if (r == -ENOENT) {
		util_log("%s: no lab is up", cmd);
		return EXIT_USAGE;
	}
	if (r == -E2BIG) {
		util_log("%s: more than one lab is up: name one (see 'netlab list')", cmd);
		return EXIT_USAGE;
	}
	if (r < 0)
		return log_errno(r, "cannot list %s", NETLAB_RUN_DIR), EXIT_FAIL;
	return EXIT_OK;
}

int cmd_open_lab(const char *cmd, const char *name, unsigned int flags, struct lab **out)
{
	int r = lab_open(name, flags, out);

	if (r == -ENOENT) {
		util_log("%s: lab %s is not up", cmd, name);
		return EXIT_USAGE;
	}
	if (r == -EBADMSG) {
		util_log("%s: the state of lab %s is damaged or incomplete: run 'netlab down %s'", cmd, name, name);
		return EXIT_FAIL;
	}
	if (r < 0)
		return log_errno(r, "%s: cannot open the state of lab %s", cmd, name), EXIT_FAIL;
	return EXIT_OK;
}

static void status_node(struct out_json *j, const struct lab *l, size_t i, const struct proc_list *pl, int orig_fd)
{
	const struct topo_node *n = &l->topo->nodes[i];
	_cleanup_free_ char *pin = apply_netns_path(n->netns);
	struct net_info info = { 0 };
	struct nls sk = { 0 };
	int err = 0;

	if (l->ns_status[i] == LAB_NS_OK) {
		_cleanup_close_ int fd = nsfs_open(pin);

		err = fd < 0 ? fd : nls_open_in(&sk, fd, orig_fd);
		if (err == 0)
			err = net_info_get(&sk, &info);
		nls_close(&sk);
	}
	if (j) {
		out_json_begin(j, NULL, '{');
		out_json_str(j, "name", n->name);
		out_json_str(j, "kind", topo_kind_str(n->kind));
		out_json_str(j, "hostname", n->hostname);
		out_json_str(j, "netns", n->netns);
		out_json_int(j, "inode", (long long)l->ns_ino[i]);
		out_json_str(j, "status", lab_ns_status_str(l->ns_status[i]));
		out_json_str(j, "error", err ? strerror(-err) : NULL);
		out_json_begin(j, "interfaces", '[');
		for (size_t k = 0; k < info.n_ifaces; k++) {
			out_json_begin(j, NULL, '{');
			out_json_str(j, "name", info.ifaces[k].name);
			out_json_str(j, "state", info.ifaces[k].state);
			out_json_str(j, "master", info.ifaces[k].master[0] ? info.ifaces[k].master : NULL);
			out_json_str(j, "impairment", info.ifaces[k].impair[0] ? info.ifaces[k].impair : NULL);
			out_json_begin(j, "addresses", '[');
			for (size_t a = 0; a < info.ifaces[k].n_addrs; a++)
				out_json_str(j, NULL, info.ifaces[k].addrs[a]);
			out_json_end(j, ']');
			out_json_end(j, '}');
		}
		out_json_end(j, ']');
		out_json_begin(j, "routes", '[');
		for (size_t k = 0; k < info.n_routes; k++) {
			out_json_begin(j, NULL, '{');
			out_json_str(j, "family", info.routes[k].family == AF_INET6 ? "inet6" : "inet");
			out_json_str(j, "dst", info.routes[k].dst);
			out_json_str(j, "via", info.routes[k].via[0] ? info.routes[k].via : NULL);
			out_json_str(j, "dev", info.routes[k].dev[0] ? info.routes[k].dev : NULL);
			out_json_end(j, '}');
		}
		out_json_end(j, ']');
		out_json_begin(j, "processes", '[');
	} else {
		printf("node %s (%s): namespace %s, inode %ju: %s%s%s\n", n->name, topo_kind_str(n->kind), n->netns, (uintmax_t)l->ns_ino[i],
		       l->ns_status[i] == LAB_NS_OK ? "ok" :
		       l->ns_status[i] == LAB_NS_MISSING ? "MISSING (deleted outside netlab?)" :
							   "REPLACED (the pin now holds a namespace netlab did not create)",
		       err ? ", cannot read it: " : "", err ? strerror(-err) : "");
		for (size_t k = 0; k < info.n_ifaces; k++) {
			printf("  %-16s %-8s", info.ifaces[k].name, info.ifaces[k].state);
			if (info.ifaces[k].master[0])
				printf(" port of %s", info.ifaces[k].master);
			for (size_t a = 0; a < info.ifaces[k].n_addrs; a++)
				printf(" %s", info.ifaces[k].addrs[a]);
			if (info.ifaces[k].impair[0])
				printf(" [%s]", info.ifaces[k].impair);
			printf("\n");
		}
		for (size_t k = 0; k < info.n_routes; k++)
			printf("  route %s%s%s%s%s\n", info.routes[k].dst, info.routes[k].via[0] ? " via " : "", info.routes[k].via,
			       info.routes[k].dev[0] ? " dev " : "", info.routes[k].dev);
	}
	for (size_t p = 0; l->ns_status[i] == LAB_NS_OK && p < pl->n; p++) {
		char comm[64];

		if (pl->v[p].ino != l->ns_ino[i])
			continue;
		proc_comm(pl->v[p].pid, comm, sizeof(comm));
		if (j) {
			out_json_begin(j, NULL, '{');
			out_json_int(j, "pid", pl->v[p].pid);
			out_json_str(j, "comm", comm);
			out_json_end(j, '}');
		} else {
			printf("  process %d %s\n", (int)pl->v[p].pid, comm);
		}
	}
	if (j) {
		out_json_end(j, ']');
		out_json_begin(j, "daemons", '[');
	}
	for (size_t d = 0; d < l->journal.n_daemons; d++) {
		const struct state_daemon *dm = &l->journal.daemons[d];
		bool running = false;

		if (strcmp(dm->node, n->name) != 0)
			continue;
		for (size_t p = 0; p < pl->n; p++)
			running |= pl->v[p].pid == dm->pid && pl->v[p].ino == l->ns_ino[i];
		if (j) {
			out_json_begin(j, NULL, '{');
			out_json_int(j, "pid", dm->pid);
			out_json_bool(j, "running", running);
			out_json_end(j, '}');
		} else {
			printf("  daemon %d %s (log: netlab logs %s %s)\n", (int)dm->pid, running ? "running" : "EXITED", l->topo->name, n->name);
		}
	}
	if (j) {
		out_json_end(j, ']');
		out_json_end(j, '}');
	}
	net_info_clear(&info);
}

int cmd_status(int argc, char **argv)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	_cleanup_close_ int orig_fd = -1;
	struct proc_list pl = { 0 };
	struct out_json j = { .f = stdout };
	const char *arg = NULL;
	bool json = false;
	size_t bad = 0;
	int r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (argv[i][0] == '-' || arg)
			return cmd_usage_error("status", "unexpected argument '%s'", argv[i]);
		else
			arg = argv[i];
	}
	if ((r = cmd_resolve_lab("status", arg, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("status", name, 0, &l)) != EXIT_OK)
		return r;
	orig_fd = nsfs_open("/proc/thread-self/ns/net");
	if (orig_fd < 0)
		return log_errno(orig_fd, "cannot open netlab's own namespace"), EXIT_FAIL;
	procs_scan(collect_proc, &pl);
	for (size_t i = 0; i < l->topo->n_nodes; i++)
		bad += l->ns_status[i] != LAB_NS_OK;
	if (json) {
		out_json_begin(&j, NULL, '{');
		out_json_str(&j, "lab", l->topo->name);
		out_json_str(&j, "state", !l->journal.complete ? "partial" : bad ? "degraded" : "up");
		out_json_str(&j, "state_dir", l->st->dir);
		out_json_begin(&j, "nodes", '[');
	} else {
		printf("lab %s: %s, %zu nodes, %zu links (state in %s)\n", l->topo->name,
		       !l->journal.complete ? "PARTIAL (an up was interrupted: run netlab down)" : bad ? "DEGRADED" : "up",
		       l->topo->n_nodes, l->topo->n_links, l->st->dir);
	}
	for (size_t i = 0; i < l->topo->n_nodes; i++)
		status_node(json ? &j : NULL, l, i, &pl, orig_fd);
	if (json) {
		out_json_end(&j, ']');
		out_json_end(&j, '}');
	}
	free(pl.v);
	return bad || !l->journal.complete ? EXIT_FAIL : EXIT_OK;
}

int cmd_logs(int argc, char **argv)
{
	_cleanup_free_ char *name = NULL, *path = NULL, *text = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	const char *node;
	int r;

	if (argc < 2 || argc > 3 || argv[1][0] == '-')
		return cmd_usage_error("logs", "usage: netlab logs [LAB] NODE");
	node = argv[argc - 1];
	if ((r = cmd_resolve_lab("logs", argc == 3 ? argv[1] : NULL, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("logs", name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	if (!topo_node_find(l->topo, node)) {
		util_log("logs: lab %s has no node '%s'", name, node);
		return EXIT_USAGE;
	}
	path = util_xasprintf("%s/%s/%s.log", l->st->dir, STATE_LOGS_DIR, node);
	r = util_read_file(path, &text, NULL);
	if (r == -ENOENT) {
		util_log("logs: node %s of lab %s runs no daemon", node, name);
		return EXIT_FAIL;
	}
	if (r < 0)
		return log_errno(r, "logs: cannot read '%s'", path), EXIT_FAIL;
	fputs(text, stdout);
	return EXIT_OK;
}

int cmd_list(int argc, char **argv)
{
	struct out_json j = { .f = stdout };
	bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
	char **labs;
	size_t n;
	int r;

	if (argc > 2 || (argc == 2 && !json))
		return cmd_usage_error("list", "unexpected argument '%s'", argv[1]);
	if ((r = state_list(&labs, &n)) < 0)
		return log_errno(r, "cannot list %s", NETLAB_RUN_DIR), EXIT_FAIL;
	if (json)
		out_json_begin(&j, NULL, '[');
	else if (n)
		printf("%-24s %-8s %s\n", "LAB", "NODES", "STATE");
	for (size_t i = 0; i < n; i++) {
		_cleanup_lab_ struct lab *l = NULL;
		int q = lab_open(labs[i], STATE_NOLOCK, &l);
		const char *st = q < 0 ? "damaged" : l->journal.complete ? "up" : "partial";

		if (json) {
			out_json_begin(&j, NULL, '{');
			out_json_str(&j, "lab", labs[i]);
			out_json_str(&j, "state", st);
			out_json_int(&j, "nodes", q < 0 ? 0 : (long long)l->topo->n_nodes);
			out_json_end(&j, '}');
		} else {
			printf("%-24s %-8zu %s\n", labs[i], q < 0 ? 0 : l->topo->n_nodes, st);
		}
		free(labs[i]);
	}
	free(labs);
	if (json)
		out_json_end(&j, ']');
	else if (n == 0)
		printf("no lab is up\n");
	return EXIT_OK;
}
