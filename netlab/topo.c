/* topo.c: the topology model's constructors, lookups and pure helpers (addresses, names, numbers). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"
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
	}
	free(t->tests);
	for (size_t i = 0; i < t->diag.n; i++)
		free(t->diag.msgs[i]);
	free(t->diag.msgs);
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

void topo_error(struct topo *t, int line, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;
	char **slot;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	slot = util_grow(&t->diag.msgs, &t->diag.n, sizeof(char *));
	if (line > 0)
		*slot = util_xasprintf("%s:%d: %s", t->file, line, msg ? msg : "?");
	else
		*slot = util_xasprintf("%s: %s", t->file, msg ? msg : "?");
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

		hsearch_r(e, ENTER, &found, t->node_index); /* names are unique: the loader refuses twins */
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

const char *const topo_impair_keys[7] = { "delay", "jitter", "loss", "duplicate", "corrupt", "reorder", "rate" };

/* A decimal number with an optional fraction, then a unit from units[] (scales[] multiplies). */
static int parse_scaled(const char *s, const char *const *units, const double *scales, size_t n_units, double *out)
{
	const char *p = s;
	double v = 0, frac = 0.1;
	bool digits = false;

	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
		digits = true;
	}
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return -EINVAL;
		while (*p >= '0' && *p <= '9') {
			v += frac * (*p++ - '0');
			frac /= 10;
		}
	}
	if (!digits || v > 1e15)
		return -EINVAL;
	for (size_t i = 0; i < n_units; i++)
		if (strcmp(p, units[i]) == 0) {
			*out = v * scales[i];
			return 0;
		}
	return -EINVAL;
}

int topo_parse_time(const char *s, unsigned int *us)
{
	static const char *const units[] = { "us", "ms", "s" };
	static const double scales[] = { 1, 1e3, 1e6 };
	double v;
	int r = parse_scaled(s, units, scales, 3, &v);

	if (r < 0)
		return r;
	if (v > 60e6)
		return -ERANGE;
	*us = (unsigned int)(v + 0.5);
	return 0;
}

int topo_parse_percent(const char *s, double *pct)
{
	static const char *const units[] = { "%" };
	static const double scales[] = { 1 };
	int r = parse_scaled(s, units, scales, 1, pct);

	if (r < 0)
		return r;
	return *pct > 100 ? -ERANGE : 0;
}

int topo_parse_rate(const char *s, unsigned long long *bps)
{
	static const char *const units[] = { "bit", "kbit", "mbit", "gbit" };
	static const double scales[] = { 1, 1e3, 1e6, 1e9 };
	double v;
	int r = parse_scaled(s, units, scales, 4, &v);

	if (r < 0)
		return r;
	if (v < 1e3 || v > 10e9)
		return -ERANGE;
	*bps = (unsigned long long)(v + 0.5);
	return 0;
}

int topo_impair_set(struct topo_impair *imp, const char *key, const char *value)
{
	double *pcts[] = { NULL, NULL, &imp->loss, &imp->duplicate, &imp->corrupt, &imp->reorder };
	size_t k;
	int r;

	for (k = 0; k < ARRAY_SIZE(topo_impair_keys); k++)
		if (strcmp(key, topo_impair_keys[k]) == 0)
			break;
	if (k == ARRAY_SIZE(topo_impair_keys))
		return -ENOENT;
	if (k == 0)
		r = topo_parse_time(value, &imp->delay_us);
	else if (k == 1)
		r = topo_parse_time(value, &imp->jitter_us);
	else if (k == 6)
		r = topo_parse_rate(value, &imp->rate_bps);
	else
		r = topo_parse_percent(value, pcts[k]);
	if (r == 0)
		imp->set |= 1u << k;
	return r;
}

struct topo_impair topo_impair_merge(const struct topo_impair *base, const struct topo_impair *over)
{
	struct topo_impair r = *base;

	r.set |= over->set;
	if (over->set & TOPO_IMP_DELAY)
		r.delay_us = over->delay_us;
	if (over->set & TOPO_IMP_JITTER)
		r.jitter_us = over->jitter_us;
	if (over->set & TOPO_IMP_LOSS)
		r.loss = over->loss;
	if (over->set & TOPO_IMP_DUPLICATE)
		r.duplicate = over->duplicate;
	if (over->set & TOPO_IMP_CORRUPT)
		r.corrupt = over->corrupt;
	if (over->set & TOPO_IMP_REORDER)
		r.reorder = over->reorder;
	if (over->set & TOPO_IMP_RATE)
		r.rate_bps = over->rate_bps;
	if (over->line)
		r.line = over->line;
	return r;
}

void topo_impair_str(const struct topo_impair *imp, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
#define APPEND(...) (n += (size_t)snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__))
	if (imp->set & TOPO_IMP_DELAY)
		APPEND("%sdelay %.3gms", n ? " " : "", imp->delay_us / 1000.0);
	if (imp->set & TOPO_IMP_JITTER)
		APPEND("%sjitter %.3gms", n ? " " : "", imp->jitter_us / 1000.0);
	if (imp->set & TOPO_IMP_LOSS)
		APPEND("%sloss %.4g%%", n ? " " : "", imp->loss);
	if (imp->set & TOPO_IMP_DUPLICATE)
		APPEND("%sduplicate %.4g%%", n ? " " : "", imp->duplicate);
	if (imp->set & TOPO_IMP_CORRUPT)
		APPEND("%scorrupt %.4g%%", n ? " " : "", imp->corrupt);
	if (imp->set & TOPO_IMP_REORDER)
		APPEND("%sreorder %.4g%%", n ? " " : "", imp->reorder);
	if (imp->set & TOPO_IMP_RATE)
		APPEND("%srate %.4gmbit", n ? " " : "", imp->rate_bps / 1e6);
#undef APPEND
	if (!n)
		snprintf(buf, size, "none");
}

char *topo_path(const struct topo *t, const char *rel)
{
	if (rel[0] == '/' || !t->base_dir)
		return util_xstrdup(rel);
	return util_xasprintf("%s/%s", t->base_dir, rel);
}

static void impair_clear(struct topo_impair *imp, unsigned int bit)
{
	imp->set &= ~bit;
	imp->line = imp->line ? imp->line : 1; /* had something: up must remove it */
}

static void refresh_iface_imp(struct topo *t, size_t li)
{
	struct topo_link *l = &t->links[li];

	for (int e = 0; e < 2; e++) {
		struct topo_iface *ifc = l->ends[e].resolved ? topo_iface_find(&t->nodes[l->ends[e].node], l->ends[e].ifname) : NULL;

		if (ifc) {
			ifc->imp = topo_impair_merge(&l->imp, &l->ends[e].imp);
			ifc->imp.line = 1; /* in force from now on, even when empty */
		}
	}
}

int topo_set_impair(struct topo *t, const char *name, const char *key, const char *value, char *err, size_t errlen)
{
	_cleanup_free_ char *k = util_xstrdup(key);
	char *dot = strchr(k, '.');
	struct topo_node *lan = topo_node_find(t, name);
	size_t matched = 0, bitno;

	if (dot)
		*dot++ = '\0';
	for (bitno = 0; bitno < ARRAY_SIZE(topo_impair_keys); bitno++)
		if (strcmp(k, topo_impair_keys[bitno]) == 0)
			break;
	if (bitno == ARRAY_SIZE(topo_impair_keys)) {
		snprintf(err, errlen, "'%s' is not one of delay, jitter, loss, duplicate, corrupt, reorder, rate", k);
		return -EINVAL;
	}
	if (lan && lan->kind != TOPO_LAN)
		lan = NULL;
	for (size_t i = 0; i < t->n_links; i++) {
		struct topo_link *l = &t->links[i];
		struct topo_impair *imp = NULL;

		if (lan ? !(l->lan && l->ends[1].node == (size_t)(lan - t->nodes)) : (l->lan || strcmp(l->name, name) != 0))
			continue;
		if (!dot)
			imp = &l->imp;
		else if (l->lan)
			imp = strcmp(l->ends[0].node_name, dot) == 0 ? &l->imp : NULL;
		else
			for (int e = 0; e < 2; e++)
				if (strcmp(l->ends[e].node_name, dot) == 0)
					imp = &l->ends[e].imp;
		if (!imp)
			continue;
		matched++;
		if (strcmp(value, "off") == 0) {
			impair_clear(imp, 1u << bitno);
		} else {
			struct topo_impair tmp = *imp;
			int r = topo_impair_set(&tmp, k, value);

			if (r < 0) {
				snprintf(err, errlen, "%s: '%s' is %s", key, value, r == -ERANGE ? "out of range" : "not a valid value");
				return r;
			}
			*imp = tmp;
		}
		refresh_iface_imp(t, i);
	}
	if (!matched) {
		if (dot)
			snprintf(err, errlen, "%s: '%s' is not an end of %s", key, dot, name);
		else
			snprintf(err, errlen, "the lab has no link or LAN called '%s'", name);
		return -ENOENT;
	}
	return 0;
}

void topo_assert_clear(struct topo_assert *a)
{
	free(a->text);
	free(a->src);
	free(a->dst);
	for (size_t i = 0; i < a->n_via; i++)
		free(a->via[i]);
	free(a->via);
	free(a->cmd);
	memset(a, 0, sizeof(*a));
}

/* Splits text into words; a word in double quotes may hold spaces. Returns the count or -1. */
static int assert_words(char *text, char **w, int max)
{
	int n = 0;

	for (char *p = text; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == max)
			return -1;
		if (*p == '"') {
			char *end = strchr(p + 1, '"');

			if (!end)
				return -1;
			*end = '\0';
			w[n++] = p; /* keeps the quote as a marker */
			p = end + 1;
			continue;
		}
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

int topo_assert_parse(const char *text, struct topo_assert *a, char *err, size_t errlen)
{
	_cleanup_free_ char *copy = util_xstrdup(text);
	char *w[40];
	int n = assert_words(copy, w, 40);

	memset(a, 0, sizeof(*a));
	a->text = util_xstrdup(text);
#define FAIL(...)                                       \
	do {                                            \
		snprintf(err, errlen, __VA_ARGS__);     \
		topo_assert_clear(a);                   \
		return -EINVAL;                         \
	} while (0)
	if (n < 3)
		FAIL("'%s' is not an assertion (e.g. 'h1 -> h2 reachable', 'h2 tcp 80 open')", text);
	if (w[0][0] == '"')
		FAIL("'%s': a node name comes first", text);
	a->src = util_xstrdup(w[0]);
	if (strcmp(w[1], "->") == 0) {
		if (n < 4 || w[2][0] == '"')
			FAIL("'%s': expected 'SRC -> DST reachable|unreachable|via ROUTER...'", text);
		a->dst = util_xstrdup(w[2]);
		if (n == 4 && (!strcmp(w[3], "reachable") || !strcmp(w[3], "unreachable"))) {
			a->kind = TOPO_REACH;
			a->expect_ok = !strcmp(w[3], "reachable");
			return 0;
		}
		if (strcmp(w[3], "via") != 0 || n < 5)
			FAIL("'%s': after 'SRC -> DST' comes reachable, unreachable or via ROUTER...", text);
		a->kind = TOPO_PATH;
		a->expect_ok = true;
		for (int i = 4; i < n; i++) {
			if (w[i][0] == '"')
				FAIL("'%s': a router name was expected", text);
			*(char **)util_grow(&a->via, &a->n_via, sizeof(char *)) = util_xstrdup(w[i]);
		}
		return 0;
	}
	if (!strcmp(w[1], "route")) {
		a->kind = TOPO_ROUTE;
		a->expect_ok = true;
		if ((n != 3 && n != 5) || topo_prefix_parse(w[2], true, &a->prefix) < 0 || topo_prefix_has_host_bits(&a->prefix))
			FAIL("'%s': expected 'NODE route PREFIX/LEN [via ADDRESS]'", text);
		if (n == 5) {
			if (strcmp(w[3], "via") || topo_prefix_parse(w[4], false, &a->gw) < 0 || a->gw.family != a->prefix.family)
				FAIL("'%s': expected 'NODE route PREFIX/LEN via ADDRESS' (same family)", text);
			a->has_gw = true;
		}
		return 0;
	}
	if (!strcmp(w[1], "tcp") || !strcmp(w[1], "udp")) {
		unsigned long port;

		a->kind = TOPO_PORT;
		a->proto = w[1][0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		if (n != 4 || topo_parse_uint(w[2], 1, 65535, &port) < 0 || (strcmp(w[3], "open") && strcmp(w[3], "closed")))
			FAIL("'%s': expected 'NODE tcp|udp PORT open|closed' (port 1 to 65535)", text);
		a->port = (unsigned int)port;
		a->expect_ok = !strcmp(w[3], "open");
		return 0;
	}
	if (!strcmp(w[1], "runs")) {
		a->kind = TOPO_RUNS;
		if (n != 4 || w[2][0] != '"' || !w[2][1] || (strcmp(w[3], "succeeds") && strcmp(w[3], "fails")))
			FAIL("'%s': expected 'NODE runs \"COMMAND\" succeeds|fails'", text);
		a->cmd = util_xstrdup(w[2] + 1);
		a->expect_ok = !strcmp(w[3], "succeeds");
		return 0;
	}
	FAIL("'%s': unknown assertion (expected '->', route, tcp, udp or runs after the node)", text);
#undef FAIL
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
