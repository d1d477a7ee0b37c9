/* out.c: a streaming JSON writer with correct string escaping. */
#include "out.h"

static void sep(struct out_json *j, const char *key)
{
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			fputc(',', j->f);
		j->need_comma[j->depth] = true;
	}
	if (key) {
		out_json_quote(j->f, key);
		fputc(':', j->f);
	}
}

void out_json_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

void out_json_begin(struct out_json *j, const char *key, char open)
{
	sep(j, key);
	fputc(open, j->f);
	if (j->depth + 1 < OUT_DEPTH_MAX)
		j->depth++;
	j->need_comma[j->depth] = false;
}

void out_json_end(struct out_json *j, char close)
{
	fputc(close, j->f);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		fputc('\n', j->f);
}

void out_json_str(struct out_json *j, const char *key, const char *value)
{
	sep(j, key);
	if (value)
		out_json_quote(j->f, value);
	else
		fputs("null", j->f);
}

void out_json_int(struct out_json *j, const char *key, long long value)
{
	sep(j, key);
	fprintf(j->f, "%lld", value);
}

void out_json_bool(struct out_json *j, const char *key, bool value)
{
	sep(j, key);
	fputs(value ? "true" : "false", j->f);
}
