/* topo.h: the topology model (nodes, links, addresses, routes, tests), its lookups and its
 * validator. Pure: no I/O. Its values (addresses, names, numbers) are value.h's; how a running
 * lab's model changes (`netlab set`, `netlab link`), topo_set.c's; how it is read, format/. */
#ifndef NETLAB_TOPO_H
#define NETLAB_TOPO_H

#include <search.h>
#include <stdbool.h>
#include <stddef.h>

#include "attr.h"
#include "impair.h"
#include "value.h"

struct topo_addr {
	struct topo_prefix p;
	int line;
};

/* TOPO_LAN: the bridge of a [lan NAME] section, held in a namespace of its own like a node. */
enum topo_kind { TOPO_HOST, TOPO_ROUTER, TOPO_SWITCH, TOPO_LAN };

/* A command run inside a node: exec (at the end of up), startup (a script), daemon. */
struct topo_cmd {
	char *text; /* the command line, or the script's path as written */
	bool script;
	int line;
};

/* One interface of a node: one end of a link. */
struct topo_iface {
	char name[TOPO_IFNAMSIZ];
	size_t link; /* index into topo.links */
	int end; /* 0 or 1 */
	struct topo_addr *addrs;
	size_t n_addrs;
	int line; /* line of the key listing its addresses, or 0 */
	struct topo_impair imp; /* egress impairment in force (link value, or the end's own) */
	unsigned int vlan; /* switch port: access VLAN, 0 for none */
	unsigned short *trunk; /* switch port: tagged VLANs */
	size_t n_trunk;
	int vlan_line;
	bool down; /* on a running lab: taken down on purpose (`netlab link`): admin down */
	bool cut; /* on a running lab: its link carries nothing, one of its ends being down */
	/* on a running lab: the ifindex `apply` gave it, or 0 (see topo_iface_ifindex) */
	int ifindex;
};

/* The ifindex of an interface of a lab: each its own, so that the two ends of a veth never share
 * one (the kernel treats a veth whose ifindex equals its peer's as a non-urgent link event and
 * delays its carrier by up to a second): TOPO_IFINDEX_BASE + 2 * link + end, unless `apply` chose
 * another (an interface keeps its ifindex while the lab runs; new ones take free ones). */
#define TOPO_IFINDEX_BASE 100 /* above the fallback tunnel devices a new namespace may hold */
static inline int topo_iface_ifindex(const struct topo_iface *ifc)
{
	return ifc->ifindex ? ifc->ifindex : TOPO_IFINDEX_BASE + 2 * (int)ifc->link + ifc->end;
}

struct topo_route {
	struct topo_prefix dst; /* len 0: default route */
	bool has_via;
	struct topo_prefix via; /* len = full length */
	char dev[TOPO_IFNAMSIZ];
	int line;
};

struct topo_sysctl {
	char *key; /* net.ipv4.ip_forward */
	char *value;
	int line;
};

struct topo_node {
	char *name;
	char *hostname;
	enum topo_kind kind;
	char *netns; /* prefix + name */
	struct topo_iface *ifaces;
	size_t n_ifaces;
	struct topo_route *routes; /* gateways come first, then routes in file order */
	size_t n_routes;
	struct topo_sysctl *sysctls;
	size_t n_sysctls;
	struct topo_cmd *execs; /* exec, exec.N (by N), startup: in order */
	size_t n_execs;
	struct topo_cmd *daemons;
	size_t n_daemons;
	char *files; /* files = DIR, as written */
	int files_line;
	char *frr; /* frr = FILE: FRR's integrated configuration, as written */
	int frr_line;
	char *bird; /* bird = FILE: BIRD 2's configuration, as written */
	int bird_line;
	char *image; /* image = NAME: the node's root is that image's (netlab image), or NULL */
	int image_line;
	unsigned long memory_mib; /* memory = SIZE: what its processes may use (0: no limit) */
	unsigned long cpus_centi; /* cpus = N: CPU time, in hundredths of a CPU (0: no limit) */
	bool stp;
	int line;
};

struct topo_end {
	size_t node; /* index into topo.nodes; valid only when node_name resolved */
	bool resolved;
	size_t iface; /* its interface: index + 1 in the node's ifaces, as the loader made it (0:
			 not) */
	char *node_name;
	char ifname[TOPO_IFNAMSIZ];
	bool has_mac;
	unsigned char mac[6];
	int mac_line;
	struct topo_impair imp; /* this end's own values (KEY.NODE) */
};

struct topo_link {
	char *name;
	struct topo_end ends[2];
	unsigned int mtu; /* 0: kernel default */
	struct topo_impair imp; /* the link's values, for both ends */
	bool lan; /* a member's link to a [lan]: ends[1] is the LAN's port */
	int line;
};

struct topo_test; /* assertion.h */

/* The bounds of what a lab's nodes may write ([lab] layers-size, logs-size), in MiB */
#define TOPO_LAYERS_MIB_DEFAULT 1024
#define TOPO_LOGS_MIB_DEFAULT 64
#define TOPO_SIZE_MIB_MIN 1
#define TOPO_SIZE_MIB_MAX (1024UL * 1024) /* 1 TiB */

struct topo {
	char *file;
	char *text; /* the file as read, once: what was checked is what up saves */
	size_t text_len;
	char *base_dir; /* where relative paths (startup, files) start: the file's directory */
	char *name;
	char *prefix; /* netns name prefix */
	char *description;
	char *shared; /* [lab] shared = DIR: every node's /shared, as written (NULL: none) */
	int shared_line;
	unsigned long layers_mib; /* [lab] layers-size: what all nodes may write (their layers) */
	unsigned long logs_mib; /* [lab] logs-size: what all daemons may log */
	struct topo_node *nodes;
	size_t n_nodes;
	struct topo_link *links;
	size_t n_links;
	struct topo_test *tests;
	size_t n_tests;
	bool has_test_within; /* [defaults test] within = DURATION */
	unsigned int test_within_ms;
	struct topo_diag diag;
	int line; /* line of [lab] */
	struct hsearch_data *node_index; /* name -> index + 1, see topo_index_nodes */
};

struct topo *topo_new(const char *file);
void topo_free(struct topo *t);
static inline void topo_freep(struct topo **t)
{
	topo_free(*t);
}
#define _cleanup_topo_ __attribute__((cleanup(topo_freep)))

/* Records a problem at LINE (0: the whole file). */
void topo_error(struct topo *t, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Indexes the nodes by name, so that topo_node_find is O(1); call again after adding nodes. */
void topo_index_nodes(struct topo *t);
/* Lookups; return NULL when absent. */
struct topo_node *topo_node_find(const struct topo *t, const char *name);
struct topo_iface *topo_iface_find(const struct topo_node *n, const char *ifname);
struct topo_link *topo_link_find(const struct topo *t, const char *name);
/* Whether l is one of the links NAME stands for: the [link NAME], or a member's link to [lan NAME].
 */
bool topo_link_in(const struct topo *t, const struct topo_link *l, const char *name);
/* Whether the node (interface) has an address of family (0: any). */
bool topo_node_has_family(const struct topo_node *n, int family);
bool topo_iface_has_family(const struct topo_iface *ifc, int family);

/* A route as the plan and messages show it: "10.0.0.0/8 via 10.0.1.1 dev eth1", "default",
 * "default (IPv6)"; buf needs 160 bytes. */
const char *topo_route_str(const struct topo_route *r, char *buf, size_t size);
const char *topo_kind_str(enum topo_kind k);
/* Whether route r of node n goes through an interface whose link is cut (its dev, or the interface
 * whose subnet holds its gateway, when no interface that is not cut holds it). */
bool topo_route_cut(const struct topo_node *n, const struct topo_route *r);
/* The node that holds address p, or NULL. */
struct topo_node *topo_addr_owner(const struct topo *t, const struct topo_prefix *p);
/* An absolute path for a path written in the topology (relative to its directory). */
char *topo_path(const struct topo *t, const char *rel);

/* The `within` of test section i: its own, else [defaults test]'s, else TOPO_WITHIN_DAEMONS_MS when
 * the lab runs daemons or STP, or busy (processes run in its nodes, however started: an `exec`, a
 * startup script), else 0 (checked once). */
unsigned int topo_test_within(const struct topo *t, size_t i, bool busy);

/* topo_check.c: adds every semantic problem of a loaded topology to t->diag.
 * Returns the number of problems in t->diag. */
size_t topo_check(struct topo *t);
/* Adds to tests->diag every assertion of tests->tests that names a node or an address lab lacks. */
void topo_check_tests(struct topo *tests, const struct topo *lab);
/* Whether assertion a fits lab (its nodes, addresses and interfaces are the lab's); if not, why
 * into why ("no node 'h9' in this lab", "10.0.0.9: no such address in this lab", ...). */
struct topo_assert;
bool topo_assert_fits(const struct topo_assert *a, const struct topo *lab, char *why, size_t size);
#endif
