/* strbuf.h: a growing string (as git's strbuf): appends in amortised O(1), so building a long
 * message or list is linear, not quadratic. Allocation failure aborts (util_xrealloc). */
#ifndef NETLAB_STRBUF_H
#define NETLAB_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf; /* NUL-terminated once anything was added; NULL before */
	size_t len, cap;
};

void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends n bytes of p (which may hold NULs; the text stays NUL-terminated). */
void strbuf_add(struct strbuf *sb, const void *p, size_t n);
/* The text so far ("" when empty); stays valid until the next append. */
const char *strbuf_str(const struct strbuf *sb);
/* Hands the text to the caller (never NULL) and empties sb. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

static inline void strbuf_releasep(struct strbuf *sb)
{
	strbuf_release(sb);
}
#define _cleanup_strbuf_ __attribute__((cleanup(strbuf_releasep)))

/* A command's output kept within a bound: the first max/2 bytes and the last max/2 bytes, and how
 * many were cut between them (a command may print without end; the start says what it did, the
 * end how it failed). */
struct keptbuf {
	struct strbuf head;
	char *tail; /* a ring of max - max/2 bytes, once head is full */
	size_t max, tail_len, tail_pos;
	unsigned long long cut;
};

void keptbuf_init(struct keptbuf *k, size_t max);
void keptbuf_add(struct keptbuf *k, const char *p, size_t n);
/* The text kept, with "\n[netlab: N bytes of output cut here]\n" where some were cut; to be
 * freed. Empties k. */
char *keptbuf_detach(struct keptbuf *k);

#endif
