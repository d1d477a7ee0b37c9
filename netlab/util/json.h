/* json.h: a small JSON reader, for what FRR's vtysh prints with `json` (protocol assertions).
 * Pure. */
#ifndef NETLAB_JSON_H
#define NETLAB_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "attr.h"

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

struct json {
	enum json_type type;
	char *key; /* in an object: this member's name */
	char *str; /* JSON_STR: the string; JSON_NUM: the number as written */
	bool b; /* JSON_BOOL */
	struct json *kids; /* JSON_ARR, JSON_OBJ: the elements or members, in order */
	size_t n;
};

/* At most this deep (arrays and objects within each other): deeper is -EINVAL. */
#define JSON_DEPTH_MAX 64

/* Parses text (one value, white space around it allowed). Returns 0 with *out set (json_free it),
 * or -EINVAL. */
_must_check_ int json_parse(const char *text, struct json **out);
/* Member key of object o, or NULL (also when o is no object). */
const struct json *json_get(const struct json *o, const char *key);
/* The string of a JSON_STR (or the text of a JSON_NUM), else NULL. */
const char *json_str(const struct json *j);
void json_free(struct json *j);
static inline void json_freep(struct json **j)
{
	json_free(*j);
}
#define _cleanup_json_ __attribute__((cleanup(json_freep)))

#endif
