/* qdisc.c: link impairment through libnl's qdisc API: netem as the root qdisc (handle 1:), and
 * tbf for a rate, below netem (parent 1:1) or alone at the root (handle 10:). */
#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <linux/pkt_sched.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>

#include "net.h"
#include "util.h"

#define NETEM_HANDLE TC_HANDLE(1, 0)
#define TBF_HANDLE TC_HANDLE(10, 0)

/* netem's side of the impairment table (model/impair.h): every field but rate, which is tbf's. */
static const struct {
	void (*set)(struct rtnl_qdisc *q, int v);
	int (*get)(struct rtnl_qdisc *q);
} netem[TOPO_IMPF_COUNT] = {
	[TOPO_IMPF_DELAY] = { rtnl_netem_set_delay, rtnl_netem_get_delay },
	[TOPO_IMPF_JITTER] = { rtnl_netem_set_jitter, rtnl_netem_get_jitter },
	[TOPO_IMPF_LOSS] = { rtnl_netem_set_loss, rtnl_netem_get_loss },
	[TOPO_IMPF_DUPLICATE] = { rtnl_netem_set_duplicate, rtnl_netem_get_duplicate },
	[TOPO_IMPF_CORRUPT] = { rtnl_netem_set_corruption_probability,
				rtnl_netem_get_corruption_probability },
	[TOPO_IMPF_REORDER] = { rtnl_netem_set_reorder_probability,
				rtnl_netem_get_reorder_probability },
};

static int prob(double pct)
{
	return (int)(uint32_t)(pct / 100.0 * 4294967295.0 + 0.5);
}

static double pct(int prob_)
{
	return (double)(uint32_t)prob_ * 100.0 / 4294967295.0;
}

static struct rtnl_qdisc *qdisc_new(int ifindex, uint32_t parent, uint32_t handle, const char *kind)
{
	struct rtnl_qdisc *q = rtnl_qdisc_alloc();

	if (!q)
		return NULL;
	rtnl_tc_set_ifindex(TC_CAST(q), ifindex);
	rtnl_tc_set_parent(TC_CAST(q), parent);
	rtnl_tc_set_handle(TC_CAST(q), handle);
	if (kind && rtnl_tc_set_kind(TC_CAST(q), kind) < 0) {
		rtnl_qdisc_put(q);
		return NULL;
	}
	return q;
}

/* Adds q, replacing what is at its parent (so a failure leaves the old qdisc in place). */
static int qdisc_add(struct nls *n, struct rtnl_qdisc *q)
{
	int r;

	nls_begin(n);
	r = nls_result(n, rtnl_qdisc_add(n->sk, q, NLM_F_CREATE | NLM_F_REPLACE));
	rtnl_qdisc_put(q);
	return r;
}

int qdisc_apply(struct nls *n, int ifindex, const struct topo_impair *imp)
{
	struct rtnl_qdisc *q;
	int r;

	if (!(imp->set & (TOPO_IMP_NETEM | TOPO_IMP_RATE))) {
		if (!(q = qdisc_new(ifindex, TC_H_ROOT, 0, NULL)))
			return -ENOMEM;
		nls_begin(n);
		r = nls_result(n, rtnl_qdisc_delete(n->sk, q)); /* none there is fine */
		rtnl_qdisc_put(q);
		return r == -ENOENT || r == -EINVAL ? 0 : r;
	}
	if (imp->set & TOPO_IMP_NETEM) {
		if (!(q = qdisc_new(ifindex, TC_H_ROOT, NETEM_HANDLE, "netem")))
			return -ENOMEM;
		rtnl_netem_set_limit(q, 10000);
		for (int f = 0; f < TOPO_IMPF_COUNT; f++)
			if (netem[f].set && (imp->set & (1u << f)))
				netem[f].set(q, topo_impair_info[f].unit == TOPO_UNIT_TIME ?
							(int)imp->v[f] :
							prob(imp->v[f]));
		if ((r = qdisc_add(n, q)) < 0)
			return r;
	}
	if (imp->set & TOPO_IMP_RATE) {
		int bytes = (int)(imp->v[TOPO_IMPF_RATE] / 8);
		int bucket = bytes / 250 > 3200 ? bytes / 250 : 3200; /* 4 ms worth, at least two
									 frames */

		if (!(q = qdisc_new(ifindex,
				    (imp->set & TOPO_IMP_NETEM) ? TC_HANDLE(1, 1) : TC_H_ROOT,
				    TBF_HANDLE, "tbf")))
			return -ENOMEM;
		rtnl_qdisc_tbf_set_rate(q, bytes, bucket, 0);
		rtnl_qdisc_tbf_set_limit_by_latency(q, 100000);
		if ((r = qdisc_add(n, q)) < 0)
			return r;
	}
	return 0;
}

static void read_tbf(struct rtnl_qdisc *q, struct topo_impair *imp)
{
	int rate = rtnl_qdisc_tbf_get_rate(q);

	if (rate > 0) {
		imp->v[TOPO_IMPF_RATE] = (double)rate * 8;
		imp->set |= TOPO_IMP_RATE;
	}
}

struct qdisc_found {
	int ifindex;
	bool netem_root;
	struct topo_impair imp;
};

static int cmp_found(const void *a, const void *b)
{
	int x = ((const struct qdisc_found *)a)->ifindex,
	    y = ((const struct qdisc_found *)b)->ifindex;

	return x < y ? -1 : x > y;
}

static void read_netem(struct rtnl_qdisc *q, struct topo_impair *imp)
{
	for (int f = 0; f < TOPO_IMPF_COUNT; f++) {
		int v = netem[f].get ? netem[f].get(q) : 0;
		bool time = topo_impair_info[f].unit == TOPO_UNIT_TIME;

		if (time ? v > 0 : v != 0 && v != -NLE_NOATTR) {
			imp->v[f] = time ? v : pct(v);
			imp->set |= 1u << f;
		}
	}
}

int qdisc_read_all(struct nls *n, void (*fn)(int ifindex, const struct topo_impair *imp, void *arg),
		   void *arg)
{
	struct nl_cache *cache = NULL;
	_cleanup_free_ struct qdisc_found *v = NULL;
	size_t nv = 0;
	int r;

	nls_begin(n);
	if ((r = nls_result(n, rtnl_qdisc_alloc_cache(n->sk, &cache))) < 0)
		return r;
	/* one dump, two passes: the root qdiscs, then a tbf below a root netem (parent 1:1) */
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_qdisc *q = (struct rtnl_qdisc *)o;
		const char *kind = rtnl_tc_get_kind(TC_CAST(q));
		struct qdisc_found *f;

		if (rtnl_tc_get_parent(TC_CAST(q)) != TC_H_ROOT || !kind ||
		    (strcmp(kind, "netem") && strcmp(kind, "tbf")))
			continue;
		f = util_grow(&v, &nv, sizeof(*f));
		f->ifindex = rtnl_tc_get_ifindex(TC_CAST(q));
		f->netem_root = strcmp(kind, "netem") == 0;
		if (f->netem_root)
			read_netem(q, &f->imp);
		else
			read_tbf(q, &f->imp);
	}
	if (nv)
		qsort(v, nv, sizeof(*v), cmp_found);
	for (struct nl_object *o = nl_cache_get_first(cache); o && nv; o = nl_cache_get_next(o)) {
		struct rtnl_qdisc *q = (struct rtnl_qdisc *)o;
		const char *kind = rtnl_tc_get_kind(TC_CAST(q));
		struct qdisc_found key = { .ifindex = rtnl_tc_get_ifindex(TC_CAST(q)) }, *f;

		if (rtnl_tc_get_parent(TC_CAST(q)) != TC_HANDLE(1, 1) || !kind ||
		    strcmp(kind, "tbf"))
			continue;
		f = bsearch(&key, v, nv, sizeof(*v), cmp_found);
		if (f && f->netem_root)
			read_tbf(q, &f->imp);
	}
	nl_cache_free(cache);
	for (size_t i = 0; i < nv; i++)
		if (v[i].imp.set)
			fn(v[i].ifindex, &v[i].imp, arg);
	return 0;
}
