/* kathara.c: a Kathará lab (lab.conf, DEVICE.startup, DEVICE/etc/{frr,quagga,zebra}) turned into a
 * netlab topology (kathara.h; the mapping is docs/kathara.md). Pure. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "kathara.h"
#include "util.h"

#define MAX_WORDS 32
/* Keep each converted key's line below iniparser's 1,000 bytes; what does not fit stays in the
 * script. */
#define MAX_KEY_LINE 900

/* Appends a comment line the loader takes: newlines made spaces, cut at MAX_KEY_LINE bytes (the
 * loader takes 1,000), never ending in '\\' (iniparser would join the next line to it). */
static void __attribute__((format(printf, 2, 3)))
comment_line(struct strbuf *out, const char *fmt, ...)
{
	_cleanup_free_ char *text = NULL;
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		return;
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	n = strlen(text);
	if (n > MAX_KEY_LINE) { /* cut, and said so */
		memcpy(text + MAX_KEY_LINE - 4, " ...", 5);
		n = MAX_KEY_LINE;
	}
	while (n > 0 && (text[n - 1] == '\\' || text[n - 1] == ' '))
		text[--n] = '\0';
	strbuf_addf(out, "%s\n", text);
}

/* ---- lab.conf ---- */

static char *node_name(const char *dev)
{
	char *s = util_xstrdup(dev);

	for (char *p = s; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			*p = '-';
	}
	if (!isalnum((unsigned char)s[0])) {
		char *t = util_xasprintf("n%s", s);
		free(s);
		s = t;
	}
	if (strlen(s) > 64)
		s[64] = '\0';
	return s;
}

static struct kathara_device *device_get(struct kathara_lab *lab, const char *name)
{
	struct kathara_device *d;

	for (size_t i = 0; i < lab->n_devs; i++)
		if (strcmp(lab->devs[i].name, name) == 0)
			return &lab->devs[i];
	d = util_grow(&lab->devs, &lab->n_devs, sizeof(*d));
	d->name = util_xstrdup(name);
	d->node = node_name(name);
	return d;
}

/* Strips one pair of quotes around v (in place). */
static char *unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

static bool is_true(const char *v)
{
	return strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcasecmp(v, "yes") == 0;
}

/* DEVICE[KEY]=VALUE, KEY not a number. */
static void device_option(struct kathara_lab *lab, struct kathara_device *d, const char *key,
			  const char *v, int line)
{
	const char *eq;

	if (strcmp(key, "image") == 0) {
		free(d->image);
		d->image = util_xstrdup(v);
	} else if (strcmp(key, "sysctl") == 0) {
		if (!(eq = strchr(v, '=')) || strncmp(v, "net.", 4) != 0 || strchr(eq + 1, ';') ||
		    strchr(eq + 1, '#'))
			topo_diag_add(
				&lab->notes,
				"lab.conf:%d: %s[sysctl]=\"%s\" not converted: netlab sets sysctls under net. only",
				line, d->name, v);
		else
			strbuf_addf(&d->sysctls, "sysctl.%.*s = %s\n", (int)(eq - v), v, eq + 1);
	} else if (strcmp(key, "ipv6") == 0) {
		if (!is_true(v))
			topo_diag_add(
				&lab->notes,
				"lab.conf:%d: %s[ipv6]=%s not converted: netlab nodes keep IPv6 on",
				line, d->name, v);
	} else if (strcmp(key, "bridged") == 0) {
		if (is_true(v))
			topo_diag_add(
				&lab->notes,
				"lab.conf:%d: %s[bridged] not converted: netlab never connects a lab to the host's network",
				line, d->name);
	} else if (strcmp(key, "mem") == 0 || strcmp(key, "cpus") == 0) {
		bool mem = key[0] == 'm';
		unsigned long x;
		char **to = mem ? &d->memory : &d->cpus;

		if (mem ? topo_parse_size_mib(v, TOPO_MEMORY_MIN_MIB, TOPO_MEMORY_MAX_MIB, &x) < 0 :
			  topo_parse_cpus(v, &x) < 0)
			topo_diag_add(
				&lab->notes,
				"lab.conf:%d: %s[%s]=\"%s\" not converted: netlab's %s takes %s",
				line, d->name, key, v, mem ? "memory" : "cpus",
				mem ? "MiB or GiB from 4M ('256m', '1g')" :
				      "a number of CPUs with at most two decimals ('0.5')");
		else {
			free(*to);
			*to = util_xstrdup(v);
		}
	} else if (strcmp(key, "num_terms") == 0) {
		/* how many terminals Kathará opens: netlab opens none (netlab shell LAB NODE) */
	} else {
		topo_diag_add(&lab->notes,
			      "lab.conf:%d: %s[%s]=\"%s\" not converted: netlab has no such option",
			      line, d->name, key, v);
	}
}

static void device_iface(struct kathara_lab *lab, struct kathara_device *d, unsigned long index,
			 const char *v, int line)
{
	const char *slash = strchr(v, '/');
	struct kathara_iface *ifc;

	for (size_t i = 0; i < d->n_ifaces; i++)
		if (d->ifaces[i].index == index) {
			topo_diag_add(
				&lab->notes,
				"lab.conf:%d: %s[%lu] given again (line %d): the first is kept",
				line, d->name, index, d->ifaces[i].line);
			return;
		}
	if ((slash ? (size_t)(slash - v) : strlen(v)) == 0) {
		topo_diag_add(&lab->notes,
			      "lab.conf:%d: %s[%lu] names no collision domain: not converted", line,
			      d->name, index);
		return;
	}
	ifc = util_grow(&d->ifaces, &d->n_ifaces, sizeof(*ifc));
	ifc->index = (unsigned int)index;
	ifc->domain = slash ? util_xasprintf("%.*s", (int)(slash - v), v) : util_xstrdup(v);
	ifc->mac = slash ? util_xstrdup(slash + 1) : NULL;
	ifc->line = line;
}

static void conf_line(struct kathara_lab *lab, char *s, int line)
{
	char *eq = strchr(s, '='), *open = strchr(s, '['), *close, *key, *v;
	unsigned long index;

	if (!eq) {
		topo_diag_add(&lab->notes, "lab.conf:%d: not converted (not NAME=VALUE): %s", line,
			      s);
		return;
	}
	*eq = '\0';
	v = unquote(util_trim(eq + 1));
	if (strncmp(s, "LAB_", 4) == 0 && !open) {
		key = util_trim(s);
		comment_line(&lab->header, "; %s = %s", key, v);
		if (strcmp(key, "LAB_DESCRIPTION") == 0) {
			free(lab->description);
			lab->description = util_xstrdup(v);
		}
		return;
	}
	if (!open || open > eq || !(close = strchr(open, ']')) || close > eq ||
	    *util_trim(close + 1) || open == s) {
		topo_diag_add(&lab->notes,
			      "lab.conf:%d: not converted (not DEVICE[KEY]=VALUE nor LAB_*): %s=%s",
			      line, s, v);
		return;
	}
	*open = *close = '\0';
	key = util_trim(open + 1);
	if (topo_parse_uint(key, 0, 9999, &index) == 0)
		device_iface(lab, device_get(lab, util_trim(s)), index, v, line);
	else
		device_option(lab, device_get(lab, util_trim(s)), key, v, line);
}

void kathara_parse_conf(const char *text, struct kathara_lab *lab)
{
	_cleanup_free_ char *copy = util_xstrdup(text);
	int line = 0;

	for (char *p = copy, *nl; p; p = nl) {
		char *s;

		if ((nl = strchr(p, '\n')))
			*nl++ = '\0';
		line++;
		s = util_trim(p);
		if (*s && *s != '#')
			conf_line(lab, s, line);
	}
	/* Two devices whose names map to the same node name: number the later ones. */
	for (size_t i = 0; i < lab->n_devs; i++)
		for (size_t k = 0, n = 2; k < i; k++)
			if (strcmp(lab->devs[i].node, lab->devs[k].node) == 0) {
				char *s = util_xasprintf("%.60s-%zu", lab->devs[i].node, n++);

				free(lab->devs[i].node);
				lab->devs[i].node = s;
				k = (size_t)-1; /* check the new name against all again */
			}
}

/* ---- startup files ---- */

enum suite { SUITE_NONE, SUITE_FRR, SUITE_QUAGGA, SUITE_ZEBRA };
/* where each looks first */
static const char *const suite_dir[] = { NULL, "frr", "quagga", "zebra" };

/* How a line was converted: KEEP (it stays in the script), KEY (it is a key now), UP (netlab does
 * it), ROUTING (FRR's start: the frr key), REWRITE (replaced by *rewrite). */
enum how { KEEP, KEY, UP, ROUTING, REWRITE };

/* The startup file's lines (line i+1 of the file is v[i]); a line ending in a backslash and the
 * one it continues into are marked (cont) so that neither is converted. */
struct lines {
	char *copy;
	char **v, **rewrite;
	enum how *how;
	bool *cont;
	size_t n;
};

/* What a device's startup file becomes. */
struct conv {
	struct kathara_device *d;
	struct lines ls;
	size_t line; /* the line being converted */
	struct topo_prefix have[256]; /* the addresses converted, */
	unsigned int have_if[256]; /* their interface (ethN), */
	size_t have_line[256]; /* and the line each came from */
	size_t n_have;
	char *gateway[2]; /* IPv4, IPv6 */
	struct strbuf routes;
	bool enslaved[64];
	enum suite suite;
	bool kept; /* some command stays in the script */
	size_t n_shared; /* the first lines of ls are shared.startup's (Kathará runs it first), */
	size_t n_ifup; /* the next ones made of DEVICE/etc/network/interfaces (ifupdown), */
	int *ifup_line; /* each from that line of it */
	bool *shared_kept; /* per line of shared.startup: it stays in some device's script */
	struct topo_diag *notes;
};

/* Where line i (from 0) of c's text comes from: "shared.startup:N" or "DEVICE.startup:N", to be
 * freed. */
static char *where(const struct conv *c, size_t i)
{
	if (i < c->n_shared)
		return util_xasprintf("shared.startup:%zu", i + 1);
	if (i < c->n_shared + c->n_ifup)
		return util_xasprintf("%s/etc/network/interfaces:%d", c->d->name,
				      c->ifup_line[i - c->n_shared]);
	return util_xasprintf("%s.startup:%zu", c->d->name, i + 1 - c->n_shared - c->n_ifup);
}

/* ---- ifupdown ---- */

static int mask_len(const char *m);

/* The commands ifup would run for DEVICE/etc/network/interfaces (text): for each `iface IF inet|
 * inet6 static` stanza, `ip address add ADDRESS[/LEN] dev IF` (netmask as a length), `ip route add
 * default via GATEWAY dev IF`, and its `up`/`post-up` commands, one a line into out; the line of
 * the file each came from into *lines. Other methods (dhcp, manual, loopback) and keys are noted.
 * Returns how many lines. */
static size_t ifupdown_lines(struct kathara_lab *lab, const struct kathara_device *d,
			     const char *text, struct strbuf *out, int **lines)
{
	_cleanup_free_ char *copy = util_xstrdup(text), *iface = NULL, *addr = NULL;
	_cleanup_free_ char *mask = NULL;
	bool in_static = false, inet6 = false;
	char *save = NULL;
	size_t n = 0;
	int line = 0, addr_line = 0;

#define EMIT(ln, ...)                                             \
	do {                                                      \
		strbuf_addf(out, __VA_ARGS__);                    \
		strbuf_addf(out, "\n");                           \
		*(int *)util_grow(lines, &n, sizeof(int)) = (ln); \
	} while (0)
	for (char *l = copy, *next; l; l = next) {
		_cleanup_free_ char *orig = NULL; /* the line as written: an up command is kept
						     whole */
		char *w[8], *k;
		size_t nw = 0;

		line++;
		if ((next = strchr(l, '\n')))
			*next++ = '\0';
		orig = util_xstrdup(l);
		for (k = strtok_r(l, " \t", &save); k && nw < ARRAY_SIZE(w);
		     k = strtok_r(NULL, " \t", &save))
			w[nw++] = k;
		if (nw == 0 || w[0][0] == '#')
			continue;
		if (strcmp(w[0], "iface") == 0 || strcmp(w[0], "auto") == 0 ||
		    strncmp(w[0], "allow-", 6) == 0 || strcmp(w[0], "mapping") == 0 ||
		    strcmp(w[0], "source") == 0) {
			if (in_static && addr)
				EMIT(addr_line, "ip address add %s%s%s dev %s", addr,
				     mask ? "/" : "", mask ? mask : "", iface);
			free(steal_pointer(&addr));
			free(steal_pointer(&mask));
			in_static = false;
			if (strcmp(w[0], "iface") != 0 || nw < 4)
				continue;
			free(iface);
			iface = util_xstrdup(w[1]);
			inet6 = strcmp(w[2], "inet6") == 0;
			in_static = strcmp(w[3], "static") == 0;
			if (!in_static && strcmp(w[3], "loopback") != 0 &&
			    strcmp(w[3], "manual") != 0)
				topo_diag_add(
					&lab->notes,
					"%s/etc/network/interfaces:%d: iface %s %s %s not converted (static only): ifupdown is not run",
					d->name, line, w[1], w[2], w[3]);
			continue;
		}
		if (!in_static)
			continue;
		if (strcmp(w[0], "address") == 0 && nw == 2) {
			free(addr);
			addr = util_xstrdup(w[1]);
			addr_line = line;
		} else if (strcmp(w[0], "netmask") == 0 && nw == 2) {
			int len = inet6 ? -1 : mask_len(w[1]);

			free(mask);
			mask = len >= 0 ? util_xasprintf("%d", len) : util_xstrdup(w[1]);
		} else if (strcmp(w[0], "gateway") == 0 && nw == 2) {
			EMIT(line, "ip %sroute add default via %s dev %s", inet6 ? "-6 " : "", w[1],
			     iface);
		} else if ((strcmp(w[0], "up") == 0 || strcmp(w[0], "post-up") == 0) && nw >= 2) {
			const char *cmd = orig + strspn(orig, " \t");

			cmd += strlen(w[0]);
			EMIT(line, "%s", cmd + strspn(cmd, " \t"));
		} else {
			topo_diag_add(&lab->notes,
				      "%s/etc/network/interfaces:%d: '%s' not converted", d->name,
				      line, w[0]);
		}
	}
	if (in_static && addr)
		EMIT(addr_line, "ip address add %s%s%s dev %s", addr, mask ? "/" : "",
		     mask ? mask : "", iface);
#undef EMIT
	return n;
}

static bool has_commands(const char *text)
{
	for (const char *p = text; p && *p; p += strcspn(p, "\n"), p += *p == '\n') {
		p += strspn(p, " \t");
		if (*p && *p != '#' && *p != '\n')
			return true;
	}
	return false;
}

static bool simple_line(const char *s)
{
	return !strpbrk(s, ";&|<>$`'\"()\\*?{}[]#");
}

/* The words of a line (MAX_WORDS + 1: more than a command netlab converts has). */
static size_t split(char *s, char **w)
{
	return (size_t)util_split_words(s, " \t", 0, w, MAX_WORDS);
}

/* ip's abbreviations: "a", "addr" and "address" are "address". */
static bool abbrev(const char *w, const char *full, size_t min)
{
	size_t n = strlen(w);

	return n >= min && n <= strlen(full) && strncmp(w, full, n) == 0;
}

/* The lab interface ethN of the device, as its index, or -1. */
static int lab_iface(const struct kathara_device *d, const char *name)
{
	unsigned long n;

	if (strncmp(name, "eth", 3) != 0 || topo_parse_uint(name + 3, 0, 63, &n) < 0)
		return -1;
	for (size_t i = 0; i < d->n_ifaces; i++)
		if (d->ifaces[i].index == n)
			return (int)n;
	return -1;
}

/* A netmask (255.255.255.0) as a prefix length, or -1. */
static int mask_len(const char *m)
{
	struct topo_prefix p;
	unsigned int len = 0;
	uint32_t v;

	if (topo_prefix_parse(m, false, &p) < 0 || p.family != AF_INET)
		return -1;
	v = (uint32_t)p.addr[0] << 24 | (uint32_t)p.addr[1] << 16 | (uint32_t)p.addr[2] << 8 |
	    p.addr[3];
	while (len < 32 && (v & (1u << (31 - len))))
		len++;
	return (len == 32 || (v << len) == 0) ? (int)len : -1;
}

/* ifconfig's default for an address without a mask: its class's. */
static unsigned int class_len(const struct topo_prefix *p)
{
	if (p->addr[0] < 128)
		return 8;
	return p->addr[0] < 192 ? 16 : 24;
}

static bool conv_addr(struct conv *c, int ifi, const char *text, unsigned int deflen)
{
	struct topo_prefix p;
	size_t on_if = 0;
	const char *why;

	if (ifi < 0 || c->enslaved[ifi] || topo_prefix_parse(text, false, &p) < 0 ||
	    c->n_have == ARRAY_SIZE(c->have))
		return false;
	if (!strchr(text, '/'))
		p.len = deflen ? deflen : topo_prefix_maxlen(p.family);
	if ((why = topo_prefix_iface_problem(&p))) {
		_cleanup_free_ char *at = where(c, c->line);

		topo_diag_add(
			c->notes,
			"%s: %s on eth%d stays in the startup script: netlab takes no address that %s",
			at, text, ifi, why);
		return false;
	}
	for (size_t i = 0; i < c->n_have; i++)
		if (topo_prefix_same_addr(&c->have[i], &p))
			/* the kernel refuses it a second time: leave it to the script */
			return false;
	for (size_t i = 0; i < c->n_have; i++)
		on_if += c->have_if[i] == (unsigned int)ifi;
	if ((on_if + 1) * 48 > MAX_KEY_LINE)
		return false;
	c->have[c->n_have] = p;
	c->have_if[c->n_have] = (unsigned int)ifi;
	c->have_line[c->n_have++] = c->line;
	return true;
}

/* `ip [-4|-6] address add ADDR dev IF` (in any order) */
static bool ip_addr(struct conv *c, char **w, size_t n)
{
	const char *addr = NULL, *dev = NULL;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(w[i], "dev") == 0 && i + 1 < n)
			dev = w[++i];
		else if (!addr)
			addr = w[i];
		else
			return false;
	}
	return addr && dev && conv_addr(c, lab_iface(c->d, dev), addr, 0);
}

/* Whether b is the broadcast address of p's subnet (all host bits set). */
static bool is_broadcast(const struct topo_prefix *p, const char *b)
{
	struct topo_prefix q;

	if (topo_prefix_parse(b, false, &q) < 0 || q.family != AF_INET)
		return false;
	for (unsigned int bit = 0; bit < 32; bit++) {
		unsigned int mask = 0x80u >> (bit % 8),
			     want = bit < p->len ? p->addr[bit / 8] & mask : mask;

		if ((q.addr[bit / 8] & mask) != want)
			return false;
	}
	return true;
}

/* `ifconfig IF ADDR[/LEN] [netmask M] [broadcast B] [up]` (KEY: B must be the subnet's broadcast,
 * which the kernel's address then has), or `ifconfig IF up` (UP). */
static enum how ifconfig(struct conv *c, char **w, size_t n)
{
	int ifi = n >= 2 ? lab_iface(c->d, w[1]) : -1, len = 0;
	const char *addr = NULL, *brd = NULL;
	struct topo_prefix p;

	if (ifi < 0 || c->enslaved[ifi])
		return KEEP;
	for (size_t i = 2; i < n; i++) {
		if (strcmp(w[i], "up") == 0)
			continue;
		if (strcmp(w[i], "netmask") == 0 && i + 1 < n) {
			if ((len = mask_len(w[++i])) < 0)
				return KEEP;
		} else if (strcmp(w[i], "broadcast") == 0 && i + 1 < n) {
			brd = w[++i];
		} else if (!addr) {
			addr = w[i];
		} else {
			return KEEP;
		}
	}
	if (!addr)
		return n == 3 && strcmp(w[2], "up") == 0 ? UP : KEEP;
	if ((strchr(addr, '/') && len) || topo_prefix_parse(addr, false, &p) < 0 ||
	    p.family != AF_INET)
		return KEEP;
	if (!strchr(addr, '/'))
		p.len = len ? (unsigned int)len : class_len(&p);
	if (brd && !is_broadcast(&p, brd))
		return KEEP;
	return conv_addr(c, ifi, addr, p.len) ? KEY : KEEP;
}

/* Whether via is on a subnet the converted addresses give the device (on interface dev, if >= 0).
 */
static bool via_ok(const struct conv *c, const struct topo_prefix *via, int dev)
{
	for (size_t i = 0; i < c->n_have; i++)
		if ((dev < 0 || c->have_if[i] == (unsigned int)dev) &&
		    topo_prefix_contains(&c->have[i], via) &&
		    !topo_prefix_same_addr(&c->have[i], via))
			return true;
	return false;
}

static bool link_local(const struct topo_prefix *p)
{
	return p->family == AF_INET6 && p->addr[0] == 0xfe && (p->addr[1] & 0xc0) == 0x80;
}

static bool has_addr_on(const struct conv *c, int ifi)
{
	for (size_t i = 0; i < c->n_have; i++)
		if (c->have_if[i] == (unsigned int)ifi)
			return true;
	return false;
}

/* One route: dst "default" or a prefix, via (or NULL), dev (or NULL). */
static bool conv_route(struct conv *c, const char *dst, const char *via, const char *dev)
{
	struct topo_prefix d = { 0 }, v = { 0 };
	int ifi = dev ? lab_iface(c->d, dev) : -1;
	bool deflt = strcmp(dst, "default") == 0;
	char buf[80];

	if ((dev && ifi < 0) || (!via && !dev) || (via && topo_prefix_parse(via, false, &v) < 0))
		return false;
	if (!deflt && (topo_prefix_parse(dst, false, &d) < 0 || topo_prefix_has_host_bits(&d)))
		return false;
	if (via &&
	    ((!via_ok(c, &v, ifi) && !(link_local(&v) && dev)) || (!deflt && v.family != d.family)))
		return false;
	if (!via && (deflt || !has_addr_on(c, ifi)))
		return false;
	if (deflt && via_ok(c, &v, ifi)) { /* with dev, only when dev holds the gateway's subnet */
		int f = v.family == AF_INET6;

		if (c->gateway[f])
			return false;
		c->gateway[f] = util_xstrdup(topo_prefix_str(&v, false, buf, sizeof(buf)));
		return true;
	}
	if (c->routes.len + 120 > MAX_KEY_LINE)
		return false;
	strbuf_addf(&c->routes, "%s%s", c->routes.len ? ", " : "",
		    deflt ? "default" : topo_prefix_str(&d, true, buf, sizeof(buf)));
	if (via)
		strbuf_addf(&c->routes, " via %s", topo_prefix_str(&v, false, buf, sizeof(buf)));
	if (dev)
		strbuf_addf(&c->routes, " dev %s", dev);
	return true;
}

/* `ip route add DST [via G] [dev IF]` */
static bool ip_route(struct conv *c, char **w, size_t n)
{
	const char *dst = NULL, *via = NULL, *dev = NULL;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(w[i], "via") == 0 && i + 1 < n && !via)
			via = w[++i];
		else if (strcmp(w[i], "dev") == 0 && i + 1 < n && !dev)
			dev = w[++i];
		else if (!dst)
			dst = w[i];
		else
			return false;
	}
	return dst && conv_route(c, dst, via, dev);
}

/* `route add default gw G [dev IF]`, `route add -net N[/L] [netmask M] [gw G] [dev IF]`,
 * `route add -host H [gw G] [dev IF]` (net-tools). */
static bool net_route(struct conv *c, char **w, size_t n)
{
	const char *dst = NULL, *gw = NULL, *dev = NULL;
	int len = -1;
	bool host = false;
	_cleanup_free_ char *prefix = NULL;

	for (size_t i = 2; i < n; i++) {
		if (strcmp(w[i], "-net") == 0 && i + 1 < n && !dst)
			dst = w[++i];
		else if (strcmp(w[i], "-host") == 0 && i + 1 < n && !dst) {
			dst = w[++i];
			host = true;
		} else if (strcmp(w[i], "default") == 0 && !dst)
			dst = "default";
		else if (strcmp(w[i], "netmask") == 0 && i + 1 < n) {
			if ((len = mask_len(w[++i])) < 0)
				return false;
		} else if (strcmp(w[i], "gw") == 0 && i + 1 < n)
			gw = w[++i];
		else if (strcmp(w[i], "dev") == 0 && i + 1 < n)
			dev = w[++i];
		else if (i == n - 1 && !dev)
			dev = w[i]; /* route's last word may be the interface */
		else
			return false;
	}
	if (!dst || (strcmp(dst, "default") != 0 && strchr(dst, '/') && len >= 0))
		return false;
	if (strcmp(dst, "default") != 0 && !strchr(dst, '/'))
		dst = prefix = util_xasprintf("%s/%d", dst, host || len < 0 ? 32 : len);
	return conv_route(c, dst, gw, dev);
}

/* `ip link set [dev] IF up`: netlab brings every lab interface up itself. */
static bool link_up(struct conv *c, char **w, size_t n)
{
	size_t i = 0;
	int ifi;

	if (n > 0 && strcmp(w[0], "dev") == 0)
		i = 1;
	if (n == i + 2 && strcmp(w[i], "up") == 0)
		return (ifi = lab_iface(c->d, w[i + 1])) >= 0 && !c->enslaved[ifi];
	return n == i + 2 && strcmp(w[i + 1], "up") == 0 && (ifi = lab_iface(c->d, w[i])) >= 0 &&
	       !c->enslaved[ifi];
}

/* FRR's or Quagga's start, written any of the ways Kathará's images take. */
static enum suite routing_start(char **w, size_t n)
{
	const char *svc = NULL, *act = NULL;

	static const struct {
		const char *name;
		enum suite s;
	} suites[] = { { "frr", SUITE_FRR }, { "quagga", SUITE_QUAGGA }, { "zebra", SUITE_ZEBRA } };

	if (n == 3 && strcmp(w[0], "systemctl") == 0) {
		act = w[1];
		svc = w[2];
	} else if (n == 3 && strcmp(w[0], "service") == 0) {
		svc = w[1];
		act = w[2];
	} else if (n == 2 && strncmp(w[0], "/etc/init.d/", 12) == 0) {
		svc = w[0] + 12;
		act = w[1];
	}
	if (!svc || (strcmp(act, "start") != 0 && strcmp(act, "restart") != 0))
		return SUITE_NONE;
	for (size_t i = 0; i < ARRAY_SIZE(suites); i++)
		if (strcmp(svc, suites[i].name) == 0)
			return suites[i].s;
	return SUITE_NONE;
}

/* A command written with its path (/sbin/ifconfig, /usr/sbin/route, /bin/ip): its name, when the
 * directory is one of the standard ones; else w as it is. */
static char *command_name(char *w)
{
	static const char *const dirs[] = { "/sbin/", "/bin/", "/usr/sbin/", "/usr/bin/" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (strncmp(w, dirs[i], strlen(dirs[i])) == 0 && !strchr(w + strlen(dirs[i]), '/'))
			return w + strlen(dirs[i]);
	return w;
}

/* Debian 12's name of a service older images name otherwise (bind's is named), or NULL. */
static const char *service_now(const char *name)
{
	static const char *const renamed[][2] = { { "bind", "named" }, { "bind9", "named" } };

	for (size_t i = 0; i < ARRAY_SIZE(renamed); i++)
		if (strcmp(name, renamed[i][0]) == 0)
			return renamed[i][1];
	return NULL;
}

/* A service command (systemctl ACTION X, service X ACTION, /etc/init.d/X ACTION): its service and
 * action, or false. */
static bool service_cmd(char **w, size_t n, const char **svc, const char **act)
{
	if (n == 3 && strcmp(w[0], "systemctl") == 0) {
		*act = w[1];
		*svc = w[2];
	} else if (n == 3 && strcmp(w[0], "service") == 0) {
		*svc = w[1];
		*act = w[2];
	} else if (n == 2 && strncmp(w[0], "/etc/init.d/", 12) == 0 && w[0][12]) {
		*svc = w[0] + 12;
		*act = w[1];
	} else {
		return false;
	}
	return true;
}

/* Pass 0 converts the addresses only (so that a route may come before the address its gateway is
 * on); pass 1 the rest. */
static enum how convert_line(struct conv *c, const char *line, int pass, char **rewrite)
{
	_cleanup_free_ char *copy = util_xstrdup(line);
	char *w[MAX_WORDS];
	size_t n, o = 1;
	enum suite s;
	const char *svc, *act;

	if (!simple_line(line) || (n = split(copy, w)) == 0 || n > MAX_WORDS)
		return KEEP;
	w[0] = command_name(w[0]);
	if (c->d->demoted && (strcmp(w[0], "ifconfig") == 0 || strcmp(w[0], "ip") == 0 ||
			      strcmp(w[0], "route") == 0))
		return KEEP; /* the topology refused its keys: all stay commands */
	if (strcmp(w[0], "ifconfig") == 0)
		return pass == 0 ? ifconfig(c, w, n) : KEEP;
	if (strcmp(w[0], "ip") == 0) {
		while (o < n && (strcmp(w[o], "-4") == 0 || strcmp(w[o], "-6") == 0))
			o++;
		if (o + 1 >= n)
			return KEEP;
		if (abbrev(w[o], "address", 1) && abbrev(w[o + 1], "add", 1))
			return pass == 0 && ip_addr(c, w + o + 2, n - o - 2) ? KEY : KEEP;
	}
	if (pass == 0)
		return KEEP;
	if (strcmp(w[0], "ip") == 0) {
		if (abbrev(w[o], "route", 1) && abbrev(w[o + 1], "add", 1))
			return ip_route(c, w + o + 2, n - o - 2) ? KEY : KEEP;
		if (abbrev(w[o], "link", 1) && strcmp(w[o + 1], "set") == 0)
			return link_up(c, w + o + 2, n - o - 2) ? UP : KEEP;
		return KEEP;
	}
	if (strcmp(w[0], "route") == 0 && n > 2 && strcmp(w[1], "add") == 0)
		return net_route(c, w, n) ? KEY : KEEP;
	if ((s = routing_start(w, n)) != SUITE_NONE) {
		if (c->suite == SUITE_NONE)
			c->suite = s;
		return c->suite == s ? ROUTING : KEEP;
	}
	if (c->n_ifup && ((service_cmd(w, n, &svc, &act) && strcmp(svc, "networking") == 0) ||
			  (strcmp(w[0], "ifup") == 0 && n == 2)))
		return UP; /* ifupdown's work: done by netlab from etc/network/interfaces */
	if (service_cmd(w, n, &svc, &act) &&
	    (strcmp(act, "start") == 0 || strcmp(act, "stop") == 0 || strcmp(act, "restart") == 0 ||
	     strcmp(act, "reload") == 0) &&
	    (strcmp(w[0], "systemctl") == 0 || service_now(svc))) {
		/* no systemd in a node: Debian's service runs the init script; and Debian 12's
		 * name for a service older images named otherwise */
		*rewrite = util_xasprintf("service %s %s",
					  service_now(svc) ? service_now(svc) : svc, act);
		return REWRITE;
	}
	return KEEP;
}

/* An interface made a bridge's or bond's port anywhere in the file keeps its commands in the
 * script. */
static void find_enslaved(struct conv *c, const char *text)
{
	_cleanup_free_ char *copy = util_xstrdup(text);
	char *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *w[MAX_WORDS];
		size_t n = split(l, w);

		n = n > MAX_WORDS ? MAX_WORDS : n; /* the first words are enough to find a master */
		bool master = false;

		for (size_t i = 0; i < n; i++)
			master |= strcmp(w[i], "master") == 0 || strcmp(w[i], "addif") == 0 ||
				  strcmp(w[i], "enslave") == 0;
		for (size_t i = 0; i < n && master; i++) {
			int ifi = lab_iface(c->d, w[i]);

			if (ifi >= 0)
				c->enslaved[ifi] = true;
		}
	}
}

static void split_lines(const char *text, struct lines *ls)
{
	ls->copy = util_xstrdup(text);
	for (char *p = ls->copy, *nl; *p; p = nl) {
		if ((nl = strchr(p, '\n')))
			*nl++ = '\0';
		*(char **)util_grow(&ls->v, &ls->n, sizeof(char *)) = p;
		if (!nl)
			break;
	}
	ls->cont = util_xcalloc(ls->n + 1, sizeof(bool));
	ls->how = util_xcalloc(ls->n + 1, sizeof(enum how));
	ls->rewrite = util_xcalloc(ls->n + 1, sizeof(char *));
	for (size_t i = 0; i < ls->n; i++) {
		size_t len = strlen(ls->v[i]);

		if (len && ls->v[i][len - 1] == '\\')
			ls->cont[i] = ls->cont[i + 1] = true;
	}
}

static void free_lines(struct lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		free(ls->rewrite[i]);
	free(ls->rewrite);
	free(ls->how);
	free(ls->cont);
	free(ls->v);
	free(ls->copy);
}

static void convert_pass(struct conv *c, int pass)
{
	for (size_t i = 0; i < c->ls.n; i++) {
		_cleanup_free_ char *line = util_xstrdup(c->ls.v[i]);
		char *s = util_trim(line);

		c->line = i;
		if (c->ls.how[i] == KEEP && !c->ls.cont[i] && *s && *s != '#')
			c->ls.how[i] = convert_line(c, s, pass, &c->ls.rewrite[i]);
	}
}

/* Writes what is left of the startup file as the node's script (d->script; NULL when nothing is),
 * the converted lines as comments, and says which lines stay. */
static void write_script(struct kathara_lab *lab, struct conv *c)
{
	struct kathara_device *d = c->d;
	_cleanup_strbuf_ struct strbuf script = { 0 }, kept = { 0 };

	strbuf_addf(
		&script,
		"#!/bin/sh\n# %s.startup, imported by netlab import kathara: the lines marked \"netlab:\" are done by netlab now\n",
		d->name);
	for (size_t i = 0; i < c->ls.n; i++) {
		_cleanup_free_ char *line = util_xstrdup(c->ls.v[i]);
		char *s = util_trim(line);
		bool stays = *s && *s != '#' && (c->ls.how[i] == KEEP || c->ls.how[i] == REWRITE);

		if (i == 0 && c->n_shared)
			strbuf_addf(&script,
				    "# shared.startup (Kathara runs it first in every device):\n");
		if (i == c->n_shared && c->n_ifup)
			strbuf_addf(
				&script,
				"# %s/etc/network/interfaces, as ifup would run it (no ifupdown in a node):\n",
				d->name);
		if (i == c->n_shared + c->n_ifup && (c->n_shared || c->n_ifup))
			strbuf_addf(&script, "# %s.startup:\n", d->name);
		switch (c->ls.how[i]) {
		case KEEP:
			strbuf_addf(&script, "%s\n", c->ls.v[i]);
			break;
		case KEY:
			strbuf_addf(&script, "# netlab: a key of [node %s] now: %s\n", d->node, s);
			break;
		case UP:
			strbuf_addf(&script, "# netlab: up brings it up: %s\n", s);
			break;
		case ROUTING:
			strbuf_addf(&script,
				    "# netlab: FRR starts after this script (the frr key): %s\n",
				    s);
			break;
		case REWRITE:
			strbuf_addf(&script, "# netlab: %s: %s\n%s\n",
				    strstr(s, "systemctl") ? "no systemd in a node" :
							     "Debian 12 names this service so",
				    s, c->ls.rewrite[i]);
			break;
		}
		if (stays && i < c->n_shared) {
			c->shared_kept[i] = true;
		} else if (stays && i < c->n_shared + c->n_ifup) {
			_cleanup_free_ char *at = where(c, i);

			topo_diag_add(
				&lab->notes,
				"%s: not made a key: stays in the node's startup script as '%s'",
				at, s);
		} else if (stays) {
			strbuf_addf(&kept, "%s%zu", kept.len ? "," : "",
				    i + 1 - c->n_shared - c->n_ifup);
		}
		c->kept |= stays;
	}
	if (kept.len)
		topo_diag_add(
			&lab->notes,
			"%s.startup:%s: not made keys: these lines stay in the node's startup script",
			d->name, strbuf_str(&kept));
	d->script = c->kept ? strbuf_detach(&script) : NULL;
}

/* ---- routing configurations ---- */

/* FRR's daemons, in the order their configurations are joined (zebra's interfaces first). */
static const char *const frr_daemons[] = { "zebra",  "staticd", "ripd", "ripngd",  "ospfd",
					   "ospf6d", "isisd",	"bgpd", "ldpd",	   "pimd",
					   "babeld", "eigrpd",	"bfdd", "fabricd", "nhrpd",
					   "pbrd",   "vrrpd" };

static const struct kathara_conf *conf_find(const struct kathara_device *d, const char *dir,
					    const char *name)
{
	for (size_t i = 0; i < d->n_confs; i++)
		if (strcmp(d->confs[i].dir, dir) == 0 && strcmp(d->confs[i].name, name) == 0)
			return &d->confs[i];
	return NULL;
}

/* Whether the daemons file (NULL: none) turns daemon on: "ospfd=yes", or a priority number. */
static bool daemon_on(const struct kathara_conf *daemons, const char *daemon)
{
	_cleanup_free_ char *copy = NULL;
	char *save = NULL;
	size_t n = strlen(daemon);

	if (!daemons || strcmp(daemon, "zebra") == 0)
		return true;
	copy = util_xstrdup(daemons->text);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		l = util_trim(l);
		if (strncmp(l, daemon, n) == 0 && l[n] == '=') {
			char *v = unquote(util_trim(l + n + 1));

			return strcmp(v, "yes") == 0 ||
			       (isdigit((unsigned char)v[0]) && strcmp(v, "0") != 0);
		}
	}
	return false;
}

/* Quagga's (and split FRR) configurations joined into one integrated FRR configuration. Quagga
 * behaved as FRR does with `no bgp ebgp-requires-policy` and `no bgp network import-check`; its
 * `log file` lines name directories FRR has not. */
/* FRR's reason for rejecting line l (trimmed), when the caller found it does (kathara_frr_refuse),
 * or NULL. */
static const char *frr_refused(const struct kathara_device *d, const char *l)
{
	for (size_t i = 0; i < d->n_frr_refused; i++)
		if (strcmp(d->frr_refused[i].line, l) == 0)
			return d->frr_refused[i].why;
	return NULL;
}

bool kathara_frr_refuse(struct kathara_device *d, unsigned long line, const char *why)
{
	const char *p = d->frr_conf;
	_cleanup_free_ char *l = NULL;
	struct kathara_refused *r;

	for (unsigned long n = 1; p && n < line; n++)
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
	if (!p || !*p)
		return false;
	l = util_xasprintf("%.*s", (int)strcspn(p, "\n"), p);
	if (!*util_trim(l) || frr_refused(d, util_trim(l)))
		return false;
	r = util_grow(&d->frr_refused, &d->n_frr_refused, sizeof(*r));
	r->line = util_xstrdup(util_trim(l));
	r->why = util_xstrdup(why);
	return true;
}

static char *join_confs(struct kathara_lab *lab, const struct kathara_device *d, enum suite s)
{
	const char *dir = suite_dir[s];
	const struct kathara_conf *daemons;
	bool any = false;

	/* Quagga's start, by either name, reads etc/quagga (Kathara's images) or etc/zebra
	 * (Netkit's) */
	for (size_t i = 0; i < d->n_confs && s != SUITE_FRR; i++)
		if (strcmp(d->confs[i].dir, "quagga") == 0)
			dir = "quagga";
	for (size_t i = 0; i < d->n_confs; i++)
		any |= strcmp(d->confs[i].dir, dir) == 0;
	if (!any)
		topo_diag_add(
			&lab->notes,
			"%s.startup starts %s, but %s/etc/%s/ holds no configuration: FRR starts with none",
			d->name, s == SUITE_FRR ? "FRR" : "Quagga", d->name, dir);
	daemons = conf_find(d, dir, "daemons");
	struct strbuf out = { 0 };
	unsigned int dropped = 0;

	strbuf_addf(&out, "! FRR configuration joined by netlab import kathara from %s/etc/%s/\n",
		    d->name, dir);
	for (size_t i = 0; i < d->n_confs; i++) {
		const struct kathara_conf *k = &d->confs[i];
		const char *daemon = NULL;

		if (strcmp(k->dir, dir) != 0 || strcmp(k->name, "daemons") == 0 ||
		    strcmp(k->name, "vtysh.conf") == 0)
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(frr_daemons); j++) {
			size_t len = strlen(frr_daemons[j]);

			if (strncmp(k->name, frr_daemons[j], len) == 0 &&
			    strcmp(k->name + len, ".conf") == 0)
				daemon = frr_daemons[j];
		}
		if (!daemon)
			topo_diag_add(
				&lab->notes,
				"%s/etc/%s/%s not converted: not the configuration of an FRR daemon",
				d->name, dir, k->name);
		else if (!daemon_on(daemons, daemon))
			topo_diag_add(
				&lab->notes,
				"%s/etc/%s/%s not converted: its daemons file does not start %s",
				d->name, dir, k->name, daemon);
	}
	for (size_t j = 0; j < ARRAY_SIZE(frr_daemons); j++) {
		_cleanup_free_ char *name = util_xasprintf("%s.conf", frr_daemons[j]), *copy = NULL;
		const struct kathara_conf *k = conf_find(d, dir, name);

		if (!k || !daemon_on(daemons, frr_daemons[j]))
			continue;
		strbuf_addf(&out, "! ---- %s\n", name);
		copy = util_xstrdup(k->text);
		for (char *p = copy, *nl; p && *p; p = nl) {
			char *l;

			if ((nl = strchr(p, '\n')))
				*nl++ = '\0';
			l = util_trim(p);
			if (strncmp(l, "log file", 8) == 0 && s != SUITE_FRR) {
				dropped++;
				continue;
			}
			if (frr_refused(d, l)) {
				topo_diag_add(
					&lab->notes,
					"%s/etc/%s/%s: '%s' not converted: FRR rejects it (%s)",
					d->name, dir, name, l, frr_refused(d, l));
				continue;
			}
			strbuf_addf(&out, "%s\n", p);
			if (strncmp(l, "router bgp ", 11) == 0 && s != SUITE_FRR)
				strbuf_addf(
					&out,
					" no bgp ebgp-requires-policy\n no bgp network import-check\n");
		}
	}
	if (dropped)
		topo_diag_add(&lab->notes,
			      "%s/etc/%s: %u 'log file' line%s not converted (FRR logs to syslog)",
			      d->name, dir, dropped, dropped == 1 ? "" : "s");
	return strbuf_detach(&out);
}

/* ---- the topology ---- */

struct domain {
	const char *orig;
	char *name;
	struct {
		size_t dev;
		const struct kathara_iface *ifc;
	} m[1024];
	size_t n;
	bool one_device; /* two members on one device: a LAN, not a veth pair */
};

static bool name_taken(const struct kathara_lab *lab, const struct domain *doms, size_t n,
		       const char *name)
{
	for (size_t i = 0; i < lab->n_devs; i++)
		if (strcmp(lab->devs[i].node, name) == 0)
			return true;
	for (size_t i = 0; i < n; i++)
		if (strcmp(doms[i].name, name) == 0)
			return true;
	return false;
}

/* The collision domains in the order lab.conf first names them. */
static struct domain *collect_domains(struct kathara_lab *lab, size_t *n_out)
{
	struct domain *doms = NULL;
	size_t n = 0;

	for (size_t i = 0; i < lab->n_devs; i++)
		for (size_t k = 0; k < lab->devs[i].n_ifaces; k++) {
			const struct kathara_iface *ifc = &lab->devs[i].ifaces[k];
			struct domain *dom = NULL;

			for (size_t j = 0; j < n && !dom; j++)
				if (strcmp(doms[j].orig, ifc->domain) == 0)
					dom = &doms[j];
			if (!dom) {
				_cleanup_free_ char *base = node_name(ifc->domain);
				char *name = util_xstrdup(base);

				for (unsigned int s = 2; name_taken(lab, doms, n, name); s++) {
					free(name);
					name = util_xasprintf("%.58s-%u", base, s);
				}
				dom = util_grow(&doms, &n, sizeof(*dom));
				dom->orig = ifc->domain;
				dom->name = name;
			}
			if (dom->n == ARRAY_SIZE(dom->m)) {
				topo_diag_add(
					&lab->notes,
					"lab.conf:%d: %s[%u] not converted: more than %zu devices on collision domain %s",
					ifc->line, lab->devs[i].name, ifc->index,
					ARRAY_SIZE(dom->m), dom->orig);
				continue;
			}
			for (size_t j = 0; j < dom->n; j++)
				dom->one_device |= dom->m[j].dev == i;
			dom->m[dom->n].dev = i;
			dom->m[dom->n++].ifc = ifc;
		}
	*n_out = n;
	return doms;
}

/* Drops (back into the script) each converted address that netlab would refuse as a key: one
 * with no peer on its subnet (of the same length) among the other members of its domain while
 * some other member has an address of its family. Kathara's domains are bridges and require
 * nothing; a lab may mix /16 and /24 on one. Until nothing changes, as a drop can cause another. */
static void drop_unpaired(struct kathara_lab *lab, struct conv *convs, const struct domain *doms,
			  size_t n_doms)
{
	char b[64];

	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < n_doms; i++)
			for (size_t k = 0; k < doms[i].n; k++) {
				struct conv *me = &convs[doms[i].m[k].dev];
				unsigned int mi = doms[i].m[k].ifc->index;

				for (size_t a = 0; a < me->n_have; a++) {
					bool ok = false, others = false;

					if (me->have_if[a] != mi)
						continue;
					for (size_t m = 0; m < doms[i].n && !ok; m++) {
						const struct conv *o = &convs[doms[i].m[m].dev];

						for (size_t x = 0; m != k && x < o->n_have && !ok;
						     x++) {
							if (o->have_if[x] !=
								    doms[i].m[m].ifc->index ||
							    o->have[x].family != me->have[a].family)
								continue;
							others = true;
							ok = o->have[x].len == me->have[a].len &&
							     topo_prefix_contains(&me->have[a],
										  &o->have[x]);
						}
					}
					if (!others || ok)
						continue;
					_cleanup_free_ char *at = where(me, me->have_line[a]);

					topo_diag_add(
						&lab->notes,
						"%s: %s on eth%u stays in the startup script: no other device on domain %s has an address on its subnet, which netlab requires of an address key",
						at,
						topo_prefix_str(&me->have[a], true, b, sizeof(b)),
						mi, doms[i].orig);
					me->ls.how[me->have_line[a]] = KEEP;
					me->n_have--;
					memmove(&me->have[a], &me->have[a + 1],
						(me->n_have - a) * sizeof(me->have[0]));
					memmove(&me->have_if[a], &me->have_if[a + 1],
						(me->n_have - a) * sizeof(me->have_if[0]));
					memmove(&me->have_line[a], &me->have_line[a + 1],
						(me->n_have - a) * sizeof(me->have_line[0]));
					a--;
					changed = true;
				}
			}
	}
}

static void write_domain(struct kathara_lab *lab, const struct domain *dom, struct strbuf *out)
{
	bool link = dom->n == 2 && !dom->one_device;

	size_t start;

	strbuf_addf(out, "\n");
	comment_line(out, "; collision domain %s", dom->orig);
	strbuf_addf(out, "[%s %s]\n", link ? "link" : "lan", dom->name);
	start = out->len;
	strbuf_addf(out, "endpoints =");
	for (size_t j = 0; j < dom->n; j++) {
		const struct kathara_iface *ifc = dom->m[j].ifc;
		const char *node = lab->devs[dom->m[j].dev].node;

		if (out->len - start + strlen(node) + 16 > MAX_KEY_LINE) {
			topo_diag_add(
				&lab->notes,
				"lab.conf:%d: %s[%u] not converted: the endpoints of collision domain %s would pass a line of %d bytes",
				ifc->line, lab->devs[dom->m[j].dev].name, ifc->index, dom->name,
				MAX_KEY_LINE);
			continue;
		}
		strbuf_addf(out, " %s:eth%u", node, ifc->index);
	}
	strbuf_addf(out, "\n");
	for (size_t j = 0; j < dom->n; j++) {
		const struct kathara_iface *ifc = dom->m[j].ifc;
		unsigned char mac[6];

		if (!ifc->mac || ifc->mac_refused)
			continue;
		if (!link)
			topo_diag_add(
				&lab->notes,
				"lab.conf:%d: the MAC address of %s[%u] not converted: netlab sets MAC addresses on links of two only",
				ifc->line, lab->devs[dom->m[j].dev].name, ifc->index);
		else if (topo_mac_parse(ifc->mac, mac) < 0)
			topo_diag_add(
				&lab->notes,
				"lab.conf:%d: %s[%u]: '%s' is not a MAC address: not converted",
				ifc->line, lab->devs[dom->m[j].dev].name, ifc->index, ifc->mac);
		else
			strbuf_addf(out, "mac.%s = %s\n", lab->devs[dom->m[j].dev].node, ifc->mac);
	}
}

/* netlab's image for a device (see netlab image): Kathará runs every device in an image,
 * kathara/base when lab.conf names none; netlab's recipes: frr (base and FRR) for an image with
 * FRR or Quagga in its name and for a device that starts either, base for the others. Notes an
 * image netlab has none like (P4, SDN controllers, BIRD). */
static const char *image_for(struct kathara_lab *lab, const struct kathara_device *d, enum suite s)
{
	static const char *const unlike[] = { "p4",   "pox",	  "ryu",   "onos",	 "sdn",
					      "bird", "openbgpd", "krill", "routinator", "rift" };
	_cleanup_free_ char *low = util_xstrdup(d->image ? d->image : "kathara/base");

	for (char *p = low; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (s != SUITE_NONE || strstr(low, "frr") || strstr(low, "quagga"))
		return "frr";
	for (size_t i = 0; i < ARRAY_SIZE(unlike); i++)
		if (strstr(low, unlike[i])) {
			topo_diag_add(
				&lab->notes,
				"lab.conf: %s[image]=\"%s\" not converted: netlab has no image like it; the device gets base (netlab image build NAME --packages ... makes another)",
				d->name, d->image);
			break;
		}
	return "base";
}

static void write_node(struct kathara_lab *lab, struct conv *c, const struct kathara_paths *paths,
		       struct strbuf *out)
{
	struct kathara_device *d = c->d;
	const char *image = image_for(lab, d, c->suite);
	char b[64];

	if (c->suite != SUITE_NONE && !(c->suite == SUITE_FRR && conf_find(d, "frr", "frr.conf")))
		d->frr_conf = join_confs(lab, d, c->suite);
	strbuf_addf(out, "\n[node %s]\n", d->node);
	if (strcmp(d->node, d->name) != 0)
		comment_line(out, "; Kathara device %s", d->name);
	if (d->n_ifaces >= 2 || c->suite != SUITE_NONE)
		strbuf_addf(out, "kind = router\n");
	strbuf_addf(out, "image = %s\n", image);
	if (d->memory)
		strbuf_addf(out, "memory = %s\n", d->memory);
	if (d->cpus)
		strbuf_addf(out, "cpus = %s\n", d->cpus);
	if (d->demoted >= 2) {
		topo_diag_add(
			&lab->notes,
			"%s: its files, startup script and FRR configuration not converted: the topology refused them (see above)",
			d->name);
	} else {
		if (d->has_dir && d->dir_problem)
			topo_diag_add(&lab->notes, "%s/ not converted: %s", d->name,
				      d->dir_problem);
		else if (d->has_dir)
			strbuf_addf(out, "files = %s%s\n", paths->lab_dir, d->name);
		if (d->script)
			strbuf_addf(out, "startup = %s%s.startup\n", paths->aux_dir, d->node);
		if (d->frr_conf)
			strbuf_addf(out, "frr = %s%s.frr.conf\n", paths->aux_dir, d->node);
		else if (c->suite != SUITE_NONE)
			strbuf_addf(out, "frr = %s%s/etc/frr/frr.conf\n", paths->lab_dir, d->name);
	}
	for (unsigned int ifi = 0; ifi < ARRAY_SIZE(c->enslaved); ifi++) {
		bool first = true;

		for (size_t i = 0; i < c->n_have; i++)
			if (c->have_if[i] == ifi) {
				if (first)
					strbuf_addf(out, "eth%u = ", ifi);
				strbuf_addf(out, "%s%s", first ? "" : ", ",
					    topo_prefix_str(&c->have[i], true, b, sizeof(b)));
				first = false;
			}
		if (!first)
			strbuf_addf(out, "\n");
	}
	if (c->gateway[0])
		strbuf_addf(out, "gateway = %s\n", c->gateway[0]);
	if (c->gateway[1])
		strbuf_addf(out, "gateway6 = %s\n", c->gateway[1]);
	if (c->routes.len)
		strbuf_addf(out, "routes = %s\n", strbuf_str(&c->routes));
	if (d->demoted && d->sysctls.len)
		topo_diag_add(
			&lab->notes,
			"lab.conf: %s[sysctl] not converted: the topology refused them (see above)",
			d->name);
	else
		strbuf_addf(out, "%s", strbuf_str(&d->sysctls));
}

static void conv_clear(struct conv *c)
{
	free_lines(&c->ls);
	free(c->ifup_line);
	strbuf_release(&c->routes);
	free(c->gateway[0]);
	free(c->gateway[1]);
}

void kathara_convert(struct kathara_lab *lab, const char *name, const char *prefix,
		     const struct kathara_paths *paths, struct strbuf *out)
{
	_cleanup_strbuf_ struct strbuf body = { 0 };
	struct conv *convs = util_xcalloc(lab->n_devs + 1, sizeof(*convs));
	_cleanup_strbuf_ struct strbuf shared_lines = { 0 };
	bool *shared_kept = NULL;
	size_t n_doms = 0, n_shared = 0;
	struct domain *doms;

	if (!lab->converted)
		lab->n_read_notes = lab->notes.n;
	lab->converted = true;
	while (lab->notes.n > lab->n_read_notes) /* a conversion again: its notes anew */
		free(lab->notes.msgs[--lab->notes.n]);
	lab->notes.more = 0;
	for (size_t i = 0; i < lab->refused.n; i++)
		topo_diag_add(&lab->notes, "%s", lab->refused.msgs[i]);
	for (size_t i = 0; i < lab->n_devs; i++) {
		free(steal_pointer(&lab->devs[i].script));
		free(steal_pointer(&lab->devs[i].frr_conf));
	}
	/* addresses first, in every device; then those netlab would refuse go back; then the rest
	 */
	if (has_commands(lab->shared_startup)) {
		n_shared = 1;
		for (const char *p = lab->shared_startup; *p; p++)
			n_shared += *p == '\n' && p[1];
		shared_kept = util_xcalloc(n_shared, sizeof(bool));
	}
	for (size_t i = 0; i < lab->n_devs; i++) {
		_cleanup_free_ char *text = NULL;

		_cleanup_strbuf_ struct strbuf ifup = { 0 };

		convs[i].d = &lab->devs[i];
		convs[i].notes = &lab->notes;
		convs[i].n_shared = n_shared;
		convs[i].shared_kept = shared_kept;
		if (lab->devs[i].interfaces)
			convs[i].n_ifup = ifupdown_lines(lab, &lab->devs[i],
							 lab->devs[i].interfaces, &ifup,
							 &convs[i].ifup_line);
		if (!lab->devs[i].startup && !n_shared && !convs[i].n_ifup)
			continue;
		/* shared.startup first, as Kathará runs it, then what ifup would do with the
		 * device's etc/network/interfaces, then its own startup: all read alike */
		text = util_xasprintf(
			"%s%s%s%s", n_shared ? lab->shared_startup : "",
			n_shared && strchr(lab->shared_startup, '\0')[-1] != '\n' ? "\n" : "",
			strbuf_str(&ifup), lab->devs[i].startup ? lab->devs[i].startup : "");
		find_enslaved(&convs[i], text);
		split_lines(text, &convs[i].ls);
		convert_pass(&convs[i], 0);
	}
	doms = collect_domains(lab, &n_doms);
	drop_unpaired(lab, convs, doms, n_doms);
	for (size_t i = 0; i < lab->n_devs; i++) {
		convert_pass(&convs[i], 1);
		if (convs[i].ls.n)
			write_script(lab, &convs[i]);
		write_node(lab, &convs[i], paths, &body);
		conv_clear(&convs[i]);
	}
	free(convs);
	for (size_t i = 0; i < n_shared; i++)
		if (shared_kept[i])
			strbuf_addf(&shared_lines, "%s%zu", shared_lines.len ? "," : "", i + 1);
	if (shared_lines.len)
		topo_diag_add(
			&lab->notes,
			"shared.startup:%s: not made keys: these lines stay in the devices' startup scripts",
			strbuf_str(&shared_lines));
	free(shared_kept);
	for (size_t i = 0; i < n_doms; i++) {
		write_domain(lab, &doms[i], &body);
		free(doms[i].name);
	}
	free(doms);

	strbuf_addf(
		out,
		"; Imported from a Kathara lab by `netlab import kathara` (docs/kathara.md).\n%s",
		strbuf_str(&lab->header));
	if (lab->notes.n) {
		strbuf_addf(out, ";\n; Not converted (also said on stderr by the import):\n");
		for (size_t i = 0; i < lab->notes.n; i++)
			comment_line(out, ";   %s", lab->notes.msgs[i]);
	} else {
		strbuf_addf(out, ";\n; Everything was converted.\n");
	}
	strbuf_addf(out, "\n[lab]\nname = %s\n", name);
	if (lab->shared_dir) /* Kathará mounts it on /shared in every device, as [lab] shared does
			      */
		strbuf_addf(out, "shared = %sshared\n", paths->lab_dir);
	if (prefix)
		strbuf_addf(out, "netns-prefix = %s\n", prefix);
	if (lab->description) {
		size_t n = strlen(lab->description);

		for (char *p = lab->description; *p; p++)
			if (*p == ';' || *p == '#' || *p == '"' || *p == '\'' || *p == '\n' ||
			    *p == '\r')
				*p = ',';
		n = n > MAX_KEY_LINE ? MAX_KEY_LINE : n;
		while (n > 0 && (lab->description[n - 1] == '\\' ||
				 isspace((unsigned char)lab->description[n - 1])))
			n--;
		lab->description[n] = '\0';
		if (n)
			strbuf_addf(out, "description = %s\n", lab->description);
	}
	strbuf_addf(
		out,
		"\n; Kathara sets these in every device\n[defaults]\nsysctl.net.ipv4.ip_forward = 1\n"
		"sysctl.net.ipv4.conf.all.rp_filter = 0\nsysctl.net.ipv4.conf.default.rp_filter = 0\n"
		"sysctl.net.ipv4.icmp_ratelimit = 0\n%s",
		strbuf_str(&body));
}

/* ---- what the topology refused ---- */

/* The section a line of text is in: its header line ("[node r1]"), or NULL. */
static char *section_of(const char *text, unsigned long line, const char **body)
{
	const char *head = NULL, *p = text;

	for (unsigned long l = 1; *p && l <= line; l++) {
		if (*p == '[')
			head = p;
		p += strcspn(p, "\n");
		p += *p == '\n';
	}
	if (!head)
		return NULL;
	*body = head + strcspn(head, "\n");
	return util_xasprintf("%.*s", (int)strcspn(head, "\n"), head);
}

static struct kathara_device *device_of_node(struct kathara_lab *lab, const char *node, size_t len)
{
	for (size_t i = 0; i < lab->n_devs; i++)
		if (strlen(lab->devs[i].node) == len && strncmp(lab->devs[i].node, node, len) == 0)
			return &lab->devs[i];
	return NULL;
}

static bool demote(struct kathara_lab *lab, struct kathara_device *d, const char *why)
{
	if (!d || d->demoted >= 2)
		return false;
	d->demoted++;
	topo_diag_add(
		&lab->refused,
		d->demoted == 1 ?
			"%s: its addresses, routes and sysctls not converted (they stay in its startup script): the topology refused one: %s" :
			"%s: its files and scripts not converted either: the topology still refused it: %s",
		d->name, why);
	return true;
}

/* A [link] or [lan] refused: its MACs first, then its members' keys. */
static bool demote_domain(struct kathara_lab *lab, const char *body, const char *why)
{
	const char *ep = strstr(body, "\nendpoints =");
	bool changed = false;

	if (!ep)
		return false;
	ep += strlen("\nendpoints =");
	for (int round = 0; round < 2 && !changed; round++) {
		/* each round reads the members anew: strtok_r cuts its copy */
		_cleanup_free_ char *members = util_xasprintf("%.*s", (int)strcspn(ep, "\n"), ep);
		char *save = NULL;

		for (char *m = strtok_r(members, " ", &save); m; m = strtok_r(NULL, " ", &save)) {
			const char *colon = strrchr(m, ':');
			struct kathara_device *d =
				colon ? device_of_node(lab, m, (size_t)(colon - m)) : NULL;
			unsigned long idx;

			if (!d || strncmp(colon, ":eth", 4) != 0 ||
			    topo_parse_uint(colon + 4, 0, 9999, &idx) < 0)
				continue;
			for (size_t k = 0; k < d->n_ifaces && round == 0; k++)
				if (d->ifaces[k].index == idx && d->ifaces[k].mac &&
				    !d->ifaces[k].mac_refused) {
					d->ifaces[k].mac_refused = true;
					topo_diag_add(
						&lab->refused,
						"lab.conf:%d: the MAC address of %s[%u] not converted: the topology refused it: %s",
						d->ifaces[k].line, d->name, d->ifaces[k].index,
						why);
					changed = true;
				}
			if (round == 1)
				changed |= demote(lab, d, why);
		}
	}
	return changed;
}

bool kathara_demote(struct kathara_lab *lab, const char *text, const struct topo_diag *problems)
{
	bool changed = false;

	for (size_t i = 0; i < problems->n; i++) {
		const char *msg = problems->msgs[i], *p = msg, *body = NULL;
		_cleanup_free_ char *head = NULL;
		unsigned long line = 0;
		const char *why;

		/* "FILE:LINE: message": the first ":DIGITS: " */
		while ((p = strchr(p, ':')) &&
		       !(isdigit((unsigned char)p[1]) && p[1 + strspn(p + 1, "0123456789")] == ':'))
			p++;
		if (!p)
			continue;
		line = strtoul(p + 1, NULL, 10);
		why = p + 1 + strspn(p + 1, "0123456789") + 1;
		why += *why == ' ';
		if (!(head = section_of(text, line, &body)))
			continue;
		if (strncmp(head, "[node ", 6) == 0)
			changed |= demote(
				lab, device_of_node(lab, head + 6, strcspn(head + 6, "]")), why);
		else if (strncmp(head, "[link ", 6) == 0 || strncmp(head, "[lan ", 5) == 0)
			changed |= demote_domain(lab, body, why);
	}
	return changed;
}

char *kathara_lab_name(const char *base)
{
	char *s = util_xstrdup(*base ? base : "kathara");

	for (char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			*p = '-';
	if (!isalnum((unsigned char)s[0]))
		s[0] = 'k';
	if (strlen(s) > 64)
		s[64] = '\0';
	while (strstr(s, ".."))
		strstr(s, "..")[1] = '-';
	return s;
}

void kathara_lab_clear(struct kathara_lab *lab)
{
	for (size_t i = 0; i < lab->n_devs; i++) {
		struct kathara_device *d = &lab->devs[i];

		for (size_t k = 0; k < d->n_ifaces; k++) {
			free(d->ifaces[k].domain);
			free(d->ifaces[k].mac);
		}
		for (size_t k = 0; k < d->n_confs; k++) {
			free(d->confs[k].dir);
			free(d->confs[k].name);
			free(d->confs[k].text);
		}
		free(d->ifaces);
		free(d->confs);
		free(d->name);
		free(d->node);
		free(d->image);
		free(d->memory);
		free(d->cpus);
		free(d->startup);
		free(d->interfaces);
		free(d->dir_problem);
		free(d->script);
		free(d->frr_conf);
		for (size_t k = 0; k < d->n_frr_refused; k++) {
			free(d->frr_refused[k].line);
			free(d->frr_refused[k].why);
		}
		free(d->frr_refused);
		strbuf_release(&d->sysctls);
	}
	free(lab->devs);
	free(lab->description);
	free(lab->shared_startup);
	strbuf_release(&lab->header);
	topo_diag_clear(&lab->notes);
	topo_diag_clear(&lab->refused);
	*lab = (struct kathara_lab){ 0 };
}
