/* procs.c: one pass over /proc, reading each process's network and mount namespace inodes. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "procs.h"
#include "util.h"

int procs_scan(void (*fn)(const struct procs_entry *p, void *arg), void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int r;

	if (!d)
		return -errno;
	for (;;) {
		char path[300];
		struct stat st;
		struct procs_entry p;

		errno = 0;
		if (!(e = readdir(d)))
			break;
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", e->d_name);
		if (stat(path, &st) < 0)
			continue;
		p.pid = (pid_t)atoi(e->d_name);
		p.net_ino = st.st_ino;
		snprintf(path, sizeof(path), "/proc/%s/ns/mnt", e->d_name);
		p.mnt_ino = stat(path, &st) == 0 ? st.st_ino : 0;
		fn(&p, arg);
	}
	r = -errno; /* 0 at the end of the directory */
	closedir(d);
	return r;
}

void procs_comm(pid_t pid, char *buf, size_t size)
{
	_cleanup_free_ char *path = util_xasprintf("/proc/%d/comm", (int)pid), *text = NULL;

	snprintf(buf, size, "?");
	if (util_read_file(path, &text, NULL) == 0) {
		text[strcspn(text, "\n")] = '\0';
		snprintf(buf, size, "%s", text);
	}
}
