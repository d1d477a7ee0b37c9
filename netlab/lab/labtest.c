/* labtest.c: checks [test] assertions against a running lab, sections side by side (a process
 * each): commands, reachability (a section's probes at once, see probe.c), paths (traceroute),
 * routes, ports, daemons, interfaces, addresses, OSPF and BGP (protocol.c), DNS and HTTP
 * (client.c); a section is checked again every LABTEST_ROUND_MS until all hold or its `within`
 * (from the start of the run) has passed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <regex.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "lab_exec.h"
#include "labtest.h"
#include "net.h"
#include "nsfs.h"
#include "probe.h"
#include "procs.h"
#include "protocol.h"
#include "strbuf.h"
#include "util.h"

#define TRACE_MAX_HOPS 30
#define TRACE_WAIT_MS 1500 /* over a second: a router's error tokens come back one a second */
#define REACH_TIMEOUT_MS 2000
#define LABTEST_WIDTH 8 /* commands of a section at once, per CPU (check_commands) */

/* The addresses an assertion's DST stands for, as seen from src: one address, or every address of
 * a node in the families src has. */
static size_t dst_addrs(const struct topo *t, const struct topo_node *src, const char *dst,
			struct topo_prefix **out)
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

		if (a->kind != TOPO_REACH || res[i].unfit)
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
			res[i].detail = util_xasprintf("%s has no address in a family that %s has",
						       a->dst, a->src);
	}
	r = probe_run(t, v, n, 1, REACH_TIMEOUT_MS);
	for (size_t i = 0; i < n_res; i++) {
		const struct topo_assert *a = res[i].a;
		_cleanup_strbuf_ struct strbuf seen = { 0 };
		size_t total = 0, ok = 0;

		if (a->kind != TOPO_REACH || res[i].detail || res[i].unfit)
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
			strbuf_addf(&seen, "%s%s %s", total > 1 ? ", " : "",
				    topo_prefix_str(&v[k].dst, false, b, sizeof(b)),
				    v[k].received ? "answered" : "did not answer");
		}
		res[i].ok = a->expect_ok ? ok == total : ok == 0;
		if (!res[i].ok || total > 1)
			res[i].detail = strbuf_detach(&seen);
	}
}

static bool in_list(char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return true;
	return false;
}

static void check_path(const struct topo *t, struct labtest_result *res)
{
	const struct topo_assert *a = res->a;
	const struct topo_node *src = topo_node_find(t, a->src);
	_cleanup_free_ struct topo_prefix *addrs = NULL;
	struct topo_prefix hops[TRACE_MAX_HOPS];
	_cleanup_strbuf_ struct strbuf seen = { 0 };
	size_t n_hops, na = dst_addrs(t, src, a->dst, &addrs), k = 0;
	bool reached, same = true, avoided = true;
	int r;

	if (na == 0) {
		res->detail =
			util_xasprintf("%s has no address in a family that %s has", a->dst, a->src);
		return;
	}
	r = probe_trace(t, node_idx(t, a->src), &addrs[0], hops, TRACE_MAX_HOPS, &n_hops, &reached,
			TRACE_WAIT_MS);
	if (r < 0) {
		res->detail = util_xasprintf("cannot trace: %s", strerror(-r));
		return;
	}
	/* the routers: every hop but the destination's own answer */
	for (size_t h = 0; h + (reached ? 1 : 0) < n_hops; h++, k++) {
		const struct topo_node *hn = hops[h].family ? topo_addr_owner(t, &hops[h]) : NULL;
		const char *name = hn ? hn->name : "*";

		strbuf_addf(&seen, "%s%s", h ? " " : "", name);
		same &= h < a->n_via && strcmp(a->via[h], name) == 0;
		avoided &= !in_list(a->via, a->n_via, name);
	}
	same &= k == a->n_via;
	res->ok = reached && (a->expect_ok ? same : avoided);
	if (!res->ok)
		res->detail = util_xasprintf("%s %s",
					     reached ? "the path went through" :
						       "no answer from the destination; hops seen:",
					     seen.len ? strbuf_str(&seen) : "no router");
}

/* fn(ctx) inside node i's network namespace, then back in orig. Returns what fn returned, or
 * -errno. */
static int in_netns(const struct topo *t, size_t i, int orig, int (*fn)(void *ctx), void *ctx)
{
	_cleanup_free_ char *pin = nsfs_netns_path(t->nodes[i].netns);
	_cleanup_close_ int fd = nsfs_open(pin);
	int r, back;

	if (fd < 0)
		return fd;
	if ((r = nsfs_enter(fd, CLONE_NEWNET)) < 0)
		return r;
	r = fn(ctx);
	back = nsfs_enter(orig, CLONE_NEWNET);
	if (r < 0)
		return r;
	return back < 0 ? back : r; /* r: what fn found */
}

struct look {
	int (*fn)(const struct topo_assert *a, struct nls *sk, char **seen);
	const struct topo_assert *a;
	char **seen;
};

static int look_in(void *ctx)
{
	struct look *l = ctx;
	struct nls sk = { 0 };
	int r = nls_open_in(&sk, -1, -1);

	if (r == 0)
		r = l->fn(l->a, &sk, l->seen);
	nls_close(&sk);
	return r;
}

static int in_node(const struct topo *t, size_t i, int orig,
		   int (*fn)(const struct topo_assert *a, struct nls *sk, char **seen),
		   const struct topo_assert *a, char **seen)
{
	struct look l = { fn, a, seen };

	return in_netns(t, i, orig, look_in, &l);
}

static int route_fn(const struct topo_assert *a, struct nls *sk, char **seen)
{
	return net_route_find(sk, &a->prefix, a->gws, a->n_gws, seen);
}

static int port_fn(const struct topo_assert *a, struct nls *sk, char **seen)
{
	int r = net_port_open(a->proto, a->port);

	(void)sk;
	if (r >= 0)
		*seen = util_xstrdup(r ? "a socket is bound to that port" :
					 "nothing is bound to that port");
	return r;
}

static int iface_fn(const struct topo_assert *a, struct nls *sk, char **seen)
{
	char state[32];
	int r = net_link_state(sk, a->name, state, sizeof(state));

	if (r == -ENODEV || r == -ENOENT) {
		*seen = util_xasprintf("there is no interface %s", a->name);
		return 0;
	}
	if (r < 0)
		return r;
	*seen = util_xasprintf("%s is %s", a->name, state);
	return net_state_up(state);
}

static int has_fn(const struct topo_assert *a, struct nls *sk, char **seen)
{
	struct net_info info = { 0 };
	const struct net_iface *ifc;
	int r = net_info_get(sk, &info);

	if (r < 0)
		return r;
	if (!(ifc = net_info_iface(&info, a->name))) {
		*seen = util_xasprintf("there is no interface %s", a->name);
	} else {
		struct strbuf sb = { 0 };

		strbuf_addf(&sb, "%s has", a->name);
		for (size_t k = 0; k < ifc->n_addrs; k++)
			strbuf_addf(&sb, " %s", ifc->addrs[k]);
		if (!ifc->n_addrs)
			strbuf_addf(&sb, " no address");
		*seen = strbuf_detach(&sb);
		r = net_iface_has(ifc, &a->addr);
	}
	net_info_clear(&info);
	return r;
}

/* Looks inside a node for an assertion of kind route, port, iface or has. */
static int look_fn(const struct topo_assert *a, struct nls *sk, char **seen)
{
	if (a->kind == TOPO_ROUTE)
		return route_fn(a, sk, seen);
	if (a->kind == TOPO_HAS)
		return has_fn(a, sk, seen);
	return a->kind == TOPO_PORT ? port_fn(a, sk, seen) : iface_fn(a, sk, seen);
}

/* The lines of text that hold a's pattern (a substring, or an extended regular expression). */
static long count_lines(const struct topo_assert *a, const char *text)
{
	regex_t re;
	long n = 0;

	if (a->runs_check == TOPO_RUNS_MATCHES &&
	    regcomp(&re, a->pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		_cleanup_free_ char *one = end ? strndup(line, (size_t)(end - line)) :
						 util_xstrdup(line);

		if (one)
			n += a->runs_check == TOPO_RUNS_MATCHES ?
				     regexec(&re, one, 0, NULL, 0) == 0 :
				     strstr(one, a->pattern) != NULL;
		line = end ? end + 1 : NULL;
	}
	if (a->runs_check == TOPO_RUNS_MATCHES)
		regfree(&re);
	return n;
}

/* The last lines of a command's output, for a failure's detail. */
static const char *tail_lines(const char *text, int lines)
{
	const char *p = text + strlen(text);

	if (p > text && p[-1] == '\n')
		p--;
	while (p > text && lines > 0)
		if (*--p == '\n')
			lines--;
	return p == text ? p : p + 1;
}

/* A `runs` assertion: its command, stopped by a signal (*stop) or after limit_ms. */
/* A runs assertion's result, from its command's wait status st (or -errno) and output. */
static void runs_done(struct labtest_result *res, int st, const char *output, unsigned int limit_ms)
{
	const struct topo_assert *a = res->a;
	const char *out = output && *output ? output : NULL;

	if (st == -ETIME) {
		res->detail = util_xasprintf("it did not end within %.1f s: stopped%s%s",
					     limit_ms / 1000.0,
					     out ? "; the end of its output:\n" : "",
					     out ? tail_lines(out, 10) : "");
		return;
	}
	if (st < 0) {
		res->detail = util_xasprintf("cannot run it: %s", strerror(-st));
		return;
	}
	if (a->runs_check == TOPO_RUNS_STATUS) {
		res->ok = (WIFEXITED(st) && WEXITSTATUS(st) == 0) == a->expect_ok;
	} else {
		long n = count_lines(a, output ? output : "");

		res->ok = a->count < 0 ? n > 0 : n == a->count;
	}
	if (res->ok)
		return;
	if (WIFEXITED(st))
		res->detail = util_xasprintf("exit status %d; %s%s", WEXITSTATUS(st),
					     out ? "the end of its output:\n" : "no output",
					     out ? tail_lines(out, 10) : "");
	else
		res->detail = util_xasprintf("killed by signal %d", WTERMSIG(st));
}

/* Whether a protocol assertion's command cmd answered (exit status 0): 0, or fills the result's
 * detail and returns -1. */
static int daemon_answered(struct labtest_result *res, const char *cmd, int st, const char *out)
{
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (st < 0)
		res->detail = util_xasprintf("cannot run %s: %s", cmd, strerror(-st));
	else
		res->detail = util_xasprintf("%s failed (%s %d)%s%s", cmd,
					     WIFEXITED(st) ? "exit status" : "signal",
					     WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st),
					     out && *out ? ": " : "",
					     out && *out ? tail_lines(out, 3) : "");
	return -1;
}

/* ospf and bgp: FRR's vtysh (JSON), or BIRD's birdc when the node runs BIRD; from the answer to
 * the first command (cmd: its wait status st, its output out). */
static void proto_done(const struct topo *t, const char *state_dir, struct labtest_result *res,
		       const char *cmd, int st, const char *out, const volatile sig_atomic_t *stop,
		       unsigned int limit_ms)
{
	const struct topo_assert *a = res->a;
	bool bird = topo_node_find(t, a->src)->bird != NULL;
	_cleanup_free_ char *seen = NULL, *out2 = NULL;

	if (daemon_answered(res, cmd, st, out) < 0)
		return;
	if (bird && a->kind == TOPO_BGP_ADV) { /* BIRD: the routes its BGP protocol exports */
		_cleanup_free_ char *name = proto_bird_bgp_name(out, a->peer), *cmd2 = NULL;
		struct topo_cmd c = { 0 };

		if (!name) {
			res->detail = util_xasprintf("no BGP protocol with neighbor %s", a->peer);
			return;
		}
		c.text = cmd2 = proto_command(a, true, name);
		st = exec_run(t, node_idx(t, a->src), state_dir, &c, &out2, stop, limit_ms);
		if (daemon_answered(res, cmd2, st, out2) < 0)
			return;
		out = out2;
	}
	res->ok = proto_found(a, bird, out, &seen) == a->expect_ok;
	if (!res->ok)
		res->detail = steal_pointer(&seen);
}

/* The commands of the runs and protocol assertions, side by side (LABTEST_WIDTH per CPU, each
 * bounded by limit_ms): a section of many nodes' assertions takes about as long as its slowest. */
static void check_commands(const struct topo *t, const char *state_dir, struct labtest_result *res,
			   size_t n, const volatile sig_atomic_t *stop, unsigned int limit_ms)
{
	_cleanup_free_ struct exec_job *v = util_xcalloc(n ? n : 1, sizeof(*v));
	_cleanup_free_ struct topo_cmd *cmds = util_xcalloc(n ? n : 1, sizeof(*cmds));
	_cleanup_free_ size_t *of = util_xcalloc(n ? n : 1, sizeof(*of));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		const struct topo_assert *a = res[i].a;
		bool proto = a->kind == TOPO_OSPF || a->kind == TOPO_BGP || a->kind == TOPO_BGP_ADV;

		if (res[i].unfit || (a->kind != TOPO_RUNS && !proto))
			continue;
		cmds[m].text =
			proto ? proto_command(a, topo_node_find(t, a->src)->bird != NULL, NULL) :
				util_xstrdup(a->cmd);
		v[m] = (struct exec_job){ .node = node_idx(t, a->src), .cmd = &cmds[m] };
		of[m++] = i;
	}
	exec_batch(t, state_dir, v, m, LABTEST_WIDTH * (size_t)(cpus > 0 ? cpus : 1), stop,
		   limit_ms);
	for (size_t k = 0; k < m; k++) {
		struct labtest_result *r = &res[of[k]];

		if (r->a->kind == TOPO_RUNS)
			runs_done(r, v[k].status, v[k].output, limit_ms);
		else if (!*stop)
			proto_done(t, state_dir, r, cmds[k].text, v[k].status, v[k].output, stop,
				   limit_ms);
		free(v[k].output);
		free(cmds[k].text);
	}
}

/* The first nameserver of a resolv.conf, or -ENOENT. */
static int first_nameserver(const char *text, struct topo_prefix *server)
{
	_cleanup_free_ char *copy = util_xstrdup(text);
	char *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *w[3];

		if (util_split_words(line, " \t", 0, w, 3) >= 2 && !strcmp(w[0], "nameserver") &&
		    topo_prefix_parse(w[1], false, server) == 0)
			return 0;
	}
	return -ENOENT;
}

struct ask {
	const struct topo_assert *a;
	const struct topo_prefix *to;
	struct topo_prefix got[CLIENT_DNS_MAX];
	int rcode;
	unsigned int port;
	const char *host, *path;
	char *response;
};

#define CLIENT_TIMEOUT_MS 3000

static int dns_in(void *ctx)
{
	struct ask *q = ctx;

	return client_dns(q->to, q->a->name, q->a->addr.family, CLIENT_TIMEOUT_MS, q->got,
			  CLIENT_DNS_MAX, &q->rcode);
}

/* resolves: a DNS query made by netlab from the node, to SERVER or the node's own resolver. */
static void check_resolves(const struct topo *t, const char *state_dir, int orig,
			   struct labtest_result *res, const volatile sig_atomic_t *stop)
{
	const struct topo_assert *a = res->a;
	struct topo_prefix server = a->server;
	struct ask q = { .a = a, .to = &server };
	_cleanup_strbuf_ struct strbuf sb = { 0 };
	char b[64];
	int n;

	if (!a->has_server) { /* the node's /etc/resolv.conf, as the node sees it */
		_cleanup_free_ char *conf = NULL;
		struct topo_cmd c = { .text = "cat /etc/resolv.conf" };
		int st = exec_run(t, node_idx(t, a->src), state_dir, &c, &conf, stop, 10000);

		if (st != 0 || first_nameserver(conf ? conf : "", &server) < 0) {
			res->detail =
				util_xasprintf("%s has no nameserver in /etc/resolv.conf", a->src);
			return;
		}
	}
	n = in_netns(t, node_idx(t, a->src), orig, dns_in, &q);
	topo_prefix_str(&server, false, b, sizeof(b));
	if (n < 0) {
		res->detail = n == -ETIMEDOUT ?
				      util_xasprintf("no answer from %s within %.0f s", b,
						     CLIENT_TIMEOUT_MS / 1000.0) :
				      util_xasprintf("cannot ask %s: %s", b, strerror(-n));
		return;
	}
	for (int i = 0; i < n; i++) {
		res->ok |= topo_prefix_same_addr(&q.got[i], &a->addr);
		strbuf_addf(&sb, "%s%s", i ? ", " : "",
			    topo_prefix_str(&q.got[i], false, b, sizeof(b)));
	}
	if (res->ok)
		return;
	if (q.rcode)
		res->detail = util_xasprintf("the server answered %s",
					     q.rcode == 3 ? "NXDOMAIN (no such name)" :
					     q.rcode == 2 ? "SERVFAIL" :
					     q.rcode == 5 ? "REFUSED" :
							    "an error");
	else
		res->detail = util_xasprintf("%s resolves to %s", a->name,
					     n ? strbuf_str(&sb) : "no address of that family");
}

static int http_in(void *ctx)
{
	struct ask *q = ctx;

	return client_http_get(q->to, q->port, q->host, q->path, CLIENT_TIMEOUT_MS, &q->response);
}

/* http: a GET made by netlab from the node; HOST is an address or a node of the lab. */
static void check_http(const struct topo *t, int orig, struct labtest_result *res)
{
	const struct topo_assert *a = res->a;
	_cleanup_free_ char *host = NULL, *path = NULL;
	_cleanup_free_ struct topo_prefix *addrs = NULL;
	struct topo_prefix to;
	struct ask q = { .a = a, .to = &to };
	const char *body;
	int r, status;

	if (client_url_split(a->url, &host, &q.port, &path) < 0) {
		res->detail = util_xasprintf("'%s' is not http://HOST[:PORT]/PATH", a->url);
		return;
	}
	if (topo_prefix_parse(host, false, &to) < 0) {
		if (!topo_node_find(t, host) ||
		    !dst_addrs(t, topo_node_find(t, a->src), host, &addrs)) {
			res->detail = util_xasprintf(
				"%s is neither an address nor a node of this lab with one", host);
			return;
		}
		to = addrs[0];
	}
	q.host = host;
	q.path = path;
	if ((r = in_netns(t, node_idx(t, a->src), orig, http_in, &q)) < 0) {
		res->detail = util_xasprintf(
			"no page: %s", r == -ETIMEDOUT ? "no answer within 3 s" : strerror(-r));
		return;
	}
	status = client_http_status(q.response);
	body = strstr(q.response, "\r\n\r\n");
	body = body ? body + 4 : "";
	res->ok = status == (int)a->status && (!a->pattern || strstr(body, a->pattern));
	if (!res->ok && status != (int)a->status)
		res->detail = status < 0 ? util_xasprintf("not an HTTP answer: %.80s", q.response) :
					   util_xasprintf("status %d", status);
	else if (!res->ok)
		res->detail = util_xasprintf("status %d, but the page does not contain \"%s\"; it "
					     "begins: %.200s",
					     status, a->pattern, body);
	free(q.response);
}

struct busy_scan {
	ino_t *inos;
	size_t n;
	bool found;
};

static void busy_fn(const struct procs_entry *p, void *arg)
{
	struct busy_scan *bs = arg;

	for (size_t i = 0; i < bs->n && !bs->found; i++)
		bs->found = p->net_ino == bs->inos[i];
}

/* Whether a process runs in one of the lab's network namespaces (started by an exec, a startup
 * script, a daemon key: routing may still be converging). */
static bool lab_busy(const struct topo *t)
{
	_cleanup_free_ ino_t *inos = util_xcalloc(t->n_nodes + 1, sizeof(*inos));
	struct busy_scan bs = { .inos = inos };

	for (size_t i = 0; i < t->n_nodes; i++) {
		_cleanup_free_ char *pin = nsfs_netns_path(t->nodes[i].netns);
		struct stat sb;

		if (stat(pin, &sb) == 0)
			inos[bs.n++] = sb.st_ino;
	}
	return procs_scan(busy_fn, &bs) == 0 && bs.found;
}

struct comm_scan {
	ino_t ino;
	const char *name;
	bool found;
	struct strbuf seen;
	size_t n_seen;
};

static void comm_fn(const struct procs_entry *p, void *arg)
{
	struct comm_scan *cs = arg;
	char comm[64];

	if (p->net_ino != cs->ino)
		return;
	procs_comm(p->pid, comm, sizeof(comm));
	cs->found |= strcmp(comm, cs->name) == 0;
	if (cs->n_seen++ < 30)
		strbuf_addf(&cs->seen, "%s%s", cs->n_seen > 1 ? " " : "", comm);
}

static void check_daemon(const struct topo *t, struct labtest_result *res)
{
	const struct topo_assert *a = res->a;
	_cleanup_free_ char *pin = nsfs_netns_path(topo_node_find(t, a->src)->netns);
	struct comm_scan cs = { .name = a->name };
	struct stat sb;
	int r = stat(pin, &sb) < 0 ? -errno : 0;

	if (r == 0) {
		cs.ino = sb.st_ino;
		r = procs_scan(comm_fn, &cs);
	}

	if (r < 0) {
		res->detail = util_xasprintf("cannot look: %s", strerror(-r));
	} else {
		res->ok = cs.found == a->expect_ok;
		if (!res->ok)
			res->detail = util_xasprintf("processes in %s: %s", a->src,
						     cs.n_seen ? strbuf_str(&cs.seen) : "none");
	}
	strbuf_release(&cs.seen);
}

/* What RUNS contains/matches counts: [matches][one line]. */
static const char *const runs_verbs[2][2] = { { "contain", "contains" }, { "match", "matches" } };

/* What a failing assertion expected, in words. */
static char *expected_text(const struct topo_assert *a)
{
	_cleanup_strbuf_ struct strbuf sb = { 0 };
	char b[64];

	switch (a->kind) {
	case TOPO_REACH:
		strbuf_addf(&sb, "%s address of %s answers %s", a->expect_ok ? "every" : "no",
			    a->dst, a->src);
		break;
	case TOPO_PATH:
		strbuf_addf(&sb, "the path from %s reaches %s %s", a->src, a->dst,
			    a->expect_ok ? "through" : "without going through");
		for (size_t i = 0; i < a->n_via; i++)
			strbuf_addf(&sb, " %s", a->via[i]);
		break;
	case TOPO_ROUTE:
		strbuf_addf(&sb, "%s route to %s", a->expect_ok ? "a" : "no",
			    topo_prefix_str(&a->prefix, true, b, sizeof(b)));
		for (size_t i = 0; i < a->n_gws; i++)
			strbuf_addf(&sb, "%s%s", i ? " and " : " via ",
				    topo_prefix_str(&a->gws[i], false, b, sizeof(b)));
		strbuf_addf(&sb, " in %s's main table", a->src);
		break;
	case TOPO_PORT:
		strbuf_addf(&sb, "%s %s port %u in %s", a->expect_ok ? "a socket on" : "nothing on",
			    a->proto == IPPROTO_TCP ? "TCP" : "UDP", a->port, a->src);
		break;
	case TOPO_RUNS:
		if (a->runs_check == TOPO_RUNS_STATUS)
			strbuf_addf(&sb, "%s",
				    a->expect_ok ? "exit status 0" : "a non-zero exit status");
		else if (a->count < 0)
			strbuf_addf(&sb, "a line of output that %s \"%s\"",
				    a->runs_check == TOPO_RUNS_CONTAINS ? "contains" : "matches",
				    a->pattern);
		else /* "1 line ... that contains", "2 lines ... that contain" */
			strbuf_addf(&sb, "exactly %ld line%s of output that %s \"%s\"", a->count,
				    a->count == 1 ? "" : "s",
				    runs_verbs[a->runs_check == TOPO_RUNS_MATCHES][a->count == 1],
				    a->pattern);
		break;
	case TOPO_DAEMON:
		strbuf_addf(&sb, "%s process named %s in %s", a->expect_ok ? "a" : "no", a->name,
			    a->src);
		break;
	case TOPO_IFACE:
		strbuf_addf(&sb, "%s of %s %s", a->name, a->src,
			    a->expect_ok ? "up" : "down (or absent)");
		break;
	case TOPO_HAS:
		strbuf_addf(&sb, "%s on %s of %s", topo_prefix_str(&a->addr, true, b, sizeof(b)),
			    a->name, a->src);
		if (!a->expect_ok)
			strbuf_addf(&sb, " absent");
		break;
	case TOPO_OSPF:
		if (a->expect_ok)
			strbuf_addf(&sb, "OSPF neighbor %s of %s in state Full%s%s", a->peer,
				    a->src, a->role ? ", its role " : "", a->role ? a->role : "");
		else
			strbuf_addf(&sb, "no OSPF neighbor %s of %s in state Full", a->peer,
				    a->src);
		break;
	case TOPO_BGP:
		strbuf_addf(&sb, "the BGP session of %s with %s %s", a->src, a->peer,
			    a->expect_ok ? "established" : "not established");
		break;
	case TOPO_BGP_ADV:
		strbuf_addf(&sb, "%s advertised by %s to %s over BGP",
			    topo_prefix_str(&a->addr, true, b, sizeof(b)), a->src, a->peer);
		break;
	case TOPO_RESOLVES:
		strbuf_addf(&sb, "%s resolved to %s from %s", a->name,
			    topo_prefix_str(&a->addr, false, b, sizeof(b)), a->src);
		break;
	case TOPO_HTTP:
		strbuf_addf(&sb, "status %u for GET %s from %s", a->status, a->url, a->src);
		if (a->pattern)
			strbuf_addf(&sb, ", a page that contains \"%s\"", a->pattern);
		break;
	}
	return strbuf_detach(&sb);
}

/* One round over the assertions of one section: commands first (in order), then every
 * reachability probe at once, then the rest. */
static void check_round(const struct topo *t, const char *state_dir, int orig,
			struct labtest_result *res, size_t n, const volatile sig_atomic_t *stop,
			unsigned int runs_ms)
{
	for (size_t i = 0; i < n; i++) {
		char why[256];

		free(res[i].detail);
		free(res[i].expected);
		res[i].detail = res[i].expected = NULL;
		res[i].ok = false;
		if (res[i].unfit && !topo_assert_fits(res[i].a, t, why, sizeof(why)))
			res[i].detail = util_xstrdup(why);
	}
	if (!*stop)
		check_commands(t, state_dir, res, n, stop, runs_ms);
	check_reach(t, res, n);
	for (size_t i = 0; i < n; i++) {
		const struct topo_assert *a = res[i].a;
		char *seen = NULL;
		int r;

		if (res[i].unfit)
			continue;
		switch (a->kind) {
		case TOPO_REACH:
		case TOPO_RUNS:
		case TOPO_OSPF:
		case TOPO_BGP:
		case TOPO_BGP_ADV:
			break; /* checked above */
		case TOPO_PATH:
			check_path(t, &res[i]);
			break;
		case TOPO_DAEMON:
			check_daemon(t, &res[i]);
			break;
		case TOPO_RESOLVES:
			if (!*stop)
				check_resolves(t, state_dir, orig, &res[i], stop);
			break;
		case TOPO_HTTP:
			check_http(t, orig, &res[i]);
			break;
		case TOPO_ROUTE:
		case TOPO_PORT:
		case TOPO_IFACE:
		case TOPO_HAS:
			r = in_node(t, node_idx(t, a->src), orig, look_fn, a, &seen);
			if (r < 0) {
				res[i].detail = util_xasprintf("cannot look: %s", strerror(-r));
				free(seen);
				break;
			}
			res[i].ok = (r == 1) == a->expect_ok;
			if (!res[i].ok && a->kind == TOPO_ROUTE)
				res[i].detail = util_xasprintf(
					"%s's main table holds%s%s", a->src,
					seen && *seen ? ":\n" : " no route of that family",
					seen ? seen : "");
			else if (!res[i].ok)
				res[i].detail = seen ? util_xstrdup(seen) : NULL;
			free(seen);
			break;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!res[i].ok)
			res[i].expected = expected_text(res[i].a);
}

static unsigned long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

/* Sleeps ms, or less when *stop becomes non-zero (the signal that sets it ends nanosleep). */
static void sleep_ms(unsigned long ms, const volatile sig_atomic_t *stop)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	while (!*stop && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Whether the sections that section sec needs have all passed: 1; one failed: -1 (its index in
 * *failed); one is not done yet: 0. */
static int needs_met(const struct labtest_report *rep, const bool *done, size_t sec, size_t *failed)
{
	const struct topo_test *test = rep->sec[sec].test;
	int met = 1;

	for (size_t k = 0; k < test->n_needs; k++) {
		size_t need = test->needs[k];

		if (done[need] && !rep->sec[need].ok) {
			*failed = need;
			return -1;
		}
		if (!done[need])
			met = 0;
	}
	return met;
}

/* Section sec (its results res[0..n)), checked in rounds until all hold or its within, from the
 * run's start, has passed (one round at least). */
static void run_section(const struct topo *t, const char *state_dir, int orig,
			struct labtest_section *s, struct labtest_result *res, size_t n,
			unsigned long start, const volatile sig_atomic_t *stop)
{
	unsigned int runs_ms = s->within_ms > LABTEST_RUNS_MIN_MS ? s->within_ms :
								    LABTEST_RUNS_MIN_MS;

	for (;;) {
		unsigned long round_start = now_ms(), took;
		bool all = true;

		check_round(t, state_dir, orig, res, n, stop, runs_ms);
		s->rounds++;
		for (size_t i = 0; i < n; i++)
			all &= res[i].ok;
		s->ms = now_ms() - start;
		if (all || s->ms >= s->within_ms || *stop) {
			s->ok = all;
			return;
		}
		took = now_ms() - round_start;
		if (took < LABTEST_ROUND_MS)
			sleep_ms(LABTEST_ROUND_MS - took < s->within_ms - s->ms ?
					 LABTEST_ROUND_MS - took :
					 s->within_ms - s->ms,
				 stop);
	}
}

/* A section's outcome, as its process sends it: "rounds ms ok\n", then per assertion "ok
 * LEN:EXPECTED LEN:DETAIL" (LEN 0: none, else the text's length + 1). */
static void put_text(struct strbuf *b, const char *text)
{
	strbuf_addf(b, "%zu:", text ? strlen(text) + 1 : 0);
	if (text)
		strbuf_add(b, text, strlen(text));
}

static char *encode(const struct labtest_section *s, const struct labtest_result *res, size_t n)
{
	struct strbuf b = { 0 };

	strbuf_addf(&b, "%u %lu %d\n", s->rounds, s->ms, s->ok);
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(&b, "%d ", res[i].ok);
		put_text(&b, res[i].expected);
		put_text(&b, res[i].detail);
	}
	return strbuf_detach(&b);
}

static const char *get_text(const char *p, const char *end, char **out)
{
	char *colon = NULL;
	unsigned long len;

	if (!p || p >= end)
		return NULL;
	len = strtoul(p, &colon, 10);
	if (*colon != ':' || len > (unsigned long)(end - colon))
		return NULL;
	*out = len ? util_xasprintf("%.*s", (int)(len - 1), colon + 1) : NULL;
	return colon + 1 + (len ? len - 1 : 0);
}

/* Reads what encode wrote into s and res; false when it is cut or malformed. */
static bool decode(const char *p, size_t len, struct labtest_section *s, struct labtest_result *res,
		   size_t n)
{
	const char *end = p + len;
	int ok, used = 0;

	if (sscanf(p, "%u %lu %d\n%n", &s->rounds, &s->ms, &ok, &used) != 3 || !used)
		return false;
	s->ok = ok;
	p += used;
	for (size_t i = 0; i < n; i++) {
		if (p >= end || (*p != '0' && *p != '1') || p[1] != ' ')
			return false;
		res[i].ok = *p == '1';
		p = get_text(p + 2, end, &res[i].expected);
		p = get_text(p, end, &res[i].detail);
		if (!p)
			return false;
	}
	return true;
}

struct runner {
	pid_t pid;
	int fd; /* what its section's process writes */
	struct strbuf got;
};

/* Starts section sec in a process of its own, which sends its outcome on a pipe. */
static int spawn(const struct topo *t, const char *state_dir, int orig, struct labtest_report *rep,
		 size_t sec, struct labtest_result *res, unsigned long start,
		 const volatile sig_atomic_t *stop, struct runner *run)
{
	int pfd[2];

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	run->pid = fork();
	if (run->pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (run->pid == 0) {
		_cleanup_free_ char *text = NULL;

		close(pfd[0]);
		run_section(t, state_dir, orig, &rep->sec[sec], res, rep->sec[sec].test->n_asserts,
			    start, stop);
		text = encode(&rep->sec[sec], res, rep->sec[sec].test->n_asserts);
		_exit(util_write_all(pfd[1], text, strlen(text)) < 0 ? 1 : 0);
	}
	close(pfd[1]);
	run->fd = pfd[0];
	return 0;
}

/* Reads what a section's process sent; at its end, waits for it and fills its section. */
static bool collect(struct runner *run, struct labtest_report *rep, size_t sec,
		    struct labtest_result *res)
{
	char buf[4096];
	ssize_t n = read(run->fd, buf, sizeof(buf));
	int st;

	if (n > 0) {
		strbuf_add(&run->got, buf, (size_t)n);
		return false;
	}
	if (n < 0 && errno == EINTR)
		return false;
	close(run->fd);
	run->fd = -1;
	while (waitpid(run->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!run->got.len || !decode(strbuf_str(&run->got), run->got.len, &rep->sec[sec], res,
				     rep->sec[sec].test->n_asserts)) {
		rep->sec[sec].ok = false;
		for (size_t i = 0; i < rep->sec[sec].test->n_asserts; i++) {
			free(res[i].detail);
			res[i].ok = false;
			res[i].detail = util_xstrdup("not checked: its checking process failed");
		}
	}
	strbuf_release(&run->got);
	return true;
}

int labtest_run(const struct topo *t, const char *state_dir, const volatile sig_atomic_t *stop,
		struct labtest_report *out)
{
	_cleanup_close_ int orig = nsfs_open(NSFS_SELF_NET);
	_cleanup_free_ bool *done = NULL;
	_cleanup_free_ size_t *first = NULL;
	_cleanup_free_ struct runner *run = NULL;
	_cleanup_free_ struct pollfd *pfds = NULL;
	struct labtest_report rep = { 0 };
	unsigned long start = now_ms();
	size_t left = t->n_tests;
	bool busy = lab_busy(t);
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (orig < 0)
		return orig;
	rep.sec = util_xcalloc(t->n_tests, sizeof(*rep.sec));
	rep.n_sec = t->n_tests;
	done = util_xcalloc(t->n_tests + 1, sizeof(*done));
	first = util_xcalloc(t->n_tests + 1, sizeof(*first));
	run = util_xcalloc(t->n_tests + 1, sizeof(*run));
	pfds = util_xcalloc(t->n_tests + 1, sizeof(*pfds));
	for (size_t i = 0; i < t->n_tests; i++) {
		rep.sec[i].test = &t->tests[i];
		rep.sec[i].within_ms = topo_test_within(t, i, busy);
		first[i] = rep.n;
		run[i].fd = -1;
		for (size_t k = 0; k < t->tests[i].n_asserts; k++) {
			struct labtest_result *res = util_grow(&rep.v, &rep.n, sizeof(*res));

			char why[256];

			res->test = &t->tests[i];
			res->a = &t->tests[i].asserts[k];
			res->unfit = !topo_assert_fits(res->a, t, why, sizeof(why));
		}
	}
	/* Side by side: each section in a process of its own from when the sections it needs have
	 * passed, with its own deadline (its within from the start). */
	while (left > 0 && r == 0) {
		size_t n_poll = 0, failed = 0;

		for (size_t i = 0; i < t->n_tests && !*stop && r == 0; i++) {
			int met;

			if (done[i] || run[i].pid)
				continue;
			met = needs_met(&rep, done, i, &failed);
			if (met < 0) {
				for (size_t k = 0; k < t->tests[i].n_asserts; k++) {
					rep.v[first[i] + k].not_run = true;
					rep.v[first[i] + k].detail = util_xasprintf(
						"not checked: it needs [test %s], which failed",
						t->tests[failed].name);
				}
				done[i] = true;
				left--;
				i = (size_t)-1; /* those that need this one may now be decided */
			} else if (met > 0) {
				r = spawn(t, state_dir, orig, &rep, i, &rep.v[first[i]], start,
					  stop, &run[i]);
			}
		}
		for (size_t i = 0; i < t->n_tests; i++)
			if (run[i].fd >= 0)
				pfds[n_poll++] =
					(struct pollfd){ .fd = run[i].fd, .events = POLLIN };
		if (n_poll == 0)
			break; /* stopped before any started */
		if (poll(pfds, n_poll, -1) < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
		if (*stop)
			break;
		for (size_t i = 0, k = 0; i < t->n_tests; i++) {
			if (run[i].fd < 0)
				continue;
			if ((pfds[k++].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    collect(&run[i], &rep, i, &rep.v[first[i]])) {
				done[i] = true;
				left--;
			}
		}
	}
	/* a failure, or a signal: the processes still checking stop too (they catch it as we do) */
	for (size_t i = 0; i < t->n_tests; i++)
		if (run[i].fd >= 0) {
			kill(run[i].pid, SIGTERM);
			while (!collect(&run[i], &rep, i, &rep.v[first[i]]))
				;
		}
	rep.ms = now_ms() - start;
	*out = rep;
	if (r < 0)
		return r;
	return *stop ? -EINTR : 0;
}

void labtest_report_clear(struct labtest_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].detail);
		free(r->v[i].expected);
	}
	free(r->v);
	free(r->sec);
	memset(r, 0, sizeof(*r));
}
