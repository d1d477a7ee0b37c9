/* assertion.c: the assertion language of [test] sections ("h1 -> h2 reachable", "r1 route
 * 10.0.2.0/24 via 10.0.12.2", ...; docs/lab-tests.md). Pure. */
#include <errno.h>
#include <netinet/in.h>
#include <regex.h>
#include <string.h>

#include "assertion.h"
#include "util.h"

void topo_assert_clear(struct topo_assert *a)
{
	free(a->text);
	free(a->src);
	free(a->dst);
	for (size_t i = 0; i < a->n_via; i++)
		free(a->via[i]);
	free(a->via);
	free(a->cmd);
	free(a->gws);
	free(a->pattern);
	free(a->name);
	memset(a, 0, sizeof(*a));
}

int topo_assert_parse(const char *text, struct topo_assert *a, struct topo_diag *why)
{
	_cleanup_free_ char *copy = util_xstrdup(text);
	char *w[40];
	/* -EINVAL or 41: not one */
	int n = util_split_words(copy, " \t", UTIL_WORDS_QUOTED, w, 40);

	memset(a, 0, sizeof(*a));
	a->text = util_xstrdup(text);
#define FAIL(...)                                \
	do {                                     \
		topo_diag_add(why, __VA_ARGS__); \
		topo_assert_clear(a);            \
		return -EINVAL;                  \
	} while (0)
	if (n < 3 || n > 40)
		FAIL("'%s' is not an assertion (e.g. 'h1 -> h2 reachable', 'h2 tcp 80 open')",
		     text);
	if (w[0][0] == '"')
		FAIL("'%s': a node name comes first", text);
	a->src = util_xstrdup(w[0]);
	if (strcmp(w[1], "->") == 0) {
		if (n < 4 || w[2][0] == '"')
			FAIL("'%s': expected 'SRC -> DST reachable|unreachable|via ROUTER...'",
			     text);
		a->dst = util_xstrdup(w[2]);
		if (n == 4 && (!strcmp(w[3], "reachable") || !strcmp(w[3], "unreachable"))) {
			a->kind = TOPO_REACH;
			a->expect_ok = !strcmp(w[3], "reachable");
			return 0;
		}
		if ((strcmp(w[3], "via") != 0 && strcmp(w[3], "avoids") != 0) || n < 5)
			FAIL("'%s': after 'SRC -> DST' comes reachable, unreachable, via ROUTER... or avoids NODE...",
			     text);
		a->kind = TOPO_PATH;
		a->expect_ok = !strcmp(w[3], "via");
		for (int i = 4; i < n; i++) {
			if (w[i][0] == '"')
				FAIL("'%s': a router name was expected", text);
			*(char **)util_grow(&a->via, &a->n_via, sizeof(char *)) =
				util_xstrdup(w[i]);
		}
		return 0;
	}
	if (!strcmp(w[1], "route")) {
		int last = n;

		a->kind = TOPO_ROUTE;
		a->expect_ok = strcmp(w[n - 1], "absent") != 0;
		last -= !a->expect_ok;
		if (last < 3 || last == 4 || topo_prefix_parse(w[2], true, &a->prefix) < 0 ||
		    topo_prefix_has_host_bits(&a->prefix) || (last > 4 && strcmp(w[3], "via")))
			FAIL("'%s': expected 'NODE route PREFIX/LEN [via ADDRESS...] [absent]'",
			     text);
		for (int i = 4; i < last; i++) {
			struct topo_prefix *gw = util_grow(&a->gws, &a->n_gws, sizeof(*gw));

			if (topo_prefix_parse(w[i], false, gw) < 0 ||
			    gw->family != a->prefix.family)
				FAIL("'%s': '%s' is not an address of the route's family", text,
				     w[i]);
		}
		return 0;
	}
	if (!strcmp(w[1], "daemon") || !strcmp(w[1], "interface")) {
		bool daemon = w[1][0] == 'd';

		a->kind = daemon ? TOPO_DAEMON : TOPO_IFACE;
		if (n != 4 || w[2][0] == '"' || strlen(w[2]) >= (daemon ? 16 : TOPO_IFNAMSIZ) ||
		    (strcmp(w[3], daemon ? "running" : "up") &&
		     strcmp(w[3], daemon ? "stopped" : "down")))
			FAIL(daemon ?
				     "'%s': expected 'NODE daemon NAME running|stopped' (NAME as ps shows it, at most 15 characters)" :
				     "'%s': expected 'NODE interface IFACE up|down'",
			     text);
		a->name = util_xstrdup(w[2]);
		a->expect_ok = !strcmp(w[3], daemon ? "running" : "up");
		return 0;
	}
	if (!strcmp(w[1], "tcp") || !strcmp(w[1], "udp")) {
		unsigned long port;

		a->kind = TOPO_PORT;
		a->proto = w[1][0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		if (n != 4 || topo_parse_uint(w[2], 1, 65535, &port) < 0 ||
		    (strcmp(w[3], "open") && strcmp(w[3], "closed")))
			FAIL("'%s': expected 'NODE tcp|udp PORT open|closed' (port 1 to 65535)",
			     text);
		a->port = (unsigned int)port;
		a->expect_ok = !strcmp(w[3], "open");
		return 0;
	}
	if (!strcmp(w[1], "runs")) {
		a->kind = TOPO_RUNS;
		if (n < 4 || w[2][0] != '"' || !w[2][1])
			FAIL("'%s': expected 'NODE runs \"COMMAND\" succeeds|fails|contains \"TEXT\"|matches \"REGEX\"'",
			     text);
		a->cmd = util_xstrdup(w[2] + 1);
		if (n == 4 && (!strcmp(w[3], "succeeds") || !strcmp(w[3], "fails"))) {
			a->expect_ok = !strcmp(w[3], "succeeds");
			return 0;
		}
		a->expect_ok = true;
		a->count = -1;
		if ((strcmp(w[3], "contains") && strcmp(w[3], "matches")) || n < 5 ||
		    w[4][0] != '"' || !w[4][1] || (n != 5 && (n != 7 || strcmp(w[6], "times"))))
			FAIL("'%s': expected 'NODE runs \"COMMAND\" succeeds|fails', or '... contains|matches \"TEXT\" [N times]'",
			     text);
		a->runs_check = w[3][0] == 'c' ? TOPO_RUNS_CONTAINS : TOPO_RUNS_MATCHES;
		a->pattern = util_xstrdup(w[4] + 1);
		if (n == 7) {
			unsigned long cnt;

			if (topo_parse_uint(w[5], 0, 100000, &cnt) < 0)
				FAIL("'%s': '%s times': a count from 0 to 100000 was expected",
				     text, w[5]);
			a->count = (long)cnt;
		}
		if (a->runs_check == TOPO_RUNS_MATCHES) {
			regex_t re;
			int rc = regcomp(&re, a->pattern, REG_EXTENDED | REG_NOSUB);
			char msg[128];

			if (rc != 0) {
				regerror(rc, &re, msg, sizeof(msg));
				FAIL("'%s': '%s' is not an extended regular expression: %s", text,
				     a->pattern, msg);
			}
			regfree(&re);
		}
		return 0;
	}
	FAIL("'%s': unknown assertion (expected '->', route, tcp, udp, runs, daemon or interface after the node)",
	     text);
#undef FAIL
}
