/* impair.c: link impairment values, from the one field table in impair.h. Pure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "impair.h"
#include "value.h"
#include "util.h"

const struct topo_impair_info topo_impair_info[TOPO_IMPF_COUNT] = {
#define TOPO_IMPAIR_INFO(id, key, unit) [TOPO_IMPF_##id] = { key, unit },
	TOPO_IMPAIR_FIELDS(TOPO_IMPAIR_INFO)
#undef TOPO_IMPAIR_INFO
};

#define TOPO_IMPAIR_KEY(id, key, unit) ", " key
static const char key_list[] = TOPO_IMPAIR_FIELDS(TOPO_IMPAIR_KEY);
#undef TOPO_IMPAIR_KEY
const char *const topo_impair_key_list = key_list + 2; /* without the first ", " */

int topo_impair_field(const char *key)
{
	for (int f = 0; f < TOPO_IMPF_COUNT; f++)
		if (strcmp(key, topo_impair_info[f].key) == 0)
			return f;
	return -1;
}

const char *topo_unit_example(enum topo_unit u)
{
	static const char *const examples[] = {
		[TOPO_UNIT_TIME] = "time (e.g. 10ms, 500us)",
		[TOPO_UNIT_PERCENT] = "percentage (e.g. 0.5%)",
		[TOPO_UNIT_RATE] = "rate (e.g. 10mbit, 512kbit)",
	};

	return examples[u];
}

/* A decimal number with an optional fraction, then a unit from units[] (scales[] multiplies). */
static int parse_scaled(const char *s, const char *const *units, const double *scales,
			size_t n_units, double *out)
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
	int r = parse_scaled(s, units, scales, ARRAY_SIZE(units), &v);

	if (r < 0)
		return r;
	if (v > 60e6)
		return -ERANGE;
	*us = (unsigned int)(v + 0.5);
	return 0;
}

int topo_parse_duration(const char *s, unsigned int max_ms, unsigned int *ms)
{
	static const char *const units[] = { "ms", "s", "m" };
	static const double scales[] = { 1, 1e3, 60e3 };
	double v = 0;
	int r = strcmp(s, "0") == 0 ? 0 : parse_scaled(s, units, scales, ARRAY_SIZE(units), &v);

	if (r < 0)
		return r;
	if (v > max_ms)
		return -ERANGE;
	*ms = (unsigned int)(v + 0.5);
	return 0;
}

int topo_parse_percent(const char *s, double *pct)
{
	static const char *const units[] = { "%" };
	static const double scales[] = { 1 };
	int r = parse_scaled(s, units, scales, ARRAY_SIZE(units), pct);

	if (r < 0)
		return r;
	return *pct > 100 ? -ERANGE : 0;
}

int topo_parse_rate(const char *s, unsigned long long *bps)
{
	static const char *const units[] = { "bit", "kbit", "mbit", "gbit" };
	static const double scales[] = { 1, 1e3, 1e6, 1e9 };
	double v;
	int r = parse_scaled(s, units, scales, ARRAY_SIZE(units), &v);

	if (r < 0)
		return r;
	if (v < 1e3 || v > 10e9)
		return -ERANGE;
	*bps = (unsigned long long)(v + 0.5);
	return 0;
}

/* Parses value in unit u into the number stored for it. */
static int parse_unit(enum topo_unit u, const char *value, double *out)
{
	unsigned long long bps;
	unsigned int us;
	int r;

	switch (u) {
	case TOPO_UNIT_TIME:
		if ((r = topo_parse_time(value, &us)) == 0)
			*out = us;
		return r;
	case TOPO_UNIT_PERCENT:
		return topo_parse_percent(value, out);
	case TOPO_UNIT_RATE:
		if ((r = topo_parse_rate(value, &bps)) == 0)
			*out = (double)bps;
		return r;
	}
	return -EINVAL;
}

int topo_impair_set(struct topo_impair *imp, const char *key, const char *value)
{
	int f = topo_impair_field(key);
	double v;
	int r;

	if (f < 0)
		return -ENOENT;
	if ((r = parse_unit(topo_impair_info[f].unit, value, &v)) < 0)
		return r;
	imp->v[f] = v;
	imp->set |= 1u << f;
	return 0;
}

struct topo_impair topo_impair_merge(const struct topo_impair *base, const struct topo_impair *over)
{
	struct topo_impair r = *base;

	for (int f = 0; f < TOPO_IMPF_COUNT; f++)
		if (over->set & (1u << f))
			r.v[f] = over->v[f];
	r.set |= over->set;
	if (over->line)
		r.line = over->line;
	return r;
}

void topo_impair_str(const struct topo_impair *imp, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int f = 0; f < TOPO_IMPF_COUNT; f++) {
		const char *sep = n ? " " : "", *key = topo_impair_info[f].key;
		char *at = n < size ? buf + n : NULL; /* snprintf(NULL, 0) only counts */
		size_t room = n < size ? size - n : 0;
		double v = imp->v[f];

		if (!(imp->set & (1u << f)))
			continue;
		switch (topo_impair_info[f].unit) {
		case TOPO_UNIT_TIME:
			n += (size_t)snprintf(at, room, "%s%s %.3gms", sep, key, v / 1000.0);
			break;
		case TOPO_UNIT_PERCENT:
			n += (size_t)snprintf(at, room, "%s%s %.4g%%", sep, key, v);
			break;
		case TOPO_UNIT_RATE:
			n += (size_t)snprintf(at, room, "%s%s %.4gmbit", sep, key, v / 1e6);
			break;
		}
	}
	if (!n)
		snprintf(buf, size, "none");
}
