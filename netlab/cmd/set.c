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
		_cleanup_free_ char *w = util_xstrdup(words[i]);
		char *eq = strchr(w, '=');
		struct topo_diag why = { 0 };

		if (!eq || eq == w || !eq[1]) {
			util_log("set: '%s' is not KEY=VALUE", words[i]);
			return EXIT_USAGE;
		}
		*eq = '\0';
		if (topo_set_impair(t, name, w, eq + 1, &why) < 0) {
			util_log("set: %s", why.msgs[0]);
			topo_diag_clear(&why);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/* The model with every earlier `set` of the journal replayed, in order. */
static void replay_sets(struct lab *l)
{
	for (size_t i = 0; i < l->journal.n_sets; i++) {
		_cleanup_free_ char *copy = util_xstrdup(l->journal.sets[i]);
		char *words[64], *save;
		size_t n = 0;

		for (char *w = strtok_r(copy, " ", &save); w && n < 64; w = strtok_r(NULL, " ", &save))
			words[n++] = w;
		if (n >= 1)
			set_words(l->topo, words[0], words + 1, n - 1);
	}
}

int cmd_set(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL;
	_cleanup_strbuf_ struct strbuf line = { 0 };
	_cleanup_lab_ struct lab *l = NULL;
	int r;

	if (a->argc < 3)
		return cmd_usage_error("set", "usage: netlab set LAB LINK|LAN KEY=VALUE... (KEY or KEY.NODE; VALUE off removes it)");
	for (int i = 1; i < a->argc; i++)
		strbuf_addf(&line, "%s%s", i > 1 ? " " : "", a->argv[i]);
	if (strchr(strbuf_str(&line), '\n'))
		return cmd_usage_error("set", "values cannot hold a newline");
	if ((r = cmd_lab_name("set", a->argv[0], &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("set", name, 0, &l)) != EXIT_OK)
		return r;
	replay_sets(l);
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
	if (cmd_open_lab("set", name, 0, &l) == EXIT_OK) {
		replay_sets(l);
		if (impairment_apply_named(l, a->argv[1]) < 0)
			util_log("set: could not put back the impairment %s had before", a->argv[1]);
	}
	return EXIT_FAIL; /* it said why */
}
