/* labtest.c: checks [test] assertions against a running lab: reachability (all reachability
 * assertions' probes at once, see probe.c), paths (traceroute), routes, ports, commands. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "exec.h"
#include "labtest.h"
#include "net.h"
#include "nsfs.h"
#include "probe.h"
#include "strbuf.h"
#include "util.h"

#define TRACE_MAX_HOPS 30
#define TRACE_WAIT_MS 1000
#define REACH_TIMEOUT_MS 2000

/* The addresses an assertion's DST stands for, as seen from src: one address, or every address of
 * a node in the families src has. */
static size_t dst_addrs(const struct topo *t, const struct topo_node *src, const char *dst, struct topo_prefix **out)
{
	struct topo_node *n = topo_node_find(t, dst);
	struct topo_prefix p, *v = NULL;
	size_t cnt = 0;

	if (!n && topo_prefix_parse(dst, false, &p) == 0) {
		v = util_xmalloc(sizeof(p));
		v[0] = p;
		*out = v;
		return 1;
	}
	for (size_t k = 0; n && k < n->n_ifaces; k++)
		for (size_t a = 0; a < n->ifaces[k].n_addrs; a++) {
			struct topo_prefix q = n->ifaces[k].addrs[a].p;

			if (!topo_node_has_family(src, q.family))
				continue;
			q.len = topo_prefix_maxlen(q.family);
			*(struct topo_prefix *)util_grow(&v, &cnt, sizeof(q)) = q;
		}
	*out = v;
	return cnt;
}

static size_t node_idx(const struct topo *t, const char *name)
{
	return (size_t)(topo_node_find(t, name) - t->nodes);
}

static void check_reach(const struct topo *t, struct labtest_result *res, size_t n_res)
{
	_cleanup_free_ struct probe *v = NULL;
	_cleanup_free_ size_t *owner = NULL;
	size_t n = 0;
	char b[64];
	int r;

	for (size_t i = 0; i < n_res; i++) {
		const struct topo_assert *a = res[i].a;
		_cleanup_free_ struct topo_prefix *addrs = NULL;
		size_t na;

		if (a->kind != TOPO_REACH)
			continue;
		na = dst_addrs(t, topo_node_find(t, a->src), a->dst, &addrs);
		for (size_t k = 0; k < na; k++) {
			struct probe *p = util_grow(&v, &n, sizeof(*p));

			p->src = node_idx(t, a->src);
			p->dst = addrs[k];
			owner = util_xrealloc(owner, n * sizeof(size_t));
			owner[n - 1] = i;
		}
		if (na == 0)
			res[i].detail = util_xasprintf("%s has no address in a family that %s has", a->dst, a->src);
	}
	r = probe_run(t, v, n, 1, REACH_TIMEOUT_MS);
	for (size_t i = 0; i < n_res; i++) {
		const struct topo_assert *a = res[i].a;
		_cleanup_strbuf_ struct strbuf seen = { 0 };
		size_t total = 0, ok = 0;

		if (a->kind != TOPO_REACH || res[i].detail)
			continue;
		if (r < 0) {
			res[i].detail = util_xasprintf("cannot send probes: %s", strerror(-r));
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			if (owner[k] != i)
				continue;
			total++;
			ok += v[k].received > 0;
			strbuf_addf(&seen, "%s%s %s", total > 1 ? ", " : "", topo_prefix_str(&v[k].dst, false, b, sizeof(b)),
				    v[k].received ? "answered" : "did not answer");
		}
		res[i].ok = a->expect_ok ? ok == total : ok == 0;
		if (!res[i].ok || total > 1)
			res[i].detail = strbuf_detach(&seen);
	}
}

static void check_path(const struct topo *t, struct labtest_result *res)
{
	const struct topo_assert *a = res->a;
	const struct topo_node *src = topo_node_find(t, a->src);
	_cleanup_free_ struct topo_prefix *addrs = NULL;
	struct topo_prefix hops[TRACE_MAX_HOPS];
	_cleanup_strbuf_ struct strbuf seen = { 0 };
	size_t n_hops, na = dst_addrs(t, src, a->dst, &addrs);
	bool reached, same = true;
	int r;

	if (na == 0) {
		res->detail = util_xasprintf("%s has no address in a family that %s has", a->dst, a->src);
		return;
	}
	r = probe_trace(t, node_idx(t, a->src), &addrs[0], hops, TRACE_MAX_HOPS, &n_hops, &reached, TRACE_WAIT_MS);
	if (r < 0) {
		res->detail = util_xasprintf("cannot trace: %s", strerror(-r));
		return;
	}
	/* the routers: every hop but the destination's own answer */
	for (size_t h = 0; h + (reached ? 1 : 0) < n_hops; h++) {
		const struct topo_node *hn = hops[h].family ? topo_addr_owner(t, &hops[h]) : NULL;
		const char *name = hn ? hn->name : "*";

		strbuf_addf(&seen, "%s%s", h ? " " : "", name);
		same &= h < a->n_via && strcmp(a->via[h], name) == 0;
	}
	same &= reached && n_hops == a->n_via + 1;
	res->ok = same;
	if (!same)
		res->detail = util_xasprintf("%s %s%s", reached ? "the path went through" : "no answer from the destination; hops seen:",
					    seen.len ? strbuf_str(&seen) : "no router", reached ? "" : "");
}

static int in_node(const struct topo *t, size_t i, int orig, int (*fn)(const struct topo_assert *a, struct nls *sk), const struct topo_assert *a)
{
	_cleanup_free_ char *pin = nsfs_netns_path(t->nodes[i].netns);
	_cleanup_close_ int fd = nsfs_open(pin);
	struct nls sk = { 0 };
	int r, back;

	if (fd < 0)
		return fd;
	if ((r = nsfs_enter(fd, CLONE_NEWNET)) < 0)
		return r;
	r = nls_open_in(&sk, -1, -1);
	if (r == 0)
		r = fn(a, &sk);
	nls_close(&sk);
	back = nsfs_enter(orig, CLONE_NEWNET);
	return r < 0 ? r : back < 0 ? back : r;
}

static int route_fn(const struct topo_assert *a, struct nls *sk)
{
	return net_route_present(sk, &a->prefix, a->has_gw ? &a->gw : NULL);
}

static int port_fn(const struct topo_assert *a, struct nls *sk)
{
	(void)sk;
	return net_port_open(a->proto, a->port);
}

static void check_runs(const struct topo *t, const char *state_dir, struct labtest_result *res)
{
	struct topo_cmd c = { .text = res->a->cmd };
	_cleanup_free_ char *output = NULL;
	int st = exec_run(t, node_idx(t, res->a->src), state_dir, &c, &output);

	if (st < 0) {
		res->detail = util_xasprintf("cannot run it: %s", strerror(-st));
		return;
	}
	res->ok = (WIFEXITED(st) && WEXITSTATUS(st) == 0) == res->a->expect_ok;
	if (!res->ok)
		res->detail = WIFEXITED(st) ? util_xasprintf("exit status %d; output: %s", WEXITSTATUS(st), output && *output ? output : "(none)")
					    : util_xasprintf("killed by signal %d", WTERMSIG(st));
}

int labtest_run(const struct topo *t, const char *state_dir, struct labtest_result **out, size_t *n_out)
{
	_cleanup_close_ int orig = nsfs_open(NSFS_SELF_NET);
	struct labtest_result *res = NULL;
	size_t n = 0;

	if (orig < 0)
		return orig;
	for (size_t i = 0; i < t->n_tests; i++)
		for (size_t k = 0; k < t->tests[i].n_asserts; k++) {
			struct labtest_result *r = util_grow(&res, &n, sizeof(*r));

			r->test = &t->tests[i];
			r->a = &t->tests[i].asserts[k];
		}
	/* Commands first, in file order, so that one can wait for routing to converge before the
	 * probes; then every reachability probe at once; then paths, routes and ports. */
	for (size_t i = 0; i < n; i++)
		if (res[i].a->kind == TOPO_RUNS)
			check_runs(t, state_dir, &res[i]);
	check_reach(t, res, n);
	for (size_t i = 0; i < n; i++) {
		const struct topo_assert *a = res[i].a;
		int r;

		switch (a->kind) {
		case TOPO_REACH:
		case TOPO_RUNS:
			break;
		case TOPO_PATH:
			check_path(t, &res[i]);
			break;
		case TOPO_ROUTE:
		case TOPO_PORT:
			r = in_node(t, node_idx(t, a->src), orig, a->kind == TOPO_ROUTE ? route_fn : port_fn, a);
			if (r < 0)
				res[i].detail = util_xasprintf("cannot look: %s", strerror(-r));
			else
				res[i].ok = (r == 1) == a->expect_ok;
			if (r >= 0 && !res[i].ok)
				res[i].detail = util_xstrdup(a->kind == TOPO_ROUTE ? "no such route in the main table"
							     : r ? "the port is open" : "nothing listens on that port");
			break;
		}
	}
	*out = res;
	*n_out = n;
	return 0;
}

void labtest_free(struct labtest_result *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].detail);
	free(v);
}
