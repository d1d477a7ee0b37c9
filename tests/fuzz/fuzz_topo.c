/* fuzz_topo.c: libFuzzer target for the loader (topo_load) and the validator (topo_check).
 * iniparser 4.1 only reads files, so each input is written to a private file first. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "topo.h"
#include "topo_ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct topo *t = NULL;
	int fd;

	if (!path[0])
		snprintf(path, sizeof(path), "/dev/shm/netlab-fuzz-%d.ini", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (topo_load(path, &t) < 0)
		abort(); /* the file exists: loading must give a topology, valid or not */
	topo_check(t);
	topo_free(t);
	return 0;
}
