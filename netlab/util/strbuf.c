/* strbuf.c: a growing string. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "strbuf.h"
#include "util.h"

static void strbuf_grow(struct strbuf *sb, size_t n)
{
	size_t cap = sb->cap ? sb->cap : 64;

	if (sb->buf && sb->len + n + 1 <= sb->cap)
		return;
	while (cap < sb->len + n + 1)
		cap *= 2;
	sb->buf = util_xrealloc(sb->buf, cap);
	sb->cap = cap;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL, sb->buf ? sb->cap - sb->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (!sb->buf || sb->len + (size_t)n + 1 > sb->cap) {
		strbuf_grow(sb, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

void strbuf_add(struct strbuf *sb, const void *p, size_t n)
{
	strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *strbuf_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : util_xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void keptbuf_init(struct keptbuf *k, size_t max)
{
	*k = (struct keptbuf){ .max = max };
}

void keptbuf_add(struct keptbuf *k, const char *p, size_t n)
{
	size_t head_max = k->max / 2, ring = k->max - head_max, take;

	take = k->head.len < head_max ? head_max - k->head.len : 0;
	take = take < n ? take : n;
	strbuf_add(&k->head, p, take);
	p += take;
	n -= take;
	if (n == 0 || ring == 0) {
		k->cut += n;
		return;
	}
	if (!k->tail)
		k->tail = util_xrealloc(NULL, ring);
	if (n > ring) { /* only its last ring bytes can stay */
		k->cut += n - ring + k->tail_len;
		p += n - ring;
		n = ring;
		k->tail_len = 0;
		k->tail_pos = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (k->tail_len == ring)
			k->cut++;
		else
			k->tail_len++;
		k->tail[k->tail_pos] = p[i];
		k->tail_pos = (k->tail_pos + 1) % ring;
	}
}

char *keptbuf_detach(struct keptbuf *k)
{
	size_t ring = k->max - k->max / 2;
	size_t start = k->tail_len == ring ? k->tail_pos : 0;

	if (k->cut)
		strbuf_addf(&k->head, "\n[netlab: %llu bytes of output cut here]\n", k->cut);
	if (k->tail_len) {
		strbuf_add(&k->head, k->tail + start, k->tail_len - start);
		strbuf_add(&k->head, k->tail, start);
	}
	free(k->tail);
	k->tail = NULL;
	k->tail_len = k->tail_pos = 0;
	k->cut = 0;
	return strbuf_detach(&k->head);
}
