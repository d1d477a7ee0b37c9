/* lab_up.h: bringing a lab up, all or nothing. Prints (once, with context) and rolls back. */
#ifndef NETLAB_LAB_UP_H
#define NETLAB_LAB_UP_H

#include <signal.h>
#include <stdio.h>

#include "state.h"
#include "topo.h"
#include "attr.h"

struct diff;

/* Creates every object of t, journaling each in st before making it. On any failure, or when
 * *stop becomes non-zero (a signal), removes everything it made. Returns 0 or -errno. */
_must_check_ int up_lab(const struct topo *t, struct state *st, const volatile sig_atomic_t *stop);

/* Refuses (-EEXIST, saying why) when the pin or /etc/netns entry of a node t makes already exists:
 * every node (d NULL), or those apply adds or replaces under a new namespace name. */
_must_check_ int up_check_clashes(const struct topo *t, const struct diff *d);
/* Builds each image a node of t names that is missing here, when it is a shipped recipe (base,
 * frr), with its progress; says how to build another. Returns 0 or -errno after saying why. */
_must_check_ int up_images(const struct topo *t);
/* Resizes the lab's tmpfs (state st) to t's layers-size and logs-size (apply, before it changes
 * anything). Returns 0 or -errno after saying why (-EINVAL: less than what is written). */
_must_check_ int up_resize(const struct topo *t, struct state *st);

/* apply's part: makes what d (from the running lab to t) adds or replaces, and changes in place
 * what it changes, journaling each object before making it, as up does; the removals are done
 * already. Stops at the first failure or when *stop becomes non-zero, removing nothing (the journal
 * lets down remove it all). Returns 0 or -errno. */
_must_check_ int up_apply(const struct topo *t, struct state *st, const struct diff *d,
			  const volatile sig_atomic_t *stop);

/* Brings up the lab t, loaded and checked (its text, read once, is what the state keeps), and says
 * so on out; SIGINT, SIGTERM and SIGHUP roll it back. A lab already up from the same text is left
 * as it is (1: another netlab brought it up). Returns 0, 1 or -errno (-EEXIST: up from another
 * text, or half made). */
_must_check_ int up_file(const struct topo *t, FILE *out);

#endif
