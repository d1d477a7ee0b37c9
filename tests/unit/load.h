/* load.h: a topology from text, for the unit tests (through a temporary file, as the loader reads
 * files), with its nodes indexed; NULL when it cannot be read. */
#ifndef NETLAB_TEST_LOAD_H
#define NETLAB_TEST_LOAD_H

#include <string.h>

#include "topo_ini.h"
#include "util.h"

static inline struct topo *test_load_text(const char *text)
{
	char path[] = "/tmp/netlab-test-XXXXXX";
	int fd = mkstemp(path);
	struct topo *t = NULL;

	if (fd < 0 || util_write_all(fd, text, strlen(text)) < 0 || topo_load(path, &t) < 0)
		t = NULL;
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	if (t)
		topo_index_nodes(t);
	return t;
}

#endif
