/* cmd_exec.c: `netlab exec [LAB] NODE -- CMD [ARGS...]` and `netlab shell [LAB] NODE`. */
#include <errno.h>
#include <string.h>

#include "commands.h"
#include "exec.h"
#include "lab.h"
#include "util.h"

/* Opens the lab and finds the node; enters it. Returns EXIT_OK or an exit status. */
static int enter_node(const char *cmd, const char *lab_arg, const char *node, struct lab **out, size_t *idx)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	struct topo_node *n;
	int r;

	if ((r = cmd_resolve_lab(cmd, lab_arg, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab(cmd, name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	n = topo_node_find(l->topo, node);
	if (!n) {
		util_log("%s: lab %s has no node '%s'", cmd, name, node);
		return EXIT_USAGE;
	}
	*idx = (size_t)(n - l->topo->nodes);
	if (l->ns_status[*idx] != LAB_NS_OK) {
		util_log("%s: the namespace '%s' of node %s is %s", cmd, n->netns, node, l->ns_status[*idx] == LAB_NS_MISSING ? "gone (deleted outside netlab?)" : "no longer the one netlab created");
		return EXIT_FAIL;
	}
	{
		const char *what = NULL;

		if ((r = exec_enter(l->topo, *idx, l->st->dir, &what)) < 0)
			return log_errno(r, "%s: cannot %s of node %s of lab %s", cmd, what, node, name), EXIT_FAIL;
	}
	setenv("NETLAB_LAB", name, 1);
	setenv("NETLAB_NODE", node, 1);
	*out = steal_pointer(&l);
	return EXIT_OK;
}

int cmd_exec(int argc, char **argv)
{
	_cleanup_lab_ struct lab *l = NULL;
	int dash = 0, r;
	size_t idx;
	char **cmd;

	for (int i = 1; i < argc && !dash; i++)
		if (strcmp(argv[i], "--") == 0)
			dash = i;
	if (dash) {
		if (dash < 2 || dash > 3 || dash + 1 >= argc)
			return cmd_usage_error("exec", "usage: netlab exec [LAB] NODE -- CMD [ARGS...]");
		cmd = argv + dash + 1;
		r = enter_node("exec", dash == 3 ? argv[1] : NULL, argv[dash - 1], &l, &idx);
	} else {
		if (argc < 4)
			return cmd_usage_error("exec", "usage: netlab exec [LAB] NODE -- CMD [ARGS...]");
		cmd = argv + 3;
		r = enter_node("exec", argv[1], argv[2], &l, &idx);
	}
	if (r != EXIT_OK)
		return r;
	execvp(cmd[0], cmd);
	r = errno;
	util_log("exec: cannot run '%s': %s", cmd[0], strerror(r));
	return r == ENOENT ? 127 : 126;
}

int cmd_shell(int argc, char **argv)
{
	_cleanup_lab_ struct lab *l = NULL;
	_cleanup_free_ char *rc = NULL, *text = NULL, *prompt = NULL;
	const char *shell = getenv("SHELL");
	size_t idx;
	int r;

	if (argc < 2 || argc > 3 || argv[1][0] == '-')
		return cmd_usage_error("shell", "usage: netlab shell [LAB] NODE");
	r = enter_node("shell", argc == 3 ? argv[1] : NULL, argv[argc - 1], &l, &idx);
	if (r != EXIT_OK)
		return r;
	if (!shell || !*shell)
		shell = "/bin/bash";
	prompt = util_xasprintf("[%s:%s] \\u@\\h:\\w\\$ ", l->topo->name, l->topo->nodes[idx].name);
	setenv("PS1", prompt, 1);
	if (strcmp(strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell, "bash") == 0) {
		/* bash's rc files set PS1: read them, then set the lab's prompt. */
		rc = util_xasprintf("%s/bashrc", l->st->dir);
		text = util_xasprintf("[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc\n[ -f ~/.bashrc ] && . ~/.bashrc\nPS1='%s'\n", prompt);
		if (util_write_file_atomic(rc, text, strlen(text), 0644) == 0)
			execl(shell, shell, "--rcfile", rc, "-i", (char *)NULL);
	}
	execl(shell, shell, "-i", (char *)NULL);
	r = errno;
	util_log("shell: cannot run '%s': %s", shell, strerror(r));
	return EXIT_FAIL;
}
