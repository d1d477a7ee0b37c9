/* topo.c: the topology model's constructors, lookups and pure helpers (addresses, names, numbers).
 */
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
#include "util.h"

struct topo *topo_new(const char *file)
{
	struct topo *t = util_xcalloc(1, sizeof(*t));

	t->file = util_xstrdup(file);
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
	free(t->description);
	free(t);
}

static void diag_vadd(struct topo_diag *d, const char *prefix, const char *fmt, va_list ap)
{
	_cleanup_free_ char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	*(char **)util_grow(&d->msgs, &d->n, sizeof(char *)) =
		util_xasprintf("%s%s", prefix, msg ? msg : "?");
}

void topo_diag_add(struct topo_diag *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, "", fmt, ap);
	va_end(ap);
}

void topo_diag_clear(struct topo_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	memset(d, 0, sizeof(*d));
}

void topo_error(struct topo *t, int line, const char *fmt, ...)
{
	_cleanup_free_ char *prefix = line > 0 ? util_xasprintf("%s:%d: ", t->file, line) :
						 util_xasprintf("%s: ", t->file);
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(&t->diag, prefix, fmt, ap);
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

int topo_set_state(struct topo *t, const char *name, const char *node, bool down,
		   struct topo_diag *why)
{
	size_t matched = 0;

	for (size_t i = 0; i < t->n_links; i++) {
		struct topo_link *l = &t->links[i];
		struct topo_iface *ifc[2];

		if (!topo_link_in(t, l, name))
			continue;
		for (int e = 0; e < 2; e++)
			ifc[e] = topo_iface_find(&t->nodes[l->ends[e].node], l->ends[e].ifname);
		for (int e = 0; e < 2; e++) {
			if (node && strcmp(l->ends[e].node_name, node) != 0)
				continue;
			ifc[e]->down = down;
			matched++;
		}
		ifc[0]->cut = ifc[1]->cut = ifc[0]->down || ifc[1]->down;
	}
	if (!matched) {
		if (node)
			topo_diag_add(why, "'%s' is not an end of %s", node, name);
		else
			topo_diag_add(why, "the lab has no link or LAN called '%s'", name);
		return -ENOENT;
	}
	return 0;
}

int topo_set_word(struct topo *t, const char *name, const char *word, struct topo_diag *why)
{
	_cleanup_free_ char *w = util_xstrdup(word);
	char *eq = strchr(w, '=');

	if (!eq || eq == w || !eq[1]) {
		topo_diag_add(why, "'%s' is not KEY=VALUE", word);
		return -EINVAL;
	}
	*eq++ = '\0';
	if (strcmp(w, "state") != 0 && strncmp(w, "state.", 6) != 0)
		return topo_set_impair(t, name, w, eq, why);
	if (strcmp(eq, "up") != 0 && strcmp(eq, "down") != 0) {
		topo_diag_add(why, "%s: '%s' is not up or down", w, eq);
		return -EINVAL;
	}
	return topo_set_state(t, name, w[5] ? w + 6 : NULL, strcmp(eq, "down") == 0, why);
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

unsigned int topo_prefix_maxlen(int family)
{
	return family == AF_INET6 ? 128 : 32;
}

int topo_prefix_parse(const char *s, bool need_len, struct topo_prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long len;

	memset(p, 0, sizeof(*p));
	if (alen == 0 || alen >= INET6_ADDRSTRLEN)
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, p->addr) == 1)
		p->family = AF_INET6;
	else
		return -EINVAL;
	if (!slash) {
		if (need_len)
			return -EINVAL;
		p->len = topo_prefix_maxlen(p->family);
		return 0;
	}
	if (topo_parse_uint(slash + 1, 0, topo_prefix_maxlen(p->family), &len) < 0)
		return -EINVAL;
	p->len = (unsigned int)len;
	return 0;
}

const char *topo_prefix_str(const struct topo_prefix *p, bool with_len, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->family, p->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (with_len)
		snprintf(buf, size, "%s/%u", a, p->len);
	else
		snprintf(buf, size, "%s", a);
	return buf;
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

static bool prefix_bits_equal(const unsigned char *a, const unsigned char *b, unsigned int bits)
{
	unsigned int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[bytes] ^ b[bytes]) & (0xff << (8 - rest)) & 0xff) == 0;
}

bool topo_prefix_contains(const struct topo_prefix *net, const struct topo_prefix *a)
{
	return net->family == a->family && prefix_bits_equal(net->addr, a->addr, net->len);
}

bool topo_prefix_has_host_bits(const struct topo_prefix *p)
{
	unsigned int max = topo_prefix_maxlen(p->family);

	for (unsigned int bit = p->len; bit < max; bit++)
		if (p->addr[bit / 8] & (0x80 >> (bit % 8)))
			return true;
	return false;
}

bool topo_prefix_same_addr(const struct topo_prefix *a, const struct topo_prefix *b)
{
	return a->family == b->family &&
	       memcmp(a->addr, b->addr, topo_prefix_maxlen(a->family) / 8) == 0;
}

int topo_mac_parse(const char *s, unsigned char mac[6])
{
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return -EINVAL;
		mac[i] = (unsigned char)strtoul((char[]){ s[0], s[1], 0 }, NULL, 16);
		s += 2;
		if (i < 5 && *s++ != ':')
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

int topo_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		unsigned long d = (unsigned long)(*s - '0');

		if (d > max || v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v < min)
		return -ERANGE;
	*out = v;
	return 0;
}

static bool name_chars_valid(const char *s, size_t max, bool upper, bool dot)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || !isalnum((unsigned char)s[0]))
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
			continue;
		if (upper && c >= 'A' && c <= 'Z')
			continue;
		if (dot && c == '.')
			continue;
		return false;
	}
	return true;
}

bool topo_name_valid(const char *s, size_t max)
{
	return name_chars_valid(s, max, false, false);
}

bool topo_lab_name_valid(const char *s, size_t max)
{
	return name_chars_valid(s, max, true, true) && !strstr(s, "..");
}

bool topo_hostname_valid(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n > TOPO_HOSTNAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-')
			return false;
		if (c == '-' && label == 0)
			return false;
		label++;
	}
	return label > 0 && s[n - 1] != '-';
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

unsigned int topo_test_within(const struct topo *t, size_t i)
{
	bool daemons = false;

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
