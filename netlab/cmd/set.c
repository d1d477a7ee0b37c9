/* set.c: `netlab set LAB LINK|LAN KEY=VALUE...`: changes link impairment on a running lab. The
 * values in force are the topology's, changed by every `set` before (kept in the journal). */
#include <errno.h>
#include <string.h>

#include "commands.h"
#include "impairment.h"
#include "strbuf.h"
#include "util.h"

/* Applies "KEY=VALUE" words to the model. Returns 0, or an exit status after saying why. */
static int set_words(struct topo *t, const char *name, char **words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct topo_diag why = { 0 };

		if (topo_set_word(t, name, words[i], &why) < 0) {
			util_log("set: %s", why.msgs[0]);
			topo_diag_clear(&why);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

int cmd_set(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_strbuf_ struct strbuf line = { 0 };
	_cleanup_lab_ struct lab *l = NULL;
	int r;

	if (a->argc < 3)
		return cmd_usage_error("set", "usage: netlab set LAB LINK|LAN KEY=VALUE... (KEY or KEY.NODE; VALUE off removes it)");
	for (int i = 2; i < a->argc; i++)
		if (strncmp(a->argv[i], "state=", 6) == 0 || strncmp(a->argv[i], "state.", 6) == 0)
			return cmd_usage_error("set", "a link's state is changed by 'netlab link LAB LINK down|up [NODE]'");
	for (int i = 1; i < a->argc; i++)
		strbuf_addf(&line, "%s%s", i > 1 ? " " : "", a->argv[i]);
	if (strchr(strbuf_str(&line), '\n'))
		return cmd_usage_error("set", "values cannot hold a newline");
	if ((r = cmd_lab_name("set", a->argv[0], &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("set", name, 0, &l)) != EXIT_OK)
		return r;
	if ((r = set_words(l->topo, a->argv[1], a->argv + 2, (size_t)a->argc - 2)) != EXIT_OK)
		return r;
	/* journaled before the kernel changes, like everything else; undone in the journal when the
	 * kernel refuses it, and what was in force before is put back */
	if ((r = state_record(l->st, "set %s\n", strbuf_str(&line))) < 0)
		return cmd_fail(r, "set: cannot write the journal of lab %s", name);
	if (impairment_apply_named(l, a->argv[1]) == 0)
		return EXIT_OK;
	if ((r = state_record(l->st, "unset\n")) < 0)
		return cmd_fail(r, "set: cannot write the journal of lab %s", name);
	lab_free(steal_pointer(&l));
	if (cmd_open_lab("set", name, 0, &l) == EXIT_OK && impairment_apply_named(l, a->argv[1]) < 0)
		util_log("set: could not put back the impairment %s had before", a->argv[1]);
	return EXIT_FAIL; /* it said why */
}
