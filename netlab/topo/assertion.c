/* assertion.c: the assertion language of [test] sections ("h1 -> h2 reachable", "r1 route
 * 10.0.2.0/24 via 10.0.12.2", ...; docs/lab-tests.md). Pure. */
#include <errno.h>
#include <netinet/in.h>
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
	memset(a, 0, sizeof(*a));
}

/* Splits text into words; a word in double quotes may hold spaces. Returns the count or -1. */
static int assert_words(char *text, char **w, int max)
{
	int n = 0;

	for (char *p = text; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == max)
			return -1;
		if (*p == '"') {
			char *end = strchr(p + 1, '"');

			if (!end)
				return -1;
			*end = '\0';
			w[n++] = p; /* keeps the quote as a marker */
			p = end + 1;
			continue;
		}
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

int topo_assert_parse(const char *text, struct topo_assert *a, struct topo_diag *why)
{
	_cleanup_free_ char *copy = util_xstrdup(text);
	char *w[40];
	int n = assert_words(copy, w, 40);

	memset(a, 0, sizeof(*a));
	a->text = util_xstrdup(text);
#define FAIL(...)                                       \
	do {                                            \
		topo_diag_add(why, __VA_ARGS__);        \
		topo_assert_clear(a);                   \
		return -EINVAL;                         \
	} while (0)
	if (n < 3)
		FAIL("'%s' is not an assertion (e.g. 'h1 -> h2 reachable', 'h2 tcp 80 open')", text);
	if (w[0][0] == '"')
		FAIL("'%s': a node name comes first", text);
	a->src = util_xstrdup(w[0]);
	if (strcmp(w[1], "->") == 0) {
		if (n < 4 || w[2][0] == '"')
			FAIL("'%s': expected 'SRC -> DST reachable|unreachable|via ROUTER...'", text);
		a->dst = util_xstrdup(w[2]);
		if (n == 4 && (!strcmp(w[3], "reachable") || !strcmp(w[3], "unreachable"))) {
			a->kind = TOPO_REACH;
			a->expect_ok = !strcmp(w[3], "reachable");
			return 0;
		}
		if (strcmp(w[3], "via") != 0 || n < 5)
			FAIL("'%s': after 'SRC -> DST' comes reachable, unreachable or via ROUTER...", text);
		a->kind = TOPO_PATH;
		a->expect_ok = true;
		for (int i = 4; i < n; i++) {
			if (w[i][0] == '"')
				FAIL("'%s': a router name was expected", text);
			*(char **)util_grow(&a->via, &a->n_via, sizeof(char *)) = util_xstrdup(w[i]);
		}
		return 0;
	}
	if (!strcmp(w[1], "route")) {
		a->kind = TOPO_ROUTE;
		a->expect_ok = true;
		if ((n != 3 && n != 5) || topo_prefix_parse(w[2], true, &a->prefix) < 0 || topo_prefix_has_host_bits(&a->prefix))
			FAIL("'%s': expected 'NODE route PREFIX/LEN [via ADDRESS]'", text);
		if (n == 5) {
			if (strcmp(w[3], "via") || topo_prefix_parse(w[4], false, &a->gw) < 0 || a->gw.family != a->prefix.family)
				FAIL("'%s': expected 'NODE route PREFIX/LEN via ADDRESS' (same family)", text);
			a->has_gw = true;
		}
		return 0;
	}
	if (!strcmp(w[1], "tcp") || !strcmp(w[1], "udp")) {
		unsigned long port;

		a->kind = TOPO_PORT;
		a->proto = w[1][0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		if (n != 4 || topo_parse_uint(w[2], 1, 65535, &port) < 0 || (strcmp(w[3], "open") && strcmp(w[3], "closed")))
			FAIL("'%s': expected 'NODE tcp|udp PORT open|closed' (port 1 to 65535)", text);
		a->port = (unsigned int)port;
		a->expect_ok = !strcmp(w[3], "open");
		return 0;
	}
	if (!strcmp(w[1], "runs")) {
		a->kind = TOPO_RUNS;
		if (n != 4 || w[2][0] != '"' || !w[2][1] || (strcmp(w[3], "succeeds") && strcmp(w[3], "fails")))
			FAIL("'%s': expected 'NODE runs \"COMMAND\" succeeds|fails'", text);
		a->cmd = util_xstrdup(w[2] + 1);
		a->expect_ok = !strcmp(w[3], "succeeds");
		return 0;
	}
	FAIL("'%s': unknown assertion (expected '->', route, tcp, udp or runs after the node)", text);
#undef FAIL
}

