/* topo_generate.h: `netlab generate KIND ARGS`: the classic topologies (Mininet's single, linear
 * and tree; a ring, a star, a chain, a leaf-spine fabric, one LAN) as topology text, addressed and
 * routed so that every node reaches every address of every other (within IPv4's TTL). Pure. */
#ifndef NETLAB_TOPO_GENERATE_H
#define NETLAB_TOPO_GENERATE_H

#include "strbuf.h"
#include "topo.h"
#include "attr.h"

#define GENERATE_MAX_ARGS 3

struct generate_kind {
	const char *name;
	const char *args; /* the arguments' names, for usage: "DEPTH FANOUT" */
	const char *help;
	unsigned int n_args, n_required;
	unsigned long min[GENERATE_MAX_ARGS], max[GENERATE_MAX_ARGS], def[GENERATE_MAX_ARGS];
	void (*write)(const unsigned long *arg, struct strbuf *out);
};

extern const struct generate_kind generate_kinds[];
extern const size_t generate_n_kinds;

/* Writes the topology KIND ARGS (argv: the argument strings) into out, its lab called name (NULL:
 * KIND and its arguments, "tree2-3") with namespace prefix prefix (NULL: the default, NAME-).
 * Returns 0, or -EINVAL with the reason in why (unknown kind, wrong count of arguments, a number
 * out of range, a bad name, too many nodes). */
_must_check_ int generate_topology(const char *kind, int argc, char **argv, const char *name,
				   const char *prefix, struct strbuf *out, struct topo_diag *why);

#endif
