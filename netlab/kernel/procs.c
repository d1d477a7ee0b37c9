/* procs.c: one pass over /proc, reading each process's /proc/PID/ns/net inode. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "procs.h"

int procs_scan(void (*fn)(pid_t pid, ino_t net_ino, void *arg), void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char path[300];
		struct stat st;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", e->d_name);
		if (stat(path, &st) < 0)
			continue;
		fn((pid_t)atoi(e->d_name), st.st_ino, arg);
	}
	closedir(d);
	return 0;
}
