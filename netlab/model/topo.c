/* topo.c: the topology model's constructors and lookups (topo.h). Pure. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assertion.h"
#include "topo.h"
#include "util.h"

struct topo *topo_new(const char *file)
{
	struct topo *t = util_xcalloc(1, sizeof(*t));

	t->file = util_xstrdup(file);
	t->layers_mib = TOPO_LAYERS_MIB_DEFAULT;
	t->logs_mib = TOPO_LOGS_MIB_DEFAULT;
	return t;
}

static void topo_cmds_free(struct topo_cmd *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

static void topo_node_clear(struct topo_node *n)
{
	for (size_t i = 0; i < n->n_ifaces; i++) {
		free(n->ifaces[i].addrs);
		free(n->ifaces[i].trunk);
	}
	topo_cmds_free(n->execs, n->n_execs);
	topo_cmds_free(n->daemons, n->n_daemons);
	free(n->files);
	free(n->frr);
	free(n->bird);
	free(n->image);
	for (size_t i = 0; i < n->n_sysctls; i++) {
		free(n->sysctls[i].key);
		free(n->sysctls[i].value);
	}
	free(n->ifaces);
	free(n->routes);
	free(n->sysctls);
	free(n->name);
	free(n->hostname);
	free(n->netns);
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	free(t->text);
	for (size_t i = 0; i < t->n_nodes; i++)
		topo_node_clear(&t->nodes[i]);
	for (size_t i = 0; i < t->n_links; i++) {
		free(t->links[i].name);
		free(t->links[i].ends[0].node_name);
		free(t->links[i].ends[1].node_name);
	}
	for (size_t i = 0; i < t->n_tests; i++) {
		for (size_t k = 0; k < t->tests[i].n_asserts; k++)
			topo_assert_clear(&t->tests[i].asserts[k]);
		free(t->tests[i].asserts);
		free(t->tests[i].name);
		free(t->tests[i].needs);
	}
	free(t->tests);
	topo_diag_clear(&t->diag);
	if (t->node_index) {
		hdestroy_r(t->node_index);
		free(t->node_index);
	}
	free(t->nodes);
	free(t->links);
	free(t->file);
	free(t->base_dir);
	free(t->name);
	free(t->prefix);
	free(t->shared);
	free(t->description);
	free(t);
}

void topo_error(struct topo *t, int line, const char *fmt, ...)
{
	_cleanup_free_ char *prefix = line > 0 ? util_xasprintf("%s:%d: ", t->file, line) :
						 util_xasprintf("%s: ", t->file);
	va_list ap;

	va_start(ap, fmt);
	topo_diag_vadd(&t->diag, prefix, fmt, ap);
	va_end(ap);
}

void topo_index_nodes(struct topo *t)
{
	if (t->node_index) {
		hdestroy_r(t->node_index);
		memset(t->node_index, 0, sizeof(*t->node_index));
	} else {
		t->node_index = util_xcalloc(1, sizeof(*t->node_index));
	}
	if (!hcreate_r(t->n_nodes * 2 + 16, t->node_index))
		abort();
	for (size_t i = 0; i < t->n_nodes; i++) {
		ENTRY e = { .key = t->nodes[i].name, .data = (void *)(uintptr_t)(i + 1) }, *found;

		hsearch_r(e, ENTER, &found, t->node_index); /* names are unique: the loader refuses
							       twins */
	}
}

struct topo_node *topo_node_find(const struct topo *t, const char *name)
{
	if (t->node_index) {
		ENTRY e = { .key = (char *)name }, *found = NULL;

		hsearch_r(e, FIND, &found, t->node_index);
		return found ? &t->nodes[(uintptr_t)found->data - 1] : NULL;
	}
	for (size_t i = 0; i < t->n_nodes; i++)
		if (strcmp(t->nodes[i].name, name) == 0)
			return &t->nodes[i];
	return NULL;
}

struct topo_iface *topo_iface_find(const struct topo_node *n, const char *ifname)
{
	for (size_t i = 0; i < n->n_ifaces; i++)
		if (strcmp(n->ifaces[i].name, ifname) == 0)
			return &n->ifaces[i];
	return NULL;
}

bool topo_link_in(const struct topo *t, const struct topo_link *l, const char *name)
{
	const struct topo_node *lan = topo_node_find(t, name);

	if (lan && lan->kind == TOPO_LAN)
		return l->lan && l->ends[1].node == (size_t)(lan - t->nodes);
	return !l->lan && strcmp(l->name, name) == 0;
}

bool topo_route_cut(const struct topo_node *n, const struct topo_route *r)
{
	bool via_cut = false;

	if (r->dev[0]) {
		const struct topo_iface *dev = topo_iface_find(n, r->dev);

		if (dev && dev->cut)
			return true;
	}
	if (!r->has_via)
		return false;
	for (size_t k = 0; k < n->n_ifaces; k++)
		for (size_t a = 0; a < n->ifaces[k].n_addrs; a++) {
			const struct topo_prefix *p = &n->ifaces[k].addrs[a].p;

			if (p->family != r->via.family || !topo_prefix_contains(p, &r->via))
				continue;
			if (!n->ifaces[k].cut)
				return false;
			via_cut = true;
		}
	return via_cut;
}

bool topo_node_has_family(const struct topo_node *n, int family)
{
	for (size_t k = 0; k < n->n_ifaces; k++)
		if (topo_iface_has_family(&n->ifaces[k], family))
			return true;
	return false;
}

bool topo_iface_has_family(const struct topo_iface *ifc, int family)
{
	for (size_t a = 0; a < ifc->n_addrs; a++)
		if (!family || ifc->addrs[a].p.family == family)
			return true;
	return false;
}

struct topo_link *topo_link_find(const struct topo *t, const char *name)
{
	for (size_t i = 0; i < t->n_links; i++)
		if (strcmp(t->links[i].name, name) == 0)
			return &t->links[i];
	return NULL;
}

const char *topo_route_str(const struct topo_route *r, char *buf, size_t size)
{
	char d[64], v[64];
	const char *dst = r->dst.family == AF_INET6 ? "default (IPv6)" : "default";

	if (r->dst.len)
		dst = topo_prefix_str(&r->dst, true, d, sizeof(d));
	snprintf(buf, size, "%s%s%s%s%s", dst, r->has_via ? " via " : "",
		 r->has_via ? topo_prefix_str(&r->via, false, v, sizeof(v)) : "",
		 r->dev[0] ? " dev " : "", r->dev);
	return buf;
}

const char *topo_kind_str(enum topo_kind k)
{
	static const char *const names[] = { "host", "router", "switch", "lan" };

	return names[k];
}

char *topo_path(const struct topo *t, const char *rel)
{
	if (rel[0] == '/' || !t->base_dir)
		return util_xstrdup(rel);
	return util_xasprintf("%s/%s", t->base_dir, rel);
}

struct topo_node *topo_addr_owner(const struct topo *t, const struct topo_prefix *p)
{
	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t k = 0; k < t->nodes[i].n_ifaces; k++)
			for (size_t a = 0; a < t->nodes[i].ifaces[k].n_addrs; a++)
				if (topo_prefix_same_addr(&t->nodes[i].ifaces[k].addrs[a].p, p))
					return &t->nodes[i];
	return NULL;
}

unsigned int topo_test_within(const struct topo *t, size_t i, bool busy)
{
	bool daemons = busy;

	if (t->tests[i].has_within)
		return t->tests[i].within_ms;
	if (t->has_test_within)
		return t->test_within_ms;
	for (size_t k = 0; k < t->n_nodes; k++) {
		const struct topo_node *n = &t->nodes[k];

		daemons |= n->frr || n->bird || n->n_daemons || n->stp;
	}
	return daemons ? TOPO_WITHIN_DAEMONS_MS : 0;
}
