/* lab_apply.h: `netlab apply`: changing a running lab into an edited topology of it, changing only
 * what differs (the plan: diff.h). Prints (once, with context). */
#ifndef NETLAB_LAB_APPLY_H
#define NETLAB_LAB_APPLY_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "diff.h"
#include "lab.h"
#include "attr.h"

/* The plan from the running lab l to t (the same lab, edited), into d: the model's differences,
 * and the kept nodes whose frr or bird file's contents are not what they run with. */
void apply_plan(const struct lab *l, struct topo *t, struct diff *d);

/* Carries d out on l (up_check_clashes first: nothing there may be another's): journals
 * "apply-begin"; deletes the links that go and removes the nodes that go (their processes,
 * namespaces and files); makes and changes the rest (up_apply); then t becomes the lab's topology,
 * and the journal says "apply-done". Every node's namespace must be the one up made (lab_open's
 * ns_status). Stops at the first failure or when *stop becomes non-zero: the lab is then partly
 * changed, which status says and down removes. Returns 0 or -errno. */
_must_check_ int apply_run(struct lab *l, const struct topo *t, const struct diff *d,
			   const volatile sig_atomic_t *stop);

/* netlab apply, the shape of up_file: changes the running lab l (opened with its lock) into t,
 * loaded and checked from file: refuses a lab an apply or up left unfinished or whose namespaces
 * are not up's; prints the plan on out, and with dry_run nothing more; else carries it out
 * (apply_run), SIGINT, SIGTERM and SIGHUP stopping it. Returns 0 or -errno after saying why. */
_must_check_ int apply_file(struct lab *l, struct topo *t, const char *file, bool dry_run,
			    FILE *out);

#endif
