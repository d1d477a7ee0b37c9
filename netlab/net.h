/* net.h: kernel objects inside a node, through libnl-route-3: veth pairs and links (link.c),
 * addresses (addr.c), routes (route.c), sysctls (sysctl.c). Never print; return 0 or -errno. */
#ifndef NETLAB_NET_H
#define NETLAB_NET_H

#include <stdbool.h>
#include <stdio.h>

#include "nls.h"
#include "topo.h"

/* One veth pair, each end created directly in its own namespace under its final name and
 * ifindex. mac[i] may be NULL; mtu 0 keeps the default. */
struct link_veth {
	const char *name[2];
	int ns_fd[2];
	int ifindex[2];
	const unsigned char *mac[2];
	unsigned int mtu;
};

int link_veth_add(struct nls *n, const struct link_veth *v);
int link_set_up(struct nls *n, int ifindex);

/* Adds ADDR/LEN on ifindex; IPv6 addresses skip duplicate address detection (IFA_F_NODAD). */
int addr_add(struct nls *n, int ifindex, const struct topo_prefix *p);

/* Adds a static route in the main table; ifindex 0 lets the kernel pick the device. */
int route_add(struct nls *n, const struct topo_route *r, int ifindex);

/* Writes VALUE to /proc/sys/KEY (dots become slashes) in the current network namespace. */
int sysctl_write(const char *key, const char *value);




#endif
