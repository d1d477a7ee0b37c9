/* capture.c: `netlab capture LAB NODE:IFACE|LINK|LAN [-w FILE] [-c N] [FILTER...]`: captures
 * packets inside a node (netlab enters the node's network namespace itself: the node needs no
 * tcpdump) and writes pcap, to FILE or to stdout. A LINK is captured at its first end; a LAN on
 * its bridge, which sees every member's traffic. SIGINT, SIGTERM and SIGHUP end it cleanly. */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "kernel_capture.h"
#include "commands.h"
#include "nsfs.h"
#include "strbuf.h"
#include "util.h"

static struct capture *running;

static void on_signal(int sig)
{
	(void)sig;
	if (running)
		capture_break(running);
}

/* Where TARGET is: node index and interface name. Returns an exit status after saying why. */
static int find_target(const struct topo *t, const char *target, size_t *node,
		       char ifname[TOPO_IFNAMSIZ])
{
	const char *colon = strchr(target, ':');
	const struct topo_node *n;
	const struct topo_link *lk;

	if (colon) {
		_cleanup_free_ char *name = util_xasprintf("%.*s", (int)(colon - target), target);

		if (!(n = topo_node_find(t, name))) {
			util_log("capture: lab %s has no node '%s'", t->name, name);
			return EXIT_USAGE;
		}
		if (!topo_iface_find(n, colon + 1) &&
		    !(lab_node_is_bridge(n) && strcmp(colon + 1, LAB_BRIDGE_NAME) == 0) &&
		    strcmp(colon + 1, "lo") != 0) {
			util_log("capture: node %s has no interface '%s'", name, colon + 1);
			return EXIT_USAGE;
		}
		*node = (size_t)(n - t->nodes);
		snprintf(ifname, TOPO_IFNAMSIZ, "%s", colon + 1);
		return EXIT_OK;
	}
	if ((n = topo_node_find(t, target)) && n->kind == TOPO_LAN) {
		*node = (size_t)(n - t->nodes);
		snprintf(ifname, TOPO_IFNAMSIZ, "%s", LAB_BRIDGE_NAME);
		return EXIT_OK;
	}
	if ((lk = topo_link_find(t, target)) && !lk->lan) {
		*node = lk->ends[0].node;
		snprintf(ifname, TOPO_IFNAMSIZ, "%s", lk->ends[0].ifname);
		return EXIT_OK;
	}
	util_log("capture: lab %s has no link or LAN called '%s' (or write NODE:IFACE)", t->name,
		 target);
	return EXIT_USAGE;
}

int cmd_capture(const struct cmd_args *a)
{
	_cleanup_free_ char *name = NULL, *pin = NULL;
	_cleanup_strbuf_ struct strbuf filter = { 0 };
	_cleanup_lab_ struct lab *l = NULL;
	_cleanup_close_ int fd = -1;
	const char *out = a->write ? a->write : "-";
	char ifname[TOPO_IFNAMSIZ];
	struct capture *c = NULL;
	char why[CAPTURE_WHY_SIZE] = "";
	size_t node;
	long n;
	int r;

	if (a->argc < 2)
		return cmd_usage_error(
			"capture",
			"usage: netlab capture LAB NODE:IFACE|LINK|LAN [-w FILE] [-c N] [FILTER...]");
	if (!a->write && isatty(STDOUT_FILENO))
		return cmd_usage_error(
			"capture",
			"stdout is a terminal: write to a file (-w FILE) or into a reader (| tcpdump -n -r -)");
	for (int i = 2; i < a->argc; i++)
		strbuf_addf(&filter, "%s%s", i > 2 ? " " : "", a->argv[i]);
	if (filter.len && capture_filter_check(strbuf_str(&filter), why) < 0)
		return cmd_usage_error("capture", "filter '%s': %s", strbuf_str(&filter), why);
	if ((r = cmd_lab_name("capture", a->argv[0], &name)) != EXIT_OK)
		return r;
	if ((r = cmd_open_lab("capture", name, STATE_NOLOCK, &l)) != EXIT_OK)
		return r;
	if ((r = find_target(l->topo, a->argv[1], &node, ifname)) != EXIT_OK)
		return r;
	if (lab_check_nodes(l) < 0)
		return EXIT_FAIL;
	pin = nsfs_netns_path(l->topo->nodes[node].netns);
	if ((fd = nsfs_open(pin)) < 0 || (r = nsfs_enter(fd, CLONE_NEWNET)) < 0)
		return cmd_fail(fd < 0 ? fd : r, "capture: cannot enter node %s",
				l->topo->nodes[node].name);
	r = capture_open(ifname, strbuf_str(&filter), out, &c, why);
	if (r < 0)
		return cmd_fail_why(r, why, "capture: cannot capture on %s:%s into %s",
				    l->topo->nodes[node].name, ifname,
				    a->write ? a->write : "stdout");
	running = c;
	util_catch_stop_signals(on_signal);
	fprintf(stderr, "netlab: capturing on %s:%s%s%s, writing pcap to %s\n",
		l->topo->nodes[node].name, ifname, filter.len ? " with filter " : "",
		strbuf_str(&filter), a->write ? a->write : "stdout");
	n = capture_loop(c, a->packets, why);
	if (n >= 0)
		fprintf(stderr, "netlab: %ld packet%s captured, %lu dropped by the kernel\n", n,
			n == 1 ? "" : "s", capture_dropped(c));
	running = NULL;
	r = capture_close(c);
	if (n < 0)
		return cmd_fail_why((int)n, why, "capture: reading %s:%s",
				    l->topo->nodes[node].name, ifname);
	if (r < 0)
		return cmd_fail(r, "capture: writing %s", a->write ? a->write : "stdout");
	return EXIT_OK;
}
