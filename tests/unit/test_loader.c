/* test_loader.c: the loader and validator against tests/data/{good,bad} and topologies/.
 * Each bad file starts with "; expect: LINE: TEXT": some problem must be reported as
 * "FILE:LINE: ..." containing TEXT (LINE 0: "FILE: ..."). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "assertion.h"
#include "tap.h"
#include "strbuf.h"
#include "topo.h"
#include "topo_ini.h"
#include "util.h"

static struct topo *load(const char *path)
{
	struct topo *t = NULL;

	if (topo_load(path, &t) < 0)
		return NULL;
	topo_check(t);
	return t;
}

static void check_bad(const char *path)
{
	_cleanup_free_ char *text = NULL, *want = NULL;
	_cleanup_topo_ struct topo *t = NULL;
	char *nl, *colon;
	bool found = false;
	int line;

	if (util_read_file(path, &text, NULL) < 0 || strncmp(text, "; expect: ", 10) != 0) {
		ok(0, "%s: starts with '; expect: LINE: TEXT'", path);
		return;
	}
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	line = atoi(text + 10);
	colon = strchr(text + 10, ':');
	want = line ? util_xasprintf("%s:%d: ", path, line) : util_xasprintf("%s: ", path);
	t = load(path);
	for (size_t i = 0; t && colon && i < t->diag.n; i++)
		found |= strncmp(t->diag.msgs[i], want, strlen(want)) == 0 &&
			 strstr(t->diag.msgs[i], colon + 2);
	if (!ok(found, "%s: reports '%s...%s'", path, want, colon ? colon + 2 : "?"))
		for (size_t i = 0; t && i < t->diag.n; i++)
			printf("#   got: %s\n", t->diag.msgs[i]);
}

static void check_good(const char *path)
{
	_cleanup_topo_ struct topo *t = load(path);

	if (!ok(t && t->diag.n == 0, "%s: loads and validates cleanly", path))
		for (size_t i = 0; t && i < t->diag.n; i++)
			printf("#   got: %s\n", t->diag.msgs[i]);
}

static void each_file(const char *dir, void (*fn)(const char *))
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	ok(n > 2, "%s has files", dir);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (len > 4 && strcmp(names[i]->d_name + len - 4, ".ini") == 0) {
			_cleanup_free_ char *p = util_xasprintf("%s/%s", dir, names[i]->d_name);

			fn(p);
		}
		free(names[i]);
	}
	free(names);
}

/* [defaults]: a node's own key wins, [defaults KIND] before [defaults], switches take none. */
static void check_defaults(void)
{
	_cleanup_topo_ struct topo *t = load(TEST_DATA "/good/defaults.ini");
	struct topo_node *r1 = topo_node_find(t, "r1"), *r2 = topo_node_find(t, "r2"),
			 *h1 = topo_node_find(t, "h1"), *s1 = topo_node_find(t, "s1");

	ok(t->diag.n == 0 && r1 && r2 && h1 && s1, "defaults.ini loads");
	ok(r1->frr && !strcmp(r1->frr, "defaults.ini") && r1->n_daemons == 1 &&
		   !strcmp(r1->daemons[0].text, "sleep 2000") && r1->n_sysctls == 1,
	   "a router takes [defaults router] first, then [defaults]");
	ok(!strcmp(r2->frr, "minimal.ini") && r2->n_daemons == 2 &&
		   !strcmp(r2->daemons[0].text, "sleep 2000") &&
		   !strcmp(r2->daemons[1].text, "sleep 3000"),
	   "a node's own key replaces the default of that name only");
	ok(!h1->frr && h1->n_daemons == 1 && !strcmp(h1->daemons[0].text, "sleep 4000") &&
		   h1->n_sysctls == 1,
	   "a host takes [defaults] only");
	ok(!s1->frr && s1->n_daemons == 0 && s1->n_sysctls == 0, "a switch takes no defaults");
}

/* The model of good/features.ini, field by field. */
static void check_features(void)
{
	_cleanup_topo_ struct topo *t = load(TEST_DATA "/good/features.ini");
	struct topo_node *a, *b;
	struct topo_link *l;
	char buf[64];

	if (!ok(t && t->diag.n == 0, "features.ini loads"))
		return;
	ok(strcmp(t->name, "Feat.lab_1") == 0,
	   "lab name keeps its case (values are not lowercased)");
	ok(strcmp(t->prefix, "ft-") == 0, "netns-prefix read");
	ok(strcmp(t->description, "a; quoted # value") == 0, "quoted value keeps ';' and '#'");
	a = topo_node_find(t, "a");
	b = topo_node_find(t, "b");
	ok(a && b && topo_node_find(t, "c") && t->n_nodes == 3,
	   "three nodes, '[node   b]' read as b");
	if (!a || !b)
		return;
	ok(a->kind == TOPO_ROUTER && b->kind == TOPO_HOST, "kinds");
	ok(strcmp(a->hostname, "Router-A.example") == 0 && strcmp(b->hostname, "b") == 0,
	   "hostname, and its default");
	ok(strcmp(a->netns, "ft-a") == 0, "namespace name is prefix + node");
	ok(a->n_ifaces == 2 && a->ifaces[0].n_addrs == 2,
	   "a has two interfaces; eth0 two addresses (inline comment dropped)");
	ok(strcmp(topo_prefix_str(&a->ifaces[0].addrs[1].p, true, buf, sizeof(buf)),
		  "2001:db8::1/64") == 0,
	   "IPv6 address read");
	ok(a->n_routes == 4 && a->routes[2].dev[0] && !a->routes[2].has_via &&
		   a->routes[3].has_via && strcmp(a->routes[3].dev, "eth1") == 0,
	   "routes: via, dev, via+dev");
	ok(b->n_routes == 2 && b->routes[0].dst.len == 0 && b->routes[0].dst.family == AF_INET &&
		   b->routes[1].dst.family == AF_INET6,
	   "gateway becomes a default route; ::/0 too");
	ok(a->n_sysctls == 1 && strcmp(a->sysctls[0].key, "net.ipv4.conf.all.rp_filter") == 0 &&
		   strcmp(a->sysctls[0].value, "0") == 0,
	   "sysctl key and value");
	l = topo_link_find(t, "a-b");
	ok(l && l->mtu == 9000 && l->ends[0].has_mac && l->ends[1].mac[5] == 0x0b,
	   "link mtu and per-end MAC");
	l = topo_link_find(t, "a-c");
	ok(l && strcmp(l->ends[1].ifname, "eth0") == 0 && strcmp(l->ends[1].node_name, "c") == 0,
	   "endpoints separated by a comma");
}

/* One run reports every problem, not just the first. */
static void check_many_errors(void)
{
	const char *path = "/tmp/netlab-test-many.ini";
	FILE *f = fopen(path, "w");
	_cleanup_topo_ struct topo *t = NULL;

	if (!f) {
		ok(0, "cannot write %s", path);
		return;
	}
	fputs("[lab]\nname = x\n[node a]\nkind = blah\neth0 = 1.2.3/24\n[node b]\nhostname = -\n[link l]\nendpoints = a:eth0 b:eth0\nmtu = 1\n",
	      f);
	fclose(f);
	t = load(path);
	ok(t && t->diag.n == 4, "four problems in one file give four messages (got %zu)",
	   t ? t->diag.n : 0);
	unlink(path);
}

/* A key of a section set, replaced, removed and read in a topology's text (netlab save). */
static void check_text_set(void)
{
	const char *text = "; c\n[lab]\nname = a\n[node h1]\neth0 = 10.0.0.1/24\nfiles = x\n";
	_cleanup_free_ char *added = topo_text_set(text, "node", "h1", "frr", "r.conf"),
			    *replaced = topo_text_set(text, "node", "h1", "files", "h1"),
			    *removed = topo_text_set(text, "node", "h1", "files", NULL),
			    *section = topo_text_set(text, "link", "l", "delay", "5ms"),
			    *quoted = topo_text_set(text, "lab", "", "name", "a;b"),
			    *got = topo_text_get(replaced, "node", "h1", "files"),
			    *none = topo_text_get(text, "node", "h1", "frr");

	ok(!strcmp(added,
		   "; c\n[lab]\nname = a\n[node h1]\nfrr = r.conf\neth0 = 10.0.0.1/24\nfiles = x\n"),
	   "text_set adds a key after its section's head");
	ok(!strcmp(replaced, "; c\n[lab]\nname = a\n[node h1]\neth0 = 10.0.0.1/24\nfiles = h1\n"),
	   "text_set replaces a key's line");
	ok(!strcmp(removed, "; c\n[lab]\nname = a\n[node h1]\neth0 = 10.0.0.1/24\n"),
	   "text_set NULL removes the key");
	ok(strstr(section, "\n[link l]\ndelay = 5ms\n") != NULL, "text_set adds a missing section");
	ok(strstr(quoted, "name = \"a;b\"\n") != NULL,
	   "text_set quotes a value iniparser would cut");
	ok(got && !strcmp(got, "h1") && !none, "text_get reads a key, NULL for none");
}

/* within, needs, [defaults test]; a lab's text without its tests; a file of tests for a lab. */
static void check_tests(void)
{
	_cleanup_topo_ struct topo *t = load(TEST_DATA "/good/tests-within.ini");
	_cleanup_topo_ struct topo *two = load(TEST_DATA "/good/two-hosts.ini");
	_cleanup_free_ char *text = NULL, *bare = NULL;
	char path[] = "/tmp/netlab-test-tests-XXXXXX";
	int fd;

	ok(t && t->diag.n == 0 && t->n_tests == 3, "tests-within.ini loads");
	ok(topo_test_within(t, 0, false) == 500 && topo_test_within(t, 1, false) == 20000 &&
		   topo_test_within(t, 2, false) == 0 && topo_test_within(t, 2, true) == 0,
	   "within: a section's own, else [defaults test]'s (0 is a value)");
	ok(t->tests[1].n_needs == 1 && t->tests[1].needs[0] == 0 && t->tests[2].n_needs == 2 &&
		   t->tests[2].needs[1] == 1,
	   "needs: earlier sections");
	ok(two && two->n_tests == 0, "two-hosts.ini has no tests");
	must(util_read_file(TEST_DATA "/good/tests-within.ini", &text, NULL));
	bare = topo_text_without_tests(text);
	ok(!strstr(bare, "[test") && !strstr(bare, "[defaults test]") && !strstr(bare, "within") &&
		   strstr(bare, "[link l]\nendpoints = h1:eth0 h2:eth0\n"),
	   "the text without [test] and [defaults test] sections keeps the rest");
	fd = mkstemp(path);
	ok(fd >= 0 &&
		   write(fd,
			 "[test x]\nexpect = h1 -> h2 reachable\n[node h9]\n[test y]\nexpect = h1 -> h9 reachable\n",
			 84) == 84,
	   "a file of tests written");
	close(fd);
	{
		_cleanup_topo_ struct topo *tests = NULL;
		_cleanup_free_ char *want_node =
			util_xasprintf("%s:3: [node h9] does not belong", path);
		_cleanup_free_ char *want_h9 = util_xasprintf(
			"%s:5: [test y] 'h1 -> h9 reachable': '%s' is neither", path, "h9");
		bool node = false, h9 = false;

		ok(topo_load_tests(path, t, &tests) == 0 && tests->n_tests == 2,
		   "topo_load_tests reads the [test] sections");
		for (size_t i = 0; i < tests->diag.n; i++) {
			node |= !strncmp(tests->diag.msgs[i], want_node, strlen(want_node));
			h9 |= !strncmp(tests->diag.msgs[i], want_h9, strlen(want_h9));
		}
		ok(node && h9 && tests->diag.n == 2,
		   "... refuses other sections and nodes the lab lacks, as TESTFILE:LINE (%zu problems)",
		   tests->diag.n);
	}
	unlink(path);
}

/* A LAN's members written as ranges are the members they stand for, in order. */
static void check_ranges(void)
{
	_cleanup_topo_ struct topo *t = load(TEST_DATA "/good/lan-ranges.ini");
	static const char *const want[] = { "h1", "h2", "h3", "r08", "r09", "r10" };
	bool same = t && t->n_links == 6;

	for (size_t i = 0; same && i < 6; i++)
		same = strcmp(t->links[i].ends[0].node_name, want[i]) == 0 &&
		       strcmp(t->links[i].ends[1].ifname,
			      (char[8]){ 'p', 'o', 'r', 't', (char)('1' + i), 0 }) == 0;
	ok(same, "h[1-3]:eth0, r[08-10]:eth1 stand for h1 h2 h3 r08 r09 r10 on ports 1 to 6");
}

/* A file of more sections than iniparser is given at once (INI_SLICE, 256) loads whole. */
static void check_slices(void)
{
	struct strbuf sb = { 0 };
	_cleanup_topo_ struct topo *t = NULL;
	char path[] = "/tmp/netlab-test-XXXXXX";
	int fd = mkstemp(path);

	strbuf_addf(&sb, "[lab]\nname = big\n");
	for (int i = 1; i <= 700; i++)
		strbuf_addf(&sb, "[node h%d]\nkind = host\n", i);
	for (int i = 2; i <= 700; i++)
		strbuf_addf(&sb, "[link l%d]\nendpoints = h%d:eth0 h%d:eth%d\n", i, i, 1, i);
	if (fd >= 0 && util_write_all(fd, strbuf_str(&sb), strlen(strbuf_str(&sb))) == 0)
		t = load(path);
	ok(t && t->diag.n == 0 && t->n_nodes == 700 && t->n_links == 699,
	   "a file of 1,400 sections (read by iniparser in slices) loads whole");
	for (size_t i = 0; t && i < t->diag.n && i < 3; i++)
		printf("#   got: %s\n", t->diag.msgs[i]);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	strbuf_release(&sb);
}

int main(void)
{
	check_ranges();
	check_slices();
	check_defaults();
	check_tests();
	check_text_set();
	each_file(TEST_DATA "/bad", check_bad);
	each_file(TEST_DATA "/good", check_good);
	each_file(TEST_DATA "/../../topologies", check_good);
	check_features();
	check_many_errors();
	ok(load(TEST_DATA "/does-not-exist.ini") == NULL,
	   "a missing file is an error, not an empty lab");
	return tap_done();
}
