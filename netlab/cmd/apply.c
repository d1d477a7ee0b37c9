/* apply.c: `netlab apply FILE [--dry-run]`: changes the running lab FILE names into what FILE now
 * says, changing only what differs; prints the plan first (--dry-run: only the plan). */
#include <errno.h>
#include <signal.h>

#include "lab_apply.h"
#include "commands.h"
#include "strbuf.h"
#include "lab_up.h"
#include "util.h"

static volatile sig_atomic_t apply_stop;

static void on_signal(int sig)
{
	apply_stop = sig;
}

int cmd_apply(const struct cmd_args *a)
{
	_cleanup_topo_ struct topo *t = NULL;
	_cleanup_lab_ struct lab *l = NULL;
	_cleanup_strbuf_ struct strbuf plan = { 0 };
	struct diff d;
	size_t n_changes;
	int r;

	if (a->argc != 1)
		return cmd_usage_error("apply", "expected one FILE");
	if ((r = cmd_load_topology(a->argv[0], &t)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("apply", t->name, 0, &l)) != EXIT_OK) {
		if (r == EXIT_USAGE) /* not up */
			util_log("apply: 'netlab up %s' brings it up", a->argv[0]);
		return r;
	}
	if (l->journal.applying) {
		util_log("apply: an earlier apply to lab %s did not finish: 'netlab down %s' removes the lab, then 'netlab up %s'", t->name, t->name,
			 a->argv[0]);
		return EXIT_FAIL;
	}
	if (!l->journal.complete) {
		util_log("apply: lab %s is half made (an interrupted up): 'netlab down %s' first", t->name, t->name);
		return EXIT_FAIL;
	}
	if ((r = cmd_check_nodes("apply", l)) != EXIT_OK)
		return r; /* apply needs the lab as up made it */
	apply_plan(l, t, &d);
	diff_plan(&d, &plan);
	if (d.n_changes == 0 && lab_same_topology(l->st, t->text) == 1) {
		printf("lab %s: nothing to change\n", t->name);
		diff_clear(&d);
		return EXIT_OK;
	}
	if (d.n_changes == 0) /* comments, spacing, order: the text is still the lab's from now on */
		printf("lab %s: nothing to change but the file's text (comments, spacing, order)\n", t->name);
	printf("%s", strbuf_str(&plan));
	if (a->dry_run) {
		printf("(dry run: nothing changed)\n");
		diff_clear(&d);
		return EXIT_OK;
	}
	fflush(stdout);
	if (up_check_clashes(t, &d) < 0) {
		util_log("apply: nothing was changed");
		diff_clear(&d);
		return EXIT_FAIL;
	}
	util_catch_stop_signals(on_signal);
	r = apply_run(l, t, &d, &apply_stop);
	util_catch_stop_signals(NULL);
	n_changes = d.n_changes;
	diff_clear(&d);
	if (r < 0) {
		util_log("apply: lab %s is partly changed: 'netlab status %s' shows it, 'netlab down %s' removes it", t->name, t->name, t->name);
		return EXIT_FAIL;
	}
	if (n_changes)
		printf("lab %s changed: %zu change%s\n", t->name, n_changes, n_changes == 1 ? "" : "s");
	return EXIT_OK;
}
