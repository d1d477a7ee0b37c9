/* impair.h: link impairment (netem's delay, jitter, loss, duplicate, corrupt, reorder and tbf's
 * rate): the one table of its fields, their values and the `netlab set` language. Pure. */
#ifndef NETLAB_IMPAIR_H
#define NETLAB_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include "attr.h"

enum topo_unit {
	TOPO_UNIT_TIME, /* "10ms", "500us", "1.5s": microseconds, at most 60 s */
	TOPO_UNIT_PERCENT, /* "0.5%": 0 to 100 */
	TOPO_UNIT_RATE, /* "100mbit": bit/s, 1 kbit to 10 gbit */
};

/* Every impairment field, in the order they are printed: X(ID, key, unit). */
#define TOPO_IMPAIR_FIELDS(X)                        \
	X(DELAY, "delay", TOPO_UNIT_TIME)            \
	X(JITTER, "jitter", TOPO_UNIT_TIME)          \
	X(LOSS, "loss", TOPO_UNIT_PERCENT)           \
	X(DUPLICATE, "duplicate", TOPO_UNIT_PERCENT) \
	X(CORRUPT, "corrupt", TOPO_UNIT_PERCENT)     \
	X(REORDER, "reorder", TOPO_UNIT_PERCENT)     \
	X(RATE, "rate", TOPO_UNIT_RATE)

enum topo_impair_field {
#define TOPO_IMPAIR_ENUM(id, key, unit) TOPO_IMPF_##id,
	TOPO_IMPAIR_FIELDS(TOPO_IMPAIR_ENUM)
#undef TOPO_IMPAIR_ENUM
		TOPO_IMPF_COUNT
};

/* Bits of topo_impair.set, one per field. */
enum {
#define TOPO_IMPAIR_BIT(id, key, unit) TOPO_IMP_##id = 1u << TOPO_IMPF_##id,
	TOPO_IMPAIR_FIELDS(TOPO_IMPAIR_BIT)
#undef TOPO_IMPAIR_BIT
		TOPO_IMP_NETEM = (1u << TOPO_IMPF_COUNT) - 1 - TOPO_IMP_RATE, /* every field netem
										 carries */
};

/* Link impairment, applied to an interface's egress (netem, and tbf for rate). */
struct topo_impair {
	unsigned int set; /* TOPO_IMP_* given */
	double v[TOPO_IMPF_COUNT]; /* by field: microseconds, percent or bit/s (see its unit) */
	int line;
};

struct topo_impair_info {
	const char *key;
	enum topo_unit unit;
};
extern const struct topo_impair_info topo_impair_info[TOPO_IMPF_COUNT];
/* "delay, jitter, loss, duplicate, corrupt, reorder, rate" */
extern const char *const topo_impair_key_list;

/* The field called key, or -1. */
_must_check_ int topo_impair_field(const char *key);
/* "a time (e.g. 10ms, 500us)", ...: what a value of that unit looks like, for messages. */
const char *topo_unit_example(enum topo_unit u);

/* Values: "10ms" / "500us" / "1.5s" (to microseconds, at most 60 s), "0.5%" (0 to 100),
 * "100mbit" (bit, kbit, mbit, gbit; 1 kbit to 10 gbit). Return 0 or -EINVAL/-ERANGE. */
_must_check_ int topo_parse_time(const char *s, unsigned int *us);
_must_check_ int topo_parse_percent(const char *s, double *pct);
_must_check_ int topo_parse_rate(const char *s, unsigned long long *bps);
/* A duration: "500ms", "30s", "1.5m", "0" to milliseconds, at most max_ms. Returns 0 or
 * -EINVAL/-ERANGE. */
_must_check_ int topo_parse_duration(const char *s, unsigned int max_ms, unsigned int *ms);

/* Sets one field from "KEY" = "VALUE". Returns 0, -ENOENT (not an impairment key) or
 * -EINVAL/-ERANGE (bad value). */
_must_check_ int topo_impair_set(struct topo_impair *imp, const char *key, const char *value);
/* Fields set in over replace those of base. */
struct topo_impair topo_impair_merge(const struct topo_impair *base,
				     const struct topo_impair *over);
/* "delay 10ms jitter 1ms loss 0.5% rate 10mbit", or "none". */
void topo_impair_str(const struct topo_impair *imp, char *buf, size_t size);

#endif
