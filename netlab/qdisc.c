/* qdisc.c: link impairment through libnl's qdisc API: netem as the root qdisc (handle 1:), and
 * tbf for a rate, below netem (parent 1:1) or alone at the root (handle 10:). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/pkt_sched.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/qdisc/tbf.h>
#include <netlink/route/tc.h>

#include "net.h"

#define NETEM_HANDLE TC_HANDLE(1, 0)
#define TBF_HANDLE TC_HANDLE(10, 0)

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
		if (imp->set & TOPO_IMP_DELAY)
			rtnl_netem_set_delay(q, (int)imp->delay_us);
		if (imp->set & TOPO_IMP_JITTER)
			rtnl_netem_set_jitter(q, (int)imp->jitter_us);
		if (imp->set & TOPO_IMP_LOSS)
			rtnl_netem_set_loss(q, prob(imp->loss));
		if (imp->set & TOPO_IMP_DUPLICATE)
			rtnl_netem_set_duplicate(q, prob(imp->duplicate));
		if (imp->set & TOPO_IMP_CORRUPT)
			rtnl_netem_set_corruption_probability(q, prob(imp->corrupt));
		if (imp->set & TOPO_IMP_REORDER)
			rtnl_netem_set_reorder_probability(q, prob(imp->reorder));
		if ((r = qdisc_add(n, q)) < 0)
			return r;
	}
	if (imp->set & TOPO_IMP_RATE) {
		int bytes = (int)(imp->rate_bps / 8);
		int bucket = bytes / 250 > 3200 ? bytes / 250 : 3200; /* 4 ms worth, at least two frames */

		if (!(q = qdisc_new(ifindex, (imp->set & TOPO_IMP_NETEM) ? TC_HANDLE(1, 1) : TC_H_ROOT, TBF_HANDLE, "tbf")))
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
		imp->rate_bps = (unsigned long long)rate * 8;
		imp->set |= TOPO_IMP_RATE;
	}
}

int qdisc_read(struct nls *n, int ifindex, struct topo_impair *imp)
{
	struct nl_cache *cache = NULL;
	struct rtnl_qdisc *q;
	int r;

	memset(imp, 0, sizeof(*imp));
	nls_begin(n);
	if ((r = nls_result(n, rtnl_qdisc_alloc_cache(n->sk, &cache))) < 0)
		return r;
	q = rtnl_qdisc_get_by_parent(cache, ifindex, TC_H_ROOT);
	if (q && strcmp(rtnl_tc_get_kind(TC_CAST(q)), "netem") == 0) {
		struct {
			int v;
			unsigned int bit;
			double *pct;
		} p[] = {
			{ rtnl_netem_get_loss(q), TOPO_IMP_LOSS, &imp->loss },
			{ rtnl_netem_get_duplicate(q), TOPO_IMP_DUPLICATE, &imp->duplicate },
			{ rtnl_netem_get_corruption_probability(q), TOPO_IMP_CORRUPT, &imp->corrupt },
			{ rtnl_netem_get_reorder_probability(q), TOPO_IMP_REORDER, &imp->reorder },
		};
		int delay = rtnl_netem_get_delay(q), jitter = rtnl_netem_get_jitter(q);

		if (delay > 0) {
			imp->delay_us = (unsigned int)delay;
			imp->set |= TOPO_IMP_DELAY;
		}
		if (jitter > 0) {
			imp->jitter_us = (unsigned int)jitter;
			imp->set |= TOPO_IMP_JITTER;
		}
		for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++)
			if (p[i].v != 0 && p[i].v != -NLE_NOATTR) {
				*p[i].pct = pct(p[i].v);
				imp->set |= p[i].bit;
			}
		rtnl_qdisc_put(q);
		q = rtnl_qdisc_get_by_parent(cache, ifindex, TC_HANDLE(1, 1));
	}
	if (q && strcmp(rtnl_tc_get_kind(TC_CAST(q)), "tbf") == 0)
		read_tbf(q, imp);
	if (q)
		rtnl_qdisc_put(q);
	nl_cache_free(cache);
	return 0;
}
