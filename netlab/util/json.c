/* json.c: a small JSON reader (RFC 8259): values into a tree; \u escapes become UTF-8. Pure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "strbuf.h"
#include "util.h"

struct reader {
	const char *p;
	int depth;
};

static void skip_space(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		r->p++;
}

static int hex4(const char *p, unsigned int *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned int)(c - 'A' + 10);
		else
			return -EINVAL;
	}
	return 0;
}

static void put_utf8(struct strbuf *sb, unsigned int c)
{
	char b[4];
	size_t n;

	if (c < 0x80) {
		b[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | c >> 12);
		b[1] = (char)(0x80 | (c >> 6 & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | c >> 18);
		b[1] = (char)(0x80 | (c >> 12 & 0x3f));
		b[2] = (char)(0x80 | (c >> 6 & 0x3f));
		b[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	strbuf_add(sb, b, n);
}

/* A string at r->p (its opening quote), into *out. */
static int read_string(struct reader *r, char **out)
{
	struct strbuf sb = { 0 };

	r->p++;
	while (*r->p != '"') {
		unsigned int c, lo;

		if (!*r->p || (unsigned char)*r->p < 0x20)
			goto bad;
		if (*r->p != '\\') {
			strbuf_add(&sb, r->p++, 1);
			continue;
		}
		r->p++;
		switch (*r->p) {
		case '"':
		case '\\':
		case '/':
			strbuf_add(&sb, r->p, 1);
			break;
		case 'b':
			strbuf_add(&sb, "\b", 1);
			break;
		case 'f':
			strbuf_add(&sb, "\f", 1);
			break;
		case 'n':
			strbuf_add(&sb, "\n", 1);
			break;
		case 'r':
			strbuf_add(&sb, "\r", 1);
			break;
		case 't':
			strbuf_add(&sb, "\t", 1);
			break;
		case 'u':
			if (hex4(r->p + 1, &c) < 0)
				goto bad;
			r->p += 4;
			if (c >= 0xd800 && c < 0xdc00 && r->p[1] == '\\' && r->p[2] == 'u' &&
			    hex4(r->p + 3, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				r->p += 6;
			}
			put_utf8(&sb, c ? c : '?'); /* no NUL inside a C string */
			break;
		default:
			goto bad;
		}
		r->p++;
	}
	r->p++;
	*out = strbuf_detach(&sb);
	return 0;
bad:
	strbuf_release(&sb);
	return -EINVAL;
}

static int read_value(struct reader *r, struct json *j);

/* The elements of an array or the members of an object at r->p (its opening bracket). */
static int read_items(struct reader *r, struct json *j, bool object)
{
	char close = object ? '}' : ']';

	if (++r->depth > JSON_DEPTH_MAX)
		return -EINVAL;
	r->p++;
	skip_space(r);
	if (*r->p == close) {
		r->p++;
		r->depth--;
		return 0;
	}
	for (;;) {
		struct json *kid = util_grow(&j->kids, &j->n, sizeof(*kid));

		skip_space(r);
		if (object) {
			if (*r->p != '"' || read_string(r, &kid->key) < 0)
				return -EINVAL;
			skip_space(r);
			if (*r->p++ != ':')
				return -EINVAL;
		}
		if (read_value(r, kid) < 0)
			return -EINVAL;
		skip_space(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p != close)
			return -EINVAL;
		r->p++;
		r->depth--;
		return 0;
	}
}

static int read_value(struct reader *r, struct json *j)
{
	skip_space(r);
	switch (*r->p) {
	case '{':
		j->type = JSON_OBJ;
		return read_items(r, j, true);
	case '[':
		j->type = JSON_ARR;
		return read_items(r, j, false);
	case '"':
		j->type = JSON_STR;
		return read_string(r, &j->str);
	}
	if (!strncmp(r->p, "true", 4) || !strncmp(r->p, "false", 5)) {
		j->type = JSON_BOOL;
		j->b = *r->p == 't';
		r->p += j->b ? 4 : 5;
		return 0;
	}
	if (!strncmp(r->p, "null", 4)) {
		j->type = JSON_NULL;
		r->p += 4;
		return 0;
	}
	if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
		size_t n = strspn(r->p, "-+0123456789.eE");

		j->type = JSON_NUM;
		j->str = util_xasprintf("%.*s", (int)n, r->p);
		r->p += n;
		return 0;
	}
	return -EINVAL;
}

static void free_kids(struct json *j)
{
	for (size_t i = 0; i < j->n; i++) {
		free_kids(&j->kids[i]);
		free(j->kids[i].key);
		free(j->kids[i].str);
	}
	free(j->kids);
}

void json_free(struct json *j)
{
	if (!j)
		return;
	free_kids(j);
	free(j->key);
	free(j->str);
	free(j);
}

int json_parse(const char *text, struct json **out)
{
	struct reader r = { .p = text };
	struct json *j = util_xcalloc(1, sizeof(*j));

	*out = NULL;
	if (read_value(&r, j) < 0) {
		json_free(j);
		return -EINVAL;
	}
	skip_space(&r);
	if (*r.p) {
		json_free(j);
		return -EINVAL;
	}
	*out = j;
	return 0;
}

const struct json *json_get(const struct json *o, const char *key)
{
	for (size_t i = 0; o && o->type == JSON_OBJ && i < o->n; i++)
		if (!strcmp(o->kids[i].key, key))
			return &o->kids[i];
	return NULL;
}

const char *json_str(const struct json *j)
{
	return j && (j->type == JSON_STR || j->type == JSON_NUM) ? j->str : NULL;
}
