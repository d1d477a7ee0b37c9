/* out.c: a streaming JSON writer with correct string escaping, and text and JSON from one pass
 * (out.h). */
#include <stdarg.h>

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

void out_begin(struct out *o, const char *key, char open)
{
	if (o->json)
		out_json_begin(&o->j, key, open);
}

void out_end(struct out *o, char close)
{
	if (o->json)
		out_json_end(&o->j, close);
}

void out_str(struct out *o, const char *key, const char *fmt, const char *value)
{
	if (o->json)
		out_json_str(&o->j, key, value);
	else if (fmt)
		fprintf(o->j.f, fmt, value ? value : "");
}

void out_int(struct out *o, const char *key, const char *fmt, long long value)
{
	if (o->json)
		out_json_int(&o->j, key, value);
	else if (fmt)
		fprintf(o->j.f, fmt, value);
}

void out_bool(struct out *o, const char *key, const char *fmt, bool value)
{
	if (o->json)
		out_json_bool(&o->j, key, value);
	else if (fmt)
		fprintf(o->j.f, fmt, value ? "true" : "false");
}

void out_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vfprintf(o->j.f, fmt, ap);
	va_end(ap);
}

void out_xml_quote(FILE *f, const char *s, bool attr)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case '\n':
			fputs(attr ? "&#10;" : "\n", f);
			break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fputc(*s, f);
		}
	}
}
