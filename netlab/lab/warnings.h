/* warnings.h: what went wrong in a lab that still came up (a startup line that failed, as Kathará
 * forgives), kept in its state (STATE_WARNINGS: one "NODE<TAB>TEXT" line each) for up to say and
 * status to show. Never prints. */
#ifndef NETLAB_WARNINGS_H
#define NETLAB_WARNINGS_H

#include <stddef.h>

#include "attr.h"
#include "state.h"

struct warning {
	char *node;
	char *text;
};

/* Appends one warning on node to st's. Returns 0 or -errno. */
_must_check_ int warnings_add(struct state *st, const char *node, const char *text);

/* Reads the warnings of the lab whose state is in state_dir (none when there is no file). Returns
 * the count (>= 0), with *v to be freed by warnings_free, or -errno. */
_must_check_ int warnings_read(const char *state_dir, struct warning **v);
void warnings_free(struct warning *v, size_t n);

#endif
