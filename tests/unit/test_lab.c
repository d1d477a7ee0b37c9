/* test_lab.c: the journal loader (lab/state.c), on journals written by hand; FRR's daemons
 * (lab/routing.c); a node's health against what its namespace holds (lab/health.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "health.h"
#include "routing.h"
#include "journal.h"
#include "state.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/netlab-test-journal-XXXXXX";

static int load(const char *text, struct journal *j)
{
	struct state st = { .dir = dir, .dir_fd = -1, .journal_fd = -1 };
	_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, STATE_JOURNAL);

	if (text && util_write_file_atomic(path, text, strlen(text), 0644) < 0)
		return -1;
	if (!text)
		unlink(path);
	return journal_load(&st, j);
}

static bool has_problem(const struct health *h, enum health_kind kind, const char *what)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].kind == kind && !strcmp(h->v[i].what, what))
			return true;
	return false;
}

/* A node r1 declaring eth0 10.0.12.1/24 and 2001:db8::1/64, eth1 10.0.13.1/32, a gateway via
 * 10.0.12.2 and a route 10.9.0.0/16 dev eth1; info is what the kernel is said to hold. */
static void check_health(void)
{
	struct topo_addr a0[2] = { 0 }, a1[1] = { 0 };
	struct topo_iface ifs[2] = { { .name = "eth0", .addrs = a0, .n_addrs = 2 },
				     { .name = "eth1", .addrs = a1, .n_addrs = 1 } };
	struct topo_route rts[2] = { { .has_via = true }, { .dev = "eth1" } };
	struct topo_node n = {
		.name = "r1", .ifaces = ifs, .n_ifaces = 2, .routes = rts, .n_routes = 2
	};
	char *addrs0[] = { "10.0.12.1/24", "2001:db8::1/64", "fe80::1/64" },
	     *addrs1[] = { "10.0.13.1" };
	struct net_iface got[3] = {
		{ .name = "lo", .state = "UNKNOWN" },
		{ .name = "eth0", .state = "UP", .addrs = addrs0, .n_addrs = 3 },
		{ .name = "eth1", .state = "UP", .addrs = addrs1, .n_addrs = 1 }
	};
	struct net_nexthop nh0[2] = { { .via = "10.0.12.3", .dev = "eth0" },
				      { .via = "10.0.12.2", .dev = "eth0" } },
			   nh1[1] = { { .dev = "eth1" } }, nh2[1] = { { .dev = "eth0" } };
	struct net_route routes[3] = {
		{ .dst = "default", .family = AF_INET, .nhs = nh0, .n_nhs = 2 },
		{ .dst = "10.9.0.0/16", .family = AF_INET, .nhs = nh1, .n_nhs = 1 },
		{ .dst = "10.0.12.0/24", .family = AF_INET, .nhs = nh2, .n_nhs = 1 }
	};
	struct net_info info = { .ifaces = got, .n_ifaces = 3, .routes = routes, .n_routes = 3 };
	struct health h = { 0 };

	must(topo_prefix_parse("10.0.12.1/24", true, &a0[0].p));
	must(topo_prefix_parse("2001:db8::1/64", true, &a0[1].p));
	must(topo_prefix_parse("10.0.13.1/32", true, &a1[0].p));
	must(topo_prefix_parse("0.0.0.0/0", true, &rts[0].dst));
	must(topo_prefix_parse("10.0.12.2", false, &rts[0].via));
	must(topo_prefix_parse("10.9.0.0/16", true, &rts[1].dst));

	health_net(&n, &info, &h);
	ok(h.n == 0,
	   "health: a node as declared has no problem (a /32 address as the kernel prints it, a link-local address extra, "
	   "the gateway as the second next hop of a multipath route)");
	health_clear(&h);

	snprintf(got[2].state, sizeof(got[2].state), "LOWERLAYERDOWN");
	got[1].n_addrs = 1;
	routes[0].n_nhs = 1;
	snprintf(nh1[0].dev, sizeof(nh1[0].dev), "eth0");
	health_net(&n, &info, &h);
	ok(h.n == 4 && has_problem(&h, HEALTH_INTERFACE, "eth1 is LOWERLAYERDOWN") &&
		   has_problem(&h, HEALTH_ADDRESS, "2001:db8::1/64 missing on eth0") &&
		   has_problem(&h, HEALTH_ROUTE, "default via 10.0.12.2 missing") &&
		   has_problem(&h, HEALTH_ROUTE, "10.9.0.0/16 dev eth1 missing"),
	   "health: an interface down, an address gone, a gateway through another router, a route on another device");
	health_clear(&h);

	info.n_ifaces = 2;
	health_net(&n, &info, &h);
	ok(h.n == 4 && has_problem(&h, HEALTH_INTERFACE, "eth1 is missing"),
	   "health: a missing interface");
	health_clear(&h);
	ok(!strcmp(health_kind_str(HEALTH_DAEMON), "daemon") &&
		   !strcmp(health_kind_str(HEALTH_NAMESPACE), "namespace"),
	   "health kind names");
}

int main(void)
{
	struct journal j;

	if (!mkdtemp(dir))
		return 1;
	ok(load(NULL, &j) == 0 && j.n_netns == 0 && !j.complete && !j.ns_fs,
	   "no journal: nothing was made");
	journal_clear(&j);

	ok(load("ns-fs\nnetns lab-a 4026532000 1795460487 700098701 1056773\nnetns lab-b 4026532001 0 0 77\ndaemon a 1234\n"
		"set l1 delay=10ms\ncomplete\n",
		&j) == 0,
	   "a complete journal loads");
	ok(j.ns_fs && j.complete && j.n_lines == 6 && j.n_bad == 0, "ns-fs and complete");
	ok(j.n_netns == 2 && !strcmp(j.netns[0].name, "lab-a") &&
		   j.netns[0].id.ino == 4026532000u && j.netns[0].id.time.tv_sec == 1795460487 &&
		   j.netns[0].id.time.tv_nsec == 700098701 && j.netns[0].file_ino == 1056773 &&
		   j.netns[1].id.time.tv_sec == 0 && j.netns[1].file_ino == 77,
	   "namespaces with their identity (inode, time) and their pin file's inode");
	ok(j.n_daemons == 1 && !strcmp(j.daemons[0].node, "a") && j.daemons[0].pid == 1234,
	   "a daemon");
	ok(j.n_sets == 1 && !strcmp(j.sets[0], "l1 delay=10ms"), "a set line, kept whole");
	journal_clear(&j);

	ok(load("netns lab-x\nnetns lab-x 4026532000\nnetns lab-x 4026532000 1 2\nnetns-ino lab-x 5\nnetns-unowned lab-x\n"
		"netns lab-x 4026532000 1 2 3 4\nbogus line\n\nnetns\ndaemon only-node\n",
		&j) == 0 &&
		   j.n_netns == 0 && j.n_daemons == 0 && j.n_bad == 9 && j.first_bad == 1 &&
		   j.n_lines == 9,
	   "a namespace without its whole identity, unknown words, missing or extra fields: ignored and counted");
	journal_clear(&j);

	ok(load("netns ../../tmp/x 4026532000 1 2 3\nnetns .hidden 4026532000 1 2 3\netc ../../etc\n"
		"netns lab-a 12abc 1 2 3\nnetns lab-a -5 1 2 3\nnetns lab-a 4026532000 1 1000000000 3\nnetns lab-a 1 1 2 3\n"
		"netns lab-a 4026532000 1 2 0x10\nnetns lab-a 4026532000 +1 2 3\n"
		"daemon a 0\ndaemon a -1\ndaemon a 1\ndaemon ../b 55\ndaemon a 0x10\nnetns ../../proc/1/ns/net 4026532000 1 2 3\n\n"
		"netns lab-b 4026532000 1 2 3\n",
		&j) == 0 &&
		   j.n_netns == 1 && j.n_daemons == 0 && j.n_bad == 15 && j.first_bad == 1,
	   "names, inodes, times and PIDs netlab never writes are ignored and counted (paths, 0, -1, 1, signs, hex, nsec out of range); an empty line is skipped");
	journal_clear(&j);

	ok(load("ns-fs\nnodes-fs\n", &j) == 0 && j.ns_fs && j.nodes_fs && !j.complete,
	   "both tmpfs lines");
	journal_clear(&j);

	ok(load("ns-fs\nnetns lab-a 4026532000 1 2 3", &j) == 0 && j.ns_fs && j.n_netns == 0 &&
		   j.n_bad == 1 && j.first_bad == 2,
	   "a last line without its newline was cut short (a full file system): ignored and counted");
	journal_clear(&j);

	ok(load("set l1 delay=10ms\nset l1 loss=5%\nunset\nset l2 rate=1mbit\n", &j) == 0 &&
		   j.n_sets == 2 && !strcmp(j.sets[0], "l1 delay=10ms") &&
		   !strcmp(j.sets[1], "l2 rate=1mbit") && j.n_bad == 0,
	   "unset takes back the set before it (the kernel refused it)");
	journal_clear(&j);

	ok(load("ns-fs\n", &j) == 0 && j.n_lines == 1 && j.n_netns == 0,
	   "a journal with one line: up had begun");
	journal_clear(&j);

	ok(load("netns lab-a 4026532000 1 2 3\nnetns lab-b 4026532001 1 2 3\ncomplete\nset l1 delay=10ms\napply-begin\n"
		"daemon b 1234\ndaemon a 1235\nnetns lab-c 4026532002 1 2 3\ngone lab-b 4026532001 b\napply-done\nset l2 rate=1mbit\napply-begin\n",
		&j) == 0 &&
		   j.complete && j.applying && j.n_bad == 0,
	   "apply lines load; the last apply-begin without apply-done: an apply is unfinished");
	ok(j.n_netns == 2 && !strcmp(j.netns[0].name, "lab-a") && !strcmp(j.netns[1].name, "lab-c"),
	   "a gone namespace no longer counts");
	ok(j.n_daemons == 1 && !strcmp(j.daemons[0].node, "a") && j.daemons[0].pid == 1235,
	   "nor the daemons of the node that went");
	ok(j.n_sets == 1 && !strcmp(j.sets[0], "l2 rate=1mbit"),
	   "the set lines before an apply-done are no longer in force");
	journal_clear(&j);
	ok(load("netns lab-a 4026532000 1 2 3\ngone lab-a 4026532999 a\ngone ../x 4026532000 a\ngone lab-a 4026532000\ngone lab-a 4026532000 ../a\n"
		"apply-begin\napply-done\n",
		&j) == 0 &&
		   j.n_netns == 1 && j.n_bad == 4 && !j.applying,
	   "a gone line naming no journaled namespace (another inode, a path), or without a node name, is ignored and counted");
	journal_clear(&j);
	{
		_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, STATE_JOURNAL);

		unlink(path);
		rmdir(dir);
	}
	{
		const char *list[ROUTING_FRR_MAX + 1];
		_cleanup_free_ char *daemons = NULL;

		ok(routing_frr_daemons(
			   "hostname r1\nrouter ospf6\n ospf6 router-id 1.1.1.1\nrouter ospf\n network 10.0.0.0/8 area 0\n"
			   "router bgp 65001\n neighbor 10.0.0.2 remote-as 65002\nrouter ospf\n",
			   list) == 3 &&
			   !strcmp(list[0], "ospf6d") && !strcmp(list[1], "ospfd") &&
			   !strcmp(list[2], "bgpd") && !list[3],
		   "FRR daemons from a configuration: each once, ospf6 apart from ospf");
		ok(routing_frr_daemons(
			   "interface eth0\n ip ospf bfd\n ip rip authentication\n!router ospf\nrouter ripng\n",
			   list) == 1 &&
			   !strcmp(list[0], "ripngd"),
		   "only 'router ...' lines at the start of a line count, ripng is not rip");
		daemons = routing_frr_daemons_file(
			"# comment\nbgpd=no\nospfd=no\nospf6d=no\nvtysh_enable=yes\nfrr_global_options=\"-x\"",
			(const char *[]){ "ospfd", NULL });
		ok(!strcmp(daemons,
			   "# comment\nbgpd=no\nospfd=yes\nospf6d=no\nvtysh_enable=yes\n"
			   "# netlab: each daemon logs here (netlab logs LAB NODE shows it)\n"
			   "frr_global_options=\"--log file:/var/log/frr/frr.log\"\n"),
		   "the daemons file with ospfd switched on, logging to the node's /var/log/frr (the machine's global options replaced): %s",
		   daemons);
		{
			_cleanup_free_ char *start = routing_frr_start(
				"bgpd=no\nospfd=yes\nospf6d=yes\nzebra_options=\"  -A 127.0.0.1 -s 9\"\n"
				"ospfd_options='-A 127.0.0.1'\nfrr_global_options=\"--log file:/x.log\"\n");

			ok(!strcmp(start,
				   "install -d -o frr -g frr -m 0750 /var/run/frr"
				   " && /usr/lib/frr/zebra -d --log file:/x.log -F traditional   -A 127.0.0.1 -s 9"
				   " && /usr/lib/frr/ospfd -d --log file:/x.log -F traditional -A 127.0.0.1"
				   " && /usr/lib/frr/ospf6d -d --log file:/x.log -F traditional "
				   " && /usr/lib/frr/staticd -d --log file:/x.log -F traditional "
				   " && /usr/lib/frr/watchfrr -d --log file:/x.log -F traditional zebra ospfd ospf6d staticd"
				   " && { /usr/bin/vtysh -b >/dev/null 2>&1 || true; }"),
			   "FRR's start from a daemons file: zebra, the daemons on in FRR's order, staticd, their options, watchfrr, one vtysh -b: %s",
			   start);
		}
		{
			/* ending in a line shorter than the names looked for (on the heap, where
			 * ASan sees a read past its end) */
			_cleanup_free_ char *text =
				util_xstrdup("ospfd=no\nfrr_profile=datacenter\nx");
			_cleanup_free_ char *start = routing_frr_start(text);

			ok(strstr(start, "/usr/lib/frr/zebra -d  -F datacenter ") &&
				   !strstr(start, "ospfd") &&
				   strstr(start, "watchfrr -d  -F datacenter zebra staticd &&"),
			   "a daemon switched off is not started; frr_profile is taken: %s", start);
		}
	}
	check_health();
	return tap_done();
}
