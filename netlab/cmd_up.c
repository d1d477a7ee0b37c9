/* cmd_up.c: `netlab up FILE`. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "apply.h"
#include "commands.h"
#include "nsfs.h"
#include "util.h"

static volatile sig_atomic_t up_stop;

static void on_signal(int sig)
{
	up_stop = sig;
}

/* 1 when the running lab was brought up from the same text, 0 when not, -errno on error. */
static int same_topology(struct state *st, const char *text)
{
	_cleanup_free_ char *path = state_path(st, STATE_TOPOLOGY), *old = NULL;
	int r = util_read_file(path, &old, NULL);

	if (r < 0)
		return r;
	return strcmp(old, text) == 0;
}

int cmd_bring_up(const char *file, const struct topo *t, FILE *out)
{
	_cleanup_state_ struct state *st = NULL;
	_cleanup_free_ char *text = NULL, *topo_path = NULL, *base_path = NULL;
	struct state_journal j;
	struct sigaction sa = { .sa_handler = on_signal };
	size_t len;
	int r;

	if ((r = util_read_file(file, &text, &len)) < 0)
		return log_errno(r, "cannot read '%s'", file), EXIT_FAIL;
	if ((r = nsfs_prepare_dir(NETLAB_RUN_DIR)) < 0)
		return log_errno(r, "cannot prepare '%s'", NETLAB_RUN_DIR), EXIT_FAIL;
	r = state_open(t->name, STATE_CREATE, &st);
	if (r < 0)
		return log_errno(r, "cannot create the state of lab %s in %s", t->name, NETLAB_RUN_DIR), EXIT_FAIL;
	if ((r = state_journal_load(st, &j)) < 0)
		return log_errno(r, "cannot read the state of lab %s", t->name), EXIT_FAIL;
	{
		bool complete = j.complete, started = j.n_netns > 0;

		state_journal_clear(&j);
		if (complete) {
			r = same_topology(st, text);
			if (r == 1) {
				fprintf(out, "lab %s is already up: nothing changed\n", t->name);
				return EXIT_OK;
			}
			util_log("lab %s is already up with a different topology: run 'netlab down %s' first", t->name, t->name);
			return EXIT_FAIL;
		}
		if (started) {
			util_log("lab %s was left half made by an interrupted up: run 'netlab down %s' first", t->name, t->name);
			return EXIT_FAIL;
		}
	}
	topo_path = state_path(st, STATE_TOPOLOGY);
	base_path = state_path(st, STATE_BASEDIR);
	if ((r = util_write_file_atomic(topo_path, text, len, 0644)) < 0 ||
	    (r = util_write_file_atomic(base_path, t->base_dir, strlen(t->base_dir), 0644)) < 0) {
		log_errno(r, "cannot write the state of lab %s in '%s'", t->name, st->dir);
		apply_down(st, true);
		return EXIT_FAIL;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	r = apply_up(t, st, &up_stop);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (r < 0)
		return EXIT_FAIL;
	fprintf(out, "lab %s is up: %zu node%s, %zu link%s\n", t->name, t->n_nodes, t->n_nodes == 1 ? "" : "s", t->n_links, t->n_links == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_up(int argc, char **argv)
{
	_cleanup_topo_ struct topo *t = NULL;
	int r;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage_error("up", argc < 2 ? "no topology file given" : "expected exactly one topology file");
	r = cmd_load_topology(argv[1], &t);
	if (r != EXIT_OK)
		return r;
	return cmd_bring_up(argv[1], t, stdout);
}
