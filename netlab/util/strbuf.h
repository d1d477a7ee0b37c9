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

#endif
