/* exec.c: `netlab exec [LAB] NODE -- CMD [ARGS...]` and `netlab shell [LAB] NODE`. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "commands.h"
#include "lab_exec.h"
#include "util.h"

/* Opens the lab and finds the node; enters it. Returns EXIT_OK or an exit status. */
static int enter_node(const char *cmd, const char *lab_arg, const char *node, struct lab **out,
		      size_t *idx)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	struct topo_node *n;
	int r;

	if ((r = cmd_resolve_lab(cmd, lab_arg, &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab(cmd, name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	if (!(n = topo_node_find(l->topo, node))) {
		util_log("%s: lab %s has no node '%s'", cmd, name, node);
		return EXIT_USAGE;
	}
	*idx = (size_t)(n - l->topo->nodes);
	if (l->ns_status[*idx] != LAB_NS_OK) {
		util_log("%s: the namespace '%s' of node %s is %s", cmd, n->netns, node,
			 l->ns_status[*idx] == LAB_NS_MISSING ? "gone (deleted outside netlab?)" :
								"no longer the one netlab created");
		return EXIT_FAIL;
	}
	if (exec_enter(l->topo, *idx, l->st->dir) < 0)
		return EXIT_FAIL; /* it said why */
	setenv("NETLAB_LAB", name, 1);
	setenv("NETLAB_NODE", node, 1);
	*out = steal_pointer(&l);
	return EXIT_OK;
}

int cmd_exec(const struct cmd_args *a)
{
	_cleanup_lab_ struct lab *l = NULL;
	int dash = -1, r;
	size_t idx;
	char **cmd;

	for (int i = 0; i < a->argc && dash < 0; i++)
		if (strcmp(a->argv[i], "--") == 0)
			dash = i;
	if (dash >= 0) { /* [LAB] NODE -- CMD... */
		if (dash < 1 || dash > 2 || dash + 1 >= a->argc)
			return cmd_usage_error("exec",
					       "usage: netlab exec [LAB] NODE -- CMD [ARGS...]");
		cmd = a->argv + dash + 1;
		r = enter_node("exec", dash == 2 ? a->argv[0] : NULL, a->argv[dash - 1], &l, &idx);
	} else { /* LAB NODE CMD... */
		if (a->argc < 3)
			return cmd_usage_error("exec",
					       "usage: netlab exec [LAB] NODE -- CMD [ARGS...]");
		cmd = a->argv + 2;
		r = enter_node("exec", a->argv[0], a->argv[1], &l, &idx);
	}
	if (r != EXIT_OK)
		return r;
	execvp(cmd[0], cmd);
	r = errno;
	util_log("exec: cannot run '%s': %s", cmd[0], strerror(r));
	return r == ENOENT ? 127 : 126;
}

int cmd_shell(const struct cmd_args *a)
{
	_cleanup_lab_ struct lab *l = NULL;
	_cleanup_free_ char *rc = NULL, *text = NULL, *prompt = NULL;
	const char *shell = getenv("SHELL");
	size_t idx;
	int r;

	if (a->argc < 1 || a->argc > 2)
		return cmd_usage_error("shell", "usage: netlab shell [LAB] NODE");
	if ((r = enter_node("shell", a->argc == 2 ? a->argv[0] : NULL, a->argv[a->argc - 1], &l,
			    &idx)) != EXIT_OK)
		return r;
	if (!shell || !*shell)
		shell = "/bin/bash";
	prompt = util_xasprintf("[%s:%s] \\u@\\h:\\w\\$ ", l->topo->name, l->topo->nodes[idx].name);
	setenv("PS1", prompt, 1);
	if (strcmp(strrchr(shell, '/') ? strrchr(shell, '/') + 1 : shell, "bash") == 0) {
		/* bash's rc files set PS1: read them, then set the lab's prompt (an rc file in
		 * memory: the node's files are its own). */
		int fd = memfd_create("netlab-bashrc", 0);

		text = util_xasprintf(
			"[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc\n[ -f ~/.bashrc ] && . ~/.bashrc\nPS1='%s'\n",
			prompt);
		if (fd >= 0 && util_write_all(fd, text, strlen(text)) == 0) {
			rc = util_xasprintf("/proc/self/fd/%d", fd);
			execl(shell, shell, "--rcfile", rc, "-i", (char *)NULL);
		}
	}
	execl(shell, shell, "-i", (char *)NULL);
	r = errno;
	util_log("shell: cannot run '%s': %s", shell, strerror(r));
	return EXIT_FAIL;
}
