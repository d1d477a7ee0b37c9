/* health_read.h: a running lab's nodes read from the kernel and /proc (namespace, interfaces,
 * addresses, routes, processes, daemons, FRR) and judged by health.h against their topology: all
 * that status prints. Never prints. */
#ifndef NETLAB_HEALTH_READ_H
#define NETLAB_HEALTH_READ_H

#include <stdbool.h>
#include <sys/types.h>

#include "attr.h"
#include "health.h"
#include "lab.h"
#include "net.h"

/* One node of a running lab as read from the kernel and /proc, and judged against its topology. */
struct health_node {
	const struct topo_node *n;
	enum lab_ns_status status;
	ino_t ino;
	int err; /* reading its namespace failed: -errno */
	struct net_info info;
	struct node_proc {
		pid_t pid;
		char comm[64];
	} * procs;
	size_t n_procs;
	struct node_daemon {
		pid_t pid;
		bool running;
	} * daemons;
	size_t n_daemons;
	struct health health; /* what differs from what the topology declares */
};

/* Reads and judges every node of l: (*out)[i] for node i. Returns 0 or -errno (netlab's own
 * namespace or /proc cannot be read). */
_must_check_ int health_read_lab(const struct lab *l, struct health_node **out);
void health_nodes_free(struct health_node *v, size_t n);
/* The lab's state in one word: partial (an up did not finish), applying (an apply did not),
 * degraded (bad nodes not ok), up. */
const char *health_lab_word(const struct lab *l, size_t bad);

#endif
