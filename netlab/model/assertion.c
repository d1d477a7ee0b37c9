/* assertion.c: the assertion language of [test] sections ("h1 -> h2 reachable", "r1 route
 * 10.0.2.0/24 via 10.0.12.2", ...; docs/lab-tests.md). Pure. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
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
	free(a->peer);
	free(a->role);
	free(a->url);
	memset(a, 0, sizeof(*a));
}

/* What a `matches` pattern may cost: glibc's regcomp expands each bounded repetition ({N,M}) into
 * copies of what it repeats, so `a{1,32767}` takes 8 GB and 25 s, `((a{1,100}){1,100}){1,100}`
 * 1.2 GB; the estimate below (each atom 1, a repetition multiplying its atom or group by its
 * largest count, an alternation the sum) is refused past REGEX_COST_MAX (about 30 MB to compile).
 */
#define REGEX_COST_MAX 20000

/* Reads a number of at most 6 digits at *q (more count as 100000). */
static unsigned long regex_count(const char **q)
{
	unsigned long v = 0;

	for (; isdigit((unsigned char)**q); (*q)++)
		v = v < 100000 ? v * 10 + (unsigned long)(**q - '0') : 100000;
	return v;
}

/* Reads a repetition at *p ({N}, {N,}, {N,M}, *, +, ?): how many copies of its atom regcomp makes
 * (the largest count; N + 1 for {N,}; 1 for the others and for a '{' that is no repetition). */
static unsigned long regex_repeat(const char **p)
{
	unsigned long lo, hi;
	const char *q = *p + 1;

	if (**p != '{' || !isdigit((unsigned char)*q)) {
		(*p)++;
		return 1;
	}
	hi = lo = regex_count(&q);
	if (*q == ',') {
		q++;
		hi = isdigit((unsigned char)*q) ? regex_count(&q) : lo + 1;
	}
	if (*q != '}') {
		(*p)++;
		return 1;
	}
	*p = q + 1;
	return hi > lo ? hi : lo ? lo : 1;
}

static unsigned long regex_mul(unsigned long a, unsigned long b)
{
	return a && b > ULONG_MAX / 4 / a ? ULONG_MAX / 4 : a * b;
}

/* The estimate of what pattern p costs (see REGEX_COST_MAX), up to the ')' closing its group. */
static unsigned long regex_cost_at(const char **p, int depth)
{
	unsigned long total = 0, branch = 0;

	while (**p && **p != ')') {
		unsigned long atom = 1;

		if (**p == '|') {
			total += branch;
			branch = 0;
			(*p)++;
			continue;
		}
		if (**p == '(' && depth < 1000) {
			(*p)++;
			atom = regex_cost_at(p, depth + 1) + 1;
			if (**p == ')')
				(*p)++;
		} else if (**p == '[') { /* a bracket expression: one atom ("[]a]" holds ']') */
			(*p)++;
			if (**p == '^')
				(*p)++;
			if (**p == ']')
				(*p)++;
			while (**p && **p != ']')
				(*p)++;
			if (**p)
				(*p)++;
		} else if (**p == '\\' && (*p)[1]) {
			*p += 2;
		} else {
			(*p)++;
		}
		while (**p == '{' || **p == '*' || **p == '+' || **p == '?')
			atom = regex_mul(atom, regex_repeat(p));
		branch += atom;
		if (branch > ULONG_MAX / 4)
			branch = ULONG_MAX / 4;
	}
	return total + branch;
}

static unsigned long regex_cost(const char *pattern)
{
	unsigned long cost = 0;

	while (*pattern) { /* a stray ')' ends a group in this reading: go on after it */
		cost += regex_cost_at(&pattern, 0);
		if (*pattern == ')')
			pattern++;
	}
	return cost;
}

static bool regex_has_backref(const char *p)
{
	for (; *p; p++)
		if (*p == '\\' && p[1]) {
			if (p[1] >= '1' && p[1] <= '9')
				return true;
			p++;
		}
	return false;
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
	if (strchr(w[0], ':') && strcmp(w[1], "has"))
		FAIL("'%s': NODE:IFACE goes with 'has' ('r1:eth0 has 10.0.0.1/24')", text);
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
			int rc;
			char msg[128];

			if (regex_has_backref(a->pattern))
				FAIL("'%s': '%s' has a back-reference (\\1 to \\9): not taken, as its matching time has no bound",
				     text, a->pattern);
			if (regex_cost(a->pattern) > REGEX_COST_MAX)
				FAIL("'%s': '%s' stands for more than %d pattern items once its repetitions ({N,M}) are expanded: not taken, as compiling it could take gigabytes",
				     text, a->pattern, REGEX_COST_MAX);
			rc = regcomp(&re, a->pattern, REG_EXTENDED | REG_NOSUB);
			if (rc != 0) {
				regerror(rc, &re, msg, sizeof(msg));
				FAIL("'%s': '%s' is not an extended regular expression: %s", text,
				     a->pattern, msg);
			}
			regfree(&re);
		}
		return 0;
	}
	if (!strcmp(w[1], "has")) {
		char *colon = strchr(w[0], ':');

		a->kind = TOPO_HAS;
		if (!colon || colon == w[0] || !colon[1] || strlen(colon + 1) >= TOPO_IFNAMSIZ ||
		    n > 4 || topo_prefix_parse(w[2], true, &a->addr) < 0 ||
		    (n == 4 && strcmp(w[3], "absent")))
			FAIL("'%s': expected 'NODE:IFACE has ADDRESS/LEN [absent]'", text);
		*strchr(a->src, ':') = '\0';
		a->name = util_xstrdup(colon + 1);
		a->expect_ok = n == 3;
		return 0;
	}
	if (!strcmp(w[1], "ospf")) {
		static const char *const roles[] = { "dr", "bdr", "drother", "ptp" };
		struct topo_prefix id;

		a->kind = TOPO_OSPF;
		if (n < 5 || n > 6 || strcmp(w[2], "neighbor") ||
		    topo_prefix_parse(w[3], false, &id) < 0 || id.family != AF_INET ||
		    (strcmp(w[4], "full") && strcmp(w[4], "absent")) ||
		    (n == 6 && strcmp(w[4], "full")))
			FAIL("'%s': expected 'NODE ospf neighbor ROUTER-ID|ADDRESS full [dr|bdr|drother|ptp]' or '... absent'",
			     text);
		for (size_t i = 0; n == 6 && i < ARRAY_SIZE(roles) && !a->role; i++)
			if (!strcmp(w[5], roles[i]))
				a->role = util_xstrdup(roles[i]);
		if (n == 6 && !a->role)
			FAIL("'%s': '%s' is no OSPF role (dr, bdr, drother, ptp)", text, w[5]);
		a->peer = util_xstrdup(w[3]);
		a->expect_ok = !strcmp(w[4], "full");
		return 0;
	}
	if (!strcmp(w[1], "bgp")) {
		struct topo_prefix peer;

		if (n == 5 && !strcmp(w[2], "neighbor") &&
		    topo_prefix_parse(w[3], false, &peer) == 0 &&
		    (!strcmp(w[4], "established") || !strcmp(w[4], "down"))) {
			a->kind = TOPO_BGP;
			a->peer = util_xstrdup(w[3]);
			a->expect_ok = !strcmp(w[4], "established");
			return 0;
		}
		if (n == 6 && !strcmp(w[2], "advertises") &&
		    topo_prefix_parse(w[3], true, &a->addr) == 0 &&
		    !topo_prefix_has_host_bits(&a->addr) && !strcmp(w[4], "to") &&
		    topo_prefix_parse(w[5], false, &peer) == 0) {
			a->kind = TOPO_BGP_ADV;
			a->peer = util_xstrdup(w[5]);
			a->expect_ok = true;
			return 0;
		}
		FAIL("'%s': expected 'NODE bgp neighbor ADDRESS established|down' or 'NODE bgp advertises PREFIX/LEN to ADDRESS'",
		     text);
	}
	if (!strcmp(w[1], "resolves")) {
		a->kind = TOPO_RESOLVES;
		if ((n != 5 && n != 7) || w[2][0] == '"' || strlen(w[2]) > 253 ||
		    strcmp(w[3], "to") || topo_prefix_parse(w[4], false, &a->addr) < 0 ||
		    (n == 7 &&
		     (strcmp(w[5], "via") || topo_prefix_parse(w[6], false, &a->server) < 0)))
			FAIL("'%s': expected 'NODE resolves NAME to ADDRESS [via SERVER]'", text);
		a->name = util_xstrdup(w[2]);
		a->has_server = n == 7;
		a->expect_ok = true;
		return 0;
	}
	if (!strcmp(w[1], "http")) {
		unsigned long status;

		a->kind = TOPO_HTTP;
		if ((n != 5 && n != 7) || strncmp(w[2], "http://", 7) || !w[2][7] ||
		    strcmp(w[3], "status") || topo_parse_uint(w[4], 100, 599, &status) < 0 ||
		    (n == 7 && (strcmp(w[5], "contains") || w[6][0] != '"' || !w[6][1])))
			FAIL("'%s': expected 'NODE http http://HOST[:PORT]/PATH status CODE [contains \"TEXT\"]'",
			     text);
		a->url = util_xstrdup(w[2]);
		a->status = (unsigned int)status;
		a->pattern = n == 7 ? util_xstrdup(w[6] + 1) : NULL;
		a->expect_ok = true;
		return 0;
	}
	FAIL("'%s': unknown assertion (expected '->', route, tcp, udp, runs, daemon, interface, has, ospf, bgp, resolves or http after the node)",
	     text);
#undef FAIL
}
