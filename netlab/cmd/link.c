/* link.c: `netlab link LAB LINK|LAN down|up|flap [NODE]`: takes a link (one end with NODE; of a
 * LAN, one member) down, brings it back with everything its topology declares, or flaps it. Each
 * change is a journal line "set NAME state[.NODE]=down|up", like `netlab set`'s: the lab's state
 * stays the one truth (status, and later changes, replay it). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "linkstate.h"
#include "util.h"

static volatile sig_atomic_t stop_flap;

static void on_signal(int sig)
{
	(void)sig;
	stop_flap = 1;
}

/* One change, under the lab's lock, which it holds only for that: down and status may run between
 * two flaps. Returns an exit status. */
static int change(const char *lab, const char *name, const char *node, bool down)
{
	char *word = util_xasprintf("state%s%s=%s", node ? "." : "", node ? node : "",
				    down ? "down" : "up");
	_cleanup_lab_ struct lab *l = NULL;
	struct topo_diag why = { 0 };
	int r;

	if ((r = cmd_open_lab("link", lab, 0, &l)) == EXIT_OK)
		r = cmd_change_status(
			"link", lab_change(&l, name, &word, 1, linkstate_apply_named, &why), &why);
	free(word);
	return r;
}

/* Waits ms, or less when a signal came. */
static void pause_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (!stop_flap && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int flap(const struct cmd_args *a, const char *lab, const char *name, const char *node)
{
	uint64_t t0 = util_now_ms();
	int r = EXIT_OK;

	util_catch_stop_signals(on_signal);
	for (unsigned int i = 0; i < a->times && r == EXIT_OK && !stop_flap; i++) {
		if ((r = change(lab, name, node, true)) != EXIT_OK)
			break;
		printf("%8.3f s  %s%s%s down\n", (double)(util_now_ms() - t0) / 1e3, name,
		       node ? " " : "", node ? node : "");
		fflush(stdout);
		pause_ms(a->interval_ms);
		/* up again even after a signal: a flap never leaves the link down */
		if ((r = change(lab, name, node, false)) != EXIT_OK)
			break;
		printf("%8.3f s  %s%s%s up\n", (double)(util_now_ms() - t0) / 1e3, name,
		       node ? " " : "", node ? node : "");
		fflush(stdout);
		if (i + 1 < a->times)
			pause_ms(a->interval_ms);
	}
	if (stop_flap && r == EXIT_OK) {
		util_log("link: interrupted: %s is up", name);
		return EXIT_FAIL;
	}
	return r;
}

int cmd_link(const struct cmd_args *a)
{
	_cleanup_free_ char *lab = NULL;
	const char *what, *node;
	int r;

	if (a->argc < 3 || a->argc > 4)
		return cmd_usage_error("link",
				       "usage: netlab link LAB LINK|LAN down|up|flap [NODE]");
	what = a->argv[2];
	node = a->argc == 4 ? a->argv[3] : NULL;
	if (strcmp(what, "down") != 0 && strcmp(what, "up") != 0 && strcmp(what, "flap") != 0)
		return cmd_usage_error("link", "'%s' is not down, up or flap", what);
	if (strcmp(what, "flap") != 0 && (a->times != 1 || a->interval_ms != 1000))
		return cmd_usage_error("link", "--times and --interval go with flap");
	if ((r = cmd_lab_name("link", a->argv[0], &lab)) != EXIT_OK)
		return r;
	if (strcmp(what, "flap") == 0)
		return flap(a, lab, a->argv[1], node);
	return change(lab, a->argv[1], node, strcmp(what, "down") == 0);
}
