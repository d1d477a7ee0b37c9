/* test_topo.c: pure helpers of topo.c (addresses, numbers, names, MACs). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "tap.h"
#include "assertion.h"
#include "protocol.h"
#include "topo.h"
#include "util.h"

static int parse_ok(const char *s, bool need_len, int family, unsigned int len)
{
	struct topo_prefix p;

	return topo_prefix_parse(s, need_len, &p) == 0 && p.family == family && p.len == len;
}

int main(void)
{
	struct topo_prefix a, b;
	unsigned long v;
	unsigned char mac[6];
	char buf[64];

	ok(parse_ok("192.168.1.1/24", true, AF_INET, 24), "IPv4 with prefix");
	ok(parse_ok("2001:db8::1/64", true, AF_INET6, 64), "IPv6 with prefix");
	ok(parse_ok("10.0.0.1", false, AF_INET, 32), "bare IPv4 gets /32 when no length is needed");
	ok(topo_prefix_parse("10.0.0.1", true, &a) == -EINVAL,
	   "bare address refused where a length is needed");
	ok(topo_prefix_parse("10.0.0.1/33", true, &a) == -EINVAL, "/33 refused");
	ok(topo_prefix_parse("10.0.0.1/", true, &a) == -EINVAL, "empty length refused");
	ok(topo_prefix_parse("10.0.0.1/08", true, &a) == -EINVAL,
	   "length with a leading zero refused");
	ok(topo_prefix_parse("10.0.0/24", true, &a) == -EINVAL, "short IPv4 refused");
	ok(topo_prefix_parse("/24", true, &a) == -EINVAL, "missing address refused");
	ok(topo_prefix_parse("::1/129", true, &a) == -EINVAL, "IPv6 /129 refused");
	must(topo_prefix_parse("2001:DB8:0::1/64", true, &a));
	ok(strcmp(topo_prefix_str(&a, true, buf, sizeof(buf)), "2001:db8::1/64") == 0,
	   "IPv6 printed in canonical form");

	must(topo_prefix_parse("10.1.2.0/23", true, &a));
	must(topo_prefix_parse("10.1.3.77", false, &b));
	ok(topo_prefix_contains(&a, &b), "10.1.3.77 is in 10.1.2.0/23");
	must(topo_prefix_parse("10.1.4.1", false, &b));
	ok(!topo_prefix_contains(&a, &b), "10.1.4.1 is not in 10.1.2.0/23");
	must(topo_prefix_parse("10.1.2.0/23", true, &a));
	ok(!topo_prefix_has_host_bits(&a), "10.1.2.0/23 has no host bits");
	must(topo_prefix_parse("10.1.3.0/23", true, &a));
	ok(topo_prefix_has_host_bits(&a), "10.1.3.0/23 has host bits");
	must(topo_prefix_parse("0.0.0.0/0", true, &a));
	ok(topo_prefix_contains(&a, &b), "/0 contains everything of its family");
	must(topo_prefix_parse("::/0", true, &a));
	ok(!topo_prefix_contains(&a, &b), "an IPv6 network never contains an IPv4 address");

	ok(topo_parse_uint("1500", 68, 65535, &v) == 0 && v == 1500, "1500 parses");
	ok(topo_parse_uint("abc", 0, 100, &v) == -EINVAL,
	   "abc is not a number (iniparser_getint gives 0)");
	ok(topo_parse_uint("08", 0, 100, &v) == -EINVAL,
	   "08 is refused (iniparser_getint gives 0)");
	ok(topo_parse_uint("0", 0, 100, &v) == 0 && v == 0, "0 parses");
	ok(topo_parse_uint("", 0, 100, &v) == -EINVAL, "empty is refused");
	ok(topo_parse_uint("+5", 0, 100, &v) == -EINVAL, "sign refused");
	ok(topo_parse_uint("12x", 0, 100, &v) == -EINVAL, "trailing garbage refused");
	ok(topo_parse_uint("101", 0, 100, &v) == -ERANGE, "above max is a range error");
	ok(topo_parse_uint("99999999999999999999999", 0, ~0ul, &v) == -ERANGE,
	   "overflow is a range error");
	ok(topo_parse_uint("67", 68, 100, &v) == -ERANGE, "below min is a range error");
	ok(topo_parse_cpus("0.5", &v) == 0 && v == 50, "cpus 0.5: 50 hundredths");
	ok(topo_parse_cpus("2", &v) == 0 && v == 200, "cpus 2");
	ok(topo_parse_cpus("1.25", &v) == 0 && v == 125, "cpus 1.25");
	ok(topo_parse_cpus("0.05", &v) == 0 && v == 5, "cpus 0.05");
	ok(topo_parse_cpus("0", &v) == -ERANGE && topo_parse_cpus("0.00", &v) == -ERANGE,
	   "cpus 0 is refused");
	ok(topo_parse_cpus("1.255", &v) == -EINVAL && topo_parse_cpus("1.", &v) == -EINVAL &&
		   topo_parse_cpus(".5", &v) == -EINVAL && topo_parse_cpus("1.x", &v) == -EINVAL &&
		   topo_parse_cpus("-1", &v) == -EINVAL,
	   "cpus: three decimals, a bare dot, no whole part, a sign are refused");
	ok(topo_parse_cpus("1024", &v) == 0 && topo_parse_cpus("1024.01", &v) == -ERANGE &&
		   topo_parse_cpus("1025", &v) == -ERANGE,
	   "cpus: at most 1024");
	ok(topo_parse_size_mib("256m", TOPO_MEMORY_MIN_MIB, TOPO_MEMORY_MAX_MIB, &v) == 0 &&
		   v == 256 && topo_parse_size_mib("3M", 4, 1024, &v) == -ERANGE,
	   "memory: 256m, not below its minimum");

	ok(topo_mac_parse("02:00:5e:Aa:bB:ff", mac) == 0 && mac[3] == 0xaa && mac[5] == 0xff,
	   "MAC parses, any case");
	ok(topo_mac_parse("02:00:5e:aa:bb", mac) == -EINVAL, "short MAC refused");
	ok(topo_mac_parse("02:00:5e:aa:bb:ff:00", mac) == -EINVAL, "long MAC refused");
	ok(topo_mac_parse("02-00-5e-aa-bb-ff", mac) == -EINVAL, "dashes refused");

	ok(topo_name_valid("r1", 64) && topo_name_valid("my_node-2", 64), "plain names are valid");
	ok(!topo_name_valid("..", 64) && !topo_name_valid("a/b", 64) && !topo_name_valid("a b", 64),
	   "path-like names refused");
	ok(!topo_name_valid("-a", 64) && !topo_name_valid("", 64) && !topo_name_valid("A", 64),
	   "leading dash, empty, uppercase refused");
	ok(!topo_name_valid("abcdefghijklmnop", 15), "16 bytes refused where 15 is the limit");
	ok(topo_lab_name_valid("Lab.1", 64) && !topo_lab_name_valid("a..b", 64) &&
		   !topo_lab_name_valid(".a", 64),
	   "lab names");
	ok(topo_hostname_valid("r1.example") && !topo_hostname_valid("-x") &&
		   !topo_hostname_valid("a..b") && !topo_hostname_valid("a_b"),
	   "host names");
	{
		unsigned int us;
		double pct;
		unsigned long long bps;
		struct topo_impair ia = { 0 }, ib = { 0 }, m;
		char buf2[128];

		ok(topo_parse_time("10ms", &us) == 0 && us == 10000, "10ms is 10000 us");
		ok(topo_parse_time("1.5s", &us) == 0 && us == 1500000, "1.5s");
		ok(topo_parse_time("250us", &us) == 0 && us == 250, "250us");
		ok(topo_parse_time("10", &us) == -EINVAL &&
			   topo_parse_time("10 ms", &us) == -EINVAL &&
			   topo_parse_time("-1ms", &us) == -EINVAL,
		   "a time needs a unit, no space, no sign");
		ok(topo_parse_time("61s", &us) == -ERANGE, "more than 60 s is out of range");
		ok(topo_parse_time(".5ms", &us) == -EINVAL &&
			   topo_parse_time("5.ms", &us) == -EINVAL,
		   "digits on both sides of a point");
		ok(topo_parse_percent("0.5%", &pct) == 0 && pct > 0.49 && pct < 0.51, "0.5%%");
		ok(topo_parse_percent("0.5", &pct) == -EINVAL &&
			   topo_parse_percent("101%", &pct) == -ERANGE,
		   "percent needs %%, at most 100");
		ok(topo_parse_rate("10mbit", &bps) == 0 && bps == 10000000ull, "10mbit");
		ok(topo_parse_rate("1gbit", &bps) == 0 && bps == 1000000000ull, "1gbit");
		ok(topo_parse_rate("10mbps", &bps) == -EINVAL &&
			   topo_parse_rate("999bit", &bps) == -ERANGE &&
			   topo_parse_rate("11gbit", &bps) == -ERANGE,
		   "rate units and range");
		ok(topo_impair_set(&ia, "delay", "10ms") == 0 &&
			   topo_impair_set(&ia, "loss", "1%") == 0 &&
			   ia.set == (TOPO_IMP_DELAY | TOPO_IMP_LOSS),
		   "impairment keys set their bits");
		ok(topo_impair_set(&ia, "speed", "1ms") == -ENOENT, "unknown impairment key");
		ok(topo_impair_set(&ib, "delay", "30ms") == 0, "per-end value");
		m = topo_impair_merge(&ia, &ib);
		ok(m.v[TOPO_IMPF_DELAY] == 30000 && m.v[TOPO_IMPF_LOSS] > 0.9 &&
			   (m.set & TOPO_IMP_LOSS),
		   "merge: the end's delay wins, the link's loss stays");
		topo_impair_str(&m, buf2, sizeof(buf2));
		ok(strcmp(buf2, "delay 30ms loss 1%") == 0, "impairment printed as '%s'", buf2);
	}
	{
		struct topo_assert as;
		struct topo_diag why = { 0 };

		ok(topo_assert_parse("h1 -> h2 reachable", &as, &why) == 0 &&
			   as.kind == TOPO_REACH && as.expect_ok && !strcmp(as.dst, "h2"),
		   "reachable assertion");
		topo_assert_clear(&as);
		ok(topo_assert_parse("h1 -> 10.0.0.1 unreachable", &as, &why) == 0 && !as.expect_ok,
		   "unreachable assertion");
		topo_assert_clear(&as);
		ok(topo_assert_parse("h1 -> h2 via r1 r2", &as, &why) == 0 &&
			   as.kind == TOPO_PATH && as.n_via == 2 && !strcmp(as.via[1], "r2"),
		   "path assertion");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 route 10.0.2.0/24 via 10.0.12.2", &as, &why) == 0 &&
			   as.kind == TOPO_ROUTE && as.n_gws == 1 && as.expect_ok,
		   "route assertion");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 route 0.0.0.0/0 via 10.0.12.2 10.0.13.3", &as, &why) ==
				   0 &&
			   as.n_gws == 2 && as.prefix.len == 0,
		   "route assertion with two next hops (ECMP)");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 route 10.9.0.0/16 absent", &as, &why) == 0 &&
			   as.n_gws == 0 && !as.expect_ok,
		   "a route that must be absent");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 route 10.9.0.0/16 via 10.0.12.2 absent", &as, &why) == 0 &&
			   as.n_gws == 1 && !as.expect_ok,
		   "a route through one gateway that must be absent");
		topo_assert_clear(&as);
		ok(topo_assert_parse("h1 -> h2 avoids r3 r4", &as, &why) == 0 &&
			   as.kind == TOPO_PATH && !as.expect_ok && as.n_via == 2,
		   "a path that must avoid nodes");
		topo_assert_clear(&as);
		ok(topo_assert_parse(
			   "r1 runs \"vtysh -c 'show ip ospf neighbor'\" contains \"Full\" 2 times",
			   &as, &why) == 0 &&
			   as.runs_check == TOPO_RUNS_CONTAINS && !strcmp(as.pattern, "Full") &&
			   as.count == 2 && !strcmp(as.cmd, "vtysh -c 'show ip ospf neighbor'"),
		   "runs ... contains TEXT N times");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 runs \"ip route\" matches \"^10[.]1[.].* via\"", &as,
				     &why) == 0 &&
			   as.runs_check == TOPO_RUNS_MATCHES && as.count == -1,
		   "runs ... matches REGEX");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 daemon ospfd running", &as, &why) == 0 &&
			   as.kind == TOPO_DAEMON && as.expect_ok && !strcmp(as.name, "ospfd"),
		   "daemon assertion");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 interface eth0 down", &as, &why) == 0 &&
			   as.kind == TOPO_IFACE && !as.expect_ok,
		   "interface assertion");
		topo_assert_clear(&as);
		ok(topo_assert_parse("h2 udp 53 closed", &as, &why) == 0 && as.kind == TOPO_PORT &&
			   as.port == 53 && !as.expect_ok,
		   "port assertion");
		topo_assert_clear(&as);
		ok(topo_assert_parse("h1 runs \"echo a, b\" succeeds", &as, &why) == 0 &&
			   as.kind == TOPO_RUNS && !strcmp(as.cmd, "echo a, b"),
		   "runs assertion keeps the quoted command");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1:eth0 has 10.0.0.1/24", &as, &why) == 0 &&
			   as.kind == TOPO_HAS && as.expect_ok && !strcmp(as.src, "r1") &&
			   !strcmp(as.name, "eth0") && as.addr.len == 24,
		   "has assertion");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1:eth0 has 2001:db8::1/64 absent", &as, &why) == 0 &&
			   !as.expect_ok,
		   "has ... absent");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 ospf neighbor 2.2.2.2 full dr", &as, &why) == 0 &&
			   as.kind == TOPO_OSPF && !strcmp(as.peer, "2.2.2.2") &&
			   !strcmp(as.role, "dr") && as.expect_ok,
		   "ospf neighbor full dr");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 bgp neighbor 10.0.0.2 down", &as, &why) == 0 &&
			   as.kind == TOPO_BGP && !as.expect_ok,
		   "bgp neighbor down");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 bgp advertises 10.1.0.0/24 to 10.0.0.2", &as, &why) == 0 &&
			   as.kind == TOPO_BGP_ADV && !strcmp(as.peer, "10.0.0.2"),
		   "bgp advertises");
		topo_assert_clear(&as);
		ok(topo_assert_parse("h1 resolves www.lab.test to 10.0.0.80 via 10.0.0.53", &as,
				     &why) == 0 &&
			   as.kind == TOPO_RESOLVES && as.has_server &&
			   !strcmp(as.name, "www.lab.test"),
		   "resolves ... via");
		topo_assert_clear(&as);
		ok(topo_assert_parse("h1 http http://web:8080/a status 200 contains \"it, works\"",
				     &as, &why) == 0 &&
			   as.kind == TOPO_HTTP && as.status == 200 &&
			   !strcmp(as.pattern, "it, works"),
		   "http ... status ... contains");
		topo_assert_clear(&as);
		ok(topo_assert_parse("r1 ospf neighbor 2.2.2.2 full boss", &as, &why) == -EINVAL &&
			   topo_assert_parse("r1 ospf neighbor 2.2.2.2 absent dr", &as, &why) ==
				   -EINVAL &&
			   topo_assert_parse("r1 bgp advertises 10.1.0.1/24 to 10.0.0.2", &as,
					     &why) == -EINVAL &&
			   topo_assert_parse("h1 http https://web/ status 200", &as, &why) ==
				   -EINVAL &&
			   topo_assert_parse("h1 http http://web/ status 999", &as, &why) ==
				   -EINVAL &&
			   topo_assert_parse("r1 has 10.0.0.1/24", &as, &why) == -EINVAL &&
			   topo_assert_parse("r1:eth0 -> h2 reachable", &as, &why) == -EINVAL,
		   "bad ospf, bgp, http and has assertions refused");
		topo_diag_clear(&why);
		{ /* BIRD's text on BGP: the protocol of a neighbour, its state, what it exports */
			const char *protos =
				"BIRD 2.0.12 ready.\nName       Proto      Table      State  Since         Info\n"
				"device1    Device     ---        up     12:00:00.000\n"
				"up1        BGP        ---        up     12:00:01.000  Established\n"
				"  BGP state:          Established\n    Neighbor address: 10.0.0.2\n"
				"    Neighbor AS:      65002\n"
				"up2        BGP        ---        start  12:00:01.000  Active\n"
				"  BGP state:          Active\n    Neighbor address: 10.0.0.6\n";
			const char *exported =
				"BIRD 2.0.12 ready.\nTable master4:\n"
				"10.1.0.0/24          unicast [direct1 12:00:00.000] * (240)\n"
				"\tdev eth0\n";
			_cleanup_free_ char *name = proto_bird_bgp_name(protos, "10.0.0.6"),
					    *s1 = NULL, *s2 = NULL, *s3 = NULL;
			struct topo_assert up = { 0 }, adv = { 0 };

			ok(name && !strcmp(name, "up2") && !proto_bird_bgp_name(protos, "10.0.0.9"),
			   "BIRD: the BGP protocol of a neighbour found by its address");
			must(topo_assert_parse("r1 bgp neighbor 10.0.0.2 established", &up, &why));
			ok(proto_found(&up, true, protos, &s1) &&
				   !strcmp(s1, "BGP state of up1: Established"),
			   "BIRD: an established session");
			free(up.peer);
			up.peer = util_xstrdup("10.0.0.6");
			ok(!proto_found(&up, true, protos, &s2) &&
				   !strcmp(s2, "BGP state of up2: Active"),
			   "BIRD: a session that is not established says its state");
			must(topo_assert_parse("r1 bgp advertises 10.1.0.0/24 to 10.0.0.2", &adv,
					       &why));
			ok(proto_found(&adv, true, exported, &s3) &&
				   !strcmp(s3, "advertised to 10.0.0.2: 10.1.0.0/24"),
			   "BIRD: an exported prefix");
			topo_assert_clear(&up);
			topo_assert_clear(&adv);
		}
		ok(topo_assert_parse("h1 pings h2", &as, &why) == -EINVAL && why.n == 1 &&
			   strstr(why.msgs[0], "unknown assertion"),
		   "unknown assertion refused");
		ok(topo_assert_parse("h1 -> h2 via", &as, &why) == -EINVAL,
		   "path without routers refused");
		ok(topo_assert_parse("h1 route 10.0.2.1/24", &as, &why) == -EINVAL,
		   "route prefix with host bits refused");
		ok(topo_assert_parse("r1 runs \"ip route\" matches \"(unclosed\"", &as, &why) ==
				   -EINVAL &&
			   strstr(why.msgs[3], "not an extended regular expression"),
		   "a bad regular expression refused");
		{
			static const char *const costly[] = {
				"a{1,32767}",	     "((a{1,100}){1,100}){1,100}",
				"(a{1,255}){1,255}", "(x|y{1,30000})",
				"a{20001}",	     "(ab{1,200}){101,}"
			};
			static const char *const fine[] = { "(a{1,100}){1,100}", "^[a-z]+{2}$",
							    "x{1,20000}", "[{]{1,5}", "a{,3}b" };
			struct topo_diag rx = { 0 };
			char text[200];

			for (size_t i = 0; i < ARRAY_SIZE(costly); i++) {
				size_t before = rx.n;

				snprintf(text, sizeof(text), "r1 runs \"x\" matches \"%s\"",
					 costly[i]);
				ok(topo_assert_parse(text, &as, &rx) == -EINVAL &&
					   rx.n == before + 1 &&
					   strstr(rx.msgs[before], "more than 20000 pattern items"),
				   "a pattern that would take much memory to compile refused: %s",
				   costly[i]);
				topo_assert_clear(&as);
			}
			for (size_t i = 0; i < ARRAY_SIZE(fine); i++) {
				snprintf(text, sizeof(text), "r1 runs \"x\" matches \"%s\"",
					 fine[i]);
				ok(topo_assert_parse(text, &as, &rx) == 0, "a pattern taken: %s",
				   fine[i]);
				topo_assert_clear(&as);
			}
			ok(topo_assert_parse("r1 runs \"x\" matches \"(a)\\1\"", &as, &rx) ==
					   -EINVAL &&
				   strstr(rx.msgs[rx.n - 1], "back-reference"),
			   "a back-reference refused");
			ok(topo_assert_parse("r1 runs \"x\" matches \"a\\\\1\"", &as, &rx) == 0,
			   "an escaped backslash before a digit is no back-reference");
			topo_assert_clear(&as);
			topo_diag_clear(&rx);
		}
		ok(topo_assert_parse("r1 runs \"ip route\" contains \"x\" many times", &as, &why) ==
			   -EINVAL,
		   "a count that is no number refused");
		ok(topo_assert_parse("r1 route 10.0.0.0/8 via 2001:db8::1", &as, &why) == -EINVAL,
		   "a next hop of another family refused");
		ok(topo_assert_parse("r1 daemon ospfd alive", &as, &why) == -EINVAL,
		   "daemon: running or stopped");
		ok(topo_assert_parse("r1 interface eth0 sideways", &as, &why) == -EINVAL,
		   "interface: up or down");
		ok(why.n == 8, "each refused assertion adds one reason (got %zu)", why.n);
		topo_diag_clear(&why);
	}
	return tap_done();
}
