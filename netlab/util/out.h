/* out.h: JSON output (a minimal streaming writer) shared by show, status and list. */
#ifndef NETLAB_OUT_H
#define NETLAB_OUT_H

#include <stdbool.h>
#include <stdio.h>

#define OUT_DEPTH_MAX 16

struct out_json {
	FILE *f;
	int depth;
	bool need_comma[OUT_DEPTH_MAX];
};

/* key is NULL for array elements and for the top-level value. */
void out_json_begin(struct out_json *j, const char *key, char open);
void out_json_end(struct out_json *j, char close);
void out_json_str(struct out_json *j, const char *key, const char *value); /* NULL value: null */
void out_json_int(struct out_json *j, const char *key, long long value);
void out_json_bool(struct out_json *j, const char *key, bool value);
/* Writes s as a JSON string literal. */
void out_json_quote(FILE *f, const char *s);

#endif
