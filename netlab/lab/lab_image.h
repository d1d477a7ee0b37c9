/* lab_image.h: node images, daemonless: a root filesystem built from Debian's packages with
 * mmdebstrap (no Docker, no registry), a plain directory kept under image_dir()/NAME/rootfs, the
 * read-only lower layer of every node that names it (image = NAME; machine.c). Prints mmdebstrap's
 * progress and says why a step failed. */
#ifndef NETLAB_LAB_IMAGE_H
#define NETLAB_LAB_IMAGE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "attr.h"

#define IMAGE_DIR "/var/lib/netlab/images"

/* The image store: IMAGE_DIR, the machine's, for root; a user's own without root (in the user's
 * namespaces: $XDG_DATA_HOME/netlab/images, else ~/.local/share/netlab/images), whose files
 * belong to the user's ids (root's images are owned by ids a user namespace does not map). */
const char *image_dir(void);

/* image_dir()/NAME/rootfs, to be freed. */
char *image_rootfs(const char *name);
bool image_exists(const char *name);

/* The packages of a shipped recipe ("base": the networking tools of Kathará's kathara/base image;
 * "frr": base and FRR), comma-separated, or NULL for another name. */
const char *image_recipe(const char *name);

/* Builds image name from packages (comma-separated; NULL: its recipe) with mmdebstrap, showing
 * its progress on stderr; into a directory of its own first, renamed into place when whole, so
 * that a build that fails (or is interrupted: SIGINT, SIGTERM) leaves nothing. Returns 0, -EEXIST
 * when it is there already, or -errno after saying why. */
_must_check_ int image_build(const char *name, const char *packages);

struct image_info {
	char *name;
	char *packages;
	unsigned long long bytes; /* what its files take on disk */
	time_t built;
};

/* The images built here, by name. Returns how many (*v to be freed by image_list_free) or -errno.
 */
_must_check_ int image_list(struct image_info **v);
void image_list_free(struct image_info *v, size_t n);

/* Removes image name (the caller checked that no lab uses it). Returns 0, -ENOENT, or -errno after
 * saying why. */
_must_check_ int image_remove(const char *name);

#endif
