/* test_kathara.c: format/kathara.c, `netlab import kathara`: lab.conf, the startup files' commands
 * made keys (and those that stay in the script), Quagga's configurations joined for FRR, the notes,
 * and that the topology written loads without a problem. */
#include <string.h>

#include "kathara.h"
#include "load.h"
#include "tap.h"
#include "util.h"

static const char conf[] = "LAB_DESCRIPTION=\"two routers; one host\"\n"
			   "LAB_AUTHOR=someone\n"
			   "# a comment\n"
			   "r1[0]=\"A\"\n"
			   "r1[1]=B/02:00:00:00:00:01\n"
			   "r1[image]=\"kathara/frr\"\n"
			   "r1[sysctl]=\"net.ipv4.conf.all.rp_filter=2\"\n"
			   "R2[0]=\"B\"\n"
			   "R2[1]=\"C\"\n"
			   "R2[2]=\"D\"\n"
			   "R2[image]=\"kathara/quagga\"\n"
			   "R2[sysctl]=\"kernel.panic=1\"\n"
			   "pc1[0]=\"A\"\n"
			   "pc1[0]=\"C\"\n"
			   "pc1[bridged]=true\n"
			   "pc1[mem]=256m\n"
			   "pc1[image]=\"kathara/p4\"\n"
			   "pc2[0]=\"A\"\n"
			   "nonsense line\n"
			   "pc2[mem]=\"300k\"\n"
			   "R2[cpus]=\"1.5\"\n";

static const char r1_startup[] = "ip address add 10.0.0.1/24 dev eth0\n"
				 "ip addr add 10.0.1.1/30 dev eth1\n"
				 "ip link set eth0 up\n"
				 "ip route add 192.168.0.0/16 via 10.0.1.2 dev eth1\n"
				 "ip route add 172.16.0.0/12 via 10.9.9.9\n" /* not on a subnet of
										r1: stays */
				 "echo hello > /tmp/x\n" /* a redirection: stays */
				 "systemctl start frr\n";

static const char r2_startup[] =
	"ifconfig eth0 10.0.1.2 netmask 255.255.255.252 up\n"
	"ifconfig eth1 10.1.0.1 up\n" /* class A: /8 */
	"ifconfig eth2 2001:db8::1/64 up\n" /* IPv6: ifconfig's inet6 add syntax differs; stays */
	"route add default gw 10.0.1.1\n"
	"route add -net 172.20.0.0 netmask 255.255.0.0 gw 10.0.1.1 dev eth0\n"
	"/etc/init.d/zebra start\n";

static const char pc1_startup[] = "ip a add 10.0.0.10/24 dev eth0\n"
				  "ip -6 address add 2001:db8:1::10/64 dev eth0\n"
				  "ip route add default via 10.0.0.1\n"
				  "ip -6 route add default via fe80::1 dev eth0\n"
				  "systemctl start apache2\n";

/* pc2's address is on no subnet of the other members of A: a key netlab would refuse */
static const char pc2_startup[] = "ip address add 10.5.0.10/16 dev eth0\n";

static struct kathara_lab lab;
static struct strbuf out;

static bool has(const char *text, const char *what)
{
	return text && strstr(text, what);
}

static bool noted(const char *what)
{
	for (size_t i = 0; i < lab.notes.n; i++)
		if (strstr(lab.notes.msgs[i], what))
			return true;
	return false;
}

static struct kathara_device *dev(const char *name)
{
	for (size_t i = 0; i < lab.n_devs; i++)
		if (strcmp(lab.devs[i].name, name) == 0)
			return &lab.devs[i];
	return NULL;
}

static void add_conf(struct kathara_device *d, const char *dir, const char *name, const char *text)
{
	struct kathara_conf *c = util_grow(&d->confs, &d->n_confs, sizeof(*c));

	c->dir = util_xstrdup(dir);
	c->name = util_xstrdup(name);
	c->text = util_xstrdup(text);
}

static void test_conf(void)
{
	kathara_parse_conf(conf, &lab);
	ok(lab.n_devs == 4, "four devices (%zu)", lab.n_devs);
	ok(dev("R2") && strcmp(dev("R2")->node, "r2") == 0, "device R2 is node r2");
	ok(dev("r1") && dev("r1")->n_ifaces == 2 && dev("r1")->ifaces[1].mac &&
		   strcmp(dev("r1")->ifaces[1].mac, "02:00:00:00:00:01") == 0,
	   "r1[1]=B/MAC: domain and MAC");
	ok(dev("pc1") && dev("pc1")->n_ifaces == 1 &&
		   strcmp(dev("pc1")->ifaces[0].domain, "A") == 0,
	   "pc1[0] given twice: the first is kept");
	ok(noted("lab.conf:14: pc1[0] given again (line 13)"), "... and said");
	ok(noted("pc1[bridged]") && noted("lab.conf:19: not converted"),
	   "bridged and a line not Kathara's are noted");
	ok(!noted("pc1[mem]") && dev("pc1")->memory && strcmp(dev("pc1")->memory, "256m") == 0 &&
		   dev("R2")->cpus && strcmp(dev("R2")->cpus, "1.5") == 0,
	   "mem and cpus are taken");
	ok(noted("lab.conf:20: pc2[mem]=\"300k\" not converted: netlab's memory takes MiB or GiB") &&
		   !dev("pc2")->memory,
	   "a mem netlab's memory cannot take is noted");
	ok(noted("R2[sysctl]=\"kernel.panic=1\""), "a sysctl outside net. is noted");
	ok(lab.description && strcmp(lab.description, "two routers; one host") == 0,
	   "LAB_DESCRIPTION");
}

static void test_convert(void)
{
	char aux[] = "/tmp/netlab-test-XXXXXX";
	_cleanup_free_ char *aux_dir = util_xasprintf("%s/", mkdtemp(aux));
	struct kathara_paths paths = { .lab_dir = TEST_DATA "/kathara/unit/", .aux_dir = aux_dir };
	_cleanup_topo_ struct topo *t = NULL;
	const char *o;

	dev("r1")->startup = util_xstrdup(r1_startup);
	dev("r1")->has_dir = true;
	add_conf(dev("r1"), "frr", "frr.conf", "router ospf\n network 10.0.0.0/8 area 0\n");
	dev("R2")->startup = util_xstrdup(r2_startup);
	dev("R2")->has_dir = true;
	add_conf(dev("R2"), "zebra", "daemons", "zebra=yes\nbgpd=yes\nripd=no\n");
	add_conf(
		dev("R2"), "zebra", "bgpd.conf",
		"hostname bgpd\nrouter bgp 2\n neighbor 10.0.1.1 remote-as 1\nlog file /var/log/zebra/bgpd.log\n");
	add_conf(dev("R2"), "zebra", "ripd.conf", "router rip\n");
	add_conf(dev("R2"), "zebra", "zebra.conf", "hostname zebra\n");
	dev("pc1")->startup = util_xstrdup(pc1_startup);
	dev("pc2")->startup = util_xstrdup(pc2_startup);
	dev("pc2")->has_dir = true;
	dev("pc2")->dir_problem = util_xstrdup("it holds the plain file 'x' at its top");
	kathara_convert(&lab, "imported", NULL, &paths, &out);
	o = strbuf_str(&out);

	/* from here on, paths start with the lab's and aux directories */
	o = strstr(o, "[node r1]");
	ok(has(o, "[node r1]\nkind = router\nimage = frr\nfiles = " TEST_DATA
		  "/kathara/unit/r1\nstartup = /tmp/") &&
		   has(o,
		       "/r1.startup\nfrr = " TEST_DATA "/kathara/unit/r1/etc/frr/frr.conf\n"
		       "eth0 = 10.0.0.1/24\neth1 = 10.0.1.1/30\nroutes = 192.168.0.0/16 via 10.0.1.2 dev eth1\nsysctl.net.ipv4.conf.all.rp_filter = 2\n"),
	   "r1: addresses, a route, FRR's own frr.conf, its files, its sysctl");
	ok(has(dev("r1")->script,
	       "# netlab: a key of [node r1] now: ip address add 10.0.0.1/24 dev eth0\n") &&
		   has(dev("r1")->script, "# netlab: up brings it up: ip link set eth0 up\n") &&
		   has(dev("r1")->script, "\nip route add 172.16.0.0/12 via 10.9.9.9\n") &&
		   has(dev("r1")->script, "\necho hello > /tmp/x\n") &&
		   has(dev("r1")->script,
		       "# netlab: FRR starts after this script (the frr key): systemctl start frr\n"),
	   "r1's script: converted lines as comments, the rest as it was");
	ok(noted("r1.startup:5,6: not made keys"), "the lines that stay are noted");
	ok(has(o,
	       "[node r2]\n; Kathara device R2\nkind = router\nimage = frr\ncpus = 1.5\nfiles = " TEST_DATA
	       "/kathara/unit/R2\nstartup = /tmp/") &&
		   has(o,
		       "/r2.frr.conf\n"
		       "eth0 = 10.0.1.2/30\neth1 = 10.1.0.1/8\ngateway = 10.0.1.1\nroutes = 172.20.0.0/16 via 10.0.1.1 dev eth0\n"),
	   "R2: ifconfig (netmask, class A), route add default gw, route add -net netmask gw dev");
	ok(has(dev("R2")->frr_conf,
	       "! ---- zebra.conf\nhostname zebra\n! ---- bgpd.conf\nhostname bgpd\nrouter bgp 2\n no bgp ebgp-requires-policy\n no bgp network import-check\n"
	       " neighbor 10.0.1.1 remote-as 1\n") &&
		   !has(dev("R2")->frr_conf, "log file") && !has(dev("R2")->frr_conf, "router rip"),
	   "Quagga (zebra) configurations joined for FRR: bgp as Quagga's, no log file, ripd off in daemons");
	ok(noted("R2/etc/zebra/ripd.conf not converted: its daemons file does not start ripd") &&
		   noted("R2/etc/zebra: 1 'log file' line"),
	   "the daemon left off and the log file line are noted");
	ok(has(o,
	       "/pc1.startup\neth0 = 10.0.0.10/24, 2001:db8:1::10/64\ngateway = 10.0.0.1\nroutes = default via fe80::1 dev eth0\n"),
	   "pc1: ip a add, ip -6 address add, a default route, a link-local next hop with its device");
	ok(has(dev("pc1")->script,
	       "# netlab: no systemd in a node: systemctl start apache2\nservice apache2 start\n"),
	   "systemctl start X becomes service X start");
	ok(noted("lab.conf: pc1[image]=\"kathara/p4\" not converted: netlab has no image like it; the device gets base"),
	   "an image netlab has none like is noted, and the device gets base");
	ok(has(o, "[node pc2]\nimage = base\n"),
	   "a device lab.conf names no image of gets base, Kathara's default (kathara/base)");
	ok(has(o, "/pc2.startup\n\n") &&
		   has(dev("pc2")->script, "\nip address add 10.5.0.10/16 dev eth0\n") &&
		   noted("pc2.startup:1: 10.5.0.10/16 on eth0 stays in the startup script"),
	   "an address with no peer on its subnet stays in the script, said");
	ok(noted("pc2/ not converted: it holds the plain file"),
	   "a device directory that cannot be files is noted, not used");
	ok(has(o, "; collision domain A\n[lan a]\nendpoints = r1:eth0 pc1:eth0 pc2:eth0\n"),
	   "domain A (three devices): a LAN named a");
	ok(has(o,
	       "; collision domain B\n[link b]\nendpoints = r1:eth1 r2:eth0\nmac.r1 = 02:00:00:00:00:01\n"),
	   "domain B (two): a link with r1's MAC");
	ok(has(o, "[lan c]\nendpoints = r2:eth1\n") && has(o, "[lan d]\nendpoints = r2:eth2\n"),
	   "a domain of one device: a one-member LAN");
	ok(has(strbuf_str(&out), "\n[lab]\nname = imported\ndescription = two routers, one host\n"),
	   "[lab]: name, description without ';'");
	ok(has(strbuf_str(&out), "[defaults]\nsysctl.net.ipv4.ip_forward = 1\n"),
	   "Kathara's forwarding default in [defaults]");
	ok(has(strbuf_str(&out), ";   lab.conf:15: pc1[bridged]"),
	   "the notes head the file as comments");

	/* what import writes beside the topology, for the loader to find */
	for (size_t i = 0; i < lab.n_devs; i++) {
		_cleanup_free_ char *s = util_xasprintf("%s%s.startup", aux_dir, lab.devs[i].node),
				    *f = util_xasprintf("%s%s.frr.conf", aux_dir, lab.devs[i].node);

		if (lab.devs[i].script)
			must(util_write_file_atomic(s, lab.devs[i].script,
						    strlen(lab.devs[i].script), 0644));
		if (lab.devs[i].frr_conf)
			must(util_write_file_atomic(f, lab.devs[i].frr_conf,
						    strlen(lab.devs[i].frr_conf), 0644));
	}
	t = test_load_text(strbuf_str(&out));
	ok(t && t->diag.n == 0 && topo_check(t) == 0, "the topology loads and checks clean (%s)",
	   t && t->diag.n ? t->diag.msgs[0] : "");
	for (size_t i = 0; i < lab.n_devs; i++) {
		_cleanup_free_ char *s = util_xasprintf("%s%s.startup", aux_dir, lab.devs[i].node),
				    *f = util_xasprintf("%s%s.frr.conf", aux_dir, lab.devs[i].node);

		unlink(s);
		unlink(f);
	}
	rmdir(aux);
}

static void test_names(void)
{
	_cleanup_free_ char *a = kathara_lab_name("kathara-lab_ospf"),
			    *b = kathara_lab_name("my lab!"), *c = kathara_lab_name("..x");

	ok(strcmp(a, "kathara-lab_ospf") == 0, "a valid directory name is the lab's name");
	ok(strcmp(b, "my-lab-") == 0, "other characters become '-' (%s)", b);
	ok(topo_lab_name_valid(c, 64), "a name is always valid (%s)", c);
}

/* shared.startup read like a device's, etc/network/interfaces as ifup would run it, commands
 * with their paths, Debian 12's service names, addresses netlab takes no key of (issue 28) */
static void test_gaps(void)
{
	struct kathara_lab k = { 0 };
	_cleanup_strbuf_ struct strbuf o = { 0 };
	const struct kathara_paths paths = { .lab_dir = "", .aux_dir = "netlab.d/" };
	bool found = false;

	kathara_parse_conf("r1[0]=A\nr1[1]=B\npc1[0]=A\ndns[0]=B\n", &k);
	k.shared_startup =
		util_xstrdup("systemctl start apache2\nip route add default via 10.1.0.1\n");
	k.devs[0].startup = util_xstrdup("/sbin/ifconfig eth0 10.1.0.1 netmask 255.255.255.0 up\n"
					 "/usr/sbin/ifconfig eth1 10.2.0.1/24 up\n");
	k.devs[1].interfaces =
		util_xstrdup("auto eth0\niface eth0 inet static\n"
			     "    address 10.1.0.10\n    netmask 255.255.255.0\n"
			     "    gateway 10.1.0.1\n    up echo from-ifup\n"
			     "up route add -net 13.0.0.0 netmask 255.255.255.0 gw 10.1.0.1\n"
			     "iface eth1 inet dhcp\n");
	k.devs[1].startup = util_xstrdup("/etc/init.d/networking restart\n");
	k.devs[2].startup =
		util_xstrdup("ip addr add 10.2.0.53/24 dev eth0\n/etc/init.d/bind start\n"
			     "ip addr add 230.0.0.1/24 dev eth0\n");
	kathara_convert(&k, "gaps", NULL, &paths, &o);
	ok(has(strbuf_str(&o),
	       "[node r1]\nkind = router\nimage = base\nstartup = netlab.d/r1.startup\neth0 = 10.1.0.1/24\neth1 = 10.2.0.1/24\n"),
	   "ifconfig written with its path (/sbin, /usr/sbin) is read");
	ok(has(strbuf_str(&o),
	       "[node pc1]\nimage = base\nstartup = netlab.d/pc1.startup\neth0 = 10.1.0.10/24\ngateway = 10.1.0.1\nroutes = 13.0.0.0/24 via 10.1.0.1\n"),
	   "shared.startup's gateway and etc/network/interfaces's address become pc1's keys");
	ok(has(k.devs[1].script,
	       "# netlab: no systemd in a node: systemctl start apache2\nservice apache2 start\n"),
	   "shared.startup's systemctl is rewritten in every script");
	ok(has(k.devs[1].script, "# pc1/etc/network/interfaces, as ifup would run it") &&
		   has(k.devs[1].script, "\necho from-ifup\n") &&
		   has(k.devs[1].script,
		       "# netlab: up brings it up: /etc/init.d/networking restart\n"),
	   "a stanza's up command stays, networking restart is netlab's");
	ok(has(k.devs[2].script,
	       "# netlab: Debian 12 names this service so: /etc/init.d/bind start\nservice named start\n"),
	   "bind's service is named in Debian 12");
	ok(has(k.devs[2].script, "\nip addr add 230.0.0.1/24 dev eth0\n") &&
		   has(strbuf_str(&o),
		       "[node dns]\nimage = base\nstartup = netlab.d/dns.startup\neth0 = 10.2.0.53/24\n\n"),
	   "a multicast address stays in the script");
	for (size_t i = 0; i < k.notes.n; i++) {
		found |= has(
			k.notes.msgs[i],
			"dns.startup:3: 230.0.0.1/24 on eth0 stays in the startup script: netlab takes no address that is a multicast");
		found |= has(k.notes.msgs[i],
			     "pc1/etc/network/interfaces:7: iface eth1 inet dhcp not converted") ?
				 2 :
				 0;
	}
	ok(found, "the notes say why, with the file and line");
	found = false;
	for (size_t i = 0; i < k.notes.n; i++)
		found |= has(
			k.notes.msgs[i],
			"shared.startup:1,2: not made keys: these lines stay in the devices' startup scripts");
	ok(found, "a shared.startup line kept somewhere is noted once, by its own line");
	for (size_t i = 0; !found && i < k.notes.n; i++)
		printf("#   note: %s\n", k.notes.msgs[i]);
	kathara_lab_clear(&k);
}

/* kathara_demote: a refused [link] without MACs demotes every member, not the first only */
static void test_demote(void)
{
	struct kathara_lab k = { 0 };
	_cleanup_strbuf_ struct strbuf o = { 0 };
	const struct kathara_paths paths = { .lab_dir = "", .aux_dir = "netlab.d/" };
	struct topo_diag why = { 0 };
	const char *l;
	bool changed;
	int line = 1;

	kathara_parse_conf("a[0]=A\nb[0]=A\n", &k);
	kathara_convert(&k, "demote", NULL, &paths, &o);
	l = strstr(strbuf_str(&o), "\nendpoints = a:eth0 b:eth0");
	for (const char *p = strbuf_str(&o); l && p <= l; p++)
		line += *p == '\n';
	topo_diag_add(&why, "x.ini:%d: [link a-2] refused for the test", line);
	changed = l && kathara_demote(&k, strbuf_str(&o), &why);
	ok(changed && k.devs[0].demoted == 1 && k.devs[1].demoted == 1,
	   "a refused link without MACs demotes both its members (%d, %d)", k.devs[0].demoted,
	   k.devs[1].demoted);
	topo_diag_clear(&why);
	kathara_lab_clear(&k);
}

int main(void)
{
	test_conf();
	test_convert();
	test_names();
	test_gaps();
	test_demote();
	kathara_lab_clear(&lab);
	strbuf_release(&out);
	return tap_done();
}
