/* inikeys.c: the table of topology keys (inikeys.h). Pure. */
#include <string.h>

#include "inikeys.h"
#include "util.h"

/* A section's family of keys, written as rows */
/* clang-format off */
#define IMPAIR(section)                                                                          \
	{ section, "delay" }, { section, "jitter" }, { section, "loss" }, { section, "duplicate" }, \
	{ section, "corrupt" }, { section, "reorder" }, { section, "rate" }, { section, "KEY.NODE" }
#define MACHINE(section)                                                                         \
	{ section, "files" }, { section, "frr" }, { section, "bird" }, { section, "exec" },         \
	{ section, "exec.N" }, { section, "startup" }, { section, "daemon" },                       \
	{ section, "daemon.N" }, { section, "sysctl.KEY" }, { section, "image" },                 \
	{ section, "memory" }, { section, "cpus" }
/* clang-format on */

const struct topo_ini_key topo_ini_keys[] = {
	{ "lab", "name" },
	{ "lab", "netns-prefix" },
	{ "lab", "description" },
	{ "lab", "shared" },
	{ "lab", "layers-size" },
	{ "lab", "logs-size" },
	{ "node", "kind" },
	{ "node", "hostname" },
	{ "node", "IFNAME" },
	{ "node", "gateway" },
	{ "node", "gateway6" },
	{ "node", "routes" },
	{ "node", "stp" },
	{ "node", "vlan.IF" },
	{ "node", "trunk.IF" },
	MACHINE("node"),
	MACHINE("defaults"),
	{ "link", "endpoints" },
	{ "link", "mtu" },
	{ "link", "mac.NODE" },
	IMPAIR("link"),
	{ "lan", "endpoints" },
	{ "lan", "mtu" },
	IMPAIR("lan"),
	{ "test", "expect" },
	{ "test", "within" },
	{ "test", "needs" },
	{ "test", "points" },
	{ "defaults test", "within" },
};
const size_t topo_ini_n_keys = ARRAY_SIZE(topo_ini_keys);

/* "exec.N" matches "exec.2"; "sysctl.KEY" matches "sysctl.net.ipv4.ip_forward", and "sysctl." too:
 * the loader takes every key of the family and says what is wrong with one (an empty KEY). */
static bool family_match(const char *family, const char *key)
{
	const char *dot = strchr(family, '.');
	size_t n = dot ? (size_t)(dot - family) + 1 : 0;

	return dot && dot[1] >= 'A' && dot[1] <= 'Z' && strncmp(family, key, n) == 0;
}

bool topo_ini_key_listed(const char *section, const char *key)
{
	for (size_t i = 0; i < topo_ini_n_keys; i++) {
		const struct topo_ini_key *k = &topo_ini_keys[i];

		if (strcmp(k->section, section) != 0 || strcmp(k->key, "KEY.NODE") == 0)
			continue;
		if (strcmp(k->key, key) == 0 || family_match(k->key, key))
			return true;
	}
	return false;
}
