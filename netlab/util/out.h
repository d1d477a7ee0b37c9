/* out.h: a command's output, as text and as JSON from one pass (struct out, iproute2's print_*
 * model), over a minimal streaming JSON writer (struct out_json). */
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
/* s as XML or HTML text: markup characters as entities, control characters dropped; in an
 * attribute (attr), line breaks as &#10; too (else they would become spaces). */
void out_xml_quote(FILE *f, const char *s, bool attr);

/* One writer for a command's text and its JSON: the command walks its data once, giving each
 * value with its JSON key and its text format (printf's, with the one value); JSON mode writes
 * key and value, text mode the format (a NULL format: the value is JSON's alone). out_text writes
 * text alone; out_begin and out_end open and close JSON objects and arrays (nothing in text).
 * Text formats take a string (%s) for out_str, a long long (%lld) for out_int, a string ("true"
 * or "false") for out_bool. */
struct out {
	struct out_json j;
	bool json;
};

void out_begin(struct out *o, const char *key, char open);
void out_end(struct out *o, char close);
void out_str(struct out *o, const char *key, const char *fmt, const char *value);
void out_int(struct out *o, const char *key, const char *fmt, long long value);
void out_bool(struct out *o, const char *key, const char *fmt, bool value);
void out_text(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
