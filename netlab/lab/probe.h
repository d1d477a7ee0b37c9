/* probe.h: ICMP echo probes and traceroutes sent from inside nodes, in parallel, through raw
 * sockets opened in each node's namespace (no ping process per pair). Never prints. */
#ifndef NETLAB_PROBE_H
#define NETLAB_PROBE_H

#include "topo.h"
#include "attr.h"

struct probe {
	size_t src; /* index of the node it is sent from */
	struct topo_prefix dst; /* an address (full length) */
	size_t dst_node; /* index of the node that holds it, when the maker knows (ping) */
	unsigned int sent, received;
	double rtt_min, rtt_max, rtt_sum; /* ms, over the replies */
};

/* Sends count echo requests for every probe, rounds PROBE_INTERVAL_MS apart, and resends to the
 * pairs that got no reply yet every PROBE_RETRY_MS, until every probe has count replies or
 * timeout_ms have passed since the last round. The sockets are opened in the namespaces of the
 * lab's nodes (NETNS_RUN_DIR/NS): all at once, or in batches of probes when the open-file limit
 * does not allow a socket per node (then the timeout is waited per batch). Returns 0 or -errno
 * (-EMFILE: the limit leaves too few files). */
_must_check_ int probe_run(const struct topo *t, struct probe *v, size_t n, unsigned int count,
			   unsigned int timeout_ms);

#define PROBE_INTERVAL_MS 200
#define PROBE_RETRY_MS 500

#define PROBE_TRACE_SILENT 3
#define PROBE_TRACE_RESEND_MS 250

/* A traceroute from node src to dst with TTL-limited echo requests (at most max_hops hops, each
 * waited for at most wait_ms, its request sent again every PROBE_TRACE_RESEND_MS until answered;
 * it stops after PROBE_TRACE_SILENT hops in a row without answer).
 * hops[i] is the address that answered at TTL i + 1 (family 0: no answer); *reached tells whether
 * dst answered, as the last hop. Returns 0 or -errno. */
_must_check_ int probe_trace(const struct topo *t, size_t src, const struct topo_prefix *dst,
			     struct topo_prefix *hops, size_t max_hops, size_t *n_hops,
			     bool *reached, unsigned int wait_ms);

#endif
