/* protocol.h: what the routing daemons say of OSPF neighbours and BGP sessions, for the ospf and
 * bgp assertions: the command to ask FRR (vtysh, JSON) or BIRD (birdc, text), and what its output
 * holds. Pure. */
#ifndef NETLAB_PROTOCOL_H
#define NETLAB_PROTOCOL_H

#include <stdbool.h>

#include "assertion.h"
#include "attr.h"

/* The command that asks the node's daemon about assertion a (TOPO_OSPF, TOPO_BGP, TOPO_BGP_ADV),
 * to be freed. BIRD's exported routes need the BGP protocol's name (bird_proto, found with
 * proto_bird_bgp_name in the output of the first command); else NULL. */
char *proto_command(const struct topo_assert *a, bool bird, const char *bird_proto);
/* In BIRD's `show protocols all`: the name of the BGP protocol whose neighbor is peer, to be
 * freed, or NULL. */
char *proto_bird_bgp_name(const char *out, const char *peer);
/* Whether out (what proto_command's command printed) shows what a says is there: an OSPF
 * neighbour in state Full (with that role), an established BGP session, a prefix advertised to a
 * neighbour. *seen: what it shows instead, in a line or a few (to be freed). */
bool proto_found(const struct topo_assert *a, bool bird, const char *out, char **seen);

#endif
