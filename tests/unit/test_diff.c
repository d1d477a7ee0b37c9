/* test_diff.c: plan/diff.c, the plan of `netlab apply`: what is kept, added, replaced, removed and
 * changed in place, the plan's lines, and the ifindexes kept and given. */
#include <string.h>

#include "diff.h"
#include "load.h"
#include "tap.h"
#include "topo_set.h"
#include "util.h"

static const char base[] = "[lab]\nname = d\n"
			   "[node h1]\neth0 = 10.0.1.10/24\ngateway = 10.0.1.1\n"
			   "[node r1]\nkind = router\neth0 = 10.0.1.1/24\neth1 = 10.0.2.1/24\n"
			   "[node h2]\neth0 = 10.0.2.10/24\ngateway = 10.0.2.1\n"
			   "[link a]\nendpoints = h1:eth0 r1:eth0\n"
			   "[link b]\nendpoints = r1:eth1 h2:eth0\n"
			   "[test t]\nexpect = h1 -> h2 reachable\n";

/* base with the first occurrence of from replaced by to (appended when from is ""). */
static char *edit(const char *from, const char *to)
{
	const char *at = *from ? strstr(base, from) : base + strlen(base);

	if (!at)
		return util_xstrdup("");
	return util_xasprintf("%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
}

struct pair {
	struct topo *old, *new;
	struct diff d;
	struct strbuf plan;
};

/* The plan from base to base edited (from -> to); old as in force after set (a `netlab set` or
 * `netlab link` word on link a, or NULL). */
static bool plan(struct pair *p, const char *from, const char *to, const char *set,
		 const bool *force)
{
	_cleanup_free_ char *text = edit(from, to);
	struct topo_diag why = { 0 };

	memset(p, 0, sizeof(*p));
	p->old = test_load_text(base);
	p->new = test_load_text(text);
	if (!p->old || !p->new || p->old->diag.n || p->new->diag.n) {
		ok(false, "the edited lab loads (%s)",
		   p->new && p->new->diag.n ? p->new->diag.msgs[0] : "");
		return false;
	}
	if (set)
		must(topo_set_word(p->old, "a", set, &why));
	topo_diag_clear(&why);
	diff_make(p->old, p->new, force, false, &p->d);
	diff_plan(&p->d, &p->plan);
	return true;
}

static void pair_clear(struct pair *p)
{
	diff_clear(&p->d);
	strbuf_release(&p->plan);
	topo_free(p->old);
	topo_free(p->new);
}

static const struct topo_iface *iface(const struct topo *t, const char *node, const char *name)
{
	return topo_iface_find(topo_node_find(t, node), name);
}

static bool has(const struct pair *p, const char *line)
{
	return strstr(strbuf_str(&p->plan), line) != NULL;
}

int main(void)
{
	struct pair p;

	if (plan(&p, "", "", NULL, NULL)) {
		ok(p.d.n_changes == 0 && strbuf_str(&p.plan)[0] == '\0',
		   "the same file: nothing to change");
		ok(p.d.node[0] == DIFF_KEEP && !p.d.node_touched[1] && p.d.link[1] == DIFF_KEEP &&
			   !p.d.link_gone[0],
		   "every node and link kept");
		ok(topo_iface_ifindex(iface(p.new, "r1", "eth1")) == 102 &&
			   topo_iface_ifindex(iface(p.new, "h2", "eth0")) == 103,
		   "kept interfaces keep their ifindex");
		pair_clear(&p);
	}
	if (plan(&p, "[test t]",
		 "[node h3]\neth0 = 10.0.2.11/24\n[link c]\nendpoints = r1:eth2 h3:eth0\n[test t]",
		 NULL, NULL)) {
		ok(p.d.node[3] == DIFF_ADD && p.d.link[2] == DIFF_ADD && p.d.node_touched[1] &&
			   !p.d.node_touched[0],
		   "a node and a link added; only the node at its other end is touched");
		ok(has(&p, "+ node h3 (host)\n") && has(&p, "+ link c: r1:eth2 - h3:eth0\n") &&
			   p.d.n_changes == 2,
		   "plan: two lines (%s)", strbuf_str(&p.plan));
		ok(topo_iface_ifindex(iface(p.new, "r1", "eth2")) == 100 &&
			   topo_iface_ifindex(iface(p.new, "h3", "eth0")) == 101,
		   "new interfaces take the lowest free ifindex of their node, never their peer's");
		ok(diff_iface_new(&p.d, 1, iface(p.new, "r1", "eth2")) &&
			   !diff_iface_new(&p.d, 1, iface(p.new, "r1", "eth1")),
		   "which interfaces are made");
		pair_clear(&p);
	}
	/* link a removed, node h1 with it: link b's index moves from 1 to 0, its ifindexes stay */
	{
		_cleanup_topo_ struct topo *old = test_load_text(base);
		_cleanup_topo_ struct topo *new = test_load_text(
			"[lab]\nname = d\n"
			"[node r1]\nkind = router\neth1 = 10.0.2.1/24\neth0 = 10.0.3.1/24\n"
			"[node h2]\neth0 = 10.0.2.10/24\ngateway = 10.0.2.1\n"
			"[node h3]\neth0 = 10.0.3.10/24\n"
			"[link b]\nendpoints = r1:eth1 h2:eth0\n"
			"[link c]\nendpoints = r1:eth0 h3:eth0\n");
		_cleanup_strbuf_ struct strbuf sb = { 0 };
		struct diff d;

		if (ok(old && new &&new->diag.n == 0, "a lab without h1 and link a loads")) {
			diff_make(old, new, NULL, false, &d);
			diff_plan(&d, &sb);
			ok(d.node_gone[0] && !d.node_gone[1] && d.link_gone[0] && !d.link_gone[1],
			   "h1 and link a go, r1 and link b stay");
			ok(strstr(strbuf_str(&sb), "- node h1 (host)\n") &&
				   strstr(strbuf_str(&sb), "- link a: h1:eth0 - r1:eth0\n"),
			   "plan: - lines");
			ok(d.link[0] == DIFF_KEEP &&
				   topo_iface_ifindex(topo_iface_find(&new->nodes[0], "eth1")) ==
					   102 &&
				   topo_iface_ifindex(topo_iface_find(&new->nodes[1], "eth0")) ==
					   103,
			   "link b, now the first, keeps its ifindexes (102, 103)");
			ok(topo_iface_ifindex(topo_iface_find(&new->nodes[0], "eth0")) == 100,
			   "r1's new eth0 takes 100, freed by link a");
			diff_clear(&d);
		}
	}
	if (plan(&p, "[node h2]\n", "[node h2]\nhostname = web\n", NULL, NULL)) {
		ok(p.d.node[2] == DIFF_REPLACE && p.d.node_gone[2] && p.d.link[1] == DIFF_REPLACE &&
			   p.d.link_gone[1],
		   "a new hostname: node and its link replaced");
		ok(has(&p, "~ node h2 (host) replaced: its hostname changed\n") &&
			   has(&p,
			       "~ link b: r1:eth1 - h2:eth0 replaced: a node at its end is replaced\n"),
		   "plan says why");
		pair_clear(&p);
	}
	if (plan(&p, "eth0 = 10.0.1.10/24\n", "eth0 = 10.0.1.11/24, 2001:db8::1/64\n", NULL,
		 NULL)) {
		ok(p.d.node[0] == DIFF_KEEP && p.d.node_touched[0] && p.d.link[0] == DIFF_KEEP,
		   "an address changed: in place");
		ok(has(&p, "~ h1:eth0 addresses: + 10.0.1.11/24 + 2001:db8::1/64 - 10.0.1.10/24\n"),
		   "plan: + and - addresses (%s)", strbuf_str(&p.plan));
		pair_clear(&p);
	}
	if (plan(&p, "gateway = 10.0.1.1\n",
		 "gateway = 10.0.1.1\nroutes = 10.9.0.0/16 via 10.0.1.1\n", NULL, NULL)) {
		ok(p.d.node_touched[0] && has(&p, "~ h1 routes: + 10.9.0.0/16 via 10.0.1.1\n"),
		   "a route added: in place");
		pair_clear(&p);
	}
	if (plan(&p, "gateway = 10.0.1.1\n", "", NULL, NULL)) {
		ok(has(&p, "~ h1 routes: - default via 10.0.1.1\n"),
		   "a gateway removed: in place (%s)", strbuf_str(&p.plan));
		pair_clear(&p);
	}
	if (plan(&p, "kind = router\n", "kind = router\nsysctl.net.ipv4.ip_default_ttl = 99\n",
		 NULL, NULL)) {
		ok(p.d.node[1] == DIFF_KEEP &&
			   has(&p, "~ r1 sysctl net.ipv4.ip_default_ttl = 99\n"),
		   "a sysctl set: in place");
		pair_clear(&p);
	}
	{
		_cleanup_topo_ struct topo *old = test_load_text(
			"[lab]\nname = d\n[node a]\nsysctl.net.ipv4.ip_default_ttl = 99\n");
		_cleanup_topo_ struct topo *new = test_load_text("[lab]\nname = d\n[node a]\n");
		struct diff d;

		if (ok(old && new, "labs with and without a sysctl load")) {
			diff_make(old, new, NULL, false, &d);
			ok(d.node[0] == DIFF_REPLACE &&
				   strstr(d.node_why[0], "sysctl is no longer set"),
			   "a sysctl no longer set: the node is replaced");
			diff_clear(&d);
		}
	}
	if (plan(&p, "endpoints = h1:eth0 r1:eth0\n", "endpoints = h1:eth0 r1:eth0\ndelay = 5ms\n",
		 NULL, NULL)) {
		ok(p.d.link[0] == DIFF_KEEP && p.d.node_touched[0] && p.d.node_touched[1],
		   "impairment: in place on both ends");
		ok(has(&p, "~ h1:eth0 impairment: delay 5ms (was none)\n") &&
			   has(&p, "~ r1:eth0 impairment: delay 5ms (was none)\n"),
		   "plan: impairment");
		pair_clear(&p);
	}
	if (plan(&p, "", "", "delay=9ms", NULL)) {
		ok(has(&p, "~ h1:eth0 impairment: none (was delay 9ms)\n"),
		   "a `netlab set` not in the file is taken back");
		pair_clear(&p);
	}
	if (plan(&p, "", "", "state=down", NULL)) {
		ok(p.d.link[0] == DIFF_REPLACE &&
			   has(&p, "replaced: it was down on purpose (netlab link)"),
		   "a link down on purpose is made again");
		pair_clear(&p);
	}
	if (plan(&p, "endpoints = h1:eth0 r1:eth0\n", "endpoints = h1:eth0 r1:eth0\nmtu = 1400\n",
		 NULL, NULL)) {
		ok(p.d.link[0] == DIFF_REPLACE && strcmp(p.d.link_why[0], "its MTU changed") == 0,
		   "a new MTU: the link is replaced");
		ok(topo_iface_ifindex(iface(p.new, "h1", "eth0")) == 100 &&
			   topo_iface_ifindex(iface(p.new, "r1", "eth0")) == 101,
		   "a replaced link's ends take free ifindexes (its own, freed)");
		pair_clear(&p);
	}
	{
		bool force[3] = { false, true, false };

		if (plan(&p, "", "", NULL, force)) {
			ok(p.d.node[1] == DIFF_REPLACE && p.d.link[0] == DIFF_REPLACE &&
				   p.d.link[1] == DIFF_REPLACE,
			   "force: a node replaced, with its links");
			pair_clear(&p);
		}
	}
	if (plan(&p, "[link a]", "[node h1b]\n[link a]", NULL, NULL)) {
		ok(p.d.node[3] == DIFF_ADD && p.d.n_changes == 1 && !p.d.node_touched[0],
		   "a node without links: one line");
		pair_clear(&p);
	}
	{
		_cleanup_topo_ struct topo *t = test_load_text(base);
		struct diff d;

		if (ok(t != NULL, "base loads")) {
			diff_make(t, t, NULL, true, &d);
			ok(d.n_changes == 1 && d.tests, "only the tests differ: one line");
			diff_clear(&d);
		}
	}
	return tap_done();
}
