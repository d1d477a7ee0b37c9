/* test_lab.c: the journal loader (lab/state.c), on journals written by hand. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "routing.h"
#include "state.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/netlab-test-journal-XXXXXX";

static int load(const char *text, struct state_journal *j)
{
	struct state st = { .dir = dir, .dir_fd = -1, .journal_fd = -1 };
	_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, STATE_JOURNAL);

	if (text && util_write_file_atomic(path, text, strlen(text), 0644) < 0)
		return -1;
	if (!text)
		unlink(path);
	return state_journal_load(&st, j);
}

int main(void)
{
	struct state_journal j;

	if (!mkdtemp(dir))
		return 1;
	ok(load(NULL, &j) == 0 && j.n_netns == 0 && !j.complete && !j.ns_fs, "no journal: nothing was made");
	state_journal_clear(&j);

	ok(load("ns-fs\nnetns lab-a\nnetns-ino lab-a 4026532000\nnetns lab-b\netc lab-a\ndaemon a 1234\nset l1 delay=10ms\ncomplete\n", &j) == 0,
	   "a complete journal loads");
	ok(j.ns_fs && j.complete, "ns-fs and complete");
	ok(j.n_netns == 2 && !strcmp(j.netns[0].name, "lab-a") && j.netns[0].ino == 4026532000u && j.netns[1].ino == 0,
	   "namespaces, one with its inode, one without (up died before recording it)");
	ok(j.n_etc == 1 && !strcmp(j.etc[0].name, "lab-a") && !j.etc[0].unowned, "an /etc/netns entry");
	ok(j.n_daemons == 1 && !strcmp(j.daemons[0].node, "a") && j.daemons[0].pid == 1234, "a daemon");
	ok(j.n_sets == 1 && !strcmp(j.sets[0], "l1 delay=10ms"), "a set line, kept whole");
	state_journal_clear(&j);

	ok(load("netns lab-x\nnetns-unowned lab-x\netc lab-x\netc-unowned lab-x\n", &j) == 0 && j.n_netns == 1 && j.netns[0].unowned &&
		   j.n_etc == 1 && j.etc[0].unowned,
	   "unowned namespaces and /etc/netns entries are marked, never to be touched");
	state_journal_clear(&j);

	ok(load("netns-ino nowhere 5\nnetns-unowned nowhere\nbogus line\n\nnetns\ndaemon only-node\n", &j) == 0 && j.n_netns == 0 &&
		   j.n_daemons == 0,
	   "lines about unknown namespaces, unknown words and missing fields are ignored");
	state_journal_clear(&j);

	ok(load("netns lab-a\nnetns-ino lab-a 7\nnetns lab-a\nnetns-ino lab-a 9\n", &j) == 0 && j.n_netns == 2 && j.netns[0].ino == 7 &&
		   j.netns[1].ino == 9,
	   "an inode line belongs to the latest entry of that name");
	state_journal_clear(&j);

	ok(load("ns-fs\nnodes-fs\n", &j) == 0 && j.ns_fs && j.nodes_fs && !j.complete, "both tmpfs lines");
	state_journal_clear(&j);

	ok(load("netns lab-a", &j) == 0 && j.n_netns == 1 && !strcmp(j.netns[0].name, "lab-a"), "a last line without newline still counts");
	state_journal_clear(&j);
	{
		_cleanup_free_ char *path = util_xasprintf("%s/%s", dir, STATE_JOURNAL);

		unlink(path);
		rmdir(dir);
	}
	{
		const char *list[ROUTING_FRR_MAX + 1];
		_cleanup_free_ char *daemons = NULL;

		ok(routing_frr_daemons("hostname r1\nrouter ospf6\n ospf6 router-id 1.1.1.1\nrouter ospf\n network 10.0.0.0/8 area 0\n"
					"router bgp 65001\n neighbor 10.0.0.2 remote-as 65002\nrouter ospf\n",
					list) == 3 &&
			   !strcmp(list[0], "ospf6d") && !strcmp(list[1], "ospfd") && !strcmp(list[2], "bgpd") && !list[3],
		   "FRR daemons from a configuration: each once, ospf6 apart from ospf");
		ok(routing_frr_daemons("interface eth0\n ip ospf bfd\n ip rip authentication\n!router ospf\nrouter ripng\n", list) == 1 &&
			   !strcmp(list[0], "ripngd"),
		   "only 'router ...' lines at the start of a line count, ripng is not rip");
		daemons = routing_frr_daemons_file("# comment\nbgpd=no\nospfd=no\nospf6d=no\nvtysh_enable=yes", (const char *[]){ "ospfd", NULL });
		ok(!strcmp(daemons, "# comment\nbgpd=no\nospfd=yes\nospf6d=no\nvtysh_enable=yes\n"), "the daemons file with ospfd switched on");
	}
	return tap_done();
}
