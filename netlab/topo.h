/* topo.h: the topology model (nodes, links, addresses, routes) and its pure helpers. No I/O here. */
#ifndef NETLAB_TOPO_H
#define NETLAB_TOPO_H

#include <search.h>
#include <stdbool.h>
#include <stddef.h>

#define TOPO_IFNAMSIZ 16	 /* IFNAMSIZ: 15 bytes plus NUL */
#define TOPO_NAME_MAX 64	 /* lab, node and link names */
#define TOPO_NETNS_MAX 255	 /* a file name under /run/netns */
#define TOPO_HOSTNAME_MAX 64 /* HOST_NAME_MAX */

/* An address with its prefix length (192.168.1.1/24), or a network (10.0.0.0/8). */
struct topo_prefix {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned int len;
};

struct topo_addr {
	struct topo_prefix p;
	int line;
};

/* TOPO_LAN: the bridge of a [lan NAME] section, held in a namespace of its own like a node. */
enum topo_kind { TOPO_HOST, TOPO_ROUTER, TOPO_SWITCH, TOPO_LAN };

/* Link impairment, applied to an interface's egress (netem, and tbf for rate). */
enum {
	TOPO_IMP_DELAY = 1 << 0,
	TOPO_IMP_JITTER = 1 << 1,
	TOPO_IMP_LOSS = 1 << 2,
	TOPO_IMP_DUPLICATE = 1 << 3,
	TOPO_IMP_CORRUPT = 1 << 4,
	TOPO_IMP_REORDER = 1 << 5,
	TOPO_IMP_RATE = 1 << 6,
	TOPO_IMP_NETEM = TOPO_IMP_DELAY | TOPO_IMP_JITTER | TOPO_IMP_LOSS | TOPO_IMP_DUPLICATE | TOPO_IMP_CORRUPT | TOPO_IMP_REORDER,
};

struct topo_impair {
	unsigned int set; /* TOPO_IMP_* given */
	unsigned int delay_us, jitter_us;
	double loss, duplicate, corrupt, reorder; /* percent */
	unsigned long long rate_bps;
	int line;
};

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
	int end;     /* 0 or 1 */
	struct topo_addr *addrs;
	size_t n_addrs;
	int line; /* line of the key listing its addresses, or 0 */
	struct topo_impair imp; /* egress impairment in force (link value, or the end's own) */
	unsigned int vlan;	/* switch port: access VLAN, 0 for none */
	unsigned short *trunk; /* switch port: tagged VLANs */
	size_t n_trunk;
	int vlan_line;
};

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
	bool stp;
	int line;
};

struct topo_end {
	size_t node; /* index into topo.nodes; valid only when node_name resolved */
	bool resolved;
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
	bool lan;	       /* a member's link to a [lan]: ends[1] is the LAN's port */
	int line;
};

/* One assertion of a [test NAME] section (docs/testing-labs.md). */
enum topo_assert_kind { TOPO_REACH, TOPO_PATH, TOPO_ROUTE, TOPO_PORT, TOPO_RUNS };

struct topo_assert {
	enum topo_assert_kind kind;
	char *text; /* as written */
	char *src;  /* the node it runs from or on */
	char *dst;  /* REACH, PATH: a node name or an address */
	bool expect_ok; /* reachable / open / succeeds / present */
	char **via; /* PATH: the routers in order */
	size_t n_via;
	struct topo_prefix prefix; /* ROUTE */
	bool has_gw;
	struct topo_prefix gw;
	int proto; /* PORT: IPPROTO_TCP or IPPROTO_UDP */
	unsigned int port;
	char *cmd; /* RUNS */
	int line;
};

struct topo_test {
	char *name;
	struct topo_assert *asserts;
	size_t n_asserts;
	int line;
};

/* Problems found while loading or checking, each formatted as "FILE:LINE: message". */
struct topo_diag {
	char **msgs;
	size_t n;
};

struct topo {
	char *file;
	char *base_dir; /* where relative paths (startup, files) start: the file's directory */
	char *name;
	char *prefix; /* netns name prefix */
	char *description;
	struct topo_node *nodes;
	size_t n_nodes;
	struct topo_link *links;
	size_t n_links;
	struct topo_test *tests;
	size_t n_tests;
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
void topo_error(struct topo *t, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Indexes the nodes by name, so that topo_node_find is O(1); call again after adding nodes. */
void topo_index_nodes(struct topo *t);
/* Lookups; return NULL when absent. */
struct topo_node *topo_node_find(const struct topo *t, const char *name);
struct topo_iface *topo_iface_find(const struct topo_node *n, const char *ifname);
struct topo_link *topo_link_find(const struct topo *t, const char *name);

/* Address helpers. topo_prefix_parse accepts "ADDR/LEN", and "ADDR" when need_len is false
 * (the length is then the full one). Returns 0 or -EINVAL. */
int topo_prefix_parse(const char *s, bool need_len, struct topo_prefix *p);
/* Formats as "ADDR/LEN" (with_len) or "ADDR"; buf needs 64 bytes. */
const char *topo_prefix_str(const struct topo_prefix *p, bool with_len, char *buf, size_t size);
unsigned int topo_prefix_maxlen(int family);
/* True when a lies within network net (net->len bits compared). */
bool topo_prefix_contains(const struct topo_prefix *net, const struct topo_prefix *a);
/* True when the address has bits set beyond its prefix length. */
bool topo_prefix_has_host_bits(const struct topo_prefix *p);
bool topo_prefix_same_addr(const struct topo_prefix *a, const struct topo_prefix *b);
/* Parses "aa:bb:cc:dd:ee:ff". Returns 0 or -EINVAL. */
int topo_mac_parse(const char *s, unsigned char mac[6]);
/* Strict decimal: no sign, no leading zero, within [min, max]. Returns 0 or -EINVAL/-ERANGE. */
int topo_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* Name rules (documented in docs/topology.md). */
bool topo_name_valid(const char *s, size_t max);	  /* node and link names */
bool topo_lab_name_valid(const char *s, size_t max); /* lab name and netns prefix */
bool topo_hostname_valid(const char *s);
const char *topo_kind_str(enum topo_kind k);

/* Impairment values: "10ms" / "500us" / "1.5s" (to microseconds, at most 60 s), "0.5%" (0 to
 * 100), "100mbit" (bit, kbit, mbit, gbit; 1 kbit to 10 gbit). Return 0 or -EINVAL/-ERANGE. */
int topo_parse_time(const char *s, unsigned int *us);
int topo_parse_percent(const char *s, double *pct);
int topo_parse_rate(const char *s, unsigned long long *bps);
/* Sets one impairment field from "KEY" = "VALUE" (KEY: delay, jitter, loss, duplicate, corrupt,
 * reorder, rate). Returns 0, -ENOENT (not an impairment key) or -EINVAL/-ERANGE (bad value). */
int topo_impair_set(struct topo_impair *imp, const char *key, const char *value);
/* Fields set in over replace those of base. */
struct topo_impair topo_impair_merge(const struct topo_impair *base, const struct topo_impair *over);
/* "delay 10ms jitter 1ms loss 0.5% rate 10mbit", or "none". */
void topo_impair_str(const struct topo_impair *imp, char *buf, size_t size);
/* `netlab set`: changes impairment KEY (or KEY.NODE, one end or one LAN member) of the link or LAN
 * called name to value ("off" removes it), and the interfaces' impairment in force. Returns 0, or
 * -ENOENT (no such link or LAN, or NODE is not one of its ends), -EINVAL/-ERANGE (bad key or value)
 * with a reason in err. */
int topo_set_impair(struct topo *t, const char *name, const char *key, const char *value, char *err, size_t errlen);
/* Parses one assertion ("h1 -> h2 reachable", ...). Returns 0, or -EINVAL with a reason in err. */
int topo_assert_parse(const char *text, struct topo_assert *a, char *err, size_t errlen);
void topo_assert_clear(struct topo_assert *a);
/* The node that holds address p, or NULL. */
struct topo_node *topo_addr_owner(const struct topo *t, const struct topo_prefix *p);
/* An absolute path for a path written in the topology (relative to its directory). */
char *topo_path(const struct topo *t, const char *rel);
extern const char *const topo_impair_keys[7];



/* topo_ini.c: loads FILE. Returns 0 with *out set (problems, if any, are in (*out)->diag),
 * or -errno when the file cannot be read. */
int topo_load(const char *file, struct topo **out);

/* topo_check.c: adds every semantic problem of a loaded topology to t->diag.
 * Returns the number of problems in t->diag. */
size_t topo_check(struct topo *t);
#endif
