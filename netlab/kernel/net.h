/* net.h: kernel objects inside a node, through libnl-route-3: veth pairs and links (link.c),
 * addresses (addr.c), routes (route.c), sysctls (sysctl.c). Never print; return 0 or -errno. */
#ifndef NETLAB_NET_H
#define NETLAB_NET_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "nls.h"
#include "topo.h"
#include "attr.h"

/* One veth pair, each end created directly in its own namespace under its final name and
 * ifindex. mac[i] may be NULL; mtu 0 keeps the default. */
struct link_veth {
	const char *name[2];
	int ns_fd[2];
	int ifindex[2];
	const unsigned char *mac[2];
	unsigned int mtu;
};

_must_check_ int link_veth_add(struct nls *n, const struct link_veth *v);
/* Brings up lo of the network namespace the calling thread is in (where no netlink socket is open
 * yet: one ioctl). Returns 0 or -errno. */
_must_check_ int link_lo_up_here(void);
/* Brings ifindex up; with master > 0, also makes it a port of that bridge, in the same request. */
_must_check_ int link_set_up(struct nls *n, int ifindex, int master);
/* Takes ifindex down (admin down: its peer loses carrier). */
_must_check_ int link_set_down(struct nls *n, int ifindex);
/* Deletes ifindex (a veth: both ends). */
_must_check_ int link_del(struct nls *n, int ifindex);

/* bridge.c: a bridge (STP and VLAN filtering as asked), and a port's VLANs: access (untagged,
 * PVID) and/or tagged trunk VLANs, replacing the default VLAN 1. */
_must_check_ int bridge_add(struct nls *n, const char *name, int ifindex, bool stp,
			    bool vlan_filtering);
_must_check_ int bridge_port_vlans(struct nls *n, int port, unsigned int access,
				   const unsigned short *trunk, size_t n_trunk);

/* qdisc.c: the interface's egress impairment: netem (delay, jitter, loss, duplicate, corrupt,
 * reorder) as root with tbf (rate) below it, or tbf alone. Replaces what was there; an empty imp
 * removes it. -ENOENT from the kernel means the qdisc's module is missing. */
_must_check_ int qdisc_apply(struct nls *n, int ifindex, const struct topo_impair *imp);
/* Reads back the impairment in force on every interface of the namespace in one dump: fn(ifindex,
 * imp, arg) for each that has some. */
_must_check_ int qdisc_read_all(struct nls *n,
				void (*fn)(int ifindex, const struct topo_impair *imp, void *arg),
				void *arg);

/* Adds ADDR/LEN on ifindex; IPv6 addresses skip duplicate address detection (IFA_F_NODAD). */
_must_check_ int addr_add(struct nls *n, int ifindex, const struct topo_prefix *p);
_must_check_ int addr_del(struct nls *n, int ifindex, const struct topo_prefix *p);

/* Adds a static route in the main table; ifindex 0 lets the kernel pick the device. */
_must_check_ int route_add(struct nls *n, const struct topo_route *r, int ifindex);
/* Deletes that route (-ESRCH: there is none). */
_must_check_ int route_del(struct nls *n, const struct topo_route *r, int ifindex);

/* What a namespace holds, for `status` (netinfo.c). Strings as `ip` prints them. */
struct net_iface {
	char name[TOPO_IFNAMSIZ];
	char master[TOPO_IFNAMSIZ]; /* bridge it is a port of, or "" */
	char impair[128]; /* topo_impair_str of its egress qdiscs, or "" */
	char state[32]; /* operstate: UP, DOWN, UNKNOWN, ... */
	char **addrs; /* "ADDR/LEN" */
	size_t n_addrs;
};

struct net_nexthop {
	char via[64]; /* "" when none */
	char dev[TOPO_IFNAMSIZ];
};

struct net_route {
	char dst[64]; /* "default" or "PREFIX/LEN" */
	int family;
	struct net_nexthop *nhs; /* every next hop (several: a multipath route) */
	size_t n_nhs;
};

struct net_info {
	struct net_iface *ifaces;
	size_t n_ifaces;
	struct net_route *routes; /* unicast routes of the main table */
	size_t n_routes;
};

_must_check_ int net_info_get(struct nls *n, struct net_info *out);
/* Interface name of info, or NULL. (Inline: pure code links it without libnl.) */
static inline const struct net_iface *net_info_iface(const struct net_info *info, const char *name)
{
	for (size_t k = 0; k < info->n_ifaces; k++)
		if (strcmp(info->ifaces[k].name, name) == 0)
			return &info->ifaces[k];
	return NULL;
}
/* Whether ifc holds address p with p's length (the kernel's text is "ADDR/LEN", or "ADDR" for a
 * full length). */
static inline bool net_iface_has(const struct net_iface *ifc, const struct topo_prefix *p)
{
	for (size_t a = 0; a < ifc->n_addrs; a++) {
		struct topo_prefix got;

		if (topo_prefix_parse(ifc->addrs[a], false, &got) == 0 && got.len == p->len &&
		    topo_prefix_same_addr(&got, p))
			return true;
	}
	return false;
}
/* 1 when the main table holds a route to dst with each of gws among its next hops (any route to
 * dst when n_gws is 0), 0 when not, or -errno. *seen (to be freed) lists the main table's routes of
 * dst's family, as `ip route` prints them, one a line (at most 20). */
_must_check_ int net_route_find(struct nls *n, const struct topo_prefix *dst,
				const struct topo_prefix *gws, size_t n_gws, char **seen);
/* The operational state of interface name (UP, DOWN, LOWERLAYERDOWN, ...) into state; -ENODEV
 * when there is no such interface. */
_must_check_ int net_link_state(struct nls *n, const char *name, char *state, size_t size);
/* Whether an operational state counts as up: UP, or UNKNOWN (lo, and drivers that do not say). */
static inline bool net_state_up(const char *state)
{
	return strcmp(state, "UP") == 0 || strcmp(state, "UNKNOWN") == 0;
}
/* 1 when a socket of proto (IPPROTO_TCP: listening; IPPROTO_UDP: bound) uses port in the
 * current network namespace, 0 when not, or -errno. */
_must_check_ int net_port_open(int proto, unsigned int port);
void net_info_clear(struct net_info *info);

/* Writes VALUE to /proc/sys/KEY (dots become slashes) in the current network namespace. */
_must_check_ int sysctl_write(const char *key, const char *value);

#endif
