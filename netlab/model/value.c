/* value.c: the values a topology is written in (value.h). Pure. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "value.h"

void topo_diag_vadd(struct topo_diag *d, const char *prefix, const char *fmt, va_list ap)
{
	_cleanup_free_ char *msg = NULL;

	if (d->n >= TOPO_DIAG_MAX) {
		d->more++;
		return;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	*(char **)util_grow(&d->msgs, &d->n, sizeof(char *)) =
		util_xasprintf("%s%s", prefix, msg ? msg : "?");
}

void topo_diag_add(struct topo_diag *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	topo_diag_vadd(d, "", fmt, ap);
	va_end(ap);
}

void topo_diag_clear(struct topo_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	memset(d, 0, sizeof(*d));
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

/* An address fit for an interface: not unspecified, loopback or multicast; for IPv4 with a prefix
 * shorter than /31, neither the network nor the broadcast address. */
const char *topo_prefix_iface_problem(const struct topo_prefix *p)
{
	const unsigned char *a = p->addr;
	struct topo_prefix net = *p;

	if (p->len == 0)
		return "has a prefix length of 0";
	if (p->family == AF_INET) {
		if (a[0] == 0)
			return "is in 0.0.0.0/8";
		if (a[0] == 127)
			return "is a loopback address";
		if (a[0] >= 224)
			return "is a multicast or reserved address";
		if (p->len < 31) {
			bool ones = true;

			if (!topo_prefix_has_host_bits(&net))
				return "is the network address of its subnet";
			for (unsigned int bit = p->len; bit < 32; bit++)
				ones &= (a[bit / 8] >> (7 - bit % 8)) & 1;
			if (ones)
				return "is the broadcast address of its subnet";
		}
		return NULL;
	}
	if (a[0] == 0xff)
		return "is a multicast address";
	{
		static const unsigned char zero[16], loop[16] = { [15] = 1 };

		if (!memcmp(a, zero, 16))
			return "is the unspecified address";
		if (!memcmp(a, loop, 16))
			return "is the loopback address";
	}
	return NULL;
}

int topo_parse_size_mib(const char *s, unsigned long min_mib, unsigned long max_mib,
			unsigned long *mib)
{
	_cleanup_free_ char *num = util_xstrdup(s);
	char *unit = num;
	unsigned long v, scale;
	int r;

	while (*unit >= '0' && *unit <= '9')
		unit++;
	if (strcasecmp(unit, "m") == 0 || strcasecmp(unit, "mib") == 0)
		scale = 1;
	else if (strcasecmp(unit, "g") == 0 || strcasecmp(unit, "gib") == 0)
		scale = 1024;
	else
		return -EINVAL;
	*unit = '\0';
	if ((r = topo_parse_uint(num, 0, max_mib / scale, &v)) < 0)
		return r;
	if (v * scale < min_mib)
		return -ERANGE;
	*mib = v * scale;
	return 0;
}

int topo_parse_cpus(const char *s, unsigned long *centi)
{
	const char *dot = strchr(s, '.');
	_cleanup_free_ char *whole =
		util_xasprintf("%.*s", (int)(dot ? dot - s : (long)strlen(s)), s);
	unsigned long w, f = 0;
	size_t nf = dot ? strlen(dot + 1) : 0;
	int r;

	if ((r = topo_parse_uint(whole, 0, TOPO_CPUS_MAX, &w)) < 0)
		return r;
	if (dot && (nf < 1 || nf > 2 || strspn(dot + 1, "0123456789") != nf))
		return -EINVAL;
	if (dot)
		f = (unsigned long)(dot[1] - '0') * 10 +
		    (nf == 2 ? (unsigned long)(dot[2] - '0') : 0);
	if (w * 100 + f == 0 || w * 100 + f > TOPO_CPUS_MAX * 100)
		return -ERANGE;
	*centi = w * 100 + f;
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
