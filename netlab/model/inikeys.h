/* inikeys.h: every key a topology file may hold, by section: what netlab.ini(5) documents and
 * what the loader reads (topo_ini.c asserts that each key it looks up is listed here). Pure. */
#ifndef NETLAB_INIKEYS_H
#define NETLAB_INIKEYS_H

#include <stdbool.h>
#include <stddef.h>

struct topo_ini_key {
	/* "lab", "node", "link", "lan", "test", "defaults" or "defaults test" */
	const char *section;
	/* A key, or a family written with its placeholder in capitals: "sysctl.KEY", "exec.N",
	 * "mac.NODE", "vlan.IF", "KEY.NODE" (an impairment key for one end) or "IFNAME" (any other
	 * key of a node: an interface's addresses). */
	const char *key;
};

extern const struct topo_ini_key topo_ini_keys[];
extern const size_t topo_ini_n_keys;

/* Whether key may appear in a section of the given type ("defaults test" for [defaults test]),
 * literally or as a member of a family (IFNAME and KEY.NODE do not match: the loader checks
 * those itself). */
bool topo_ini_key_listed(const char *section, const char *key);

#endif
