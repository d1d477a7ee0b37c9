/* graph.c: `netlab graph FILE|LAB [--format dot|svg|mermaid|html]`: draws a lab, from its file
 * alone (no root needed), or a running lab with its links' state (down, impaired) from its
 * journal. SVG (and the drawing in the HTML page) comes from Graphviz's dot, run once. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>

#include "commands.h"
#include "topo_graph.h"
#include "strbuf.h"
#include "util.h"

extern char **environ;

/* dot -Tsvg on text, its output into *svg (to be freed). Returns an exit status after saying why.
 */
static int run_dot(const char *text, char **svg)
{
	char path[64];
	_cleanup_close_ int in =
		util_memfd_path("netlab-graph", text, strlen(text), path, sizeof(path));
	_cleanup_strbuf_ struct strbuf out = { 0 };
	char *const argv[] = { "dot", "-Tsvg", NULL };
	posix_spawn_file_actions_t fa;
	int pipefd[2], status, r;
	char buf[65536];
	ssize_t n;
	pid_t pid;

	if (in < 0)
		return cmd_fail(in, "graph: cannot hold the drawing in memory");
	if (lseek(in, 0, SEEK_SET) < 0)
		return cmd_fail(-errno, "graph: cannot rewind the drawing");
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return cmd_fail(-errno, "graph: cannot make a pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	r = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (r != 0) {
		close(pipefd[0]);
		if (r == ENOENT)
			util_log(
				"graph: svg and html need Graphviz's dot, which is not installed (Debian: apt-get install graphviz)");
		else
			util_log_errno(-r, "graph: cannot run dot");
		return EXIT_FAIL;
	}
	while ((n = read(pipefd[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			strbuf_addf(&out, "%.*s", (int)n, buf);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !strstr(strbuf_str(&out), "<svg")) {
		util_log("graph: dot failed (exit status %d)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return EXIT_FAIL;
	}
	*svg = strbuf_detach(&out);
	return EXIT_OK;
}

static int draw(const struct topo *t, enum cmd_format fmt)
{
	_cleanup_strbuf_ struct strbuf dot = { 0 }, out = { 0 };
	_cleanup_free_ char *svg = NULL;
	int r;

	if (fmt == FMT_MERMAID) {
		graph_mermaid(t, &out);
		fputs(strbuf_str(&out), stdout);
		return EXIT_OK;
	}
	graph_dot(t, &dot);
	if (fmt == FMT_DOT) {
		fputs(strbuf_str(&dot), stdout);
		return EXIT_OK;
	}
	if ((r = run_dot(strbuf_str(&dot), &svg)) != EXIT_OK)
		return r;
	if (fmt == FMT_SVG) {
		fputs(svg, stdout);
		return EXIT_OK;
	}
	graph_html(t, svg, &out);
	fputs(strbuf_str(&out), stdout);
	return EXIT_OK;
}

int cmd_graph(const struct cmd_args *a)
{
	enum cmd_format fmt = a->format == FMT_DEFAULT ? FMT_DOT : a->format;
	_cleanup_topo_ struct topo *t = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	_cleanup_free_ char *name = NULL;
	int r;

	if (a->argc != 1)
		return cmd_usage_error(
			"graph", "usage: netlab graph FILE|LAB [--format dot|svg|mermaid|html]");
	if (fmt < FMT_DOT)
		return cmd_usage_error("graph", "--format: '%s' is not dot, svg, mermaid or html",
				       cmd_format_names[fmt]);
	if (cmd_arg_is_file(a->argv[0])) {
		if ((r = cmd_load_topology(a->argv[0], &t)) != EXIT_OK)
			return r;
		return draw(t, fmt);
	}
	if ((r = cmd_lab_name("graph", a->argv[0], &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("graph", name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	return draw(l->topo, fmt);
}
