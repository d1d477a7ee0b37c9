/* bridge.c: Linux bridges for switch nodes and LANs, their ports and VLANs. libnl 3.7 has no
 * setters for bridge options or port VLANs, so those requests are built with libnl's message API.
 */
#include <errno.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <netlink/msg.h>
#include <netlink/route/link.h>

#include "net.h"

static int send_msg(struct nls *n, struct nl_msg *msg)
{
	nls_begin(n);
	return nls_result(n, nl_send_sync(n->sk, msg)); /* frees msg */
}

int bridge_add(struct nls *n, const char *name, int ifindex, bool stp, bool vlan_filtering)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *info, *data;

	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, name) < 0 ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, "bridge") < 0 ||
	    !(data = nla_nest_start(msg, IFLA_INFO_DATA)) ||
	    nla_put_u32(msg, IFLA_BR_STP_STATE, stp) < 0 ||
	    /* with STP, ports listen and learn for 2 x forward delay: the shortest allowed, 2 s */
	    (stp && nla_put_u32(msg, IFLA_BR_FORWARD_DELAY, 200) < 0) ||
	    /* only when asked: kernels built without VLAN filtering refuse the attribute */
	    (vlan_filtering && nla_put_u8(msg, IFLA_BR_VLAN_FILTERING, 1) < 0)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	return send_msg(n, msg);
}

int bridge_port_vlans(struct nls *n, int port, unsigned int access, const unsigned short *trunk,
		      size_t n_trunk)
{
	struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE, .ifi_index = port };
	struct bridge_vlan_info v1 = { .vid = 1 };
	struct nl_msg *msg;
	struct nlattr *spec;
	int r;

	/* drop the default VLAN 1 the port got when it joined the bridge */
	msg = nlmsg_alloc_simple(RTM_DELLINK, 0);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    !(spec = nla_nest_start(msg, IFLA_AF_SPEC)) ||
	    nla_put(msg, IFLA_BRIDGE_VLAN_INFO, sizeof(v1), &v1) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, spec);
	if ((r = send_msg(n, msg)) < 0 && r != -ENOENT && r != -EINVAL)
		return r;

	msg = nlmsg_alloc_simple(RTM_SETLINK, 0);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    !(spec = nla_nest_start(msg, IFLA_AF_SPEC)))
		goto full;
	if (access) {
		struct bridge_vlan_info v = { .flags = BRIDGE_VLAN_INFO_PVID |
						       BRIDGE_VLAN_INFO_UNTAGGED,
					      .vid = (unsigned short)access };

		if (nla_put(msg, IFLA_BRIDGE_VLAN_INFO, sizeof(v), &v) < 0)
			goto full;
	}
	for (size_t i = 0; i < n_trunk; i++) {
		struct bridge_vlan_info v = { .vid = trunk[i] };

		if (nla_put(msg, IFLA_BRIDGE_VLAN_INFO, sizeof(v), &v) < 0)
			goto full;
	}
	nla_nest_end(msg, spec);
	return send_msg(n, msg);
full:
	nlmsg_free(msg);
	return -EMSGSIZE;
}
